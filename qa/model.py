"""The data model: documents, segments, findings, severities and MQM categories.

Everything here is an immutable value. Offsets are Python ``str`` indices into the
text exactly as it was read (``encoding="utf-8-sig", newline=""``).
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from enum import Enum


class Severity(str, Enum):
    """MQM severities, ordered from least to most serious."""

    MINOR = "minor"
    MAJOR = "major"
    CRITICAL = "critical"

    @property
    def rank(self) -> int:
        return _SEVERITY_RANK[self]

    @classmethod
    def parse(cls, value: "str | Severity") -> "Severity":
        return value if isinstance(value, Severity) else cls(str(value).lower())


_SEVERITY_RANK = {Severity.MINOR: 1, Severity.MAJOR: 2, Severity.CRITICAL: 3}


class Category(str, Enum):
    """Top-level MQM error categories."""

    ACCURACY = "Accuracy"
    FLUENCY = "Fluency"
    TERMINOLOGY = "Terminology"
    STYLE = "Style"
    LOCALE = "Locale convention"
    DESIGN = "Design and markup"
    INTERNAL = "Internal"


@dataclass(frozen=True)
class Segment:
    """A unit of checking: a sentence or heading of a text, or a unit of a bilingual file.

    ``start``/``end`` locate the segment inside its document's ``text``.
    ``kind`` is ``sentence``, ``heading`` or ``unit``; ``paragraph`` counts paragraphs
    from 0 so checks can tell whether two sentences share one.
    """

    id: str
    start: int
    end: int
    text: str
    kind: str = "sentence"
    paragraph: int = 0
    source: str | None = None
    reference: str | None = None
    note: str | None = None


@dataclass(frozen=True)
class Document:
    """A translated text with optional source and reference, and its segments.

    ``unit_based`` is true for bilingual file formats (TSV, XLIFF, PO, ...): their findings
    are reported with offsets into the segment's text, while text documents report
    offsets into the whole document.
    """

    path: str
    text: str
    segments: tuple[Segment, ...]
    target_lang: str | None = None
    source_lang: str | None = None
    source_text: str | None = None
    reference_text: str | None = None
    unit_based: bool = False
    meta: dict = field(default_factory=dict, compare=False, hash=False)

    def with_langs(self, source_lang: str | None, target_lang: str | None) -> "Document":
        return replace(self, source_lang=source_lang, target_lang=target_lang)

    def segment_at(self, offset: int) -> Segment | None:
        """The segment containing ``offset`` (binary search over the ordered segments)."""
        lo, hi = 0, len(self.segments) - 1
        while lo <= hi:
            mid = (lo + hi) // 2
            seg = self.segments[mid]
            if offset < seg.start:
                hi = mid - 1
            elif offset >= seg.end and not (offset == seg.end == seg.start):
                lo = mid + 1
            else:
                return seg
        return None


@dataclass(frozen=True)
class Finding:
    """One problem found in a document. ``text == document.text[start:end]`` always holds."""

    code: str
    rule: str
    category: Category
    severity: Severity
    start: int
    end: int
    text: str
    message: str
    suggestion: str | None = None
    confidence: float = 1.0
    segment_id: str | None = None

    def to_dict(self) -> dict:
        return {
            "code": self.code,
            "rule": self.rule,
            "category": self.category.value,
            "severity": self.severity.value,
            "start": self.start,
            "end": self.end,
            "text": self.text,
            "message": self.message,
            "suggestion": self.suggestion,
            "confidence": round(float(self.confidence), 3),
            "segment_id": self.segment_id,
        }
