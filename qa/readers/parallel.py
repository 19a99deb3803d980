"""Attach a whole source text and reference translations to a text document (``--source``/``--reference``)."""
from __future__ import annotations

from dataclasses import replace

from ..errors import InputError
from ..model import Document


def attach_parallel_texts(item: Document | InputError, source: str | None,
                          references: list[str]) -> Document | InputError:
    """The document with source and reference texts read from files (errors name the bad file)."""
    if isinstance(item, InputError):
        return item
    from . import decode, load_bytes

    try:
        source_text = decode(source, load_bytes(source)) if source else None
        reference_texts = [decode(path, load_bytes(path)) for path in references]
    except InputError as error:
        return error
    reference_text = reference_texts[0] if reference_texts else None
    meta = dict(item.meta)
    if len(reference_texts) > 1:
        meta["extra_references"] = reference_texts[1:]
    return replace(item, source_text=source_text, reference_text=reference_text, meta=meta)
