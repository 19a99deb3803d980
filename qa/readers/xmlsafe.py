"""Safe XML parsing for the XML formats (XLIFF, TMX) and the inline-content walker they share.

Parsing goes through ``defusedxml``: entity declarations (the "billion laughs" bomb), external
entities and DTD retrieval raise, and so does malformed XML; both become
:class:`~qa.errors.InputError`. Inline codes (XLIFF ``<g>``, ``<x/>``, ``<ph>``, ``<bpt>``/``<ept>``,
``<pc>``, ``<sc/>``/``<ec/>``; TMX ``<bpt>``, ``<ept>``, ``<ph>``, ``<it>``) are kept out of the
text and recorded as :class:`~qa.readers.units.Tag` values with their offsets.
"""
from __future__ import annotations

from typing import Any
from xml.etree.ElementTree import Element, ParseError

import defusedxml
from defusedxml.ElementTree import DefusedXMLParser

from ..errors import InputError
from .units import Tag

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"

# Inline elements whose content is native code (not translatable text): recorded, content skipped.
_CODE_ELEMENTS = {"x": "standalone", "bx": "open", "ex": "close", "ph": "standalone", "bpt": "open",
                  "ept": "close", "it": "standalone", "sc": "open", "ec": "close", "ut": "standalone"}
# Inline elements that wrap translatable text: an open and a close tag around their content.
_WRAPPING_ELEMENTS = {"g", "pc"}
# Annotations whose content is plain text for the checks (no tag recorded).
_TRANSPARENT_ELEMENTS = {"mrk", "hi", "sm", "em"}


class _LineParser(DefusedXMLParser):
    """A defused parser that remembers the line on which each element starts."""

    def __init__(self) -> None:
        super().__init__(forbid_dtd=False, forbid_entities=True, forbid_external=True)
        self.lines: dict[Element, int] = {}

    def _start(self, *args: Any) -> Element:  # hooks the pure-Python parser's start handler
        element = super()._start(*args)
        self.lines[element] = self.parser.CurrentLineNumber
        return element


def parse_xml(path: str, data: bytes) -> tuple[Element, dict[Element, int]]:
    """The root element of ``data`` and the start line of every element, or InputError."""
    if not data.strip():
        raise InputError(path, "empty file, not XML")
    parser = _LineParser()
    try:
        parser.feed(data)
        root = parser.close()
    except defusedxml.DefusedXmlException as error:
        raise InputError(path, f"refused unsafe XML ({type(error).__name__}: entity or DTD tricks)") from None
    except ParseError as error:
        raise InputError(path, f"not well-formed XML: {error}") from None
    except (ValueError, LookupError) as error:  # unknown encoding declarations
        raise InputError(path, f"cannot decode XML: {error}") from None
    return root, parser.lines


def local(tag: Any) -> str:
    """An element's name without its namespace (comments and processing instructions give '')."""
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def children(element: Element, name: str) -> list[Element]:
    """Direct children named ``name`` (any namespace)."""
    return [child for child in element if local(child.tag) == name]


def child(element: Element, name: str) -> Element | None:
    """The first direct child named ``name`` (any namespace), or None."""
    for item in element:
        if local(item.tag) == name:
            return item
    return None


def inline_text(element: Element) -> tuple[str, list[Tag]]:
    """The translatable text of ``element`` with its inline codes removed, and those codes as tags."""
    parts: list[str] = []
    tags: list[Tag] = []
    _walk(element, parts, tags, [0])
    return "".join(parts), tags


def _walk(element: Element, parts: list[str], tags: list[Tag], length: list[int]) -> None:
    if element.text:
        _add(parts, length, element.text)
    for item in element:
        name = local(item.tag)
        if name in _CODE_ELEMENTS:
            tags.append(Tag(_CODE_ELEMENTS[name], name, _tag_id(item, name), length[0]))
        elif name in _WRAPPING_ELEMENTS:
            ident = item.get("id", "")
            tags.append(Tag("open", name, ident, length[0]))
            _walk(item, parts, tags, length)
            tags.append(Tag("close", name, ident, length[0]))
        elif name == "cp":  # XLIFF 2.0 code point that XML cannot carry literally
            _add(parts, length, _code_point(item.get("hex", "")))
        elif name and name not in ("sub",):
            _walk(item, parts, tags, length)
        if item.tail:
            _add(parts, length, item.tail)


def _add(parts: list[str], length: list[int], text: str) -> None:
    parts.append(text)
    length[0] += len(text)


def _tag_id(item: Element, name: str) -> str:
    """The identifier that pairs and matches an inline code between source and target."""
    if name == "ec":
        return item.get("startRef") or item.get("id", "")
    if name in ("bpt", "ept", "it"):
        return item.get("rid") or item.get("i") or item.get("id") or item.get("x", "")
    return item.get("id") or item.get("x") or item.get("i", "")


def _code_point(hex_value: str) -> str:
    try:
        return chr(int(hex_value, 16))
    except ValueError:
        return ""
