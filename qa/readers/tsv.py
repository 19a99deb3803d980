"""TSV and CSV tables: one unit per row, with target, source, reference, id and note columns.

The first row names the columns. Which header means what is configurable (``[columns]`` in
``qa.toml``: ``source``, ``target``, ``reference``, ``id``, ``note``); by default common names
are recognised (``source``/``src``, ``target``/``mt``/``translation``, ``reference``/``ref``,
``id``/``key``, ``note``/``comment``). A column named by a language code (``en``, ``de-DE``) also
gives that language. Rows are read as a stream, so a large table can be checked in chunks.
"""
from __future__ import annotations

import csv
import io
import re
from typing import Iterable, Iterator, NamedTuple

from ..config import Config
from ..errors import InputError
from ..model import Document
from .units import Unit, unit_document

DEFAULT_COLUMNS: dict[str, tuple[str, ...]] = {
    "target": ("target", "mt", "translation", "tgt", "hyp", "target_text"),
    "source": ("source", "src", "source_text", "original"),
    "reference": ("reference", "ref", "references"),
    "id": ("id", "key", "segment_id", "seg_id", "unit_id"),
    "note": ("note", "notes", "comment", "comments"),
}
_LANG_HEADER_RE = re.compile(r"^[a-z]{2,3}(?:[-_][A-Za-z0-9]{2,8})*$")

csv.field_size_limit(16 * 1024 * 1024)


class UnitStream(NamedTuple):
    """Units read lazily from a file, with the languages its header or first record gave."""

    units: Iterator[Unit]
    source_lang: str | None
    target_lang: str | None


def delimiter_for(path: str) -> str:
    """Tab for ``.tsv``/``.tab``, comma otherwise."""
    return "\t" if path.lower().endswith((".tsv", ".tab")) else ","


def read_table(path: str, data: bytes, config: Config) -> Document:
    """A unit document from a whole TSV or CSV file."""
    from . import decode

    text = decode(path, data)
    stream = open_table_stream(path, io.StringIO(text, newline=""), config)
    units = list(stream.units)
    return unit_document(path, units, config, stream.source_lang, stream.target_lang, fmt="table")


def open_table_stream(path: str, handle: Iterable[str], config: Config) -> UnitStream:
    """Read the header of a table now and its rows lazily; InputError when columns are missing."""
    reader = csv.reader(handle, delimiter=delimiter_for(path))
    try:
        header = next(reader)
    except StopIteration:
        raise InputError(path, "empty table (no header row)") from None
    except (csv.Error, UnicodeDecodeError) as error:
        raise InputError(path, f"cannot read the header row: {error}") from None
    header = [h.strip() for h in header]
    index = _column_index(path, header, config)
    source_lang = _header_lang(header, index.get("source"))
    target_lang = _header_lang(header, index.get("target"))
    return UnitStream(_rows(path, reader, index, len(header)), source_lang, target_lang)


def _column_index(path: str, header: list[str], config: Config) -> dict[str, int]:
    lowered = [h.lower() for h in header]
    chosen: dict[str, int] = {}
    configured = {k: v for k, v in dict(config.columns).items() if v}
    for role, names in DEFAULT_COLUMNS.items():
        wanted = (configured[role],) if role in configured else names
        for name in wanted:
            if name.lower() in lowered:
                chosen[role] = lowered.index(name.lower())
                break
        else:
            if role in configured:
                raise InputError(path, f"missing column {configured[role]!r} (configured as the {role} column); "
                                       f"the header has {', '.join(header) or 'nothing'}")
    if "target" not in chosen:
        chosen.update(_language_columns(header, config, chosen))
    if "target" not in chosen:
        raise InputError(path, "missing target column: the header needs one of "
                               f"{', '.join(DEFAULT_COLUMNS['target'])} (or set [columns] target), "
                               f"it has {', '.join(header) or 'nothing'}")
    return chosen


def _language_columns(header: list[str], config: Config, chosen: dict[str, int]) -> dict[str, int]:
    """Source and target columns of a table whose headers are language codes (``key,en,de``)."""
    langs = [i for i, name in enumerate(header)
             if _LANG_HEADER_RE.match(name) and name.lower() not in _ALL_ROLE_NAMES and i not in chosen.values()]
    primary = {i: header[i].replace("_", "-").split("-")[0].lower() for i in langs}
    found: dict[str, int] = {}
    for role, wanted in (("target", config.target_lang), ("source", config.source_lang)):
        match = [i for i in langs if wanted and primary[i] == wanted.split("-")[0].lower()]
        if match:
            found[role] = match[0]
    rest = [i for i in langs if i not in found.values()]
    if "target" not in found and "source" in found and len(rest) == 1:
        found["target"] = rest[0]
    elif "target" not in found and "source" not in found and len(rest) == 2:
        found["source"], found["target"] = rest
    elif "target" in found and "source" not in found and len(rest) == 1:
        found["source"] = rest[0]
    return found if "target" in found else {}


def _header_lang(header: list[str], position: int | None) -> str | None:
    if position is None:
        return None
    name = header[position]
    return name if _LANG_HEADER_RE.match(name) and name.lower() not in _ALL_ROLE_NAMES else None


_ALL_ROLE_NAMES = {n for names in DEFAULT_COLUMNS.values() for n in names}


def _rows(path: str, reader: Iterator[list[str]], index: dict[str, int], width: int) -> Iterator[Unit]:
    line = getattr(reader, "line_num", 1) + 1
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except (csv.Error, UnicodeDecodeError) as error:
            raise InputError(path, f"line {line}: {error}") from None
        row_line, line = line, reader.line_num + 1  # type: ignore[attr-defined]
        if not any(cell.strip() for cell in row):
            continue
        if len(row) <= index["target"]:
            raise InputError(path, f"line {row_line}: {len(row)} column(s), the header has {width}")
        target = row[index["target"]]
        if not target.strip():
            continue
        yield Unit(
            id=_cell(row, index.get("id")) or str(row_line), target=target,
            source=_cell(row, index.get("source")), reference=_cell(row, index.get("reference")),
            note=_cell(row, index.get("note")) or None, line=row_line,
        )


def _cell(row: list[str], position: int | None) -> str | None:
    if position is None or position >= len(row):
        return None
    return row[position]
