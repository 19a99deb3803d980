"""Source-aware accuracy, by rules: numbers, names, copies of the source and length ratios.

What it catches (only when a source is given: ``--source FILE`` for a text, or the source
column of a bilingual file)
    * ``source-number-mismatch``: a number of the source missing from its translation, or a
      number in the translation that the source does not have;
    * ``source-entity-missing``: a name of the source (a rare capitalised word) that does not
      appear, even transliterated, in its translation;
    * ``target-identical-to-source``: a segment copied through untranslated;
    * ``length-ratio``: a translation far shorter or longer than the language pair's norm
      (something omitted or added), and a source sentence with no translation at all.

How
    A text's source is split into sentences and aligned with the translation's sentences by
    :func:`qa.align.align` (document-level Gale-Church alignment with number and name anchors),
    so sentences merged or split by the translator still pair up. Numbers are compared as
    values under both locales ("3,5" = "3.5", "12 000" = "12,000" = "12.000", "1,5 million"
    = "1.5 million" = "1,500,000", "2:30 p.m." = "14h30"); spelled-out small numbers may stand
    for digits but are never required. To stay precise despite alignment errors, a number or
    name found in a neighbouring sentence is not reported.

Why MT produces it
    Engines drop or hallucinate numbers, omit clauses with names, copy segments they cannot
    translate and truncate long sentences.

Known limits
    Unit conversions (miles to kilometres) and rounding are reported as mismatches; a name
    rendered by an exonym ("Moscou" / "Moscow") is accepted only because frequent names are not
    checked at all; a name replaced by a pronoun is reported (minor, moderate confidence).
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Iterator

from ..align import align
from ..context import CheckContext
from ..langid import fold, with_base_languages, wordlist
from ..model import Category, Document, Finding, Segment, Severity
from ..rules import ALL_LANGUAGES, Example, Rule, check
from ..text import segment_text, words

# ---------------------------------------------------------------------------------------------
# Pairs of source and target segments


@dataclass(frozen=True)
class Pair:
    """One alignment bead: source text and the target segments that translate it."""

    source: str
    targets: tuple[Segment, ...]
    shape: tuple[int, int]
    source_parts: tuple[str, ...] = ()

    @property
    def start(self) -> int:
        return self.targets[0].start

    @property
    def end(self) -> int:
        return self.targets[-1].end

    @property
    def target_text(self) -> str:
        return " ".join(s.text for s in self.targets)


def source_pairs(doc: Document, ctx: CheckContext) -> list[Pair]:
    """Aligned (source, target segments) beads of ``doc``, computed once per document.

    Unit-based documents pair each unit with its own source; texts are aligned sentence by
    sentence. Beads with no target (an untranslated source sentence) have empty ``targets``.
    """
    def build() -> list[Pair]:
        if doc.unit_based or not doc.source_text:
            return [Pair(s.source, (s,), (1, 1)) for s in doc.segments if s.source]
        source_segments = segment_text(doc.source_text)
        a = [s.text for s in source_segments]
        b = [s.text for s in doc.segments]
        pairs = []
        for src, tgt in align(a, b):
            pairs.append(Pair(" ".join(a[i] for i in src), tuple(doc.segments[j] for j in tgt),
                              (len(src), len(tgt)), tuple(a[i] for i in src)))
        return pairs

    return ctx.memo("source.pairs", build)


def _neighbours(pairs: list[Pair], index: int) -> tuple[str, str]:
    """Source and target text of the beads next to ``index`` (alignment tolerance)."""
    near = pairs[max(0, index - 1):index] + pairs[index + 1:index + 2]
    return " ".join(p.source for p in near), " ".join(p.target_text for p in near)


# ---------------------------------------------------------------------------------------------
# Numbers

_NUMBER_RE = re.compile(
    r"(?<![.,\d])(?:\d{1,3}(?:[ \u00a0\u202f\u2009'’]\d{3})+(?!\d)|\d+(?:[.,]\d+)*)(?![\d])")
_SCALES = {
    "thousand": 1e3, "thousands": 1e3, "tausend": 1e3, "mille": 1e3,
    "million": 1e6, "millions": 1e6, "millionen": 1e6, "mio": 1e6, "mln": 1e6,
    "billion": 1e9, "billions": 1e9, "milliard": 1e9, "milliards": 1e9, "milliarde": 1e9,
    "milliarden": 1e9, "mrd": 1e9, "bn": 1e9, "trillion": 1e12, "billionen": 1e12,
}
_SCALE_RE = re.compile(r"[ \u00a0\u202f]?(" + "|".join(sorted(_SCALES, key=len, reverse=True)) + r")\b\.?", re.I)
_AMPM_RE = re.compile(r"[ \u00a0]?(?::\d\d)?[ \u00a0]?([ap])\.?[ \u00a0]?m\b\.?", re.I)
_SPELLED = {
    "en": "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen "
          "sixteen seventeen eighteen nineteen twenty".split(),
    "fr": "zéro un deux trois quatre cinq six sept huit neuf dix onze douze treize quatorze quinze "
          "seize dix-sept dix-huit dix-neuf vingt".split(),
    "de": "null eins zwei drei vier fünf sechs sieben acht neun zehn elf zwölf dreizehn vierzehn fünfzehn "
          "sechzehn siebzehn achtzehn neunzehn zwanzig".split(),
}
_SPELLED_EXTRA = {"dozen": 12, "dozens": 12, "douzaine": 12, "dutzend": 12, "hundred": 100, "cent": 100,
                  "hundert": 100, "thirty": 30, "forty": 40, "fifty": 50, "trente": 30, "quarante": 40,
                  "cinquante": 50, "dreißig": 30, "vierzig": 40, "fünfzig": 50, "une": 1, "ein": 1, "eine": 1,
                  "einen": 1, "einem": 1, "einer": 1, "dizaine": 10, "first": 1, "second": 2, "third": 3,
                  "premier": 1, "première": 1, "erste": 1, "ersten": 1, "half": 0.5, "moitié": 0.5, "hälfte": 0.5,
                  "halbe": 0.5, "halben": 0.5, "demi": 0.5, "quarter": 0.25, "quart": 0.25, "viertel": 0.25,
                  "twice": 2, "double": 2, "doubled": 2, "thrice": 3, "triple": 3, "tripled": 3, "doppelt": 2,
                  "doppelte": 2, "doppelten": 2, "verdoppelt": 2, "triple": 3, "dreifach": 3}
# Source numbers next to these units are usually converted by the translator (feet to metres).
_IMPERIAL_RE = re.compile(r"\b(?:feet|foot|ft|inch(?:es)?|miles?|yards?|pounds?|lbs?|ounces?|oz|gallons?|acres?|"
                          r"fahrenheit|°F)\b|英尺|英寸|英里|华氏|磅|加仑", re.I)


@dataclass(frozen=True)
class Number:
    """A number found in a text: its span, the values it may mean and whether it was spelled out."""

    start: int
    end: int
    values: frozenset[float]
    spelled: bool = False


def _key(value: float) -> float:
    return float(f"{value:.6g}")


def _readings(token: str) -> set[float]:
    """Every value a written number can have under English, German or French conventions."""
    compact = re.sub(r"[ \u00a0\u202f\u2009'’]", "", token)
    seps = re.findall(r"[.,]", compact)
    if not seps:
        return {float(compact)}
    if len(set(seps)) == 2:
        last = max(compact.rfind("."), compact.rfind(","))
        return {float(re.sub(r"[.,]", "", compact[:last]) + "." + compact[last + 1:])}
    parts = re.split(r"[.,]", compact)
    grouping = all(len(p) == 3 for p in parts[1:]) and len(parts[0]) <= 3
    values = set()
    if grouping:
        values.add(float("".join(parts)))
    if len(parts) == 2:
        values.add(float(parts[0] + "." + parts[1]))
    return values or {float("".join(parts))}


def _glued_to_word(text: str, start: int) -> bool:
    """Whether a digit run continues a Latin or Cyrillic word ("COVID19", "A4"); CJK and "14h30" do not count."""
    before = text[start - 1:start]
    if not before.isalpha() or _is_cjk(before):
        return False
    return not (before == "h" and text[start - 2:start - 1].isdigit() or
                text[start - 2:start] == "h " and text[start - 3:start - 2].isdigit())


def _is_cjk(ch: str) -> bool:
    return "\u3040" <= ch <= "\u9fff" or "\uac00" <= ch <= "\ud7af"


def _scaled(text: str, end: int, values: set[float]) -> set[float]:
    """The values times a following scale word ("3,5 millions", "25万"); unchanged without one."""
    scale = _SCALE_RE.match(text, end)
    if scale:
        return {v * _SCALES[scale.group(1).lower()] for v in values}
    cjk = text[end:end + 1]
    if cjk in _CJK_SCALES:
        return {v * _CJK_SCALES[cjk] for v in values}
    return values


@lru_cache(maxsize=4096)
def numbers_in(text: str, lang: str | None = None) -> tuple[Number, ...]:
    """Numbers of ``text`` with their possible values (scale words and a.m./p.m. applied).

    Spelled-out numbers (English, French, German words; Chinese numerals) are returned with
    ``spelled=True``: they may match a written number but are never required to.
    """
    found = []
    for m in _NUMBER_RE.finditer(text):
        if _glued_to_word(text, m.start()):
            continue
        values = _scaled(text, m.end(), _readings(m.group()))
        ampm = _AMPM_RE.match(text, m.end())
        if ampm and ampm.group(1).lower() == "p":
            values |= {v + 12 for v in values if v < 12}
        found.append(Number(m.start(), m.end(), frozenset(_key(v) for v in values)))
    for start, end, word in words(text):
        value = _spelled_value(word.lower(), lang)
        if value is not None:
            found.append(Number(start, end, frozenset(_key(v) for v in _scaled(text, end, {value})), spelled=True))
    for m in _CJK_NUMERAL_RE.finditer(text):
        value = _cjk_value(m.group())
        if value is not None:
            found.append(Number(m.start(), m.end(), frozenset({_key(value)}), spelled=True))
    return tuple(found)


_SPELLED_ANY = frozenset(_SPELLED_EXTRA) | frozenset(w for names in _SPELLED.values() for w in names)
_GERMAN_PREFIXES = frozenset(name[:4] for name in _SPELLED["de"])


def _spelled_value(word: str, lang: str | None) -> float | None:
    if word not in _SPELLED_ANY and word[:4] not in _GERMAN_PREFIXES and not word.endswith("fold"):
        return None
    if word in _SPELLED_EXTRA:
        return _SPELLED_EXTRA[word]
    if word.endswith("fold") and word[:-4] in _SPELLED["en"]:
        return float(_SPELLED["en"].index(word[:-4]))  # "tenfold"
    for code, names in _SPELLED.items():
        if (lang is None or code == lang or lang not in _SPELLED) and word in names:
            return float(names.index(word))
    if lang == "de" or lang is None:
        for index, name in enumerate(_SPELLED["de"]):
            if len(name) >= 4 and word.startswith(name) and name not in ("acht", "null"):
                return index + (0.5 if "einhalb" in word else 0.0)  # "zehnmal", "zweieinhalb"
    return None


_CJK_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_CJK_UNITS = {"十": 10, "百": 100, "千": 1000}
_CJK_SCALES = {"万": 1e4, "萬": 1e4, "亿": 1e8, "億": 1e8}
_CJK_NUMERAL_RE = re.compile(r"[零〇一二两三四五六七八九十百千万萬亿億]+")


def _cjk_value(numeral: str) -> float | None:
    """The value of a Chinese numeral such as 两百五十万 (2,500,000) or 三十亿; None for a bare scale."""
    total, section, digit = 0.0, 0.0, None
    for ch in numeral:
        if ch in _CJK_DIGITS:
            digit = _CJK_DIGITS[ch]
        elif ch in _CJK_UNITS:
            section += (digit if digit is not None else 1) * _CJK_UNITS[ch]
            digit = None
        else:
            scale = _CJK_SCALES[ch]
            total += (section + (digit or 0)) * scale
            section, digit = 0.0, None
    value = total + section + (digit or 0)
    return value if value or "零" in numeral or "〇" in numeral else None


def _unmatched(side: "list[Number] | tuple[Number, ...]", other: "list[Number] | tuple[Number, ...]") -> list[Number]:
    """Written (non-spelled) numbers of ``side`` with no number of ``other`` sharing a value."""
    used = [False] * len(other)
    missing = []
    for number in sorted(side, key=lambda n: n.spelled):
        for index, candidate in enumerate(other):
            if not used[index] and number.values & candidate.values:
                used[index] = True
                break
        else:
            if not number.spelled:
                missing.append(number)
    return missing


NUMBERS = Rule(
    code="QA601",
    name="source-number-mismatch",
    category=Category.ACCURACY,
    severity=Severity.MAJOR,
    languages=ALL_LANGUAGES,
    needs_source=True,
    explanation=(
        "A number of the source is missing from its translation, or the translation has a "
        "number the source does not: a figure was dropped, changed or invented (a changed figure "
        "is reported once, with the source's number as the fix). Numbers are "
        "compared as values, so locale formats (3,5 and 3.5; 12 000 and 12,000), scale words "
        "(1,5 million and 1,500,000) and 12-hour times are equal; spelled-out small numbers may "
        "replace digits. Check the figure against the source."
    ),
    fail_examples=(
        Example("Russia ordered the evacuation of villages less than 25 kilometers from Ukraine.", "en",
                span="25", suggestion="15", source="La Russie a ordonné l'évacuation de villages situés à moins de "
                "15 kilomètres de l'Ukraine.", source_lang="fr"),
        Example("Dies führte zur Evakuierung von rund 15.000 Zivilisten.", "de", span="15.000", suggestion="150.000",
                source="This led to the evacuation of around 150,000 civilians.", source_lang="en"),
        Example("Les troupes russes occupent environ 8 % du territoire ukrainien.", "fr", span="8",
                source="Russian troops occupy about 18% of Ukrainian territory.", source_lang="en"),
        Example("The army said it had retaken villages.", "en",
                source="L'armée a dit avoir repris 12 villages.", source_lang="fr"),
    ),
    pass_examples=(
        Example("This led to the evacuation of around 150,000 civilians.", "en",
                source="Cela a conduit à l'évacuation d'environ 150 000 civils.", source_lang="fr"),
        Example("Die Regierung will 3,5 Milliarden Euro investieren.", "de",
                source="The government wants to invest 3.5 billion euros.", source_lang="en"),
        Example("The offensive began at 2:30 p.m. with three brigades.", "en",
                source="L'offensive a commencé à 14h30 avec 3 brigades.", source_lang="fr"),
        Example("Le projet coûtera 1,5 million d'euros.", "fr",
                source="The project will cost 1,500,000 euros.", source_lang="en"),
    ),
)


@check(NUMBERS)
def source_number_mismatch(doc: Document, ctx: CheckContext) -> Iterator[Finding]:
    """Numbers present on one side of an aligned pair and not on the other."""
    doc = with_base_languages(doc)
    pairs = source_pairs(doc, ctx)
    for index, pair in enumerate(pairs):
        if not pair.targets:
            continue
        src_numbers = numbers_in(pair.source, doc.source_lang)
        tgt_numbers = numbers_in(pair.target_text, doc.target_lang)
        near_source, near_target = _neighbours(pairs, index)
        confidence = 0.85 if pair.shape == (1, 1) else 0.7
        if _IMPERIAL_RE.search(pair.source) or _IMPERIAL_RE.search(pair.target_text):
            continue  # units converted: the numbers legitimately differ
        missing = _unmatched(_unmatched(src_numbers, tgt_numbers), numbers_in(near_target, doc.target_lang))
        if missing and _spare_spelled(tgt_numbers, src_numbers):
            missing = []  # an unparsed phrase such as "a quarter of a million" may carry the value
        extra = _unmatched(_unmatched(tgt_numbers, src_numbers), numbers_in(near_source, doc.source_lang))
        for wanted, found in zip(missing, extra):  # one changed number is one error
            start, end = _target_offsets(pair, found)
            shown = pair.source[wanted.start:wanted.end]
            yield NUMBERS.finding(doc, start, end,
                                  f"The source has {shown} here, not {doc.text[start:end]}.",
                                  suggestion=format_number(shown, doc.source_lang, doc.target_lang),
                                  confidence=confidence)
        if len(missing) > len(extra):
            shown = ", ".join(pair.source[n.start:n.end] for n in missing[len(extra):])
            yield NUMBERS.finding(doc, pair.start, pair.end,
                                  f"The source has {shown}, which this translation does not contain.",
                                  confidence=confidence)
        for number in extra[len(missing):]:
            start, end = _target_offsets(pair, number)
            yield NUMBERS.finding(doc, start, end, "The source has no such number in this sentence.",
                                  confidence=confidence)


def format_number(token: str, source_lang: str | None, target_lang: str | None) -> str | None:
    """A source number written in the target's convention ("150 000" -> "150,000" in English).

    None when the source number can be read two ways ("1,500": 1500 or 1.5) or the target
    language's convention is not known.
    """
    readings = _readings(token)
    if len(readings) > 1 and source_lang in ("en", "de", "fr"):
        decimal_mark = "." if source_lang == "en" else ","
        compact = re.sub(r"[ \u00a0\u202f\u2009'’]", "", token)
        whole, _, fraction = compact.rpartition(decimal_mark) if decimal_mark in compact else (compact, "", "")
        digits = re.sub(r"[.,]", "", whole)
        readings = {float(f"{digits}.{fraction}" if fraction else digits)} if digits.isdigit() else readings
    if len(readings) != 1 or target_lang not in ("en", "de", "fr"):
        return None
    value = readings.pop()
    grouped = bool(re.search(r"\d[ \u00a0\u202f\u2009'’.,]\d{3}(?!\d)", token)) and value >= 1000
    group, decimal = {"en": (",", "."), "de": (".", ","), "fr": ("\u202f", ",")}[target_lang]
    whole, _, fraction = f"{value:.10g}".partition(".") if "e" not in f"{value:.10g}" else (str(int(value)), "", "")
    if grouped:
        digits = whole
        head = len(digits) % 3 or 3
        whole = group.join([digits[:head]] + [digits[i:i + 3] for i in range(head, len(digits), 3)])
    return whole + (decimal + fraction if fraction else "")


def _spare_spelled(side: tuple[Number, ...], other: tuple[Number, ...]) -> bool:
    """Whether ``side`` has a spelled-out number that matched nothing on the other side."""
    return any(n.spelled and not any(n.values & o.values for o in other) for n in side)


def _target_offsets(pair: Pair, number: Number) -> tuple[int, int]:
    """Document offsets of a number found in ``pair.target_text`` (segments joined by one space)."""
    offset = 0
    for seg in pair.targets:
        if number.start < offset + len(seg.text):
            return seg.start + number.start - offset, seg.start + number.end - offset
        offset += len(seg.text) + 1
    return pair.start, pair.end


# ---------------------------------------------------------------------------------------------
# Names

ENTITIES = Rule(
    code="QA602",
    name="source-entity-missing",
    category=Category.ACCURACY,
    severity=Severity.MINOR,
    languages=ALL_LANGUAGES,
    needs_source=True,
    explanation=(
        "A name of the source (a capitalised word that is rare in the source language: a person, "
        "a village, a company) appears nowhere in its translation, not even transliterated "
        "(Zelensky / Selenskyj, Smirnov / Smirnow are accepted as the same). The name may have "
        "been omitted or mistranslated; it may also have been replaced by a pronoun, hence minor "
        "severity. Frequent names (countries, capitals) are not checked, since they often have "
        "their own form in each language."
    ),
    fail_examples=(
        Example("The Russian army claimed the recapture of two small villages.", "en",
                source="L'armée russe a revendiqué la reprise de deux petits villages, Ouspenovka et Borki.",
                source_lang="fr"),
        Example("Der amtierende Gouverneur der Region schrieb dies am Montag.", "de",
                source="The acting governor of the region, Alexei Smirnov, wrote this on Monday.",
                source_lang="en"),
        Example("Le ministre ukrainien a invité l'ONU à visiter la région.", "fr",
                source="Ukrainian Foreign Minister Andriy Sybiga invited the UN to visit the region.",
                source_lang="en"),
    ),
    pass_examples=(
        Example("On Monday, she again claimed the recapture of two small villages, Uspenovka and Borki.", "en",
                source="Lundi, elle a de nouveau revendiqué la reprise de deux petits villages, Ouspenovka et Borki.",
                source_lang="fr"),
        Example("Der ukrainische Präsident Wolodymyr Selenskyj machte Russland verantwortlich.", "de",
                source="Ukrainian President Volodymyr Zelensky blamed Russia.", source_lang="en"),
        Example("Le gouverneur par intérim, Alexeï Smirnov, a écrit lundi.", "fr",
                source="The acting governor, Alexei Smirnov, wrote on Monday.", source_lang="en"),
        Example("Russia ordered the evacuation of villages in Moscow's name.", "en",
                source="La Russie a ordonné l'évacuation de villages au nom de Moscou.", source_lang="fr"),
    ),
)

_NAME_RE = re.compile(r"(?<![\w'’\-])[A-ZÀ-ÖØ-ÞА-ЯЁІЇЄҐ][a-zà-öø-ÿа-яёіїєґ'’\-]{2,}(?![\w])")
_CYRILLIC = dict(zip("абвгдеёжзийклмнопрстуфхцчшщъыьэюяіїєґ",
                     "a b v g d e e zh z i y k l m n o p r s t u f kh ts ch sh shch - y - e yu ya i yi ye g".split()))
_SKELETON_RULES = (("shch", "sh"), ("sch", "sh"), ("tsch", "ch"), ("tch", "ch"), ("kh", "h"), ("ch", "h"),
                   ("ck", "k"), ("ph", "f"), ("ou", "u"), ("w", "v"), ("j", "i"), ("y", "i"), ("z", "s"),
                   ("ce", "se"), ("ci", "si"), ("c", "k"), ("q", "k"), ("x", "ks"))
# Capitalised source words that are translated, not carried over: demonym and language
# adjectives (Greenlandic, ukrainien, ukrainisch) and temperature scales.
_TRANSLATED_SUFFIXES = ("ic", "ian", "ians", "ish", "ese", "ais", "aise", "ien", "ienne", "isch", "ische", "ischen")
_TRANSLATED_WORDS = frozenset({"celsius", "fahrenheit", "centigrade", "kelvin"})


def skeleton(name: str) -> str:
    """A transliteration-tolerant key of a name: folded, Cyrillic romanised, similar letters merged."""
    text = "".join(_CYRILLIC.get(ch, ch) for ch in name.lower()).replace("-", "")
    text = fold(text)
    for old, new in _SKELETON_RULES:
        text = text.replace(old, new)
    text = re.sub(r"[^a-z]", "", text)
    return re.sub(r"(.)\1+", r"\1", text)


def _is_rare_name(word: str, lang: str | None) -> bool:
    freqs = wordlist(lang or "", "best") if lang else {}
    freq = freqs.get(word.lower()) if freqs else None
    if freq and math.log10(freq) + 9 >= 3.0:
        return False
    if lang == "de" and _german_compound(word.lower()):
        return False
    return True


def _german_compound(word: str) -> bool:
    """Whether a German word splits into two known words (a compound noun, not a name)."""
    freqs = wordlist("de")
    for cut in range(3, len(word) - 3):
        head, tail = word[:cut], word[cut:]
        if tail in freqs and (head in freqs or head.rstrip("s") in freqs):
            return True
    return False


def source_names(text: str, lang: str | None) -> list[str]:
    """Rare capitalised words of a source sentence (not sentence-initial, not acronyms)."""
    names = []
    for m in _NAME_RE.finditer(text):
        before = text[:m.start()].rstrip()
        if not before or before[-1] in ".!?:«“\"„":
            continue
        word = m.group()
        if word.lower() in _TRANSLATED_WORDS or word.lower().endswith(_TRANSLATED_SUFFIXES):
            continue
        if _is_rare_name(word, lang):
            names.append(word)
    return names


def _present(name: str, target: str) -> bool:
    from rapidfuzz import fuzz

    key = skeleton(name)
    if len(key) < 3:
        return True
    for _, _, token in words(target):
        for word in {token, *token.split("-")}:  # compounds: "Grönland-Eisbergs"
            other = skeleton(word)
            if not other:
                continue
            if other.startswith(key[:4]) and len(key) >= 6 or key.startswith(other) and len(other) >= 4:
                return True
            if fuzz.ratio(key, other) >= 75:
                return True
    return False


@check(ENTITIES)
def source_entity_missing(doc: Document, ctx: CheckContext) -> Iterator[Finding]:
    """Rare source names with no (transliterated) counterpart in the aligned translation."""
    doc = with_base_languages(doc)
    pairs = source_pairs(doc, ctx)
    for index, pair in enumerate(pairs):
        if not pair.targets:
            continue
        _, near_target = _neighbours(pairs, index)
        missing = [name for name in dict.fromkeys(source_names(pair.source, doc.source_lang))
                   if not (_present(name, pair.target_text) or _present(name, near_target))]
        if missing:
            shown = ", ".join(f"\"{name}\"" for name in missing)
            yield ENTITIES.finding(doc, pair.start, pair.end,
                                   f"The source names {shown}, which this translation does not mention.",
                                   confidence=0.6 if pair.shape == (1, 1) else 0.5)


# ---------------------------------------------------------------------------------------------
# Copies of the source

IDENTICAL = Rule(
    code="QA603",
    name="target-identical-to-source",
    category=Category.ACCURACY,
    severity=Severity.MAJOR,
    languages=ALL_LANGUAGES,
    needs_source=True,
    explanation=(
        "The translation of this segment is the source, character for character: it was copied "
        "through untranslated. Segments of fewer than three words, without lower-case words "
        "(names, codes, numbers) or when source and target languages are the same are not "
        "reported. Translate the segment."
    ),
    fail_examples=(
        Example("Les autorités n'ont pas précisé les raisons.", "en",
                source="Les autorités n'ont pas précisé les raisons.", source_lang="fr"),
        Example("The authorities did not give any reasons.", "de",
                source="The authorities did not give any reasons.", source_lang="en"),
        Example("Die Behörden nannten keine Gründe.", "fr",
                source="Die Behörden nannten keine Gründe.", source_lang="de"),
    ),
    pass_examples=(
        Example("Volodymyr Zelensky", "en", source="Volodymyr Zelensky", source_lang="fr"),
        Example("The authorities did not give any reasons.", "en",
                source="Les autorités n'ont pas précisé les raisons.", source_lang="fr"),
        Example("OK", "de", source="OK", source_lang="en"),
    ),
)


def _same(a: str, b: str) -> bool:
    return " ".join(a.split()).casefold() == " ".join(b.split()).casefold()


@check(IDENTICAL)
def target_identical_to_source(doc: Document, ctx: CheckContext) -> Iterator[Finding]:
    """Aligned segments whose translation equals their source."""
    doc = with_base_languages(doc)
    if doc.source_lang and doc.target_lang and doc.source_lang.split("-")[0] == doc.target_lang.split("-")[0]:
        return
    for pair in source_pairs(doc, ctx):
        if not pair.targets or not _same(pair.source, pair.target_text):
            continue
        tokens = [w for _, _, w in words(pair.target_text)]
        if len(tokens) < 3 or not any(w.islower() and len(w) >= 3 for w in tokens):
            continue
        yield IDENTICAL.finding(doc, pair.start, pair.end,
                                "This segment is identical to its source: it was not translated.",
                                confidence=0.95)


# ---------------------------------------------------------------------------------------------
# Length ratio

LENGTH = Rule(
    code="QA604",
    name="length-ratio",
    category=Category.ACCURACY,
    severity=Severity.MINOR,
    languages=ALL_LANGUAGES,
    needs_source=True,
    explanation=(
        "The translation of a sentence is far shorter or longer than the language pair's norm "
        "(the document's own target/source length ratio, or a typical ratio for short texts), a "
        "sign that a part was omitted or something was added; or a source sentence has no "
        "translation at all. Sentences under 40 characters are not judged. Compare the sentence "
        "with its source."
    ),
    fail_examples=(
        Example("Russia ordered the evacuation.", "en",
                source="La Russie a ordonné lundi l'évacuation, pour des raisons de « sécurité », de villages "
                "situés à moins de 15 kilomètres de l'Ukraine dans la région russe de Koursk.", source_lang="fr"),
        Example("Die Behörden haben die Gründe für diese Entscheidung nicht näher erläutert, die kommt, "
                "während Moskau in den letzten Tagen die Rückeroberung von einem Dutzend Ortschaften "
                "beansprucht hat, die im August von ukrainischen Truppen besetzt worden waren.", "de",
                source="The authorities gave no reasons.", source_lang="en"),
        Example("Les autorités russes n'ont pas précisé.", "fr",
                source="The Russian authorities have not detailed the reasons for this decision, which comes "
                "as Moscow has claimed in recent days the recapture of a dozen localities.", source_lang="en"),
    ),
    pass_examples=(
        Example("Russia on Monday ordered the evacuation of villages less than 15 kilometers from Ukraine.", "en",
                source="La Russie a ordonné lundi l'évacuation de villages situés à moins de 15 kilomètres "
                "de l'Ukraine.", source_lang="fr"),
        Example("Die Behörden nannten keine Gründe für diese Entscheidung.", "de",
                source="The authorities gave no reasons for this decision.", source_lang="en"),
        Example("Merci.", "fr", source="Thank you very much.", source_lang="en"),
    ),
)

# Typical target/source character-length ratios (target length per source character).
_PAIR_RATIOS = {("en", "de"): 1.15, ("de", "en"): 0.87, ("en", "fr"): 1.15, ("fr", "en"): 0.87,
                ("zh", "en"): 3.5, ("en", "zh"): 0.29, ("ja", "en"): 2.5, ("en", "ja"): 0.4}
_MIN_CHARS = 40
_FACTOR = 2.0


def expected_ratio(doc: Document, pairs: list[Pair]) -> float:
    """The norm: the document's own ratio over at least four beads, else the pair's typical ratio."""
    full = [p for p in pairs if p.targets and p.source]
    if len(full) >= 4:
        src = sum(len(p.source) for p in full)
        tgt = sum(len(p.target_text) for p in full)
        if src:
            return tgt / src
    key = ((doc.source_lang or "").split("-")[0], (doc.target_lang or "").split("-")[0])
    return _PAIR_RATIOS.get(key, 1.0)


@check(LENGTH)
def length_ratio(doc: Document, ctx: CheckContext) -> Iterator[Finding]:
    """Beads whose length ratio is far from the norm, and source sentences left without translation."""
    doc = with_base_languages(doc)
    pairs = source_pairs(doc, ctx)
    norm = expected_ratio(doc, pairs)
    for index, pair in enumerate(pairs):
        if not pair.targets:
            yield from _omitted(doc, pairs, index)
            continue
        src, tgt = len(pair.source), len(pair.target_text)
        if max(src * norm, tgt) < _MIN_CHARS or src == 0:
            continue
        ratio = tgt / (src * norm)
        if pair.shape == (2, 1) and ratio < 0.7:
            yield from _merged_omission(doc, pair, norm)
            continue
        if 1 / _FACTOR <= ratio <= _FACTOR:
            continue
        deviation = abs(math.log(ratio)) - math.log(_FACTOR)
        what = "shorter" if ratio < 1 else "longer"
        yield LENGTH.finding(doc, pair.start, pair.end,
                             f"This translation is {1 / ratio if ratio < 1 else ratio:.1f} times {what} than "
                             f"the source would suggest: something may be {'omitted' if ratio < 1 else 'added'}.",
                             confidence=min(0.85, 0.55 + deviation))


def _merged_omission(doc: Document, pair: Pair, norm: float) -> Iterator[Finding]:
    """A 2-1 bead whose target matches one source sentence alone: the other was probably dropped."""
    tgt = len(pair.target_text)
    for kept, dropped in ((0, 1), (1, 0)):
        ratio = tgt / (max(len(pair.source_parts[kept]), 1) * norm)
        if 0.75 <= ratio <= 1.33 and len(words(pair.source_parts[dropped])) >= 8:
            excerpt = pair.source_parts[dropped]
            excerpt = excerpt if len(excerpt) <= 80 else excerpt[:77] + "..."
            yield LENGTH.finding(doc, pair.start, pair.end,
                                 f"This translation covers only one of two source sentences; \"{excerpt}\" "
                                 f"seems to have no translation.", confidence=0.55)
            return


def _omitted(doc: Document, pairs: list[Pair], index: int) -> Iterator[Finding]:
    pair = pairs[index]
    if len(words(pair.source)) < 8:
        return
    anchor = next((p for p in reversed(pairs[:index]) if p.targets), None) or \
        next((p for p in pairs[index + 1:] if p.targets), None)
    if anchor is None:
        return
    excerpt = pair.source if len(pair.source) <= 80 else pair.source[:77] + "..."
    yield LENGTH.finding(doc, anchor.start, anchor.end,
                         f"The source sentence \"{excerpt}\" next to this one has no translation.",
                         confidence=0.6)
