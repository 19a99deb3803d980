"""The Streamlit page driven by Streamlit's AppTest (rules only, no language model)."""
from __future__ import annotations

import html
import re
import time

import pytest
from streamlit.testing.v1 import AppTest

from qa import Config, check
from tests.conftest import ROOT

APP = str(ROOT / "app.py")
FRENCH = ("Le gouvernement a annoncé lundi de nouvelles mesures pour les villages proches de la "
          "frontière. Les habitants doivent quitter leurs maisons avant la fin de la semaine.")
GERMAN = ("Die Regierung hat am Montag neue Maßnahmen für die Dörfer an der Grenze angekündigt. "
          "Die Bewohner müssen ihre Häuser bis zum Ende der Woche verlassen.")


@pytest.fixture
def app(monkeypatch) -> AppTest:
    """The page, rendered once, with fluency off by default (no model is loaded)."""
    monkeypatch.setenv("QA_APP_MODEL", "none")
    at = AppTest.from_file(APP, default_timeout=120)
    return at.run()


def highlights(at: AppTest) -> list[tuple[str, str]]:
    """(data-codes, flagged text) of every highlight in the rendered document."""
    markup = "".join(h.value for h in at.html if 'class="qa-doc"' in h.value)
    found = re.findall(r'<mark class="qa-m [^"]*"[^>]*data-codes="([^"]*)"[^>]*><span class="qa-t">(.*?)</span>',
                       markup)
    return [(codes, html.unescape(text)) for codes, text in found]


def highlighted_numbers(at: AppTest) -> set[int]:
    """Numbers (as in the findings table) of the findings highlighted in the document."""
    markup = "".join(h.value for h in at.html if 'class="qa-doc"' in h.value)
    return {int(n) for group in re.findall(r'<mark class="qa-m [^"]*"[^>]*data-n="([^"]*)"', markup)
            for n in group.split()}


def no_errors(at: AppTest) -> None:
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]


def ui_export_available(fmt: str) -> bool:
    from qa.ui import export_available

    return export_available(fmt)


def metric(at: AppTest, label: str) -> str:
    return next(m.value for m in at.metric if m.label == label)


def run_check(at: AppTest, text: str, **areas: str) -> AppTest:
    at.text_area(key="translation").input(text)
    for key, value in areas.items():
        at.text_area(key=key).input(value)
    at.button[1].click()  # "Check"
    return at.run()


def test_first_render_is_fast_and_clean(app):
    no_errors(app)
    assert "qa" in app.title[0].value
    assert [t.label for t in app.tabs] == ["Check a text", "Batch", "Rules"]
    began = time.perf_counter()
    AppTest.from_file(APP, default_timeout=60).run()
    assert time.perf_counter() - began < 3.0


def test_example_article_is_checked_and_every_finding_highlighted(app, example_text):
    app.button[0].click().run()  # "Load example article" checks it at once
    no_errors(app)
    assert app.text_area(key="translation").value == example_text
    expected = check(example_text, config=Config(fluency=False))
    findings = [f for f in expected.documents[0].findings if f.end > f.start]
    shown = highlights(app)
    for f in findings:
        assert any(f.code in codes.split() and text in f.text for codes, text in shown), f
    assert metric(app, "Findings") == str(len(expected.documents[0].findings))
    assert metric(app, "Quality") == f"{expected.documents[0].scores['quality']:.1f}"
    assert metric(app, "BLEU") == "—" and metric(app, "Fluency") == "—"


def test_empty_text_asks_for_input(app):
    run_check(app, "   \n  ")
    no_errors(app)
    assert any("Paste a translation" in i.value for i in app.info)
    assert not app.metric


@pytest.mark.parametrize("text", ["🙂🙂🙂", "\x00\x01 binary-ish", "a" * 20000, "<script>alert(1)</script> & co."])
def test_odd_input_never_breaks_the_page(app, text):
    run_check(app, text)
    no_errors(app)
    assert metric(app, "Quality") != "—"
    assert "<script>alert" not in "".join(h.value for h in app.html)


def test_detected_language_is_shown_and_can_be_overridden(app):
    app.text_area(key="translation").input(FRENCH).run()
    box = app.selectbox(key="target_lang")
    assert box.value == "auto"
    assert any(c.value.startswith("Detected: French (fr") and "used" in c.value for c in app.sidebar.caption)
    box.set_value("de")
    run_check(app, FRENCH)
    no_errors(app)
    assert any("German" in c.value and "words" in c.value for c in app.caption)
    assert any("French" in c.value and "overridden" in c.value for c in app.sidebar.caption)


def test_detected_language_drives_the_check(app):
    run_check(app, GERMAN)
    no_errors(app)
    assert any("German" in c.value and "words" in c.value for c in app.caption)


def test_family_toggle_removes_that_family(app, example_text):
    app.toggle(key="family-QA2").set_value(False)
    app.button[0].click().run()
    no_errors(app)
    assert not [codes for codes, _ in highlights(app) if re.search(r"\bQA2\d\d\b", codes)]
    expected = check(example_text, config=Config(fluency=False, ignore=("QA2",)))
    assert metric(app, "Findings") == str(len(expected.documents[0].findings))


def test_severity_filter_keeps_table_and_highlights_in_sync(app, example_text):
    app.button[0].click().run()
    report = check(example_text, config=Config(fluency=False)).documents[0]
    for severity in ("minor", "major", "critical"):
        pills = next(p for p in app.button_group if p.label == "Severity")
        pills.set_value([severity]).run()
        no_errors(app)
        wanted = [f for f in report.findings if f.severity.value == severity]
        tables = [d.value for d in app.dataframe if "severity" in d.value.columns and "message" in d.value.columns]
        rows = set(tables[0]["#"]) if tables else set()
        assert len(rows) == len(wanted)
        assert highlighted_numbers(app) == {n for n in rows if report.findings[n - 1].end > report.findings[n - 1].start}


def test_reference_gives_reference_metrics(app, example_text):
    pytest.importorskip("qa.metrics")
    run_check(app, example_text, reference=example_text.replace("kyiv", "Kyiv"))
    no_errors(app)
    assert float(metric(app, "BLEU")) > 50 and float(metric(app, "chrF")) > 50


def test_report_downloads_offered(app, example_text):
    app.button[0].click().run()
    labels = [b.label for b in app.get("download_button")]
    assert "JSON report" in labels
    assert all(f"{fmt.upper()} report" in labels for fmt in ("csv", "sarif") if ui_export_available(fmt))
    assert any(label.startswith("Download corrected text") for label in labels)


def test_batch_checks_several_files_and_reports_unreadable_ones(app):
    uploader = next(u for u in app.file_uploader if u.label == "Files to check")
    uploader.set_value([("fr.txt", FRENCH.encode(), "text/plain"),
                        ("de.txt", GERMAN.encode(), "text/plain"),
                        ("broken.txt", b"\xff\xfe\x00\x00\x01", "text/plain")]).run()
    next(b for b in app.button if b.label.startswith("Check 3")).click().run()
    no_errors(app)
    table = next(d.value for d in app.dataframe if "file" in d.value.columns)
    assert list(table["file"]) == ["fr.txt", "de.txt", "broken.txt"]
    assert list(table["language"])[:2] == ["fr", "de"]
    assert table["status"].iloc[2].startswith("unreadable")
    next(b for b in app.selectbox if b.label == "Open a document").set_value(2).run()
    assert any("broken.txt could not be read" in e.value for e in app.error)
    assert not app.exception


def test_rules_tab_lists_every_rule(app):
    from qa.rules import rules

    assert not [d for d in app.dataframe if "explanation" in d.value.columns]  # drawn only when opened
    app.session_state["page"] = "Rules"
    app.run()
    no_errors(app)
    table = next(d.value for d in app.dataframe if "explanation" in d.value.columns)
    assert list(table["code"]) == [r.code for r in rules()]


@pytest.mark.parametrize("name, data", [
    ("terms.csv", b"term,variants\nEuropean Union,Europe Union\n"),
    ("terms.tsv", b"term\tvariants\nEuropean Union\tEurope Union\n"),
])
def test_uploaded_glossary_is_used_by_the_check(app, name, data):
    text = "The Europe Union met on Monday. The ministers said the talks went well."
    run_check(app, text)
    assert not [t for _, t in highlights(app) if t == "Europe Union"]
    next(u for u in app.file_uploader if u.label.startswith("Glossary")).set_value((name, data, "text/plain")).run()
    run_check(app, text)
    no_errors(app)
    assert [codes for codes, t in highlights(app) if t == "Europe Union"]


def test_unavailable_model_falls_back_to_rules(app, monkeypatch):
    """A model that cannot load is reported in the sidebar and the check runs with the rules."""
    from qa import fluency

    def unavailable(config):
        raise fluency.ModelUnavailable("install the package for-testing-only")

    import streamlit as st

    monkeypatch.setattr(fluency, "load_scorer", unavailable)
    st.cache_resource.clear()  # forget loaders of earlier tests (one loader per model per server)
    try:
        app.radio(key="model").set_value("smollm2")
        app.run()
        run_check(app, FRENCH)
        assert not app.exception
        assert any("unavailable" in w.value and "for-testing-only" in w.value for w in app.warning)
        assert metric(app, "Fluency") == "—" and metric(app, "Quality") != "—"
        app.run()  # the sidebar was drawn before the check found the model missing
        assert any("unavailable" in c.value for c in app.sidebar.caption)
    finally:
        st.cache_resource.clear()


def test_batch_drill_down_into_a_bilingual_file(app):
    pytest.importorskip("qa.readers.tsv")
    table = ("id\tsource\ttarget\n"
             "1\tLes troupes russes avancent vers Pokrovsk.\tRussian troops advance towards Pokorvsk.\n"
             "2\tLe gouvernement de Kyiv a réagi.\tThe government in kyiv responded.\n").encode()
    uploader = next(u for u in app.file_uploader if u.label == "Files to check")
    uploader.set_value([("units.tsv", table, "text/tab-separated-values")]).run()
    next(b for b in app.button if b.label.startswith("Check 1")).click().run()
    no_errors(app)
    markup = "".join(h.value for h in app.html if 'class="qa-doc"' in h.value)
    assert markup.count('class="qa-unit"') == 2
    doc = app.session_state["batch"]["report"].documents[0]
    assert doc.unit_texts and any(f.text == "Pokorvsk" for f in doc.findings)
    spans = {n for n, f in enumerate(doc.findings, 1) if f.end > f.start}
    assert highlighted_numbers(app) == spans
    assert ("Pokorvsk" in [t for _, t in highlights(app)])


def test_a_failing_check_shows_a_message_not_a_traceback(app, monkeypatch):
    import qa

    def broken(*args, **kwargs):
        raise RuntimeError("simulated failure inside qa")

    monkeypatch.setattr(qa, "check", broken)
    run_check(app, FRENCH)
    assert not app.exception
    assert any("simulated failure inside qa" in e.value and "Something went wrong" in e.value for e in app.error)
    assert app.text_area(key="translation").value == FRENCH


def test_unusable_glossary_is_reported_and_ignored(app):
    next(u for u in app.file_uploader if u.label.startswith("Glossary")).set_value(
        ("terms.tbx", b"<martif><text><body>unclosed", "application/xml")).run()
    assert any("terms.tbx is not used" in e.value for e in app.sidebar.error)
    run_check(app, FRENCH)
    assert not app.exception
    assert not [c for c, _ in highlights(app) if "QA901" in c]
