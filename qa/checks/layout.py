"""Layout and consistency: stray headings and page furniture, duplicates, repeated words, spacing, style drift.

What it catches
    * ``orphan-heading``: a short heading line in the middle of the body that does not look like
      a real subheading (an intertitle of the original page pasted into the text);
    * ``stray-page-furniture``: web-page leftovers such as "Read also", "Advertisement";
    * ``duplicate-sentence``: a sentence or paragraph repeated word for word;
    * ``repeated-word``: "the the" (legitimate doubles such as "had had", "that that",
      German "die die", French "nous nous" are allowed);
    * ``spacing-double``: two or three spaces between words;
    * ``style-drift``: one document writing the same thing two ways ("Mr." and "Mr",
      "per cent" and "%", "kilometres" and "kilometers", "z. B." and "z.B.").

Why MT produces it
    Copy-paste of a web page brings intertitles and furniture along; segment-by-segment
    translation duplicates a segment when the pipeline retries, and each segment follows its own
    spelling and abbreviation habits, so a document drifts between two styles.

Known limits
    Whether a subheading is real cannot be decided from text alone: ``orphan-heading`` reports
    only documents with at most two body headings, headings of at most four words that share no
    word with the text that follows and (in English) are not in title case, as minor findings
    with moderate confidence. Duplicates are not reported across units of bilingual files,
    where repeated strings are normal.
"""
from __future__ import annotations

import json
import re
from functools import lru_cache
from pathlib import Path
from typing import Iterator

from ..context import CheckContext
from ..langid import base_language
from ..model import Category, Document, Finding, Segment, Severity
from ..rules import ALL_LANGUAGES, Example, Rule, check
from ..text import words

_FURNITURE = Path(__file__).resolve().parent.parent / "data" / "locale" / "furniture.json"
_SMALL_WORDS = frozenset("a an and as at but by for from in into nor of on or over the to up with "
                         "vs via per".split())


# ---------------------------------------------------------------------------------------------
# Headings and furniture

ORPHAN_HEADING = Rule(
    code="QA501",
    name="orphan-heading",
    category=Category.DESIGN,
    severity=Severity.MINOR,
    languages=ALL_LANGUAGES,
    explanation=(
        "A short line stands alone between two paragraphs of the body and does not read as a "
        "subheading of what follows: typically an intertitle of the original web page that was "
        "pasted in with the article. Articles with several subheadings, Markdown headings, "
        "title-case headings and headings sharing words with the next paragraph are left alone. "
        "Remove the line, or make it a real subheading."
    ),
    fail_examples=(
        Example("Russia ordered the evacuation of villages near the border.\n"
                "The authorities did not say why.\nLong way\n"
                "Russian troops occupy about 18% of Ukrainian territory.\n"
                "Moscow claims four regions.", "en", span="Long way"),
        Example("Russland ordnete die Evakuierung von Dörfern an.\nDie Behörden nannten keine Gründe.\n"
                "Langer Weg\nRussische Truppen besetzen etwa 18 Prozent des ukrainischen Gebiets.\n"
                "Moskau beansprucht vier Regionen.", "de", span="Langer Weg"),
        Example("La Russie a ordonné l'évacuation de villages.\nLes autorités n'ont pas dit pourquoi.\n"
                "Long chemin\nLes troupes russes occupent environ 18 % du territoire ukrainien.\n"
                "Moscou revendique quatre régions.", "fr", span="Long chemin"),
    ),
    pass_examples=(
        Example("Evacuation Ordered in Kursk\nRussia ordered the evacuation of villages near the border.\n"
                "The authorities did not say why.", "en"),
        Example("Russia ordered the evacuation of villages.\nThe authorities did not say why.\n"
                "Troops gain ground\nRussian troops gain ground in the east every day.\n"
                "Kyiv asks for more weapons.", "en"),
        Example("Russia ordered the evacuation.\n\n## Background\n\nThe offensive began in August.\n"
                "Moscow was surprised.", "en"),
    ),
)


def _content_words(text: str) -> set[str]:
    return {w.lower()[:5] for _, _, w in words(text) if len(w) > 3}


def _is_title_case(text: str) -> bool:
    tokens = [w for _, _, w in words(text)]
    significant = [w for w in tokens[1:] if w.lower() not in _SMALL_WORDS]
    return bool(significant) and all(w[:1].isupper() for w in significant)


def _following_text(doc: Document, index: int, count: int = 2) -> str:
    return " ".join(s.text for s in doc.segments[index + 1:index + 1 + count])


@check(ORPHAN_HEADING)
def orphan_heading(doc: Document, ctx: CheckContext) -> Iterator[Finding]:
    """Short body headings that look like leftovers rather than subheadings."""
    if doc.unit_based:
        return
    segments = doc.segments
    body = [i for i, s in enumerate(segments) if s.kind == "heading" and 0 < i < len(segments) - 1]
    if not body or len(body) > 2:
        return
    for index in body:
        seg = segments[index]
        text = seg.text.strip()
        n_words = len(words(text))
        if text.startswith("#") or n_words > 4 or text[-1:] in ":?" or _is_furniture(text):
            continue
        if (doc.target_lang or "").startswith("en") and _is_title_case(text) and n_words > 1:
            continue
        if segments[index - 1].kind == "heading" or segments[index + 1].kind == "heading":
            continue
        if _content_words(text) & _content_words(_following_text(doc, index)):
            continue
        yield ORPHAN_HEADING.finding(
            doc, seg.start, seg.end,
            "This short line stands alone in the body and does not introduce what follows; "
            "it looks like a heading left over from the original page.",
            confidence=0.6 if len(body) == 1 else 0.5)


FURNITURE = Rule(
    code="QA502",
    name="stray-page-furniture",
    category=Category.DESIGN,
    severity=Severity.MINOR,
    languages=ALL_LANGUAGES,
    explanation=(
        "A line of web-page furniture (\"Read also\", \"Advertisement\", \"Lire aussi\", "
        "\"Anzeige\", share buttons) was copied into the article with the text and translated "
        "or left as is. It is never part of the article: remove it."
    ),
    fail_examples=(
        Example("Russia ordered the evacuation.\nRead also\nThe authorities did not say why.", "en",
                span="Read also"),
        Example("Russland ordnete die Evakuierung an.\nAnzeige\nDie Behörden nannten keine Gründe.", "de",
                span="Anzeige"),
        Example("La Russie a ordonné l'évacuation.\nLire aussi :\nLes autorités n'ont pas dit pourquoi.", "fr",
                span="Lire aussi :"),
        Example("Russia ordered the evacuation.\nLire aussi\nThe authorities did not say why.", "en",
                span="Lire aussi"),
    ),
    pass_examples=(
        Example("Russia ordered the evacuation. Read also the statement of the governor.", "en"),
        Example("Die Anzeige wurde am Montag erstattet.", "de"),
        Example("Il faut lire aussi les conclusions du rapport.", "fr"),
    ),
)


@lru_cache(maxsize=1)
def _furniture_lines() -> frozenset[str]:
    with open(_FURNITURE, encoding="utf-8") as handle:
        return frozenset(json.load(handle)["lines"])


def _is_furniture(line: str) -> bool:
    key = re.sub(r"[\s:.…»>|–—-]+$", "", line.strip()).lower()
    return key in _furniture_lines()


@check(FURNITURE)
def stray_page_furniture(doc: Document, ctx: CheckContext) -> Iterator[Finding]:
    """Lines that are web-page furniture (not in bilingual files, where "Share" is a real UI string)."""
    if doc.unit_based:
        return
    for seg in doc.segments:
        if seg.kind == "heading" or _alone_on_line(doc.text, seg):
            if len(seg.text) <= 40 and _is_furniture(seg.text):
                yield FURNITURE.finding(doc, seg.start, seg.end,
                                        "This line is web-page furniture, not part of the article.",
                                        suggestion="", confidence=0.9)


def _alone_on_line(text: str, seg: Segment) -> bool:
    before = text[:seg.start].rsplit("\n", 1)[-1]
    after = text[seg.end:].split("\n", 1)[0]
    return not before.strip() and not after.strip()


# ---------------------------------------------------------------------------------------------
# Duplicates

DUPLICATE = Rule(
    code="QA503",
    name="duplicate-sentence",
    category=Category.ACCURACY,
    severity=Severity.MAJOR,
    languages=ALL_LANGUAGES,
    explanation=(
        "A sentence of at least six words appears twice in the document, word for word (case, "
        "spacing and final punctuation aside). MT pipelines duplicate segments when a request is "
        "retried or a paragraph is pasted twice. Remove the repetition. Repeated units of "
        "bilingual files are not compared, since repeated strings are normal there."
    ),
    fail_examples=(
        Example("Russia ordered the evacuation of villages near the border. The authorities did not say why. "
                "Russia ordered the evacuation of villages near the border.", "en",
                span="Russia ordered the evacuation of villages near the border."),
        Example("Russland ordnete die Evakuierung der Dörfer an der Grenze an. Die Gründe blieben offen.\n"
                "Russland ordnete die Evakuierung der Dörfer an der Grenze an.", "de",
                span="Russland ordnete die Evakuierung der Dörfer an der Grenze an."),
        Example("La Russie a ordonné l'évacuation des villages frontaliers. Les raisons restent floues. "
                "La Russie a ordonné l'évacuation des villages frontaliers.", "fr",
                span="La Russie a ordonné l'évacuation des villages frontaliers."),
    ),
    pass_examples=(
        Example("He said no. He said no. The talks ended.", "en"),
        Example("Russia ordered the evacuation of villages near the border. Ukraine ordered the "
                "evacuation of villages near the border.", "en"),
        Example("Die Lage ist ernst. Die Gründe blieben offen.", "de"),
    ),
)


def _normalised(text: str) -> str:
    return " ".join(w.lower() for _, _, w in words(text))


@check(DUPLICATE)
def duplicate_sentence(doc: Document, ctx: CheckContext) -> Iterator[Finding]:
    """Later occurrences of a sentence already seen in the document."""
    if doc.unit_based:
        return
    seen: dict[str, Segment] = {}
    for seg in doc.segments:
        if seg.kind != "sentence":
            continue
        key = _normalised(seg.text)
        if len(key.split()) < 6:
            continue
        if key in seen:
            yield DUPLICATE.finding(doc, seg.start, seg.end,
                                    "This sentence repeats an earlier sentence of the document word for word.",
                                    suggestion="", confidence=0.9)
        else:
            seen[key] = seg


# ---------------------------------------------------------------------------------------------
# Repeated words

REPEATED_WORD = Rule(
    code="QA504",
    name="repeated-word",
    category=Category.FLUENCY,
    severity=Severity.MINOR,
    languages=ALL_LANGUAGES,
    explanation=(
        "The same word is written twice in a row (\"the the\"), a typing or MT stutter. "
        "Grammatical doubles are allowed: English \"had had\", \"that that\", \"is is\"; German "
        "\"die die\", \"der der\", \"das das\"; French \"nous nous\", \"vous vous\"; and "
        "capitalised doubles, which are usually names (Bora Bora). Delete one."
    ),
    fail_examples=(
        Example("The army announced that it had regained the the ground.", "en", span="the the", suggestion="the"),
        Example("Die Armee meldete, dass sie sie Gelände zurückgewonnen habe und und weiter vorrücke.", "de",
                span="und und", suggestion="und"),
        Example("L'armée a annoncé avoir repris du du terrain.", "fr", span="du du", suggestion="du"),
        Example("Ukraine launched an an attack in August.", "en", span="an an", suggestion="an"),
    ),
    pass_examples=(
        Example("He had had enough of the war.", "en"),
        Example("He said that that decision was wrong.", "en"),
        Example("Die Frauen, die die Demonstration organisierten, wurden festgenommen.", "de"),
        Example("Die Frau die die Demonstration organisierte, wurde festgenommen.", "de"),
        Example("Nous nous sommes rendus à Kiev.", "fr"),
        Example("They flew to Bora Bora.", "en"),
    ),
)

_ALLOWED_DOUBLES = {
    "en": {"had", "that", "is", "do", "bye", "very", "no", "ha", "so", "well", "knock", "tut", "blah", "yeah",
           "go", "chop", "yada", "boo", "hush", "pooh"},
    "de": {"die", "der", "das", "den", "dem", "des", "sie", "ha", "na", "so", "nein", "ja", "sehr"},
    "fr": {"nous", "vous", "si", "non", "oui", "très", "ha", "bon", "tout", "plus"},
}
_REPEAT_RE = re.compile(r"(?<![\w'’-])(\w+)([ \t]+|[ \t]*\r?\n[ \t]*)(\w+)(?![\w'’-])")


@check(REPEATED_WORD)
def repeated_word(doc: Document, ctx: CheckContext) -> Iterator[Finding]:
    """Words written twice in a row, except grammatical doubles and names."""
    allowed = _ALLOWED_DOUBLES.get(base_language(doc.target_lang) or "", set())
    text = doc.text
    pos = 0
    while True:
        m = _REPEAT_RE.search(text, pos)
        if m is None:
            return
        pos = m.start(3)  # overlap: "the the the" yields two findings
        first, second = m.group(1), m.group(3)
        if first.lower() != second.lower() or first.isdigit() or first.lower() in allowed:
            continue
        if "\n" in m.group(2) and not second.islower():
            continue  # a new line starting with the same word: a new sentence or heading
        if second[:1].isupper() and first[:1].isupper():
            continue  # names such as "Bora Bora", "Baden Baden"
        yield REPEATED_WORD.finding(doc, m.start(), m.end(), f"The word \"{first}\" is written twice in a row.",
                                    suggestion=first, confidence=0.9)


# ---------------------------------------------------------------------------------------------
# Double spaces

DOUBLE_SPACE = Rule(
    code="QA505",
    name="spacing-double",
    category=Category.FLUENCY,
    severity=Severity.MINOR,
    languages=ALL_LANGUAGES,
    explanation=(
        "Two or three spaces separate words inside a line, usually where MT or an editor removed "
        "a word or a tag. Lines that look like aligned columns (several wide gaps) are left "
        "alone. Use a single space."
    ),
    fail_examples=(
        Example("Russia on Monday ordered  the evacuation of villages.", "en", span="  ", suggestion=" "),
        Example("Russland ordnete am Montag die  Evakuierung an.", "de", span="  ", suggestion=" "),
        Example("La Russie a ordonné lundi  l'évacuation des villages.", "fr", span="  ", suggestion=" "),
    ),
    pass_examples=(
        Example("Russia on Monday ordered the evacuation of villages.", "en"),
        Example("Name      Age      City\nAnna      34       Kyiv", "en"),
        Example("    Indented first line of a paragraph.", "en"),
    ),
)

_DOUBLE_SPACE_RE = re.compile(r"(?<=\S)( {2,3})(?=\S)")


@check(DOUBLE_SPACE)
def spacing_double(doc: Document, ctx: CheckContext) -> Iterator[Finding]:
    """Runs of two or three spaces between words, outside column-aligned lines."""
    text = doc.text
    for line in re.finditer(r"[^\r\n]+", text):
        if len(re.findall(r"\S {2,}\S", line.group())) > 1 or "   " * 2 in line.group().strip():
            continue
        for m in _DOUBLE_SPACE_RE.finditer(line.group()):
            start = line.start() + m.start()
            yield DOUBLE_SPACE.finding(doc, start, start + len(m.group()), "Several spaces where one is expected.",
                                       suggestion=" ", confidence=0.95)


# ---------------------------------------------------------------------------------------------
# Style drift

STYLE_DRIFT = Rule(
    code="QA506",
    name="style-drift",
    category=Category.STYLE,
    severity=Severity.MINOR,
    languages=("en", "de", "fr"),
    explanation=(
        "The document writes the same thing in two ways: an honorific with and without a point "
        "(\"Mr.\" and \"Mr\"), \"per cent\", \"percent\" and \"%\", British and American spellings "
        "of one word, \"U.S.\" and \"US\", \"z. B.\" and \"z.B.\". Segments translated "
        "separately pick different styles. The less frequent form is reported with the "
        "document's main form as the fix (on a tie, the later form)."
    ),
    fail_examples=(
        Example("Mr. Sybiga said on X that Kyiv was ready. \"There is still a long way to go,\" Mr Zelensky said.",
                "en", span="Mr", suggestion="Mr."),
        Example("Unemployment rose by 5 per cent, while prices rose 3 per cent and wages 2%.", "en",
                span="%", suggestion=" per cent"),
        Example("The villages lie 15 kilometres from the border, about 20 kilometers from Kursk.", "en",
                span="kilometers", suggestion="kilometres"),
        Example("Die Preise stiegen um 5 Prozent, die Löhne um 2 Prozent und die Mieten um 3 %.", "de",
                span=" %", suggestion=" Prozent"),
        Example("Große Städte, z. B. Kiew, und kleinere, z.B. Sumy, sind betroffen.", "de",
                span="z.B.", suggestion="z. B."),
        Example("Le chômage a baissé de 5 % et les prix de 3 pour cent.", "fr",
                span=" pour cent", suggestion=" %"),
    ),
    pass_examples=(
        Example("Mr. Sybiga said on X that Kyiv was ready. Mr. Zelensky agreed.", "en"),
        Example("Mr Sybiga said on X that Kyiv was ready. Mr Zelensky agreed.", "en"),
        Example("Unemployment rose by 5% and prices by 3%.", "en"),
        Example("Die Preise stiegen um 5 Prozent und die Löhne um 2 Prozent.", "de"),
        Example("Le chômage a baissé de 5 % et les prix de 3 %.", "fr"),
    ),
)

# Each group: the forms one thing is written in; each form is (label, pattern, replacement).
_DRIFT_GROUPS: dict[str, list[list[tuple[str, str, str]]]] = {
    "en": [
        *[[(f"{h}.", rf"\b{h}\.(?= [A-Z])", f"{h}."), (h, rf"\b{h}(?= [A-Z])", h)]
          for h in ("Mr", "Mrs", "Ms", "Dr", "Prof", "St")],
        [("%", r"(?<=\d) ?%", "%"), ("per cent", r"(?<=\d) per cent\b", " per cent"),
         ("percent", r"(?<=\d) percent\b", " percent")],
        [("kilometres", r"\bkilometres?\b", "kilometres"), ("kilometers", r"\bkilometers?\b", "kilometers")],
        [("organisation", r"\borganisations?\b", "organisation"), ("organization", r"\borganizations?\b", "organization")],
        [("U.S.", r"(?<![\w.])U\.S\.(?!\w)", "U.S."), ("US", r"(?<![\w.])US(?![\w.])", "US")],
        [("U.N.", r"(?<![\w.])U\.N\.(?!\w)", "U.N."), ("UN", r"(?<![\w.])UN(?![\w.])", "UN")],
        [("e-mail", r"\be-mail\b", "e-mail"), ("email", r"\bemail\b", "email")],
    ],
    "de": [
        [("Prozent", r"(?<=\d) Prozent\b", " Prozent"), ("%", r"(?<=\d) ?%", " %")],
        [("z. B.", r"\bz\. B\.", "z. B."), ("z.B.", r"\bz\.B\.", "z.B.")],
        [("u. a.", r"\bu\. a\.", "u. a."), ("u.a.", r"\bu\.a\.", "u.a.")],
        [("d. h.", r"\bd\. h\.", "d. h."), ("d.h.", r"\bd\.h\.", "d.h.")],
    ],
    "fr": [
        [("%", r"(?<=\d) ?%", " %"), ("pour cent", r"(?<=\d) pour cent\b", " pour cent")],
        [("Mme", r"\bMme(?= [A-Z])", "Mme"), ("Mme.", r"\bMme\.(?= [A-Z])", "Mme.")],
    ],
}


def _required_literal(pattern: str) -> str:
    """Text every match of a drift ``pattern`` contains (lookarounds, ``\\b`` and optional
    characters removed; "" when the pattern has other syntax), a cheap test before the scan."""
    text = re.sub(r"\(\?<?[=!][^)]*\)|\\b", "", pattern)
    text = re.sub(r"(\\.|.)\?", "", text)
    text = text.replace("\\.", ".")
    return "" if re.search(r"[\\()\[\]{}*+?|^$]", text) else text


_LITERALS = {pattern: _required_literal(pattern)
             for groups in _DRIFT_GROUPS.values() for group in groups for _, pattern, _ in group}


@lru_cache(maxsize=8)
def _compiled_groups(lang: str) -> list[list[tuple[str, re.Pattern[str], str]]]:
    return [[(label, re.compile(pattern), fix) for label, pattern, fix in group]
            for group in _DRIFT_GROUPS.get(lang, [])]


@check(STYLE_DRIFT)
def style_drift(doc: Document, ctx: CheckContext) -> Iterator[Finding]:
    """Minority forms of things the document writes in two ways."""
    lang = base_language(doc.target_lang) or ""
    for group in _compiled_groups(lang):
        found = {label: list(pattern.finditer(doc.text)) if _LITERALS[pattern.pattern] in doc.text else []
                 for label, pattern, _ in group}
        used = {label: hits for label, hits in found.items() if hits}
        if len(used) < 2:
            continue
        main = max(used, key=lambda label: (len(used[label]), -used[label][0].start()))
        fix = next(f for label, _, f in group if label == main)
        for label, hits in used.items():
            if label == main:
                continue
            for m in hits:
                tie = len(used[main]) == len(hits)
                message = (f"The document writes both \"{main}\" (first) and \"{label}\"; use one form."
                           if tie else f"The document mostly writes \"{main}\" but here writes \"{label}\".")
                yield STYLE_DRIFT.finding(doc, m.start(), m.end(), message,
                                          suggestion=fix, confidence=0.6 if tie else 0.8)
