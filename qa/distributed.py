"""Checking a corpus too large for one machine on a Dask cluster.

The pipeline is a pure function over batches: :func:`check_jobs` turns a list of
:class:`~qa.batch.Job` (file paths, or chunks of units already read) and the settings into
reports, loading the language model at most once per worker process (``qa.fluency.load_scorer``
caches it). :func:`run_on_dask` plans the jobs here (large TSV/CSV/JSONL files are streamed
into chunks, other files are read by the workers themselves, so the paths must be visible to
every worker, e.g. on a shared file system or a mounted bucket), sends them to the cluster in
batches with a bounded number in flight, and merges the results into one
:class:`~qa.report.Report`, in input order, exactly as ``qa check`` would.

Why Dask: ``dask`` and ``distributed`` are pure-Python wheels on PyPI (about 25 MB installed,
with small pure-Python dependencies), while Ray ships a large platform-specific binary wheel
with its own C++ runtime. Since :func:`check_jobs` is a plain function of picklable values, it
can also be wrapped as a Ray task (not tested here, Ray is not installed)::

    remote = ray.remote(qa.distributed.check_jobs)
    results = ray.get([remote.remote(batch, config) for batch in qa.distributed.batches(jobs, 8)])
"""
from __future__ import annotations

import itertools
from typing import Any, Iterable, Iterator

from .batch import CHUNK_UNITS, Job, check_job, merge_reports, plan
from .config import Config
from .pipeline import settings_of
from .report import DocumentReport, Report


def check_jobs(jobs: list[Job], config: Config) -> list[DocumentReport]:
    """Reports of a batch of jobs: a pure function of its arguments, safe to run anywhere."""
    scorer = _scorer(config)
    return [check_job(job, config, scorer) for job in jobs]


def _scorer(config: Config) -> Any:
    if not config.fluency:
        return None
    from . import fluency

    try:
        return fluency.load_scorer(config)  # cached per process: loaded once per worker
    except fluency.ModelUnavailable:
        return None


def batches(jobs: Iterable[Job], size: int) -> Iterator[list[Job]]:
    """``jobs`` in lists of ``size`` (the last may be shorter)."""
    iterator = iter(jobs)
    while batch := list(itertools.islice(iterator, size)):
        yield batch


def run_on_dask(paths: list[str], config: Config, client: Any, batch_size: int = 8,
                chunk_units: int = CHUNK_UNITS, in_flight: int | None = None) -> Report:
    """Check ``paths`` on the Dask cluster of ``client`` and return the merged report.

    At most ``in_flight`` batches (default: twice the cluster's worker threads) are queued at once,
    so planning a huge corpus never outruns the cluster's memory.
    """
    limit = in_flight or max(2, 2 * sum(client.nthreads().values()))
    config_future = client.scatter(config, broadcast=True)
    pending: list[tuple[list[Job], Any]] = []
    results: list[tuple[Job, DocumentReport]] = []
    for batch in batches(plan(paths, config, chunk_units=chunk_units), batch_size):
        pending.append((batch, client.submit(check_jobs, batch, config_future, pure=False)))
        if len(pending) >= limit:
            results.extend(_collect(*pending.pop(0)))
    for batch, future in pending:
        results.extend(_collect(batch, future))
    return _report(results, config)


def _collect(batch: list[Job], future: Any) -> list[tuple[Job, DocumentReport]]:
    return list(zip(batch, future.result()))


def _report(results: list[tuple[Job, DocumentReport]], config: Config) -> Report:
    documents: list[DocumentReport] = []
    parts: list[DocumentReport] = []
    for job, report in results:
        parts.append(report)
        if job.last:
            documents.append(parts[0] if len(parts) == 1 else merge_reports(parts))
            parts = []
    settings = settings_of(config, None)
    settings["engine"] = "dask"
    return Report(documents=documents, settings=settings, fail_on=config.fail_on, min_quality=config.min_quality)


def local_cluster(workers: int = 2, processes: bool = True) -> Any:
    """A Dask client on a cluster of this machine's cores (for trying the engine, and for tests)."""
    from dask.distributed import Client, LocalCluster

    cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=processes,
                           dashboard_address=None, silence_logs=40)
    return Client(cluster)
