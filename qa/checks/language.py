"""Language identity: untranslated sentences, a document in the wrong language, mixed sentences.

What it catches
    * ``untranslated-text``: a sentence or paragraph left in the source language (or another
      language) inside a translation;
    * ``wrong-target-language``: a document that is mostly not in the expected target language
      (the source pasted instead of the translation, the wrong target selected);
    * ``mixed-language-sentence``: a clause of another language inside a target sentence.

Why MT produces it
    Engines pass through segments they fail to parse (long quotations, lists, text in markup),
    segments whose language was misdetected, and pipelines leave untranslated paragraphs when a
    request fails or times out. Clauses stay untranslated when the engine copies a span it
    takes for a name or a quotation.

How it decides (precision first)
    Quoted passages, URLs, handles and numbers are removed before judging, so a quotation kept
    in its original language, a name or a figure never counts. A sentence needs at least four
    words of evidence (eight characters in Chinese, Japanese or Korean). A passage in a script
    the target language does not use (Cyrillic in English) is reported from its script alone. Most sentences are cleared at once because nearly all their words are
    common target-language words; the rest are classified among a few candidate languages
    (target, source, common source languages) by word frequencies and lingua together
    (:func:`qa.langid.classify`), and only a confident, agreed verdict is reported, with that
    confidence.

Known limits
    Very short segments (headings, "Merci !") are not judged; closely related languages
    (Spanish/Portuguese, Dutch/German) may be confused with each other (still reported as
    untranslated, with the wrong language named); a whole foreign paragraph written entirely
    inside quotation marks is treated as a quotation and not reported.
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Iterator

from ..context import CheckContext
from ..langid import (BEYOND_LATIN_RE, COMMON_LANGUAGES, classify, dominant_script, has_wordlist, known_share,
                      language_name,
                      script_of, tokens, with_base_languages, word_posteriors, wordlist, writes_in)
from ..model import Category, Document, Finding, Segment, Severity
from ..rules import ALL_LANGUAGES, Example, Rule, check

_SCRIPT_DEFAULT_LANG = {"cyrillic": "ru", "greek": "el", "arabic": "ar", "hebrew": "he",
                        "cjk": "zh", "kana": "ja", "hangul": "ko", "devanagari": "hi", "latin": "en"}
_MIN_WORDS = 4
_BELONGS = 10.0          # a word this many times as frequent in one language belongs to it
_BETTER_SHARE = 0.3      # net share of words belonging to the other language
_UNSEEN = 1e-9           # frequency of a word missing from a word list
_MIN_LETTERS = 20
_CLEAR_SHARE = 0.85
_THRESHOLD = 0.85
_QUOTE_PAIRS = {"“": "”", "«": "»", "„": "“", "‚": "‘", "‹": "›", "「": "」", "『": "』", "»": "«"}
_QUOTE_CHARS = frozenset(_QUOTE_PAIRS) | {"‘", '"'}
_QUOTE_CHAR_RE = re.compile("[" + re.escape("".join(sorted(_QUOTE_CHARS))) + "]")
_NOISE_RE = re.compile(r"https?://\S+|www\.\S+|\S+@\S+|[@#]\w+|\d[\d.,:/\-]*")
_WORD_SPAN_RE = re.compile(r"[^\W\d_]+(?:['’\-][^\W\d_]+)*")


def quoted_spans(text: str) -> list[tuple[int, int]]:
    """Spans of balanced quotations in ``text`` (curly, guillemets, low-9 and straight double quotes)."""
    return list(_quoted_spans(text))


_CACHE = 8192  # entries per text-keyed cache: a repeated segment is judged once per process


@lru_cache(maxsize=_CACHE)
def _quoted_spans(text: str) -> tuple[tuple[int, int], ...]:
    if not _QUOTE_CHAR_RE.search(text):
        return ()
    spans: list[tuple[int, int]] = []
    stack: list[tuple[str, int]] = []
    straight: int | None = None
    for i, ch in enumerate(text):
        if stack and ch == stack[-1][0]:
            _, start = stack.pop()
            if not stack:
                spans.append((start, i + 1))
        elif ch in _QUOTE_PAIRS and not (ch == "»" and stack):
            stack.append((_QUOTE_PAIRS[ch], i))
        elif ch == "‘" and not text[i - 1:i].isalpha():
            close = _closing_single(text, i + 1)
            if close is not None and not stack:
                spans.append((i, close + 1))
        elif ch == '"':
            if straight is None:
                straight = i
            else:
                spans.append((straight, i + 1))
                straight = None
        elif ch in "\r\n" and not text[i + 1:i + 2].strip():
            stack.clear()  # quotations do not run across paragraphs
            straight = None
    return tuple(spans)


def _closing_single(text: str, start: int) -> int | None:
    """The ’ closing a single quotation opened before ``start`` (an apostrophe inside a word does not)."""
    for index in range(start, min(len(text), start + 300)):
        if text[index] == "’" and not text[index + 1:index + 2].isalpha():
            return index
        if text[index] in "\r\n":
            return None
    return None


@lru_cache(maxsize=_CACHE)
def evidence_text(text: str) -> str:
    """``text`` with quotations, URLs, handles and numbers blanked (same length, offsets kept)."""
    chars = list(text)
    for start, end in quoted_spans(text):
        chars[start:end] = " " * (end - start)
    blanked = "".join(chars)
    return _NOISE_RE.sub(lambda m: " " * len(m.group()), blanked)


@dataclass(frozen=True)
class _Text:
    """Stand-in for a segment where only its text matters (cached verdicts)."""

    text: str


@dataclass(frozen=True)
class SegmentLanguage:
    """The language verdict on one segment: language, confidence and the evidence size."""

    segment: Segment
    lang: str | None
    confidence: float
    words: int

    def is_foreign(self, target: str) -> bool:
        return self.lang is not None and self.lang != target and self.confidence >= _THRESHOLD


def candidates_for(doc: Document) -> tuple[str, ...]:
    """Languages a segment of ``doc`` may be in: target, source, then common source languages."""
    ordered = [doc.target_lang, doc.source_lang, *COMMON_LANGUAGES]
    return tuple(lang for lang in dict.fromkeys(ordered) if lang and has_wordlist(lang))


def judge_segment(seg: Segment, target: str, candidates: tuple[str, ...]) -> SegmentLanguage:
    """Classify one segment, clearing ordinary target-language text cheaply."""
    lang, confidence, words = _judge_text(seg.text, target, tuple(candidates))
    return SegmentLanguage(seg, lang, confidence, words)


@lru_cache(maxsize=_CACHE)
def _judge_text(text: str, target: str, candidates: tuple[str, ...]) -> tuple[str | None, float, int]:
    """The verdict on one segment text: (language, confidence, evidence words)."""
    evidence = evidence_text(text)
    words = tokens(evidence)
    letters = sum(len(w) for w in words)
    script, n_letters = dominant_script(evidence)
    if script in ("cjk", "kana", "hangul") and n_letters >= 8 and not writes_in(target, script):
        return (_SCRIPT_DEFAULT_LANG[script], 0.97, n_letters // 2)
    if len(words) < _MIN_WORDS or letters < _MIN_LETTERS:
        return (None, 0.0, len(words))
    if script and not writes_in(target, script):
        lang = _SCRIPT_DEFAULT_LANG.get(script, script)
        return (lang, 0.97, len(words))
    if known_share(words, target) >= _CLEAR_SHARE:
        return (target, 1.0, len(words))
    by_words = word_posteriors(words, candidates)
    lang = max(by_words, key=by_words.__getitem__) if by_words else None
    if lang is None or lang == target or by_words[lang] < _THRESHOLD or not _explains_better(words, lang, target):
        # Not foreign whatever lingua would say (classify's confidence never exceeds the word
        # model's posterior), so lingua, slow and with models to load, is not asked; another
        # language without that evidence gets at most 0.5, as in classify.
        posterior = by_words.get(lang, 0.0) if lang else 0.0
        return (lang, posterior if lang == target else min(posterior, 0.5), len(words))
    lang, confidence = classify(evidence, candidates, words)
    if lang and lang != target and not _explains_better(words, lang, target):
        confidence = min(confidence, 0.5)
    return (lang, confidence, len(words))


def _explains_better(words: list[str], lang: str, target: str) -> bool:
    """Whether clearly more of ``words`` belong to ``lang`` than to the target language.

    A word belongs to a language when it is at least ``_BELONGS`` times as frequent there as in
    the other; the words that belong to ``lang`` must outnumber those that belong to the target
    by ``_BETTER_SHARE`` of all words. (Merely being listed proves little: web-crawled German
    word lists hold "the", "are" and "about"; cognates and names are about as frequent in both.)
    """
    ours, theirs = wordlist(lang), wordlist(target)  # both exist: _judge_text has cleared targets without one
    more = sum(1 for w in words if ours.get(w, _UNSEEN) >= _BELONGS * theirs.get(w, _UNSEEN))
    fewer = sum(1 for w in words if theirs.get(w, _UNSEEN) >= _BELONGS * ours.get(w, _UNSEEN))
    return (more - fewer) / len(words) >= _BETTER_SHARE


def segment_languages(doc: Document, ctx: CheckContext) -> list[SegmentLanguage]:
    """Verdicts for every segment of ``doc``, computed once per document."""
    def build() -> list[SegmentLanguage]:
        if not doc.target_lang:
            return []
        candidates = candidates_for(doc)
        if doc.target_lang not in candidates:
            candidates = (doc.target_lang, *candidates)
        return [judge_segment(seg, doc.target_lang, candidates) for seg in doc.segments]

    return ctx.memo("language.segments", build)


def _foreign_share(doc: Document, ctx: CheckContext) -> tuple[float, str | None, float]:
    """Share of evidence words in confidently foreign segments, their main language and confidence."""
    verdicts = segment_languages(doc, ctx)
    total = sum(v.words for v in verdicts if v.lang is not None)
    foreign = [v for v in verdicts if v.is_foreign(doc.target_lang or "")]
    if not total or not foreign:
        return 0.0, None, 0.0
    by_lang: dict[str, int] = {}
    for v in foreign:
        by_lang[v.lang or ""] = by_lang.get(v.lang or "", 0) + v.words
    lang = max(by_lang, key=by_lang.__getitem__)
    weight = sum(v.words for v in foreign)
    confidence = sum(v.confidence * v.words for v in foreign) / weight
    return weight / total, lang, confidence


UNTRANSLATED = Rule(
    code="QA301",
    name="untranslated-text",
    category=Category.ACCURACY,
    severity=Severity.MAJOR,
    languages=ALL_LANGUAGES,
    explanation=(
        "A sentence or paragraph of the translation is not in the target language: it was left "
        "in the source language (or another language) by the engine or the pipeline. Quotations, "
        "names, numbers and segments shorter than four words are not judged, and a sentence is "
        "reported only when word frequencies and a character n-gram model agree on the foreign "
        "language with high confidence. Translate the passage."
    ),
    fail_examples=(
        Example("The army announced on Thursday that it had regained ground in the region. "
                "Les autorités n'ont pas précisé les raisons de cette décision. "
                "The official did not say how many people were affected.", "en",
                span="Les autorités n'ont pas précisé les raisons de cette décision."),
        Example("Die Armee meldete am Donnerstag Geländegewinne in der Region. "
                "The authorities have not given any reason for this decision so far. "
                "Wie viele Menschen betroffen sind, wurde nicht gesagt.", "de",
                span="The authorities have not given any reason for this decision so far."),
        Example("L'armée a annoncé jeudi avoir repris du terrain dans la région. "
                "Die Behörden haben die Gründe für diese Entscheidung nicht genannt. "
                "Le responsable n'a pas précisé combien de personnes étaient concernées.", "fr",
                span="Die Behörden haben die Gründe für diese Entscheidung nicht genannt."),
        Example("Die Staatsbahn beteiligt sich an den Kosten für die neuen Fahrzeuge. "
                "The two companies are investing about 320 million euros in the connection. "
                "Fahrgastverbände begrüßten die Pläne.", "de",
                span="The two companies are investing about 320 million euros in the connection."),
        Example("El Gobierno aprobó el plan el martes por la tarde. "
                "The unions welcomed the initiative but warned about staff shortages. "
                "Las comunidades recibirán los fondos en enero.", "es",
                span="The unions welcomed the initiative but warned about staff shortages."),
    ),
    pass_examples=(
        Example("The army said it had regained ground. \"Nous sommes prêts à tout\", the minister "
                "declared on Monday.", "en"),
        Example("Ukrainian Foreign Minister Andriy Sybiga invited the ICRC to visit Sudzha.", "en"),
        Example("Der Minister sagte: „Wir sind bereit.“ Die Lage bleibt angespannt.", "de"),
        Example("Le ministre a parlé de « deep state » lors de son discours de lundi soir.", "fr"),
        Example("Das Team arbeitet mit Software, Hardware und Cloud-Services für seine Kunden.", "de"),
        Example("Der Film „The Social Network“ läuft heute im Kino am Markt.", "de"),
    ),
)


@check(UNTRANSLATED)
def untranslated_text(doc: Document, ctx: CheckContext) -> Iterator[Finding]:
    """Runs of foreign sentences inside a document that is mostly in the target language."""
    doc = with_base_languages(doc)
    target = doc.target_lang or ""
    share, _, _ = _foreign_share(doc, ctx)
    if share >= 0.5:
        return  # the whole document is in another language: wrong-target-language reports it
    run: list[SegmentLanguage] = []
    for verdict in segment_languages(doc, ctx) + [None]:  # type: ignore[operator]
        if verdict is not None and verdict.is_foreign(target) and (
                not run or (run[-1].lang == verdict.lang and run[-1].segment.paragraph == verdict.segment.paragraph
                            and not doc.unit_based)):
            run.append(verdict)
            continue
        if run:
            yield _untranslated_finding(doc, run, target)
        run = [verdict] if verdict is not None and verdict.is_foreign(target) else []
        if verdict is not None and not run:
            for start, end, script in _foreign_script_runs(verdict.segment, target):
                name = {"cjk": "Chinese or Japanese", "kana": "Japanese", "hangul": "Korean"}.get(
                    script, script.capitalize())
                yield UNTRANSLATED.finding(
                    doc, verdict.segment.start + start, verdict.segment.start + end,
                    f"This passage is in {name} script, which {language_name(target)} does not use: "
                    f"it was left untranslated.", confidence=0.9)


def _foreign_script_runs(seg: Segment, target: str) -> Iterator[tuple[int, int, str]]:
    """Passages of a segment in a script the target does not use (cached by text)."""
    return iter(_script_runs(seg.text, target))


@lru_cache(maxsize=_CACHE)
def _script_runs(text: str, target: str) -> tuple[tuple[int, int, str], ...]:
    if writes_in(target, "latin") and (text.isascii() or not BEYOND_LATIN_RE.search(text)):
        return ()  # only Latin letters, which the target uses
    return tuple(_find_script_runs(_Text(text), target))


def _find_script_runs(seg: "Segment | _Text", target: str) -> Iterator[tuple[int, int, str]]:
    """Passages of a segment written in a script the target language does not use.

    Catches a sentence in another script that segmentation glued to a target sentence (no
    capital letter follows the full stop in Chinese). Yields (start, end, script) in segment
    offsets for runs of at least 8 CJK characters or 4 words, outside quotations.
    """
    evidence = evidence_text(seg.text)
    start = None
    script_run = None
    for index, ch in enumerate(evidence + "\x00"):
        script = script_of(ch) if ch.isalpha() else None
        foreign = script is not None and not writes_in(target, script)
        if foreign and start is None:
            start, script_run = index, script
        elif start is not None and (script is not None and not foreign or ch == "\x00"):
            end = index
            while end > start and not evidence[end - 1].isalpha() and evidence[end - 1] not in "。！？.!?":
                end -= 1
            text = seg.text[start:end]
            cjk = script_run in ("cjk", "kana", "hangul")
            if (cjk and sum(c.isalpha() for c in text) >= 8) or (not cjk and len(tokens(text)) >= _MIN_WORDS):
                yield start, end, script_run or ""
            start = None


def _untranslated_finding(doc: Document, run: list[SegmentLanguage], target: str) -> Finding:
    start, end = run[0].segment.start, run[-1].segment.end
    confidence = min(v.confidence for v in run)
    what = "This sentence is" if len(run) == 1 else "These sentences are"
    return UNTRANSLATED.finding(
        doc, start, end,
        f"{what} in {language_name(run[0].lang)}, not {language_name(target)}: "
        f"the passage was left untranslated.",
        confidence=confidence,
    )


WRONG_LANGUAGE = Rule(
    code="QA302",
    name="wrong-target-language",
    category=Category.ACCURACY,
    severity=Severity.CRITICAL,
    languages=ALL_LANGUAGES,
    explanation=(
        "Most of the document is not in the expected target language: the source text was "
        "submitted instead of the translation, the wrong target language was chosen, or the "
        "engine did not translate at all. Reported once for the document (individual sentences "
        "are then not reported as untranslated). Check the target language setting or translate "
        "the document."
    ),
    fail_examples=(
        Example("La Russie a ordonné lundi l'évacuation de villages situés à moins de quinze "
                "kilomètres de l'Ukraine. Les autorités n'ont pas précisé les raisons.", "en"),
        Example("Russia on Monday ordered the evacuation of villages located less than fifteen "
                "kilometers from Ukraine. The authorities did not give reasons.", "de"),
        Example("Russland hat am Montag die Evakuierung von Dörfern angeordnet, die weniger als "
                "fünfzehn Kilometer von der Ukraine entfernt liegen.", "fr"),
    ),
    pass_examples=(
        Example("Russia on Monday ordered the evacuation of villages near the border.", "en"),
        Example("Russland hat am Montag die Evakuierung von Dörfern angeordnet.", "de"),
        Example("La Russie a ordonné lundi l'évacuation de villages proches de la frontière.", "fr"),
        Example("Merci beaucoup !", "en"),
    ),
)


@check(WRONG_LANGUAGE)
def wrong_target_language(doc: Document, ctx: CheckContext) -> Iterator[Finding]:
    """One finding when at least half of the judged words are confidently in another language."""
    doc = with_base_languages(doc)
    share, lang, confidence = _foreign_share(doc, ctx)
    if share < 0.5 or not doc.segments:
        return
    start, end = doc.segments[0].start, doc.segments[-1].end
    yield WRONG_LANGUAGE.finding(
        doc, start, end,
        f"The document is mostly in {language_name(lang)} ({share:.0%} of the judged words), "
        f"not in the expected {language_name(doc.target_lang)}.",
        confidence=confidence * min(1.0, share + 0.3),
    )


MIXED = Rule(
    code="QA303",
    name="mixed-language-sentence",
    category=Category.ACCURACY,
    severity=Severity.MAJOR,
    languages=ALL_LANGUAGES,
    explanation=(
        "A target-language sentence contains a clause of another language, usually a part of the "
        "source the engine copied instead of translating. Reported when at least three "
        "consecutive words are much more frequent in one other language than in the target "
        "language and a language detector agrees on that span; names, numbers and quotations are "
        "ignored. Translate the clause."
    ),
    fail_examples=(
        Example("The Russian army said on Thursday that it had regained ground selon le ministère "
                "de la Défense.", "en", span="selon le ministère de la"),
        Example("Die russische Armee erklärte am Donnerstag, sie habe according to the ministry "
                "wieder Boden gutgemacht.", "de", span="according to the ministry"),
        Example("L'armée russe a annoncé jeudi avoir repris du terrain, nach Angaben des "
                "Ministeriums, dans la région.", "fr", span="nach Angaben des Ministeriums"),
    ),
    pass_examples=(
        Example("The minister spoke of a \"coup de grâce\" for the government in Paris.", "en"),
        Example("Ukrainian President Volodymyr Zelensky met Mirjana Spoljaric in Kyiv.", "en"),
        Example("Das Team hat das Meeting auf Montag verschoben.", "de"),
        Example("Le week-end dernier, le parking du stade était plein.", "fr"),
    ),
)

_MIXED_THRESHOLD = 0.8  # confidence of the span's language needed to report it
_FOREIGN_MARGIN = 2.0   # zipf points by which a word is more frequent in the other language
_TARGET_MARGIN = 1.0


def _zipf(freqs: dict[str, float], word: str) -> float:
    freq = freqs.get(word)
    return math.log10(freq) + 9.0 if freq else 0.0


def _token_labels(seg: Segment, target: str, others: tuple[str, ...]) -> list[tuple[int, int, str]]:
    """Word tokens of a segment labelled ``t`` (target), a foreign language code, or ``""`` (neutral)."""
    return list(_text_labels(seg.text, target, tuple(others)))


@lru_cache(maxsize=_CACHE)
def _text_labels(raw: str, target: str, others: tuple[str, ...]) -> tuple[tuple[int, int, str], ...]:
    text = evidence_text(raw)
    memo = _label_memo(target, others)
    labels = []
    for m in _WORD_SPAN_RE.finditer(text):
        key = (m.group(), m.start() == 0)
        label = memo.get(key)
        if label is None:
            if len(memo) >= _LABEL_MEMO_SIZE:
                memo.clear()
            label = memo[key] = _word_label(key[0], key[1], target, others)
        labels.append((m.start(), m.end(), label))
    return tuple(labels)


_LABEL_MEMO_SIZE = 200_000


@lru_cache(maxsize=16)
def _label_memo(target: str, others: tuple[str, ...]) -> dict[tuple[str, bool], str]:
    """Labels already given, by (word, opens the segment), for one target and its other languages.

    A plain dict keyed by the word: cheaper than caching ``_word_label`` on all four arguments,
    which hashes the tuple of other languages again for every word.
    """
    return {}


def _word_label(word: str, first: bool, target: str, others: tuple[str, ...]) -> str:
    """The label of one word (see ``_token_labels``); ``first``: it opens the segment."""
    script = script_of(word[0])
    if script is not None and not writes_in(target, script):
        return ""  # another script: untranslated-text reports it
    big = wordlist(target, "best") or wordlist(target)
    small = {lang: wordlist(lang) for lang in others}
    low = word.lower().replace("’", "'")
    z_target = _zipf(big, low)
    best_lang, z_best = "", 0.0
    for lang, freqs in small.items():
        z = _zipf(freqs, low)
        if z > z_best:
            best_lang, z_best = lang, z
    if not first and word[:1].isupper() or len(word) == 1 and word.isupper():
        # Names are neutral; a common German noun absent from the target is still foreign.
        german_noun = best_lang == "de" and target != "de" and z_best >= 3.5 and z_target < 1.5
        return "de" if german_noun else ""
    if z_best >= 3.0 and z_best - z_target >= _FOREIGN_MARGIN:
        return best_lang
    if z_target >= 2.5 and z_target >= z_best - _TARGET_MARGIN:
        return "t"
    return ""


def _foreign_runs(labels: list[tuple[int, int, str]]) -> Iterator[tuple[int, int, str, int]]:
    """Maximal runs without target words: (start, end, language, foreign words) with >= 3 foreign words."""
    run: list[tuple[int, int, str]] = []
    bridged = False
    padded = labels + [(0, 0, "t")]
    for index, item in enumerate(padded):
        if item[2] != "t":
            run.append(item)
            continue
        after = padded[index + 1][2] if index + 1 < len(padded) else "t"
        if not bridged and run and run[-1][2] and after not in ("", "t"):
            run.append((item[0], item[1], ""))  # one shared word inside a foreign clause ("des")
            bridged = True
            continue
        bridged = False
        foreign = [r for r in run if r[2]]
        if len(foreign) >= 3:
            counts: dict[str, int] = {}
            for r in foreign:
                counts[r[2]] = counts.get(r[2], 0) + 1
            lang = max(counts, key=counts.__getitem__)
            if counts[lang] >= 3:
                yield foreign[0][0], foreign[-1][1], lang, counts[lang]
        run = []


@check(MIXED)
def mixed_language_sentence(doc: Document, ctx: CheckContext) -> Iterator[Finding]:
    """Foreign clauses inside sentences that are otherwise in the target language."""
    doc = with_base_languages(doc)
    target = doc.target_lang or ""
    if not has_wordlist(target):
        return
    others = tuple(c for c in candidates_for(doc) if c != target)
    for verdict in segment_languages(doc, ctx):
        seg = verdict.segment
        if verdict.is_foreign(target) or seg.kind == "heading":
            continue
        labels = _token_labels(seg, target, others)
        target_words = sum(1 for label in labels if label[2] == "t")
        if target_words < 3:
            continue
        for start, end, lang, count in _foreign_runs(labels):
            span_text = seg.text[start:end]
            found, confidence = classify(span_text, (target, lang), foreign_at=_MIXED_THRESHOLD)
            if found != lang or confidence < _MIXED_THRESHOLD:
                continue
            yield MIXED.finding(
                doc, seg.start + start, seg.start + end,
                f"This clause is in {language_name(lang)} inside a {language_name(target)} "
                f"sentence: it was probably left untranslated.",
                confidence=min(confidence, 0.6 + 0.1 * count),
            )
