"""Suppressing findings: inline, for one segment, and with a baseline file, for a whole project.

Inline: a unit's note (an XLIFF ``<note>``, a PO translator or extracted comment, the note
column of a TSV/CSV, a JSONL ``note``) containing ``qa-ignore: QA201, QA3`` silences findings
of those code prefixes in that unit; a bare ``qa-ignore`` silences all of them.

Baseline: ``--write-baseline FILE`` records the findings of a run; a later run with
``--baseline FILE`` drops the findings the file knows, so only new ones are reported and can
fail CI. A finding is known by its file, code, flagged text and the sentence or unit holding it
(not by line number), so edits elsewhere in a file do not make old findings look new.
"""
from __future__ import annotations

import hashlib
import json
import re
from collections import Counter
from typing import Any, Iterable

from .errors import UsageError
from .model import Document, Finding
from .report import DocumentReport, Report

BASELINE_SCHEMA = "qa.baseline/1"
_IGNORE_RE = re.compile(r"qa-ignore\b(?:\s*:?\s*((?:QA\d{1,3}[\s,;]*)+))?", re.IGNORECASE)


def ignored_codes(note: str | None) -> tuple[str, ...] | None:
    """Code prefixes a note suppresses: None for none, ``()`` for every code."""
    if not note:
        return None
    prefixes: list[str] = []
    found = False
    for match in _IGNORE_RE.finditer(note):
        found = True
        if not match.group(1):
            return ()
        prefixes.extend(code.upper() for code in re.findall(r"QA\d{1,3}", match.group(1), re.IGNORECASE))
    return tuple(prefixes) if found else None


def apply_inline(doc: Document, findings: Iterable[Finding]) -> list[Finding]:
    """The findings that no ``qa-ignore`` note of their segment suppresses."""
    findings = list(findings)
    rules = {s.id: ignored_codes(s.note) for s in doc.segments if s.note}
    rules = {k: v for k, v in rules.items() if v is not None}
    if not rules:
        return findings
    kept = []
    for finding in findings:
        prefixes = rules.get(finding.segment_id or "")
        if prefixes is None or (prefixes and not finding.code.startswith(prefixes)):
            kept.append(finding)
    return kept


def fingerprint(doc: DocumentReport, finding: Finding) -> str:
    """What identifies a finding across runs: its code, flagged text and the sentence or unit holding it."""
    context = doc.context_of(finding)[0]
    key = "\x1f".join((finding.code, finding.text, context.strip()))
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:24]


def _path_key(path: str) -> str:
    from .reporters.common import display_path

    return display_path(path)


def baseline_of(report: Report) -> dict[str, Any]:
    """A baseline file's content recording every finding of ``report``."""
    entries = []
    for doc in report.documents:
        for finding in doc.findings:
            entries.append({"path": _path_key(doc.path), "code": finding.code,
                            "fingerprint": fingerprint(doc, finding), "text": finding.text,
                            "segment_id": finding.segment_id, "message": finding.message})
    entries.sort(key=lambda e: (e["path"], e["code"], e["fingerprint"]))
    from . import __version__

    return {"schema": BASELINE_SCHEMA, "tool": {"name": "qa", "version": __version__}, "findings": entries}


def write_baseline(report: Report, path: str) -> int:
    """Write the baseline of ``report`` to ``path``; the number of findings recorded."""
    content = baseline_of(report)
    with open(path, "w", encoding="utf-8") as handle:
        json.dump(content, handle, ensure_ascii=False, indent=1)
        handle.write("\n")
    return len(content["findings"])


def load_baseline(path: str) -> Counter:
    """The known findings of a baseline file, counted by (path, code, fingerprint)."""
    try:
        with open(path, encoding="utf-8") as handle:
            content = json.load(handle)
    except OSError as error:
        raise UsageError(f"cannot read baseline {path}: {error.strerror or error}") from None
    except json.JSONDecodeError as error:
        raise UsageError(f"baseline {path} is not JSON: {error.msg} at line {error.lineno}") from None
    if not isinstance(content, dict) or content.get("schema") != BASELINE_SCHEMA:
        raise UsageError(f"baseline {path} is not a {BASELINE_SCHEMA} file (write one with --write-baseline)")
    return Counter((e["path"], e["code"], e["fingerprint"]) for e in content.get("findings", []))


def apply_baseline(report: Report, known: Counter, source: str = "") -> int:
    """Drop the findings ``known`` lists from ``report`` (in place); the number dropped."""
    remaining = Counter(known)
    dropped = 0
    for doc in report.documents:
        kept = []
        path = _path_key(doc.path)
        for finding in doc.findings:
            key = (path, finding.code, fingerprint(doc, finding))
            if remaining[key] > 0:
                remaining[key] -= 1
                dropped += 1
            else:
                kept.append(finding)
        doc.findings = kept
    report.settings["baseline"] = {"file": source, "known_findings": dropped}
    return dropped
