"""Whole articles in fifteen languages: silent on clean text, and the artefacts put into damaged copies are found."""
from __future__ import annotations

from pathlib import Path

import pytest

from qa import Config, check

DATA = Path(__file__).resolve().parents[1] / "data" / "multilingual"
CLEAN = sorted((DATA / "clean").glob("*.txt"))

# Artefacts put into the damaged copies, as (code, flagged text), found by the rules alone.
DAMAGED = {
    "de": {("QA202", "Warshau"), ("QA401", "5.5"),
           ("QA301", "The two companies are investing about 320 million euros in the connection.")},
    "fr": {("QA401", "35.5"), ("QA301", "The insurers promised to speed up compensation for all the victims."),
           ("QA502", "Lire aussi :"), ("QA504", "les les")},
    "ru": {("QA401", "1.5"), ("QA301", "The governor said the new crossing would relieve the city centre."),
           ("QA504", "в в")},
}
# Found only with the language model: names in lower case that the word lists cannot decide on.
DAMAGED_WITH_MODEL = {"de": {("QA201", "berlin")}, "fr": {("QA201", "bordeaux")}, "ru": {("QA201", "новосибирске")}}


def _findings(path: Path, scorer=None) -> set[tuple[str, str]]:
    lang = path.stem
    config = Config(fluency=scorer is not None, target_lang=lang, cache_dir="off")
    report = check(path.read_text(encoding="utf-8"), target_lang=lang, config=config, scorer=scorer)
    return {(f.code, f.text) for f in report.documents[0].findings}


def test_there_are_fifteen_clean_languages():
    assert {p.stem for p in CLEAN} == {"cs", "de", "el", "en", "es", "fr", "it", "nl", "pl", "pt", "ro", "ru",
                                       "sv", "tr", "uk"}


@pytest.mark.parametrize("path", CLEAN, ids=[p.stem for p in CLEAN])
def test_clean_article_has_no_findings(path):
    assert _findings(path) == set()


@pytest.mark.parametrize("lang", sorted(DAMAGED))
def test_damaged_article_artefacts_are_found(lang):
    found = _findings(DATA / "damaged" / f"{lang}.txt")
    assert DAMAGED[lang] <= found, DAMAGED[lang] - found
    assert found <= DAMAGED[lang] | DAMAGED_WITH_MODEL[lang], found - DAMAGED[lang]


@pytest.mark.slow
@pytest.mark.parametrize("path", CLEAN, ids=[p.stem for p in CLEAN])
def test_clean_article_has_no_findings_with_the_model(gemma, path):
    assert _findings(path, gemma) == set()


@pytest.mark.slow
@pytest.mark.parametrize("lang", sorted(DAMAGED))
def test_damaged_article_artefacts_are_found_with_the_model(gemma, lang):
    found = _findings(DATA / "damaged" / f"{lang}.txt", gemma)
    expected = DAMAGED[lang] | DAMAGED_WITH_MODEL[lang]
    assert expected <= found, expected - found
    # beyond the planted artefacts only a low-fluency note on an untranslated sentence is allowed
    assert {code for code, _ in found - expected} <= {"QA701"}, found - expected
