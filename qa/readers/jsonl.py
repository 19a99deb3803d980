"""JSON Lines, one record per line with COMET-style keys: ``mt`` (target), ``src``, ``ref``.

``target``/``source``/``reference`` are accepted too, plus optional ``id`` and ``note``.
Languages come from ``lp`` (``"en-de"``) or ``src_lang``/``tgt_lang`` of the first record.
Records are read as a stream, so a large file can be checked in chunks.
"""
from __future__ import annotations

import io
import itertools
import json
from typing import Any, Iterable, Iterator

from ..config import Config
from ..errors import InputError
from ..model import Document
from .tsv import UnitStream
from .units import Unit, unit_document

_KEYS = {"target": ("mt", "target", "hyp", "translation"), "source": ("src", "source"),
         "reference": ("ref", "reference"), "id": ("id", "segment_id", "key"), "note": ("note", "comment")}


def read_jsonl(path: str, data: bytes, config: Config) -> Document:
    """A unit document from a whole JSONL file."""
    from . import decode

    stream = open_jsonl_stream(path, io.StringIO(decode(path, data), newline=""), config)
    return unit_document(path, list(stream.units), config, stream.source_lang, stream.target_lang, fmt="jsonl")


def open_jsonl_stream(path: str, handle: Iterable[str], config: Config) -> UnitStream:
    """Parse the first record now (for the languages) and the rest lazily."""
    records = _records(path, handle)
    first = next(records, None)
    if first is None:
        return UnitStream(iter(()), None, None)
    source_lang, target_lang = _langs(first[1])
    return UnitStream(_units(path, itertools.chain([first], records)), source_lang, target_lang)


def _records(path: str, handle: Iterable[str]) -> Iterator[tuple[int, dict[str, Any]]]:
    number = 0
    try:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
            except json.JSONDecodeError as error:
                raise InputError(path, f"line {number}: not JSON ({error.msg})") from None
            if not isinstance(record, dict):
                raise InputError(path, f"line {number}: a record must be a JSON object")
            yield number, record
    except UnicodeDecodeError as error:
        raise InputError(path, f"after line {number}: not valid UTF-8 ({error.reason})") from None


def _pick(record: dict[str, Any], role: str) -> Any:
    return next((record[k] for k in _KEYS[role] if k in record), None)


def _units(path: str, records: Iterator[tuple[int, dict[str, Any]]]) -> Iterator[Unit]:
    for number, record in records:
        target = _pick(record, "target")
        if target is None:
            raise InputError(path, f"line {number}: no 'mt' key (or target/hyp/translation)")
        if not isinstance(target, str):
            raise InputError(path, f"line {number}: 'mt' must be a string")
        if not target.strip():
            continue
        yield Unit(id=str(_pick(record, "id") or number), target=target, source=_text(_pick(record, "source")),
                   reference=_text(_pick(record, "reference")), note=_text(_pick(record, "note")), line=number)


def _text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, list):  # several references: the first one is used
        return str(value[0]) if value else None
    return str(value)


def _langs(record: dict[str, Any]) -> tuple[str | None, str | None]:
    pair = record.get("lp") or record.get("langpair")
    if isinstance(pair, str) and "-" in pair:
        src, _, tgt = pair.partition("-")
        return src, tgt
    return (record.get("src_lang") or record.get("source_lang"),
            record.get("tgt_lang") or record.get("target_lang"))
