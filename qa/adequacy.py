"""Adequacy without a reference: does the translation say what the source says?

The fluency language model (:class:`qa.fluency.Scorer`) reads each segment in a two-line
translation prompt and scores, token by token, four things:

* ``log p(T | source)`` — the target given the source (``"English:\\n<source>\\nGerman:\\n"``);
* ``log p(T)`` — the target given only its language label (``"German:\\n"``);
* ``log p(S | target)`` — the source given the target, the reverse direction;
* ``log p(S)`` — the source given only its language label.

The difference ``log p(T | S) - log p(T)`` (pointwise mutual information, PMI) says how much
the source explains each target token. At the size of the default model (270M parameters)
sentence-level PMI is a weak signal (see ``docs/benchmarks.md``): the evidence that works is
token-level — the *excess surprisal* of the tokens that the source does not make likely
(``log p(t | S)`` far below a floor while the source raised it little). Words holding such
tokens are candidate mistranslations or additions (:attr:`SegmentAdequacy.unsupported`); source
words that the target does not explain in the reverse direction are candidate omissions
(:attr:`SegmentAdequacy.uncovered`).

``adequacy`` (0..100) maps the segment's combined evidence per word through a logistic
calibrated on WMT21 TED MQM data; findings (``qa.checks.adequacy``) compare segments with the
document's own norm, never with a blanket threshold.

Segments get their source from ``Segment.source`` (bilingual files) or, for a text document
with a whole source text, by aligning source sentences to target segments with
:func:`qa.align.align`.
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import Any, Sequence

from .model import Document, Segment

# English names used in the translation prompt (the model's pre-training saw such labels).
LANGUAGE_NAMES = {
    "ar": "Arabic", "bg": "Bulgarian", "ca": "Catalan", "cs": "Czech", "da": "Danish", "de": "German",
    "el": "Greek", "en": "English", "es": "Spanish", "et": "Estonian", "fa": "Persian", "fi": "Finnish",
    "fr": "French", "he": "Hebrew", "hi": "Hindi", "hr": "Croatian", "hu": "Hungarian",
    "id": "Indonesian", "it": "Italian", "ja": "Japanese", "ko": "Korean", "lt": "Lithuanian",
    "lv": "Latvian", "nb": "Norwegian", "nl": "Dutch", "no": "Norwegian", "pl": "Polish",
    "pt": "Portuguese", "ro": "Romanian", "ru": "Russian", "sk": "Slovak", "sl": "Slovenian",
    "sr": "Serbian", "sv": "Swedish", "th": "Thai", "tr": "Turkish", "uk": "Ukrainian",
    "vi": "Vietnamese", "zh": "Chinese",
}

# Token-level evidence (nats). A token is "unsupported" by its source when log p(t | S) is
# below -FLOOR; its excess surprisal is how far below. Tokens the source made much more likely
# than the target alone does (PMI above SUPPORTED_PMI) are not counted.
FLOOR = 4.0
SUPPORTED_PMI = 1.0
# Combined evidence = target excess + SOURCE_WEIGHT * source excess (both <= 0, summed).
SOURCE_WEIGHT = 0.5
# adequacy = 100 * sigmoid((evidence per word - CENTER) / SCALE); see docs/benchmarks.md.
CENTER = -1.5
SCALE = 0.6
# How many words of evidence a segment keeps.
EVIDENCE_WORDS = 3

_WORD = re.compile(r"\w+(?:[’'\-]\w+)*", re.UNICODE)


@dataclass(frozen=True)
class WordEvidence:
    """One word and how badly the other side supports it.

    ``start``/``end`` are offsets into the segment's text (target words) or into the source
    text the segment was scored against (source words); ``excess`` is the summed excess
    surprisal of its tokens (nats, <= 0, lower is worse); ``pmi`` the summed PMI of its tokens.
    """

    start: int
    end: int
    text: str
    excess: float
    pmi: float


@dataclass(frozen=True)
class SegmentAdequacy:
    """How well a segment's source explains it, and the reverse.

    ``adequacy`` is 0..100 (higher is better); ``evidence`` the combined excess surprisal
    (nats, <= 0) it comes from, ``evidence_per_word`` that per target word. ``target_pmi`` and
    ``source_pmi`` are mean PMI per token in each direction; ``target_logprob`` and
    ``source_logprob`` mean log-probabilities given the other side. ``unsupported`` lists target
    words, worst first; ``uncovered`` lists source words (offsets into ``source``), worst first.
    """

    adequacy: float
    evidence: float
    evidence_per_word: float
    target_logprob: float
    target_pmi: float
    source_logprob: float
    source_pmi: float
    target_tokens: int
    source_tokens: int
    unsupported: tuple[WordEvidence, ...] = ()
    uncovered: tuple[WordEvidence, ...] = ()
    source: str = ""


@dataclass(frozen=True)
class _Pair:
    """A unit to score: target segments (indices, joined text) and their source text."""

    segments: tuple[int, ...]
    target: str
    source: str


def language_name(code: str | None, fallback: str) -> str:
    """The English name of a language code for the prompt, or ``fallback`` when unknown."""
    if not code:
        return fallback
    return LANGUAGE_NAMES.get(code.split("-")[0].lower(), fallback)


def prompts(source: str, target: str, source_lang: str | None, target_lang: str | None) -> dict[str, str]:
    """The four contexts: target given source, target alone, source given target, source alone."""
    src = language_name(source_lang, "Source")
    tgt = language_name(target_lang, "Translation")
    if src == tgt:
        src, tgt = f"{src} (source)", f"{tgt} (translation)"
    return {
        "target_given_source": f"{src}:\n{source}\n{tgt}:\n",
        "target_alone": f"{tgt}:\n",
        "source_given_target": f"{tgt}:\n{target}\n{src}:\n",
        "source_alone": f"{src}:\n",
    }


def score_pairs(sources: Sequence[str], targets: Sequence[str], source_lang: str | None,
                target_lang: str | None, scorer: Any) -> list[SegmentAdequacy]:
    """Adequacy of each ``targets[i]`` as a translation of ``sources[i]`` (batched: four calls)."""
    if len(sources) != len(targets):
        raise ValueError("score_pairs: sources and targets differ in length")
    if not targets:
        return []
    contexts = [prompts(s, t, source_lang, target_lang) for s, t in zip(sources, targets)]
    t_cond = scorer.token_logprobs(list(targets), [c["target_given_source"] for c in contexts])
    t_alone = scorer.token_logprobs(list(targets), [c["target_alone"] for c in contexts])
    s_cond = scorer.token_logprobs(list(sources), [c["source_given_target"] for c in contexts])
    s_alone = scorer.token_logprobs(list(sources), [c["source_alone"] for c in contexts])
    return [pair_adequacy(*args) for args in zip(sources, targets, t_cond, t_alone, s_cond, s_alone)]


def pair_adequacy(source: str, target: str, t_cond: Any, t_alone: Any, s_cond: Any, s_alone: Any) -> SegmentAdequacy:
    """The :class:`SegmentAdequacy` of one pair from its four :class:`~qa.fluency.TokenScores`."""
    t_words = word_evidence(target, t_cond, t_alone)
    s_words = word_evidence(source, s_cond, s_alone)
    t_excess = sum(w.excess for w in t_words)
    s_excess = sum(w.excess for w in s_words)
    evidence = t_excess + SOURCE_WEIGHT * s_excess
    per_word = evidence / max(1, len(t_words))
    return SegmentAdequacy(
        adequacy=round(calibrate(per_word), 2), evidence=evidence, evidence_per_word=per_word,
        target_logprob=_mean(t_cond.logprobs), target_pmi=_mean_diff(t_cond.logprobs, t_alone.logprobs),
        source_logprob=_mean(s_cond.logprobs), source_pmi=_mean_diff(s_cond.logprobs, s_alone.logprobs),
        target_tokens=len(t_cond.logprobs), source_tokens=len(s_cond.logprobs),
        unsupported=_worst(t_words), uncovered=_worst(s_words), source=source,
    )


def token_excess(cond: float, alone: float) -> float:
    """Excess surprisal of one token (<= 0): how far ``log p(t | other side)`` is below the floor.

    A token the other side made clearly more likely (PMI above ``SUPPORTED_PMI``) counts as
    supported however rare it is (a name copied from the source).
    """
    if cond - alone > SUPPORTED_PMI:
        return 0.0
    return min(0.0, cond + FLOOR)


def word_evidence(text: str, cond: Any, alone: Any) -> list[WordEvidence]:
    """Evidence per word of ``text``: the summed token excess and PMI of the tokens inside it.

    Tokens are matched to words by character overlap (a token spanning two words counts for
    the first); tokens outside any word (punctuation) are ignored.
    """
    spans = [m.span() for m in _WORD.finditer(text)]
    excess = [0.0] * len(spans)
    pmi = [0.0] * len(spans)
    k = 0
    for (start, end), c, a in zip(cond.spans, cond.logprobs, alone.logprobs):
        while k < len(spans) and spans[k][1] <= start:
            k += 1
        if k < len(spans) and spans[k][0] < end:
            excess[k] += token_excess(c, a)
            pmi[k] += c - a
    return [WordEvidence(s, e, text[s:e], x, p) for (s, e), x, p in zip(spans, excess, pmi)]


def calibrate(per_word: float) -> float:
    """Map evidence per word (nats, <= 0) to 0..100."""
    z = (per_word - CENTER) / SCALE
    return 100.0 / (1.0 + math.exp(-max(-50.0, min(50.0, z))))


def _worst(words: list[WordEvidence], limit: int = EVIDENCE_WORDS) -> tuple[WordEvidence, ...]:
    bad = sorted((w for w in words if w.excess < 0), key=lambda w: w.excess)
    return tuple(bad[:limit])


def _mean(values: Sequence[float]) -> float:
    return float(sum(values) / len(values)) if values else 0.0


def _mean_diff(a: Sequence[float], b: Sequence[float]) -> float:
    return _mean([x - y for x, y in zip(a, b)])


# ---------------------------------------------------------------------------------------------
# Documents


def segment_pairs(doc: Document) -> list[_Pair]:
    """Units to score: each segment with its own source, or aligned groups for text documents."""
    if any(seg.source for seg in doc.segments):
        return [_Pair((i,), seg.text, seg.source or "") for i, seg in enumerate(doc.segments)
                if seg.text.strip() and (seg.source or "").strip()]
    if not (doc.source_text or "").strip():
        return []
    return _aligned_pairs(doc)


def _aligned_pairs(doc: Document) -> list[_Pair]:
    from .align import align
    from .text import segment_text

    source_segments = [s for s in segment_text(doc.source_text or "") if s.text.strip()]
    chosen = [i for i, seg in enumerate(doc.segments) if seg.text.strip()]
    beads = align([s.text for s in source_segments], [doc.segments[i].text for i in chosen])
    pairs = []
    for src_idx, tgt_idx in beads:
        if not src_idx or not tgt_idx:
            continue  # a sentence with nothing on the other side: the source checks report it
        indices = tuple(chosen[j] for j in tgt_idx)
        first, last = doc.segments[indices[0]], doc.segments[indices[-1]]
        source = (doc.source_text or "")[source_segments[src_idx[0]].start:source_segments[src_idx[-1]].end]
        pairs.append(_Pair(indices, doc.text[first.start:last.end], source))
    return pairs


def score_segments(doc: Document, scorer: Any) -> dict[str, SegmentAdequacy]:
    """Adequacy of every segment of ``doc`` that has a source, by segment id.

    Segments aligned together with others (one source sentence translated as two) share the
    scores of their group; their word evidence is split by position.
    """
    pairs = segment_pairs(doc)
    if not pairs:
        return {}
    source_lang = doc.source_lang
    results = score_pairs([p.source for p in pairs], [p.target for p in pairs], source_lang,
                          doc.target_lang, scorer)
    scores: dict[str, SegmentAdequacy] = {}
    for pair, result in zip(pairs, results):
        for index in pair.segments:
            scores[doc.segments[index].id] = _for_segment(result, pair, doc.segments, index)
    return scores


def _for_segment(result: SegmentAdequacy, pair: _Pair, segments: Sequence[Segment], index: int) -> SegmentAdequacy:
    """The group's result with target word offsets moved into segment ``index``'s own text."""
    if len(pair.segments) == 1:
        return result
    from dataclasses import replace

    base = segments[pair.segments[0]].start
    seg = segments[index]
    lo, hi = seg.start - base, seg.end - base
    moved = tuple(replace(w, start=w.start - lo, end=w.end - lo) for w in result.unsupported
                  if lo <= w.start and w.end <= hi)
    return replace(result, unsupported=moved)


__all__ = ["LANGUAGE_NAMES", "SegmentAdequacy", "WordEvidence", "calibrate", "pair_adequacy", "prompts",
           "score_pairs", "score_segments", "segment_pairs", "token_excess", "word_evidence"]
