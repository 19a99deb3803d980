"""Name casing confirmed by the real packaged model, in several languages: lower-case names
whose word is also an ordinary word, or inflected forms of names, against true ordinary words."""
from __future__ import annotations

import pytest

from qa import Config, check

pytestmark = pytest.mark.slow

# (lang, text, word that must be capitalised)
LOST_CAPITALS = [
    ("de", "Die Fahrt dauert von Hamburg nach berlin etwa zwei Stunden.", "berlin"),
    ("fr", "Il est tombé 180 millimètres d'eau à bordeaux, un niveau inédit.", "bordeaux"),
    ("fr", "Le festival de nice attire chaque année beaucoup de touristes.", "nice"),
    ("en", "The president flew to turkey on Monday for talks.", "turkey"),
    ("en", "Exports to china rose by a fifth last year.", "china"),
    ("es", "Los precios de la vivienda en madrid subieron un 5 por ciento.", "madrid"),
    ("ru", "Мост в Новосибирске построили за пять лет. В новосибирске открыли движение.", "новосибирске"),
]

# (lang, text): the lower-case word is right
ORDINARY_WORDS = [
    ("fr", "Elle portait une robe bordeaux et des chaussures noires."),
    ("fr", "Elle a acheté une grenade et des pommes au marché."),
    ("en", "Her mobile phone rang twice during the meeting."),
    ("en", "We roasted a turkey for the holiday dinner."),
    ("en", "I love china plates and old silver spoons."),
    ("ru", "В Новосибирске он купил новосибирский сыр на рынке."),
    ("de", "In Berlin sagte sie, dass sie bald nach Hause fahren wolle."),
]


def _casing(gemma, text: str, lang: str) -> list[str]:
    config = Config(fluency=False, select=("QA201",), target_lang=lang, cache_dir="off")
    return [f.text for f in check(text, target_lang=lang, config=config, scorer=gemma).documents[0].findings]


@pytest.mark.parametrize("lang,text,word", LOST_CAPITALS, ids=[c[2] for c in LOST_CAPITALS])
def test_a_lost_capital_is_found(gemma, lang, text, word):
    assert _casing(gemma, text, lang) == [word]


@pytest.mark.parametrize("lang,text", ORDINARY_WORDS, ids=[f"{c[0]}-{i}" for i, c in enumerate(ORDINARY_WORDS)])
def test_an_ordinary_lower_case_word_is_left_alone(gemma, lang, text):
    assert _casing(gemma, text, lang) == []
