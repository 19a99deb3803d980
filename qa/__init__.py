"""qa: find the artefacts machine translation leaves in text, score fluency and reference metrics.

Public API::

    from qa import check
    report = check("Text to check ...", target_lang="en")
"""
from __future__ import annotations

__version__ = "0.1.0"

from typing import Any

from .config import Config
from .model import Category, Document, Finding, Segment, Severity
from .report import DocumentReport, Report, SegmentScore


def check(text: str, *, target_lang: str | None = None, source: str | None = None,
          reference: str | None = None, source_lang: str | None = None, path: str = "<text>",
          config: Config | None = None, scorer: Any = None) -> Report:
    """Check one text (with optional source and reference) and return its report.

    ``scorer`` is a loaded language-model scorer (see :func:`qa.fluency.load_scorer`);
    without one, only the rules run.
    """
    from .pipeline import run
    from .readers.text import text_document

    config = (config or Config(fluency=scorer is not None)).updated(
        target_lang=target_lang, source_lang=source_lang)
    doc = text_document(path, text, config, source_text=source, reference_text=reference)
    return run([doc], config, scorer)


__all__ = ["Category", "Config", "Document", "DocumentReport", "Finding", "Report", "Segment",
           "SegmentScore", "Severity", "check", "__version__"]
