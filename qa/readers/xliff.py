"""XLIFF 1.2 and 2.0: one unit per ``<trans-unit>`` (1.2) or per ``<segment>`` of a ``<unit>`` (2.0).

Languages come from ``source-language``/``target-language`` (1.2, of the first ``<file>``: a
file mixing target languages is checked as the first one's) or ``srcLang``/``trgLang`` (2.0).
Units without a target, or with an empty one, are not checked (nothing was translated yet).
Notes (``<note>``) become the segment note, where ``qa-ignore: CODE`` suppresses findings.
Inline codes are kept out of the checked text and recorded per segment in ``doc.meta["tags"]``
for the markup checks.
"""
from __future__ import annotations

from typing import Iterator
from xml.etree.ElementTree import Element

from ..config import Config
from ..errors import InputError
from ..model import Document
from .units import Unit, unit_document
from .xmlsafe import XML_LANG, child, children, inline_text, local, parse_xml


def read_xliff(path: str, data: bytes, config: Config) -> Document:
    """A unit document from an XLIFF 1.2 or 2.0 file."""
    root, lines = parse_xml(path, data)
    if local(root.tag) != "xliff":
        raise InputError(path, f"not XLIFF: the root element is <{local(root.tag)}>, not <xliff>")
    version = root.get("version", "")
    if version.startswith("2"):
        units = list(_units_20(root, lines))
        source_lang, target_lang = root.get("srcLang"), root.get("trgLang")
    elif version.startswith("1") or not version:
        units = list(_units_12(root, lines))
        first = next((f for f in root.iter() if local(f.tag) == "file"), None)
        source_lang = first.get("source-language") if first is not None else None
        target_lang = first.get("target-language") if first is not None else None
        if not target_lang:
            target_lang = next((t.get(XML_LANG) for t in root.iter() if local(t.tag) == "target"
                                and t.get(XML_LANG)), None)
    else:
        raise InputError(path, f"unsupported XLIFF version {version!r} (1.2 and 2.0 are read)")
    return unit_document(path, units, config, source_lang, target_lang, fmt=f"xliff-{version or '1.2'}")


def _notes(element: Element) -> str | None:
    texts = ["".join(n.itertext()).strip() for n in element.iter() if local(n.tag) == "note"]
    texts = [t for t in texts if t]
    return "\n".join(texts) if texts else None


def _units_12(root: Element, lines: dict[Element, int]) -> Iterator[Unit]:
    for unit in root.iter():
        if local(unit.tag) != "trans-unit" or unit.get("translate") == "no":
            continue
        target_el = child(unit, "target")
        if target_el is None:
            continue
        target, target_tags = inline_text(target_el)
        if not target.strip():
            continue
        source_el = child(unit, "source")
        source, source_tags = inline_text(source_el) if source_el is not None else (None, [])
        yield Unit(id=unit.get("id", ""), target=target, source=source, note=_notes(unit),
                   line=lines.get(target_el, 1), source_tags=source_tags, target_tags=target_tags)


def _units_20(root: Element, lines: dict[Element, int]) -> Iterator[Unit]:
    for unit in root.iter():
        if local(unit.tag) != "unit" or unit.get("translate") == "no":
            continue
        notes_el = child(unit, "notes")
        note = _notes(notes_el) if notes_el is not None else None
        segments = children(unit, "segment")
        for index, segment in enumerate(segments, start=1):
            target_el = child(segment, "target")
            if target_el is None:
                continue
            target, target_tags = inline_text(target_el)
            if not target.strip():
                continue
            source_el = child(segment, "source")
            source, source_tags = inline_text(source_el) if source_el is not None else (None, [])
            unit_id = unit.get("id", "")
            seg_id = unit_id if len(segments) == 1 else f"{unit_id}/{segment.get('id') or index}"
            yield Unit(id=seg_id, target=target, source=source, note=note, line=lines.get(target_el, 1),
                       source_tags=source_tags, target_tags=target_tags)
