"""Document and segment quality scores (0..100) from findings, MQM style, and the model's scores.

The score has two parts, both expressed as MQM penalty points and normalised per evaluated word:

* **Findings** (the evidence): each finding costs its MQM points — minor 1, major 5, critical
  10; a non-translation (a major or critical ``untranslated-text`` or
  ``target-identical-to-source`` finding) 25 for every segment it covers; a minor
  punctuation, quote or spacing issue 0.1 — times its confidence (a finding the checker is 60 %
  sure of costs 60 % of its points). Internal errors of the checker cost nothing.
* **Model impressions** (when a language model ran): each segment costs
  ``fluency_weight * (100 - fluency) / 100 + adequacy_weight * (100 - adequacy) / 100`` points
  per word, so the model's scores count linearly, over their whole range. At the default
  weights (0.2 each) a segment the model finds perfect loses nothing, the least fluent possible
  one 20 points.

``quality = 100 - 100 * (finding points + model points) / words``, clipped to 0..100, for the
document and for each segment: with no model it is the MQM score of the findings; with the model,
an error-free text scores ``100 - 0.2 (100 - fluency) - 0.2 (100 - adequacy)``. Findings always
cost their full MQM points. A deduction only below the model's midpoint (50) was measured and
rejected: on the WMT21 TED MQM development set it ranked segments worse (docs/benchmarks.md).
Weights are settings: ``penalties`` (keys ``minor``, ``major``, ``critical``,
``non-translation``, ``minor-punctuation``), ``fluency_weight`` and ``adequacy_weight``.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Mapping

from .config import Config
from .context import CheckContext
from .model import Category, Document, Finding, Segment, Severity
from .report import SegmentScore
from .text import word_count

DEFAULT_PENALTIES: dict[str, float] = {"minor": 1.0, "major": 5.0, "critical": 10.0,
                                       "non-translation": 25.0, "minor-punctuation": 0.1}
DEFAULT_ADEQUACY_WEIGHT = 0.2
NEUTRAL = 100.0  # the model score at which it costs nothing
PUNCTUATION_RULES = ("punctuation", "quote", "spacing")
NON_TRANSLATION_RULES = ("untranslated-text", "target-identical-to-source")


def penalties_of(config: Config) -> dict[str, float]:
    """The MQM points per kind of finding: the defaults updated by ``config.penalties``."""
    merged = dict(DEFAULT_PENALTIES)
    for key, value in (config.penalties or {}).items():
        merged[str(key).lower().replace("_", "-")] = float(value)
    return merged


def penalty_kind(finding: Finding) -> str:
    """Which MQM penalty applies: a severity, ``non-translation`` or ``minor-punctuation``."""
    if finding.rule in NON_TRANSLATION_RULES and finding.severity is not Severity.MINOR:
        return "non-translation"
    if finding.severity is Severity.MINOR and finding.rule.startswith(PUNCTUATION_RULES):
        return "minor-punctuation"
    return finding.severity.value


def penalty(finding: Finding, penalties: Mapping[str, float]) -> float:
    """MQM points of one finding, weighted by its confidence (internal errors cost nothing)."""
    if finding.category is Category.INTERNAL:
        return 0.0
    return penalties[penalty_kind(finding)] * max(0.0, min(1.0, finding.confidence))


def quality_from_points(points: float, words: int) -> float:
    """``100 - 100 * points / words`` clipped to 0..100 (a text without words counts as one word)."""
    return max(0.0, min(100.0, 100.0 - 100.0 * points / max(words, 1)))


def shortfall(value: float | None, neutral: float = NEUTRAL) -> float:
    """How far a 0..100 model score falls below ``neutral`` (100: perfect), as a fraction of 100."""
    if value is None:
        return 0.0
    return max(0.0, neutral - float(value)) / 100.0


@dataclass(frozen=True)
class Weights:
    """How much the model's fluency and adequacy count, and the MQM points per kind of finding."""

    penalties: dict[str, float]
    fluency: float
    adequacy: float

    @classmethod
    def from_config(cls, config: Config) -> "Weights":
        adequacy = getattr(config, "adequacy_weight", DEFAULT_ADEQUACY_WEIGHT)
        return cls(penalties_of(config), max(0.0, float(config.fluency_weight or 0.0)),
                   max(0.0, float(adequacy if adequacy is not None else DEFAULT_ADEQUACY_WEIGHT)))


@dataclass(frozen=True)
class SegmentParts:
    """The ingredients of one segment's score."""

    segment: Segment
    words: int
    finding_points: float
    fluency: float | None
    perplexity: float | None
    adequacy: float | None

    def model_points(self, weights: Weights) -> float:
        """Penalty points from the model: per word, weighted shortfall of fluency and adequacy."""
        per_word = weights.fluency * shortfall(self.fluency) + weights.adequacy * shortfall(self.adequacy)
        return self.words * per_word

    def quality(self, weights: Weights) -> float:
        return quality_from_points(self.finding_points + self.model_points(weights), self.words)


def segment_of(doc: Document, finding: Finding) -> str | None:
    """The id of the segment a finding belongs to (its ``segment_id``, else by offset)."""
    if finding.segment_id is not None:
        return finding.segment_id
    seg = doc.segment_at(finding.start)
    return seg.id if seg is not None else None


def segment_parts(doc: Document, findings: list[Finding], ctx: CheckContext,
                  weights: Weights) -> tuple[list[SegmentParts], float]:
    """Per-segment ingredients, and the points of findings that belong to no segment."""
    points: dict[str, float] = {}
    loose = 0.0
    for f in findings:
        cost = penalty(f, weights.penalties)
        covered = _covered_segments(doc, f) if penalty_kind(f) == "non-translation" else []
        if covered:  # MQM counts a non-translation once per untranslated segment
            for seg_id in covered:
                points[seg_id] = points.get(seg_id, 0.0) + cost
            continue
        seg_id = segment_of(doc, f)
        if seg_id is None:
            loose += cost
        else:
            points[seg_id] = points.get(seg_id, 0.0) + cost
    parts = []
    for seg in doc.segments:
        flu = ctx.fluency.get(seg.id)
        ade = ctx.adequacy.get(seg.id)
        parts.append(SegmentParts(
            segment=seg, words=word_count(seg.text), finding_points=points.get(seg.id, 0.0),
            fluency=_number(getattr(flu, "fluency", None)), perplexity=_number(getattr(flu, "perplexity", None)),
            adequacy=_number(getattr(ade, "adequacy", None)),
        ))
    return parts, loose


def _covered_segments(doc: Document, finding: Finding) -> list[str]:
    """Ids of the segments a finding's span overlaps (by document offsets)."""
    return [s.id for s in doc.segments if s.start < finding.end and finding.start < s.end]


def _number(value: Any) -> float | None:
    return None if value is None else float(value)


def _weighted_mean(pairs: list[tuple[float | None, int]]) -> float | None:
    """Word-weighted mean of the values that exist (None when none does)."""
    present = [(v, max(w, 1)) for v, w in pairs if v is not None]
    if not present:
        return None
    return sum(v * w for v, w in present) / sum(w for _, w in present)


def score_document(doc: Document, findings: list[Finding], ctx: CheckContext,
                   metrics: dict[str, Any] | None, config: Config) -> tuple[dict[str, Any], list[SegmentScore]]:
    """The ``scores`` block of a document report and one score row per segment.

    Keys: ``quality`` (0..100, what ``--min-quality`` gates on), ``mqm_penalty`` (MQM points of
    the findings), ``mqm_quality`` (the quality from findings alone), ``model_penalty`` (points
    from low fluency/adequacy), ``fluency`` and ``adequacy`` (word-weighted means, or None),
    ``words`` (evaluated words), then the reference metrics (``bleu``, ``chrf``, ``ter``, ...,
    ``signatures``; None and ``{}`` without a reference).
    """
    weights = Weights.from_config(config)
    parts, loose_points = segment_parts(doc, findings, ctx, weights)
    words = sum(p.words for p in parts) if parts else word_count(doc.text)
    finding_points = loose_points + sum(p.finding_points for p in parts)
    model_points = sum(p.model_points(weights) for p in parts)
    sentence_metrics = dict((metrics or {}).get("sentence_scores") or {})
    rows = [SegmentScore(id=p.segment.id, start=p.segment.start, end=p.segment.end, lang=doc.target_lang,
                         text=p.segment.text, quality=p.quality(weights), fluency=p.fluency,
                         perplexity=p.perplexity, adequacy=p.adequacy)
            for p in parts]
    _attach_sentence_metrics(rows, sentence_metrics)
    fluency = _weighted_mean([(p.fluency, p.words) for p in parts])
    adequacy = _weighted_mean([(p.adequacy, p.words) for p in parts])
    scores: dict[str, Any] = {
        "quality": round(quality_from_points(finding_points + model_points, words), 2),
        "mqm_penalty": round(finding_points, 2),
        "mqm_quality": round(quality_from_points(finding_points, words), 2),
        "model_penalty": round(model_points, 2),
        "fluency": None if fluency is None else round(fluency, 2),
        "adequacy": None if adequacy is None else round(adequacy, 2),
        "words": words,
        "bleu": None, "chrf": None, "ter": None, "signatures": {},
    }
    if metrics:
        scores.update({k: v for k, v in metrics.items() if k != "sentence_scores"})
    return scores, rows


def _attach_sentence_metrics(rows: list[SegmentScore], sentence_metrics: dict[str, dict[str, float]]) -> None:
    """Give each segment row the sentence BLEU/chrF of its reference row, when the report has room for it."""
    if not sentence_metrics:
        return
    for row in rows:
        values = sentence_metrics.get(row.id)
        if values and hasattr(row, "metrics"):
            row.metrics = dict(values)
