"""False alarms of the language, locale, layout and source rules on professional translations.

Runs the 3xx-6xx rules (no language model) over the human reference translations of a WMT MQM
file (JSON lines with ``doc``, ``doc_seg_id``, ``source``, ``reference``, ``lp``), one document per
talk, with the talk's source text attached so the source-aware rules run too. Professional
references are (nearly) clean, so every finding is counted as a false alarm and printed for
inspection. The data path is an argument; nothing is read by default.

    .venv/bin/python bench/rules_precision.py PATH.jsonl [PATH.jsonl ...] [--segments N] [--show K]
"""
from __future__ import annotations

import argparse
import json
import sys
from collections import Counter, defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from qa import Config, check  # noqa: E402

FAMILIES = ("QA3", "QA4", "QA5", "QA6")


def load_talks(path: str, limit: int) -> tuple[str, str, list[tuple[str, list[str], list[str]]]]:
    """(source lang, target lang, [(talk id, source lines, reference lines)]) of the first ``limit`` segments."""
    talks: dict[str, dict[int, tuple[str, str]]] = defaultdict(dict)
    lp = ""
    count = 0
    with open(path, encoding="utf-8") as handle:
        for line in handle:
            row = json.loads(line)
            lp = row["lp"]
            segs = talks[row["doc"]]
            if row["doc_seg_id"] in segs:
                continue
            if count >= limit:
                break
            segs[row["doc_seg_id"]] = (row["source"], row["reference"])
            count += 1
    src, tgt = lp.split("-")
    result = []
    for talk, segs in talks.items():
        ordered = [segs[k] for k in sorted(segs)]
        result.append((talk, [s for s, _ in ordered], [r for _, r in ordered]))
    return src, tgt, result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="+")
    parser.add_argument("--segments", type=int, default=400, help="reference segments per file")
    parser.add_argument("--show", type=int, default=40, help="findings to print per file")
    args = parser.parse_args()
    for path in args.paths:
        src, tgt, talks = load_talks(path, args.segments)
        n_segments = sum(len(refs) for _, _, refs in talks)
        per_rule: Counter[str] = Counter()
        shown = 0
        for talk, sources, refs in talks:
            config = Config(fluency=False, select=FAMILIES, source_lang=src)
            for with_source in (False, True):
                report = check("\n".join(refs), target_lang=tgt, source="\n".join(sources) if with_source else None,
                               config=config)
                for f in report.documents[0].findings:
                    if with_source != f.code.startswith("QA6"):
                        continue
                    per_rule[f"{f.code} {f.rule}"] += 1
                    if shown < args.show:
                        shown += 1
                        print(f"  {talk} {f.code} {f.rule} [{f.confidence:.2f}] {f.text[:90]!r} -> {f.suggestion!r}")
        print(f"\n{Path(path).name}: {n_segments} reference segments ({tgt}), {len(talks)} talks")
        total = sum(per_rule.values())
        for family in FAMILIES:
            count = sum(v for k, v in per_rule.items() if k.startswith(family))
            print(f"  {family}xx: {count} findings = {100 * count / n_segments:.2f} per 100 segments")
        for rule, count in per_rule.most_common():
            print(f"    {rule}: {count}")
        print(f"  all: {total} = {100 * total / n_segments:.2f} per 100 segments\n")


if __name__ == "__main__":
    main()
