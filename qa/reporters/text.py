"""A report for a terminal: one block per finding with the sentence and the span marked."""
from __future__ import annotations

from ..model import Finding, Severity
from ..report import DocumentReport, Report

_WIDTH = 100


def render_text(report: Report) -> str:
    """Findings as ``file:line:col: CODE severity message``, the sentence with ``^^^`` under the span."""
    lines: list[str] = []
    for doc in report.documents:
        for error in doc.errors:
            lines.append(f"{doc.path}: error: {error}")
        for finding in doc.findings:
            lines.extend(_finding_block(doc, finding))
        if not doc.errors:
            lines.append(_document_line(doc))
    lines.append(summary_line(report))
    return "\n".join(lines) + "\n"


def _finding_block(doc: DocumentReport, finding: Finding) -> list[str]:
    line, column = doc.position(finding)
    head = f"{doc.path}:{line}:{column}: {finding.code} {finding.severity.value} [{finding.rule}] {finding.message}"
    block = [head]
    if finding.suggestion is not None:
        block.append(f"    suggestion: {finding.suggestion!r}")
    context, start, end = doc.context_of(finding)
    block.extend(_marked(context, start, end))
    return block


def _marked(context: str, start: int, end: int) -> list[str]:
    """The context cut to the terminal width around the span, and a caret line under the span."""
    flat = context.replace("\r", " ").replace("\n", " ").replace("\t", " ")
    left = max(0, min(start - 30, len(flat) - _WIDTH))
    window = flat[left:left + _WIDTH]
    prefix = "…" if left > 0 else ""
    suffix = "…" if left + _WIDTH < len(flat) else ""
    caret_start = start - left + len(prefix)
    caret_len = max(1, min(end, left + _WIDTH) - start)
    return [f"    | {prefix}{window}{suffix}", f"    | {' ' * caret_start}{'^' * caret_len}"]


def _document_line(doc: DocumentReport) -> str:
    scores = doc.scores
    parts = [f"quality {scores['quality']:.1f}" if scores.get("quality") is not None else None,
             f"fluency {scores['fluency']:.1f}" if scores.get("fluency") is not None else None,
             f"BLEU {scores['bleu']:.1f}" if scores.get("bleu") is not None else None,
             f"chrF {scores['chrf']:.1f}" if scores.get("chrf") is not None else None,
             f"TER {scores['ter']:.1f}" if scores.get("ter") is not None else None]
    shown = ", ".join(p for p in parts if p)
    langs = f"{doc.source_lang or '?'}->{doc.target_lang or '?'}"
    return f"{doc.path}: {langs}, {doc.words} words, {len(doc.findings)} findings; {shown}"


def summary_line(report: Report) -> str:
    """One line a person can read in a CI log: the verdict, what was found, and the gates' results.

    ``qa: FAILED: 2 document(s), 5 finding(s) (1 major, 4 minor); 1 at or above --fail-on major;
    quality below --min-quality 90: a.txt 84.2``
    """
    s = report.summary()
    worst_first = sorted(s["by_severity"].items(), key=lambda item: -Severity(item[0]).rank)
    severities = ", ".join(f"{n} {sev}" for sev, n in worst_first) or "none"
    verdict = "FAILED" if s["failed"] else "passed"
    unreadable = sum(1 for d in report.documents if d.unreadable)
    errors = f", {unreadable} unreadable input(s)" if unreadable else ""
    head = f"qa: {verdict}: {s['documents']} document(s), {s['findings']} finding(s) ({severities}){errors}"
    return "; ".join([head, *_gate_results(report)])


def _gate_results(report: Report) -> list[str]:
    """What each CI gate saw: findings at or above --fail-on, documents below --min-quality."""
    results = []
    if report.fail_on != "never":
        threshold = Severity(report.fail_on).rank
        over = sum(1 for f in report.findings if f.severity.rank >= threshold)
        results.append(f"{over or 'none'} at or above --fail-on {report.fail_on}")
    if report.min_quality is not None:
        low = report.below_quality()
        if low:
            shown = ", ".join(f"{d.path} {d.scores['quality']:g}" for d in low[:3])
            more = f" and {len(low) - 3} more" if len(low) > 3 else ""
            results.append(f"quality below --min-quality {report.min_quality:g}: {shown}{more}")
        else:
            scored = [d.scores["quality"] for d in report.documents if d.scores.get("quality") is not None]
            if scored:
                results.append(f"lowest quality {min(scored):g} (--min-quality {report.min_quality:g})")
    return results
