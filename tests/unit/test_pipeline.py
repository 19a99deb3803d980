"""The pipeline: running checks, internal errors, severity overrides, unit offsets."""
from __future__ import annotations

from qa import Config
from qa.context import CheckContext
from qa.model import Category, Document, Segment, Severity
from qa.pipeline import _apply_severity_overrides, check_document, run, run_checks
from qa.errors import InputError
from qa.readers.text import text_document
from qa.rules import ALL_LANGUAGES, Check, Example, Rule

WORD_RULE = Rule(code="QA999", name="test-word", category=Category.STYLE, severity=Severity.MINOR,
                 languages=ALL_LANGUAGES, explanation="Flags the word 'bad' (a test rule).",
                 fail_examples=(Example("bad"),), pass_examples=(Example("good"),))
EN_ONLY = Rule(code="QA998", name="test-en", category=Category.STYLE, severity=Severity.MINOR,
               languages=("en",), explanation="English only test rule that flags every document.")


def find_bad(doc, ctx):
    start = doc.text.find("bad")
    while start >= 0:
        yield WORD_RULE.finding(doc, start, start + 3, "The word is bad.", suggestion="good")
        start = doc.text.find("bad", start + 1)


def explode(doc, ctx):
    raise RuntimeError("boom")
    yield  # pragma: no cover


def doc_of(text: str, lang: str = "en") -> Document:
    return text_document("t.txt", text, Config(target_lang=lang))


def test_findings_carry_rule_metadata_and_exact_text():
    doc = doc_of("A bad day. Another bad one.")
    found = run_checks(doc, [Check(WORD_RULE, find_bad)], CheckContext(Config()))
    assert [(f.start, f.text, f.segment_id) for f in found] == [(2, "bad", "1"), (19, "bad", "2")]
    assert all(f.code == "QA999" and f.rule == "test-word" and f.suggestion == "good" for f in found)


def test_a_raising_check_becomes_an_internal_error_and_the_rest_still_run():
    doc = doc_of("A bad day.")
    found = run_checks(doc, [Check(EN_ONLY, explode), Check(WORD_RULE, find_bad)], CheckContext(Config()))
    codes = [f.code for f in found]
    assert codes == ["QA901", "QA999"]
    assert "QA998" in found[0].message and "RuntimeError" in found[0].message


def test_rules_only_run_for_their_languages():
    doc = doc_of("Ein schlechter Tag.", lang="de")
    assert run_checks(doc, [Check(EN_ONLY, explode)], CheckContext(Config())) == []


def test_severity_overrides_by_prefix():
    doc = doc_of("A bad day.")
    found = run_checks(doc, [Check(WORD_RULE, find_bad)], CheckContext(Config()))
    changed = _apply_severity_overrides(found, Config(severity={"QA9": "critical"}))
    assert changed[0].severity is Severity.CRITICAL


def test_unit_based_documents_report_offsets_into_the_unit():
    units = ["Hello there.", "Nothing bad here."]
    text = "\n".join(units)
    segs = (Segment("u1", 0, 12, units[0], kind="unit"), Segment("u2", 13, 30, units[1], kind="unit"))
    doc = Document(path="f.tsv", text=text, segments=segs, target_lang="en", unit_based=True)
    report = check_document(doc, Config(fluency=False, select=("QA0",)))
    assert report.findings == []  # nothing selected
    from qa.pipeline import _to_unit_offsets
    from qa.report import DocumentReport

    found = list(find_bad(doc, None))
    moved = _to_unit_offsets(doc, DocumentReport(path="f.tsv", text=text, findings=found)).findings
    assert (moved[0].segment_id, moved[0].start, moved[0].end, moved[0].text) == ("u2", 8, 11, "bad")
    assert units[1][moved[0].start:moved[0].end] == "bad"


def test_run_reports_unreadable_inputs_and_checks_the_rest():
    report = run([InputError("missing.txt", "no such file"), doc_of("Fine text.")], Config(fluency=False))
    assert [d.path for d in report.documents] == ["missing.txt", "t.txt"]
    assert report.documents[0].unreadable and report.documents[0].errors == ["no such file"]
    assert not report.documents[1].errors
    assert report.has_input_errors


def test_language_is_detected_when_not_given():
    doc = text_document("t.txt", "Die Regierung hat am Montag neue Maßnahmen beschlossen, um die Wirtschaft zu stärken.", Config())
    report = check_document(doc, Config(fluency=False))
    assert report.target_lang == "de"
