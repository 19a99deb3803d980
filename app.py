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
from pathlib import Path
from typing import Any

import streamlit as st

import qa
from qa import ui
from qa.langid import detect_language
from qa.pipeline import run as run_documents
from qa.report import DocumentReport, Report
from qa.rules import rules as all_rules

log = logging.getLogger("qa.app")
EXAMPLE = Path(__file__).resolve().parent / "examples" / "kursk_evacuation_en.txt"
DEFAULT_MODEL = os.environ.get("QA_APP_MODEL", "gemma3")
PASTED_NAME = "pasted-text.txt"


# --------------------------------------------------------------------------- model and caches

@st.cache_resource(show_spinner=False)
def model_loader(name: str) -> ui.ModelLoader:
    """One loader per model per server; loading starts in the background at once."""
    return ui.ModelLoader(name).start()


@st.cache_resource(show_spinner=False)
def warm_up() -> ui.ModelLoader:
    """Once per server, after the first page is drawn: import the table libraries, run the rules once."""
    return ui.ModelLoader("rules", load=ui.warm_up).start()


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
    if loader.state == "loading":
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
    saved: dict[str, str] = st.session_state.setdefault("glossary_files", {})
    paths = []
    for upload in uploads or []:
        if upload.file_id not in saved:
            saved[upload.file_id] = ui.save_upload(upload.name, upload.getvalue())
        paths.append(saved[upload.file_id])
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
            loading = model_loader(model).state == "loading"
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
    if loader.state == "loading":
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
    sentences = text.count(".") + text.count("\n") + 1
    warm_up().wait()  # the rules' data loads once; a check started meanwhile waits for it
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
    st.session_state["translation"] = example_text()
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


def show_metrics(doc: DocumentReport, seconds: float | None) -> None:
    """Quality, fluency, findings and reference metrics as tiles."""
    scores = doc.scores or {}
    counts = ui.severity_counts(ui.number_findings(doc.findings))
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
    st.dataframe(
        frame(rows).style.map(ui.severity_style, subset=["severity"]), key=key, on_select="rerun", selection_mode="multi-row", hide_index=True,
        width="stretch", height=min(420, 38 + 35 * len(rows)),
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


def show_suggestions(doc: DocumentReport, key: str) -> None:
    """Accept or reject each suggested fix; preview and download the corrected text."""
    if doc.unit_texts:
        st.caption("Fixes are applied in your CAT tool for bilingual files; the findings table lists them.")
        return
    fixable = [i for i in ui.number_findings(doc.findings) if i.finding.suggestion is not None]
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
    """The report as JSON, CSV and SARIF."""
    for column, (name, (filename, mime)) in zip(st.columns(len(ui.EXPORT_FORMATS)), ui.EXPORT_FORMATS.items()):
        try:
            data = ui.export_report(report, name)
        except Exception as error:  # noqa: BLE001 - a reporter bug must not take the page down
            log.exception("%s export failed", name)
            column.caption(f"{name.upper()} export failed: {error}")
            continue
        if data is None:
            column.caption(f"{name.upper()} export is not available in this version.")
            continue
        column.download_button(f"{name.upper()} report", data, file_name=filename, mime=mime,
                               key=f"{key}-{name}", width="stretch")


def show_document(doc: DocumentReport, report: Report, key: str, seconds: float | None = None) -> None:
    """Everything about one checked document."""
    if doc.unreadable:
        st.error(f"{doc.path} could not be read: {'; '.join(doc.errors)}")
        return
    for error in doc.errors:
        st.warning(error)
    show_metrics(doc, seconds)
    numbered = ui.number_findings(doc.findings)
    severities, families = show_filters(key)
    shown = ui.filter_findings(numbered, severities, families)
    table_key = f"{key}-table"
    focus = selected_numbers(table_key, shown)
    left, right = st.columns([3, 2], gap="large")
    with left:
        st.markdown(f"**Translation** · {len(shown)} of {len(numbered)} findings shown")
        st.html(ui.legend_html(ui.severity_counts(shown)) + ui.document_html(doc, shown, focus))
    with right:
        show_chart(doc)
        families = ui.family_chart(shown)
        if families:
            st.markdown("**Findings by rule family**")
            st.vega_lite_chart(families, width="stretch")
    st.markdown("**Findings** · click a column to sort, select rows to outline them in the text")
    show_table(doc, shown, table_key)
    fixes, downloads = st.tabs(["Apply suggestions", "Download report"])
    with fixes:
        show_suggestions(doc, f"{key}-fix")
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
    chosen = st.selectbox("Open a document", range(len(names)), format_func=names.__getitem__, key="batch-open")
    st.divider()
    show_document(report.documents[chosen], report, f"batch-{batch['id']}-{chosen}")


def check_batch(settings: ui.Settings, uploads: list[Any]) -> None:
    """Read and check the uploaded files with a progress bar."""
    scorer = scorer_for(settings)
    config = ui.build_config(settings).updated(fluency=scorer is not None)
    documents = [ui.read_upload(u.name, u.getvalue(), config) for u in uploads]
    bar = st.progress(0.0, text="Checking…")
    done: list[DocumentReport] = []

    def advance(doc: DocumentReport) -> None:
        done.append(doc)
        bar.progress(len(done) / len(documents), text=f"Checked {len(done)} of {len(documents)}: {doc.path}")

    report = run_documents(documents, config, scorer, progress=advance)
    bar.empty()
    st.session_state["batch"] = {"report": report, "id": uuid.uuid4().hex[:8]}


def rules_tab() -> None:
    """Every rule with its code, severity, languages and explanation."""
    rows = [{"code": r.code, "name": r.name, "family": ui.family_of(r.code), "category": r.category.value,
             "severity": r.severity.value, "languages": ", ".join(r.languages).replace("*", "all"),
             "explanation": r.explanation} for r in all_rules()]
    st.dataframe(frame(rows), hide_index=True, width="stretch",
                 column_config={"explanation": st.column_config.TextColumn(width="large")})


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
    warm_up()


try:
    main()
except Exception as error:  # noqa: BLE001 - no traceback ever reaches the page
    log.exception("the page failed")
    st.error(f"Something went wrong ({type(error).__name__}: {error}). The details are in the server log; "
             "your text is still in the editor.")
