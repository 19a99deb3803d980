"""Rule metadata and the one registry of checks.

A check is a small function ``(doc, ctx) -> Iterator[Finding]`` declared with its
:class:`Rule` through the :func:`check` decorator. The registry is built once, on first use,
from the modules listed in :data:`CHECK_MODULES`, and is read-only afterwards.
"""
from __future__ import annotations

import importlib
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import TYPE_CHECKING, Callable, Iterable, Iterator, Mapping

from .model import Category, Document, Finding, Severity

if TYPE_CHECKING:
    from .context import CheckContext

ALL_LANGUAGES = ("*",)

# Every module that declares checks. Adding a family means adding its module here.
CHECK_MODULES = (
    "qa.checks.pronouns",
    "qa.checks.names",
    "qa.checks.language",
    "qa.checks.locale",
    "qa.checks.layout",
    "qa.checks.source",
    "qa.checks.adequacy",
    "qa.checks.fluency",
    "qa.checks.markup",
)


@dataclass(frozen=True)
class Example:
    """A text a rule must flag (``fail``) or leave alone (``pass``) in the test table.

    ``span`` is the text the finding must cover, ``suggestion`` the fix it must offer;
    ``source`` is the source text for source-aware rules.
    """

    text: str
    lang: str = "en"
    span: str | None = None
    suggestion: str | None = None
    source: str | None = None
    source_lang: str | None = None
    reference: str | None = None


@dataclass(frozen=True)
class Rule:
    """What a rule is: its stable code, name, MQM category, severity, languages and examples."""

    code: str
    name: str
    category: Category
    severity: Severity
    languages: tuple[str, ...]
    explanation: str
    fail_examples: tuple[Example, ...] = ()
    pass_examples: tuple[Example, ...] = ()
    needs_source: bool = False
    needs_model: bool = False
    default_enabled: bool = True

    def applies_to(self, lang: str | None) -> bool:
        """Whether the rule covers target language ``lang`` (unknown languages: universal rules only)."""
        if "*" in self.languages:
            return True
        return lang is not None and lang.split("-")[0].lower() in self.languages

    def finding(
        self,
        doc: Document,
        start: int,
        end: int,
        message: str,
        suggestion: str | None = None,
        confidence: float = 1.0,
        severity: Severity | None = None,
    ) -> Finding:
        """A finding of this rule over ``doc.text[start:end]`` (offsets into the document)."""
        segment = doc.segment_at(start)
        return Finding(
            code=self.code,
            rule=self.name,
            category=self.category,
            severity=severity or self.severity,
            start=start,
            end=end,
            text=doc.text[start:end],
            message=message,
            suggestion=suggestion,
            confidence=max(0.0, min(1.0, confidence)),
            segment_id=segment.id if segment else None,
        )


CheckFunction = Callable[[Document, "CheckContext"], Iterable[Finding]]


@dataclass(frozen=True)
class Check:
    """A rule together with the function that finds its violations."""

    rule: Rule
    run: CheckFunction = field(compare=False)


def check(rule: Rule) -> Callable[[CheckFunction], CheckFunction]:
    """Declare ``function`` as the check of ``rule``; the registry collects it."""

    def mark(function: CheckFunction) -> CheckFunction:
        function.__qa_rule__ = rule  # type: ignore[attr-defined]
        return function

    return mark


def _collect() -> Mapping[str, Check]:
    checks: dict[str, Check] = {}
    for module_name in CHECK_MODULES:
        module = importlib.import_module(module_name)
        for value in vars(module).values():
            rule = getattr(value, "__qa_rule__", None)
            if rule is None or getattr(value, "__module__", None) != module_name:
                continue
            if rule.code in checks:
                raise ValueError(f"rule code {rule.code} declared twice")
            checks[rule.code] = Check(rule, value)
    for rule in INTERNAL_RULES:
        checks[rule.code] = Check(rule, _no_findings)
    return MappingProxyType(dict(sorted(checks.items())))


def _no_findings(doc: Document, ctx: "CheckContext") -> Iterator[Finding]:
    return iter(())


INTERNAL_ERROR = Rule(
    code="QA901",
    name="internal-error",
    category=Category.INTERNAL,
    severity=Severity.MINOR,
    languages=ALL_LANGUAGES,
    explanation=(
        "A check raised an exception on this document. The other checks still ran; the message "
        "names the rule that failed so it can be reported and fixed. It says nothing about the "
        "translation itself."
    ),
)
INPUT_ERROR = Rule(
    code="QA902",
    name="input-error",
    category=Category.INTERNAL,
    severity=Severity.MAJOR,
    languages=ALL_LANGUAGES,
    explanation=(
        "An input could not be read or parsed (missing file, binary or non-UTF-8 data, broken "
        "XML). The file is reported with the reason and the run exits with status 3; the other "
        "files are still checked."
    ),
)
INTERNAL_RULES = (INTERNAL_ERROR, INPUT_ERROR)

_registry: Mapping[str, Check] | None = None


def registry() -> Mapping[str, Check]:
    """All checks by rule code, sorted by code. Built once; read-only."""
    global _registry
    if _registry is None:
        _registry = _collect()
    return _registry


def rules() -> list[Rule]:
    """Every rule, sorted by code."""
    return [c.rule for c in registry().values()]


def get_rule(code: str) -> Rule | None:
    """The rule with ``code`` (case-insensitive), or None."""
    found = registry().get(code.upper())
    return found.rule if found else None


def selected(select: Iterable[str] = (), ignore: Iterable[str] = ()) -> list[Check]:
    """Checks whose codes start with a prefix in ``select`` (all when empty) and none in ``ignore``."""
    select = tuple(p.upper() for p in select if p)
    ignore = tuple(p.upper() for p in ignore if p)
    chosen = []
    for code, entry in registry().items():
        if entry.rule.category is Category.INTERNAL:
            continue
        if select and not code.startswith(select):
            continue
        if not select and not entry.rule.default_enabled:
            continue
        if ignore and code.startswith(ignore):
            continue
        chosen.append(entry)
    return chosen
