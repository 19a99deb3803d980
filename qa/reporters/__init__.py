"""Reporters render a :class:`~qa.report.Report` as text for people or machines.

Each reporter is a function ``(report) -> str``, registered here by format name.
"""
from __future__ import annotations

from typing import Callable

from ..report import Report
from .json import render_json
from .text import render_text, summary_line

Reporter = Callable[[Report], str]

REPORTERS: dict[str, Reporter] = {
    "text": render_text,
    "json": render_json,
}

__all__ = ["REPORTERS", "Reporter", "render_json", "render_text", "summary_line"]
