"""Language identification of short segments: langdetect against lingua, word frequencies and both.

Reads WMT MQM JSON-lines files given as arguments and takes the unique ``source`` and
``reference`` segments with their known languages (``lp`` = source-target), keeps those of at
most ``--max-words`` words, and measures accuracy of:

* langdetect over all its languages (seeded; what ``qa.langid.detect_language`` used before);
* ``qa.langid.detect_language``: lingua over 20 common languages when confident, else langdetect;
* lingua restricted to the candidate languages the checks use;
* the word-frequency (wordfreq unigram) classifier over the same candidates;
* ``qa.langid.classify`` (both must agree), counting a verdict only at confidence >= 0.85,
  with its coverage (share of segments it decides) — which is what the checks act on.

    .venv/bin/python bench/langid_short.py PATH.jsonl [PATH.jsonl ...] [--max-words 8]
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from qa.langid import (COMMON_LANGUAGES, _posterior, classify, detect_language,  # noqa: E402
                       langdetect_language, lingua_scores, tokens, unigram_scores)


def segments(path: str, max_words: int) -> list[tuple[str, str]]:
    """Unique (text, language) pairs of at most ``max_words`` words from a WMT MQM file."""
    seen: set[str] = set()
    result = []
    with open(path, encoding="utf-8") as handle:
        for line in handle:
            row = json.loads(line)
            src, tgt = row["lp"].split("-")
            for text, lang in ((row["source"], src), (row["reference"], tgt)):
                n_words = len(text.split()) if lang != "zh" else len(text) // 2
                if text in seen or n_words > max_words or len(tokens(text)) < 2 and lang != "zh":
                    continue
                seen.add(text)
                result.append((text, lang))
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="+")
    parser.add_argument("--max-words", type=int, default=8)
    args = parser.parse_args()
    data = [item for path in args.paths for item in segments(path, args.max_words)]
    candidates = tuple(dict.fromkeys((*COMMON_LANGUAGES, "zh")))
    names = ("langdetect (all languages)", "lingua (candidates)", "wordfreq (candidates)",
             "qa.langid.detect_language (lingua if confident, else langdetect)")
    langs = sorted({lang for _, lang in data})
    hits = {(name, lang): 0 for name in names for lang in langs}
    total = {lang: 0 for lang in langs}
    decided = {lang: 0 for lang in langs}
    correct = {lang: 0 for lang in langs}
    started = time.perf_counter()
    for text, lang in data:
        total[lang] += 1
        hits[(names[0], lang)] += langdetect_language(text)[0] == lang
        hits[(names[3], lang)] += detect_language(text)[0] == lang
        by_ngrams = lingua_scores(text, candidates)
        hits[(names[1], lang)] += bool(by_ngrams) and max(by_ngrams, key=by_ngrams.__getitem__) == lang
        by_words = _posterior(unigram_scores(tokens(text), candidates))
        hits[(names[2], lang)] += bool(by_words) and max(by_words, key=by_words.__getitem__) == lang
        found, confidence = classify(text, candidates)
        if confidence >= 0.85:
            decided[lang] += 1
            correct[lang] += found == lang
    elapsed = time.perf_counter() - started
    print(f"{len(data)} segments of <= {args.max_words} words ({elapsed:.1f} s)")
    print("| detector | " + " | ".join(f"{lang} (n={total[lang]})" for lang in langs) + " |")
    print("|---|" + "---|" * len(langs))
    for name in names:
        print(f"| {name} | " + " | ".join(f"{hits[(name, lang)] / total[lang]:.3f}" for lang in langs) + " |")
    print("| qa.langid.classify, share decided at conf >= 0.85 | "
          + " | ".join(f"{decided[lang] / total[lang]:.3f}" for lang in langs) + " |")
    print("| qa.langid.classify, accuracy of those decisions | "
          + " | ".join(f"{correct[lang] / max(decided[lang], 1):.3f}" for lang in langs) + " |")


if __name__ == "__main__":
    main()
