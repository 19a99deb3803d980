"""The Streamlit page of qa: paste a translation, see every finding in place, fix it, export it.

Start it with ``streamlit run app.py``. The page only calls ``qa``: the checks, scores and
reports come from the library; ``qa.ui`` turns them into HTML, tables, charts and downloads.
The language model loads once per server in a background thread, so the first render never
waits for it.
"""
from __future__ import annotations

import logging
import os
import time
import uuid
from functools import partial
from pathlib import Path
from typing import Any

import streamlit as st

import qa
from qa import ui
from qa.langid import detect_language
from qa.pipeline import run as run_documents
from qa.report import DocumentReport, Report
from qa.rules import rules as all_rules
from qa.text import segment_text

log = logging.getLogger("qa.app")
EXAMPLE = Path(__file__).resolve().parent / "examples" / "kursk_evacuation_en.txt"
DEFAULT_MODEL = os.environ.get("QA_APP_MODEL", "gemma3")
PASTED_NAME = "pasted-text.txt"
START_DELAY = 1.5  # seconds between the first render and loading the model and the rules' data
STYLED_ROWS = 300  # findings tables up to this size get severity colours


# --------------------------------------------------------------------------- model and caches

@st.cache_resource(show_spinner=False)
def model_loader(name: str) -> ui.BackgroundLoader:
    """One loader per model per server; ``main`` starts it once the page is drawn."""
    return ui.BackgroundLoader(name)


@st.cache_resource(show_spinner=False)
def warm_up() -> ui.BackgroundLoader:
    """Once per server: import the table library and run the rules once (started after the page is drawn)."""
    return ui.BackgroundLoader("rules", load=ui.warm_up)


def frame(rows: Any) -> Any:
    """A pandas DataFrame of ``rows`` (pandas is imported on first use, not at start-up)."""
    import pandas as pd

    return pd.DataFrame(rows)


@st.cache_data(show_spinner=False, max_entries=64)
def detected(text: str) -> tuple[str | None, float]:
    """Detected language of ``text`` (cached per text)."""
    return detect_language(text)


@st.cache_data(show_spinner=False)
def example_text() -> str:
    """The example article shipped with the repository."""
    return EXAMPLE.read_text(encoding="utf-8-sig")


# --------------------------------------------------------------------------- sidebar

def language_picker(label: str, key: str, text: str) -> str | None:
    """A language selector defaulting to automatic detection; what was detected is shown below it."""
    options = ["auto", *sorted(ui.LANGUAGES, key=ui.language_name)]
    choice = st.selectbox(label, options, key=key,
                          format_func=lambda c: "Auto-detect" if c == "auto" else f"{ui.language_name(c)} ({c})")
    lang, prob = detected(text) if text.strip() else (None, 0.0)
    if lang:
        note = "used" if choice == "auto" else "overridden"
        st.caption(f"Detected: {ui.language_name(lang)} ({lang}, {prob:.0%}) · {note}")
    return None if choice == "auto" else choice


def model_status(name: str) -> None:
    """One line saying whether the model is loading, ready or unavailable."""
    loader = model_loader(name)
    if loader.state in ("idle", "loading"):
        st.caption(f"Loading {name} in the background… the rules work meanwhile.")
    elif loader.state == "ready":
        st.caption(f"Model ready: {getattr(loader.scorer, 'name', name)} (loaded in {loader.seconds:.1f} s).")
    elif loader.state == "failed":
        st.caption(f"{name} unavailable: {loader.error}. Checks run without fluency.")


def glossary_paths() -> tuple[str, ...]:
    """Paths of the uploaded glossaries (each upload written once to a temporary file)."""
    uploads = st.file_uploader("Glossary (CSV, TSV or TBX)", type=list(ui.GLOSSARY_TYPES),
                               accept_multiple_files=True, key="glossary",
                               help="Preferred terms: the checks flag other spellings of them.")
    saved: dict[str, tuple[str | None, str]] = st.session_state.setdefault("glossary_files", {})
    paths = []
    for upload in uploads or []:
        if upload.file_id not in saved:
            data = upload.getvalue()
            entries, problem = ui.glossary_check(upload.name, data)
            path = None if problem else ui.save_upload(upload.name, data)
            saved[upload.file_id] = (path, problem or f"{entries} terms")
        path, note = saved[upload.file_id]
        if path:
            paths.append(path)
            st.caption(f"{upload.name}: {note}")
        else:
            st.error(f"{upload.name} is not used: {note}")
    return tuple(paths)


def sidebar() -> ui.Settings:
    """The settings panel."""
    with st.sidebar:
        st.header("Settings")
        target = language_picker("Translation language", "target_lang", st.session_state.get("translation", ""))
        source = language_picker("Source language", "source_lang", st.session_state.get("source", ""))
        default = ui.MODEL_CHOICES.index(DEFAULT_MODEL) if DEFAULT_MODEL in ui.MODEL_CHOICES else 0
        model = st.radio("Fluency model", ui.MODEL_CHOICES, index=default, key="model",
                         format_func=ui.MODEL_LABELS.get)
        if model != "none":
            loading = model_loader(model).state in ("idle", "loading")
            st.fragment(run_every=1.0 if loading else None)(model_status)(model)
        st.subheader("Rule families")
        off = tuple(prefix for prefix, label in ui.FAMILIES.items()
                    if not st.toggle(label, value=True, key=f"family-{prefix}", help=ui.FAMILY_HELP[prefix]))
        glossary = glossary_paths()
    return ui.Settings(target_lang=target, source_lang=source, model=model,
                       families_off=off, glossary=glossary)


# --------------------------------------------------------------------------- checking

def scorer_for(settings: ui.Settings) -> Any:
    """The loaded scorer (waiting for it with a spinner), or None for rules only."""
    if settings.model == "none":
        return None
    loader = model_loader(settings.model)
    if loader.state != "ready":
        with st.spinner(f"Waiting for {settings.model} to finish loading…"):
            loader.wait()
    if loader.scorer is None:
        st.warning(f"The {settings.model} model is unavailable ({loader.error}); checking with rules only.")
    return loader.scorer


def check_text(settings: ui.Settings) -> None:
    """Check the pasted text and keep the report in the session."""
    text = st.session_state.get("translation", "")
    if not text.strip():
        st.info("Paste a translation (or load the example article) and press **Check**.")
        return
    scorer = scorer_for(settings)
    config = ui.build_config(settings).updated(fluency=scorer is not None)
    sentences = len(segment_text(text))
    warm_up().wait()  # the rules' data loads once (starting now if need be); a check waits for it
    began = time.perf_counter()
    with st.spinner(f"Checking about {sentences:,} sentences"
                    f"{' with ' + getattr(scorer, 'name', settings.model) if scorer else ' (rules only)'}…"):
        report = qa.check(text, path=PASTED_NAME, config=config, scorer=scorer,
                          source=st.session_state.get("source") or None,
                          reference=st.session_state.get("reference") or None)
    st.session_state["result"] = {"report": report, "id": uuid.uuid4().hex[:8],
                                  "seconds": time.perf_counter() - began}


def load_example() -> None:
    """Button callback: put the example article in the editor and check it."""
    try:
        text = example_text()
    except OSError as error:
        st.session_state["notice"] = f"The example article could not be read ({error.strerror or error})."
        return
    st.session_state["translation"] = text
    st.session_state["source"] = ""
    st.session_state["reference"] = ""
    st.session_state["pending_check"] = True


def use_corrected(text: str) -> None:
    """Button callback: replace the editor's text with the corrected one and check it again."""
    st.session_state["translation"] = text
    st.session_state["pending_check"] = True


def clear_text() -> None:
    """Button callback: empty the editor and forget the results."""
    for key in ("translation", "source", "reference"):
        st.session_state[key] = ""
    st.session_state.pop("result", None)


# --------------------------------------------------------------------------- results

def fmt(value: Any, digits: int = 1) -> str:
    """A score for a metric tile (``—`` when missing)."""
    return "—" if value is None else f"{float(value):.{digits}f}"


def show_metrics(doc: DocumentReport, numbered: list[ui.Numbered], seconds: float | None) -> None:
    """Quality, fluency, findings and reference metrics as tiles."""
    scores = doc.scores or {}
    counts = ui.severity_counts(numbered)
    summary = ", ".join(f"{counts[s]} {s}" for s in ui.SEVERITY_ORDER if counts.get(s)) or "none"
    no_ref = "Paste a reference translation to compute this."
    tiles = [
        ("Quality", fmt(scores.get("quality")), "MQM-style score from the findings (and fluency when a model is used), 0–100."),
        ("Fluency", fmt(scores.get("fluency")), "Mean per-sentence fluency from the language model, 0–100. Choose a model in the sidebar."),
        ("Findings", str(len(doc.findings)), f"By severity: {summary}."),
        ("BLEU", fmt(scores.get("bleu")), no_ref),
        ("chrF", fmt(scores.get("chrf")), no_ref),
        ("TER", fmt(scores.get("ter")), no_ref + " Lower is better."),
    ]
    for column, (label, value, help_text) in zip(st.columns(len(tiles)), tiles):
        column.metric(label, value, help=help_text, border=True)
    words = f"{doc.words:,} words · {ui.language_name(doc.target_lang)}"
    if doc.source_lang:
        words += f" from {ui.language_name(doc.source_lang)}"
    st.caption(words + (f" · checked in {seconds:.1f} s" if seconds is not None else ""))


def show_filters(key: str) -> tuple[list[str], list[str]]:
    """Severity and family filters shared by the highlights and the table."""
    left, right = st.columns([1, 3])
    severities = left.pills("Severity", ui.SEVERITY_ORDER, selection_mode="multi",
                            default=list(ui.SEVERITY_ORDER), key=f"{key}-sev")
    families = [*ui.FAMILIES.values(), ui.INTERNAL_FAMILY]
    chosen = right.pills("Rule family", families, selection_mode="multi", default=families, key=f"{key}-fam")
    return list(severities or []), list(chosen or [])


def show_chart(doc: DocumentReport) -> None:
    """Per-sentence fluency (or, without a model, per-sentence quality) with the weakest listed."""
    rows = ui.segment_rows(doc)
    metric = "fluency" if any(r["fluency"] is not None for r in rows) else "quality"
    if metric == "fluency":
        st.markdown("**Fluency per sentence**")
    else:
        st.markdown("**Quality per sentence** · _choose a fluency model for fluency_")
    if not rows:
        st.caption("No sentences.")
        return
    st.vega_lite_chart(ui.segment_chart(rows, metric), width="stretch")
    low = [r for r in ui.weakest(rows, metric) if r[metric] < 100]
    if low:
        lines = [f"- **#{r['n']}** · {r[metric]:.0f} · {ui.shorten(r['sentence'], 90)}" for r in low]
        st.caption("Weakest sentences\n" + "\n".join(lines))


def show_table(doc: DocumentReport, shown: list[ui.Numbered], key: str) -> None:
    """The findings table (sortable; select rows to outline their highlights)."""
    rows = ui.finding_rows(doc, shown)
    if not rows:
        st.success("No findings match these filters." if doc.findings else "No findings: nothing to fix.")
        return
    table = frame(rows)
    if len(rows) <= STYLED_ROWS:  # colouring cells costs ~0.5 ms a row on every rerun
        table = table.style.map(ui.severity_style, subset=["severity"])
    st.dataframe(
        table, key=key, on_select="rerun", selection_mode="multi-row", hide_index=True,
        width="stretch", height=min(420, 38 + ui.ROW_HEIGHT * len(rows)), row_height=ui.ROW_HEIGHT,
        column_config={
            "#": st.column_config.NumberColumn(width="small"),
            "message": st.column_config.TextColumn(width="large"),
            "confidence": st.column_config.ProgressColumn(min_value=0.0, max_value=1.0, format="%.2f"),
        },
    )


def selected_numbers(key: str, shown: list[ui.Numbered]) -> list[int]:
    """Numbers of the findings whose rows are selected in the table."""
    state = st.session_state.get(key)
    try:
        rows = state["selection"]["rows"] if state else []
    except (KeyError, TypeError):
        return []
    return [shown[i].n for i in rows if 0 <= i < len(shown)]


def show_suggestions(doc: DocumentReport, numbered: list[ui.Numbered], key: str) -> None:
    """Accept or reject each suggested fix; preview and download the corrected text."""
    if doc.unit_texts:
        st.caption("Fixes are applied in your CAT tool for bilingual files; the findings table lists them.")
        return
    fixable = [i for i in numbered if i.finding.suggestion is not None]
    if not fixable:
        st.caption("No finding offers a fix.")
        return
    table = frame([{"apply": True, "#": i.n, "code": i.finding.code, "text": i.finding.text,
                    "suggestion": i.finding.suggestion, "message": i.finding.message} for i in fixable])
    edited = st.data_editor(table, key=key, hide_index=True, width="stretch",
                            disabled=["#", "code", "text", "suggestion", "message"],
                            column_config={"apply": st.column_config.CheckboxColumn("apply", width="small")})
    accepted = [i.finding for i, keep in zip(fixable, edited["apply"].tolist()) if keep]
    result = ui.apply_suggestions(doc.text, accepted)
    for finding, reason in result.skipped:
        st.caption(f"Not applied: “{finding.text}” → “{finding.suggestion}”: {reason}.")
    if result.applied:
        st.html(ui.diff_html(doc.text, result.applied))
    left, right = st.columns(2)
    left.download_button(f"Download corrected text ({len(result.applied)} fixes)", result.text,
                         file_name="corrected.txt", mime="text/plain", key=f"{key}-dl",
                         width="stretch")
    right.button("Put the corrected text in the editor", key=f"{key}-use", on_click=use_corrected,
                 args=(result.text,), disabled=not key.startswith("single"), width="stretch")


def show_downloads(report: Report, key: str) -> None:
    """The report as JSON, CSV and SARIF (rendered only when a button is pressed)."""
    for column, (name, (filename, mime)) in zip(st.columns(len(ui.EXPORT_FORMATS)), ui.EXPORT_FORMATS.items()):
        if not ui.export_available(name):
            column.caption(f"{name.upper()} export is not available in this version.")
            continue
        column.download_button(f"{name.upper()} report", partial(ui.export_or_explain, report, name),
                               file_name=filename, mime=mime, key=f"{key}-{name}", width="stretch",
                               on_click="ignore")


def show_document(doc: DocumentReport, report: Report, key: str, seconds: float | None = None) -> None:
    """Everything about one checked document."""
    if doc.unreadable:
        st.error(f"{doc.path} could not be read: {'; '.join(doc.errors)}")
        return
    for error in doc.errors:
        st.warning(error)
    numbered = ui.number_findings(doc.findings)
    show_metrics(doc, numbered, seconds)
    severities, families = show_filters(key)
    shown = ui.filter_findings(numbered, severities, families)
    table_key = f"{key}-table"
    focus = selected_numbers(table_key, shown)
    left, right = st.columns([3, 2], gap="large")
    with left:
        st.markdown(f"**Translation** · {len(shown)} of {len(numbered)} findings shown")
        st.html(ui.legend_html(ui.severity_counts(shown)) + ui.document_html(doc, shown, focus))
        # Our own static scripts (the text above is escaped): tooltips in view, scroll to the selection.
        st.html(ui.TOOLTIPS + (ui.SCROLL_TO_FOCUS if focus else ""), unsafe_allow_javascript=True)
    with right:
        show_chart(doc)
        by_family = ui.family_chart(shown)
        if by_family:
            st.markdown("**Findings by rule family**")
            st.vega_lite_chart(by_family, width="stretch")
    st.markdown("**Findings** · click a column to sort, select rows to outline them in the text")
    show_table(doc, shown, table_key)
    fixes, downloads = st.tabs(["Apply suggestions", "Download report"])
    with fixes:
        show_suggestions(doc, numbered, f"{key}-fix")
    with downloads:
        show_downloads(report, f"{key}-export")


# --------------------------------------------------------------------------- tabs

def check_tab(settings: ui.Settings) -> None:
    """Paste, check, read the results."""
    buttons = st.columns([2, 2, 1, 5])
    buttons[0].button("Load example article", on_click=load_example, width="stretch")
    check_clicked = buttons[1].button("Check", type="primary", width="stretch")
    buttons[2].button("Clear", on_click=clear_text, width="stretch")
    st.text_area("Translation", key="translation", height=240,
                 placeholder="Paste the machine-translated text here…")
    has_extra = bool(st.session_state.get("source") or st.session_state.get("reference"))
    with st.expander("Source and reference translation (optional)", expanded=has_extra):
        left, right = st.columns(2)
        left.text_area("Source text", key="source", height=160,
                       help="Enables the source-aware checks (numbers, names, omissions).")
        right.text_area("Reference translation", key="reference", height=160,
                        help="Enables BLEU, chrF and TER.")
    if "notice" in st.session_state:
        st.warning(st.session_state.pop("notice"))
    if check_clicked or st.session_state.pop("pending_check", False):
        check_text(settings)
    result = st.session_state.get("result")
    if not result:
        return
    report: Report = result["report"]
    doc = report.documents[0]
    if doc.text != st.session_state.get("translation", doc.text):
        st.info("The text changed since this check: press **Check** to update the results.")
    show_document(doc, report, f"single-{result['id']}", result["seconds"])


def batch_tab(settings: ui.Settings) -> None:
    """Check several files; a table of documents; open one."""
    uploads = st.file_uploader("Files to check", type=ui.batch_types(), accept_multiple_files=True,
                               key="batch-files",
                               help="Plain text and the bilingual formats qa can read (TSV, XLIFF, PO, SRT, …).")
    if st.button(f"Check {len(uploads or [])} files", disabled=not uploads, type="primary"):
        check_batch(settings, uploads)
    batch = st.session_state.get("batch")
    if not batch:
        return
    report: Report = batch["report"]
    st.dataframe(frame(ui.document_rows(report)), hide_index=True, width="stretch",
                 column_config={"quality": st.column_config.ProgressColumn(min_value=0, max_value=100, format="%.1f")})
    names = [d.path for d in report.documents]
    chosen = st.selectbox("Open a document", range(len(names)), format_func=names.__getitem__,
                          key=f"batch-open-{batch['id']}")
    st.divider()
    show_document(report.documents[chosen], report, f"batch-{batch['id']}-{chosen}")


def check_batch(settings: ui.Settings, uploads: list[Any]) -> None:
    """Read and check the uploaded files with a progress bar."""
    scorer = scorer_for(settings)
    config = ui.build_config(settings).updated(fluency=scorer is not None)
    documents = [ui.read_upload(u.name, u.getvalue(), config) for u in uploads]
    bar = st.progress(0.0, text="Checking…")
    warm_up().wait()
    done: list[DocumentReport] = []

    def advance(doc: DocumentReport) -> None:
        done.append(doc)
        bar.progress(len(done) / len(documents), text=f"Checked {len(done)} of {len(documents)}: {doc.path}")

    report = run_documents(documents, config, scorer, progress=advance)
    bar.empty()
    st.session_state["batch"] = {"report": report, "id": uuid.uuid4().hex[:8]}


def rules_tab() -> None:
    """Every rule with its code, severity and languages; one rule explained with its examples."""
    catalogue = all_rules()
    rows = [{"code": r.code, "name": r.name, "family": ui.family_of(r.code), "category": r.category.value,
             "severity": r.severity.value, "languages": ", ".join(r.languages).replace("*", "all"),
             "explanation": r.explanation} for r in catalogue]
    st.dataframe(frame(rows), hide_index=True, width="stretch", height=380,
                 column_config={"explanation": st.column_config.TextColumn(width="large")})
    by_code = {r.code: r for r in catalogue}
    code = st.selectbox("Explain a rule", list(by_code), key="explain",
                        format_func=lambda c: f"{c} · {by_code[c].name}")
    if code:
        rule = by_code[code]
        st.markdown(f"**{rule.code} {rule.name}** · {rule.category.value} · {rule.severity.value}")
        st.write(rule.explanation)
        examples = [("Flagged", e) for e in rule.fail_examples[:3]] + [("Left alone", e) for e in rule.pass_examples[:3]]
        for kind, example in examples:
            fix = f" → suggestion “{example.suggestion}”" if example.suggestion else ""
            st.caption(f"{kind} ({example.lang}): “{example.text}”{fix}")


def main() -> None:
    """The page."""
    st.set_page_config(page_title="qa · translation quality", layout="wide")
    st.html(ui.CSS)  # styles only: Streamlit puts them in the page head, taking no space
    st.title("qa · translation quality checker")
    st.caption("Paste a machine translation: every artefact is highlighted where it occurs, "
               "with the reason and a fix. Nothing leaves this machine.")
    settings = sidebar()
    single, batch, rules = st.tabs(["Check a text", "Batch", "Rules"], key="page", on_change="rerun")
    with single:
        check_tab(settings)
    with batch:
        batch_tab(settings)
    if rules.open is not False:  # drawn only when opened: the first render stays light
        with rules:
            rules_tab()
    # Slow loading starts only now, in background threads, a moment after the page is sent, so it
    # never delays drawing it (a check pressed sooner starts it at once).
    if settings.model != "none":
        model_loader(settings.model).start(delay=START_DELAY)
    warm_up().start(delay=START_DELAY)


st.set_option("client.showErrorDetails", "none")  # a safety net: errors are caught and explained below
st.set_option("client.toolbarMode", "viewer")
try:
    main()
except Exception as error:  # noqa: BLE001 - no traceback ever reaches the page
    log.exception("the page failed")
    st.error(f"Something went wrong ({type(error).__name__}: {error}). The details are in the server log; "
             "your text is still in the editor.")
