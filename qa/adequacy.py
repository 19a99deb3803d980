"""Adequacy without a reference: does the translation say what the source says?

The fluency language model (:class:`qa.fluency.Scorer`) reads each pair twice, as a two-line
translation prompt in each direction, and scores, token by token, four things:

* ``"English:\\n<source>\\nGerman:\\n<target>"`` gives ``log p(S)``, the source given only its
  language label, and ``log p(T | source)``, the target given the source;
* ``"German:\\n<target>\\nEnglish:\\n<source>"`` gives ``log p(T)`` and ``log p(S | target)``, the
  reverse direction.

A causal model scores the first line of a prompt exactly as if it were alone, so two passes
give all four (four separate calls would run every text through the model three times).

The difference ``log p(T | S) - log p(T)`` (pointwise mutual information, PMI) says how much
the source explains each target token. At the size of the default model (270M parameters)
sentence-level PMI is a weak signal (see ``docs/benchmarks.md``): the evidence that works is
token-level — the *excess surprisal* of the tokens that the source does not make likely
(``log p(t | S)`` far below a floor while the source raised it little). Words holding such
tokens are candidate mistranslations or additions (:attr:`SegmentAdequacy.unsupported`); source
content words whose probability the target does not raise (PMI at most ``COVERED_PMI``) are
candidate omissions (:attr:`SegmentAdequacy.uncovered`, :attr:`SegmentAdequacy.source_coverage`).

``adequacy`` (0..100) maps the segment's combined evidence per word through a logistic
calibrated on WMT21 TED MQM data (50 = the 5th percentile of MT segments there);
:func:`expected_points` combines it with fluency and length into a reference-free estimate of
the segment's MQM penalty. Measured: into English (zh-en) adequacy agrees with the human
Accuracy penalty better than chrF with a reference; into German the 270M model carries little
adequacy signal (see ``docs/benchmarks.md``). Findings (``qa.checks.adequacy``) compare segments with the
document's own norm, never with a blanket threshold.

Segments get their source from ``Segment.source`` (bilingual files) or, for a text document
with a whole source text, by aligning source sentences to target segments with
:func:`qa.align.align`.
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass, replace
from typing import Any, Sequence

from .fluency import TokenScores
from .langid import LANGUAGE_NAMES
from .model import Document, Segment


# Token-level evidence (nats). A token is "unsupported" by the other side when its
# log-probability given that side is below -FLOOR; its excess surprisal is how far below.
# A token the other side made clearly more likely than its own side alone does (PMI above
# SUPPORTED_PMI) is not counted, however rare (a name copied from the source).
# Chosen on 500 WMT21 TED en-de rows (docs/benchmarks.md): a high floor, both directions.
FLOOR = 6.0
SUPPORTED_PMI = 2.0
# Combined evidence = target excess + SOURCE_WEIGHT * source excess (both <= 0, summed).
SOURCE_WEIGHT = 1.0
# adequacy = 100 * sigmoid((evidence per target word - CENTER) / SCALE). On TED en-de MT the
# median evidence per word is -0.12 (adequacy ~90); -1.0 (5th percentile) maps to 50.
CENTER = -1.0
SCALE = 0.4
# Quality estimate (expected MQM penalty points of a segment, reference-free):
#   points = RATE * words * exp(-(FLUENCY_WEIGHT * (fluency logprob - LOGPROB_CENTER)
#                                  + ADEQUACY_WEIGHT * evidence per word))
# MQM points add up over words, so longer segments expect more; a segment that reads worse
# (mean token log-probability) or is less supported by its source expects more per word.
RATE = 0.09
FLUENCY_WEIGHT = 0.4
ADEQUACY_WEIGHT = 0.1
LOGPROB_CENTER = -4.3
# Omissions: a source content word (4+ letters, or a number) is covered when the target raises
# its log-probability by more than COVERED_PMI nats; on TED en-de MT the median segment covers
# 88 % of its content words, the 5th percentile 64 %.
COVERED_PMI = 0.5
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
    words, worst first; offsets of ``uncovered`` are into ``source``.
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
    target_words: int = 0
    source_words: int = 0
    target_excess: float = 0.0
    source_excess: float = 0.0
    target_alone_logprob: float = 0.0
    source_coverage: float = 1.0
    unsupported: tuple[WordEvidence, ...] = ()
    uncovered: tuple[WordEvidence, ...] = ()
    source: str = ""


@dataclass(frozen=True)
class _Pair:
    """A unit to score: target segments (indices, joined text) and their source text."""

    segments: tuple[int, ...]
    target: str
    source: str


def prompt_label(code: str | None, fallback: str) -> str:
    """The English name of a language code for the prompt, or ``fallback`` when unknown."""
    if not code:
        return fallback
    return LANGUAGE_NAMES.get(code.split("-")[0].lower(), fallback)


def labels(source_lang: str | None, target_lang: str | None) -> tuple[str, str]:
    """The prompt's language labels for the source and the target (always distinct)."""
    src = prompt_label(source_lang, "Source")
    tgt = prompt_label(target_lang, "Translation")
    if src == tgt:
        src, tgt = f"{src} (source)", f"{tgt} (translation)"
    return src, tgt


def prompts(source: str, target: str, source_lang: str | None, target_lang: str | None) -> dict[str, str]:
    """The four contexts each side is scored in: target given source, target alone, source given
    target, source alone (the scorer reads them as :func:`score_pairs`' two passes)."""
    src, tgt = labels(source_lang, target_lang)
    return {
        "target_given_source": f"{src}:\n{source}\n{tgt}:\n",
        "target_alone": f"{tgt}:\n",
        "source_given_target": f"{tgt}:\n{target}\n{src}:\n",
        "source_alone": f"{src}:\n",
    }


def score_pairs(sources: Sequence[str], targets: Sequence[str], source_lang: str | None,
                target_lang: str | None, scorer: Any) -> list[SegmentAdequacy]:
    """Adequacy of each ``targets[i]`` as a translation of ``sources[i]``.

    One batched scoring call reads every pair in both directions (:func:`_passes`).
    """
    if len(sources) != len(targets):
        raise ValueError("score_pairs: sources and targets differ in length")
    if not targets:
        return []
    src, tgt = labels(source_lang, target_lang)
    forward = [_passes(s, t, tgt) for s, t in zip(sources, targets)]
    backward = [_passes(t, s, src) for s, t in zip(sources, targets)]
    texts = [text for text, _, _ in forward + backward]
    contexts = [f"{src}:\n"] * len(forward) + [f"{tgt}:\n"] * len(backward)
    scored = scorer.token_logprobs(texts, contexts)
    results = []
    for i, (source, target) in enumerate(zip(sources, targets)):
        s_alone, t_cond = _split(scored[i], *forward[i][1:])
        t_alone, s_cond = _split(scored[len(forward) + i], *backward[i][1:])
        results.append(pair_adequacy(source, target, t_cond, t_alone, s_cond, s_alone))
    return results


def _passes(first: str, second: str, second_label: str) -> tuple[str, int, int]:
    """One pass's text after the first label (``first``, the second label, ``second``), where
    ``first`` ends and where ``second`` starts in it."""
    head = f"{first}\n{second_label}:\n"
    return head + second, len(first), len(head)


def _split(scores: Any, first_end: int, second_start: int) -> tuple[Any, Any]:
    """The scores of one pass split into its first text's tokens and its second text's tokens
    (spans moved into the second text); the label tokens between them are dropped.

    A token that straddles the end of the first text counts for the first text.
    """
    first, second = TokenScores([], [], []), TokenScores([], [], [])
    for token, (start, end), logprob in zip(scores.tokens, scores.spans, scores.logprobs):
        if start < first_end:
            first.tokens.append(token)
            first.spans.append((start, min(end, first_end)))
            first.logprobs.append(logprob)
        elif start >= second_start:
            second.tokens.append(token)
            second.spans.append((start - second_start, end - second_start))
            second.logprobs.append(logprob)
    return first, second


def pair_adequacy(source: str, target: str, t_cond: Any, t_alone: Any, s_cond: Any, s_alone: Any) -> SegmentAdequacy:
    """The :class:`SegmentAdequacy` of one pair from its four :class:`~qa.fluency.TokenScores`."""
    t_words = word_evidence(target, t_cond, t_alone)
    s_words = word_evidence(source, s_cond, s_alone)
    t_excess = sum(w.excess for w in t_words)
    s_excess = sum(w.excess for w in s_words)
    evidence = t_excess + SOURCE_WEIGHT * s_excess
    per_word = evidence / max(1, len(t_words))
    content = [w for w in s_words if is_content_word(w.text)]
    uncovered = tuple(w for w in content if w.pmi <= COVERED_PMI)
    coverage = 1.0 - len(uncovered) / len(content) if content else 1.0
    return SegmentAdequacy(
        adequacy=round(calibrate(per_word), 2), evidence=evidence, evidence_per_word=per_word,
        target_logprob=_mean(t_cond.logprobs), target_pmi=_mean_diff(t_cond.logprobs, t_alone.logprobs),
        source_logprob=_mean(s_cond.logprobs), source_pmi=_mean_diff(s_cond.logprobs, s_alone.logprobs),
        target_tokens=len(t_cond.logprobs), source_tokens=len(s_cond.logprobs),
        target_words=len(t_words), source_words=len(s_words), target_excess=t_excess,
        source_excess=s_excess, target_alone_logprob=_mean(t_alone.logprobs), source_coverage=coverage,
        unsupported=_worst(t_words), uncovered=uncovered, source=source,
    )


def is_content_word(word: str) -> bool:
    """A word whose absence from a translation matters: 4+ characters, or containing a digit
    (CJK words, written without spaces, count when they have 2+ characters)."""
    if any(ch.isdigit() for ch in word):
        return True
    if any("\u3040" <= ch <= "\u9fff" or "\uac00" <= ch <= "\ud7af" for ch in word):
        return len(word) >= 2
    return len(word) >= 4


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


def expected_points(result: SegmentAdequacy, fluency_logprob: float | None = None) -> float:
    """Reference-free estimate of a segment's MQM penalty points (lower is better).

    ``fluency_logprob`` is the segment's mean token log-probability from the fluency scorer
    (``SegmentFluency.logprob_adjusted``); without it, the target-alone log-probability the
    adequacy pass computed anyway is used.
    """
    logprob = result.target_alone_logprob if fluency_logprob is None else fluency_logprob
    z = FLUENCY_WEIGHT * (logprob - LOGPROB_CENTER) + ADEQUACY_WEIGHT * result.evidence_per_word
    return RATE * max(1, result.target_words) * math.exp(-max(-20.0, min(20.0, z)))


def quality_estimate(result: SegmentAdequacy, fluency: Any = None, words: int | None = None) -> float:
    """A 0..100 reference-free segment quality, MQM style: ``100 - 100 * expected points / words``.

    For ranking segments against human MQM totals use :func:`expected_points` directly (the
    total grows with length, as MQM penalties do).
    """
    points = expected_points(result, getattr(fluency, "logprob_adjusted", None))
    n = words if words is not None else max(1, result.target_words)
    return max(0.0, min(100.0, 100.0 - 100.0 * points / max(1, n)))


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
    source_lang = doc.source_lang or _detect(" ".join(p.source for p in pairs[:50]))
    results = score_pairs([p.source for p in pairs], [p.target for p in pairs], source_lang,
                          doc.target_lang, scorer)
    scores: dict[str, SegmentAdequacy] = {}
    for pair, result in zip(pairs, results):
        for index in pair.segments:
            scores[doc.segments[index].id] = _for_segment(result, pair, doc.segments, index)
    return scores


def _detect(text: str) -> str | None:
    from .langid import detect_language

    return detect_language(text)[0]


def _for_segment(result: SegmentAdequacy, pair: _Pair, segments: Sequence[Segment], index: int) -> SegmentAdequacy:
    """The group's result with target word offsets moved into segment ``index``'s own text."""
    if len(pair.segments) == 1:
        return result
    base = segments[pair.segments[0]].start
    seg = segments[index]
    lo, hi = seg.start - base, seg.end - base
    moved = tuple(replace(w, start=w.start - lo, end=w.end - lo) for w in result.unsupported
                  if lo <= w.start and w.end <= hi)
    return replace(result, unsupported=moved)


__all__ = ["SegmentAdequacy", "WordEvidence", "calibrate", "expected_points", "labels",
           "pair_adequacy", "prompts", "quality_estimate",
           "score_pairs", "score_segments", "segment_pairs", "token_excess", "word_evidence"]
