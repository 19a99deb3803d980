"""The built-in name lexicon, glossary readers (CSV, TSV, TBX) and per-document reference spellings."""
from __future__ import annotations

import pytest

from qa.errors import InputError
from qa.lexicons import (
    GlossaryEntry, document_names, load_builtin, load_glossary, load_glossary_bytes, reference_names,
)

# (lang, form, status expected: "correct" | "variant" | None, suggestion for variants)
LEXICON_TABLE = [
    ("en", "Kyiv", "correct", None),
    ("en", "Kiev", "variant", "Kyiv"),
    ("en", "Kiew", "variant", "Kyiv"),
    ("en", "Kharkov", "variant", "Kharkiv"),
    ("en", "Odessa", "variant", "Odesa"),
    ("en", "Zelensky", "correct", None),       # a house style, accepted
    ("en", "Zelenskyy", "correct", None),
    ("en", "Selenskyj", "variant", "Zelenskyy"),
    ("en", "Pokrovsk", "correct", None),
    ("en", "Kursk", "correct", None),
    ("en", "Dmitry", None, None),             # SpellingUkraine's given names are not flagged
    ("en", "Moscou", "variant", "Moscow"),
    ("fr", "Kiev", "correct", None),
    ("fr", "Kyiv", "correct", None),
    ("fr", "Odessa", "correct", None),
    ("fr", "Poutine", "correct", None),
    ("fr", "Putin", "variant", "Poutine"),
    ("fr", "Charkiw", "variant", "Kharkiv"),
    ("de", "Kiew", "correct", None),
    ("de", "Pokrowsk", "correct", None),
    ("de", "Selenskyj", "correct", None),
    ("de", "Charkiw", "correct", None),
    ("de", "Kyiv", "variant", "Kiew"),
    ("de", "Pokrovsk", "variant", "Pokrowsk"),
    ("de", "Horliwka", "correct", None),      # German form found in GeoNames alternates
    ("de", "Horlivka", None, None),           # hidden by its German form (QA203 suggests it)
]


@pytest.mark.parametrize("lang,form,status,suggestion", LEXICON_TABLE)
def test_builtin_lexicon_is_keyed_by_target_language(lang, form, status, suggestion):
    lexicon = load_builtin(lang)
    correct, variant = lexicon.correct(form), lexicon.variant(form)
    if status == "correct":
        assert correct is not None and variant is None
    elif status == "variant":
        assert variant is not None and variant.canonical == suggestion
    else:
        assert correct is None and variant is None


def test_regional_codes_use_the_base_language():
    assert load_builtin("de-AT") is load_builtin("de")


def test_german_local_forms_replace_english_system_names():
    lexicon = load_builtin("de")
    assert lexicon.local_forms["horlivka"] == "Horliwka"
    assert lexicon.local_forms["kharkiv"] == "Charkiw"


@pytest.mark.parametrize("word,expected", [
    ("Pokorvsk", "pokrovsk"), ("Kramatrosk", "kramatorsk"), ("Bakhmtu", "bakhmut"), ("Hambrug", "hamburg"),
])
def test_near_miss_index_finds_one_edit(word, expected):
    assert expected in load_builtin("en").near(word)


@pytest.mark.parametrize("word", ["Sybiga", "Spoljaric", "Khomutovsky", "Smirnov"])
def test_near_miss_index_is_quiet_for_unrelated_names(word):
    assert load_builtin("en").near(word) == []


def test_known_spellings_cover_other_languages_and_alternates():
    lexicon = load_builtin("en")
    assert lexicon.is_known("Pokrowsk") and lexicon.is_known("Ouspenivka") and lexicon.is_known("Lwów")
    assert not lexicon.is_known("Pokorvsk")


def test_common_words_are_marked_for_the_casing_rule():
    assert "china" in load_builtin("en").common and "essen" in load_builtin("de").common
    assert "kyiv" not in load_builtin("en").common


CSV = "term,variants,language,note\nKyiv,Kiev|Kiew,en,official\nSmith & Co,Smith and Co,,house name\n"
TSV = "Zelenskyy\tZelensky;Zelenski\ten\tpresident\n"
TBX = b"""<?xml version="1.0" encoding="UTF-8"?>
<tbx type="TBX-Basic" style="dca" xml:lang="en" xmlns="urn:iso:std:iso:30042:ed-2">
 <text><body>
  <conceptEntry id="c1">
   <langSec xml:lang="en">
    <termSec><term>Kyiv</term><termNote type="administrativeStatus">preferredTerm-admn-sts</termNote></termSec>
    <termSec><term>Kiev</term><termNote type="administrativeStatus">deprecatedTerm-admn-sts</termNote></termSec>
   </langSec>
  </conceptEntry>
 </body></text>
</tbx>"""
TBX2 = b"""<?xml version="1.0"?>
<martif type="TBX" xml:lang="en"><text><body>
 <termEntry id="t1">
  <langSet xml:lang="de">
   <tig><term>Kiew</term><termNote type="administrativeStatus">preferredTerm-admn-sts</termNote></tig>
   <tig><term>Kyjiw</term><termNote type="administrativeStatus">admittedTerm-admn-sts</termNote></tig>
   <tig><term>Kyiv</term><termNote type="administrativeStatus">deprecatedTerm-admn-sts</termNote></tig>
  </langSet>
 </termEntry>
</body></text></martif>"""


def test_csv_glossary_with_header():
    entries = load_glossary_bytes(CSV.encode(), "terms.csv")
    assert entries[0] == GlossaryEntry("Kyiv", ("Kiev", "Kiew"), "en", "official")
    assert entries[1].language is None and entries[1].variants == ("Smith and Co",)


def test_tsv_glossary_without_header():
    (entry,) = load_glossary_bytes(TSV.encode(), "terms.tsv")
    assert entry.term == "Zelenskyy" and entry.variants == ("Zelensky", "Zelenski") and entry.language == "en"


def test_tbx3_glossary_preferred_and_deprecated_terms():
    (entry,) = load_glossary_bytes(TBX, "terms.tbx")
    assert entry.term == "Kyiv" and entry.variants == ("Kiev",) and entry.language == "en"


def test_tbx2_glossary_admitted_terms_stay_correct():
    (entry,) = load_glossary_bytes(TBX2, "terms.tbx")
    assert entry.term == "Kiew" and entry.accepted == ("Kyjiw",) and entry.variants == ("Kyiv",)


def test_tbx_with_entity_expansion_is_refused():
    bomb = b"""<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;">]>
<martif><text><body><termEntry><langSet xml:lang="en"><tig><term>&b;</term></tig></langSet></termEntry></body></text></martif>"""
    with pytest.raises(InputError):
        load_glossary_bytes(bomb, "bomb.tbx")


def test_broken_tbx_and_missing_file_raise_input_errors(tmp_path):
    with pytest.raises(InputError):
        load_glossary_bytes(b"<martif><text>", "broken.tbx")
    with pytest.raises(InputError):
        load_glossary(str(tmp_path / "missing.csv"))


def test_glossary_from_path(tmp_path):
    path = tmp_path / "names.csv"
    path.write_text(CSV, encoding="utf-8")
    assert load_glossary(str(path))[0].term == "Kyiv"


def test_glossary_overrides_the_builtin_lexicon():
    names = document_names("en", [GlossaryEntry("Kiev", ("Kyiv",), "en")])
    assert names.variant("Kiev") is None and names.correct("Kiev").source == "glossary"
    assert names.variant("Kyiv").canonical == "Kiev"


def test_glossary_entries_for_other_languages_are_ignored():
    names = document_names("fr", [GlossaryEntry("Kyiv", ("Kiev",), "en")])
    assert names.variant("Kiev") is None


def test_reference_spellings_count_as_correct():
    names = document_names("en", reference_text="Officials in Kiev said the Sybiha visit went well.")
    assert names.variant("Kiev") is None
    assert names.correct("Sybiha").source == "reference"
    assert "sybiha" in [n.form.lower() for n in names.near("Sybiga")]


def test_reference_names_skip_sentence_initial_words():
    assert reference_names("Yesterday the Red Cross met Sybiha. The talks ended.") == ["Red", "Cross", "Sybiha"]
