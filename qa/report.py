"""The result of a run: one :class:`DocumentReport` per input, gathered in a :class:`Report`.

``Report.to_dict()`` is the ``qa.report/1`` JSON contract of DESIGN.md.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from .model import Finding, Severity
from .text import line_col, line_starts

SCHEMA = "qa.report/1"


@dataclass
class SegmentScore:
    """Scores of one segment; ``start``/``end`` locate it in the document text."""

    id: str
    start: int
    end: int
    lang: str | None
    quality: float | None = None
    fluency: float | None = None
    perplexity: float | None = None
    adequacy: float | None = None
    text: str = ""
    metrics: dict[str, float] = field(default_factory=dict)  # sentence bleu/chrf against the reference

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id, "start": self.start, "end": self.end, "lang": self.lang,
            "quality": _round(self.quality), "fluency": _round(self.fluency),
            "perplexity": _round(self.perplexity), "adequacy": _round(self.adequacy),
        } | {k: _round(v) for k, v in self.metrics.items()}


@dataclass
class DocumentReport:
    """Everything found in one input. ``text`` is what the offsets of findings index."""

    path: str
    text: str = ""
    source_lang: str | None = None
    target_lang: str | None = None
    words: int = 0
    scores: dict[str, Any] = field(default_factory=dict)
    segments: list[SegmentScore] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    unit_texts: dict[str, str] = field(default_factory=dict)
    unit_lines: dict[str, int] = field(default_factory=dict)
    metric_statistics: dict[str, Any] | None = None  # summed BLEU/chrF/TER statistics (qa.metrics), not in to_dict

    @property
    def unreadable(self) -> bool:
        """True when the input could not be read at all."""
        return bool(self.errors) and not self.text and not self.segments

    def position(self, finding: Finding) -> tuple[int, int]:
        """1-based line and column of a finding in the file (best effort for unit formats)."""
        if finding.segment_id in self.unit_texts:
            base_line = self.unit_lines.get(finding.segment_id, 1)
            line, col = line_col(line_starts(self.unit_texts[finding.segment_id]), finding.start)
            return base_line + line - 1, col
        return line_col(self._line_starts(), finding.start)

    def _line_starts(self) -> list[int]:
        cached = getattr(self, "_starts", None)
        if cached is None:
            cached = line_starts(self.text)
            self._starts = cached
        return cached

    def context_of(self, finding: Finding) -> tuple[str, int, int]:
        """The text of the segment holding ``finding`` and the finding's span inside it."""
        if finding.segment_id in self.unit_texts:
            return self.unit_texts[finding.segment_id], finding.start, finding.end
        seg = self._segments_by_id().get(finding.segment_id or "")
        if seg is not None and seg.start <= finding.start <= seg.end:
            return self.text[seg.start:seg.end], finding.start - seg.start, finding.end - seg.start
        return self.text, finding.start, finding.end

    def _segments_by_id(self) -> dict[str, SegmentScore]:
        cached = getattr(self, "_by_id", None)
        if cached is None:
            cached = {s.id: s for s in self.segments}
            self._by_id = cached
        return cached

    def to_dict(self) -> dict[str, Any]:
        findings = []
        for f in self.findings:
            item = f.to_dict()
            line, column = self.position(f)
            item["line"], item["column"] = line, column
            findings.append(_ordered(item))
        return {
            "path": self.path, "source_lang": self.source_lang, "target_lang": self.target_lang,
            "words": self.words, "scores": self.scores,
            "segments": [s.to_dict() for s in self.segments],
            "findings": findings, "errors": list(self.errors),
        }


_FINDING_KEYS = ("code", "rule", "category", "severity", "start", "end", "line", "column", "text",
                 "message", "suggestion", "confidence", "segment_id")


def _ordered(item: dict[str, Any]) -> dict[str, Any]:
    return {k: item[k] for k in _FINDING_KEYS if k in item} | {k: v for k, v in item.items() if k not in _FINDING_KEYS}


def _round(value: float | None) -> float | None:
    return None if value is None else round(float(value), 2)


@dataclass
class Report:
    """A whole run: its settings and one report per document."""

    documents: list[DocumentReport]
    settings: dict[str, Any] = field(default_factory=dict)
    fail_on: str = "major"
    min_quality: float | None = None

    @property
    def findings(self) -> list[Finding]:
        return [f for d in self.documents for f in d.findings]

    @property
    def has_input_errors(self) -> bool:
        return any(d.errors for d in self.documents)

    def below_quality(self) -> list[DocumentReport]:
        """Documents whose quality score is under ``min_quality``."""
        if self.min_quality is None:
            return []
        return [d for d in self.documents
                if d.scores.get("quality") is not None and d.scores["quality"] < self.min_quality]

    @property
    def failed(self) -> bool:
        """Whether CI should fail: a finding at or above ``fail_on`` or quality below the minimum."""
        if self.below_quality():
            return True
        if self.fail_on == "never":
            return False
        threshold = Severity(self.fail_on).rank
        return any(f.severity.rank >= threshold for f in self.findings)

    def summary(self) -> dict[str, Any]:
        by_severity = Counter(f.severity.value for f in self.findings)
        return {
            "documents": len(self.documents),
            "findings": len(self.findings),
            "by_severity": {s.value: by_severity[s.value] for s in Severity if by_severity[s.value]},
            "errors": sum(len(d.errors) for d in self.documents),
            "failed": self.failed,
        }

    def to_dict(self) -> dict[str, Any]:
        from . import __version__

        return {
            "schema": SCHEMA,
            "tool": {"name": "qa", "version": __version__},
            "settings": self.settings,
            "documents": [d.to_dict() for d in self.documents],
            "summary": self.summary(),
        }
