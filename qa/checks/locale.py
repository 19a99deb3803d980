"""Locale conventions of the target language: numbers, spacing, quotation marks, dates, times, currency.

What it catches
    Decimal marks and thousands separators of the source locale ("3,5 billion", "12 000
    people" in English; "150,000" in German), French spacing before ``: ; ! ?`` in English or
    German and its absence in French, quotation marks of another language (« » or „ “ in
    English, “ ” in German), quotation styles mixed in one document, foreign time notations
    ("14h30" in English, "2 p.m." in German or French), German and French date forms
    ("August 6" in German), day-month and month-day dates mixed in one English document, and
    the currency symbol on the wrong side of the amount.

Why MT produces it
    Engines copy numbers, punctuation and spacing through unchanged, so the source locale's
    conventions leak into the target; separate segments are translated independently, so one
    document ends up with two quotation or date styles.

Known limits
    Conventions are those of the main national standard (en, de-DE, fr-FR); Swiss and Canadian
    French spacing, Swiss German guillemets and apostrophe grouping are accepted rather than
    enforced. A number such as "1,500" in German (one and a half, or a leaked 1,500?) is only
    reported when the context makes the grouping clear. Conventions exist as data for English,
    German and French (``qa/data/locale/conventions.json``).
"""
from __future__ import annotations

import json
import re
from functools import lru_cache
from pathlib import Path
from typing import Iterator

from ..context import CheckContext
from ..langid import base_language, language_name
from ..model import Category, Document, Finding, Severity
from ..rules import Example, Rule, check
from ..text import paragraphs
from .language import quoted_spans

_DATA = Path(__file__).resolve().parent.parent / "data" / "locale" / "conventions.json"
_SPACES = " \u00a0\u202f\u2009"
NNBSP = "\u202f"
NBSP = "\u00a0"


@lru_cache(maxsize=1)
def conventions() -> dict:
    """Per-language conventions (units, months, separators) from the packaged data file."""
    with open(_DATA, encoding="utf-8") as handle:
        data = json.load(handle)
    return {k: v for k, v in data.items() if not k.startswith("_")}


@lru_cache(maxsize=8)
def _unit_re(lang: str) -> re.Pattern[str]:
    units = sorted(conventions()[lang]["units"], key=len, reverse=True)
    alternatives = "|".join(re.escape(u) for u in units)
    return re.compile(rf"[ \u00a0\u202f\u2009]?(?:{alternatives})(?![\w])")


def _unit_follows(text: str, end: int, lang: str) -> bool:
    return bool(_unit_re(lang).match(text, end))


def _currency_before(text: str, start: int) -> bool:
    return bool(re.search(r"[€$£¥][ \u00a0]?$", text[max(0, start - 2):start]))


# ---------------------------------------------------------------------------------------------
# Decimal separators

# Languages that write 3,5: every language of the conventions file whose decimal mark is a comma.
COMMA_DECIMAL_LANGUAGES = tuple(lang for lang, data in conventions().items() if data["decimal"] == ",")

DECIMAL = Rule(
    code="QA401",
    name="number-decimal-separator",
    category=Category.LOCALE,
    severity=Severity.MINOR,
    languages=("en", *COMMA_DECIMAL_LANGUAGES),
    explanation=(
        "The decimal mark is the source locale's: English writes 3.5; "
        + ", ".join(language_name(lang) for lang in COMMA_DECIMAL_LANGUAGES) + " write 3,5. A leaked mark makes "
        "the number hard to read or ambiguous (in English \"1,5 million\" reads like a list). In "
        "the decimal-comma languages a decimal point is reported only before a unit, a "
        "percentage, a currency or a scale word, since it also appears in version numbers and "
        "dates. Spanish is not covered: Spain writes 3,5, Mexico and the United States 3.5. "
        "Replace the mark."
    ),
    fail_examples=(
        Example("Moscow plans to spend 3,5 billion dollars on the project.", "en", span="3,5", suggestion="3.5"),
        Example("Inflation rose to 2,75% in August.", "en", span="2,75", suggestion="2.75"),
        Example("Die Regierung will 3.5 Milliarden Euro investieren.", "de", span="3.5", suggestion="3,5"),
        Example("Le chômage a atteint 7.4 % au deuxième trimestre.", "fr", span="7.4", suggestion="7,4"),
        Example("Длина моста составляет около 1.5 километра.", "ru", span="1.5", suggestion="1,5"),
        Example("Бюджет програми становить 2.7 млрд гривень.", "uk", span="2.7", suggestion="2,7"),
        Example("L'inflazione è salita al 5.4 per cento in ottobre.", "it", span="5.4", suggestion="5,4"),
        Example("Deficyt wyniesie 3.5 proc. PKB.", "pl", span="3.5", suggestion="3,5"),
    ),
    pass_examples=(
        Example("Moscow plans to spend 3.5 billion dollars on the project.", "en"),
        Example("This led to the evacuation of around 150,000 civilians.", "en"),
        Example("Die Regierung will 3,5 Milliarden Euro investieren.", "de"),
        Example("Version 2.1 der Software erschien am 6.8.2024.", "de"),
        Example("Le chômage a atteint 7,4 % au deuxième trimestre.", "fr"),
        Example("Scores of 1,2,3 were given.", "en"),
        Example("Длина моста составляет около 1,5 километра, версия 2.1 вышла в мае.", "ru"),
        Example("De update naar versie 4.2 verscheen op 1.3 van het jaar; de groei was 2,5 procent.", "nl"),
    ),
)

_EN_DECIMAL_COMMA = re.compile(r"(?<![\d.,])(\d+),(\d{1,2}|\d{4,})(?![\d,]|\.\d)")
_DOT_DECIMAL = re.compile(r"(?<![\d.,])(\d+)\.(\d{1,2})(?![\d.])")


@check(DECIMAL)
def decimal_separator(doc: Document, ctx: CheckContext) -> Iterator[Finding]:
    """Decimal commas in English, decimal points before units in the decimal-comma languages."""
    lang = base_language(doc.target_lang) or ""
    text = doc.text
    if lang == "en":
        for m in _EN_DECIMAL_COMMA.finditer(text):
            if text[m.end():m.end() + 1] == "," or _in_list(text, m.start()):
                continue
            if text[m.start() - 1:m.start()] in "[(" and text[m.end():m.end() + 1] in ")]" and m.start() > 0:
                continue  # coordinates or a pair such as "[0,0]"
            unit = _unit_follows(text, m.end(), lang) or _currency_before(text, m.start())
            yield DECIMAL.finding(
                doc, m.start(), m.end(),
                "English uses a decimal point, not a decimal comma.",
                suggestion=f"{m.group(1)}.{m.group(2)}", confidence=0.9 if unit else 0.75)
        return
    for m in _DOT_DECIMAL.finditer(text):
        if not (_unit_follows(text, m.end(), lang) or _currency_before(text, m.start())):
            continue
        if re.match(r"\s?(?:Uhr|h\b)", text[m.end():m.end() + 5]):
            continue
        yield DECIMAL.finding(
            doc, m.start(), m.end(),
            f"{language_name(lang)} uses a decimal comma, not a decimal point.",
            suggestion=f"{m.group(1)},{m.group(2)}", confidence=0.9)


def _in_list(text: str, start: int) -> bool:
    """Whether the number follows another number and a comma (a list such as "1,2,3" or "2, 3,5")."""
    return bool(re.search(r"\d,\s?$", text[max(0, start - 3):start]))


# ---------------------------------------------------------------------------------------------
# Thousands separators

THOUSANDS = Rule(
    code="QA402",
    name="number-thousands-separator",
    category=Category.LOCALE,
    severity=Severity.MINOR,
    languages=("en", "de", "fr"),
    explanation=(
        "Digits are grouped with the source locale's separator. English groups with commas "
        "(150,000), German with points or thin spaces (150.000), French with (narrow no-break) "
        "spaces (150 000). A comma grouping in German or French reads as a decimal comma, and "
        "a point grouping in English as a decimal point, so the number changes for the reader. "
        "Replace the separators."
    ),
    fail_examples=(
        Example("The flooding forced 12 000 people from their homes.", "en", span="12 000", suggestion="12,000"),
        Example("This led to the evacuation of around 150.000 civilians.", "en", span="150.000", suggestion="150,000"),
        Example("Die Evakuierung betraf rund 150,000 Zivilisten.", "de", span="150,000", suggestion="150.000"),
        Example("L'évacuation a concerné environ 1,500,000 civils.", "fr", span="1,500,000",
                suggestion="1\u202f500\u202f000"),
    ),
    pass_examples=(
        Example("This led to the evacuation of around 150,000 civilians.", "en"),
        Example("Die Evakuierung betraf rund 150.000 Zivilisten.", "de"),
        Example("Die Evakuierung betraf rund 150 000 Zivilisten.", "de"),
        Example("L'évacuation a concerné environ 150 000 civils.", "fr"),
        Example("Call 020 7946 0958 for details.", "en"),
        Example("The ratio was 1.500 to 1.", "en"),
    ),
)

_SPACE_GROUPED = re.compile(r"(?<![\d.,])(?<!\d[ \u00a0\u202f\u2009])\d{1,3}(?:[ \u00a0\u202f\u2009]\d{3})+(?![\d]|[.,]\d)")
_DOT_GROUPED = re.compile(r"(?<![\d.,])[1-9]\d{0,2}(?:\.\d{3})+(?![\d]|[.,]\d)")
_COMMA_GROUPED = re.compile(r"(?<![\d.,])[1-9]\d{0,2}(?:,\d{3})+(?![\d]|[.,]\d)")
_APOSTROPHE_GROUPED = re.compile(r"(?<![\d.,'’])[1-9]\d{0,2}(?:['’]\d{3})+(?![\d])")


def _digits(number: str) -> str:
    return re.sub(r"\D", "", number)


def _grouped(digits: str, separator: str) -> str:
    head = len(digits) % 3 or 3
    groups = [digits[:head]] + [digits[i:i + 3] for i in range(head, len(digits), 3)]
    return separator.join(groups)


@check(THOUSANDS)
def thousands_separator(doc: Document, ctx: CheckContext) -> Iterator[Finding]:
    """Digit groupings that belong to another locale."""
    lang = base_language(doc.target_lang) or ""
    text = doc.text
    wanted = {"en": ",", "de": ".", "fr": NNBSP}[lang]
    for m, confidence in _leaked_groupings(text, lang):
        name = {"en": "English", "de": "German", "fr": "French"}[lang]
        yield THOUSANDS.finding(
            doc, m.start(), m.end(),
            f"{name} does not group digits this way; the separator leaked from the source locale.",
            suggestion=_grouped(_digits(m.group()), wanted), confidence=confidence)


def _leaked_groupings(text: str, lang: str) -> Iterator[tuple[re.Match[str], float]]:
    if lang == "en":
        for m in _SPACE_GROUPED.finditer(text):
            if _phone_like(text, m):
                continue
            hard = any(ch in m.group() for ch in "\u00a0\u202f\u2009")
            yield m, 0.9 if hard or _unit_follows(text, m.end(), lang) else 0.8
        for m in _DOT_GROUPED.finditer(text):
            groups = m.group().split(".")
            if len(groups) > 2 or groups[-1] == "000":
                yield m, 0.85
        for m in _APOSTROPHE_GROUPED.finditer(text):
            yield m, 0.85
        return
    for m in _COMMA_GROUPED.finditer(text):
        groups = m.group().split(",")
        if len(groups) > 2 or groups[-1] == "000":
            yield m, 0.85  # "1,500" may be one and a half: only unambiguous groupings
    if lang == "fr":
        for m in _DOT_GROUPED.finditer(text):
            if len(m.group().split(".")) > 2:
                yield m, 0.7


def _phone_like(text: str, m: re.Match[str]) -> bool:
    """Telephone numbers and codes: a leading zero or a following digit group."""
    return m.group().startswith("0") or bool(re.match(r"[ \u00a0]\d", text[m.end():m.end() + 2]))


# ---------------------------------------------------------------------------------------------
# Spacing before punctuation

SPACE_BEFORE = Rule(
    code="QA403",
    name="spacing-before-punctuation",
    category=Category.LOCALE,
    severity=Severity.MINOR,
    languages=("en", "de", "es", "it", "pt", "nl", "pl", "sv", "da", "nb", "fi", "cs"),
    explanation=(
        "A space before a colon, semicolon, exclamation or question mark is French typography; "
        "English and German write the mark directly after the word. MT copies the French "
        "spacing. Remove the space."
    ),
    fail_examples=(
        Example("He added : \"We are ready.\"", "en", span=" :", suggestion=":"),
        Example("Is this the end of the offensive ? Nobody knows.", "en", span=" ?", suggestion="?"),
        Example("Er sagte : „Wir sind bereit.“", "de", span=" :", suggestion=":"),
        Example("Was für ein Erfolg !", "de", span=" !", suggestion="!"),
    ),
    pass_examples=(
        Example("He added: \"We are ready.\"", "en"),
        Example("The score was 3 : 1 at half time.", "en"),
        Example("Er sagte: „Wir sind bereit.“", "de"),
        Example("Was für ein Erfolg!", "de"),
    ),
)

_SPACE_BEFORE_RE = re.compile(r"(?<=[\w\"”’»)\]])([ \u00a0\u202f\u2009]+)([:;!?])(?=[\s\"“”»«]|$)")


@check(SPACE_BEFORE)
def spacing_before_punctuation(doc: Document, ctx: CheckContext) -> Iterator[Finding]:
    """French-style spaces before ``: ; ! ?`` in languages that do not use them."""
    text = doc.text
    for m in _SPACE_BEFORE_RE.finditer(text):
        before = text[m.start() - 1]
        after = text[m.end():m.end() + 2].strip()
        if m.group(2) == ":" and before.isdigit() and after[:1].isdigit():
            continue  # a score or ratio "3 : 1"
        yield SPACE_BEFORE.finding(
            doc, m.start(), m.end(),
            "This language puts no space before this punctuation mark (the space is French typography).",
            suggestion=m.group(2), confidence=0.9)


FRENCH_SPACING = Rule(
    code="QA404",
    name="spacing-french-punctuation",
    category=Category.LOCALE,
    severity=Severity.MINOR,
    languages=("fr",),
    explanation=(
        "French typography puts a (narrow) no-break space before a colon, semicolon, exclamation "
        "and question mark, and inside guillemets « ». MT copies the English spacing. Insert a "
        "no-break space (U+00A0 before a colon, U+202F before ; ! ? and inside guillemets). "
        "Swiss and Canadian usage omit it before ; ! ?, so those are reported with lower confidence."
    ),
    fail_examples=(
        Example("Il a ajouté: « Nous sommes prêts. »", "fr", span=":", suggestion="\u00a0:"),
        Example("Est-ce la fin de l'offensive? Personne ne le sait.", "fr", span="?", suggestion="\u202f?"),
        Example("Il a dénoncé une «pure provocation».", "fr", span="«", suggestion="«\u202f"),
        Example("Quelle victoire!", "fr", span="!", suggestion="\u202f!"),
    ),
    pass_examples=(
        Example("Il a ajouté : « Nous sommes prêts. »", "fr"),
        Example("Est-ce la fin de l'offensive ? Personne ne le sait.", "fr"),
        Example("Rendez-vous à 14:30 sur https://example.org pour la suite.", "fr"),
        Example("Il a dénoncé une « pure provocation ».", "fr"),
    ),
)

_FR_MISSING_BEFORE = re.compile(r"(?<=[\w)\]’\"»])([:;!?])(?=[\s\"«»)]|$)")
_FR_GUILLEMET_OPEN = re.compile(r"«(?=[^\s\u00a0\u202f\u2009])")
_FR_GUILLEMET_CLOSE = re.compile(r"(?<=[^\s\u00a0\u202f\u2009])»")


@check(FRENCH_SPACING)
def spacing_french_punctuation(doc: Document, ctx: CheckContext) -> Iterator[Finding]:
    """Missing no-break spaces before ``: ; ! ?`` and inside guillemets in French."""
    text = doc.text
    for m in _FR_MISSING_BEFORE.finditer(text):
        mark = m.group(1)
        if mark == ":" and re.match(r"//", text[m.end():m.end() + 2]):
            continue
        space = NBSP if mark == ":" else NNBSP
        yield FRENCH_SPACING.finding(
            doc, m.start(), m.end(),
            "French puts a no-break space before this punctuation mark.",
            suggestion=space + mark, confidence=0.9 if mark == ":" else 0.7)
    for m in _FR_GUILLEMET_OPEN.finditer(text):
        yield FRENCH_SPACING.finding(doc, m.start(), m.end(),
                                     "French puts a no-break space after an opening guillemet.",
                                     suggestion="«" + NNBSP, confidence=0.9)
    for m in _FR_GUILLEMET_CLOSE.finditer(text):
        if "«" not in text[max(0, m.start() - 400):m.start()]:
            continue  # a lone » used as a separator, not a quotation
        yield FRENCH_SPACING.finding(doc, m.start(), m.end(),
                                     "French puts a no-break space before a closing guillemet.",
                                     suggestion=NNBSP + "»", confidence=0.9)


# ---------------------------------------------------------------------------------------------
# Quotation marks

FOREIGN_QUOTES = Rule(
    code="QA405",
    name="quote-style-foreign",
    category=Category.LOCALE,
    severity=Severity.MINOR,
    languages=("en", "de", "fr"),
    explanation=(
        "The quotation marks belong to another language: guillemets « » or low-high „ “ in "
        "English, English “ ” in German (whose quotes are „ “ or » «), German „ “ in French. MT "
        "keeps the source's marks. Use the target language's quotation marks."
    ),
    fail_examples=(
        Example("Peskov denounced a «pure provocation».", "en", span="«pure provocation»",
                suggestion="“pure provocation”"),
        Example("Peskov denounced a „pure provocation“.", "en", span="„pure provocation“",
                suggestion="“pure provocation”"),
        Example("Peskow sprach von einer “reinen Provokation”.", "de", span="“reinen Provokation”",
                suggestion="„reinen Provokation“"),
        Example("Peskov a dénoncé une „pure provocation“.", "fr", span="„pure provocation“",
                suggestion="«\u202fpure provocation\u202f»"),
    ),
    pass_examples=(
        Example("Peskov denounced a “pure provocation”.", "en"),
        Example("Peskow sprach von einer „reinen Provokation“.", "de"),
        Example("Peskow sprach von einer »reinen Provokation«.", "de"),
        Example("Peskov a dénoncé une « pure provocation ».", "fr"),
        Example("Home » World » Europe", "en"),
    ),
)

_STYLE_OF_OPENER = {"“": "curly", '"': "straight", "«": "guillemets", "„": "low", "»": "reversed"}
_FOREIGN_STYLES = {"en": {"guillemets", "low", "reversed"}, "de": {"curly"}, "fr": {"low"}}


def document_quotations(text: str) -> list[tuple[int, int, str]]:
    """Top-level quotations of every paragraph: (start, end, style) with style from the opening mark."""
    found = []
    for para in paragraphs(text):
        chunk = text[para.start:para.end]
        for start, end in quoted_spans(chunk):
            opener, closer = chunk[start], chunk[end - 1]
            style = _STYLE_OF_OPENER.get(opener)
            if style == "curly" and closer != "”":
                style = "low-closing"  # “…“ is a German closing mark used as an opener
            if style:
                found.append((para.start + start, para.start + end, style))
    return found


def requote(inner: str, lang: str) -> str:
    """``inner`` between the primary quotation marks of ``lang``."""
    if lang == "de":
        return f"„{inner}“"
    if lang == "fr":
        return f"«{NNBSP}{inner.strip()}{NNBSP}»"
    return f"“{inner}”"


@check(FOREIGN_QUOTES)
def quote_style_foreign(doc: Document, ctx: CheckContext) -> Iterator[Finding]:
    """Quotations whose marks belong to another language."""
    lang = base_language(doc.target_lang) or ""
    foreign = _FOREIGN_STYLES.get(lang, set())
    for start, end, style in document_quotations(doc.text):
        if style not in foreign:
            continue
        inner = doc.text[start + 1:end - 1]
        yield FOREIGN_QUOTES.finding(
            doc, start, end,
            "These quotation marks are not the target language's.",
            suggestion=requote(inner, lang), confidence=0.9)


MIXED_QUOTES = Rule(
    code="QA406",
    name="quote-style-mixed",
    category=Category.LOCALE,
    severity=Severity.MINOR,
    languages=("en", "de", "fr"),
    explanation=(
        "The document quotes in two styles (curly “ ” and straight \" \", or « » and “ ”), a "
        "sign that segments were translated separately or pasted from different sources. The "
        "less frequent style is reported with the document's main style as the fix; quotations "
        "nested inside others are left alone."
    ),
    fail_examples=(
        Example("He called it a “provocation”. Peskov spoke of “lies”. Later he said \"no comment\".",
                "en", span="\"no comment\"", suggestion="“no comment”"),
        Example("Er sprach von „Lügen“. Peskow nannte es „Provokation“. Dann sagte er \"kein Kommentar\".",
                "de", span="\"kein Kommentar\"", suggestion="„kein Kommentar“"),
        Example("Il a parlé de « mensonges ». Peskov a dénoncé une « provocation ». Puis : “aucun commentaire”.",
                "fr", span="“aucun commentaire”", suggestion="«\u202faucun commentaire\u202f»"),
    ),
    pass_examples=(
        Example("He called it a “provocation”. Peskov spoke of “lies”.", "en"),
        Example("He said: “They called it ‘a provocation’ yesterday.”", "en"),
        Example("Er sprach von „Lügen“. Peskow nannte es „Provokation“.", "de"),
        Example("Il a parlé de « mensonges » et d'une « provocation ».", "fr"),
    ),
)


@check(MIXED_QUOTES)
def quote_style_mixed(doc: Document, ctx: CheckContext) -> Iterator[Finding]:
    """Quotations in the minority style of a document that uses two."""
    lang = base_language(doc.target_lang) or ""
    quotes = [q for q in document_quotations(doc.text) if q[2] not in _FOREIGN_STYLES.get(lang, set())]
    counts: dict[str, int] = {}
    first_seen: dict[str, int] = {}
    for start, _, style in quotes:
        counts[style] = counts.get(style, 0) + 1
        first_seen.setdefault(style, start)
    if len(counts) < 2:
        return
    main = max(counts, key=lambda s: (counts[s], -first_seen[s]))
    for start, end, style in quotes:
        if style == main:
            continue
        inner = doc.text[start + 1:end - 1]
        yield MIXED_QUOTES.finding(
            doc, start, end,
            "This quotation uses a different style of quotation marks from the rest of the document.",
            suggestion=requote(inner, lang) if main != "straight" else f'"{inner}"',
            confidence=0.8 if counts[main] > counts[style] else 0.6)


# ---------------------------------------------------------------------------------------------
# Times and dates

TIME_FORMAT = Rule(
    code="QA407",
    name="time-format",
    category=Category.LOCALE,
    severity=Severity.MINOR,
    languages=("en", "de", "fr"),
    explanation=(
        "The time is written in another language's notation: \"14h30\" is French, English writes "
        "14:30 or 2:30 p.m.; German writes 14:30 Uhr or 14.30 Uhr; French does not use a.m. and "
        "p.m. MT copies the source's notation. Rewrite the time."
    ),
    fail_examples=(
        Example("The meeting began at 14h30 in Kyiv.", "en", span="14h30", suggestion="14:30"),
        Example("Die Sitzung begann um 14h30 in Kiew.", "de", span="14h30", suggestion="14:30 Uhr"),
        Example("La réunion a commencé à 2:30 p.m. à Kiev.", "fr", span="2:30 p.m.", suggestion="14 h 30"),
        Example("Die Sitzung begann um 2 pm in Kiew.", "de", span="2 pm", suggestion="14 Uhr"),
    ),
    pass_examples=(
        Example("The meeting began at 14:30 in Kyiv.", "en"),
        Example("The meeting began at 2:30 p.m. in Kyiv.", "en"),
        Example("Die Sitzung begann um 14.30 Uhr in Kiew.", "de"),
        Example("La réunion a commencé à 14h30 à Kiev.", "fr"),
        Example("It was a 4h drive to Kharkiv.", "en"),
    ),
)

_H_TIME = re.compile(r"(?<![\w.,:])([01]?\d|2[0-3]) ?h ?([0-5]\d)(?![\w])")
_AMPM_TIME = re.compile(r"(?<![\w.,:])(1[0-2]|0?[1-9])(?::([0-5]\d))? ?([ap])\.? ?m\.?(?![\w])", re.I)


@check(TIME_FORMAT)
def time_format(doc: Document, ctx: CheckContext) -> Iterator[Finding]:
    """Times in a notation of another language."""
    lang = base_language(doc.target_lang) or ""
    text = doc.text
    if lang in ("en", "de"):
        for m in _H_TIME.finditer(text):
            fixed = f"{int(m.group(1))}:{m.group(2)}" + (" Uhr" if lang == "de" else "")
            yield TIME_FORMAT.finding(doc, m.start(), m.end(),
                                      "This time notation (\"14h30\") is French, not this language's.",
                                      suggestion=fixed, confidence=0.9)
    if lang in ("de", "fr"):
        for m in _AMPM_TIME.finditer(text):
            hour = int(m.group(1)) % 12 + (12 if m.group(3).lower() == "p" else 0)
            minutes = m.group(2)
            if lang == "de":
                fixed = f"{hour}:{minutes} Uhr" if minutes else f"{hour} Uhr"
            else:
                fixed = f"{hour} h {minutes}" if minutes else f"{hour} h"
            yield TIME_FORMAT.finding(doc, m.start(), m.end(),
                                      "a.m./p.m. times are English; this language uses the 24-hour clock.",
                                      suggestion=fixed, confidence=0.9)


DATE_FORMAT = Rule(
    code="QA408",
    name="date-format",
    category=Category.LOCALE,
    severity=Severity.MINOR,
    languages=("en", "de", "fr"),
    explanation=(
        "The date follows another language's pattern: German writes \"6. August\" (day, point, "
        "month), never \"August 6\" or \"6 August\"; French writes \"6 août\" with the month in "
        "lower case; English has no point after the day (\"6 August\", not \"6. August\"). MT "
        "copies the source order and casing. Rewrite the date."
    ),
    fail_examples=(
        Example("Die Ukraine startete am August 6 einen Überraschungsangriff.", "de",
                span="August 6", suggestion="6. August"),
        Example("Die Ukraine startete am 6 August einen Überraschungsangriff.", "de",
                span="6 August", suggestion="6. August"),
        Example("L'Ukraine a lancé le 6 Août une attaque surprise.", "fr", span="6 Août", suggestion="6 août"),
        Example("Ukraine launched a surprise attack on 6. August.", "en", span="6. August", suggestion="6 August"),
    ),
    pass_examples=(
        Example("Die Ukraine startete am 6. August einen Überraschungsangriff.", "de"),
        Example("Die Ukraine startete im August 2024 einen Überraschungsangriff.", "de"),
        Example("L'Ukraine a lancé le 6 août une attaque surprise.", "fr"),
        Example("Ukraine launched a surprise attack on August 6.", "en"),
        Example("Ukraine launched a surprise attack on 6 August.", "en"),
    ),
)


def _month_alternation(lang: str) -> str:
    return "|".join(re.escape(m) for m in sorted(conventions()[lang]["months"], key=len, reverse=True))


@check(DATE_FORMAT)
def date_format(doc: Document, ctx: CheckContext) -> Iterator[Finding]:
    """Dates in another language's order, casing or punctuation."""
    lang = base_language(doc.target_lang) or ""
    text = doc.text
    months = _month_alternation(lang)
    if lang == "de":
        for m in re.finditer(rf"(?<![\w.])({months}) (\d{{1,2}})(?![\d.:,]\d|\d|\.)", text):
            if _unit_follows(text, m.end(), lang):
                continue  # "im Juli 1 %": a month and an amount, not a date
            yield DATE_FORMAT.finding(doc, m.start(), m.end(), "German writes the day before the month, with a point.",
                                      suggestion=f"{m.group(2)}. {m.group(1)}", confidence=0.85)
        for m in re.finditer(rf"(?<![\w.,])(\d{{1,2}}) ({months})(?!\w)", text):
            if re.search(r"\d[.,]?\s?$", text[max(0, m.start() - 3):m.start()]):
                continue
            yield DATE_FORMAT.finding(doc, m.start(), m.end(), "German writes a point after the day number.",
                                      suggestion=f"{m.group(1)}. {m.group(2)}", confidence=0.8)
    elif lang == "fr":
        capitalised = "|".join(re.escape(m.capitalize()) for m in conventions()["fr"]["months"])
        for m in re.finditer(rf"(?<![\w.,])(\d{{1,2}}|1er) ({capitalised})(?!\w)", text):
            yield DATE_FORMAT.finding(doc, m.start(), m.end(), "French writes month names in lower case.",
                                      suggestion=f"{m.group(1)} {m.group(2).lower()}", confidence=0.9)
    elif lang == "en":
        for m in re.finditer(rf"(?<![\w.,])(\d{{1,2}})\. ({months})(?!\w)", text):
            yield DATE_FORMAT.finding(doc, m.start(), m.end(), "English puts no point after the day number.",
                                      suggestion=f"{m.group(1)} {m.group(2)}", confidence=0.85)


DATE_MIXED = Rule(
    code="QA409",
    name="date-format-mixed",
    category=Category.LOCALE,
    severity=Severity.MINOR,
    languages=("en",),
    explanation=(
        "The document writes dates both day-first (\"6 August\", British) and month-first "
        "(\"August 6\", American). Either is correct; both in one article is inconsistent, "
        "typically because segments were translated separately. The less frequent order is "
        "reported with the main order as the fix."
    ),
    fail_examples=(
        Example("On August 6, Ukraine attacked. The offensive slowed on August 20. It resumed on 3 September.",
                "en", span="3 September", suggestion="September 3"),
        Example("Talks opened on 12 March and closed on 14 March. A new round began on April 2.",
                "en", span="April 2", suggestion="2 April"),
    ),
    pass_examples=(
        Example("On August 6, Ukraine attacked. The offensive slowed on August 20.", "en"),
        Example("Talks opened on 12 March and closed on 14 March.", "en"),
        Example("The offensive began in August 2024 and slowed by 3 September.", "en"),
    ),
)


@check(DATE_MIXED)
def date_format_mixed(doc: Document, ctx: CheckContext) -> Iterator[Finding]:
    """The minority date order of an English document that uses both."""
    months = "|".join(re.escape(m) for m in conventions()["en"]["months"][:12])
    text = doc.text
    day_first = [(m, f"{m.group(2)} {m.group(1)}") for m in
                 re.finditer(rf"(?<![\w.,])(\d{{1,2}}) ({months})(?!\w)", text)]
    month_first = [(m, f"{m.group(2)} {m.group(1)}") for m in
                   re.finditer(rf"(?<![\w.])({months}) (\d{{1,2}})(?![\d.:,]\d|\d)", text)
                   if not _unit_follows(text, m.end(), "en")]
    if not day_first or not month_first:
        return
    first_dm, first_md = day_first[0][0].start(), month_first[0][0].start()
    minority = day_first if (len(day_first), -first_dm) < (len(month_first), -first_md) else month_first
    confidence = 0.8 if len(day_first) != len(month_first) else 0.6
    for m, fixed in minority:
        yield DATE_MIXED.finding(doc, m.start(), m.end(),
                                 "Dates in this document are written in both day-month and month-day order.",
                                 suggestion=fixed, confidence=confidence)


# ---------------------------------------------------------------------------------------------
# Currency

CURRENCY = Rule(
    code="QA410",
    name="currency-position",
    category=Category.LOCALE,
    severity=Severity.MINOR,
    languages=("en", "de", "fr"),
    explanation=(
        "The currency symbol is on the wrong side of the amount for the target language: English "
        "writes €15 and £200, German and French write 15 €. MT copies the source's order. In "
        "German and French only the euro is checked: \"$ 15\" and \"£2\" are common in their "
        "news about foreign currencies. Move the symbol."
    ),
    fail_examples=(
        Example("Tickets cost 15 € each.", "en", span="15 €", suggestion="€15"),
        Example("The fine was 200£ per day.", "en", span="200£", suggestion="£200"),
        Example("Die Tickets kosten €15 pro Stück.", "de", span="€15", suggestion="15 €"),
        Example("Les billets coûtent €15 chacun.", "fr", span="€15", suggestion="15 €"),
    ),
    pass_examples=(
        Example("Tickets cost €15 each.", "en"),
        Example("Die Tickets kosten 15 € pro Stück.", "de"),
        Example("Les billets coûtent 15 € chacun.", "fr"),
        Example("Die Hilfe beträgt 50 Mrd. US-$ insgesamt.", "de"),
    ),
)

_AFTER_AMOUNT = re.compile(r"(?<![\w.,])(\d[\d.,]*\d|\d)[ \u00a0\u202f]?([€£])")
_BEFORE_AMOUNT = re.compile(r"(?<![\w\-$])([€£$])[ \u00a0]?(\d[\d.,\u00a0\u202f ]*\d|\d)(?![\d])")


@check(CURRENCY)
def currency_position(doc: Document, ctx: CheckContext) -> Iterator[Finding]:
    """Currency symbols placed by the source language's convention."""
    lang = base_language(doc.target_lang) or ""
    text = doc.text
    if lang == "en":
        for m in _AFTER_AMOUNT.finditer(text):
            yield CURRENCY.finding(doc, m.start(), m.end(), "English puts the currency symbol before the amount.",
                                   suggestion=f"{m.group(2)}{m.group(1)}", confidence=0.9)
        return
    for m in _BEFORE_AMOUNT.finditer(text):
        if m.group(1) != "€":
            continue  # "$ 15", "£2" are common in German and French news about foreign currencies
        amount = m.group(2).rstrip()
        end = m.start(2) + len(amount)
        yield CURRENCY.finding(doc, m.start(), end,
                               f"{'German' if lang == 'de' else 'French'} puts the currency symbol after the amount.",
                               suggestion=f"{amount} {m.group(1)}", confidence=0.85)
