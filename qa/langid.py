"""Language identification, deterministic.

Two tools, each where it is strong:

* :func:`detect_language` names the language of a whole text among all languages
  (``langdetect``, seeded so that results are reproducible). On paragraphs it is reliable; on a
  sentence of five words it is not (see ``docs/benchmarks.md``).
* :func:`classify` decides between a few *candidate* languages (the expected target, the source,
  common source languages) for a short text: a word-frequency model (``wordfreq`` unigram
  log-probabilities) agrees with ``lingua`` (character n-grams, restricted to the candidates)
  before a language is returned with high confidence. Restricting the candidates is what makes
  short sentences workable, and keeps lingua's models small and lazily loaded.

Scripts are checked first: a sentence in Cyrillic inside an English text needs no statistics.
"""
from __future__ import annotations

import math
import re
import unicodedata
from functools import lru_cache
from typing import Iterable, Sequence

from .context import gc_paused
from .model import Document

# English names of language codes: messages, prompt labels and the page's language list.
LANGUAGE_NAMES = {
    "ar": "Arabic", "be": "Belarusian", "bg": "Bulgarian", "ca": "Catalan", "cs": "Czech", "da": "Danish",
    "de": "German", "el": "Greek", "en": "English", "es": "Spanish", "et": "Estonian", "fa": "Persian",
    "fi": "Finnish", "fr": "French", "he": "Hebrew", "hi": "Hindi", "hr": "Croatian", "hu": "Hungarian",
    "id": "Indonesian", "it": "Italian", "ja": "Japanese", "ko": "Korean", "lt": "Lithuanian",
    "lv": "Latvian", "mk": "Macedonian", "nb": "Norwegian", "nl": "Dutch", "no": "Norwegian",
    "pl": "Polish", "pt": "Portuguese", "ro": "Romanian", "ru": "Russian", "sk": "Slovak",
    "sl": "Slovenian", "sr": "Serbian", "sv": "Swedish", "th": "Thai", "tr": "Turkish",
    "uk": "Ukrainian", "vi": "Vietnamese", "zh": "Chinese",
}


def language_name(code: str | None, unknown: str = "an unknown language") -> str:
    """English name of a language code (``pt-BR`` -> Portuguese); the code itself when it is not
    listed, ``unknown`` when there is none."""
    if not code:
        return unknown
    return LANGUAGE_NAMES.get(code.split("-")[0].lower(), code)


# Languages the checks consider as likely sources when the source language is not given.
COMMON_LANGUAGES = ("en", "fr", "de", "es", "it", "pt", "nl", "pl", "ru", "uk")
_LATIN_LANGUAGES = frozenset(
    "en fr de es it pt nl pl cs sk sl hr sh ro hu fi sv da nb no is et lv lt tr ca id ms vi fil".split())
_SCRIPT_LANGUAGES = {
    "cyrillic": frozenset("ru uk bg mk sr be kk mn".split()),
    "greek": frozenset({"el"}),
    "arabic": frozenset({"ar", "fa", "ur"}),
    "hebrew": frozenset({"he"}),
    "cjk": frozenset({"zh", "ja"}),
    "kana": frozenset({"ja"}),
    "hangul": frozenset({"ko"}),
    "devanagari": frozenset({"hi", "mr"}),
}
_OOV_LOG = math.log(1e-8)
_WORD_RE = re.compile(r"[^\W\d_]+(?:['’\-][^\W\d_]+)*")


@lru_cache(maxsize=1)
def _factory():
    from langdetect import DetectorFactory
    from langdetect.detector_factory import init_factory

    DetectorFactory.seed = 0
    with gc_paused():
        init_factory()  # the language profiles, loaded once
    return DetectorFactory


# Languages lingua considers when it settles the language of a short text on its own.
SHORT_TEXT_LANGUAGES = (*COMMON_LANGUAGES, "zh", "ja", "ko", "ar", "tr", "sv", "cs", "ro", "el", "he")
_SHORT_TEXT = 200


def detect_language(text: str) -> tuple[str | None, float]:
    """The most probable language of ``text`` as an ISO 639-1 code and its probability.

    Texts of at least 200 characters go to langdetect over all its languages (seeded, so
    deterministic). Shorter texts, where langdetect is unreliable, go to lingua restricted to
    :data:`SHORT_TEXT_LANGUAGES` (more accurate on sentences, see ``docs/benchmarks.md``);
    langdetect decides when lingua is not confident. For a known set of possible languages
    use :func:`classify`.
    """
    if len(text.strip()) < 3:
        return None, 0.0
    if len(text) < _SHORT_TEXT:
        shortlist = _short_text_shortlist(text)
        by_ngrams = lingua_scores(text, shortlist) if len(shortlist) >= 2 else {}
        if by_ngrams:
            best = max(by_ngrams, key=by_ngrams.__getitem__)
            if by_ngrams[best] >= 0.5:
                return best, by_ngrams[best]
    return langdetect_language(text)


def _short_text_shortlist(text: str) -> tuple[str, ...]:
    """A few plausible languages of a short text (langdetect's three and word frequencies' two best guesses).

    lingua then decides among them; keeping the list short keeps lingua from loading the models
    of every language (seconds on a cold start).
    """
    from langdetect import detect_langs
    from langdetect.lang_detect_exception import LangDetectException

    _factory()
    try:
        guesses = [_normalise(g.lang) for g in detect_langs(text)[:3]]
    except LangDetectException:
        guesses = []
    by_words = _posterior(unigram_scores(tokens(text), COMMON_LANGUAGES))
    guesses += sorted(by_words, key=by_words.__getitem__, reverse=True)[:2]
    return tuple(g for g in dict.fromkeys(guesses) if g in SHORT_TEXT_LANGUAGES)


def langdetect_language(text: str) -> tuple[str | None, float]:
    """langdetect's (seeded) most probable language of ``text`` and its probability."""
    if len(text.strip()) < 3:
        return None, 0.0
    from langdetect import detect_langs
    from langdetect.lang_detect_exception import LangDetectException

    _factory()
    try:
        best = detect_langs(text[:5000])[0]
    except LangDetectException:
        return None, 0.0
    return _normalise(best.lang), float(best.prob)


def base_language(code: str | None) -> str | None:
    """The ISO 639-1 part of a language tag, lower-cased: "en-GB" -> "en", "pt_BR" -> "pt"."""
    if not code:
        return None
    return re.split(r"[-_]", code.strip())[0].lower() or None


def with_base_languages(doc: Document) -> Document:
    """``doc`` with its source and target languages reduced to :func:`base_language` codes."""
    source, target = base_language(doc.source_lang), base_language(doc.target_lang)
    if (source, target) == (doc.source_lang, doc.target_lang):
        return doc
    return doc.with_langs(source, target)


def _normalise(code: str) -> str:
    return {"zh-cn": "zh", "zh-tw": "zh"}.get(code, code.split("-")[0])


def script_of(char: str) -> str | None:
    """The script of one letter: latin, cyrillic, greek, arabic, hebrew, cjk, kana, hangul, devanagari."""
    code = ord(char)
    if code < 0x250 or 0x1E00 <= code <= 0x1EFF:
        return "latin" if char.isalpha() else None
    if 0x370 <= code <= 0x3FF:
        return "greek"
    if 0x400 <= code <= 0x52F:
        return "cyrillic"
    if 0x590 <= code <= 0x5FF:
        return "hebrew"
    if 0x600 <= code <= 0x6FF or 0x750 <= code <= 0x77F:
        return "arabic"
    if 0x900 <= code <= 0x97F:
        return "devanagari"
    if 0x3040 <= code <= 0x30FF:
        return "kana"
    if 0x3400 <= code <= 0x9FFF:
        return "cjk"
    if 0xAC00 <= code <= 0xD7AF:
        return "hangul"
    return None


# A character outside the Latin ranges of script_of: without one, every letter of a text is Latin.
BEYOND_LATIN_RE = re.compile("[^\x00-\u024f\u1e00-\u1eff]")


def dominant_script(text: str) -> tuple[str | None, int]:
    """The script most letters of ``text`` are written in, and the number of letters counted."""
    if text.isascii() or not BEYOND_LATIN_RE.search(text):  # fast path: only Latin letters
        letters = sum(map(str.isalpha, text))
        return ("latin", letters) if letters else (None, 0)
    counts: dict[str, int] = {}
    for ch in text:
        script = script_of(ch)
        if script:
            counts[script] = counts.get(script, 0) + 1
    if not counts:
        return None, 0
    script = max(counts, key=counts.__getitem__)
    return script, sum(counts.values())


def writes_in(lang: str, script: str) -> bool:
    """Whether language ``lang`` is normally written in ``script`` (unknown languages: Latin)."""
    if script == "latin":
        return lang in _LATIN_LANGUAGES or not any(lang in s for s in _SCRIPT_LANGUAGES.values())
    if lang == "ja" and script in ("cjk", "kana"):
        return True
    return lang in _SCRIPT_LANGUAGES.get(script, frozenset())


@lru_cache(maxsize=64)
def wordlist(lang: str, size: str = "small") -> dict[str, float]:
    """Word frequencies of ``lang`` from wordfreq (``small``: ~30k words, ``best``: large), or {}."""
    try:
        from wordfreq import get_frequency_dict
    except ImportError:  # pragma: no cover - wordfreq is a declared dependency
        return {}
    try:
        with gc_paused():
            return get_frequency_dict(lang, wordlist=size)
    except (LookupError, ValueError):
        return {}


def has_wordlist(lang: str) -> bool:
    """Whether word frequencies exist for ``lang``."""
    return bool(wordlist(lang))


def tokens(text: str) -> list[str]:
    """Lower-cased letter words of ``text`` (no digits), apostrophes and hyphens kept inside."""
    return [m.group().lower().replace("’", "'") for m in _WORD_RE.finditer(text)]


def unigram_scores(words: Sequence[str], langs: Iterable[str]) -> dict[str, float]:
    """Summed natural-log unigram probability of ``words`` under each language's word list."""
    langs = tuple(lang for lang in langs if wordlist(lang))
    rows = [_log_probabilities(word, langs) for word in words]
    scores = {}
    for index, lang in enumerate(langs):
        total = 0.0
        for row in rows:  # summed in word order, as always
            total += row[index]
        scores[lang] = total
    return scores


_LOG_MEMO_SIZE = 200_000


def _log_probabilities(word: str, langs: tuple[str, ...]) -> tuple[float, ...]:
    """The log-probability of ``word`` in each language's word list (remembered per word)."""
    memo = _log_memo(langs)
    row = memo.get(word)
    if row is None:
        if len(memo) >= _LOG_MEMO_SIZE:
            memo.clear()
        row = memo[word] = tuple(_log_probability(wordlist(lang), word) for lang in langs)
    return row


@lru_cache(maxsize=32)
def _log_memo(langs: tuple[str, ...]) -> dict[str, tuple[float, ...]]:
    return {}


def _log_probability(freqs: dict[str, float], word: str) -> float:
    freq = freqs.get(word)
    if freq is None and "'" in word:
        freq = freqs.get(word.split("'", 1)[1]) or freqs.get(word.split("'", 1)[0])
    return math.log(freq) if freq else _OOV_LOG


def _posterior(scores: dict[str, float]) -> dict[str, float]:
    if not scores:
        return {}
    top = max(scores.values())
    exp = {k: math.exp(max(v - top, -700.0)) for k, v in scores.items()}
    total = sum(exp.values())
    return {k: v / total for k, v in exp.items()}


@lru_cache(maxsize=32)
def _lingua_detector(langs: frozenset[str]):
    try:
        from lingua import IsoCode639_1, Language, LanguageDetectorBuilder
    except ImportError:  # pragma: no cover
        return None
    chosen = []
    for code in sorted(langs):
        try:
            chosen.append(Language.from_iso_code_639_1(getattr(IsoCode639_1, code.upper())))
        except (AttributeError, ValueError):
            continue
    if len(chosen) < 2:
        return None
    return LanguageDetectorBuilder.from_languages(*chosen).build()


def lingua_scores(text: str, langs: Iterable[str]) -> dict[str, float]:
    """lingua's confidence for each candidate language (empty when lingua cannot judge)."""
    detector = _lingua_detector(frozenset(langs))
    if detector is None:
        return {}
    values = detector.compute_language_confidence_values(text)
    return {v.language.iso_code_639_1.name.lower(): float(v.value) for v in values}


def classify(text: str, candidates: Sequence[str], words: Sequence[str] | None = None,
             foreign_at: float | None = None) -> tuple[str | None, float]:
    """The language of a short ``text`` among ``candidates`` and a confidence in 0..1.

    The confidence is the lower of the word-frequency posterior and lingua's confidence when both
    name the same language; when they disagree the best language is returned with a confidence
    of at most 0.5, so callers that act only above a threshold stay silent.
    ``words`` are the tokens to score (default: all word tokens of ``text``).

    ``foreign_at``: the caller acts only on a language other than ``candidates[0]`` with at least
    this confidence. Since the confidence never exceeds the word model's posterior, lingua (slow,
    and loading its models takes seconds) is then asked only when the word model names another
    language with that posterior; otherwise the word model's verdict is returned as it stands.
    """
    words = list(words) if words is not None else tokens(text)
    by_words = word_posteriors(words, candidates)
    if not by_words:
        return None, 0.0
    best_words = max(by_words, key=by_words.__getitem__)
    if len(by_words) == 1:
        return best_words, 1.0
    if foreign_at is not None and (best_words == candidates[0] or by_words[best_words] < foreign_at):
        return best_words, by_words[best_words]
    # lingua judges the target and the word model's three best guesses (fewer models to load).
    first = next(iter(by_words))  # the first candidate with a word list (dicts keep candidate order)
    shortlist = dict.fromkeys([first, *sorted(by_words, key=by_words.__getitem__, reverse=True)[:3]])
    by_ngrams = lingua_scores(text, shortlist)
    if not by_ngrams:
        return best_words, by_words[best_words]
    best_ngrams = max(by_ngrams, key=by_ngrams.__getitem__)
    if best_ngrams != best_words:
        return best_words, min(0.5, by_words[best_words])
    return best_words, min(by_words[best_words], by_ngrams[best_ngrams])


def word_posteriors(words: Sequence[str], candidates: Sequence[str]) -> dict[str, float]:
    """The word-frequency model's posterior of each candidate that has a word list (in candidate order).

    A single candidate gets 1.0; no words, or no candidate with a word list, give {}.
    """
    langs = [c for c in dict.fromkeys(candidates) if has_wordlist(c)]
    if not words or not langs:
        return {}
    if len(langs) == 1:
        return {langs[0]: 1.0}
    return _posterior(unigram_scores(words, langs))


def known_share(words: Sequence[str], lang: str) -> float:
    """Share of ``words`` found in the (small) word list of ``lang``; 1.0 for no words."""
    if not words:
        return 1.0
    freqs = wordlist(lang)
    if not freqs:
        return 1.0
    return sum(1 for w in words if w in freqs or w.split("'", 1)[-1] in freqs) / len(words)


def fold(text: str) -> str:
    """Lower-case ``text`` without diacritics (for loose comparisons)."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))
