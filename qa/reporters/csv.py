"""CSV, one row per finding, for spreadsheets and review tools (unreadable inputs get a QA902 row)."""
from __future__ import annotations

import csv
import io

from ..report import Report
from .common import display_path, span_position

COLUMNS = ("path", "line", "column", "segment_id", "code", "rule", "category", "severity", "start", "end",
           "text", "message", "suggestion", "confidence")


def render_csv(report: Report) -> str:
    """The findings as CSV with a header row (RFC 4180 quoting, ``\\r\\n`` line ends)."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(COLUMNS)
    for doc in report.documents:
        path = display_path(doc.path)
        for error in doc.errors:
            writer.writerow([path, "", "", "", "QA902", "input-error", "Internal", "major", "", "", "", error, "", ""])
        for f in doc.findings:
            line, column, _, _ = span_position(doc, f)
            writer.writerow([path, line, column, f.segment_id or "", f.code, f.rule, f.category.value,
                             f.severity.value, f.start, f.end, f.text, f.message,
                             "" if f.suggestion is None else f.suggestion, f"{f.confidence:.3f}"])
    return out.getvalue()
