"""Readers of the bilingual formats: real-looking files, and malformed ones refused with a reason."""
from __future__ import annotations

from pathlib import Path

import pytest

from qa.config import Config
from qa.errors import InputError
from qa.readers import READERS, expand_paths, read_path

DATA = Path(__file__).resolve().parent.parent / "data" / "formats"


def read(name: str, **settings) -> object:
    return read_path(str(DATA / name), Config(fluency=False, **settings))


def by_id(doc) -> dict:
    return {s.id: s for s in doc.segments}


def assert_unit_invariants(doc) -> None:
    """Every unit format: segments index the joined text exactly, lines are known, ids unique."""
    assert doc.unit_based
    ids = [s.id for s in doc.segments]
    assert len(ids) == len(set(ids))
    for seg in doc.segments:
        assert doc.text[seg.start:seg.end] == seg.text
        assert seg.kind == "unit"
        assert doc.meta["lines"][seg.id] >= 1
    assert doc.text == "\n".join(s.text for s in doc.segments)


# (file, target_lang, source_lang, {segment id: (target, source, reference, note, line)})
EXPECTED = [
    ("app_de.xlf", "de", "en", {
        "welcome": ("Willkommen auf der Seite Einstellungen.", "Welcome to the settings page.", None, None, 7),
        "save": ("Klicken Sie, um Ihre Änderungen zu speichern.", "Click  to save your changes.", None,
                 "qa-ignore: QA301", 11),
        "bold": ("Das ist wichtig.", "This is important.", None, None, 16),
        "multi": ("Zeile eins.\nZeile zwei.", "Line one.\nLine two.", None, None, 24),
    }),
    ("app_fr.xlf", "fr", "en", {
        "u1": ("Appuyez sur Démarrer pour commencer.", "Press Start to begin.", None, "qa-ignore: QA401, QA402", 8),
        "u2/1": ("Bonjour , vous avez des messages.", "Hello , you have  messages.", None, None, 14),
        "u2/2": ("À bientôt\u00a0!", "See you soon.", None, None, 19),
    }),
    ("messages_uk.po", "uk", None, {
        "Open the file": ("Відкрийте файл", "Open the file", None, "Shown on the start screen", 13),
        'Saved %d files to "%s"': ('Збережено %d файлів у "%s"', 'Saved %d files to "%s"', None,
                                   "qa-ignore: QA201", 20),
        "menu|File": ("Файл", "File", None, None, 25),
        "One item[0]": ("%d елемент", "One item", None, None, 29),
        "One item[1]": ("%d елементи", "%d items", None, None, 30),
    }),
    ("memory.tmx", "es", "en", {
        "t1": ("La reunión empieza a las .", "The meeting starts at .", None, "From the user guide.", 9),
        "t2": ("Lea primero el manual.", "Read the manual first.", None, None, 13),
    }),
    ("episode_en.srt", None, None, {
        "1": ("Where are you going?", None, None, None, 3),
        "2": ("To the station.\nThe train leaves at six.", None, None, None, 7),
        "3": ("Wait for me!", None, None, None, 12),
    }),
    ("strings_fr_en.tsv", None, None, {
        "hello": ("Hello everyone.", "Bonjour tout le monde.", "Hello, everybody.", None, 2),
        "bye": ("Goodbye, Marie.", "Au revoir, Marie.", "Goodbye, Marie.", "qa-ignore: QA201", 3),
        "quote": ('He said "no" yesterday.', 'Il a dit "non" hier.', "He said no yesterday.", None, 4),
    }),
    ("ui.csv", "de", "en", {
        "menu.open": ("Datei öffnen", "Open file", None, None, 2),
        "menu.quit": ("Beenden ohne Speichern", "Quit, without saving", None, None, 3),
    }),
    ("comet.jsonl", "en", "de", {
        "1": ("The dog barks.", "Der Hund bellt.", "The dog is barking.", None, 1),
        "rain": ("It rains since Monday.", "Es regnet seit Montag.", "It has been raining since Monday.", None, 3),
    }),
]


@pytest.mark.parametrize("name,target_lang,source_lang,units", EXPECTED, ids=[e[0] for e in EXPECTED])
def test_reader_builds_units(name, target_lang, source_lang, units):
    doc = read(name)
    assert_unit_invariants(doc)
    assert doc.target_lang == target_lang
    assert doc.source_lang == source_lang
    segments = by_id(doc)
    assert list(segments) == list(units), "units (and only translated ones) in file order"
    for seg_id, (target, source, reference, note, line) in units.items():
        seg = segments[seg_id]
        assert (seg.text, seg.source, seg.reference, seg.note) == (target, source, reference, note)
        assert doc.meta["lines"][seg_id] == line
    sources = [s.source for s in doc.segments if s.source is not None]
    assert doc.source_text == ("\n".join(sources) if sources else None)


def test_settings_languages_win_over_the_file():
    doc = read("app_de.xlf", target_lang="de-AT", source_lang="en")
    assert doc.target_lang == "de-AT"
    assert doc.meta["file_langs"] == {"source": "en-US", "target": "de-DE"}


def test_xliff_inline_tags_are_kept_out_of_the_text_but_recorded():
    doc = read("app_de.xlf")
    tags = doc.meta["tags"]
    welcome = tags["welcome"]
    assert [(t.kind, t.name, t.id) for t in welcome["target"]] == [("open", "g", "1"), ("close", "g", "1")]
    seg = by_id(doc)["welcome"]
    start, end = welcome["target"][0].offset, welcome["target"][1].offset
    assert seg.text[start:end] == "Einstellungen"
    assert [t.name for t in tags["save"]["source"]] == ["x"] and tags["save"]["target"] == []
    assert [(t.kind, t.name) for t in tags["bold"]["target"]] == [("open", "bpt")]
    assert "<" not in doc.text and "&lt;" not in doc.text


def test_xliff2_pc_ph_and_code_points():
    doc = read("app_fr.xlf")
    tags = doc.meta["tags"]
    assert [(t.kind, t.name, t.id) for t in tags["u1"]["source"]] == [("open", "pc", "1"), ("close", "pc", "1")]
    assert [t.id for t in tags["u2/1"]["source"]] == ["1", "2"]
    assert [t.id for t in tags["u2/1"]["target"]] == ["1"]
    assert by_id(doc)["u2/2"].text.endswith("\u00a0!")


def test_tmx_codes_and_target_choice():
    doc = read("memory.tmx")
    assert [t.name for t in doc.meta["tags"]["t1"]["target"]] == ["ph"]
    assert [t.name for t in doc.meta["tags"]["t2"]["source"]] == ["bpt", "ept"]
    # a target language the memory does not have: nothing to check, no crash
    assert read("memory.tmx", target_lang="fr").segments == ()


def test_srt_formatting_is_removed_and_recorded():
    doc = read("episode_en.srt")
    assert [t.name for t in doc.meta["tags"]["1"]["target"]] == ["i", "i"]
    assert by_id(doc)["3"].text == "Wait for me!"


def test_table_columns_are_configurable(tmp_path):
    path = tmp_path / "custom.tsv"
    path.write_text("Key\tEnglish\tDeutsch\tKommentar\nk1\tOpen\tÖffnen\tMenü\n", encoding="utf-8")
    config = Config(fluency=False).updated(columns={"id": "Key", "source": "English", "target": "Deutsch",
                                                   "note": "Kommentar"})
    seg = read_path(str(path), config).segments[0]
    assert (seg.id, seg.text, seg.source, seg.note) == ("k1", "Öffnen", "Open", "Menü")
    wrong = Config(fluency=False).updated(columns={"target": "Français"})
    with pytest.raises(InputError, match="missing column 'Français'"):
        read_path(str(path), wrong)


def test_table_language_columns_follow_the_settings():
    doc = read("ui.csv", target_lang="en", source_lang="de")
    assert by_id(doc)["menu.open"].text == "Open file"
    assert by_id(doc)["menu.open"].source == "Datei öffnen"


def test_table_ids_fall_back_to_line_numbers_and_repeats_stay_unique(tmp_path):
    path = tmp_path / "ids.csv"
    path.write_text('source,target,id\nOne,Eins,a\nTwo,Zwei,a\n"Three\nlines",Drei,\n\nFour,Vier,\n', encoding="utf-8")
    doc = read_path(str(path), Config(fluency=False))
    assert_unit_invariants(doc)
    assert [s.id for s in doc.segments] == ["a", "a#2", "4", "7"]
    assert doc.meta["lines"] == {"a": 2, "a#2": 3, "4": 4, "7": 7}


def test_jsonl_accepts_long_key_names_and_reference_lists(tmp_path):
    path = tmp_path / "long.jsonl"
    path.write_text('{"source": "Hallo", "target": "Hello", "reference": ["Hi", "Hello"], "src_lang": "de", '
                    '"tgt_lang": "en"}\n', encoding="utf-8")
    doc = read_path(str(path), Config(fluency=False))
    seg = doc.segments[0]
    assert (seg.text, seg.source, seg.reference, doc.source_lang, doc.target_lang) == ("Hello", "Hallo", "Hi", "de", "en")


MALFORMED = [
    ("broken.xlf", "not well-formed XML"),
    ("bomb.xlf", "refused unsafe XML"),
    ("external.tmx", "refused unsafe XML"),
    ("latin1_fr.po", "not valid UTF-8"),
    ("missing_target.tsv", "missing target column"),
    ("bad_timing.srt", "line 2: expected a timing line"),
    ("bad.jsonl", "line 2: not JSON"),
]


@pytest.mark.parametrize("name,reason", MALFORMED, ids=[m[0] for m in MALFORMED])
def test_malformed_input_is_refused_with_its_reason(name, reason):
    with pytest.raises(InputError) as caught:
        read(name)
    assert reason in caught.value.reason
    assert caught.value.path.endswith(name)
    assert "\n" not in str(caught.value)


@pytest.mark.parametrize("name,content", [
    ("not_xliff.xlf", b"<?xml version='1.0'?><html><body/></html>"),
    ("empty.xlf", b""),
    ("wrong_version.xlf", b"<xliff version='3.0'></xliff>"),
    ("binary.po", b"\x00\x01\x02msgid"),
    ("bad_escape.po", b'msgid "a"\nmsgstr "b\\q"\n'),
    ("short_row.tsv", b"id\tsource\ttarget\n1\tonly source\n"),
    ("no_mt.jsonl", b'{"src": "Hallo"}\n'),
    ("no_body.tmx", b"<tmx version='1.4'><header srclang='en'/></tmx>"),
    ("latin1.tsv", "source\ttarget\nCafé\tCafé\n".encode("latin-1")),
], ids=lambda v: v if isinstance(v, str) else "")
def test_more_malformed_files(tmp_path, name, content):
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(InputError):
        read_path(str(path), Config(fluency=False))


def test_utf8_bom_and_crlf_are_accepted(tmp_path):
    path = tmp_path / "bom.po"
    path.write_bytes(b'\xef\xbb\xbfmsgid ""\r\nmsgstr "Language: de\\n"\r\n\r\nmsgid "Open"\r\nmsgstr "\xc3\x96ffnen"\r\n')
    doc = read_path(str(path), Config(fluency=False))
    assert doc.target_lang == "de" and doc.segments[0].text == "Öffnen"


def test_every_format_is_registered_and_walked():
    for ext in (".tsv", ".csv", ".jsonl", ".xlf", ".xliff", ".po", ".tmx", ".srt"):
        assert ext in READERS
    walked = {Path(p).name for p in expand_paths([str(DATA)])}
    assert {"app_de.xlf", "messages_uk.po", "memory.tmx", "episode_en.srt", "comet.jsonl", "ui.csv"} <= walked
    assert "ABOUT" not in walked
