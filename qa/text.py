"""Segmentation of text into paragraphs, headings and sentences, with exact offsets.

Nothing here modifies the text: every span is a ``(start, end)`` pair of ``str`` indices
into the string that was given, so findings can always be mapped back to what was read.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterator

from .model import Segment

# Abbreviations after which a period does not end a sentence (lower-cased, without the
# final period). Several languages, since segmentation runs on every target language.
ABBREVIATIONS = frozenset(
    """
    mr mrs ms dr prof st sr jr mt gen col lt sgt capt cmdr adm gov sen rep rev hon pres
    messrs mme mlle mm m me hr fr frau herr
    jan feb mar apr jun jul aug sep sept oct nov dec
    no nos nr vol vols p pp ch fig figs art arts ed eds
    inc ltd co corp plc llc bros dept univ assn est approx ca cf vs viz al etc
    e.g i.e u.s u.k u.n u.s.a e.u a.m p.m ph.d b.a m.a
    z.b bzw bspw d.h u.a usw vgl ggf evtl inkl sog s.o s.u ff mio mrd tsd jh abs str dt
    av bd env etc p.ex c.-à-d cie ste st-
    сек г гг им т.е т.д т.п ул пр
    """.split()
)

_WORD_RE = re.compile(r"\w+(?:[’'\-]\w+)*", re.UNICODE)
_TERMINAL_RE = re.compile(r"[.!?…]+|[。！？]")
_CLOSERS = "\"'”’»)]}›"
_OPENERS = "\"'“‘«„([‹¿¡"
_QUOTE_PAIRS = {"“": "”", "«": "»", "„": "“", "‘": "’", "‹": "›", "「": "」"}
_HEADING_MAX_WORDS = 12
_SENTENCE_END_CHARS = ".!?…:;,。！？\"”»’)"


@dataclass(frozen=True)
class Span:
    """A half-open character range ``[start, end)`` of some text."""

    start: int
    end: int


def words(text: str) -> list[tuple[int, int, str]]:
    """Word tokens of ``text`` as ``(start, end, word)``; apostrophes and hyphens stay inside."""
    return [(m.start(), m.end(), m.group()) for m in _WORD_RE.finditer(text)]


def word_count(text: str) -> int:
    """Number of word tokens (CJK text counts characters, as MQM does for such languages)."""
    if not _CJK_RE.search(text):  # fast path: no CJK character, one count per token
        return len(_WORD_RE.findall(text))
    count = 0
    for m in _WORD_RE.finditer(text):
        token = m.group()
        cjk = sum(1 for ch in token if _is_cjk(ch))
        count += cjk + (1 if cjk < len(token) else 0)
    return count


_CJK_RE = re.compile("[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]")


def _is_cjk(ch: str) -> bool:
    code = ord(ch)
    return 0x3040 <= code <= 0x30FF or 0x3400 <= code <= 0x9FFF or 0xAC00 <= code <= 0xD7AF


def line_starts(text: str) -> list[int]:
    """Offsets at which each line starts (``\\n``, ``\\r\\n`` and lone ``\\r`` all end a line)."""
    starts = [0]
    for m in re.finditer(r"\r\n|\r|\n", text):
        starts.append(m.end())
    return starts


def line_col(starts: list[int], offset: int) -> tuple[int, int]:
    """1-based line and column of ``offset`` given ``line_starts`` of the text."""
    import bisect

    index = bisect.bisect_right(starts, offset) - 1
    return index + 1, offset - starts[index] + 1


def paragraphs(text: str) -> Iterator[Span]:
    """Paragraph spans, trimmed of surrounding white space.

    A line break ends a paragraph, except inside hard-wrapped prose: a line that does not end
    like a sentence, followed by a line that starts in lower case, continues it.
    """
    lines = [(m.start(), m.end()) for m in re.finditer(r"[^\r\n]*", text) if m.end() > m.start()]
    current: list[int] | None = None
    for start, end in lines:
        line = text[start:end]
        if not line.strip():
            if current:
                yield _trim(text, current[0], current[1])
            current = None
            continue
        if current and _continues(text[current[0]:current[1]], line):
            current[1] = end
            continue
        if current:
            yield _trim(text, current[0], current[1])
        current = [start, end]
    if current:
        yield _trim(text, current[0], current[1])


def _continues(previous: str, line: str) -> bool:
    stripped = previous.rstrip()
    first = line.lstrip()[:1]
    return bool(stripped) and stripped[-1] not in _SENTENCE_END_CHARS and first.islower()


def _trim(text: str, start: int, end: int) -> Span:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return Span(start, end)


def is_heading(paragraph: str) -> bool:
    """A short one-line paragraph that does not end like a sentence (or a Markdown heading)."""
    if paragraph.startswith("#"):
        return True
    if "\n" in paragraph or "\r" in paragraph:
        return False
    n_words = len(_WORD_RE.findall(paragraph))
    return 0 < n_words <= _HEADING_MAX_WORDS and paragraph.rstrip()[-1] not in _SENTENCE_END_CHARS


_QUOTE_MARK_RE = re.compile("[" + re.escape("".join(sorted({*_QUOTE_PAIRS, *_QUOTE_PAIRS.values(), '"'}))) + "]")


def _quoted_ranges(text: str) -> list[tuple[int, int]]:
    """Ranges of balanced quotations inside one paragraph (unbalanced quotes are ignored)."""
    ranges: list[tuple[int, int]] = []
    stack: list[tuple[str, int]] = []
    straight_open: int | None = None
    for mark in _QUOTE_MARK_RE.finditer(text):  # other characters change nothing
        i, ch = mark.start(), mark.group()
        if stack and ch == stack[-1][0]:
            _, start = stack.pop()
            if not stack:
                ranges.append((start, i + 1))
        elif ch in _QUOTE_PAIRS and not (ch == "‘" and i > 0 and text[i - 1].isalpha()):
            stack.append((_QUOTE_PAIRS[ch], i))
        elif ch == '"':
            if straight_open is None:
                straight_open = i
            else:
                ranges.append((straight_open, i + 1))
                straight_open = None
    return ranges


def _inside(ranges: list[tuple[int, int]], offset: int, boundary: int) -> bool:
    """Whether punctuation at ``offset`` sits in a quotation still open at ``boundary``."""
    return any(start < offset and boundary < end for start, end in ranges)


def _is_abbreviation(text: str, dot: int) -> bool:
    """Whether the period at ``dot`` closes an abbreviation or an initial rather than a sentence."""
    m = re.search(r"([\w.\-]+)$", text[:dot])
    if not m:
        return False
    token = m.group(1).lower().rstrip(".")
    if token in ABBREVIATIONS:
        return True
    if len(token) == 1 and token.isalpha():
        return True  # an initial: "J. Smith", "U.S."
    if re.fullmatch(r"(?:\w\.)+\w", token):
        return True  # dotted acronym "u.s", "e.g"
    return False


def sentence_spans(text: str, start: int = 0, end: int | None = None) -> list[Span]:
    """Sentence spans of ``text[start:end]`` (one paragraph), in document offsets."""
    end = len(text) if end is None else end
    chunk = text[start:end]
    quotes = _quoted_ranges(chunk)
    spans: list[Span] = []
    sentence_start = 0
    for m in _TERMINAL_RE.finditer(chunk):
        boundary = m.end()
        while boundary < len(chunk) and chunk[boundary] in _CLOSERS:
            boundary += 1
        if not _ends_sentence(chunk, m, boundary, quotes):
            continue
        spans.append(_trim(text, start + sentence_start, start + boundary))
        sentence_start = boundary
    if chunk[sentence_start:].strip():
        spans.append(_trim(text, start + sentence_start, end))
    return [s for s in spans if s.end > s.start]


def _ends_sentence(chunk: str, m: re.Match, boundary: int, quotes: list[tuple[int, int]]) -> bool:
    if m.group() in "。！？":
        return not _inside(quotes, m.start(), boundary)
    rest = chunk[boundary:]
    if not rest:
        return False
    if not rest[0].isspace():
        return False
    following = rest.lstrip()
    if not following:
        return False
    first = following[0]
    if not (first.isupper() or first.isdigit() or first in _OPENERS or not first.isalpha()):
        return False
    if m.group() == "." and _is_abbreviation(chunk, m.start()):
        # "Mr. Sybiga" never ends; "in the U.S. The" ends only before a clear sentence start.
        token = re.search(r"([\w.\-]+)$", chunk[: m.start()]).group(1).lower().rstrip(".")
        if token not in _SENTENCE_FINAL_ABBREVIATIONS or not first.isupper():
            return False
    return not _inside(quotes, m.start(), boundary)


# Abbreviations that commonly end a sentence too ("... in the U.S. The next day ...").
_SENTENCE_FINAL_ABBREVIATIONS = frozenset({"etc", "u.s", "u.k", "u.n", "e.u", "usw", "inc", "ltd", "co", "corp", "plc", "a.m", "p.m"})


def segment_text(text: str) -> tuple[Segment, ...]:
    """Split a whole text into segments: headings and the sentences of each paragraph."""
    segments: list[Segment] = []
    for index, para in enumerate(paragraphs(text)):
        body = text[para.start:para.end]
        if is_heading(body):
            segments.append(_segment(text, len(segments), para, "heading", index))
            continue
        for span in sentence_spans(text, para.start, para.end):
            segments.append(_segment(text, len(segments), span, "sentence", index))
    return tuple(segments)


def _segment(text: str, index: int, span: Span, kind: str, paragraph: int) -> Segment:
    return Segment(
        id=str(index + 1), start=span.start, end=span.end, text=text[span.start:span.end],
        kind=kind, paragraph=paragraph,
    )
