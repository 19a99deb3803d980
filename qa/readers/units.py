"""Bilingual unit formats share one shape: a list of units, each a target with optional source.

Every unit reader (TSV/CSV, JSONL, XLIFF, PO, TMX, SRT) produces :class:`Unit` values and hands
them to :func:`unit_document`, which builds the :class:`~qa.model.Document` the pipeline checks:
the unit targets joined by ``"\\n"`` as the document text, one ``kind="unit"`` segment per unit,
and in ``meta`` the line of each unit in its file (``lines``) and its inline tags (``tags``).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterable

from ..config import Config
from ..model import Document, Segment

UNIT_SEPARATOR = "\n"


@dataclass(frozen=True)
class Tag:
    """An inline tag kept out of a unit's text: where it stood and what it was.

    ``kind`` is ``open``, ``close`` or ``standalone``; ``name`` the element (``g``, ``x``, ``ph``,
    ``bpt``, ``pc``, ...); ``id`` its identifier (``id``, ``i``/``rid`` for paired codes, or
    ``startRef``); ``offset`` its position in the unit's text (tags have no width there).
    """

    kind: str
    name: str
    id: str
    offset: int

    def label(self) -> str:
        """The tag as a person would recognise it, e.g. ``<g id="1">`` or ``<x id="2"/>``."""
        slash = "/" if self.kind == "close" else ""
        end = "/" if self.kind == "standalone" else ""
        ident = f' id="{self.id}"' if self.id else ""
        return f"<{slash}{self.name}{ident}{end}>"


# Element names that mean the same inline code in XLIFF 1.2, 2.0 and TMX (compared as one).
CODE_FAMILY = {"bx": "bpt", "ex": "ept", "sc": "bpt", "ec": "ept", "pc": "g", "it": "ph"}


@dataclass
class Unit:
    """One translation unit as read from a file (``line`` is 1-based, where its target starts)."""

    id: str
    target: str
    source: str | None = None
    reference: str | None = None
    note: str | None = None
    line: int = 1
    source_tags: list[Tag] = field(default_factory=list)
    target_tags: list[Tag] = field(default_factory=list)


def unit_document(path: str, units: Iterable[Unit], config: Config, source_lang: str | None = None,
                  target_lang: str | None = None, fmt: str = "") -> Document:
    """The document of a unit-based file; settings' languages win over the file's."""
    segments: list[Segment] = []
    targets: list[str] = []
    sources: list[str] = []
    references: list[str] = []
    lines: dict[str, int] = {}
    tags: dict[str, dict[str, list[Tag]]] = {}
    seen: dict[str, int] = {}
    offset = 0
    for unit in units:
        seg_id = _unique(unit.id, seen)
        if targets:
            offset += len(UNIT_SEPARATOR)
        segments.append(Segment(id=seg_id, start=offset, end=offset + len(unit.target), text=unit.target,
                                kind="unit", paragraph=len(segments), source=unit.source,
                                reference=unit.reference, note=unit.note))
        targets.append(unit.target)
        offset += len(unit.target)
        if unit.source is not None:
            sources.append(unit.source)
        if unit.reference is not None:
            references.append(unit.reference)
        lines[seg_id] = unit.line
        if unit.source_tags or unit.target_tags:
            tags[seg_id] = {"source": unit.source_tags, "target": unit.target_tags}
    return Document(
        path=path, text=UNIT_SEPARATOR.join(targets), segments=tuple(segments),
        target_lang=config.target_lang or _lang(target_lang), source_lang=config.source_lang or _lang(source_lang),
        source_text=UNIT_SEPARATOR.join(sources) if sources else None,
        reference_text=UNIT_SEPARATOR.join(references) if references else None,
        unit_based=True,
        meta={"lines": lines, "tags": tags, "format": fmt,
              "file_langs": {"source": source_lang, "target": target_lang}},
    )


def _unique(unit_id: str, seen: dict[str, int]) -> str:
    """``unit_id``, or ``unit_id#N`` when the file repeats an id (segment ids must be unique)."""
    unit_id = unit_id or str(len(seen) + 1)
    count = seen.get(unit_id, 0) + 1
    seen[unit_id] = count
    return unit_id if count == 1 else f"{unit_id}#{count}"


def _lang(code: str | None) -> str | None:
    """A file's language tag as the checks expect it: the lower-case primary subtag (``de-DE`` -> ``de``).

    The full tag stays in ``meta["file_langs"]``.
    """
    if not code or not code.strip():
        return None
    primary = code.strip().replace("_", "-").split("-")[0].lower()
    return primary if primary.isalpha() and 2 <= len(primary) <= 3 else None
