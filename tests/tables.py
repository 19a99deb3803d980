"""Helpers shared by the example-table tests of the rule families."""
from __future__ import annotations

from qa import Config, check
from qa.model import Finding


def rule_findings(text: str, lang: str, code: str, source: str | None = None,
                  source_lang: str | None = None) -> list[Finding]:
    """Findings of rule ``code`` alone on ``text`` (rules only, no model)."""
    config = Config(fluency=False, select=(code,), source_lang=source_lang)
    report = check(text, target_lang=lang, source=source, config=config)
    return [f for f in report.documents[0].findings if f.code == code]


def assert_flags(found: list[Finding], code: str, text: str, span: str | None,
                 suggestion: str | None = None) -> None:
    """The rule found ``span`` in ``text`` (and offered ``suggestion`` when one is expected)."""
    assert found, f"{code} missed {text!r}"
    if span is None:
        return
    hit = [f for f in found if f.text == span]
    assert hit, [f.text for f in found]
    if suggestion is not None:
        assert suggestion in [f.suggestion for f in hit], [f.suggestion for f in hit]
