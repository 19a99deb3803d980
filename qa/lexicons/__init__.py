"""Reference spellings of names: the built-in lexicon, user glossaries and reference terms.

Public functions::

    load_builtin(lang)                  -> Lexicon       built-in names for a target language
    load_glossary(path)                 -> entries       CSV / TSV / TBX file (cached by mtime)
    load_glossary_bytes(data, filename) -> entries       an uploaded file (Streamlit)
    document_names(lang, glossaries, reference_text) -> DocumentNames

A :class:`DocumentNames` answers the name checks' questions for one document: is this a
correct spelling here, a known wrong one (and what is right), a name at all, which correct
names lie one edit away. A glossary entry or a spelling used by the reference translation
overrides the built-in lexicon.

Glossaries reach the checks as paths in ``Config.glossary`` (``--glossary``), or already parsed
as ``Config(extra={"glossary_entries": load_glossary_bytes(data, name)})`` (an upload that
never touches the disk). Both raise :class:`qa.errors.InputError` on unreadable files.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Iterable

from .glossary import GlossaryEntry, load_glossary, load_glossary_bytes, parse_delimited, parse_tbx
from .store import Lexicon, Name, build_index, fold, load_builtin, near

# A name token: letters, with inner hyphens and apostrophes ("Kamianka-Dniprovska", "O'Neill").
NAME_TOKEN_RE = re.compile(r"[^\W\d_]+(?:[-'’][^\W\d_]+)*")
_SENTENCE_OPENERS = ".!?…:\n\r"


@dataclass
class DocumentNames:
    """Reference spellings for one document: built-in lexicon plus glossary and reference terms."""

    lang: str
    base: Lexicon
    extra: dict[str, Name] = field(default_factory=dict)       # correct forms from glossary / reference
    extra_variants: dict[str, Name] = field(default_factory=dict)
    _extra_index: dict | None = None

    def correct(self, form: str) -> Name | None:
        """The correct-name entry of ``form`` in this document's target language, or None."""
        key = fold(form)
        return self.extra.get(key) or self.base.correct(key)

    def variant(self, form: str) -> Name | None:
        """The entry of ``form`` when it is a wrong spelling here (glossary and reference overrule)."""
        key = fold(form)
        if key in self.extra:
            return None
        return self.extra_variants.get(key) or self.base.variants.get(key)

    def is_known(self, form: str) -> bool:
        """Whether ``form`` is a spelling of some name in any language (so never a misspelling)."""
        key = fold(form)
        return key in self.extra or key in self.extra_variants or self.base.is_known(form)

    def is_common_lowercase(self, word: str) -> bool:
        """Whether the lower-case ``word`` is also an ordinary word of the language (``china``)."""
        return fold(word) in self.base.common

    def add_correct(self, name: Name) -> None:
        """Make ``name`` a correct spelling of this document (unless one is already recorded)."""
        self.extra.setdefault(fold(name.form), name)
        self._extra_index = None

    def near(self, form: str) -> list[Name]:
        """Prominent correct names one edit or one adjacent swap from ``form``."""
        key = fold(form)
        if self._extra_index is None:
            self._extra_index = build_index(self.extra)
        keys = dict.fromkeys(near(self._extra_index, key) + self.base.near(key))
        return [n for n in (self.correct(k) for k in keys) if n is not None]


def document_names(lang: str, glossaries: Iterable[GlossaryEntry] = (),
                   reference_text: str | None = None) -> DocumentNames:
    """The reference spellings for a document in ``lang`` with its glossary entries and reference."""
    lang = (lang or "en").split("-")[0].lower()
    names = DocumentNames(lang, load_builtin(lang))
    for entry in glossaries:
        if not entry.applies_to(lang):
            continue
        for form in (entry.term, *entry.accepted):
            names.extra[fold(form)] = Name(form, entry.term, "canonical" if form == entry.term else "accepted",
                                           "glossary", "term", True, entry.note)
        for form in entry.variants:
            names.extra_variants[fold(form)] = Name(form, entry.term, "variant", "glossary", "term", True, entry.note)
    for form in reference_names(reference_text or "", names):
        names.extra.setdefault(fold(form), Name(form, form, "canonical", "reference", "name", True,
                                                "the reference translation's spelling"))
    return names


def reference_names(text: str, names: DocumentNames | None = None) -> list[str]:
    """Capitalised words of a reference translation that are names: not sentence-initial, or known names."""
    found = []
    for m in NAME_TOKEN_RE.finditer(text):
        word = m.group()
        if not word[0].isupper() or word.isupper() or len(word) < 3:
            continue
        before = text[:m.start()].rstrip(" \t\"'“”«»„‘’([")
        initial = not before or before[-1] in _SENTENCE_OPENERS
        if not initial or (names is not None and (names.correct(word) or names.is_known(word))):
            found.append(re.sub(r"['’]s$", "", word))
    return found


__all__ = ["DocumentNames", "GlossaryEntry", "Lexicon", "NAME_TOKEN_RE", "Name", "document_names", "fold",
           "load_builtin", "load_glossary", "load_glossary_bytes", "parse_delimited", "parse_tbx",
           "reference_names"]
