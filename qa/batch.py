"""Batch checking: many files, large files in chunks, several worker processes, a progress bar.

The work is a stream of :class:`Job` values: a file a worker reads itself, or a chunk of units
read here from a large line-oriented file (TSV/CSV/JSONL), so a 100,000-row table is never held
whole in memory, let alone twice. Jobs run in this process (``workers=1``) or in a pool of
worker processes, each of which loads the language model once, when it starts. At most
``2 * workers`` jobs are in flight, results come back in input order, and the chunks of one
file are merged back into one :class:`~qa.report.DocumentReport`.
"""
from __future__ import annotations

import multiprocessing
import os
import sys
from collections import deque
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass
from typing import Any, Callable, Iterable, Iterator

from .config import Config
from .context import freeze_loaded_data
from .errors import InputError
from .model import Document
from .pipeline import check_document, error_report, settings_of
from .report import DocumentReport, Report

CHUNK_UNITS = 1000             # units per chunk of a large unit-based file
STREAM_BYTES = 256 * 1024      # line-oriented files (TSV/CSV/JSONL) larger than this are streamed in chunks
SPLIT_BYTES = 1024 * 1024      # other unit-based files larger than this are read here and split in chunks

ScorerLoader = Callable[[Config], Any]
Progress = Callable[[DocumentReport], None]


@dataclass(frozen=True)
class Job:
    """One piece of work: a file to read (``document`` None), a read document, or a read error.

    ``part`` numbers the chunks of a streamed file; ``last`` marks its final chunk.
    """

    path: str
    document: Document | InputError | None = None
    part: int = 0
    last: bool = True


def plan(paths: list[str], config: Config, chunk_units: int = CHUNK_UNITS,
         stream_bytes: int = STREAM_BYTES, split_bytes: int = SPLIT_BYTES) -> Iterator[Job]:
    """Jobs for every file named by ``paths`` (directories walked, globs expanded).

    Small files become one job each, read by the worker. Large TSV/CSV/JSONL files are streamed
    here in chunks of ``chunk_units`` units; other large unit-based files (XLIFF, PO, TMX, SRT)
    are read here and split the same way, so no check ever sees more than ``chunk_units`` units
    at once and one big file still keeps every worker busy.
    """
    from .readers import STREAMERS, expand_paths, read_path

    for path in expand_paths(paths):
        ext = os.path.splitext(path)[1].lower()
        size = os.path.getsize(path) if path != "-" and os.path.isfile(path) else -1
        if path == "-" or (size > split_bytes and ext not in STREAMERS):
            try:  # standard input belongs to this process; big XML is split after reading
                yield from split_document(read_path(path, config), chunk_units)
            except InputError as error:
                yield Job(path, error)
        elif ext in STREAMERS and size > stream_bytes:
            yield from _chunks(path, config.for_path(path), chunk_units)
        else:
            yield Job(path)


def split_document(doc: Document, chunk_units: int = CHUNK_UNITS) -> Iterator[Job]:
    """Jobs for ``doc``: itself, or chunks of ``chunk_units`` units when it is a larger unit-based document."""
    if not doc.unit_based or len(doc.segments) <= chunk_units:
        yield Job(doc.path, doc)
        return
    from dataclasses import replace as _replace

    from .readers.units import Unit, unit_document

    lines, tags = doc.meta.get("lines", {}), doc.meta.get("tags", {})
    count = (len(doc.segments) + chunk_units - 1) // chunk_units
    for part in range(count):
        units = [Unit(id=s.id, target=s.text, source=s.source, reference=s.reference, note=s.note,
                      line=lines.get(s.id, 1), source_tags=tags.get(s.id, {}).get("source", []),
                      target_tags=tags.get(s.id, {}).get("target", []))
                 for s in doc.segments[part * chunk_units:(part + 1) * chunk_units]]
        chunk = unit_document(doc.path, units, Config(), fmt=doc.meta.get("format", ""))
        chunk = _replace(chunk, source_lang=doc.source_lang, target_lang=doc.target_lang)
        yield Job(doc.path, chunk, part, last=part == count - 1)


def jobs_for(items: Iterable[Document | InputError]) -> Iterator[Job]:
    """Jobs for documents (or read errors) that were already read."""
    for item in items:
        yield Job(item.path, item)


def _chunks(path: str, config: Config, chunk_units: int) -> Iterator[Job]:
    """A large table or JSONL file as jobs of ``chunk_units`` units each, read as a stream."""
    from .readers import STREAMERS
    from .readers.units import unit_document

    part = 0
    try:
        _probe(path)
        with open(path, encoding="utf-8-sig", newline="") as handle:
            stream = STREAMERS[os.path.splitext(path)[1].lower()](path, handle, config)

            def chunk(units: list) -> Document:
                return unit_document(path, units, config, stream.source_lang, stream.target_lang, fmt="stream")

            batch: list = []
            held: Document | None = None  # a full chunk waits until we know whether more follow
            for unit in stream.units:
                batch.append(unit)
                if len(batch) >= chunk_units:
                    if held is not None:
                        yield Job(path, held, part, last=False)
                        part += 1
                    held, batch = chunk(batch), []
            if held is not None and batch:
                yield Job(path, held, part, last=False)
                part += 1
                held = None
            yield Job(path, held if held is not None else chunk(batch), part, last=True)
    except InputError as error:
        yield Job(path, error, part, last=True)
    except UnicodeDecodeError as error:
        yield Job(path, InputError(path, f"not valid UTF-8 ({error.reason}); convert it to UTF-8"), part, last=True)
    except OSError as error:
        yield Job(path, InputError(path, error.strerror or str(error)), part, last=True)


def _probe(path: str) -> None:
    """Refuse a binary or non-UTF-8 file from its first bytes, before any chunk is checked."""
    import codecs

    with open(path, "rb") as handle:
        head = handle.read(65536)
    if b"\x00" in head:
        raise InputError(path, "binary file (contains NUL bytes), not text")
    try:
        codecs.getincrementaldecoder("utf-8")().decode(head, final=False)
    except UnicodeDecodeError as error:
        raise InputError(path, f"not valid UTF-8 (byte 0x{head[error.start]:02x} at offset {error.start}); "
                               "convert it to UTF-8") from None


# --- running jobs ------------------------------------------------------------------------

_worker_state: dict[str, Any] = {}


def _init_worker(config: Config, scorer_loader: ScorerLoader | None) -> None:
    """Worker start-up: load the model once for all the jobs this process will run."""
    _worker_state["config"] = config
    _worker_state["scorer"] = scorer_loader(config) if scorer_loader else None


def _run_job(job: Job) -> tuple[Job, DocumentReport, str | None]:
    config: Config = _worker_state["config"]
    scorer = _worker_state.get("scorer")
    report = check_job(job, config, scorer)
    freeze_loaded_data()  # a batch process: what the job loaded needs no more garbage collection
    return Job(job.path, None, job.part, job.last), report, getattr(scorer, "name", None)


def check_job(job: Job, config: Config, scorer: Any = None) -> DocumentReport:
    """The report of one job (a file read here, a chunk, or an unreadable input)."""
    item = job.document
    if item is None:
        from .readers import read_path

        try:
            item = read_path(job.path, config)
        except InputError as error:
            item = error
    if isinstance(item, InputError):
        return error_report(item.path, item.reason)
    return check_document(item, config, scorer)


def _in_process(jobs: Iterable[Job], config: Config, scorer: Any,
                scorer_loader: ScorerLoader | None) -> Iterator[tuple[Job, DocumentReport, str | None]]:
    loaded = scorer is not None or scorer_loader is None
    for job in jobs:
        if not loaded and not isinstance(job.document, InputError):
            scorer, loaded = scorer_loader(config), True  # type: ignore[misc]  # only when something is readable
        report = check_job(job, config, scorer)
        freeze_loaded_data()  # a batch process: what the job loaded needs no more garbage collection
        yield job, report, getattr(scorer, "name", None)


def _in_pool(jobs: Iterable[Job], config: Config, workers: int,
             scorer_loader: ScorerLoader | None) -> Iterator[tuple[Job, DocumentReport, str | None]]:
    method = "fork" if "fork" in multiprocessing.get_all_start_methods() and not _torch_loaded() else "spawn"
    context = multiprocessing.get_context(method)
    with ProcessPoolExecutor(max_workers=workers, mp_context=context, initializer=_init_worker,
                             initargs=(config, scorer_loader)) as pool:
        pending: deque[Future] = deque()
        for job in jobs:
            pending.append(pool.submit(_run_job, job))
            if len(pending) >= 2 * workers:
                yield pending.popleft().result()
        while pending:
            yield pending.popleft().result()


def _torch_loaded() -> bool:
    """Forking after torch started its threads can deadlock; spawn fresh workers then."""
    return "torch" in sys.modules


def run_batch(jobs: Iterable[Job], config: Config, *, workers: int = 1, scorer: Any = None,
              scorer_loader: ScorerLoader | None = None, progress: Progress | None = None) -> Report:
    """Check every job and gather one report, the chunks of each file merged back together.

    With ``workers > 1`` the jobs run in worker processes that each call ``scorer_loader(config)``
    once; otherwise they run here with ``scorer`` (or ``scorer_loader(config)`` when no scorer is given).
    """
    if workers > 1:
        results = _in_pool(jobs, config, workers, scorer_loader if config.fluency else None)
    else:
        results = _in_process(jobs, config, scorer, scorer_loader if config.fluency else None)
    documents: list[DocumentReport] = []
    parts: list[DocumentReport] = []
    model_name = None
    for job, report, name in results:
        model_name = model_name or name
        if progress is not None:
            progress(report)
        parts.append(report)
        if job.last:
            documents.append(parts[0] if len(parts) == 1 else merge_reports(parts))
            parts = []
    settings = settings_of(config, None)
    settings["fluency_model"] = model_name
    settings["workers"] = workers
    return Report(documents=documents, settings=settings, fail_on=config.fail_on, min_quality=config.min_quality)


def merge_reports(parts: list[DocumentReport]) -> DocumentReport:
    """One report for a file checked in chunks (an unreadable chunk makes the whole file unreadable).

    Quality and fluency are word-weighted means of the chunks' (exact for unclipped MQM scores);
    corpus reference metrics (BLEU, chrF, chrF++, TER) are computed from the chunks' summed
    sacrebleu statistics, so they equal the scores of the whole file.
    """
    first = parts[0]
    failed = next((p for p in parts if p.unreadable), None)
    if failed is not None:
        return error_report(first.path, failed.errors[0])
    words = sum(p.words for p in parts)
    merged = DocumentReport(path=first.path, text="", source_lang=first.source_lang, target_lang=first.target_lang,
                            words=words)
    for part in parts:
        for segment in part.segments:
            segment.text = ""  # the unit texts are kept once, in unit_texts
        merged.segments.extend(part.segments)
        merged.findings.extend(part.findings)
        merged.errors.extend(part.errors)
        merged.unit_texts.update(part.unit_texts)
        merged.unit_lines.update(part.unit_lines)
    merged.scores = _merged_scores(parts, words)
    merged.metric_statistics = merged.scores.pop("statistics", None)
    return merged


def _merged_scores(parts: list[DocumentReport], words: int) -> dict[str, Any]:
    """The ``scores`` block of a chunked file (with the merged metric ``statistics``, popped by the caller)."""
    from .metrics import merge_document_metrics

    scores: dict[str, Any] = {}
    for key in ("quality", "mqm_quality", "fluency", "adequacy"):
        values = [(p.scores.get(key), max(p.words, 1)) for p in parts if p.scores.get(key) is not None]
        if values:
            total = sum(w for _, w in values)
            scores[key] = round(sum(v * w for v, w in values) / total, 2)
        elif any(key in p.scores for p in parts):
            scores[key] = None
    for key in ("mqm_penalty", "model_penalty"):  # points add up over chunks
        scores[key] = round(sum(p.scores.get(key) or 0.0 for p in parts), 2)
    scores["words"] = sum(p.scores.get("words") or 0 for p in parts)
    scores.update({"bleu": None, "chrf": None, "ter": None, "signatures": {}})
    with_reference = [p.metric_statistics for p in parts if p.metric_statistics]
    unscored = sum(len(p.segments) for p in parts if not p.metric_statistics)  # chunks with no reference at all
    scores.update(merge_document_metrics(with_reference, unscored) or {})
    scores["chunks"] = len(parts)
    return scores


# --- progress ------------------------------------------------------------------------------

def progress_bar(enabled: bool | None = None) -> tuple[Progress | None, Callable[[], None]]:
    """A progress callback and its closer: a bar on a terminal, nothing in CI logs or pipes.

    ``enabled`` None decides by itself: on when standard error is a terminal and ``CI`` is unset.
    """
    if enabled is None:
        enabled = sys.stderr.isatty() and not os.environ.get("CI")
    if not enabled:
        return None, lambda: None
    try:
        from tqdm import tqdm
    except ImportError:
        return None, lambda: None
    bar = tqdm(total=None, unit=" seg", desc="qa", file=sys.stderr, dynamic_ncols=True, leave=False)
    files = [0]

    def advance(report: DocumentReport) -> None:
        files[0] += 1
        bar.set_postfix_str(f"{os.path.basename(report.path)} ({files[0]} done)", refresh=False)
        bar.update(max(1, len(report.segments)))

    return advance, bar.close
