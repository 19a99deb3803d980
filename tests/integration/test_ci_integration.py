"""The GitHub Actions workflow and the pre-commit hook, run as CI would run them.

The commands are read from ``.github/workflows/qa.yml`` and ``.pre-commit-hooks.yaml`` and
executed verbatim (``python``/``qa`` become this interpreter) in a small project whose
``qa.toml`` selects the markup rules, so the expected findings do not depend on other rules.
"""
from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

yaml = pytest.importorskip("yaml")

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "tests" / "data" / "formats"
SCHEMA = ROOT / "tests" / "data" / "sarif" / "sarif-schema-2.1.0.json"

CLEAN_PO = ('msgid ""\nmsgstr ""\n"Language: de\\n"\n\nmsgid "Open <b>the file</b>"\n'
            'msgstr "<b>Datei</b> öffnen"\n\nmsgid "Saved %d files"\nmsgstr "%d Dateien gespeichert"\n')


def workflow_commands() -> list[str]:
    workflow = yaml.safe_load((ROOT / ".github" / "workflows" / "qa.yml").read_text(encoding="utf-8"))
    steps = workflow["jobs"]["qa"]["steps"]
    return [step["run"].strip() for step in steps if "python -m qa" in step.get("run", "")]


def as_argv(command: str) -> list[str]:
    argv = shlex.split(command)
    if argv[:3] == ["python", "-m", "qa"]:
        return [sys.executable, "-m", "qa", *argv[3:]]
    assert argv[0] == "qa", command
    return [sys.executable, "-m", "qa", *argv[1:]]


def run(argv: list[str], cwd: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "CI": "true"}
    return subprocess.run(argv, cwd=cwd, env=env, capture_output=True, text=True, timeout=300)


@pytest.fixture
def project(tmp_path):
    (tmp_path / "qa.toml").write_text('select = ["QA55"]\n', encoding="utf-8")
    locales = tmp_path / "locales"
    locales.mkdir()
    (locales / "clean_de.po").write_text(CLEAN_PO, encoding="utf-8")
    return tmp_path


def test_workflow_is_well_formed():
    workflow = yaml.safe_load((ROOT / ".github" / "workflows" / "qa.yml").read_text(encoding="utf-8"))
    steps = workflow["jobs"]["qa"]["steps"]
    uses = [s.get("uses", "") for s in steps]
    assert any(u.startswith("actions/checkout") for u in uses)
    assert any(u.startswith("github/codeql-action/upload-sarif") for u in uses)
    upload = next(s for s in steps if s.get("uses", "").startswith("github/codeql-action/upload-sarif"))
    commands = workflow_commands()
    assert len(commands) == 2
    assert upload["with"]["sarif_file"] in commands[1]
    assert workflow["permissions"]["security-events"] == "write"


def test_workflow_commands_pass_on_clean_translations(project):
    check, sarif = workflow_commands()
    result = run(as_argv(check), project)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "::error" not in result.stdout
    result = run(as_argv(sarif), project)
    assert result.returncode == 0, result.stderr
    log = json.loads((project / "qa.sarif").read_text(encoding="utf-8"))
    assert log["runs"][0]["results"] == []


def test_workflow_commands_annotate_and_fail_on_broken_translations(project):
    jsonschema = pytest.importorskip("jsonschema")
    shutil.copy(DATA / "app_de.xlf", project / "locales" / "app_de.xlf")
    check, sarif = workflow_commands()
    result = run(as_argv(check), project)
    assert result.returncode == 1, result.stdout + result.stderr
    annotations = [line for line in result.stdout.splitlines() if line.startswith("::error ")]
    assert len(annotations) == 2
    assert re.match(r"::error file=locales/app_de\.xlf,line=11,col=1,", annotations[0])
    result = run(as_argv(sarif), project)
    assert result.returncode == 0  # --fail-on never: the SARIF step only reports
    log = json.loads((project / "qa.sarif").read_text(encoding="utf-8"))
    jsonschema.Draft4Validator(json.loads(SCHEMA.read_text(encoding="utf-8"))).validate(log)
    assert sorted(r["ruleId"] for r in log["runs"][0]["results"]) == ["QA550", "QA552"]


def test_workflow_command_exits_3_on_an_unreadable_file_and_still_reports_the_rest(project):
    shutil.copy(DATA / "broken.xlf", project / "locales" / "broken.xlf")
    shutil.copy(DATA / "app_de.xlf", project / "locales" / "app_de.xlf")
    result = run(as_argv(workflow_commands()[0]), project)
    assert result.returncode == 3
    assert "file=locales/broken.xlf" in result.stdout and "file=locales/app_de.xlf" in result.stdout


def hook() -> dict:
    hooks = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    return next(h for h in hooks if h["id"] == "qa")


def test_pre_commit_hook_definition():
    definition = hook()
    assert definition["language"] == "python"
    pattern = re.compile(definition["files"])
    for name in ("a.po", "b/c.xlf", "m.tmx", "s.srt", "t.tsv", "u.csv", "v.jsonl", "w.xliff"):
        assert pattern.search(name), name
    for name in ("setup.py", "README.md", "image.png"):
        assert not pattern.search(name), name


def test_pre_commit_hook_entry_runs_on_staged_files(project):
    argv = as_argv(hook()["entry"])
    assert run(argv + ["locales/clean_de.po"], project).returncode == 0
    shutil.copy(DATA / "app_de.xlf", project / "locales" / "app_de.xlf")
    result = run(argv + ["locales/clean_de.po", "locales/app_de.xlf"], project)
    assert result.returncode == 1
    assert "QA550" in result.stdout and "locales/app_de.xlf:11:1" in result.stdout
    shutil.copy(DATA / "latin1_fr.po", project / "locales" / "latin1_fr.po")
    result = run(argv + ["locales/latin1_fr.po"], project)
    assert result.returncode == 3 and "not valid UTF-8" in result.stderr and "Traceback" not in result.stderr


def test_console_script_is_declared():
    import tomllib

    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert pyproject["project"]["scripts"]["qa"] == "qa.cli:main_entry"
