"""Names: casing, misspellings, transliteration variants and inconsistent spellings (2xx).

What it catches: a proper noun written in lower case (``kyiv’s troops``); a name one typo away
from a reference spelling (``Pokorvsk`` for ``Pokrovsk``); a name spelled in another
language's transliteration or a Russian-based form (``Ouspenovka``, ``Kiev`` and ``Charkiw``
in English, ``Kharkiv`` in German); one entity spelled two ways in one document; a spelling a
user glossary marks as wrong.

Why MT produces it: engines lower-case tokens they do not recognise as names, copy the pivot
or source language's transliteration (French ``ou``/``tch``/``j``, German ``w``/``sch``/``j``),
learn Russian-based spellings from older training data, and garble rare names letter by letter.

How: reference spellings per target language come from :mod:`qa.lexicons` (curated list,
SpellingUkraine, 44,000 GeoNames places, user glossaries, the reference translation). Candidates
are proposed by the token's shape and confirmed only by that evidence: a misspelling needs a
prominent known name one edit away (rapidfuzz OSA distance over names bucketed by first letter
and length), with the same first letter and the difference inside the word (an ending change
is inflection: ``Rylsky`` beside ``Rylsk``); a gazetteer name must be big and the edit a typical
typo (swap, doubled or dropped letter); and the word itself must be neither a known spelling
of any name nor a word found in ``wordfreq``. Transliteration rules only propose spellings; a
gazetteer or the lexicon must know the result.

Known limits: names absent from every source (most people, small places outside the conflict
countries) are only checked against the document's own usage; a misspelling that is itself a
real place name elsewhere is not caught; transliteration rules cover Slavic names written
through French or German. Without the language model the casing rule skips lower-case names
that are also ordinary words (``china``, ``turkey``, ``paris`` in French) and languages without
a common-word list; with it, those and inflected forms of names the document capitalises
(Russian ``в новосибирске``) are decided by comparing the sentence with and without the
capital (at most ``CASING_MODEL_LIMIT`` per document). German lower-case words are only checked
against the lexicon and the document's own exact forms (every German noun is capitalised).
"""
from __future__ import annotations

import re
import unicodedata
from collections import Counter, defaultdict
from dataclasses import dataclass, field, replace
from functools import lru_cache
from typing import Iterator

from ..context import CheckContext, gc_paused
from ..langid import language_name
from ..lexicons import NAME_TOKEN_RE, DocumentNames, Name, document_names, fold, load_glossary
from ..lexicons.translit import english_candidates
from ..model import Category, Document, Finding, Severity
from ..rules import ALL_LANGUAGES, Example, Rule, check

CASED_LANGUAGES = ("en", "fr", "de", "es", "it", "pt", "nl")
# Languages with letter case where only the language model decides casing (no word lists here).
MODEL_CASED_LANGUAGES = ("ru", "uk", "be", "bg", "sr", "mk", "pl", "cs", "sk", "sl", "hr", "bs", "ro", "hu",
                         "sv", "da", "nb", "nn", "no", "fi", "et", "lv", "lt", "ca", "gl", "eu", "tr", "el")
# A lower-case candidate is reported when the sentence with it capitalised reads this many nats
# better to the model ("in berlin" / "in Berlin" about +9; "une robe bordeaux" -2).
CASING_MODEL_MARGIN = 4.0
CASING_MODEL_LIMIT = 40     # candidates per document sent to the model at most
CASING_STEM = 5             # letters an inflected form shares with a name the document capitalises
CASING_FUNCTION_ZIPF = 4.5  # words this frequent are function words ("sie"/"Sie"), not lost names
LEXICON_LANGUAGES = ("en", "fr", "de")
MIN_MISSPELLING_LENGTH = 5
RARE_ZIPF = 1.0             # a word found in wordfreq (Zipf >= 1) is a real word or name
TRANSLIT_MAX_ZIPF = 1.0     # a spelling found in wordfreq is a real word or an established form
# Spellings typical of each system; without one a rewrite ("ss" -> "s") proves nothing. German
# "w", "j" and "ch" alone also spell Polish and Czech names (Grabowo, Wysoka), so they do not count.
_TRANSLIT_MARKERS = {"French": ("ou", "tch", "ï", "j"), "German": ("sch", "yj", "ij", "jiw")}
CASING_MIN_POPULATION = 100_000
GAZETTEER_MIN_POPULATION = 100_000       # a GeoNames place this big may be a misspelling's target
PROMINENT_CONFLICT_POPULATION = 15_000   # ... or this big in a country at war
CONFLICT_COUNTRIES = frozenset({"UA", "RU", "BY", "IL", "PS", "LB", "SY"})
DOCUMENT_CASING_MAX_ZIPF = 1.0  # lower-case words found in wordfreq may be ordinary words
_ELISION_RE = re.compile(r"(?:[ldjmnstc]|qu|jusqu|lorsqu|puisqu|dell|dall|nell|sull|all)['’](?=[^\W\d_])", re.I)
_POSSESSIVE_RE = re.compile(r"['’]s$")
_OPENERS = " \t\"'“”«»„‘’([—–-*_"
# A pair of unknown spellings counts as one name only if neither is a word in these languages.
_UNKNOWN_PAIR_LANGUAGES = ("en", "fr", "de", "es")
_SOURCE_RANK = {"glossary": 0, "reference": 1, "document": 2, "curated": 3, "spellingukraine": 4, "geonames": 5}

CASING = Rule(
    code="QA201",
    name="name-casing",
    category=Category.FLUENCY,
    severity=Severity.MINOR,
    languages=CASED_LANGUAGES + MODEL_CASED_LANGUAGES,
    explanation=(
        "A proper noun is written in lower case (\"kyiv's troops\", \"lyon\") or with an unusual "
        "mix of capitals. Machine translation lower-cases names it does not recognise. The word "
        "must be a name in the lexicon, the glossary or the reference, or capitalised elsewhere in "
        "the same document, and must not also be an ordinary word (\"china\", \"turkey\", \"may\"). "
        "With the language model, a word that is both (\"exports to china\", \"à bordeaux\"), or "
        "an inflected form of a name the document capitalises (Russian \"в новосибирске\"), is "
        "reported when the sentence reads far better with the capital; in the languages without "
        "word lists here (Slavic, Nordic, Baltic, Romanian, Hungarian, Turkish, Greek...) only "
        "this model-confirmed path runs."
    ),
    fail_examples=(
        Example("Troops moved towards kyiv on Monday.", "en", span="kyiv", suggestion="Kyiv"),
        Example("The attack on kyiv’s power grid lasted hours.", "en", span="kyiv", suggestion="Kyiv"),
        Example("Le train pour lyon part à midi.", "fr", span="lyon", suggestion="Lyon"),
        Example("Die Delegation reiste gestern nach kiew.", "de", span="kiew", suggestion="Kiew"),
        Example("Minister Sybiga spoke first. Later sybiga left the room.", "en", span="sybiga",
                suggestion="Sybiga"),
    ),
    pass_examples=(
        Example("Troops moved towards Kyiv on Monday.", "en"),
        Example("We had turkey for dinner and the china plates broke.", "en"),
        Example("Les paris sportifs sont interdits à Paris.", "fr"),
        Example("Wir essen heute in Essen.", "de"),
        Example("Visit example.com/kyiv for details on Kyiv.", "en"),
    ),
)

MISSPELLING = Rule(
    code="QA202",
    name="misspelled-name",
    category=Category.FLUENCY,
    severity=Severity.MAJOR,
    languages=CASED_LANGUAGES,
    explanation=(
        "A capitalised word is one typo (two letters swapped, a letter dropped or doubled, or, for "
        "curated, glossary and reference names, a wrong letter) away from a reference spelling of a "
        "name and is not itself a known name or word. Machine translation "
        "garbles rare names letter by letter. References: the built-in lexicon, a glossary, the "
        "reference translation and the names the document spells correctly elsewhere."
    ),
    fail_examples=(
        Example("Russian troops are near the town of Pokorvsk.", "en", span="Pokorvsk", suggestion="Pokrovsk"),
        Example("Explosions were heard in Kharkvi overnight.", "en", span="Kharkvi", suggestion="Kharkiv"),
        Example("Les combats continuent près de Donnetsk.", "fr", span="Donnetsk", suggestion="Donetsk"),
        Example("Die Armee rückt auf Pokrowks vor.", "de", span="Pokrowks", suggestion="Pokrowsk"),
        Example("Sie flogen nach Hambrug.", "de", span="Hambrug", suggestion="Hamburg"),
    ),
    pass_examples=(
        Example("Russian troops are near the town of Pokrovsk.", "en"),
        Example("Evacuations in the Rylsky district were ordered by Alexei Smirnov.", "en"),
        Example("Dmitry Peskov and Sergei Lavrov spoke in Moscow.", "en"),
        Example("Les combats continuent près de Donetsk.", "fr"),
        Example("Die Armee rückt auf Pokrowsk vor.", "de"),
    ),
)

TRANSLITERATION = Rule(
    code="QA203",
    name="name-transliteration-variant",
    category=Category.TERMINOLOGY,
    severity=Severity.MINOR,
    languages=LEXICON_LANGUAGES,
    explanation=(
        "A name is spelled in another language's transliteration or in a Russian-based form where "
        "the target language has its own spelling: \"Ouspenovka\" (French ou) or \"Kiev\" in English, "
        "\"Kharkiv\" in German (\"Charkiw\"). Machine translation copies the spelling of its source "
        "or pivot language. What is correct depends on the target: \"Kiew\" is right in German."
    ),
    fail_examples=(
        Example("Troops entered Kiev at dawn.", "en", span="Kiev", suggestion="Kyiv"),
        Example("Moscow claimed the capture of Ouspenovka.", "en", span="Ouspenovka", suggestion="Uspenovka"),
        Example("Shelling hit Charkiw overnight.", "en", span="Charkiw", suggestion="Kharkiv"),
        Example("Die Stadt Kharkiv wurde beschossen.", "de", span="Kharkiv", suggestion="Charkiw"),
        Example("Le président Selenskyj a parlé.", "fr", span="Selenskyj", suggestion="Zelensky"),
    ),
    pass_examples=(
        Example("Troops entered Kyiv at dawn.", "en"),
        Example("Die Delegation reiste nach Kiew und traf Selenskyj.", "de"),
        Example("La délégation s'est rendue à Kiev puis à Odessa.", "fr"),
        Example("Louisville and Houston are cities.", "en"),
        Example("Dmitry Peskov and Sergei Lavrov spoke in Moscow.", "en"),
    ),
)

INCONSISTENCY = Rule(
    code="QA204",
    name="inconsistent-name-spelling",
    category=Category.TERMINOLOGY,
    severity=Severity.MINOR,
    languages=CASED_LANGUAGES,
    explanation=(
        "One entity is spelled two ways in the same document (\"Zelensky\" and \"Zelenskyy\", "
        "\"Sybiga\" and \"Sybiha\"). Each form may be "
        "acceptable alone; mixing them looks careless and splits search. The less frequent form "
        "is reported (on a tie, the later one)."
    ),
    fail_examples=(
        Example("Zelenskyy met the press. Later Zelensky left for Kharkiv.", "en", span="Zelensky",
                suggestion="Zelenskyy"),
        Example("Andriy Sybiga arrived. Sybiga met Lavrov. Then Sybiha left.", "en", span="Sybiha",
                suggestion="Sybiga"),
        Example("Le président Zelensky est arrivé. Zelenski a parlé. Zelensky est reparti.", "fr",
                span="Zelenski", suggestion="Zelensky"),
    ),
    pass_examples=(
        Example("Zelenskyy met the press. Later Zelenskyy left for Kharkiv.", "en"),
        Example("Der Bezirk Rylsk und der Rylsker Bezirk liegen an der Grenze.", "de"),
        Example("Mr Smith met Mr Smyth at the station.", "en"),
    ),
)

REFERENCE_SPELLING = Rule(
    code="QA205",
    name="reference-spelling",
    category=Category.TERMINOLOGY,
    severity=Severity.MAJOR,
    languages=ALL_LANGUAGES,
    explanation=(
        "A name or term is spelled differently from the reference: the user's glossary (CSV, TSV "
        "or TBX given with --glossary) lists the spelling as a variant or deprecated term, or the "
        "reference translation spells the same entity another way (\"Kiev\" where the reference "
        "has \"Kyiv\"). Glossary and reference override the built-in lexicon."
    ),
    fail_examples=(
        Example("Zelensky visited the front.", "en", span="Zelensky", suggestion="Zelenskyy",
                reference="Zelenskyy visited the front."),
        Example("Le président Zelenskyy a parlé.", "fr", span="Zelenskyy", suggestion="Zelensky",
                reference="Le président Zelensky a parlé."),
        Example("Die Truppen zogen nach Kyjiw.", "de", span="Kyjiw", suggestion="Kiew",
                reference="Die Truppen zogen nach Kiew."),
    ),
    pass_examples=(
        Example("Zelenskyy visited the front.", "en", reference="Zelenskyy visited the front."),
        Example("Troops entered Kiev at dawn.", "en", reference="Troops entered Kiev at dawn."),
        Example("La délégation s'est rendue à Kiev.", "fr", reference="La délégation est allée à Kiev."),
    ),
)


@dataclass(frozen=True)
class Token:
    """A word that could be a name: offsets into the document, and whether it opens a sentence."""

    start: int
    end: int
    text: str
    initial: bool


@dataclass
class Verdict:
    """What the name analysis concluded about one token (or a run of tokens)."""

    kind: str            # variant | glossary | translit | misspelling
    start: int
    end: int
    suggestion: str
    message: str
    confidence: float


@dataclass
class Analysis:
    """Per-document work shared by the name checks."""

    names: DocumentNames
    tokens: list[Token]
    text: str
    verdicts: list[Verdict] = field(default_factory=list)


# --- tokens ---------------------------------------------------------------------------------

def name_tokens(doc: Document) -> list[Token]:
    """Word tokens of the document with elided articles and possessives cut off."""
    tokens = []
    headings = any(seg.kind == "heading" for seg in doc.segments)
    for m in NAME_TOKEN_RE.finditer(doc.text):
        start, end, word = m.start(), m.end(), m.group()
        if "'" in word or "’" in word:  # elisions and possessives need an apostrophe
            elided = _ELISION_RE.match(word)
            if elided and elided.end() < len(word):
                start, word = start + elided.end(), word[elided.end():]
            possessive = _POSSESSIVE_RE.search(word)
            if possessive and len(word) > 3:
                end, word = end - 2, word[:-2]
        initial = _opens_sentence(doc.text, start) or (headings and _in_heading(doc, start))
        tokens.append(Token(start, end, word, initial))
    return tokens


def _in_heading(doc: Document, start: int) -> bool:
    segment = doc.segment_at(start)
    return segment is not None and segment.kind == "heading"


def _opens_sentence(text: str, start: int) -> bool:
    """Whether only openers (quotes, brackets, dashes, spaces) separate ``start`` from a sentence end."""
    i = start - 1
    while i >= 0 and text[i] in _OPENERS:
        i -= 1
    return i < 0 or text[i] in ".!?…:\n\r;"


def _in_code_or_address(text: str, start: int, end: int) -> bool:
    """Whether the word sits inside a URL, e-mail address, handle, hashtag, path or identifier."""
    left = text[max(0, start - 1):start]
    right = text[end:end + 1]
    if left in ("@", "#", "/", "\\", ".", "_", "=", "<", "`") or right in ("@", "/", "_", "=", ">", "`"):
        return True
    if right == "." and end + 1 < len(text) and text[end + 1].isalnum():
        return True
    return False


# --- evidence helpers -------------------------------------------------------------------------

@lru_cache(maxsize=200_000)
def zipf(word: str, lang: str) -> float:
    """wordfreq Zipf frequency of ``word`` in ``lang`` (0.0 for unknown words or languages)."""
    import wordfreq

    if lang not in _wordfreq_languages():
        return 0.0
    return wordfreq.zipf_frequency(word, lang)


@lru_cache(maxsize=1)
def _wordfreq_languages() -> frozenset[str]:
    import wordfreq

    return frozenset(wordfreq.available_languages())


def _real_word(word: str, lang: str) -> float:
    """The highest wordfreq Zipf frequency of ``word`` in the target language or English."""
    return max(zipf(word, lang), zipf(word, "en"))


def _strip_accents(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


def inner_edit(a: str, b: str) -> bool:
    """Whether the edit between ``a`` and ``b`` is a typo rather than an ending or an accent.

    Both share the first letter, and either the last letter or all their letters (a swap);
    a changed or added ending is inflection (``Rylsk``/``Rylsky``), an accent is a variant.
    """
    if a[:1] != b[:1] or _strip_accents(a) == _strip_accents(b):
        return False
    return a[-1:] == b[-1:] or (len(a) == len(b) and sorted(a) == sorted(b))


@lru_cache(maxsize=8)
def _spellchecker(lang: str):  # -> SpellChecker | None
    try:
        from spellchecker import SpellChecker

        with gc_paused():
            return SpellChecker(language=lang)
    except (ValueError, OSError, ImportError):
        return None


def _ordinary_word(word: str, lang: str) -> bool:
    """Whether lower-case ``word`` is an ordinary word of ``lang`` (or the language has no word list)."""
    checker = _spellchecker(lang)
    return checker is None or checker.word_usage_frequency(word.lower()) * 1e6 >= 0.3


# --- analysis ---------------------------------------------------------------------------------

def analyse(doc: Document, ctx: CheckContext) -> Analysis:
    """Tokens, reference spellings and the verdict on every capitalised token (computed once)."""
    return ctx.memo("names.analysis", lambda: _analyse(doc, ctx))


def _analyse(doc: Document, ctx: CheckContext) -> Analysis:
    lang = (doc.target_lang or "en").split("-")[0].lower()
    entries = [e for path in ctx.config.glossary for e in load_glossary(path)]
    entries += list(ctx.config.extra.get("glossary_entries", ()))  # already parsed (e.g. an upload)
    references = "\n".join(filter(None, [doc.reference_text, *(s.reference for s in doc.segments)]))
    with gc_paused():  # the built-in lexicon loads on first use
        names = document_names(lang, entries, references)
    tokens = name_tokens(doc)
    analysis = Analysis(names, tokens, doc.text)
    _add_document_names(analysis)
    analysis.verdicts = list(_verdicts(analysis, lang))
    return analysis


def _add_document_names(analysis: Analysis) -> None:
    """Names the document spells correctly become misspelling targets for its other words."""
    names = analysis.names
    seen: set[str] = set()  # a word seen before was added then, or is not to be added
    for tok in analysis.tokens:
        if tok.text[:1].isupper() and len(tok.text) >= MIN_MISSPELLING_LENGTH and tok.text not in seen:
            seen.add(tok.text)
            found = names.correct(tok.text)
            if found is not None and not found.prominent:
                names.add_correct(Name(found.form, found.canonical, found.status, "document",
                                       found.kind, True, found.note))


def _capitalised(word: str) -> bool:
    return word[:1].isupper() and not word.isupper()


def _runs(tokens: list[Token], text: str, i: int) -> Iterator[tuple[int, str]]:
    """Multi-word spans starting at token ``i`` (2 and 3 words joined by single spaces)."""
    joined, end = tokens[i].text, tokens[i].end
    for j in (i + 1, i + 2):
        if j >= len(tokens) or text[end:tokens[j].start] != " ":
            return
        joined, end = joined + " " + tokens[j].text, tokens[j].end
        yield j, joined


def _verdicts(analysis: Analysis, lang: str) -> Iterator[Verdict]:
    glossary = list(_glossary_verdicts(analysis)) if analysis.names.extra_variants else []
    covered = {(v.start, v.end) for v in glossary}
    yield from glossary
    for verdict in _name_verdicts(analysis, lang):
        if (verdict.start, verdict.end) not in covered:
            yield verdict


def _glossary_verdicts(analysis: Analysis) -> Iterator[Verdict]:
    """Glossary variants anywhere in the text, in any case (terms need not be names)."""
    names, tokens = analysis.names, analysis.tokens
    skip_until = -1
    for i, tok in enumerate(tokens):
        if i <= skip_until:
            continue
        spans = [(j, joined) for j, joined in _runs(tokens, analysis.text, i)][::-1] + [(i, tok.text)]
        for j, joined in spans:
            found = names.extra_variants.get(fold(joined))
            if found is not None and fold(joined) not in names.extra:
                term = found.canonical
                if joined[:1].isupper() and term[:1].islower():
                    term = term[:1].upper() + term[1:]
                yield _variant_verdict(Name(found.form, term, "variant", "glossary", note=found.note),
                                       tok.start, tokens[j].end, joined)
                skip_until = j
                break


def _name_verdicts(analysis: Analysis, lang: str) -> Iterator[Verdict]:
    names, tokens = analysis.names, analysis.tokens
    skip_until = -1
    by_word: dict[str, Verdict | None] = {}
    variants: dict[str, Name | None] = {}  # multi-word spellings looked up already
    for i, tok in enumerate(tokens):
        if i <= skip_until or not _capitalised(tok.text):
            continue
        for j, joined in _runs(tokens, analysis.text, i):
            if joined not in variants:
                variants[joined] = names.variant(joined)
            found = variants[joined]
            if found is not None:
                yield _variant_verdict(found, tok.start, tokens[j].end, joined)
                skip_until = j
                break
        if i <= skip_until:
            continue
        if tok.text not in by_word:  # the verdict depends on the word only, not on where it is
            by_word[tok.text] = _token_verdict(names, tok, lang)
        verdict = by_word[tok.text]
        if verdict is not None:
            yield replace(verdict, start=tok.start, end=tok.end)


def _token_verdict(names: DocumentNames, tok: Token, lang: str) -> Verdict | None:
    word = tok.text
    found = names.variant(word)
    if found is not None:
        return _variant_verdict(found, tok.start, tok.end, word)
    if names.correct(word) is not None or len(word) < MIN_MISSPELLING_LENGTH:
        return None
    translit = _transliteration(names, word, lang)
    if translit is not None:
        suggestion, system = translit
        return Verdict("translit", tok.start, tok.end, suggestion,
                       f"“{word}” follows the {system} transliteration; the {language_name(lang)} "
                       f"spelling is “{suggestion}”.", 0.75)
    if names.is_known(word):
        return None
    return _misspelling(names, tok, lang)


def _variant_verdict(found: Name, start: int, end: int, text: str) -> Verdict:
    if found.source == "glossary":
        note = f" ({found.note})" if found.note else ""
        return Verdict("glossary", start, end, found.canonical,
                       f"The glossary prefers “{found.canonical}” to “{text}”{note}.", 0.95)
    why = found.note or "a non-standard spelling"
    return Verdict("variant", start, end, found.canonical,
                   f"“{text}” is not the reference spelling here ({why}); use “{found.canonical}”.",
                   0.9 if found.source == "curated" else 0.85)


def _transliteration(names: DocumentNames, word: str, lang: str) -> tuple[str, str] | None:
    """``(suggestion, system)`` when ``word`` is a foreign transliteration of a known name."""
    if lang == "de":
        local = names.base.local_forms.get(fold(word))
        return (local, "English") if local and fold(local) != fold(word) else None
    if _real_word(word, lang) >= TRANSLIT_MAX_ZIPF:
        return None
    lower = word.lower()
    for system, spelling in english_candidates(word):
        marked = any(m in lower for m in _TRANSLIT_MARKERS[system]) or (system == "German" and lower.endswith("iw"))
        if (lang == "fr" and system == "French") or not marked:
            continue
        target = names.correct(spelling)
        if target is not None and target.source != "geonames":
            return target.canonical, system
        form = names.base.translit_targets.get(spelling)
        if form is not None:
            variant = names.variant(form)
            return (variant.canonical if variant else form), system
    return None


def _misspelling(names: DocumentNames, tok: Token, lang: str) -> Verdict | None:
    word = tok.text
    if not word.isalpha() and "-" not in word:
        return None
    if _real_word(word, lang) >= RARE_ZIPF:
        return None
    key = fold(word)
    candidates = [n for n in names.near(word) if inner_edit(key, fold(n.form)) and n.form[:1].isupper()
                  and _plausible_target(key, n)]
    if not candidates:
        return None
    best = min(candidates, key=lambda n: (_SOURCE_RANK.get(n.source, 9), n.status != "canonical", -n.population))
    confidence = 0.75 if best.source == "geonames" else 0.9
    return Verdict("misspelling", tok.start, tok.end, best.form,
                   f"“{word}” looks like a misspelling of the name “{best.form}”.", confidence)


def _plausible_target(key: str, name: Name) -> bool:
    """Whether ``name`` is a likely intended name behind the unknown spelling ``key``.

    Gazetteers hold thousands of real names one letter apart (Frederickton, Fredericton), so
    a GeoNames place must be big (or in a conflict country, as war reporting names smaller
    towns), and for gazetteer names (GeoNames, SpellingUkraine) the edit must be a typical
    typo: two letters swapped, a letter doubled, or a letter dropped from a long name.
    Curated, glossary, reference and document names accept any single edit.
    """
    if name.source == "geonames" and not (name.population >= GAZETTEER_MIN_POPULATION or (
            name.country in CONFLICT_COUNTRIES and name.population >= PROMINENT_CONFLICT_POPULATION)):
        return False
    if name.source in ("geonames", "spellingukraine"):
        return typo_kind(key, fold(name.form)) in ("swap", "double", "drop")
    return True


def typo_kind(word: str, target: str) -> str | None:
    """How ``word`` differs from ``target`` by one edit: swap, double, drop, insert, substitute."""
    if len(word) == len(target):
        diffs = [i for i, (a, b) in enumerate(zip(word, target)) if a != b]
        if len(diffs) == 2 and diffs[1] == diffs[0] + 1 and word[diffs[0]] == target[diffs[1]] \
                and word[diffs[1]] == target[diffs[0]]:
            return "swap"
        return "substitute" if len(diffs) == 1 else None
    if len(word) == len(target) + 1:
        i = next((i for i, (a, b) in enumerate(zip(word, target)) if a != b), len(target))
        if word[:i] + word[i + 1:] != target:
            return None
        doubled = (i > 0 and word[i] == word[i - 1]) or (i + 1 < len(word) and word[i] == word[i + 1])
        return "double" if doubled else "insert"
    if len(word) + 1 == len(target):
        i = next((i for i, (a, b) in enumerate(zip(word, target)) if a != b), len(word))
        if target[:i] + target[i + 1:] != word:
            return None
        return "drop" if len(target) >= 7 else "short-drop"
    return None


# --- checks -----------------------------------------------------------------------------------

def _findings(rule: Rule, doc: Document, ctx: CheckContext, kinds: tuple[str, ...]) -> Iterator[Finding]:
    for v in analyse(doc, ctx).verdicts:
        if v.kind in kinds:
            yield rule.finding(doc, v.start, v.end, v.message, suggestion=v.suggestion, confidence=v.confidence)


@check(MISSPELLING)
def misspelled_names(doc: Document, ctx: CheckContext) -> Iterator[Finding]:
    """Capitalised words one typo from a reference spelling."""
    yield from _findings(MISSPELLING, doc, ctx, ("misspelling",))


@check(TRANSLITERATION)
def transliteration_variants(doc: Document, ctx: CheckContext) -> Iterator[Finding]:
    """Names in another language's transliteration or a Russian-based form."""
    yield from _findings(TRANSLITERATION, doc, ctx, ("variant", "translit"))


@check(CASING)
def name_casing(doc: Document, ctx: CheckContext) -> Iterator[Finding]:
    """Known names, or words the document capitalises elsewhere, written in lower case."""
    analysis = analyse(doc, ctx)
    lang = (doc.target_lang or "en").split("-")[0].lower()
    capitalised = Counter(fold(t.text) for t in analysis.tokens if _capitalised(t.text) and not t.initial)
    lowercase = Counter(fold(t.text) for t in analysis.tokens if t.text.islower())
    lower_segments = {seg.id for seg in doc.segments if seg.text == seg.text.lower()}
    stems = {key[:CASING_STEM] for key in capitalised if len(key) > CASING_STEM} if lang != "de" else set()
    fixes: dict[str, str | None] = {}  # word -> suggestion: the counts are fixed for the document
    asks: dict[str, bool] = {}  # word -> whether the model should decide
    to_confirm: list[tuple[Token, str]] = []
    for tok in analysis.tokens:
        word = tok.text.split("-")[0]
        if not word[:1].islower() or len(word) < 3:
            continue
        if word not in fixes:
            rules_apply = lang in CASED_LANGUAGES
            fixes[word] = _casing_fix(analysis.names, word, lang, capitalised, lowercase) if rules_apply else None
            asks[word] = (fixes[word] is None and ctx.scorer is not None
                          and _casing_candidate(analysis.names, word, lang, capitalised, stems))
        suggestion = fixes[word]
        if (suggestion is None and not asks[word]) or _in_code_or_address(doc.text, tok.start, tok.end):
            continue
        segment = doc.segment_at(tok.start) if lower_segments else None
        if segment is not None and segment.id in lower_segments:
            continue  # an all-lower-case text (chat, code) is not a casing error per word
        if suggestion is not None:
            yield _casing_finding(doc, tok, word, suggestion, confidence=0.85)
        else:
            to_confirm.append((tok, word))
    yield from _model_confirmed_casing(doc, ctx, to_confirm[:CASING_MODEL_LIMIT])


def _casing_candidate(names: DocumentNames, word: str, lang: str, capitalised: Counter, stems: set[str]) -> bool:
    """Whether lower-case ``word`` may be a name the rules could not decide on: a prominent
    name that is also an ordinary word, or a less frequent word the document also capitalises
    or an inflected form of one (same first letters)."""
    key = fold(word)
    found = names.correct(word)
    if found is not None and found.form[:1].isupper() and fold(found.form) == key:
        return found.source != "geonames" or found.population >= CASING_MIN_POPULATION
    in_document = capitalised.get(key) or (len(key) > CASING_STEM and key[:CASING_STEM] in stems)
    return bool(in_document) and zipf(word, lang) < CASING_FUNCTION_ZIPF


def _model_confirmed_casing(doc: Document, ctx: CheckContext, candidates: list[tuple[Token, str]]) -> Iterator[Finding]:
    """Candidates whose sentence reads at least ``CASING_MODEL_MARGIN`` nats better capitalised."""
    for tok, word in candidates:
        segment = doc.segment_at(tok.start)
        if segment is None:
            continue
        fixed = word[:1].upper() + word[1:]
        at = tok.start - segment.start
        original = doc.text[segment.start:segment.end]
        variant = original[:at] + fixed + original[at + len(word):]
        try:
            scores = ctx.scorer.score_alternatives("", original, [variant])
        except Exception:  # noqa: BLE001 - a failing model leaves the word unreported
            continue
        if float(scores[1]) - float(scores[0]) >= CASING_MODEL_MARGIN:
            yield _casing_finding(doc, tok, word, fixed, confidence=0.8)


def _casing_finding(doc: Document, tok: Token, word: str, suggestion: str, confidence: float) -> Finding:
    """The QA201 finding on ``word``, the lower-case part of ``tok`` (before any hyphen)."""
    return CASING.finding(doc, tok.start, tok.start + len(word),
                          f"“{word}” is a proper noun and takes a capital letter here.",
                          suggestion=suggestion, confidence=confidence)


def _casing_fix(names: DocumentNames, word: str, lang: str, capitalised: Counter,
                lowercase: Counter) -> str | None:
    """The capitalised spelling ``word`` should have, from the lexicon or the document, or None.

    German capitalises every noun, so there only lexicon names count; elsewhere a word the
    document capitalises mid-sentence at least as often as it lower-cases it counts too,
    unless it is a frequent or dictionary word.
    """
    wrong = names.variant(word)
    if (wrong is not None and wrong.source == "curated" and wrong.kind == "place"
            and wrong.canonical[:1].isupper() and not names.is_common_lowercase(word)):
        return wrong.canonical  # "kiev" in English: both the case and the spelling
    found = names.correct(word)
    if found is not None and found.form[:1].isupper() and fold(found.form) == fold(word):
        if found.source == "curated":
            return found.form  # curated names are never ordinary words
        if found.source == "geonames" and found.population < CASING_MIN_POPULATION:
            return None
        if names.is_common_lowercase(word):
            return None
        # Built-in forms were checked against the word lists when the data was compiled.
        built_in = found.source in ("geonames", "spellingukraine")
        return found.form if built_in or not _ordinary_word(word, lang) else None
    if (lang != "de" and capitalised.get(fold(word), 0) >= lowercase.get(fold(word), 0)
            and zipf(word, lang) < DOCUMENT_CASING_MAX_ZIPF and not names.is_common_lowercase(word)
            and _spellchecker(lang) is not None and not _ordinary_word(word, lang)):
        return word[:1].upper() + word[1:]
    return None


@check(INCONSISTENCY)
def inconsistent_names(doc: Document, ctx: CheckContext) -> Iterator[Finding]:
    """One entity spelled two ways in the same document: the less frequent form is reported."""
    analysis = analyse(doc, ctx)
    flagged = {(v.start, v.end) for v in analysis.verdicts}
    for occurrences in _entity_groups(analysis, flagged).values():
        forms = Counter(fold(t.text) for t in occurrences)
        if len(forms) < 2:
            continue
        winner = _majority(forms, occurrences)
        display = next(t.text for t in occurrences if fold(t.text) == winner)
        for tok in occurrences:
            if fold(tok.text) != winner:
                yield INCONSISTENCY.finding(doc, tok.start, tok.end,
                                            f"“{tok.text}” is spelled “{display}” elsewhere in this document.",
                                            suggestion=display, confidence=0.8)


@check(REFERENCE_SPELLING)
def reference_spellings(doc: Document, ctx: CheckContext) -> Iterator[Finding]:
    """Spellings the glossary marks as variants, and names spelled unlike the reference translation."""
    analysis = analyse(doc, ctx)
    yield from _findings(REFERENCE_SPELLING, doc, ctx, ("glossary",))
    flagged = {(v.start, v.end) for v in analysis.verdicts}
    reference: dict[str, str] = {}
    for form in _reference_forms(analysis):
        entity = _entity_of(analysis.names, form)
        if entity is not None:
            reference.setdefault(entity, form)
    if not reference:
        return
    for tok in analysis.tokens:
        if not _capitalised(tok.text) or (tok.start, tok.end) in flagged:
            continue
        entity = _entity_of(analysis.names, tok.text)
        wanted = reference.get(entity) if entity else None
        if wanted is not None and fold(wanted) != fold(tok.text):
            yield REFERENCE_SPELLING.finding(doc, tok.start, tok.end,
                                             f"The reference translation spells “{tok.text}” as “{wanted}”.",
                                             suggestion=wanted, confidence=0.85)


def _reference_forms(analysis: Analysis) -> list[str]:
    return [n.form for n in analysis.names.extra.values() if n.source == "reference"]


def _majority(forms: Counter, occurrences: list[Token]) -> str:
    """The most frequent form; on a tie the first one written."""
    ranked = forms.most_common()
    if len(ranked) > 1 and ranked[0][1] == ranked[1][1]:
        return fold(occurrences[0].text)
    return ranked[0][0]


def _entity_of(names: DocumentNames, form: str) -> str | None:
    found = names.base.names.get(fold(form)) or names.base.variants.get(fold(form))
    if found is None or found.source == "geonames":
        return None
    return found.entity or fold(found.canonical)


def _entity_groups(analysis: Analysis, flagged: set[tuple[int, int]]) -> dict[str, list[Token]]:
    """Capitalised tokens grouped by entity: lexicon entities, and unknown near-identical names."""
    names = analysis.names
    groups: dict[str, list[Token]] = defaultdict(list)
    unknown: dict[str, list[Token]] = defaultdict(list)
    kinds: dict[str, tuple[str | None, bool]] = {}  # the lexicon lookups depend on the word only
    for tok in analysis.tokens:
        if not _capitalised(tok.text) or (tok.start, tok.end) in flagged:
            continue
        kind = kinds.get(tok.text)
        if kind is None:
            kind = kinds[tok.text] = _entity_kind(names, tok.text)
        entity, unknown_name = kind
        if entity is not None:
            groups[entity].append(tok)
        elif unknown_name and not tok.initial:
            unknown[fold(tok.text)].append(tok)
    for key, toks in _near_pairs(unknown).items():
        if all(_unknown_word(t.text, names.lang) for t in toks):
            groups["~" + key] = toks
    return groups


def _entity_kind(names: DocumentNames, word: str) -> tuple[str | None, bool]:
    """``(entity, unknown)``: the lexicon entity a capitalised ``word`` is a correct spelling of
    (None for a variant spelling or no entity), and whether it is an unknown name that may be a
    misspelling of another unknown name of the document."""
    entity = _entity_of(names, word)
    if entity is not None:
        return (entity if names.variant(word) is None else None), False
    unknown = (len(word) >= MIN_MISSPELLING_LENGTH and word.isalpha() and names.correct(word) is None
               and not names.is_known(word))
    return None, unknown


def _unknown_word(word: str, lang: str) -> bool:
    """Whether ``word`` is found in no wordfreq list of the target language and the usual pivots."""
    return all(zipf(word, code) < 1.0 for code in dict.fromkeys((lang, *_UNKNOWN_PAIR_LANGUAGES)))


def _near_pairs(unknown: dict[str, list[Token]]) -> dict[str, list[Token]]:
    """Unknown capitalised words one inner edit apart, merged into groups.

    In sorted order, each word not yet merged is paired with the first later word not yet
    merged that is one inner edit away. Two words one edit apart (substitution, insertion,
    deletion or swap of neighbours) always share a one-letter deletion (or one is a deletion of
    the other), so only words sharing one are compared: not every pair, which is quadratic in
    the many unknown capitalised nouns of German text.
    """
    from rapidfuzz.distance import OSA

    keys = sorted(unknown)
    deletions = [_deletions(key) for key in keys]
    by_deletion: dict[str, list[int]] = defaultdict(list)
    for index, variants in enumerate(deletions):
        for variant in variants:
            by_deletion[variant].append(index)
    merged: dict[str, list[Token]] = {}
    used: set[int] = set()
    for i, a in enumerate(keys):
        if i in used:
            continue
        near = sorted({j for variant in deletions[i] for j in by_deletion[variant] if j > i and j not in used})
        for j in near:
            b = keys[j]
            if OSA.distance(a, b) == 1 and inner_edit(a, b):
                merged[a] = sorted(unknown[a] + unknown[b], key=lambda t: t.start)
                used.update((i, j))
                break
    return merged


def _deletions(word: str) -> set[str]:
    """``word`` and every string made by deleting one of its letters."""
    return {word, *(word[:k] + word[k + 1:] for k in range(len(word)))}
