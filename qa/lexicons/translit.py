"""Transliteration systems for Slavic names, as rewrite rules between them.

A Ukrainian or Russian name reaches an English text through a French source as
``Ouspenovka`` (French ``ou`` for ``u``), through a German one as ``Charkiw`` (``ch`` for
``kh``, ``w`` for ``v``). Each system below lists the spellings that differ from the English
(BGN/PCGN and Ukrainian national) system, with the English spellings they stand for. The
functions only *propose* spellings; the names checks accept a proposal only when a gazetteer
or lexicon knows the result as a real name.
"""
from __future__ import annotations

import itertools
import re
from typing import Iterator

# Patterns of a source system -> possible English-system spellings (lower case).
TO_ENGLISH: dict[str, tuple[tuple[str, tuple[str, ...]], ...]] = {
    "French": (
        ("tch", ("ch",)),
        ("ch", ("sh",)),
        ("ou", ("u",)),
        ("iou", ("yu", "iu")),
        ("ia", ("ya",)),
        ("ie", ("ye",)),
        ("j", ("zh",)),
        ("ï", ("i", "yi")),
        ("gu", ("g",)),
        ("ss", ("s",)),
        ("dj", ("j",)),
    ),
    "German": (
        ("tsch", ("ch",)),
        ("sch", ("sh", "zh")),
        ("schtsch", ("shch",)),
        ("ch", ("kh", "h")),
        ("w", ("v",)),
        ("z", ("ts",)),
        ("j", ("y", "i")),
        ("ji", ("i", "yi")),
        ("ja", ("ya", "ia")),
        ("ju", ("yu", "iu")),
        ("je", ("ye",)),
        ("ss", ("s",)),
        ("^s", ("z",)),
    ),
}

# English-system spellings -> German (Duden) spellings, to find the German form of a name.
ENGLISH_TO_GERMAN: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("shch", ("schtsch",)),
    ("kh", ("ch",)),
    ("zh", ("sch",)),
    ("sh", ("sch",)),
    ("ch", ("tsch",)),
    ("v", ("w",)),
    ("ts", ("z",)),
    ("^z", ("s",)),
    ("ya", ("ja",)),
    ("ia", ("ja",)),
    ("yu", ("ju",)),
    ("iu", ("ju",)),
    ("ye", ("je",)),
    ("yi", ("ji",)),
    ("ii", ("iji", "ij")),
    ("yy", ("yj",)),
    ("yi", ("yj",)),
    ("y", ("j", "y")),
    ("s", ("ss",)),
)

MAX_CANDIDATES = 256


def _rewrites(word: str, rules: tuple[tuple[str, tuple[str, ...]], ...]) -> Iterator[str]:
    """Every spelling obtained by rewriting, at every place at once, a subset of the matching rules."""
    lower = word.lower()
    active = [(pattern, options) for pattern, options in rules
              if (lower.startswith(pattern[1:]) if pattern.startswith("^") else pattern in lower)]
    if not active:
        return
    produced = 0
    for size in range(1, len(active) + 1):
        for subset in itertools.combinations(active, size):
            choices = [[(pattern, option) for option in options] for pattern, options in subset]
            for picked in itertools.product(*choices):
                yield _apply(lower, picked)
                produced += 1
                if produced >= MAX_CANDIDATES:
                    return


def _apply(lower: str, picked: tuple[tuple[str, str], ...]) -> str:
    """Rewrite ``lower`` in one left-to-right pass, longest pattern first."""
    table = {pattern: option for pattern, option in picked}
    anchored = {p[1:]: o for p, o in table.items() if p.startswith("^")}
    inner = {p: o for p, o in table.items() if not p.startswith("^")}
    head = ""
    for pattern, option in anchored.items():
        if lower.startswith(pattern):
            head, lower = option, lower[len(pattern):]
            break
    if inner:
        regex = re.compile("|".join(re.escape(p) for p in sorted(inner, key=len, reverse=True)))
        lower = regex.sub(lambda m: inner[m.group()], lower)
    return head + lower


def english_candidates(word: str) -> Iterator[tuple[str, str]]:
    """``(system, english_spelling)`` pairs that ``word`` could be a transliteration of."""
    for system, rules in TO_ENGLISH.items():
        for spelling in _rewrites(word, rules):
            if spelling != word.lower():
                yield system, spelling


def german_candidates(word: str) -> Iterator[str]:
    """German (Duden) spellings that the English-system ``word`` could correspond to."""
    for spelling in _rewrites(word, ENGLISH_TO_GERMAN):
        if spelling != word.lower():
            yield spelling
