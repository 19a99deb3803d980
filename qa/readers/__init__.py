"""Readers turn files into :class:`~qa.model.Document` values.

``read_path`` picks a reader by file extension; every reader raises
:class:`~qa.errors.InputError` with a one-line reason for input it cannot read.
"""
from __future__ import annotations

import glob
import os
import sys
from typing import Callable, Iterable, Iterator

from ..config import Config
from ..errors import InputError
from ..model import Document
from .jsonl import open_jsonl_stream, read_jsonl
from .po import read_po
from .srt import read_srt
from .text import read_text_document
from .tmx import read_tmx
from .tsv import UnitStream, open_table_stream, read_table
from .xliff import read_xliff

Reader = Callable[[str, bytes, Config], Document]
Streamer = Callable[[str, Iterable[str], Config], UnitStream]

# extension -> reader; bilingual formats register here.
READERS: dict[str, Reader] = {
    ".txt": read_text_document,
    ".md": read_text_document,
    ".tsv": read_table,
    ".tab": read_table,
    ".csv": read_table,
    ".jsonl": read_jsonl,
    ".xlf": read_xliff,
    ".xliff": read_xliff,
    ".xlf2": read_xliff,
    ".sdlxliff": read_xliff,
    ".po": read_po,
    ".pot": read_po,
    ".tmx": read_tmx,
    ".srt": read_srt,
}

# Line-oriented formats that can be read row by row (large files are checked in chunks).
STREAMERS: dict[str, Streamer] = {
    ".tsv": open_table_stream,
    ".tab": open_table_stream,
    ".csv": open_table_stream,
    ".jsonl": open_jsonl_stream,
}

MAX_BYTES = 200 * 1024 * 1024


def reader_for(path: str) -> Reader:
    """The reader for ``path`` by its extension (plain text when unknown)."""
    ext = os.path.splitext(path)[1].lower()
    return READERS.get(ext, read_text_document)


def load_bytes(path: str) -> bytes:
    """The raw bytes of ``path`` (``-`` is standard input)."""
    if path == "-":
        return sys.stdin.buffer.read()
    if not os.path.exists(path):
        raise InputError(path, "no such file")
    if os.path.isdir(path):
        raise InputError(path, "is a directory")
    if os.path.getsize(path) > MAX_BYTES:
        raise InputError(path, f"larger than {MAX_BYTES // (1024 * 1024)} MB")
    try:
        with open(path, "rb") as handle:
            return handle.read()
    except OSError as error:
        raise InputError(path, error.strerror or str(error)) from None


def decode(path: str, data: bytes) -> str:
    """UTF-8 text (BOM removed, line ends untouched), or InputError for binary or other encodings."""
    if b"\x00" in data[:8192]:
        raise InputError(path, "binary file (contains NUL bytes), not text")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise InputError(path, f"not valid UTF-8 (byte 0x{data[error.start]:02x} at offset {error.start}); "
                               "convert it to UTF-8") from None


def read_path(path: str, config: Config) -> Document:
    """Read one input into a document (with the settings that hold for its path)."""
    return reader_for(path)(path, load_bytes(path), config.for_path(path))


def expand_paths(paths: list[str]) -> list[str]:
    """Files named by ``paths``: directories are walked, globs expanded, missing paths kept (to be reported)."""
    files: list[str] = []
    for path in paths:
        if path == "-":
            files.append(path)
        elif os.path.isdir(path):
            files.extend(_walk(path))
        elif any(ch in path for ch in "*?[") and not os.path.exists(path):
            matches = sorted(glob.glob(path, recursive=True))
            files.extend(m for m in matches if os.path.isfile(m))
            if not matches:
                files.append(path)
        else:
            files.append(path)
    return files


def _walk(directory: str) -> list[str]:
    found = []
    for root, dirs, names in os.walk(directory):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(names):
            if os.path.splitext(name)[1].lower() in READERS and not name.startswith("."):
                found.append(os.path.join(root, name))
    return found


def read_all(paths: list[str], config: Config) -> Iterator[Document | InputError]:
    """Documents for every input path, or the InputError of each one that cannot be read."""
    for path in expand_paths(paths):
        try:
            yield read_path(path, config)
        except InputError as error:
            yield error
