"""The rule registry itself, and every rule's own pass/fail examples."""
from __future__ import annotations

import re

import pytest

from qa import Config, check
from qa.model import Category, Severity
from qa.rules import get_rule, registry, rules, selected

CHECKED_RULES = [r for r in rules() if r.category is not Category.INTERNAL]


def test_codes_are_unique_and_well_formed():
    codes = [r.code for r in rules()]
    assert len(codes) == len(set(codes))
    assert all(re.fullmatch(r"QA\d{3}", c) for c in codes)
    names = [r.name for r in rules()]
    assert len(names) == len(set(names))
    assert all(re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", n) for n in names)


def test_every_rule_is_documented():
    for rule in rules():
        assert len(rule.explanation) > 60, rule.code
        assert rule.languages, rule.code
        assert isinstance(rule.severity, Severity)
        assert rule.code not in rule.explanation


def test_every_checking_rule_has_examples():
    for rule in CHECKED_RULES:
        assert rule.fail_examples, f"{rule.code} has no failing example"
        assert rule.pass_examples, f"{rule.code} has no passing example"


def test_registry_is_read_only():
    with pytest.raises(TypeError):
        registry()["QA999"] = None  # type: ignore[index]


def test_select_and_ignore_by_prefix():
    all_codes = {c.rule.code for c in selected()}
    if not all_codes:
        pytest.skip("no checking rules registered yet")
    family = sorted(all_codes)[0][:3]
    chosen = {c.rule.code for c in selected([family])}
    assert chosen and all(code.startswith(family) for code in chosen)
    ignored = {c.rule.code for c in selected(ignore=[family])}
    assert not any(code.startswith(family) for code in ignored)
    assert get_rule(sorted(all_codes)[0].lower()) is not None


def _run(rule, example):
    config = Config(fluency=False, select=(rule.code,), source_lang=example.source_lang)
    report = check(example.text, target_lang=example.lang, source=example.source,
                   reference=example.reference, config=config)
    return [f for f in report.documents[0].findings if f.code == rule.code]


FAIL_CASES = [(r, ex) for r in CHECKED_RULES for ex in r.fail_examples if not r.needs_model]
PASS_CASES = [(r, ex) for r in CHECKED_RULES for ex in r.pass_examples if not r.needs_model]


@pytest.mark.parametrize("rule,example", FAIL_CASES, ids=[f"{r.code}-{i}" for i, (r, _) in enumerate(FAIL_CASES)])
def test_rule_flags_its_failing_example(rule, example):
    found = _run(rule, example)
    assert found, f"{rule.code} missed: {example.text!r}"
    if example.span is not None:
        assert example.span in [f.text for f in found], [f.text for f in found]
    if example.suggestion is not None:
        assert example.suggestion in [f.suggestion for f in found], [f.suggestion for f in found]


@pytest.mark.parametrize("rule,example", PASS_CASES, ids=[f"{r.code}-{i}" for i, (r, _) in enumerate(PASS_CASES)])
def test_rule_leaves_its_passing_example_alone(rule, example):
    found = _run(rule, example)
    assert not found, f"{rule.code} false alarm on {example.text!r}: {[f.message for f in found]}"
