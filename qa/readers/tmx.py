"""TMX translation memories: one unit per ``<tu>``, source and target picked from its ``<tuv>``s.

The source language is the header's ``srclang`` (or ``--source-lang``); the target is
``--target-lang`` when given, otherwise the first other language of the memory. A multilingual
memory is therefore checked for one target language per run. Inline codes (``<bpt>``, ``<ept>``,
``<ph>``, ``<it>``) are kept out of the text and recorded for the markup checks.
"""
from __future__ import annotations

from xml.etree.ElementTree import Element

from ..config import Config
from ..errors import InputError
from ..model import Document
from .units import Unit, unit_document
from .xmlsafe import XML_LANG, child, children, inline_text, local, parse_xml


def read_tmx(path: str, data: bytes, config: Config) -> Document:
    """A unit document from a TMX file."""
    root, lines = parse_xml(path, data)
    if local(root.tag) != "tmx":
        raise InputError(path, f"not TMX: the root element is <{local(root.tag)}>, not <tmx>")
    header = child(root, "header")
    body = child(root, "body")
    if body is None:
        raise InputError(path, "TMX without <body>")
    tus = children(body, "tu")
    source_lang = config.source_lang or (header.get("srclang") if header is not None else None)
    if source_lang in (None, "*all*"):
        source_lang = next((_lang_of(v) for tu in tus for v in children(tu, "tuv")), None)
    target_lang = config.target_lang or _first_other_lang(tus, source_lang)
    units = []
    for index, tu in enumerate(tus, start=1):
        variants = {_primary(_lang_of(v)): v for v in children(tu, "tuv")}
        target_el = _seg(variants.get(_primary(target_lang)))
        if target_el is None:
            continue
        target, target_tags = inline_text(target_el)
        if not target.strip():
            continue
        source_el = _seg(variants.get(_primary(source_lang)))
        source, source_tags = inline_text(source_el) if source_el is not None else (None, [])
        notes = [" ".join(n.itertext()).strip() for n in children(tu, "note")]
        units.append(Unit(id=tu.get("tuid") or str(index), target=target, source=source,
                          note="\n".join(n for n in notes if n) or None, line=lines.get(target_el, 1),
                          source_tags=source_tags, target_tags=target_tags))
    return unit_document(path, units, config, source_lang, target_lang, fmt="tmx")


def _lang_of(tuv: Element) -> str:
    return tuv.get(XML_LANG) or tuv.get("lang") or ""


def _primary(code: str | None) -> str:
    return (code or "").replace("_", "-").split("-")[0].lower()


def _seg(tuv: Element | None) -> Element | None:
    return child(tuv, "seg") if tuv is not None else None


def _first_other_lang(tus: list[Element], source_lang: str | None) -> str | None:
    for tu in tus:
        for tuv in children(tu, "tuv"):
            lang = _lang_of(tuv)
            if lang and _primary(lang) != _primary(source_lang):
                return lang
    return None
