"""Reference metrics of a file checked in chunks: exactly sacrebleu's corpus BLEU / chrF / TER of the whole file.

The data are the first 300 segments of WMT17 newstest2017 en-de (a system's German MT and the
German reference; the English source is not distributed with them, so the source column is
empty), written out as a TSV (or JSONL) table and checked twice: streamed in chunks, and whole.
"""
from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
import sacrebleu
from sacrebleu.metrics import BLEU, CHRF, TER

from qa.batch import plan, run_batch, split_document
from qa.config import Config
from qa.readers import read_path

DATA = Path(__file__).resolve().parents[1] / "data" / "sacrebleu" / "wmt17_en-de"


def _rows(count: int = 300) -> list[dict]:
    def lines(name: str) -> list[str]:
        return (DATA / name).read_text(encoding="utf-8").splitlines()[:count]

    mt, ref = lines("newstest2017.uedin-nmt.4722.en-de.de.txt"), lines("newstest2017.en-de.ref.de")
    return [{"id": f"s{i + 1}", "src": "", "mt": m, "ref": r} for i, (m, r) in enumerate(zip(mt, ref))]


ROWS = _rows()
CONFIG = Config(fluency=False, select=("QA55",), target_lang="de")
METRIC_KEYS = ("bleu", "chrf", "chrf_plus", "ter", "signatures", "reference")


def write_tsv(path: Path, rows: list[dict]) -> Path:
    """A source/target/reference table, quoted the way spreadsheet programs write TSV."""
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, delimiter="\t", lineterminator="\n")
        writer.writerow(["id", "source", "target", "reference"])
        writer.writerows([row["id"], row["src"], row["mt"], row["ref"]] for row in rows)
    return path


def write_jsonl(path: Path, rows: list[dict]) -> Path:
    path.write_text("".join(json.dumps(row, ensure_ascii=False) + "\n" for row in rows), encoding="utf-8")
    return path


def sacrebleu_scores(rows: list[dict]) -> dict:
    """What sacrebleu's public API says about the rows that have a reference (the sacrebleu CLI's numbers)."""
    scored = [row for row in rows if row["ref"]]
    hyps, refs = [row["mt"] for row in scored], [[row["ref"] for row in scored]]
    return {
        "bleu": round(sacrebleu.corpus_bleu(hyps, refs).score, 4),
        "chrf": round(sacrebleu.corpus_chrf(hyps, refs).score, 4),
        "chrf_plus": round(sacrebleu.corpus_chrf(hyps, refs, word_order=2).score, 4),
        "ter": round(sacrebleu.corpus_ter(hyps, refs).score, 4),
        "signatures": {name: str(metric.get_signature()) for name, metric in _evaluated(hyps, refs).items()},
    }


def _evaluated(hyps: list[str], refs: list[list[str]]) -> dict:
    metrics = {"bleu": BLEU(), "chrf": CHRF(), "chrf_plus": CHRF(word_order=2), "ter": TER()}
    for metric in metrics.values():
        metric.corpus_score(hyps[:1], [stream[:1] for stream in refs])  # the signature names nrefs once evaluated
    return metrics


def checked(path: Path, chunk_units: int | None, workers: int = 1):
    """The one document report of ``path``: streamed in chunks of ``chunk_units``, or whole (None)."""
    if chunk_units is None:
        jobs = list(plan([str(path)], CONFIG))  # far below the streaming threshold: one job
        assert len(jobs) == 1 and jobs[0].document is None
    else:
        jobs = list(plan([str(path)], CONFIG, chunk_units=chunk_units, stream_bytes=0))
        assert len(jobs) == -(-len(ROWS) // chunk_units) > 1
    (document,) = run_batch(iter(jobs), CONFIG, workers=workers).documents
    return document


@pytest.fixture(scope="module")
def table(tmp_path_factory) -> Path:
    return write_tsv(tmp_path_factory.mktemp("ted") / "ted.tsv", ROWS)


@pytest.fixture(scope="module")
def whole(table: Path):
    """The report of the table checked in one piece (TER of 300 rows takes a second: computed once)."""
    return checked(table, None)


@pytest.mark.parametrize("chunk_units", [100, 128, 299])
def test_chunked_table_gets_the_corpus_metrics_of_the_whole_file(table, whole, chunk_units):
    chunked = checked(table, chunk_units)
    expected = sacrebleu_scores(ROWS)
    for report in (chunked, whole):
        assert {key: report.scores[key] for key in expected} == expected
        assert report.scores["reference"] == {"alignment": "units", "rows": 300, "references": 1, "notes": []}
    assert chunked.scores["chunks"] == -(-300 // chunk_units) and "chunks" not in whole.scores
    # the summed statistics are the same numbers, however the file was cut
    assert chunked.metric_statistics["sums"] == whole.metric_statistics["sums"]
    assert 0 < expected["bleu"] < 100 and 0 < expected["ter"] < 100  # a real, imperfect system


def test_statistics_stay_out_of_the_printed_report(table, whole):
    for report in (checked(table, 100), whole):
        printed = json.dumps(report.to_dict())
        assert "sums" not in printed and "statistics" not in report.scores
        assert report.metric_statistics and report.metric_statistics["rows"] == 300


def test_rows_and_whole_chunks_without_a_reference_are_left_out_alike(tmp_path):
    """Chunk 2 (rows 101-200) has no reference at all and a few other rows lack one too."""
    rows = [dict(row, ref="" if 100 <= i < 200 or i % 37 == 5 else row["ref"]) for i, row in enumerate(ROWS)]
    missing = sum(1 for row in rows if not row["ref"])
    table = write_tsv(tmp_path / "partial.tsv", rows)
    chunked, whole = checked(table, 100), checked(table, None)
    expected = sacrebleu_scores(rows)
    for report in (chunked, whole):
        assert {key: report.scores[key] for key in expected} == expected
        assert report.scores["reference"]["rows"] == 300 - missing
        assert report.scores["reference"]["notes"] == [f"{missing} unit(s) without a reference are not scored"]
    assert expected != sacrebleu_scores(ROWS)  # leaving rows out changes the scores: the test can fail


def test_streamed_jsonl_split_documents_and_worker_processes_give_the_same_metrics(tmp_path, table, whole):
    """Chunks checked in two worker processes come back (pickled) with their statistics; a file read
    whole and split (as large XLIFF/PO/TMX files are) merges the same way."""
    lines = write_jsonl(tmp_path / "ted.jsonl", ROWS)
    (split,) = run_batch(split_document(read_path(str(table), CONFIG), 64), CONFIG).documents
    assert split.scores["chunks"] == 5
    for report in (checked(table, 100, workers=2), checked(lines, 100), split):
        assert {key: report.scores[key] for key in METRIC_KEYS} == {key: whole.scores[key] for key in METRIC_KEYS}
