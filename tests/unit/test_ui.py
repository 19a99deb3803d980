"""The page's presentation helpers: highlighting, filtering, applying fixes, exports, settings."""
from __future__ import annotations

import html
import re
import threading

import pytest

from qa import Config
from qa.errors import InputError
from qa.model import Category, Finding, Severity
from qa.report import DocumentReport, Report, SegmentScore
from qa import ui


def finding(text: str, span: str, code: str = "QA201", severity: str = "major", suggestion: str | None = None,
            occurrence: int = 0, message: str = "Something is wrong here.") -> Finding:
    """A finding over the ``occurrence``-th ``span`` of ``text``."""
    start = -1
    for _ in range(occurrence + 1):
        start = text.index(span, start + 1)
    return Finding(code=code, rule="test-rule", category=Category.FLUENCY, severity=Severity(severity),
                   start=start, end=start + len(span), text=span, message=message, suggestion=suggestion)


def marks(markup: str) -> list[tuple[str, str, str]]:
    """(classes, data-codes, flagged text) of every highlight in ``markup``."""
    found = re.findall(r'<mark class="([^"]+)"[^>]*data-codes="([^"]*)"[^>]*><span class="qa-t">(.*?)</span>', markup)
    return [(cls, codes, html.unescape(inner)) for cls, codes, inner in found]


def visible_text(markup: str) -> str:
    """The document text as shown: highlights' flagged text kept, tooltips and numbers dropped."""
    markup = re.sub(r'<span class="qa-tip".*?</mark>', "", markup)  # the tooltip ends each mark
    markup = re.sub(r'<sup class="qa-n">\d+</sup>', "", markup)
    return html.unescape(re.sub(r"<[^>]+>", "", markup))


TEXT = "Troops near kyiv and Pokorvsk advanced; kyiv's forces held."


@pytest.mark.parametrize("spans, expected", [
    ([("kyiv", "QA203", "major", 0)], [("kyiv", "QA203", "qa-major")]),
    ([("Pokorvsk", "QA202", "critical", 0), ("kyiv", "QA203", "minor", 1)],
     [("Pokorvsk", "QA202", "qa-critical"), ("kyiv", "QA203", "qa-minor")]),
    ([], []),
])
def test_every_finding_is_highlighted_in_place(spans, expected):
    findings = [finding(TEXT, s, code=c, severity=sev, occurrence=o) for s, c, sev, o in spans]
    markup = ui.highlight_html(TEXT, ui.number_findings(findings))
    got = [(text, codes, cls.split()[1]) for cls, codes, text in marks(markup)]
    assert got == expected
    assert visible_text(markup) == TEXT


def test_highlight_escapes_text_and_messages():
    text = 'A <script>alert("x")</script> & <b>bold</b> claim.'
    f = finding(text, "<b>bold</b>", message='Markup "<i>" here & there.', suggestion="<em>")
    markup = ui.highlight_html(text, ui.number_findings([f]))
    assert "<script>" not in markup and "<b>" not in markup and "<i>" not in markup and "<em>" not in markup
    assert "&lt;script&gt;" in markup and "&lt;em&gt;" in markup
    assert visible_text(markup) == text


def test_overlapping_findings_split_and_take_the_worst_colour():
    text = "The Pokorvsk region is large."
    outer = finding(text, "Pokorvsk region", code="QA501", severity="minor")
    inner = finding(text, "Pokorvsk", code="QA202", severity="critical")
    markup = ui.highlight_html(text, ui.number_findings([outer, inner]))
    pieces = marks(markup)
    assert [p[2] for p in pieces] == ["Pokorvsk", " region"]
    assert pieces[0][0].split()[1] == "qa-critical" and set(pieces[0][1].split()) == {"QA202", "QA501"}
    assert pieces[1][0].split()[1] == "qa-minor" and pieces[1][1] == "QA501"
    assert visible_text(markup) == text


def test_tooltip_carries_message_code_and_suggestion():
    f = finding(TEXT, "kyiv", code="QA203", suggestion="Kyiv", message="Capital letter missing.")
    markup = ui.highlight_html(TEXT, ui.number_findings([f]))
    tip = re.search(r'<span class="qa-tip".*', markup).group()
    assert "QA203" in tip and "Capital letter missing." in tip and "Suggestion: Kyiv" in tip


def test_zero_width_finding_shows_a_caret_and_out_of_range_is_ignored():
    text = "One.Two."
    gap = Finding(code="QA401", rule="missing-space", category=Category.LOCALE, severity=Severity.MINOR,
                  start=4, end=4, text="", message="Missing space.", suggestion=" ")
    bad = Finding(code="QA402", rule="x", category=Category.LOCALE, severity=Severity.MINOR,
                  start=50, end=60, text="", message="Out of range.")
    markup = ui.highlight_html(text, ui.number_findings([gap, bad]))
    assert markup.index("qa-caret") > markup.index("One.") and "QA402" not in markup
    assert visible_text(markup).replace("‸", "") == text


def test_focus_outlines_only_selected_findings():
    findings = ui.number_findings([finding(TEXT, "kyiv"), finding(TEXT, "Pokorvsk", code="QA202")])
    markup = ui.highlight_html(TEXT, findings, focus=[2])
    classes = {text: cls for cls, _, text in marks(markup)}
    assert "qa-focus" in classes["Pokorvsk"] and "qa-focus" not in classes["kyiv"]


def test_newlines_and_offsets_survive_in_large_documents():
    sentence = "The troops of kyiv advanced near Pokorvsk.\r\n"
    text = sentence * 1000
    findings = [finding(text, "kyiv", occurrence=i) for i in range(0, 1000, 3)]
    markup = ui.highlight_html(text, ui.number_findings(findings))
    assert len(marks(markup)) == len(findings)
    assert visible_text(markup) == text


def test_unit_documents_render_one_line_per_unit():
    doc = DocumentReport(path="a.tsv", text="Hello kyiv\nBye", unit_texts={"1": "Hello kyiv", "2": "Bye"})
    f = Finding(code="QA203", rule="r", category=Category.FLUENCY, severity=Severity.MAJOR, start=6, end=10,
                text="kyiv", message="m", segment_id="1")
    markup = ui.document_html(doc, ui.number_findings([f]))
    assert markup.count('class="qa-unit"') == 2 and marks(markup)[0][2] == "kyiv"


@pytest.mark.parametrize("severities, families, expected", [
    (None, None, ["kyiv", "Pokorvsk", "held"]),
    (["major"], None, ["kyiv"]),
    (None, [ui.FAMILIES["QA2"]], ["kyiv", "Pokorvsk"]),
    (["minor"], [ui.FAMILIES["QA2"]], []),
    ([], None, []),
])
def test_filters_by_severity_and_family(severities, families, expected):
    findings = ui.number_findings([
        finding(TEXT, "kyiv", code="QA203", severity="major"),
        finding(TEXT, "Pokorvsk", code="QA202", severity="critical"),
        finding(TEXT, "held", code="QA501", severity="minor"),
    ])
    shown = ui.filter_findings(findings, severities, families)
    assert [i.finding.text for i in shown] == expected
    # Numbers stay those of the full list, so table rows and highlights match after filtering.
    assert all(findings[i.n - 1] is i for i in shown)


def test_table_rows_match_highlight_numbers_and_positions():
    text = "First line.\nThen kyiv."
    doc = DocumentReport(path="t.txt", text=text)
    rows = ui.finding_rows(doc, ui.number_findings([finding(text, "kyiv", suggestion="Kyiv")]))
    assert rows[0]["#"] == 1 and rows[0]["line"] == 2 and rows[0]["column"] == 6
    assert rows[0]["family"] == ui.FAMILIES["QA2"] and rows[0]["suggestion"] == "Kyiv"


@pytest.mark.parametrize("accepted, expected", [
    ([("kyiv", "Kyiv", 0)], "Troops near Kyiv and Pokorvsk advanced; kyiv's forces held."),
    ([("kyiv", "Kyiv", 1), ("kyiv", "Kyiv", 0), ("Pokorvsk", "Pokrovsk", 0)],
     "Troops near Kyiv and Pokrovsk advanced; Kyiv's forces held."),
    ([("advanced;", "advanced,", 0), ("near ", "", 0)], "Troops kyiv and Pokorvsk advanced, kyiv's forces held."),
    ([], TEXT),
])
def test_apply_suggestions_uses_original_offsets(accepted, expected):
    findings = [finding(TEXT, s, suggestion=fix, occurrence=o) for s, fix, o in accepted]
    result = ui.apply_suggestions(TEXT, findings)
    assert result.text == expected and len(result.applied) == len(findings) and not result.skipped


def test_apply_suggestions_skips_overlaps_stale_spans_and_missing_fixes():
    text = "The Pokorvsk region."
    whole = finding(text, "Pokorvsk region", suggestion="Pokrovsk area")
    inner = finding(text, "Pokorvsk", suggestion="Pokrovsk")
    stale = Finding(code="QA201", rule="r", category=Category.FLUENCY, severity=Severity.MINOR,
                    start=0, end=3, text="An", message="m", suggestion="A")
    no_fix = finding(text, "region")
    result = ui.apply_suggestions(text, [inner, whole, stale, no_fix])
    assert result.text == "The Pokrovsk region." or result.text == "The Pokrovsk area."
    assert len(result.applied) == 1
    reasons = sorted(reason for _, reason in result.skipped)
    assert reasons == ["no suggestion", "overlaps another accepted fix", "the text at its position changed"]


def test_diff_shows_removed_and_inserted_text_escaped():
    text = "Near <kyiv> today."
    f = finding(text, "<kyiv>", suggestion="<Kyiv>")
    markup = ui.diff_html(text, [f])
    assert "<del>&lt;kyiv&gt;</del><ins>&lt;Kyiv&gt;</ins>" in markup


@pytest.mark.parametrize("settings, expected", [
    (ui.Settings(), {"fluency": False, "ignore": (), "target_lang": None, "glossary": ()}),
    (ui.Settings(target_lang="de", model="gemma3", families_off=("QA1", "QA7"), glossary=("/tmp/g.csv",)),
     {"fluency": True, "model": "gemma3", "ignore": ("QA1", "QA7"), "target_lang": "de", "glossary": ("/tmp/g.csv",)}),
    (ui.Settings(model="smollm2", source_lang="fr"), {"fluency": True, "model": "smollm2", "source_lang": "fr"}),
])
def test_settings_become_a_config(settings, expected):
    config = ui.build_config(settings)
    assert {k: getattr(config, k) for k in expected} == expected


def test_read_upload_reports_unreadable_files_instead_of_raising():
    config = Config(fluency=False)
    assert isinstance(ui.read_upload("bad.txt", b"\xff\xfe\x00\x01binary", config), InputError)
    doc = ui.read_upload("good.txt", "Bonjour tout le monde.".encode(), config)
    assert doc.text == "Bonjour tout le monde."


def test_save_upload_keeps_extension_and_bytes(tmp_path):
    path = ui.save_upload("terms.TBX", b"<martif/>", directory=str(tmp_path))
    assert path.endswith(".tbx") and open(path, "rb").read() == b"<martif/>"


def test_exports_json_and_tolerates_missing_reporters():
    report = Report(documents=[DocumentReport(path="t.txt", text="x")])
    assert '"schema": "qa.report/1"' in ui.export_report(report, "json")
    assert ui.export_report(report, "no-such-format") is None


def test_segment_rows_and_weakest_sentences():
    doc = DocumentReport(path="t.txt", text="A b.  C d.  E f.", segments=[
        SegmentScore(id="1", start=0, end=4, lang="en", quality=100, fluency=80.0, text="A b."),
        SegmentScore(id="2", start=6, end=10, lang="en", quality=90, fluency=20.0, text="C d."),
        SegmentScore(id="3", start=12, end=16, lang="en", quality=100, fluency=None, text="E f."),
    ])
    rows = ui.segment_rows(doc)
    assert [r["sentence"] for r in rows] == ["A b.", "C d.", "E f."]
    assert [r["n"] for r in ui.weakest(rows, "fluency", k=2)] == [2, 1]
    spec = ui.segment_chart(rows, "fluency")
    assert [v["n"] for v in spec["data"]["values"]] == [1, 2]  # sentences without a score are left out
    assert "sentence" in [t["field"] for t in spec["layer"][0]["encoding"]["tooltip"]]


def test_document_rows_summarise_each_document():
    good = DocumentReport(path="a.txt", text="x", target_lang="en", words=1, scores={"quality": 99.0},
                          findings=[finding(TEXT, "kyiv", severity="minor")])
    bad = DocumentReport(path="b.po", errors=["not valid UTF-8"])
    rows = ui.document_rows(Report(documents=[good, bad]))
    assert rows[0]["minor"] == 1 and rows[0]["status"] == "ok" and rows[0]["quality"] == 99.0
    assert rows[1]["status"].startswith("unreadable") and rows[1]["findings"] == 0


def test_model_loader_loads_once_in_the_background_and_reports_failures():
    gate = threading.Event()
    calls = []

    def slow(name):
        calls.append(name)
        gate.wait(5)
        return "scorer"

    loader = ui.BackgroundLoader("m", load=slow).start(delay=0.05).start()
    assert loader.state == "loading"
    gate.set()
    assert loader.wait(5) == "scorer" and loader.state == "ready" and calls == ["m"]

    def broken(name):
        raise RuntimeError("install the model package")

    failed = ui.BackgroundLoader("x", load=broken)
    assert failed.wait(5) is None and failed.state == "failed" and "install" in failed.error


def test_batch_accepts_every_registered_format():
    from qa.readers import READERS

    types = ui.batch_types()
    assert "txt" in types and all(ext.lstrip(".") in types for ext in READERS)


def test_family_chart_counts_findings_per_family_and_severity():
    findings = ui.number_findings([finding(TEXT, "kyiv", code="QA201", severity="minor"),
                                   finding(TEXT, "kyiv", code="QA203", severity="minor", occurrence=1),
                                   finding(TEXT, "Pokorvsk", code="QA202", severity="major"),
                                   finding(TEXT, "held", code="QA501", severity="minor")])
    values = ui.family_chart(findings)["data"]["values"]
    assert {(v["family"], v["severity"]): v["findings"] for v in values} == {
        (ui.FAMILIES["QA2"], "minor"): 2, (ui.FAMILIES["QA2"], "major"): 1, (ui.FAMILIES["QA5"], "minor"): 1}
    assert ui.family_chart([]) is None


@pytest.mark.parametrize("name, data, entries, problem", [
    ("g.csv", b"term,variants\nEuropean Union,Europe Union\nKyiv,Kiev\n", 2, False),
    ("g.tsv", b"term\tvariants\nKyiv\tKiev\n", 1, False),
    ("g.csv", b"\xff\xfe\x00bad", 0, True),
    ("g.tbx", b"<martif><text><body>unclosed", 0, True),
])
def test_glossary_check_counts_terms_or_says_why_not(name, data, entries, problem):
    pytest.importorskip("qa.lexicons")
    count, reason = ui.glossary_check(name, data)
    assert count == entries and (reason is not None) == problem


def test_export_or_explain_never_raises(monkeypatch):
    from qa import reporters

    report = Report(documents=[DocumentReport(path="t.txt", text="x")])

    def broken(report):
        raise ValueError("reporter bug")

    monkeypatch.setitem(reporters.REPORTERS, "json", broken)
    assert ui.export_or_explain(report, "json") == "json export failed: ValueError: reporter bug\n"
    assert ui.export_available("json") and not ui.export_available("no-such-format")


@pytest.mark.parametrize("fmt, marker", [("json", '"schema"'), ("csv", "code"), ("sarif", '"version"')])
def test_exports_of_a_real_report(rules_only, fmt, marker):
    if not ui.export_available(fmt):
        pytest.skip(f"no {fmt} reporter yet")
    report = rules_only("Russian troops advanced on Pokorvsk, near kyiv.", "en")
    assert marker in ui.export_or_explain(report, fmt)
