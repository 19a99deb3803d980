"""JUnit XML for CI test-report views (GitLab, Jenkins, Azure, GitHub test reporters).

One ``<testsuite>`` per input file; one failing ``<testcase>`` per finding (its ``<failure>``
carries the code, severity, position and suggestion); a file without findings has one passing
test case; an unreadable file has one test case with an ``<error>``.
"""
from __future__ import annotations

from xml.etree.ElementTree import Element, SubElement, indent, tostring

from ..report import DocumentReport, Report
from .common import display_path, span_position


def render_junit(report: Report) -> str:
    """The report as a JUnit XML document."""
    root = Element("testsuites", name="qa")
    totals = {"tests": 0, "failures": 0, "errors": 0}
    for doc in report.documents:
        suite = _suite(root, doc)
        for key in totals:
            totals[key] += int(suite.get(key, "0"))
    for key, value in totals.items():
        root.set(key, str(value))
    indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + tostring(root, encoding="unicode") + "\n"


def _suite(root: Element, doc: DocumentReport) -> Element:
    path = display_path(doc.path)
    suite = SubElement(root, "testsuite", name=path, tests="0", failures="0", errors="0", skipped="0", time="0")
    properties = SubElement(suite, "properties")
    for name, value in (("source_lang", doc.source_lang), ("target_lang", doc.target_lang),
                        ("words", doc.words), ("quality", doc.scores.get("quality"))):
        if value is not None:
            SubElement(properties, "property", name=name, value=str(value))
    if doc.unreadable:
        case = SubElement(suite, "testcase", classname=path, name="read input", time="0")
        SubElement(case, "error", type="QA902", message=doc.errors[0]).text = "\n".join(doc.errors)
        suite.set("tests", "1")
        suite.set("errors", "1")
        return suite
    for finding in doc.findings:
        line, column, _, _ = span_position(doc, finding)
        where = f"segment {finding.segment_id}" if doc.unit_texts and finding.segment_id else f"{line}:{column}"
        case = SubElement(suite, "testcase", classname=path, time="0",
                          name=f"{finding.code} {finding.rule} at {where}")
        details = [f"{path}:{line}:{column}: {finding.severity.value}: {finding.message}",
                   f"text: {finding.text!r}"]
        if finding.suggestion is not None:
            details.append(f"suggestion: {finding.suggestion!r}")
        failure = SubElement(case, "failure", type=f"{finding.code} {finding.severity.value}", message=finding.message)
        failure.text = "\n".join(details)
    if not doc.findings:
        SubElement(suite, "testcase", classname=path, name="no findings", time="0")
    suite.set("tests", str(max(1, len(doc.findings))))
    suite.set("failures", str(len(doc.findings)))
    return suite
