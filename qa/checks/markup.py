"""Inline markup and placeholders: tags and codes lost, added or broken by the translation.

What it catches
    * QA550 ``inline-tag-missing``: an inline code of the source (XLIFF ``<g>``, ``<x/>``,
      ``<ph>``, ``<bpt>``/``<ept>``, ``<pc>``; TMX codes; literal HTML/XML tags such as ``<b>``,
      ``<a href>``, ``<br/>`` in TSV, PO or plain text) is absent from the target.
    * QA551 ``inline-tag-extra``: the target has an inline code the source does not.
    * QA552 ``inline-tag-unbalanced``: the target opens a paired code without closing it (or
      closes one it never opened) where the source is balanced, e.g. ``<b>wichtig.``.
    * QA553 ``placeholder-mismatch``: printf (``%s``, ``%1$d``, ``%(name)s``) or brace
      (``{0}``, ``{name}``, ``{{name}}``) placeholders differ between source and target.

Why MT produces it
    MT engines translate text, not markup: tags get dropped when the word they wrap is
    reordered or merged, duplicated around the wrong word, or left half-closed; placeholders are
    "translated" (``{name}`` -> ``{nom}``) or lost. Each of these breaks the build or the UI.

Known limits
    Tags are compared by kind, name and id, not by position, since word order legitimately
    changes. Literal HTML attributes are not compared (titles and URLs are often localised).
    A plain-text document with a whole source text is compared sentence by sentence only when
    both have the same number of sentences; otherwise the whole document is compared and a
    missing tag is reported on the first sentence. ICU plural/select arguments are not parsed.
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from typing import Iterator

from ..context import CheckContext
from ..model import Category, Document, Finding, Severity
from ..readers.units import CODE_FAMILY
from ..rules import ALL_LANGUAGES, Example, Rule, check
from ..text import segment_text, words

_VOID = frozenset("br hr img input meta wbr area col embed source track link param".split())
_HTML_TAG_RE = re.compile(
    r"<(/?)([A-Za-z][A-Za-z0-9:-]*)((?:\s+[\w:.-]+(?:\s*=\s*(?:\"[^\"]*\"|'[^']*'|[^\s\"'<>]+))?)*)\s*(/?)>")
_PLACEHOLDER_RE = re.compile(
    r"%(?:\d+\$)?[-+#0]*\d*(?:\.\d+)?(?:hh|h|ll|l|z)?[sdifuxXeEgGc@]"
    r"|%\(\w+\)[-+#0]*\d*(?:\.\d+)?[sdifr]"
    r"|\{\{\s*[A-Za-z_][\w.]*\s*\}\}|\{\s*[A-Za-z_][\w.]*\s*\}|\{\d+\}"
    r"|\$\{[A-Za-z_]\w*\}")
_PAIRED_FAMILIES = {"bpt": "ept", "g": "g", "pc": "g"}


@dataclass(frozen=True)
class _Code:
    """One inline code of a text: (kind, name, id) identify it, ``start``/``end`` locate it."""

    kind: str
    name: str
    id: str
    start: int
    end: int
    label: str

    @property
    def key(self) -> tuple[str, str, str]:
        return (self.kind, self.name, self.id)


@dataclass(frozen=True)
class _Pair:
    """A stretch of target (``start``/``end`` in ``doc.text``) with the source it translates."""

    start: int
    end: int
    source: str | None
    target_codes: tuple[_Code, ...]
    source_codes: tuple[_Code, ...]


TAG_MISSING = Rule(
    code="QA550", name="inline-tag-missing", category=Category.DESIGN, severity=Severity.MAJOR,
    languages=ALL_LANGUAGES, needs_source=True,
    explanation=(
        "An inline tag or code of the source segment (an XLIFF or TMX inline code such as a bold "
        "run, a link or a line break, or a literal HTML tag in a string) is missing from the "
        "translation. Engines translate the words and drop the markup around them, which loses "
        "formatting, links or variables in the product. Tags are matched by name and id, not position."
    ),
    fail_examples=(
        Example("Klicken Sie auf Speichern, um Ihre Änderungen zu behalten.", "de",
                source="Click <b>Save</b> to keep your changes.", source_lang="en"),
        Example("Lisez les conditions avant de continuer.", "fr",
                source='Read the <a href="/terms">terms</a> before you continue.', source_lang="en"),
        Example("Línea uno. Línea dos.", "es", source="Line one.<br/> Line two.", source_lang="en"),
        Example("Натисніть кнопку, щоб продовжити.", "uk",
                source="Press the <b>button</b> to continue.", source_lang="en"),
    ),
    pass_examples=(
        Example("Klicken Sie auf <b>Speichern</b>, um fortzufahren.", "de",
                source="Click <b>Save</b> to continue.", source_lang="en"),
        Example('Lisez les <a href="/fr/conditions">conditions</a>.', "fr",
                source='Read the <a href="/en/terms">terms</a>.', source_lang="en"),
        Example("Wenn x < y und y > z, dann gilt x < z.", "de",
                source="If x < y and y > z, then x < z.", source_lang="en"),
        Example("The meeting starts at noon.", "en", source="La réunion commence à midi.", source_lang="fr"),
    ),
)

TAG_EXTRA = Rule(
    code="QA551", name="inline-tag-extra", category=Category.DESIGN, severity=Severity.MAJOR,
    languages=ALL_LANGUAGES, needs_source=True,
    explanation=(
        "The translation contains an inline tag or code that its source segment does not have. "
        "Engines duplicate tags or invent them around the wrong word; an extra code breaks the "
        "file's round trip or shows formatting where none was meant. Tags are matched by name and id."
    ),
    fail_examples=(
        Example("Speichern Sie <b>Ihre</b> Änderungen.", "de", span="<b>",
                source="Save your changes.", source_lang="en"),
        Example("Bienvenue sur la page<br/> d'accueil.", "fr", span="<br/>",
                source="Welcome to the home page.", source_lang="en"),
        Example("Pulse <i>Aceptar</i> y <i>Cancelar</i>.", "es", span="<i>",
                source="Press <i>OK</i> and Cancel.", source_lang="en"),
    ),
    pass_examples=(
        Example("Speichern Sie <b>Ihre</b> Änderungen.", "de",
                source="Save <b>your</b> changes.", source_lang="en"),
        Example("Ich <3 Berlin und finde 3 < 5.", "de", source="I <3 Berlin and think 3 < 5.", source_lang="en"),
        Example("Pulse <i>Aceptar</i> y <i>Cancelar</i>.", "es",
                source="Press <i>OK</i> and <i>Cancel</i>.", source_lang="en"),
    ),
)

TAG_UNBALANCED = Rule(
    code="QA552", name="inline-tag-unbalanced", category=Category.DESIGN, severity=Severity.MAJOR,
    languages=ALL_LANGUAGES,
    explanation=(
        "The translation opens a paired tag or code without closing it, or closes one it never "
        "opened, while the source is balanced (or there is no source, as in subtitles). When a "
        "wrapped word moves, engines often keep only one half of the pair, which breaks the "
        "rendering of everything after it."
    ),
    fail_examples=(
        Example("Das ist <b>wichtig.", "de", span="<b>", source="This is <b>important</b>.", source_lang="en"),
        Example("C'est vraiment</i> important.", "fr", span="</i>",
                source="It is <i>really</i> important.", source_lang="en"),
        Example("<i>Where are you going?</i> <i>Home, now.", "en", span="<i>"),
    ),
    pass_examples=(
        Example("Das ist <b>wichtig</b>.", "de", source="This is <b>important</b>.", source_lang="en"),
        Example("Das ist <b>sehr", "de", source="This is <b>very", source_lang="en"),
        Example("<i>Where are you going?</i>", "en"),
        Example("Line one<br>Line two<br/>Line three.", "en"),
        Example("Wrap the list in a <ul> element and each item in an <li> element.", "en"),
    ),
)

PLACEHOLDER_MISMATCH = Rule(
    code="QA553", name="placeholder-mismatch", category=Category.DESIGN, severity=Severity.MAJOR,
    languages=ALL_LANGUAGES, needs_source=True,
    explanation=(
        "A printf-style (%s, %1$d, %(name)s) or brace ({0}, {name}, {{name}}) placeholder of the "
        "source is missing from the translation, or the translation has one the source does not. "
        "Engines drop placeholders or translate their names ({name} becomes {nom}); the program "
        "then crashes or shows the raw code. Order may change; the set of placeholders may not."
    ),
    fail_examples=(
        Example("%d Dateien wurden gespeichert.", "de", source="Saved %d files to %s.", source_lang="en"),
        Example("Bonjour {nom} !", "fr", span="{nom}", source="Hello {name}!", source_lang="en"),
        Example("Tienes mensajes nuevos.", "es", source="You have {0} new messages.", source_lang="en"),
        Example("Привіт, %(user)s! У вас %(count)d листів.", "uk", span="%(count)d",
                source="Hi, %(user)s!", source_lang="en"),
    ),
    pass_examples=(
        Example("%2$s hat %1$d Dateien gespeichert.", "de", source="Saved %1$d files to %2$s.", source_lang="en"),
        Example("In %2$s wurden %1$d Dateien gespeichert.", "de", source="Saved %d files to %s.", source_lang="en"),
        Example("50 % de réduction sur tout !", "fr", source="50% off everything!", source_lang="en"),
        Example("{0} Dateien in {folder}.", "de", source="{0} files in {folder}.", source_lang="en"),
        Example("Hallo {{ name }}!", "de", source="Hello {{name}}!", source_lang="en"),
    ),
)


def _literal_tags(text: str, base: int = 0) -> list[_Code]:
    codes = []
    for m in _HTML_TAG_RE.finditer(text):
        name = m.group(2).lower()
        kind = "close" if m.group(1) else ("standalone" if m.group(4) or name in _VOID else "open")
        codes.append(_Code(kind, name, "", base + m.start(), base + m.end(), m.group()))
    return codes


def _file_tags(doc: Document, seg_id: str, side: str, base: int) -> list[_Code]:
    tags = doc.meta.get("tags", {}).get(seg_id, {}).get(side, ())
    return [_Code(t.kind, CODE_FAMILY.get(t.name, t.name), t.id, base + t.offset, base + t.offset, t.label())
            for t in tags]


def _pairs(doc: Document, ctx: CheckContext) -> list[_Pair]:
    """Target stretches with their source: units of a bilingual file, or sentences of a text."""
    return ctx.memo("markup.pairs", lambda: _build_pairs(doc))


def _build_pairs(doc: Document) -> list[_Pair]:
    if doc.unit_based:
        pairs = []
        for seg in doc.segments:
            codes = _file_tags(doc, seg.id, "target", seg.start) + _literal_tags(seg.text, seg.start)
            source_codes = (_file_tags(doc, seg.id, "source", 0) + _literal_tags(seg.source)) if seg.source else []
            pairs.append(_Pair(seg.start, seg.end, seg.source, tuple(codes), tuple(source_codes)))
        return pairs
    if doc.source_text is None:
        return [_Pair(0, len(doc.text), None, tuple(_literal_tags(doc.text)), ())]
    source_segments = segment_text(doc.source_text)
    if len(source_segments) == len(doc.segments) and doc.segments:
        return [_Pair(t.start, t.end, s.text, tuple(_literal_tags(t.text, t.start)), tuple(_literal_tags(s.text)))
                for t, s in zip(doc.segments, source_segments)]
    return [_Pair(0, len(doc.text), doc.source_text, tuple(_literal_tags(doc.text)),
                  tuple(_literal_tags(doc.source_text)))]


def _missing_span(doc: Document, pair: _Pair) -> tuple[int, int]:
    """Where a missing code is reported: the unit or sentence, or the first sentence of a whole text."""
    start, end = pair.start, pair.end
    if end - start > 400 and doc.segments:
        seg = doc.segment_at(start) or doc.segments[0]
        start, end = seg.start, seg.end
    while start < end and doc.text[start].isspace():
        start += 1
    return start, end


def _word_near(doc: Document, pair: _Pair, offset: int) -> tuple[int, int]:
    """A zero-width file tag is reported on the word after it (or before it at the end)."""
    spans = [(pair.start + s, pair.start + e) for s, e, _ in words(doc.text[pair.start:pair.end])]
    after = [span for span in spans if span[0] >= offset]
    if after:
        return after[0]
    return spans[-1] if spans else (pair.start, pair.end)


def _span_of(doc: Document, pair: _Pair, code: _Code) -> tuple[int, int]:
    return (code.start, code.end) if code.end > code.start else _word_near(doc, pair, code.start)


def _counterpart(code_key: tuple[str, str, str]) -> tuple[str, str, str] | None:
    kind, name, ident = code_key
    if kind == "open":
        return ("close", _PAIRED_FAMILIES.get(name, name), ident)
    if kind == "close":
        partner = next((o for o, c in _PAIRED_FAMILIES.items() if c == name and o != "pc"), name)
        return ("open", partner, ident)
    return None


@check(TAG_MISSING)
def check_missing_tags(doc: Document, ctx: CheckContext) -> Iterator[Finding]:
    """One finding per unit or sentence whose source has codes the target lacks."""
    for pair in _pairs(doc, ctx):
        if pair.source is None or not pair.source_codes:
            continue
        target = Counter(c.key for c in pair.target_codes)
        missing = Counter(c.key for c in pair.source_codes) - target
        labels = []
        for code in pair.source_codes:
            partner = _counterpart(code.key)
            if missing[code.key] > 0 and not (partner and target[partner] > target[code.key]):
                labels.append(code.label)
                missing[code.key] -= 1
        if labels:
            start, end = _missing_span(doc, pair)
            shown = ", ".join(dict.fromkeys(labels))
            yield TAG_MISSING.finding(doc, start, end, f"The translation lacks the source's inline code(s) {shown}.")


@check(TAG_EXTRA)
def check_extra_tags(doc: Document, ctx: CheckContext) -> Iterator[Finding]:
    """One finding per target code that the source does not have."""
    for pair in _pairs(doc, ctx):
        if pair.source is None:
            continue
        extra = Counter(c.key for c in pair.target_codes) - Counter(c.key for c in pair.source_codes)
        reported_opens: Counter = Counter()
        for code in pair.target_codes:
            if extra[code.key] <= 0:
                continue
            extra[code.key] -= 1
            partner = _counterpart(code.key)
            if code.kind == "open":
                reported_opens[code.key] += 1
            elif code.kind == "close" and partner and reported_opens[partner] > 0:
                reported_opens[partner] -= 1  # the pair was reported once, on its opening code
                continue
            start, end = _span_of(doc, pair, code)
            yield TAG_EXTRA.finding(doc, start, end,
                                    f"The translation has the inline code {code.label} that its source does not.")


def _unbalanced(codes: tuple[_Code, ...]) -> list[_Code]:
    """Opening codes never closed and closing codes never opened, in text order."""
    stray: list[_Code] = []
    open_stack: dict[tuple[str, str], list[_Code]] = {}
    for code in codes:
        if code.kind == "open":
            open_stack.setdefault((code.name, code.id), []).append(code)
        elif code.kind == "close":
            partner = _counterpart(code.key)
            key = (partner[1], code.id) if partner else (code.name, code.id)
            stack = open_stack.get(key) or open_stack.get((code.name, code.id))
            if stack:
                stack.pop()
            else:
                stray.append(code)
    stray.extend(c for stack in open_stack.values() for c in stack)
    return sorted(stray, key=lambda c: c.start)


@check(TAG_UNBALANCED)
def check_unbalanced_tags(doc: Document, ctx: CheckContext) -> Iterator[Finding]:
    """Target codes left unpaired where the source pairs them (or has no source)."""
    for pair in _pairs(doc, ctx):
        stray = _unbalanced(pair.target_codes)
        if not stray:
            continue
        if pair.source is None and not any(c.kind == "close" and c.end > c.start for c in pair.target_codes):
            stray = [c for c in stray if c.end == c.start]  # prose naming "the <div> element" is not markup
        source_stray = {(c.kind, c.name, c.id) for c in _unbalanced(pair.source_codes)} if pair.source else set()
        for code in stray:
            if code.key in source_stray:
                continue
            start, end = _span_of(doc, pair, code)
            what = "opens" if code.kind == "open" else "closes"
            yield TAG_UNBALANCED.finding(
                doc, start, end, f"The translation {what} {code.label} without its matching "
                                 f"{'closing' if code.kind == 'open' else 'opening'} code.")


def _placeholders(text: str, base: int = 0) -> list[tuple[str, int, int]]:
    """Placeholders as comparable keys (spaces dropped, printf positions ``%2$s`` -> ``%s``) with offsets."""
    return [(re.sub(r"^%\d+\$", "%", re.sub(r"\s+", "", m.group())), base + m.start(), base + m.end())
            for m in _PLACEHOLDER_RE.finditer(text)]


@check(PLACEHOLDER_MISMATCH)
def check_placeholders(doc: Document, ctx: CheckContext) -> Iterator[Finding]:
    """Placeholders of the source missing in the target (one finding) and extra ones (one each)."""
    for pair in _pairs(doc, ctx):
        if pair.source is None:
            continue
        source = _placeholders(pair.source)
        if not source:
            continue
        target = _placeholders(doc.text[pair.start:pair.end], pair.start)
        source_count = Counter(p for p, _, _ in source)
        missing = source_count - Counter(p for p, _, _ in target)
        if missing:
            start, end = _missing_span(doc, pair)
            shown = ", ".join(sorted(missing))
            yield PLACEHOLDER_MISMATCH.finding(doc, start, end,
                                               f"The translation lacks the placeholder(s) {shown} of its source.")
        extra = Counter(p for p, _, _ in target) - source_count
        for text, start, end in target:
            if extra[text] > 0:
                extra[text] -= 1
                yield PLACEHOLDER_MISMATCH.finding(
                    doc, start, end, f"The placeholder {text} is not in the source; it may have been translated.")
