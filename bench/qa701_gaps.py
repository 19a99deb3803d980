"""How far QA701's worst sentence lies below its document's median, per document.

For the rule's failing and passing examples and the clean articles of ``tests/data/multilingual``
(or the text files given), prints the number of judged sentences, the gap of the least fluent one
below the median (nats per token, after the length correction of ``qa.fluency``), the robust
spread and the gap in spreads — the quantities QA701 compares with its margins.

    .venv/bin/python bench/qa701_gaps.py
"""
from __future__ import annotations

import argparse
import statistics
import sys
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from qa.checks.fluency import MIN_SENTENCES, MIN_WORDS, SIGMA_FLOOR  # noqa: E402
from qa.config import Config  # noqa: E402
from qa.fluency import load_scorer, score_segments  # noqa: E402
from qa.readers.text import text_document  # noqa: E402
from qa.rules import get_rule  # noqa: E402
from qa.text import word_count  # noqa: E402


def gap(text: str, lang: str, scorer) -> str:
    """The QA701 quantities of one document as a table row (or why it is not judged)."""
    doc = replace(text_document("doc", text, Config(target_lang=lang)), target_lang=lang)
    fluency = score_segments(doc, scorer)
    values = [fluency[s.id].relative for s in doc.segments
              if s.kind in ("sentence", "unit") and s.id in fluency and word_count(s.text) >= MIN_WORDS]
    if len(values) < MIN_SENTENCES:
        return f"{len(values)} | – | – | – (too few sentences)"
    median = statistics.median(values)
    sigma = max(1.4826 * statistics.median(abs(v - median) for v in values), SIGMA_FLOOR)
    worst = median - min(values)
    return f"{len(values)} | {worst:.2f} | {sigma:.2f} | {worst / sigma:.2f}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("files", nargs="*", type=Path,
                        help="text files named by language (de.txt); default: tests/data/multilingual/clean")
    args = parser.parse_args(argv)
    scorer = load_scorer(Config(model="gemma3", cache_dir="off"))
    rule = get_rule("QA701")
    rows = [(f"failing example ({e.lang})", e.text, e.lang) for e in rule.fail_examples]
    rows += [(f"passing example ({e.lang})", e.text, e.lang) for e in rule.pass_examples]
    files = args.files or sorted((ROOT / "tests" / "data" / "multilingual" / "clean").glob("*.txt"))
    rows += [(f"{path.name}", path.read_text(encoding="utf-8"), path.stem) for path in files]
    print("| document | sentences | gap (nats) | spread | gap / spread |\n|---|---:|---:|---:|---:|")
    for name, text, lang in rows:
        print(f"| {name} | {gap(text, lang, scorer)} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
