"""Presentation helpers of the Streamlit page (``app.py``); no checking logic lives here.

Everything in this module turns a :class:`~qa.report.Report` into something a person looks at
(escaped HTML with the findings highlighted in place, table rows, chart data, downloads) or
turns the page's widgets into a :class:`~qa.config.Config`. It has no Streamlit import, so
it is tested like any other module; ``app.py`` only lays the results out.
"""
from __future__ import annotations

import html
import logging
import os
import tempfile
import threading
import time
from dataclasses import dataclass, field
from typing import Any, Callable, Iterable, Sequence

from .config import Config
from .errors import InputError
from .langid import LANGUAGE_NAMES
from .langid import language_name as langid_language_name
from .model import Document, Finding
from .report import DocumentReport, Report

log = logging.getLogger("qa.ui")

# Rule families by code prefix (DESIGN.md, "Rule codes").
FAMILIES: dict[str, str] = {
    "QA1": "1xx pronouns",
    "QA2": "2xx names",
    "QA3": "3xx language",
    "QA4": "4xx locale",
    "QA5": "5xx layout",
    "QA6": "6xx source",
    "QA7": "7xx fluency",
}
FAMILY_HELP: dict[str, str] = {
    "QA1": "Pronouns and agreement: gender leaks such as a country called “she”.",
    "QA2": "Names, spelling, casing and terminology: “kyiv”, misspelled place and person names.",
    "QA3": "Language identity: untranslated passages, wrong or mixed language.",
    "QA4": "Locale conventions: numbers, punctuation, quotation marks, dates.",
    "QA5": "Layout and consistency: headings, duplicates, repeated words, style drift.",
    "QA6": "Source-aware accuracy: numbers, names and passages missing from the translation.",
    "QA7": "Fluency: sentences the language model finds improbable.",
}
INTERNAL_FAMILY = "9xx internal"

SEVERITY_ORDER: tuple[str, ...] = ("critical", "major", "minor")
SEVERITY_COLOURS = {"critical": "#fecaca", "major": "#fed7aa", "minor": "#fef08a"}

MODEL_CHOICES: tuple[str, ...] = ("none", "smollm2", "gemma3")
MODEL_LABELS = {
    "none": "None (rules only)",
    "smollm2": "SmolLM2 135M (English, fast)",
    "gemma3": "Gemma 3 270M (multilingual)",
}

# Languages offered by the selectors (ISO 639-1 -> English name); detection may find others.
LANGUAGES: dict[str, str] = LANGUAGE_NAMES  # the languages offered on the page



def batch_types() -> list[str]:
    """File extensions the batch tab accepts: every format a reader is registered for."""
    from .readers import READERS

    return sorted(ext.lstrip(".") for ext in READERS)

GLOSSARY_TYPES: tuple[str, ...] = ("csv", "tsv", "tbx")

# One stylesheet for the highlighted text; colours by severity, tooltip on hover or focus (click).
CSS = """
<style>
.qa-doc{font-family:"Source Serif 4",Georgia,serif;font-size:1.02rem;line-height:1.75;
  white-space:pre-wrap;word-wrap:break-word;max-height:640px;overflow-y:auto;padding:1rem 1.2rem;
  border:1px solid rgba(49,51,63,.15);border-radius:.5rem;background:#fff;color:#1f2330}
.qa-unit{display:block;margin:0 0 .35rem 0}
.qa-uid{font:600 .72rem/1 ui-monospace,monospace;color:#6b7280;margin-right:.5rem;
  padding:.1rem .3rem;border-radius:.25rem;background:#f3f4f6}
.qa-m{position:relative;border-radius:.2rem;padding:0 .08rem;cursor:pointer;color:inherit;
  border-bottom:2px solid transparent}
.qa-m:focus{outline:2px solid #2563eb;outline-offset:1px}
.qa-critical{background:rgba(220,38,38,.22);border-bottom-color:#b91c1c}
.qa-major{background:rgba(234,88,12,.20);border-bottom-color:#c2410c}
.qa-minor{background:rgba(234,179,8,.28);border-bottom-color:#a16207}
.qa-focus{outline:3px solid #2563eb;outline-offset:1px}
.qa-n{font:700 .62rem/1 ui-sans-serif,system-ui,sans-serif;vertical-align:super;margin-left:.1rem;
  color:#374151}
.qa-caret{font-size:.75rem;color:#b91c1c}
.qa-tip{display:none;position:absolute;left:0;top:1.7em;z-index:50;min-width:16rem;max-width:26rem;
  white-space:normal;font:400 .82rem/1.4 ui-sans-serif,system-ui,sans-serif;color:#111827;
  background:#fff;border:1px solid #d1d5db;border-radius:.4rem;padding:.5rem .6rem;
  box-shadow:0 6px 18px rgba(0,0,0,.15)}
.qa-m:hover>.qa-tip,.qa-m:focus>.qa-tip{display:block}
.qa-tip-row{display:block;margin:.15rem 0}
.qa-tip-row+.qa-tip-row{border-top:1px solid #eee;padding-top:.3rem}
.qa-code{font:700 .75rem ui-monospace,monospace;margin-right:.35rem}
.qa-sev{font-size:.7rem;text-transform:uppercase;letter-spacing:.04em;color:#6b7280}
.qa-fix{display:block;color:#166534;margin-top:.15rem}
.qa-legend{font:400 .8rem ui-sans-serif,system-ui,sans-serif;color:#4b5563;margin:.2rem 0 .5rem}
.qa-legend .qa-m{margin:0 .5rem 0 .2rem;cursor:default}
.qa-diff del{background:#fee2e2;color:#991b1b}
.qa-diff ins{background:#dcfce7;color:#166534;text-decoration:none}
[data-testid="stMainBlockContainer"]{padding-top:2.5rem}
</style>
"""

ROW_HEIGHT = 35  # pixels per row of the findings table

# Our own static scripts (no user text in them). TOOLTIPS places a finding's tooltip in the
# window (position: fixed) so the scrolling text box never clips it; without scripts the CSS
# tooltip still opens under the highlight. SCROLL_TO_FOCUS scrolls the text box (not the page)
# to the first finding selected in the table.
TOOLTIPS = """<script>
if (!window.qaTooltips) {
  window.qaTooltips = true;
  var place = function (event) {
    var mark = event.target.closest ? event.target.closest('.qa-doc .qa-m') : null;
    var tip = mark ? mark.querySelector(':scope > .qa-tip') : null;
    if (!tip) return;
    var r = mark.getBoundingClientRect(), width = Math.min(416, window.innerWidth - 16);
    tip.style.position = 'fixed';
    tip.style.left = Math.max(8, Math.min(r.left, window.innerWidth - width - 8)) + 'px';
    var height = tip.offsetHeight || 120, below = r.bottom + 6;
    tip.style.top = (below + height > window.innerHeight ? Math.max(8, r.top - height - 6) : below) + 'px';
  };
  document.addEventListener('mouseover', place, true);
  document.addEventListener('focusin', place, true);
}
</script>"""
SCROLL_TO_FOCUS = """<script>
setTimeout(function () {
  var mark = document.querySelector('.qa-doc .qa-focus');
  if (!mark) return;
  var box = mark.closest('.qa-doc');
  box.scrollTop += mark.getBoundingClientRect().top - box.getBoundingClientRect().top - box.clientHeight / 3;
}, 150);
</script>"""


def family_of(code: str) -> str:
    """The rule family label of a rule code (``QA203`` -> ``2xx names, spelling & terms``)."""
    return FAMILIES.get(code[:3].upper(), INTERNAL_FAMILY)


def language_name(code: str | None) -> str:
    """English name of a language code, or the code itself when unknown."""
    return langid_language_name(code, unknown="unknown")


# --------------------------------------------------------------------------- highlighting

@dataclass(frozen=True)
class Numbered:
    """A finding with its number in the findings table (shown beside its highlight)."""

    n: int
    finding: Finding


def number_findings(findings: Sequence[Finding]) -> list[Numbered]:
    """Number findings 1.. in report order; the table and the highlights share these numbers."""
    return [Numbered(i, f) for i, f in enumerate(findings, 1)]


def _worst(items: Iterable[Numbered]) -> str:
    return max((i.finding.severity for i in items), key=lambda s: s.rank).value


def _tooltip(items: Sequence[Numbered]) -> str:
    rows = []
    for item in items:
        f = item.finding
        fix = ""
        if f.suggestion is not None:
            shown = f.suggestion if f.suggestion.strip() else "(delete)"
            fix = f'<span class="qa-fix">Suggestion: {html.escape(shown)}</span>'
        rows.append(
            f'<span class="qa-tip-row"><span class="qa-code">#{item.n} {html.escape(f.code)}</span>'
            f'<span class="qa-sev">{html.escape(f.severity.value)} · {html.escape(f.rule)}</span><br>'
            f"{html.escape(f.message)}{fix}</span>"
        )
    return f'<span class="qa-tip" role="tooltip">{"".join(rows)}</span>'


def _mark(items: Sequence[Numbered], inner: str, focus: frozenset[int], show_numbers: bool) -> str:
    codes = " ".join(sorted({i.finding.code for i in items}))
    numbers = " ".join(str(i.n) for i in items)
    classes = f"qa-m qa-{_worst(items)}" + (" qa-focus" if focus & {i.n for i in items} else "")
    label = f'<sup class="qa-n">{items[-1].n}</sup>' if show_numbers else ""
    return (f'<mark class="{classes}" tabindex="0" data-codes="{codes}" data-n="{numbers}">'
            f'<span class="qa-t">{inner}</span>{label}{_tooltip(items)}</mark>')


def highlight_html(text: str, findings: Sequence[Numbered], focus: Iterable[int] = (),
                   show_numbers: bool = True) -> str:
    """``text`` as escaped HTML with every finding highlighted in place.

    Each highlighted piece is a ``<mark class="qa-m qa-<severity>">`` whose ``data-codes`` and
    ``data-n`` name its findings (overlapping findings split the text into pieces; a piece takes
    the colour of its most severe finding). The message, code and suggestion appear on hover or
    focus (click). A zero-width finding shows as a caret at its position. ``focus`` holds the
    numbers of findings to outline (rows selected in the table). Offsets index ``text`` as given.
    """
    focus_set = frozenset(focus)
    size = len(text)
    spans = [i for i in findings if 0 <= i.finding.start < i.finding.end <= size]
    carets: dict[int, list[Numbered]] = {}
    for item in findings:
        if item.finding.start == item.finding.end and 0 <= item.finding.start <= size:
            carets.setdefault(item.finding.start, []).append(item)
    starts: dict[int, list[Numbered]] = {}
    ends: dict[int, list[Numbered]] = {}
    for item in spans:
        starts.setdefault(item.finding.start, []).append(item)
        ends.setdefault(item.finding.end, []).append(item)
    bounds = sorted({0, size, *starts, *ends, *carets})
    active: dict[int, Numbered] = {}
    out: list[str] = []
    last_n: int | None = None
    for index, pos in enumerate(bounds):
        for item in ends.get(pos, ()):
            active.pop(item.n, None)
        for item in starts.get(pos, ()):
            active[item.n] = item
        if pos in carets:
            out.append(_mark(carets[pos], '<span class="qa-caret">‸</span>', focus_set, show_numbers))
        if index + 1 == len(bounds):
            break
        piece = html.escape(text[pos:bounds[index + 1]])
        if active:
            items = sorted(active.values(), key=lambda i: i.n)
            # Number only the first piece of a finding split by an overlapping one.
            numbered = show_numbers and items[-1].n != last_n
            out.append(_mark(items, piece, focus_set, numbered))
            last_n = items[-1].n
        else:
            out.append(piece)
            last_n = None
    return "".join(out)


def document_html(doc: DocumentReport, findings: Sequence[Numbered], focus: Iterable[int] = ()) -> str:
    """The checked document as a highlighted block: the whole text, or one line per unit."""
    if doc.unit_texts:
        by_unit: dict[str, list[Numbered]] = {}
        for item in findings:
            by_unit.setdefault(item.finding.segment_id or "", []).append(item)
        focus = tuple(focus)
        lines = [
            f'<span class="qa-unit"><span class="qa-uid">{html.escape(uid)}</span>'
            f"{highlight_html(text, by_unit.get(uid, []), focus)}</span>"
            for uid, text in doc.unit_texts.items()
        ]
        body = "".join(lines)
    else:
        body = highlight_html(doc.text, findings, focus)
    return f'<div class="qa-doc" data-testid="qa-highlighted">{body}</div>'


def legend_html(counts: dict[str, int]) -> str:
    """A one-line legend of the severity colours with the count of each."""
    parts = [f'<mark class="qa-m qa-{sev}">{sev}</mark>{counts.get(sev, 0)}' for sev in SEVERITY_ORDER]
    return f'<div class="qa-legend">{" ".join(parts)} · hover or click a highlight for details</div>'


# --------------------------------------------------------------------------- tables and charts

def filter_findings(findings: Sequence[Numbered], severities: Iterable[str] | None = None,
                    families: Iterable[str] | None = None) -> list[Numbered]:
    """Findings whose severity and family are among those chosen (``None`` keeps all)."""
    sev = None if severities is None else set(severities)
    fam = None if families is None else set(families)
    return [i for i in findings
            if (sev is None or i.finding.severity.value in sev)
            and (fam is None or family_of(i.finding.code) in fam)]


def finding_rows(doc: DocumentReport, findings: Sequence[Numbered]) -> list[dict[str, Any]]:
    """One table row per finding (same numbers as the highlights)."""
    rows = []
    for item in findings:
        f = item.finding
        line, column = doc.position(f)
        rows.append({
            "#": item.n, "severity": f.severity.value,
            "code": f.code, "rule": f.rule, "family": family_of(f.code), "text": f.text,
            "suggestion": f.suggestion, "message": f.message, "line": line, "column": column,
            "confidence": round(float(f.confidence), 2), "segment": f.segment_id,
        })
    return rows


def severity_style(value: Any) -> str:
    """CSS of a severity cell in the findings table (the highlight colour of that severity)."""
    colour = SEVERITY_COLOURS.get(str(value))
    return f"background-color: {colour}; color: #1f2330" if colour else ""


def severity_counts(findings: Iterable[Numbered]) -> dict[str, int]:
    """Number of findings per severity value."""
    counts: dict[str, int] = {}
    for item in findings:
        counts[item.finding.severity.value] = counts.get(item.finding.severity.value, 0) + 1
    return counts


def segment_rows(doc: DocumentReport, width: int = 160) -> list[dict[str, Any]]:
    """Per-sentence scores for the chart: number, id, fluency, quality, perplexity, sentence text."""
    rows = []
    for n, seg in enumerate(doc.segments, 1):
        text = seg.text or doc.unit_texts.get(seg.id, "") or doc.text[seg.start:seg.end]
        text = " ".join(text.split())
        rows.append({
            "n": n, "id": seg.id, "fluency": seg.fluency, "quality": seg.quality,
            "perplexity": None if seg.perplexity is None else round(seg.perplexity, 1),
            "sentence": shorten(text, width),
        })
    return rows


def shorten(text: str, width: int) -> str:
    """``text`` cut at a word boundary to at most ``width`` characters, with an ellipsis if cut."""
    if len(text) <= width:
        return text
    cut = text[: width - 1].rsplit(" ", 1)[0] or text[: width - 1]
    return cut.rstrip(" ,;:") + "…"


def weakest(rows: Sequence[dict[str, Any]], metric: str, k: int = 3) -> list[dict[str, Any]]:
    """The ``k`` rows with the lowest ``metric`` (rows without a value are ignored)."""
    scored = [r for r in rows if r.get(metric) is not None]
    return sorted(scored, key=lambda r: (r[metric], r["n"]))[:k]


def segment_chart(rows: Sequence[dict[str, Any]], metric: str) -> dict[str, Any]:
    """A Vega-Lite bar chart of ``metric`` per sentence: weak sentences red, the mean dashed,
    the sentence's text on hover. A plain spec (no Altair): quick to build at 1,000 sentences."""
    values = [{"n": r["n"], metric: round(float(r[metric]), 1), "sentence": r["sentence"],
               **({"perplexity": r.get("perplexity")} if metric == "fluency" else {})}
              for r in rows if r.get(metric) is not None]
    title = "Fluency" if metric == "fluency" else "Quality"
    many = len(values) > 60
    tooltip = [{"field": "n", "type": "ordinal", "title": "Sentence"},
               {"field": metric, "type": "quantitative", "title": title, "format": ".1f"},
               *([{"field": "perplexity", "type": "quantitative", "title": "Perplexity"}] if metric == "fluency" else []),
               {"field": "sentence", "type": "nominal", "title": "Text"}]
    bars = {
        "mark": {"type": "bar", "cornerRadiusTopLeft": 2, "cornerRadiusTopRight": 2},
        "encoding": {
            "x": {"field": "n", "type": "ordinal", "title": "Sentence",
                  "axis": {"labels": not many, "ticks": not many, "labelAngle": 0, "labelOverlap": True}},
            "y": {"field": metric, "type": "quantitative", "title": title, "scale": {"domain": [0, 100]}},
            "color": {"field": metric, "type": "quantitative", "legend": None,
                      "scale": {"domain": [0, 50, 100], "range": ["#b91c1c", "#f59e0b", "#16a34a"]}},
            "tooltip": tooltip,
        },
    }
    mean = {
        "mark": {"type": "rule", "strokeDash": [4, 3], "color": "#374151"},
        "encoding": {"y": {"aggregate": "mean", "field": metric, "type": "quantitative"},
                     "tooltip": [{"aggregate": "mean", "field": metric, "type": "quantitative",
                                  "title": f"Mean {title.lower()}", "format": ".1f"}]},
    }
    return {"data": {"values": values}, "height": 260, "layer": [bars, mean]}


def family_chart(findings: Sequence[Numbered]) -> dict[str, Any] | None:
    """A Vega-Lite bar chart of the findings per rule family, stacked by severity (None if none)."""
    counts: dict[tuple[str, str], int] = {}
    for item in findings:
        key = (family_of(item.finding.code), item.finding.severity.value)
        counts[key] = counts.get(key, 0) + 1
    if not counts:
        return None
    values = [{"family": fam, "severity": sev, "findings": n} for (fam, sev), n in sorted(counts.items())]
    palette = {"critical": "#dc2626", "major": "#ea580c", "minor": "#eab308"}
    return {
        "data": {"values": values}, "height": {"step": 22},
        "mark": {"type": "bar", "cornerRadiusEnd": 2},
        "encoding": {
            "y": {"field": "family", "type": "nominal", "title": None, "sort": "ascending"},
            "x": {"field": "findings", "type": "quantitative", "aggregate": "sum", "title": "Findings",
                  "axis": {"tickMinStep": 1}},
            "color": {"field": "severity", "type": "nominal", "title": None,
                      "scale": {"domain": list(palette), "range": list(palette.values())},
                      "legend": {"orient": "top", "direction": "horizontal"}},
            "order": {"field": "severity", "type": "nominal"},
            "tooltip": [{"field": "family", "type": "nominal"}, {"field": "severity", "type": "nominal"},
                        {"field": "findings", "type": "quantitative"}],
        },
    }


def document_rows(report: Report) -> list[dict[str, Any]]:
    """One row per document of a batch: scores, finding counts and status."""
    rows = []
    for doc in report.documents:
        counts: dict[str, int] = {}
        for f in doc.findings:
            counts[f.severity.value] = counts.get(f.severity.value, 0) + 1
        scores = doc.scores or {}
        rows.append({
            "file": doc.path, "language": doc.target_lang, "words": doc.words,
            "quality": scores.get("quality"), "fluency": scores.get("fluency"),
            "findings": len(doc.findings), "critical": counts.get("critical", 0),
            "major": counts.get("major", 0), "minor": counts.get("minor", 0),
            "status": "unreadable: " + "; ".join(doc.errors) if doc.unreadable else ("; ".join(doc.errors) or "ok"),
        })
    return rows


# --------------------------------------------------------------------------- suggestions

@dataclass
class Applied:
    """The outcome of applying suggestions: the new text, what was applied and what was skipped."""

    text: str
    applied: list[Finding] = field(default_factory=list)
    skipped: list[tuple[Finding, str]] = field(default_factory=list)


def apply_suggestions(text: str, accepted: Iterable[Finding]) -> Applied:
    """``text`` with the suggestions of ``accepted`` findings applied.

    Offsets always index the original ``text``: replacements are chosen in order of position,
    a fix overlapping one already chosen is skipped (with the reason), as is one whose span no
    longer holds the flagged text; the text is then rebuilt with each span replaced (equivalent
    to applying them back to front, without shifting any offset).
    """
    result = Applied(text=text)
    chosen: list[Finding] = []
    last_end = -1
    for f in sorted(accepted, key=lambda f: (f.start, f.end, f.code)):
        if f.suggestion is None:
            result.skipped.append((f, "no suggestion"))
        elif not (0 <= f.start <= f.end <= len(text)) or text[f.start:f.end] != f.text:
            result.skipped.append((f, "the text at its position changed"))
        elif f.start < last_end or (chosen and f.start == f.end == chosen[-1].end == chosen[-1].start):
            result.skipped.append((f, "overlaps another accepted fix"))
        else:
            chosen.append(f)
            last_end = f.end
    pieces: list[str] = []
    cursor = 0
    for f in chosen:
        pieces.append(text[cursor:f.start])
        pieces.append(f.suggestion or "")
        cursor = f.end
    pieces.append(text[cursor:])
    result.text = "".join(pieces)
    result.applied = chosen
    return result


def diff_html(text: str, applied: Sequence[Finding], context: int = 40) -> str:
    """Each applied fix in its context: the removed text struck out, the new text marked."""
    rows = []
    for f in applied:
        before = html.escape(text[max(0, f.start - context):f.start].split("\n")[-1])
        after = html.escape(text[f.end:f.end + context].split("\n")[0])
        rows.append(f'<div class="qa-diff">…{before}<del>{html.escape(f.text)}</del>'
                    f'<ins>{html.escape(f.suggestion or "")}</ins>{after}…</div>')
    return "".join(rows)


# --------------------------------------------------------------------------- settings and input

@dataclass(frozen=True)
class Settings:
    """What the sidebar asks for, before it becomes a :class:`Config`."""

    target_lang: str | None = None
    source_lang: str | None = None
    model: str = "none"
    families_off: tuple[str, ...] = ()
    glossary: tuple[str, ...] = ()


def build_config(settings: Settings) -> Config:
    """The run's settings: languages (None = detect), families switched off, model, glossaries."""
    use_model = settings.model != "none"
    base = Config(fluency=use_model)
    return base.updated(
        target_lang=settings.target_lang, source_lang=settings.source_lang,
        ignore=tuple(settings.families_off), glossary=tuple(settings.glossary),
        model=settings.model if use_model else None,
    )


def glossary_check(name: str, data: bytes) -> tuple[int, str | None]:
    """Number of entries in an uploaded glossary and the reason it cannot be used (or None)."""
    try:
        from .lexicons import load_glossary_bytes
    except ImportError:
        return 0, None
    try:
        return len(load_glossary_bytes(data, name)), None
    except InputError as error:
        return 0, error.reason
    except Exception as error:  # noqa: BLE001 - a parser bug must not take the page down
        return 0, f"{type(error).__name__}: {error}"


def save_upload(name: str, data: bytes, directory: str | None = None) -> str:
    """Write an uploaded file to a private temporary file (keeping its extension); its path."""
    suffix = os.path.splitext(name)[1].lower()
    handle, path = tempfile.mkstemp(prefix="qa-upload-", suffix=suffix, dir=directory)
    with os.fdopen(handle, "wb") as out:
        out.write(data)
    return path


def read_upload(name: str, data: bytes, config: Config) -> Document | InputError:
    """The document of one uploaded file, or the reason it cannot be read."""
    from .readers import reader_for

    try:
        return reader_for(name)(name, data, config)
    except InputError as error:
        return error
    except Exception as error:  # noqa: BLE001 - a reader bug must not take the page down
        log.exception("reader failed on %s", name)
        return InputError(name, f"could not be read ({type(error).__name__}: {error})")


def export_report(report: Report, fmt: str) -> str | None:
    """The report rendered by the ``fmt`` reporter (json, csv, sarif), or None if not available."""
    from .reporters import REPORTERS

    reporter = REPORTERS.get(fmt)
    return None if reporter is None else reporter(report)


def export_available(fmt: str) -> bool:
    """Whether a reporter for ``fmt`` is installed."""
    from .reporters import REPORTERS

    return fmt in REPORTERS


def export_or_explain(report: Report, fmt: str) -> str:
    """The exported report, or (if the reporter fails) a one-line explanation instead of a traceback."""
    try:
        return export_report(report, fmt) or f"{fmt} export is not available in this version\n"
    except Exception as error:  # noqa: BLE001 - a download must never raise into the page
        log.exception("%s export failed", fmt)
        return f"{fmt} export failed: {type(error).__name__}: {error}\n"


EXPORT_FORMATS: dict[str, tuple[str, str]] = {
    "json": ("qa-report.json", "application/json"),
    "csv": ("qa-findings.csv", "text/csv"),
    "sarif": ("qa-report.sarif", "application/sarif+json"),
}


# --------------------------------------------------------------------------- the model

class BackgroundLoader:
    """Loads something slow (the language-model scorer, the rules' data) in a background thread,
    so the page never waits for it.

    ``state`` is ``idle``, ``loading``, ``ready`` or ``failed`` (``error`` says why);
    :meth:`wait` blocks until loading ends and returns the scorer or None.
    """

    def __init__(self, name: str, load: Callable[[str], Any] | None = None):
        self.name = name
        self._load = load or _load_scorer
        self.state = "idle"
        self.scorer: Any = None
        self.error: str | None = None
        self.seconds: float | None = None
        self._lock = threading.Lock()
        self._done = threading.Event()

    def start(self, delay: float = 0.0) -> "BackgroundLoader":
        """Start loading (once), after ``delay`` seconds (leaving the CPU to the page meanwhile); self."""
        with self._lock:
            if self.state != "idle":
                return self
            self.state = "loading"
        threading.Thread(target=self._run, args=(delay,), name=f"qa-load-{self.name}", daemon=True).start()
        return self

    def _run(self, delay: float) -> None:
        if delay > 0:
            time.sleep(delay)
        began = time.perf_counter()
        try:
            self.scorer = self._load(self.name)
            self.state = "ready"
        except Exception as error:  # noqa: BLE001 - shown on the page as a status, never raised
            log.warning("model %s unavailable: %s", self.name, error)
            self.error = str(error) or type(error).__name__
            self.state = "failed"
        finally:
            self.seconds = time.perf_counter() - began
            self._done.set()

    def wait(self, timeout: float | None = None) -> Any:
        """The scorer once loaded (starting the load if needed), or None if it failed."""
        self.start()
        self._done.wait(timeout)
        return self.scorer


WARM_UP_TEXT = "The committee met on Monday in Paris. She said the report would be published soon."


def warm_up(_name: str = "rules") -> bool:
    """Import the table library and run the rules once, so the first check is quick."""
    import pandas  # noqa: F401

    from . import check

    check(WARM_UP_TEXT, target_lang="en", config=Config(fluency=False))
    return True


def _load_scorer(name: str) -> Any:
    try:
        from . import fluency
    except ImportError as error:
        raise RuntimeError(f"the fluency module is not available ({error})") from None
    return fluency.load_scorer(Config(model=name))
