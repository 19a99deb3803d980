"""Inline ``qa-ignore`` notes and baseline files."""
from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest

from qa.cli import main
from qa.config import Config
from qa.errors import UsageError
from qa.pipeline import check_document, run
from qa.readers import read_path
from qa.suppress import apply_baseline, baseline_of, ignored_codes, load_baseline, write_baseline

DATA = Path(__file__).resolve().parent.parent / "data" / "formats"
MARKUP = Config(fluency=False, select=("QA55",))


@pytest.mark.parametrize("note,codes", [
    ("qa-ignore: QA201", ("QA201",)),
    ("Keep the brand name.\nqa-ignore: QA201, QA4", ("QA201", "QA4")),
    ("QA-IGNORE qa550; qa551", ("QA550", "QA551")),
    ("qa-ignore", ()),
    ("Please review this unit.", None),
    ("", None),
    (None, None),
])
def test_ignored_codes(note, codes):
    assert ignored_codes(note) == codes


def _doc_with_note(note: str | None):
    doc = read_path(str(DATA / "app_de.xlf"), MARKUP)
    segments = tuple(replace(s, note=note) if s.id == "save" else s for s in doc.segments)
    return replace(doc, segments=segments)


@pytest.mark.parametrize("note,suppressed", [
    ("qa-ignore: QA550", True),
    ("qa-ignore: QA55", True),
    ("qa-ignore", True),
    ("qa-ignore: QA551", False),
    ("translator: fine as is", False),
    (None, False),
])
def test_inline_note_suppresses_only_its_unit_and_codes(note, suppressed):
    report = check_document(_doc_with_note(note), MARKUP)
    save = [f for f in report.findings if f.segment_id == "save"]
    assert (not save) == suppressed
    assert any(f.segment_id == "bold" for f in report.findings), "other units keep their findings"


def test_po_comment_and_tsv_note_column_suppress(tmp_path):
    po = tmp_path / "app.po"
    po.write_text('msgid ""\nmsgstr "Language: de\\n"\n\n# qa-ignore: QA553\nmsgid "Hello {name}"\n'
                  'msgstr "Hallo {nom}"\n\nmsgid "Bye {name}"\nmsgstr "Tschüss {nom}"\n', encoding="utf-8")
    report = check_document(read_path(str(po), MARKUP), MARKUP)
    assert {f.segment_id for f in report.findings} == {"Bye {name}"}
    tsv = tmp_path / "app.tsv"
    tsv.write_text("id\tsource\ttarget\tnote\na\tHi {name}\tHallo {nom}\tqa-ignore: QA553\n"
                   "b\tHi {name}\tHallo {nom}\t\n", encoding="utf-8")
    report = check_document(read_path(str(tsv), MARKUP), MARKUP)
    assert {f.segment_id for f in report.findings} == {"b"}


def _report(paths):
    return run([read_path(str(p), MARKUP) for p in paths], MARKUP)


def test_baseline_hides_known_findings_and_keeps_new_ones(tmp_path):
    old = tmp_path / "old.xlf"
    old.write_bytes((DATA / "app_de.xlf").read_bytes())
    baseline = tmp_path / "baseline.json"
    assert write_baseline(_report([old]), str(baseline)) == 2
    content = json.loads(baseline.read_text(encoding="utf-8"))
    assert content["schema"] == "qa.baseline/1" and len(content["findings"]) == 2

    # unchanged file: everything is known
    report = _report([old])
    assert apply_baseline(report, load_baseline(str(baseline))) == 2 and not report.findings and not report.failed

    # lines moved and a new broken unit added: only the new one is reported
    text = old.read_text(encoding="utf-8").replace("<body>", "<body>\n\n\n<trans-unit id=\"new\"><source>"
                                                    "Press <x id=\"9\"/> now.</source><target>Jetzt drücken."
                                                    "</target></trans-unit>")
    old.write_text(text, encoding="utf-8")
    report = _report([old])
    assert len(report.findings) == 3
    apply_baseline(report, load_baseline(str(baseline)))
    assert [f.segment_id for f in report.findings] == ["new"] and report.failed
    assert report.settings["baseline"]["known_findings"] == 2


def test_baseline_counts_repeated_findings(tmp_path):
    path = tmp_path / "twice.tsv"
    path.write_text("source\ttarget\nHi {name}\tHallo {nom}\n", encoding="utf-8")
    known = load_baseline_from(_report([path]), tmp_path)
    path.write_text("source\ttarget\nHi {name}\tHallo {nom}\nHi {name}\tHallo {nom}\n", encoding="utf-8")
    report = _report([path])
    apply_baseline(report, known)
    assert len(report.findings) == 2  # the same finding twice: one was known, the copy is new


def load_baseline_from(report, tmp_path):
    target = tmp_path / "b.json"
    write_baseline(report, str(target))
    return load_baseline(str(target))


@pytest.mark.parametrize("content,message", [
    ("not json", "is not JSON"),
    ('{"schema": "something/1"}', "is not a qa.baseline/1 file"),
])
def test_bad_baseline_is_a_usage_error(tmp_path, content, message):
    path = tmp_path / "b.json"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(UsageError, match=message):
        load_baseline(str(path))
    with pytest.raises(UsageError, match="cannot read baseline"):
        load_baseline(str(tmp_path / "missing.json"))


def test_cli_write_baseline_then_baseline(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    xlf = tmp_path / "app.xlf"
    xlf.write_bytes((DATA / "app_de.xlf").read_bytes())
    flags = ["--no-fluency", "--select", "QA55", "--no-config"]
    assert main(["check", str(xlf), *flags]) == 1
    assert main(["check", str(xlf), *flags, "--write-baseline", "qa-baseline.json"]) == 0
    assert main(["check", str(xlf), *flags, "--baseline", "qa-baseline.json"]) == 0
    capsys.readouterr()
    assert main(["check", str(xlf), *flags, "--baseline", "missing.json"]) == 2
    assert "cannot read baseline" in capsys.readouterr().err
    assert baseline_of(_report([xlf]))["findings"][0]["path"] == "app.xlf"
