"""Batch runs: worker processes, streaming large tables in chunks, progress, and a Dask cluster."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from qa.batch import Job, jobs_for, plan, progress_bar, run_batch
from qa.config import Config
from qa.errors import InputError
from qa.readers import read_path

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "tests" / "data" / "formats"
MARKUP = Config(fluency=False, select=("QA55",))


def comparable(report) -> list[dict]:
    return [d.to_dict() for d in report.documents]


def write_table(path: Path, rows: int, broken_every: int = 7, tail: str = "") -> None:
    """A TSV of ``rows`` UI strings; every ``broken_every``-th translation lost its placeholder."""
    lines = ["id\tsource\ttarget"]
    for i in range(1, rows + 1):
        target = f"Datei {i} in {{ordner}} gespeichert." if i % broken_every else f"Datei {i} gespeichert."
        lines.append(f"s{i}\tSaved file {i} to {{folder}}.\t{target.replace('{ordner}', '{folder}')}")
    path.write_text("\n".join(lines) + "\n" + tail, encoding="utf-8")


def test_two_workers_give_the_same_report_as_one():
    one = run_batch(plan([str(DATA)], MARKUP), MARKUP, workers=1)
    two = run_batch(plan([str(DATA)], MARKUP), MARKUP, workers=2)
    assert comparable(one) == comparable(two)
    assert [d.path for d in one.documents] == sorted(d.path for d in one.documents)
    assert one.summary()["findings"] >= 4 and one.summary()["errors"] >= 5


def test_a_large_table_is_streamed_in_chunks_with_the_same_findings(tmp_path):
    table = tmp_path / "big.tsv"
    write_table(table, 2500)
    jobs = list(plan([str(table)], MARKUP, chunk_units=1000, stream_bytes=0))
    assert [(j.part, j.last) for j in jobs] == [(0, False), (1, False), (2, True)]
    assert [len(j.document.segments) for j in jobs] == [1000, 1000, 500]
    exact = list(plan([str(table)], MARKUP, chunk_units=500, stream_bytes=0))
    assert [len(j.document.segments) for j in exact] == [500] * 5 and [j.last for j in exact][-2:] == [False, True]
    chunked = run_batch(iter(jobs), MARKUP)
    whole = run_batch(jobs_for([read_path(str(table), MARKUP)]), MARKUP)
    (c_doc,), (w_doc,) = chunked.documents, whole.documents
    key = lambda f: (f.segment_id, f.code, f.start, f.end, f.text)  # noqa: E731
    assert sorted(map(key, c_doc.findings)) == sorted(map(key, w_doc.findings))
    assert len(c_doc.findings) == 2500 // 7
    assert [c_doc.position(f) for f in c_doc.findings] == [w_doc.position(f) for f in w_doc.findings]
    assert c_doc.scores["quality"] == pytest.approx(w_doc.scores["quality"], abs=0.05)
    assert len(c_doc.segments) == 2500


def test_streaming_is_lazy_and_a_late_error_fails_the_whole_file(tmp_path):
    table = tmp_path / "late_error.tsv"
    write_table(table, 300, tail='s301\t"unterminated\n')
    jobs = plan([str(table)], MARKUP, chunk_units=100, stream_bytes=0)
    first = next(jobs)
    assert len(first.document.segments) == 100 and not first.last  # read before the end of the file
    report = run_batch(plan([str(table)], MARKUP, chunk_units=100, stream_bytes=0), MARKUP)
    assert report.documents[0].unreadable and "line" in report.documents[0].errors[0]


@pytest.mark.parametrize("content,reason", [
    (b"id\tsource\ttarget\n1\ta\t\xe9t\xe9\n", "not valid UTF-8"),
    (b"\x00\x01binary", "binary file"),
    (b"id\tsrc\n1\ta\n", "missing target column"),
])
def test_streamed_bad_files_are_input_errors(tmp_path, content, reason):
    path = tmp_path / "bad.tsv"
    path.write_bytes(content)
    (job,) = plan([str(path)], MARKUP, stream_bytes=0)
    assert isinstance(job.document, InputError) and reason in job.document.reason


def test_a_large_xliff_is_split_in_chunks_with_the_same_findings():
    path = str(DATA / "app_de.xlf")
    jobs = list(plan([path], MARKUP, chunk_units=2, split_bytes=0))
    assert [(len(j.document.segments), j.last) for j in jobs] == [(2, False), (2, True)]
    assert jobs[1].document.meta["tags"]["bold"]["target"][0].name == "bpt"
    split = run_batch(iter(jobs), MARKUP).documents[0]
    whole = run_batch(plan([path], MARKUP), MARKUP).documents[0]
    assert [f.to_dict() for f in split.findings] == [f.to_dict() for f in whole.findings]
    assert [split.position(f) for f in split.findings] == [whole.position(f) for f in whole.findings]
    assert (split.target_lang, split.source_lang) == ("de", "en")


def _record_pid(config: Config) -> None:
    """A scorer loader that records which process loaded it (and gives no model)."""
    with open(os.environ["QA_TEST_PID_LOG"], "a", encoding="utf-8") as handle:
        handle.write(f"{os.getpid()}\n")
    return None


def test_the_model_is_loaded_once_per_worker(tmp_path, monkeypatch):
    log = tmp_path / "pids.txt"
    monkeypatch.setenv("QA_TEST_PID_LOG", str(log))
    config = MARKUP.updated(fluency=True)
    jobs = [Job(str(DATA / name)) for name in sorted(os.listdir(DATA)) if name != "ABOUT"] * 2
    report = run_batch(iter(jobs), config, workers=2, scorer_loader=_record_pid)
    assert len(report.documents) == len(jobs)
    pids = log.read_text(encoding="utf-8").split()
    assert 1 <= len(pids) <= 2 and len(set(pids)) == len(pids)
    assert str(os.getpid()) not in pids
    log.unlink()
    run_batch(iter(jobs), config, workers=1, scorer_loader=_record_pid)
    assert log.read_text(encoding="utf-8").split() == [str(os.getpid())]


def test_progress_callback_sees_every_job_and_the_bar_is_off_in_ci(monkeypatch):
    seen = []
    run_batch(plan([str(DATA)], MARKUP), MARKUP, progress=seen.append)
    assert len(seen) == len([p for p in os.listdir(DATA) if p != "ABOUT"])
    monkeypatch.setenv("CI", "true")
    assert progress_bar(None)[0] is None
    assert progress_bar(False)[0] is None
    pytest.importorskip("tqdm")
    advance, close = progress_bar(True)
    for report in seen:
        advance(report)
    close()


def test_cli_workers_flag_and_exit_status(tmp_path):
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    argv = [sys.executable, "-m", "qa", "check", str(DATA), "--no-fluency", "--select", "QA55", "--workers", "2",
            "--format", "json", "--no-config"]
    result = subprocess.run(argv, capture_output=True, text=True, env=env, timeout=300)
    assert result.returncode == 3, result.stderr  # unreadable files in the batch; the rest was checked
    assert '"QA550"' in result.stdout and "Traceback" not in result.stderr
    assert result.stderr.count("qa: error:") == 7


def test_dask_local_cluster_gives_the_same_report():
    pytest.importorskip("dask.distributed")
    from qa.distributed import local_cluster, run_on_dask

    client = local_cluster(workers=2)
    try:
        on_dask = run_on_dask([str(DATA)], MARKUP, client, batch_size=3)
        assert len(client.scheduler_info()["workers"]) == 2
    finally:
        client.close()
        client.cluster.close()
    local = run_batch(plan([str(DATA)], MARKUP), MARKUP)
    assert comparable(on_dask) == comparable(local)
    assert on_dask.settings["engine"] == "dask"


@pytest.mark.slow
def test_workers_with_the_real_model_match_one_process():
    from qa.cli import load_scorer

    config = Config(select=("QA55",))
    paths = [str(DATA / "app_de.xlf"), str(DATA / "comet.jsonl")]
    one = run_batch(plan(paths, config), config, workers=1, scorer_loader=load_scorer)
    two = run_batch(plan(paths, config), config, workers=2, scorer_loader=load_scorer)
    if one.settings["fluency_model"] is None:
        pytest.skip("no language model installed")
    assert two.settings["fluency_model"] == one.settings["fluency_model"]
    for a, b in zip(one.documents, two.documents):
        assert a.scores["fluency"] is not None
        assert b.scores["fluency"] == pytest.approx(a.scores["fluency"], abs=0.01)
