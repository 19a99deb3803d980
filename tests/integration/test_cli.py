"""The command line: exit statuses, JSON report contract, bad inputs, stdin."""
from __future__ import annotations

import json
import subprocess
import sys

import pytest

from tests.conftest import EXAMPLE, ROOT


def qa(*args: str, stdin: bytes | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "qa", *args], cwd=ROOT, input=stdin,
                          capture_output=True, timeout=600)


@pytest.fixture(scope="module")
def example_json():
    result = qa("check", str(EXAMPLE), "--no-fluency", "--format", "json", "--fail-on", "never")
    assert result.returncode == 0, result.stderr.decode()
    return json.loads(result.stdout)


def test_json_report_follows_the_contract(example_json):
    report = example_json
    assert report["schema"] == "qa.report/1"
    assert report["tool"]["name"] == "qa" and report["tool"]["version"]
    assert {"fluency_model", "rules"} <= set(report["settings"])
    doc = report["documents"][0]
    assert doc["target_lang"] == "en" and doc["words"] > 500
    assert {"quality", "mqm_penalty", "fluency", "bleu", "chrf", "ter", "signatures"} <= set(doc["scores"])
    assert doc["segments"] and {"id", "start", "end", "lang", "quality", "fluency", "perplexity", "adequacy"} <= set(doc["segments"][0])
    assert {"documents", "findings", "by_severity", "failed"} <= set(report["summary"])


def test_every_finding_indexes_the_text_as_read(example_json):
    with open(EXAMPLE, encoding="utf-8-sig", newline="") as handle:
        text = handle.read()
    findings = example_json["documents"][0]["findings"]
    for f in findings:
        assert text[f["start"]:f["end"]] == f["text"]
        assert {"code", "rule", "category", "severity", "line", "column", "message", "suggestion",
                "confidence", "segment_id"} <= set(f)
        line_start = sum(len(l) for l in text.splitlines(keepends=True)[: f["line"] - 1])
        assert line_start + f["column"] - 1 == f["start"]


def test_offsets_survive_bom_and_crlf(tmp_path):
    path = tmp_path / "crlf.txt"
    path.write_bytes("\ufeffFirst line.\r\nThe the second line.\r\n".encode("utf-8"))
    result = qa("check", str(path), "--no-fluency", "--format", "json", "--fail-on", "never")
    assert result.returncode == 0
    text = path.read_bytes().decode("utf-8-sig")
    for f in json.loads(result.stdout)["documents"][0]["findings"]:
        assert text[f["start"]:f["end"]] == f["text"]


def test_garbage_inputs_give_one_line_errors_exit_3_and_good_files_are_still_checked(tmp_path):
    binary = tmp_path / "image.txt"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00")
    latin1 = tmp_path / "latin1.txt"
    latin1.write_bytes("Caf\xe9 cr\xe8me".encode("latin-1"))
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    result = qa("check", str(binary), str(latin1), str(empty), str(tmp_path / "missing.txt"), str(EXAMPLE),
                "--no-fluency", "--format", "json", "--fail-on", "never")
    assert result.returncode == 3
    stderr = result.stderr.decode()
    assert "Traceback" not in stderr
    error_lines = [l for l in stderr.splitlines() if l.startswith("qa: error:")]
    assert len(error_lines) == 3
    assert any("image.txt" in l and "binary" in l for l in error_lines)
    assert any("latin1.txt" in l and "UTF-8" in l for l in error_lines)
    assert any("missing.txt" in l and "no such file" in l for l in error_lines)
    docs = {d["path"].rsplit("/", 1)[-1]: d for d in json.loads(result.stdout)["documents"]}
    assert docs["empty.txt"]["errors"] == [] and docs["empty.txt"]["words"] == 0
    assert docs[EXAMPLE.name]["segments"]


def test_stdin_is_read_with_dash():
    result = qa("check", "-", "--no-fluency", "--format", "json", "--target-lang", "en", "--fail-on", "never",
                stdin="It was was a fine day.\n".encode())
    assert result.returncode == 0
    assert json.loads(result.stdout)["documents"][0]["path"] == "-"


def test_fail_on_sets_exit_status_1(tmp_path):
    path = tmp_path / "t.txt"
    path.write_text("Der Bericht wurde gestern veröffentlicht und sorgte für Aufsehen in Berlin. "
                    "The report was published yesterday.\n", encoding="utf-8")
    never = qa("check", str(path), "--no-fluency", "--fail-on", "never", "--target-lang", "en")
    assert never.returncode == 0
    minor = qa("check", str(path), "--no-fluency", "--fail-on", "minor", "--target-lang", "en")
    report = qa("check", str(path), "--no-fluency", "--format", "json", "--fail-on", "never", "--target-lang", "en")
    has_findings = bool(json.loads(report.stdout)["summary"]["findings"])
    assert minor.returncode == (1 if has_findings else 0)


def test_usage_errors_exit_2_without_traceback():
    for args in (("check",), ("check", "x.txt", "--fail-on", "sometimes"), ("explain", "QA000"), ("nonsense",)):
        result = qa(*args)
        assert result.returncode == 2, args
        assert b"Traceback" not in result.stderr


def test_rules_and_explain():
    listing = qa("rules")
    assert listing.returncode == 0
    codes = [line.split()[0] for line in listing.stdout.decode().splitlines() if line.strip()]
    assert codes == sorted(codes) and "QA901" in codes
    first = codes[0]
    explained = qa("explain", first.lower())
    assert explained.returncode == 0 and first in explained.stdout.decode()


def test_text_format_marks_the_span(tmp_path):
    path = tmp_path / "t.txt"
    path.write_text("Prices rose sharply. It was was unexpected.\n", encoding="utf-8")
    result = qa("check", str(path), "--no-fluency", "--fail-on", "never", "--target-lang", "en")
    out = result.stdout.decode()
    assert "qa: passed" in out or "qa: FAILED" in out
    for block_line in out.splitlines():
        if block_line.startswith(str(path) + ":1:"):
            assert "QA" in block_line


def test_unreadable_glossary_is_a_usage_error(tmp_path):
    broken = tmp_path / "terms.tbx"
    broken.write_text("<martif><text>", encoding="utf-8")
    for glossary in (str(tmp_path / "missing.csv"), str(broken)):
        result = qa("check", str(EXAMPLE), "--no-fluency", "--glossary", glossary)
        assert result.returncode == 2
        assert b"glossary" in result.stderr and b"Traceback" not in result.stderr
