"""CI reporters: golden files for SARIF, JUnit, GitHub annotations and CSV; SARIF schema validity.

The report is built from the test files with the markup rules only (QA55x), so it does not change
when other rule families change. Regenerate the golden files after an intended change with
``QA_UPDATE_GOLDEN=1 pytest tests/unit/test_reporters.py`` and review the diff.
"""
from __future__ import annotations

import csv
import io
import json
import os
import re
import xml.etree.ElementTree as ET
from dataclasses import replace
from pathlib import Path

import pytest

from qa import __version__, check
from qa.config import Config
from qa.pipeline import check_document, error_report, settings_of
from qa.readers import read_path
from qa.report import Report
from qa.reporters import REPORTERS

TESTS = Path(__file__).resolve().parent.parent
DATA = TESTS / "data" / "formats"
GOLDEN = TESTS / "golden"
SCHEMA = TESTS / "data" / "sarif" / "sarif-schema-2.1.0.json"
CONFIG = Config(fluency=False, select=("QA55",))


def build_report(fail_on: str = "major") -> Report:
    documents = []
    for name in ("app_de.xlf", "app_fr.xlf", "memory.tmx"):
        doc = read_path(str(DATA / name), CONFIG)
        documents.append(check_document(replace(doc, path=f"locales/{name}"), CONFIG))
    text = check("Speichern Sie <b>Ihre</b> Änderungen.\nBonjour {nom} !", target_lang="de",
                 source="Save your changes.\nHello {name}!", source_lang="en", path="docs/guide de.txt",
                 config=CONFIG)
    documents.extend(text.documents)
    documents.append(error_report("locales/broken.xlf", "not well-formed XML: mismatched tag: line 4, column 2"))
    return Report(documents=documents, settings=settings_of(CONFIG), fail_on=fail_on)


def render(fmt: str, report: Report | None = None) -> str:
    return REPORTERS[fmt](report or build_report()).replace(__version__, "VERSION")


GOLDEN_FILES = {"sarif": "report.sarif", "junit": "report.junit.xml", "github": "report.github.txt",
                "csv": "report.csv"}


@pytest.mark.parametrize("fmt", sorted(GOLDEN_FILES))
def test_reporter_matches_its_golden_file(fmt):
    path = GOLDEN / GOLDEN_FILES[fmt]
    output = render(fmt)
    if os.environ.get("QA_UPDATE_GOLDEN") == "1":
        with open(path, "w", encoding="utf-8", newline="") as handle:
            handle.write(output)
    with open(path, encoding="utf-8", newline="") as handle:
        assert output == handle.read()


def test_the_report_under_test_has_findings_of_every_kind():
    report = build_report()
    codes = {f.code for f in report.findings}
    assert {"QA550", "QA551", "QA552", "QA553"} <= codes
    assert any(d.unreadable for d in report.documents)


def test_sarif_is_valid_against_the_2_1_0_schema():
    jsonschema = pytest.importorskip("jsonschema")
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    log = json.loads(render("sarif"))
    jsonschema.Draft4Validator(schema).validate(log)
    # and the validator does catch a broken log
    broken = json.loads(render("sarif"))
    broken["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["region"]["startLine"] = 0
    assert list(jsonschema.Draft4Validator(schema).iter_errors(broken))


def test_sarif_lists_rules_with_descriptions_and_regions():
    report = build_report()
    log = json.loads(REPORTERS["sarif"](report))
    run = log["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    assert [r["id"] for r in rules] == ["QA550", "QA551", "QA552", "QA553"]
    assert all(r["fullDescription"]["text"] and r["shortDescription"]["text"] for r in rules)
    results = run["results"]
    assert len(results) == len(report.findings)
    for result in results:
        assert rules[result["ruleIndex"]]["id"] == result["ruleId"]
        region = result["locations"][0]["physicalLocation"]["region"]
        assert region["startLine"] >= 1 and region["startColumn"] >= 1
        assert (region["endLine"], region["endColumn"]) >= (region["startLine"], region["startColumn"])
    text_result = next(r for r in results if r["ruleId"] == "QA551")
    location = text_result["locations"][0]["physicalLocation"]
    assert location["artifactLocation"]["uri"] == "docs/guide%20de.txt"
    assert location["region"]["snippet"]["text"] == "<b>"
    assert (location["region"]["startLine"], location["region"]["startColumn"]) == (1, 15)
    notes = run["invocations"][0]["toolExecutionNotifications"]
    assert notes[0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "locales/broken.xlf"
    assert run["invocations"][0]["executionSuccessful"] is False


def test_sarif_levels_follow_fail_on():
    lenient = json.loads(REPORTERS["sarif"](build_report(fail_on="critical")))
    assert {r["level"] for r in lenient["runs"][0]["results"]} == {"warning"}
    strict = json.loads(REPORTERS["sarif"](build_report(fail_on="major")))
    assert {r["level"] for r in strict["runs"][0]["results"]} == {"error"}


def test_junit_has_a_suite_per_file_and_a_failing_case_per_finding():
    report = build_report()
    root = ET.fromstring(REPORTERS["junit"](report))
    suites = root.findall("testsuite")
    assert [s.get("name") for s in suites] == [d.path for d in report.documents]
    for suite, doc in zip(suites, report.documents):
        cases = suite.findall("testcase")
        if doc.unreadable:
            assert cases[0].find("error") is not None and suite.get("errors") == "1"
        else:
            failures = [c for c in cases if c.find("failure") is not None]
            assert len(failures) == len(doc.findings) == int(suite.get("failures"))
    assert int(root.get("failures")) == len(report.findings)


def test_github_annotations_are_escaped_workflow_commands():
    lines = render("github").splitlines()
    commands = [line for line in lines if line.startswith("::")]
    assert len(commands) == len(build_report().findings) + 1
    pattern = re.compile(r"^::(error|warning|notice) file=[^,:]+(,line=\d+,col=\d+,(endColumn|endLine)=\d+)?,title=[^:]+::.+$")
    for line in commands:
        assert pattern.match(line), line
    assert any("file=locales/app_de.xlf,line=11,col=1" in line for line in commands)
    assert not any("\n" in c for c in commands)


def test_csv_rows_round_trip():
    report = build_report()
    rows = list(csv.DictReader(io.StringIO(REPORTERS["csv"](report))))
    assert len(rows) == len(report.findings) + 1
    finding_rows = [r for r in rows if r["code"] != "QA902"]
    for row, finding in zip(finding_rows, report.findings):
        assert (row["code"], row["text"], int(row["start"]), int(row["end"])) == \
               (finding.code, finding.text, finding.start, finding.end)
