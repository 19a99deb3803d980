"""Precision and recall of the pronoun rules (QA101, QA102) over the example tables.

Usage (from the repository root)::

    .venv/bin/python bench/pronouns.py            # rules only, then rules + model if it loads
    .venv/bin/python bench/pronouns.py --no-model # rules only

The tables live in ``tests/unit/test_pronouns.py``: ``CASES`` (the development table the rules
were written against), ``HELD_OUT`` (written after a first version of the rules; a few general
fixes followed it) and ``FRESH`` (written last, measured once, never tuned on). A failing row
counts as a true positive when a finding has the expected code, text and suggestion, and as a
false negative otherwise; every other 1xx finding (on a passing row, or a wrong one on a
failing row) is a false positive.
"""
from __future__ import annotations

import argparse
import sys
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from qa import Config  # noqa: E402
from tests.unit.test_pronouns import CASES, FRESH, HELD_OUT, Case, findings_for  # noqa: E402


def score_table(rows: list[Case], scorer: Any = None) -> dict[str, dict[str, int]]:
    """Counts of tp / fp / fn per language (and 'all') over ``rows``."""
    counts: dict[str, dict[str, int]] = defaultdict(
        lambda: {"tp": 0, "fp": 0, "fn": 0, "rows": 0, "major": 0})
    for case in rows:
        found = findings_for(case, scorer=scorer)
        hit = [f for f in found if f.code == case.code and f.text == case.span
               and f.suggestion == case.suggestion] if case.code else []
        for key in (case.lang, "all"):
            c = counts[key]
            c["rows"] += 1
            c["tp"] += 1 if hit else 0
            c["major"] += 1 if hit and hit[0].severity.value == "major" else 0
            c["fn"] += 1 if case.code and not hit else 0
            c["fp"] += len(found) - (1 if hit else 0)
    return counts


def _ratio(a: int, b: int) -> str:
    return f"{a / b:.2f}" if b else "n/a"


def report(name: str, counts: dict[str, dict[str, int]], seconds: float) -> None:
    """Print one Markdown table of precision / recall per language."""
    print(f"\n{name} ({seconds:.1f} s)\n")
    print("| lang | rows | TP (major) | FP | FN | precision | recall |")
    print("|---|---|---|---|---|---|---|")
    for lang in sorted(counts, key=lambda k: (k == "all", k)):
        c = counts[lang]
        print(f"| {lang} | {c['rows']} | {c['tp']} ({c['major']}) | {c['fp']} | {c['fn']} | "
              f"{_ratio(c['tp'], c['tp'] + c['fp'])} | {_ratio(c['tp'], c['tp'] + c['fn'])} |")


def swap_margins(rows: list[Case], scorer: Any) -> tuple[list[float], list[float]]:
    """Model margins (log P(fixed) - log P(original), nats) for English rows.

    Failing rows: the wrong pronoun replaced by the expected fix. Passing rows: every correct
    he/she/his/her outside quotations replaced by it/its (what a false alarm would suggest).
    """
    from qa.checks import pronouns
    from qa.checks.pronouns.english import _NEUTER, _her_form
    from qa.readers.text import text_document

    wrong, right = [], []
    for case in [c for c in rows if c.lang == "en"]:
        doc = text_document("bench", case.text, Config(target_lang="en"))
        sentences = [s for s in pronouns.sentences_of(doc) if s[1] > s[0]]
        quotes = pronouns.quote_ranges(doc.text)
        for index, (start, end) in enumerate(sentences):
            toks = pronouns.tokenize(doc.text, start, end, quotes)
            context = doc.text[slice(*sentences[index - 1])] if index else ""
            for k, tok in enumerate(toks):
                if tok.quoted or tok.low not in pronouns.EN_PRONOUNS:
                    continue
                if case.code and tok.text == case.span:
                    fix = case.suggestion
                elif not case.code:
                    form = pronouns.EN_PRONOUNS[tok.low][1]
                    if form == "her":
                        form = _her_form(toks, k)
                    fix = pronouns.match_case(tok.text, _NEUTER[form])
                else:
                    continue
                original = doc.text[start:end]
                fixed = doc.text[start:tok.start] + fix + doc.text[tok.end:end]
                a, b = scorer.score_alternatives(context, original, [fixed])
                (wrong if case.code else right).append(b - a)
    return wrong, right


def _summary(values: list[float]) -> str:
    values = sorted(values)
    if not values:
        return "none"
    mid = values[len(values) // 2]
    share = sum(v >= 2.0 for v in values) / len(values)
    return (f"n={len(values)}, min {values[0]:+.1f}, median {mid:+.1f}, max {values[-1]:+.1f}, "
            f"share >= +2.0: {share:.0%}")


def load_model() -> Any:
    """The packaged language-model scorer, or None when it cannot be loaded."""
    try:
        from qa import fluency
    except ImportError:
        return None
    if not hasattr(fluency, "load_scorer"):
        return None
    try:
        return fluency.load_scorer(Config())
    except Exception as error:  # noqa: BLE001 - report and go on with rules only
        print(f"model unavailable: {type(error).__name__}: {error}")
        return None


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--no-model", action="store_true", help="rules only")
    parser.add_argument("--margins", action="store_true",
                        help="also print the model's margins for real fixes and for swaps of correct pronouns")
    args = parser.parse_args()
    tables = {"development table (CASES)": CASES, "held-out table (HELD_OUT)": HELD_OUT,
              "fresh table (FRESH)": FRESH}
    for label, rows in tables.items():
        start = time.perf_counter()
        report(f"Rules only, {label}", score_table(rows), time.perf_counter() - start)
    scorer = None if args.no_model else load_model()
    if scorer is None:
        return
    for label, rows in tables.items():
        start = time.perf_counter()
        report(f"Rules + model ({scorer.name}), {label}", score_table(rows, scorer),
               time.perf_counter() - start)
    if args.margins:
        wrong, right = swap_margins(CASES + HELD_OUT + FRESH, scorer)
        print(f"\nMargins, wrong pronoun -> expected fix: {_summary(wrong)}")
        print(f"Margins, correct pronoun -> it/its:    {_summary(right)}")


if __name__ == "__main__":
    main()
