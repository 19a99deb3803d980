"""False alarms of the model-confirmed name casing (QA201 with the language model) on clean text.

Checks human reference translations and MT output, cut into pseudo-documents of ``--chunk``
lines, with QA201 alone and the default model, and prints the findings per 100 segments and
every flagged word with its context. Plain-text files have one segment per line (give
``--lang``); ``.jsonl`` files are WMT MQM files (their ``reference`` and ``mt`` fields are used).

    .venv/bin/python bench/casing_model.py REFERENCE.de --lang de --segments 1000
    .venv/bin/python bench/casing_model.py MQM.jsonl --lang en --segments 1000

(The commands with the development data's paths are in docs/benchmarks.md.)

The data paths are arguments: nothing here reads a fixed path.
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from qa import Config, check  # noqa: E402
from qa.fluency import load_scorer  # noqa: E402


def segments(path: Path, field: str, limit: int) -> list[str]:
    """Up to ``limit`` distinct segments of a text file (one per line) or an MQM JSONL file."""
    if path.suffix == ".jsonl":
        rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
        lines = [row[field] for row in rows]
    else:
        lines = path.read_text(encoding="utf-8").splitlines()
    return list(dict.fromkeys(line for line in lines if line.strip()))[:limit]


def false_alarms(lines: list[str], lang: str, chunk: int, scorer) -> list[tuple[str, str]]:
    """(flagged word, context) of every QA201 finding over pseudo-documents of ``chunk`` lines."""
    found = []
    config = Config(select=("QA201",), target_lang=lang, cache_dir="off")
    for i in range(0, len(lines), chunk):
        text = "\n".join(lines[i:i + chunk])
        for f in check(text, target_lang=lang, config=config, scorer=scorer).documents[0].findings:
            found.append((f.text, text[max(0, f.start - 50):f.end + 30].replace("\n", " / ")))
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="+", type=Path)
    parser.add_argument("--lang", required=True, help="target language of the segments")
    parser.add_argument("--segments", type=int, default=1000, help="segments per file and field")
    parser.add_argument("--chunk", type=int, default=20, help="lines per pseudo-document")
    parser.add_argument("--fields", nargs="+", default=["reference", "mt"], help="fields of .jsonl files")
    args = parser.parse_args(argv)
    scorer = load_scorer(Config(model="gemma3", cache_dir="off"))
    for path in args.paths:
        for field in (args.fields if path.suffix == ".jsonl" else ["text"]):
            lines = segments(path, field, args.segments)
            found = false_alarms(lines, args.lang, args.chunk, scorer)
            print(f"{path.name} [{field}]: {len(found)} QA201 findings in {len(lines)} segments "
                  f"({100 * len(found) / max(1, len(lines)):.2f} per 100)")
            for word, context in found:
                print(f"    {word!r}: …{context}…")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
