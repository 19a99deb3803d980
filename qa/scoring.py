"""Document and segment quality scores from findings (MQM style) and fluency.

Penalty points per finding follow MQM: minor 1, major 5, critical 10, a non-translation 25,
a minor punctuation issue 0.1. Points are normalised per evaluated word, as in MQM:
``quality = 100 - 100 * points / words`` clipped to 0..100.
"""
from __future__ import annotations

from typing import Any

from .config import Config
from .context import CheckContext
from .model import Document, Finding, Severity
from .report import SegmentScore
from .text import word_count

DEFAULT_PENALTIES = {"minor": 1.0, "major": 5.0, "critical": 10.0,
                     "non-translation": 25.0, "minor-punctuation": 0.1}


def penalty(finding: Finding, penalties: dict[str, float]) -> float:
    """MQM points of one finding, weighted by its confidence."""
    if finding.severity is Severity.MINOR and finding.rule.startswith(("punctuation", "quote", "spacing")):
        points = penalties["minor-punctuation"]
    elif finding.rule == "untranslated-text" and finding.severity is not Severity.MINOR:
        points = penalties["non-translation"]
    else:
        points = penalties[finding.severity.value]
    return points * finding.confidence


def quality_from_points(points: float, words: int) -> float:
    """``100 - 100 * points / words`` clipped to 0..100 (an empty text scores 100)."""
    return max(0.0, min(100.0, 100.0 - 100.0 * points / max(words, 1)))


def score_document(doc: Document, findings: list[Finding], ctx: CheckContext,
                   metrics: dict[str, Any] | None, config: Config) -> tuple[dict[str, Any], list[SegmentScore]]:
    """The ``scores`` block of a document report and one score row per segment."""
    penalties = {**DEFAULT_PENALTIES, **config.penalties}
    words = word_count(doc.text)
    points = sum(penalty(f, penalties) for f in findings)
    segment_rows = []
    for seg in doc.segments:
        seg_findings = [f for f in findings if f.segment_id == seg.id]
        seg_points = sum(penalty(f, penalties) for f in seg_findings)
        flu = ctx.fluency.get(seg.id)
        ade = ctx.adequacy.get(seg.id)
        segment_rows.append(SegmentScore(
            id=seg.id, start=seg.start, end=seg.end, lang=doc.target_lang, text=seg.text,
            quality=quality_from_points(seg_points, word_count(seg.text)),
            fluency=getattr(flu, "fluency", None), perplexity=getattr(flu, "perplexity", None),
            adequacy=getattr(ade, "adequacy", None),
        ))
    fluency_values = [r.fluency for r in segment_rows if r.fluency is not None]
    fluency = sum(fluency_values) / len(fluency_values) if fluency_values else None
    mqm_quality = quality_from_points(points, words)
    quality = mqm_quality
    if fluency is not None and config.fluency_weight:
        quality = (1 - config.fluency_weight) * mqm_quality + config.fluency_weight * fluency
    scores: dict[str, Any] = {
        "quality": round(quality, 2), "mqm_penalty": round(points, 2),
        "mqm_quality": round(mqm_quality, 2),
        "fluency": None if fluency is None else round(fluency, 2),
        "bleu": None, "chrf": None, "ter": None, "signatures": {},
    }
    if metrics:
        scores.update(metrics)
    return scores, segment_rows
