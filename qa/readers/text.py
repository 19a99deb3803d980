"""Plain text: the document is the file's text, segmented into headings and sentences."""
from __future__ import annotations

from ..config import Config
from ..model import Document
from ..text import segment_text


def read_text_document(path: str, data: bytes, config: Config) -> Document:
    """A text document from raw bytes (see :func:`qa.readers.decode` for what is refused)."""
    from . import decode

    return text_document(path, decode(path, data), config)


def text_document(path: str, text: str, config: Config, source_text: str | None = None,
                  reference_text: str | None = None) -> Document:
    """A document from already decoded text, with optional whole source and reference texts."""
    return Document(
        path=path, text=text, segments=segment_text(text),
        target_lang=config.target_lang, source_lang=config.source_lang,
        source_text=source_text, reference_text=reference_text,
    )
