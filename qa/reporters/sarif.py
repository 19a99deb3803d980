"""SARIF 2.1.0 for GitHub code scanning and other static-analysis dashboards.

One run; the driver lists every rule that ran (and any that reported) with its descriptions;
each finding is a result with a region (line/column, end line/column, character offsets and the
flagged text as snippet). Unreadable inputs are tool execution notifications. Columns count
Unicode code points (``columnKind: unicodeCodePoints``).
"""
from __future__ import annotations

import hashlib
import json
from typing import Any
from urllib.parse import quote

from .. import __version__
from ..model import Finding, Severity
from ..report import DocumentReport, Report
from ..rules import Rule, get_rule
from .common import display_path, level, span_position

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
_SECURITY_SEVERITY = {Severity.CRITICAL: "8.0", Severity.MAJOR: "5.0", Severity.MINOR: "2.0"}


def render_sarif(report: Report) -> str:
    """The report as a SARIF 2.1.0 log (JSON)."""
    rules = _rules(report)
    index = {rule.code: i for i, rule in enumerate(rules)}
    results = [_result(report, doc, f, index) for doc in report.documents for f in doc.findings]
    notifications = [{"level": "error", "message": {"text": error},
                      "locations": [{"physicalLocation": {"artifactLocation": _artifact(doc.path)}}],
                      "descriptor": {"id": "QA902"}}
                     for doc in report.documents for error in doc.errors]
    log = {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "qa", "version": __version__, "semanticVersion": __version__,
                "rules": [_descriptor(rule) for rule in rules],
            }},
            "invocations": [{"executionSuccessful": not any(d.unreadable for d in report.documents),
                             "toolExecutionNotifications": notifications}],
            "columnKind": "unicodeCodePoints",
            "originalUriBaseIds": {"%SRCROOT%": {"description": {"text": "The directory qa ran in."}}},
            "results": results,
            "properties": {"summary": report.summary()},
        }],
    }
    return json.dumps(log, ensure_ascii=False, indent=2) + "\n"


def _rules(report: Report) -> list[Rule]:
    codes = list(report.settings.get("rules", []))
    codes += sorted({f.code for f in report.findings} - set(codes))
    found = [get_rule(code) for code in codes]
    return [rule for rule in found if rule is not None]


def _descriptor(rule: Rule) -> dict[str, Any]:
    first_sentence = rule.explanation.split(". ")[0].rstrip(".") + "."
    languages = "all languages" if "*" in rule.languages else ", ".join(rule.languages)
    return {
        "id": rule.code,
        "name": rule.name,
        "shortDescription": {"text": first_sentence},
        "fullDescription": {"text": rule.explanation},
        "help": {"text": f"{rule.explanation}\n\nLanguages: {languages}. Run 'qa explain {rule.code}' for examples."},
        "defaultConfiguration": {"level": "error" if rule.severity is not Severity.MINOR else "warning"},
        "properties": {"category": rule.category.value, "severity": rule.severity.value,
                       "tags": ["translation", rule.category.value.lower()],
                       "security-severity": _SECURITY_SEVERITY[rule.severity]},
    }


def _artifact(path: str) -> dict[str, Any]:
    return {"uri": quote(display_path(path)), "uriBaseId": "%SRCROOT%"}


def _result(report: Report, doc: DocumentReport, finding: Finding, index: dict[str, int]) -> dict[str, Any]:
    line, column, end_line, end_column = span_position(doc, finding)
    message = finding.message
    if finding.suggestion is not None:
        message += f" Suggestion: {finding.suggestion!r}."
    region: dict[str, Any] = {"startLine": line, "startColumn": column, "endLine": end_line,
                              "endColumn": end_column, "charOffset": finding.start,
                              "charLength": finding.end - finding.start}
    if finding.text:
        region["snippet"] = {"text": finding.text}
    if finding.segment_id in doc.unit_texts:
        del region["charOffset"], region["charLength"]  # offsets index the unit's text, not the file
    location: dict[str, Any] = {"physicalLocation": {"artifactLocation": _artifact(doc.path), "region": region}}
    if finding.segment_id is not None:
        location["logicalLocations"] = [{"name": finding.segment_id, "kind": "element"}]
    result: dict[str, Any] = {
        "ruleId": finding.code,
        "level": level(report, finding),
        "message": {"text": message},
        "locations": [location],
        "partialFingerprints": {"qaFinding/v1": _fingerprint(doc, finding)},
        "properties": {"severity": finding.severity.value, "category": finding.category.value,
                       "confidence": round(float(finding.confidence), 3), "segmentId": finding.segment_id,
                       "start": finding.start, "end": finding.end, "suggestion": finding.suggestion},
    }
    if finding.code in index:
        result["ruleIndex"] = index[finding.code]
    if finding.suggestion is not None and finding.end > finding.start:
        result["fixes"] = [{"description": {"text": f"Replace with {finding.suggestion!r}"},
                            "artifactChanges": [{"artifactLocation": _artifact(doc.path), "replacements": [{
                                "deletedRegion": {"startLine": line, "startColumn": column,
                                                  "endLine": end_line, "endColumn": end_column},
                                "insertedContent": {"text": finding.suggestion}}]}]}]
    return result


def _fingerprint(doc: DocumentReport, finding: Finding) -> str:
    """Stable across unrelated edits: the file, the rule, the flagged text and its sentence or unit."""
    context = doc.context_of(finding)[0]
    key = "\x1f".join((display_path(doc.path), finding.code, finding.text, context))
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:32]
