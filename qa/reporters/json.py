"""The ``qa.report/1`` JSON report."""
from __future__ import annotations

import json

from ..report import Report


def render_json(report: Report) -> str:
    """The report as indented JSON (schema ``qa.report/1``)."""
    return json.dumps(report.to_dict(), ensure_ascii=False, indent=2) + "\n"
