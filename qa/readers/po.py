"""gettext PO files: one unit per translated ``msgstr`` (plural forms are units of their own).

The segment id is the ``msgid`` (prefixed by ``msgctxt|`` when there is a context; plural forms
add ``[n]``). Translator (``#``) and extracted (``#.``) comments become the
note, so ``# qa-ignore: CODE`` suppresses findings. The target language is the header's
``Language:``. Untranslated and obsolete (``#~``) entries are skipped.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..config import Config
from ..errors import InputError
from ..model import Document
from .units import Unit, unit_document

_KEYWORD_RE = re.compile(r'^(msgctxt|msgid_plural|msgid|msgstr(?:\[(\d+)\])?)\s+(".*")\s*$')
_STRING_RE = re.compile(r'^(".*")\s*$')
_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", '"': '"', "\\": "\\", "a": "\a", "b": "\b", "f": "\f", "v": "\v"}


@dataclass
class _Entry:
    line: int
    comments: list[str] = field(default_factory=list)
    flags: set[str] = field(default_factory=set)
    fields: dict[str, list[str]] = field(default_factory=dict)
    field_lines: dict[str, int] = field(default_factory=dict)

    def get(self, key: str) -> str | None:
        return "".join(self.fields[key]) if key in self.fields else None


def read_po(path: str, data: bytes, config: Config) -> Document:
    """A unit document from a PO (or POT) file."""
    from . import decode

    entries = parse_po(path, decode(path, data))
    header = next((e for e in entries if e.get("msgid") == "" and e.get("msgctxt") is None), None)
    meta = _header_fields(header.get("msgstr") or "") if header else {}
    units = [unit for entry in entries if entry is not header for unit in _units(entry)]
    return unit_document(path, units, config, meta.get("x-source-language"), meta.get("language"), fmt="po")


def parse_po(path: str, text: str) -> list[_Entry]:
    """The entries of a PO file in order; InputError names the first line it cannot read."""
    entries: list[_Entry] = []
    entry: _Entry | None = None
    current: str | None = None
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line:
            entry, current = _close(entries, entry), None
            continue
        if line.startswith("#~"):
            entry, current = _close(entries, entry), None
            continue
        if line.startswith("#"):
            if entry is not None and entry.fields:
                entry, current = _close(entries, entry), None
            entry = entry or _Entry(line=number)
            _comment(entry, line)
            continue
        match = _KEYWORD_RE.match(line)
        if match:
            key = match.group(1)
            if entry is not None and key in ("msgid", "msgctxt") and "msgid" in entry.fields:
                entry = _close(entries, entry)
            entry = entry or _Entry(line=number)
            entry.fields[key] = [_unquote(path, number, match.group(3))]
            entry.field_lines[key] = number
            current = key
            continue
        if _STRING_RE.match(line) and entry is not None and current is not None:
            if entry.fields[current] == [""]:  # msgstr "" then the text: it starts on this line
                entry.field_lines[current] = number
            entry.fields[current].append(_unquote(path, number, line))
            continue
        raise InputError(path, f"line {number}: not PO syntax: {raw[:60]!r}")
    _close(entries, entry)
    return entries


def _close(entries: list[_Entry], entry: _Entry | None) -> None:
    if entry is not None and "msgid" in entry.fields:
        entries.append(entry)
    return None


def _comment(entry: _Entry, line: str) -> None:
    if line.startswith("#,"):
        entry.flags.update(f.strip() for f in line[2:].split(",") if f.strip())
    elif line.startswith("#.") or line.startswith("# ") or line == "#":
        entry.comments.append(line[2:].strip() if line.startswith("#.") else line[1:].strip())


def _unquote(path: str, number: int, quoted: str) -> str:
    body = quoted.strip()[1:-1]
    out: list[str] = []
    i = 0
    while i < len(body):
        ch = body[i]
        if ch == "\\" and i + 1 < len(body):
            nxt = body[i + 1]
            if nxt in _ESCAPES:
                out.append(_ESCAPES[nxt])
                i += 2
                continue
            raise InputError(path, f"line {number}: unknown escape \\{nxt} in a PO string")
        out.append(ch)
        i += 1
    return "".join(out)


def _header_fields(header: str) -> dict[str, str]:
    fields = {}
    for line in header.split("\n"):
        key, sep, value = line.partition(":")
        if sep:
            fields[key.strip().lower()] = value.strip()
    return fields


def _units(entry: _Entry) -> list[Unit]:
    msgid = entry.get("msgid") or ""
    context = entry.get("msgctxt")
    base_id = f"{context}|{msgid}" if context is not None else msgid
    note = "\n".join(c for c in entry.comments if c) or None
    plural = entry.get("msgid_plural")
    units = []
    for key in sorted(k for k in entry.fields if k.startswith("msgstr")):
        target = entry.get(key) or ""
        if not target.strip():
            continue
        index = key[len("msgstr["):-1] if "[" in key else None
        source = plural if (index not in (None, "0") and plural is not None) else msgid
        unit_id = base_id if index is None else f"{base_id}[{index}]"
        units.append(Unit(id=unit_id, target=target, source=source, note=note,
                          line=entry.field_lines.get(key, entry.line)))
    return units
