"""SubRip subtitles (``.srt``): one unit per cue, its id the cue number, its text the cue's lines.

Formatting tags (``<i>``, ``<b>``, ``<u>``, ``<font ...>``) and ``{\\an8}`` positioning codes are
kept out of the checked text. A subtitle file has no source, so only target-side rules run;
the language comes from ``--target-lang`` or detection.
"""
from __future__ import annotations

import re

from ..config import Config
from ..errors import InputError
from ..model import Document
from .units import Tag, Unit, unit_document

_TIMING_RE = re.compile(r"^\s*\d{1,2}:\d{2}:\d{2}[,.]\d{1,3}\s*-->\s*\d{1,2}:\d{2}:\d{2}[,.]\d{1,3}")
_FORMAT_RE = re.compile(r"</?(?:i|b|u|font)\b[^<>]*>|\{\\[^{}]*\}", re.IGNORECASE)


def read_srt(path: str, data: bytes, config: Config) -> Document:
    """A unit document from a SubRip file; a cue without a valid timing line is an InputError."""
    from . import decode

    lines = decode(path, data).splitlines()
    units: list[Unit] = []
    i = 0
    while i < len(lines):
        if not lines[i].strip():
            i += 1
            continue
        cue_id, start_line = lines[i].strip(), i + 1
        if not cue_id.isdigit():
            raise InputError(path, f"line {start_line}: expected a cue number, found {lines[i][:40]!r}")
        if i + 1 >= len(lines) or not _TIMING_RE.match(lines[i + 1]):
            raise InputError(path, f"line {start_line + 1}: expected a timing line 'hh:mm:ss,mmm --> hh:mm:ss,mmm'")
        i += 2
        text_start = i
        while i < len(lines) and lines[i].strip():
            i += 1
        text, tags = _strip_formatting("\n".join(lines[text_start:i]))
        if text.strip():
            units.append(Unit(id=cue_id, target=text, line=text_start + 1, target_tags=tags))
    return unit_document(path, units, config, None, None, fmt="srt")


def _strip_formatting(raw: str) -> tuple[str, list[Tag]]:
    parts: list[str] = []
    tags: list[Tag] = []
    last = length = 0
    for match in _FORMAT_RE.finditer(raw):
        parts.append(raw[last:match.start()])
        length += match.start() - last
        token = match.group()
        kind = "close" if token.startswith("</") else ("standalone" if token.startswith("{") else "open")
        name = re.sub(r"[</>{}\\]", "", token).split()[0].lower() if token.strip("<>/{}\\") else token
        tags.append(Tag(kind, name, "", length))
        last = match.end()
    parts.append(raw[last:])
    return "".join(parts), tags
