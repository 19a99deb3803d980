"""GitHub Actions workflow commands: one ``::error``/``::warning``/``::notice`` annotation per finding.

A finding that fails the run (at or above ``--fail-on``) is an error, one below it a warning
(with ``--fail-on never``: minor findings are notices). GitHub shows them on the lines of the
pull request. Unreadable inputs are errors on their file.
"""
from __future__ import annotations

from ..report import Report
from .common import display_path, level, span_position

_COMMAND = {"error": "error", "warning": "warning", "note": "notice"}


def render_github(report: Report) -> str:
    """The report as GitHub workflow-command annotations (the CLI prints the summary line on stderr)."""
    lines = []
    for doc in report.documents:
        path = display_path(doc.path)
        for error in doc.errors:
            lines.append(f"::error file={_property(path)},title=QA902 input-error::{_data(error)}")
        for finding in doc.findings:
            line, column, end_line, end_column = span_position(doc, finding)
            props = [f"file={_property(path)}", f"line={line}", f"col={column}"]
            if end_line == line:
                props.append(f"endColumn={end_column}")
            else:
                props.append(f"endLine={end_line}")
            props.append(f"title={_property(f'{finding.code} {finding.rule} ({finding.severity.value})')}")
            message = finding.message
            if finding.suggestion is not None:
                message += f" Suggestion: {finding.suggestion!r}."
            if finding.segment_id is not None and doc.unit_texts:
                message += f" [segment {finding.segment_id}]"
            lines.append(f"::{_COMMAND[level(report, finding)]} {','.join(props)}::{_data(message)}")
    return "".join(line + "\n" for line in lines)


def _data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _property(text: str) -> str:
    return _data(text).replace(":", "%3A").replace(",", "%2C")
