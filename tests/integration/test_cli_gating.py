"""CI gating: ``--fail-on SEVERITY`` and ``--min-quality N`` decide the exit status, and the summary says why."""
from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Iterator

import pytest

import qa.pipeline
from qa.cli import main
from qa.model import Category, Document, Finding, Severity
from qa.rules import ALL_LANGUAGES, Check, Rule, rules

# Two stand-in rules with fixed severities, so the gate arithmetic is exact whatever rules exist.
MISSPELT = Rule("QA990", "test-misspelt-city", Category.TERMINOLOGY, Severity.MAJOR, ALL_LANGUAGES,
                "Test rule: flags the old spelling of a city name.")
REPEATED = Rule("QA991", "test-repeated-word", Category.FLUENCY, Severity.MINOR, ALL_LANGUAGES,
                "Test rule: flags a word written twice in a row.")


def _misspelt(doc: Document, ctx) -> Iterator[Finding]:
    for m in re.finditer(r"\bKiev\b", doc.text):
        yield MISSPELT.finding(doc, m.start(), m.end(), "The city is spelt Kyiv.", suggestion="Kyiv")


def _repeated(doc: Document, ctx) -> Iterator[Finding]:
    for m in re.finditer(r"\b(\w+) \1\b", doc.text):
        yield REPEATED.finding(doc, m.start(), m.end(), "The word is repeated.", suggestion=m.group(1))


BAD = ("Officials in Kiev said on Monday that the the evacuation of the border villages would continue "
       "for at least another week, while buses carried families to shelters in the regional capital.\n")
CLEAN = ("Officials in Kyiv said on Monday that the evacuation of the border villages would continue "
         "for at least another week, while buses carried families to shelters in the regional capital.\n")


@pytest.fixture
def stand_in_rules(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    monkeypatch.setattr(qa.pipeline, "selected", lambda select=(), ignore=(): [Check(MISSPELT, _misspelt),
                                                                                Check(REPEATED, _repeated)])
    monkeypatch.chdir(tmp_path)  # no qa.toml discovered from the repository
    (tmp_path / "bad.txt").write_text(BAD, encoding="utf-8")
    (tmp_path / "clean.txt").write_text(CLEAN, encoding="utf-8")
    return tmp_path


def _check(capsys: pytest.CaptureFixture, *args: str) -> tuple[int, str, str]:
    status = main(["check", *args, "--no-fluency", "--target-lang", "en"])
    out, err = capsys.readouterr()
    return status, out, err


@pytest.mark.parametrize("files, flags, status", [
    (["bad.txt"], [], 1),                                   # default --fail-on major: the major finding fails
    (["bad.txt"], ["--fail-on", "major"], 1),
    (["bad.txt"], ["--fail-on", "minor"], 1),
    (["bad.txt"], ["--fail-on", "critical"], 0),
    (["bad.txt"], ["--fail-on", "never"], 0),
    (["bad.txt"], ["--fail-on", "never", "--min-quality", "99"], 1),  # 6 points over 31 words
    (["bad.txt"], ["--fail-on", "never", "--min-quality", "75"], 0),
    (["bad.txt"], ["--fail-on", "critical", "--min-quality", "75"], 0),
    (["clean.txt"], ["--fail-on", "minor", "--min-quality", "100"], 0),
    (["clean.txt", "bad.txt"], ["--fail-on", "critical", "--min-quality", "90"], 1),
    (["clean.txt", "bad.txt"], ["--fail-on", "critical", "--min-quality", "70"], 0),
])
def test_exit_status(stand_in_rules: Path, capsys: pytest.CaptureFixture, files: list[str], flags: list[str],
                     status: int) -> None:
    code, out, _ = _check(capsys, *files, *flags)
    assert code == status, out
    summary = out.strip().splitlines()[-1]
    assert summary.startswith("qa: FAILED" if status else "qa: passed")


def test_quality_is_mqm_points_per_word(stand_in_rules: Path, capsys: pytest.CaptureFixture) -> None:
    code, out, err = _check(capsys, "bad.txt", "--format", "json", "--fail-on", "never")
    document = json.loads(out)["documents"][0]
    words = document["words"]
    assert words == 31
    assert document["scores"]["mqm_penalty"] == 6.0
    assert document["scores"]["quality"] == round(100 - 100 * 6 / words, 2)
    assert json.loads(out)["summary"]["failed"] is False and code == 0
    assert err.strip().startswith("qa: passed")  # the summary line goes to stderr beside a JSON report


def test_summary_line_says_which_gate_failed(stand_in_rules: Path, capsys: pytest.CaptureFixture) -> None:
    _, out, _ = _check(capsys, "clean.txt", "bad.txt", "--min-quality", "90")
    summary = out.strip().splitlines()[-1]
    assert summary.startswith("qa: FAILED: 2 document(s), 2 finding(s) (1 major, 1 minor)")
    assert "1 at or above --fail-on major" in summary
    assert "quality below --min-quality 90: bad.txt 80.65" in summary
    assert "clean.txt" not in summary


def test_summary_line_of_a_passing_run_shows_the_margin(stand_in_rules: Path, capsys: pytest.CaptureFixture) -> None:
    _, out, _ = _check(capsys, "clean.txt", "bad.txt", "--fail-on", "critical", "--min-quality", "70")
    summary = out.strip().splitlines()[-1]
    assert summary == ("qa: passed: 2 document(s), 2 finding(s) (1 major, 1 minor); none at or above "
                       "--fail-on critical; lowest quality 80.65 (--min-quality 70)")


def test_unreadable_input_exits_3_and_is_counted(stand_in_rules: Path, capsys: pytest.CaptureFixture) -> None:
    code, out, err = _check(capsys, "clean.txt", "missing.txt", "--min-quality", "50")
    assert code == 3
    assert "1 unreadable input(s)" in out.strip().splitlines()[-1]
    assert "missing.txt" in err


def _real_examples() -> list:
    """Failing examples of real rules that run on text alone (no source, reference or model)."""
    cases = []
    for rule in rules():
        if rule.needs_source or rule.needs_model or rule.category is Category.INTERNAL:
            continue
        example = next((e for e in rule.fail_examples if not e.source and not e.reference), None)
        if example is not None:
            cases.append(pytest.param(rule, example, id=rule.code))
    return cases[:: max(1, len(cases) // 6)][:6]


@pytest.mark.parametrize("rule, example", _real_examples() or [pytest.param(None, None, marks=pytest.mark.skip)])
def test_real_rule_findings_gate_by_their_severity(rule: Rule, example, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                   capsys: pytest.CaptureFixture) -> None:
    monkeypatch.chdir(tmp_path)
    path = tmp_path / "example.txt"
    path.write_text(example.text, encoding="utf-8")
    base = ["check", str(path), "--select", rule.code, "--no-fluency", "--target-lang", example.lang, "--format", "json"]
    code = main([*base, "--fail-on", "never"])
    report = json.loads(capsys.readouterr().out)
    found = report["documents"][0]["findings"]
    assert found, f"{rule.code} did not flag its own failing example"
    assert code == 0
    worst = max(Severity(f["severity"]).rank for f in found)
    for fail_on in ("minor", "major", "critical"):
        assert main([*base, "--fail-on", fail_on]) == (1 if worst >= Severity(fail_on).rank else 0)
        capsys.readouterr()
    quality = report["documents"][0]["scores"]["quality"]
    assert quality < 100
    assert main([*base, "--fail-on", "never", "--min-quality", f"{quality + 0.01}"]) == 1
    capsys.readouterr()
    assert main([*base, "--fail-on", "never", "--min-quality", f"{quality}"]) == 0
    capsys.readouterr()
