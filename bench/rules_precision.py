"""False alarms of the language, locale, layout and source rules on professional translations.

Runs the 3xx-6xx rules (no language model) over the human reference translations of a WMT MQM
file (JSON lines with ``doc``, ``doc_seg_id``, ``source``, ``reference``, ``lp``), one document per
talk, with the talk's source text attached so the source-aware rules run too; or over a plain
reference file (one segment per line, ``--lang``) cut into pseudo-documents of ``--chunk`` lines,
without a source. Professional references are (nearly) clean, so every finding is counted and
printed for inspection. The data path is an argument; nothing is read by default.

    .venv/bin/python bench/rules_precision.py PATH.jsonl [PATH.jsonl ...] [--segments N] [--show K]
    .venv/bin/python bench/rules_precision.py REF.txt --lang de [--chunk 20] [--segments N]
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


def load_plain(path: str, lang: str, limit: int, chunk: int) -> tuple[str, str, list[tuple[str, list[str], list[str]]]]:
    """A one-segment-per-line reference file cut into pseudo-documents of ``chunk`` lines (no source)."""
    with open(path, encoding="utf-8") as handle:
        lines = [line.rstrip("\n") for line in handle][:limit]
    docs = [(f"lines {i + 1}-{i + len(lines[i:i + chunk])}", [], lines[i:i + chunk]) for i in range(0, len(lines), chunk)]
    return "", lang, docs


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="+")
    parser.add_argument("--segments", type=int, default=400, help="reference segments per file")
    parser.add_argument("--show", type=int, default=40, help="findings to print per file")
    parser.add_argument("--lang", help="target language of plain-text files (one segment per line)")
    parser.add_argument("--chunk", type=int, default=20, help="lines per pseudo-document for plain-text files")
    args = parser.parse_args()
    for path in args.paths:
        if path.endswith(".jsonl"):
            src, tgt, talks = load_talks(path, args.segments)
        else:
            src, tgt, talks = load_plain(path, args.lang, args.segments, args.chunk)
        n_segments = sum(len(refs) for _, _, refs in talks)
        per_rule: Counter[str] = Counter()
        shown = 0
        for talk, sources, refs in talks:
            config = Config(fluency=False, select=FAMILIES, source_lang=src or None)
            for with_source in ((False, True) if sources else (False,)):
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
