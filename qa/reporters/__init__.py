"""Reporters render a :class:`~qa.report.Report` as text for people or machines.

Each reporter is a function ``(report) -> str``, registered here by format name.
"""
from __future__ import annotations

from typing import Callable

from ..report import Report
from .csv import render_csv
from .github import render_github
from .json import render_json
from .junit import render_junit
from .sarif import render_sarif
from .text import render_text, summary_line

Reporter = Callable[[Report], str]

REPORTERS: dict[str, Reporter] = {
    "text": render_text,
    "json": render_json,
    "sarif": render_sarif,
    "junit": render_junit,
    "github": render_github,
    "csv": render_csv,
}

__all__ = ["REPORTERS", "Reporter", "render_csv", "render_github", "render_json", "render_junit", "render_sarif",
           "render_text", "summary_line"]
