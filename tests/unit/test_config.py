"""Configuration: qa.toml / [tool.qa] discovery, precedence, per-path overrides, ``qa config``."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from qa.cli import build_parser, config_from_args, main
from qa.config import Config, discover_config, load_config_file

ROOT = Path(__file__).resolve().parents[2]

QA_TOML = """
select = ["QA5", "QA4"]
ignore = "QA41"
fail-on = "critical"
min-quality = 80
target-lang = "de"
glossary = "terms.tsv"
workers = 2

[severity]
qa550 = "minor"

[columns]
source = "English"
target = "Deutsch"

[[overrides]]
paths = ["legacy/**"]
ignore = ["QA5"]

[[overrides]]
paths = ["locales/fr/*"]
target-lang = "fr"
"""


def args_for(*argv: str):
    return build_parser().parse_args(["check", "x.txt", *argv])


@pytest.fixture
def project(tmp_path, monkeypatch):
    (tmp_path / "qa.toml").write_text(QA_TOML, encoding="utf-8")
    (tmp_path / "sub" / "deeper").mkdir(parents=True)
    monkeypatch.chdir(tmp_path / "sub" / "deeper")
    return tmp_path


def test_qa_toml_is_discovered_from_a_subdirectory(project):
    assert discover_config() == str(project / "qa.toml")
    config = config_from_args(args_for())
    assert config.select == ("QA5", "QA4") and config.ignore == ("QA41",)
    assert config.fail_on == "critical" and config.min_quality == 80 and config.workers == 2
    assert config.severity == {"QA550": "minor"}
    assert dict(config.columns) == {"source": "English", "target": "Deutsch"}
    assert Path(config.glossary[0]).resolve() == (project / "terms.tsv").resolve()  # relative to qa.toml


def test_flags_override_the_file(project):
    config = config_from_args(args_for("--fail-on", "minor", "--select", "QA1", "--target-lang", "uk",
                                       "--workers", "3"))
    assert (config.fail_on, config.select, config.target_lang, config.workers) == ("minor", ("QA1",), "uk", 3)
    assert config.ignore == ("QA41",)  # untouched settings stay as the file set them


def test_no_config_and_explicit_config(project, tmp_path):
    assert config_from_args(args_for("--no-config")).select == ()
    other = project / "other.toml"
    other.write_text('select = ["QA2"]\n', encoding="utf-8")
    assert config_from_args(args_for("--config", str(other))).select == ("QA2",)


def test_pyproject_tool_qa_is_discovered_only_with_the_table(tmp_path, monkeypatch):
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "x"\n', encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    found = discover_config()
    assert found is None or not found.startswith(str(tmp_path))
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "x"\n[tool.qa]\nfail-on = "minor"\n', encoding="utf-8")
    assert discover_config() == str(tmp_path / "pyproject.toml")
    assert load_config_file(str(tmp_path / "pyproject.toml"))["fail_on"] == "minor"


def test_per_path_overrides(project):
    config = config_from_args(args_for())
    assert config.for_path(str(project / "legacy" / "old" / "a.po")).ignore == ("QA5",)
    assert config.for_path(str(project / "locales" / "fr" / "app.xlf")).target_lang == "fr"
    assert config.for_path(str(project / "locales" / "de" / "app.xlf")).target_lang == "de"
    assert config.for_path(str(project / "locales" / "fr" / "app.xlf")).fail_on == "critical"


@pytest.mark.parametrize("content,message", [
    ('fail-on = "sometimes"\n', "fail_on must be one of"),
    ('colour = "red"\n', "unknown setting"),
    ('select = [\n', "not valid TOML"),
    ('[[overrides]]\nignore = ["QA1"]\n', "needs paths"),
    ('[[overrides]]\npaths = ["a/*"]\nfail-on = "minor"\n', "cannot change per path"),
    ('workers = 0\n', "workers must be"),
])
def test_bad_config_is_a_usage_error(tmp_path, monkeypatch, capsys, content, message):
    (tmp_path / "qa.toml").write_text(content, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    assert main(["config"]) == 2
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err


def test_qa_config_prints_the_effective_configuration_as_loadable_toml(project, capsys, tmp_path):
    assert main(["config", "--fail-on", "major"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("# effective qa configuration")
    assert str(project / "qa.toml") in out.splitlines()[0]
    assert 'fail-on = "major"' in out and 'ignore = ["QA41"]' in out and "[[overrides]]" in out
    saved = project / "saved" / "qa.toml"
    saved.parent.mkdir()
    saved.write_text(out, encoding="utf-8")
    reloaded = Config().updated(**{k: v for k, v in load_config_file(str(saved)).items() if k != "glossary"})
    assert reloaded.fail_on == "major" and reloaded.overrides[0]["paths"] == ("legacy/**",)
    assert dict(reloaded.columns) == {"source": "English", "target": "Deutsch"}
    assert dict(reloaded.severity) == {"QA550": "minor"}


def test_python_m_qa_config_runs(tmp_path):
    (tmp_path / "qa.toml").write_text('select = ["QA55"]\n', encoding="utf-8")
    result = subprocess.run([sys.executable, "-m", "qa", "config"], cwd=tmp_path, capture_output=True, text=True,
                            env={**os.environ, "PYTHONPATH": str(ROOT)}, timeout=120)
    assert result.returncode == 0, result.stderr
    assert 'select = ["QA55"]' in result.stdout
