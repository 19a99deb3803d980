"""Run the selected checks over documents and gather one :class:`Report`.

``check_document`` is a pure function of a document, the settings and (optionally) a
language-model scorer, so batches can run in other processes or on a cluster.
"""
from __future__ import annotations

import traceback
from dataclasses import replace
from typing import Any, Iterable

from . import scoring, suppress
from .config import Config
from .context import CheckContext
from .errors import InputError
from .langid import detect_language
from .model import Document, Finding, Severity
from .report import DocumentReport, Report
from .rules import INTERNAL_ERROR, Check, selected
from .text import word_count


def resolve_languages(doc: Document, config: Config) -> Document:
    """Fill in target (and source) language: settings first, then the file, then detection."""
    target = config.target_lang or doc.target_lang
    if not target:
        target, _ = detect_language(doc.text)
    source = config.source_lang or doc.source_lang
    if not source and doc.source_text:
        source, _ = detect_language(doc.source_text)
    return doc.with_langs(source, target)


def run_checks(doc: Document, checks: Iterable[Check], ctx: CheckContext) -> list[Finding]:
    """Findings of every check that covers the document's language; a failing check yields QA901."""
    findings: list[Finding] = []
    for entry in checks:
        rule = entry.rule
        if not rule.applies_to(doc.target_lang):
            continue
        if rule.needs_source and not (doc.source_text or any(s.source for s in doc.segments)):
            continue
        if rule.needs_model and ctx.scorer is None:
            continue
        try:
            findings.extend(entry.run(doc, ctx))
        except Exception as error:  # noqa: BLE001 - one broken check must not stop a batch
            findings.append(_internal_error(doc, rule.code, rule.name, error))
    return findings


def _internal_error(doc: Document, code: str, name: str, error: Exception) -> Finding:
    where = traceback.extract_tb(error.__traceback__)[-1] if error.__traceback__ else None
    location = f" at {where.filename.rsplit('/', 1)[-1]}:{where.lineno}" if where else ""
    return INTERNAL_ERROR.finding(
        doc, 0, 0,
        f"Check {code} ({name}) failed with {type(error).__name__}: {error}{location}; its findings are missing.",
        confidence=1.0,
    )


def _apply_severity_overrides(findings: list[Finding], config: Config) -> list[Finding]:
    if not config.severity:
        return findings
    overrides = {code.upper(): Severity.parse(sev) for code, sev in config.severity.items()}
    result = []
    for f in findings:
        new = next((sev for prefix, sev in overrides.items() if f.code.startswith(prefix)), None)
        result.append(replace(f, severity=new) if new else f)
    return result


def _dedupe(findings: list[Finding]) -> list[Finding]:
    """Drop exact repeats and order by position, then code."""
    seen: set[tuple] = set()
    unique = []
    for f in sorted(findings, key=lambda f: (f.start, f.end, f.code)):
        key = (f.code, f.start, f.end)
        if key not in seen:
            seen.add(key)
            unique.append(f)
    return unique


def check_document(doc: Document, config: Config, scorer: Any = None) -> DocumentReport:
    """Check one document: language, fluency, rules, metrics and scores."""
    config = config.for_path(doc.path)
    doc = resolve_languages(doc, config)
    ctx = CheckContext(config=config, scorer=scorer)
    errors: list[str] = []
    if scorer is not None:
        errors.extend(_score_with_model(doc, ctx))
    findings = run_checks(doc, selected(config.select, config.ignore), ctx)
    findings = suppress.apply_inline(doc, _dedupe(_apply_severity_overrides(findings, config)))
    metrics = _reference_metrics(doc, errors)
    statistics = metrics.pop("statistics", None) if metrics else None  # kept out of the printed scores
    scores, segment_scores = scoring.score_document(doc, findings, ctx, metrics, config)
    report = DocumentReport(
        path=doc.path, text=doc.text, source_lang=doc.source_lang, target_lang=doc.target_lang,
        words=word_count(doc.text), scores=scores, segments=segment_scores,
        findings=findings, errors=errors, metric_statistics=statistics,
    )
    return _to_unit_offsets(doc, report) if doc.unit_based else report


def _score_with_model(doc: Document, ctx: CheckContext) -> list[str]:
    from . import fluency

    try:
        ctx.fluency = fluency.score_segments(doc, ctx.scorer)
    except Exception as error:  # noqa: BLE001 - the rules still run without fluency
        return [f"fluency scoring failed: {type(error).__name__}: {error}"]
    if ctx.config.adequacy and (doc.source_text or any(s.source for s in doc.segments)):
        try:
            from . import adequacy

            ctx.adequacy = adequacy.score_segments(doc, ctx.scorer)
        except Exception as error:  # noqa: BLE001
            return [f"adequacy scoring failed: {type(error).__name__}: {error}"]
    return []


def _reference_metrics(doc: Document, errors: list[str]) -> dict[str, Any] | None:
    if not (doc.reference_text or any(s.reference for s in doc.segments)):
        return None
    from . import metrics

    try:
        return metrics.document_metrics(doc)
    except Exception as error:  # noqa: BLE001
        errors.append(f"reference metrics failed: {type(error).__name__}: {error}")
        return None


def _to_unit_offsets(doc: Document, report: DocumentReport) -> DocumentReport:
    """Re-express offsets relative to each unit's text, as the report contract asks for unit formats."""
    by_id = {s.id: s for s in doc.segments}
    moved = []
    for f in report.findings:
        seg = by_id.get(f.segment_id or "")
        if seg is None:
            moved.append(f)
            continue
        start = max(0, f.start - seg.start)
        end = max(start, min(f.end, seg.end) - seg.start)
        moved.append(replace(f, start=start, end=end, text=seg.text[start:end]))
    report.findings = moved
    report.unit_texts = {s.id: s.text for s in doc.segments}
    report.unit_lines = dict(doc.meta.get("lines", {}))
    return report


def error_report(path: str, reason: str) -> DocumentReport:
    """The report of an input that could not be read."""
    return DocumentReport(path=path, errors=[reason])


def run(documents: Iterable[Document | InputError], config: Config, scorer: Any = None,
        progress: Any = None) -> Report:
    """Check every document (or record why it could not be read) and build the report."""
    reports = []
    for item in documents:
        if isinstance(item, InputError):
            reports.append(error_report(item.path, item.reason))
        else:
            reports.append(check_document(item, config, scorer))
        if progress is not None:
            progress(reports[-1])
    return Report(documents=reports, settings=settings_of(config, scorer),
                  fail_on=config.fail_on, min_quality=config.min_quality)


def settings_of(config: Config, scorer: Any = None) -> dict[str, Any]:
    """The settings block of the report."""
    checks = selected(config.select, config.ignore)
    return {
        "fluency_model": getattr(scorer, "name", None) if scorer is not None else None,
        "rules": [c.rule.code for c in checks],
        "fail_on": config.fail_on,
        "min_quality": config.min_quality,
        "source_lang": config.source_lang,
        "target_lang": config.target_lang,
        "glossary": list(config.glossary),
    }

