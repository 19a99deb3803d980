"""User glossaries: CSV, TSV and TBX files of preferred terms and the spellings to avoid.

CSV/TSV columns (header row, names case-insensitive): ``term`` (the preferred spelling),
``variants`` (spellings to replace by it, separated by ``|`` or ``;``), ``language`` (ISO 639-1
target language, empty for all) and ``note``. A file without a header is read in that order.

TBX (TermBase eXchange, ISO 30042; TBX 2 ``langSet``/``tig`` or TBX 3 ``langSec``/``termSec``)
is parsed with ``defusedxml`` (entity expansion and external references are refused). In each
language section the first correct term is the preferred one, further terms marked
``admittedTerm-admn-sts`` (or unmarked) stay correct, and terms marked
``deprecatedTerm-admn-sts`` / ``supersededTerm-admn-sts`` are variants to replace by it.
"""
from __future__ import annotations

import csv
import io
import os
import threading
from dataclasses import dataclass

from ..errors import InputError


@dataclass(frozen=True)
class GlossaryEntry:
    """A preferred ``term``, the ``variants`` to flag, its target ``language`` (None: any)."""

    term: str
    variants: tuple[str, ...] = ()
    language: str | None = None
    note: str = ""
    accepted: tuple[str, ...] = ()

    def applies_to(self, lang: str | None) -> bool:
        """Whether the entry is meant for target language ``lang``."""
        return self.language is None or lang is None or self.language == lang.split("-")[0].lower()


_COLUMNS = ("term", "variants", "language", "note")
_cache: dict[tuple[str, float, int], tuple[GlossaryEntry, ...]] = {}
_cache_lock = threading.Lock()


def load_glossary(path: str) -> tuple[GlossaryEntry, ...]:
    """Entries of the glossary file at ``path`` (format from its extension; cached by mtime)."""
    try:
        stat = os.stat(path)
        key = (os.path.abspath(path), stat.st_mtime, stat.st_size)
        with _cache_lock:
            if key in _cache:
                return _cache[key]
        with open(path, "rb") as handle:
            entries = load_glossary_bytes(handle.read(), os.path.basename(path))
    except OSError as error:
        raise InputError(path, f"cannot read glossary: {error.strerror or error}") from error
    with _cache_lock:
        _cache[key] = entries
    return entries


def load_glossary_bytes(data: bytes, filename: str) -> tuple[GlossaryEntry, ...]:
    """Entries of a glossary given as bytes (an upload); ``filename`` decides the format."""
    lower = filename.lower()
    if lower.endswith((".tbx", ".xml")):
        return parse_tbx(data, filename)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise InputError(filename, f"glossary is not UTF-8 text: {error}") from error
    delimiter = "\t" if lower.endswith((".tsv", ".tab", ".txt")) else ","
    return parse_delimited(text, delimiter)


def _parts(cell: str) -> tuple[str, ...]:
    separator = "|" if "|" in cell else ";"
    return tuple(p.strip() for p in cell.split(separator) if p.strip())


def parse_delimited(text: str, delimiter: str = ",") -> tuple[GlossaryEntry, ...]:
    """Entries of CSV (``delimiter=","``) or TSV text with the columns term, variants, language, note."""
    rows = [r for r in csv.reader(io.StringIO(text), delimiter=delimiter) if any(c.strip() for c in r)]
    if not rows:
        return ()
    header = [c.strip().lower() for c in rows[0]]
    if "term" in header:
        positions = {name: header.index(name) for name in _COLUMNS if name in header}
        rows = rows[1:]
    else:
        positions = {name: i for i, name in enumerate(_COLUMNS)}
    entries = []
    for row in rows:
        if row[0].lstrip().startswith("#"):
            continue
        cell = {name: (row[i].strip() if i < len(row) else "") for name, i in positions.items()}
        if not cell.get("term"):
            continue
        entries.append(GlossaryEntry(
            term=cell["term"], variants=_parts(cell.get("variants", "")),
            language=(cell.get("language") or "").split("-")[0].lower() or None,
            note=cell.get("note", ""),
        ))
    return tuple(entries)


_XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
_DEPRECATED = ("deprecatedterm", "supersededterm", "deprecated", "superseded")


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def parse_tbx(data: bytes, filename: str = "<glossary>") -> tuple[GlossaryEntry, ...]:
    """Entries of a TBX document (TBX-Basic/TBX 2 or 3), parsed safely with defusedxml."""
    from defusedxml import ElementTree
    from xml.etree.ElementTree import ParseError

    try:
        root = ElementTree.fromstring(data)
    except (ParseError, ValueError) as error:  # defusedxml's refusals are ValueErrors too
        raise InputError(filename, f"glossary is not valid TBX: {error}") from error
    entries = []
    for lang_set in (e for e in root.iter() if _local(e.tag) in ("langSet", "langSec")):
        language = (lang_set.get(_XML_LANG) or lang_set.get("lang") or "").split("-")[0].lower() or None
        good, bad = [], []
        for holder in (e for e in lang_set.iter() if _local(e.tag) in ("tig", "ntig", "termSec")):
            term = next((e.text for e in holder.iter() if _local(e.tag) == "term" and e.text), None)
            if not term:
                continue
            status = " ".join((e.text or "").lower() for e in holder.iter()
                              if _local(e.tag) in ("termNote", "descrip") and "status" in (e.get("type") or "").lower())
            (bad if any(d in status.replace("-", "") for d in _DEPRECATED) else good).append(term.strip())
        if not good and not bad:  # TBX without tig: bare <term> children
            good = [e.text.strip() for e in lang_set.iter() if _local(e.tag) == "term" and e.text]
        if good:
            entries.append(GlossaryEntry(term=good[0], variants=tuple(bad), language=language,
                                         accepted=tuple(good[1:])))
    return tuple(entries)
