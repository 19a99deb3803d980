"""What the CI reporters share: positions of a finding's start and end, and its CI level."""
from __future__ import annotations

import os
from dataclasses import replace

from ..model import Finding, Severity
from ..report import DocumentReport, Report


def span_position(doc: DocumentReport, finding: Finding) -> tuple[int, int, int, int]:
    """1-based start line/column and end line/column (end column exclusive) of a finding in its file."""
    line, column = doc.position(finding)
    end_line, end_column = doc.position(replace(finding, start=finding.end))
    if (end_line, end_column) < (line, column):
        end_line, end_column = line, column
    return line, column, end_line, end_column


def level(report: Report, finding: Finding) -> str:
    """``error`` for a finding that fails the run (at or above ``fail_on``), ``warning`` below it.

    With ``fail_on = never`` nothing fails: critical and major are warnings, minor is a note.
    """
    if report.fail_on == "never":
        return "note" if finding.severity is Severity.MINOR else "warning"
    return "error" if finding.severity.rank >= Severity(report.fail_on).rank else "warning"


def display_path(path: str) -> str:
    """The path as CI systems want it: relative to the working directory when inside it, ``/`` separators."""
    if path in ("-", ""):
        return "stdin"
    if os.path.isabs(path):
        relative = os.path.relpath(path)
        path = relative if not relative.startswith("..") else path
    return path.replace(os.sep, "/")
