"""The published WMT17 en-de scores of every system, reproduced through qa.metrics.

``expected_scores.tsv`` holds, per system, the officially published mteval-v13a BLEU (two
decimals) and tercom TER (a fraction, three decimals), the chrF / chrF++ of the original
``chrF++.py`` (epsilon smoothing; published for two systems), and sacrebleu 2.6.0's own values
(four decimals). qa.metrics must give all of them with German as the target language.
"""
from __future__ import annotations

import csv
from functools import lru_cache
from pathlib import Path

import pytest

from qa import metrics

WMT = Path(__file__).resolve().parent.parent / "data" / "sacrebleu" / "wmt17_en-de"
with open(WMT / "expected_scores.tsv", encoding="utf-8", newline="") as _handle:
    ROWS = list(csv.DictReader(_handle, delimiter="\t"))
IDS = [row["system"].split(".")[1] for row in ROWS]
# Two systems run in quick local runs (QA_FAST=1); the rest are marked slow (CI runs them all).
QUICK = {"C-3MA", "uedin-nmt"}


def _cases(quick: set[str]) -> list:
    return [pytest.param(row, id=name, marks=() if name in quick else pytest.mark.slow)
            for row, name in zip(ROWS, IDS)]


@lru_cache(maxsize=None)
def _lines(name: str) -> list[str]:
    return metrics.text_lines((WMT / name).read_text(encoding="utf-8"))


def _score(metric: str, row: dict, **params) -> float:
    return metrics.corpus_score(metric, _lines(row["file"]), [_lines("newstest2017.en-de.ref.de")],
                                lang="de", **params).score


def _value(text: str) -> float | None:
    return float(text) if text.strip() else None


def test_every_system_is_listed_with_its_output() -> None:
    assert len(ROWS) >= 15
    for row in ROWS:
        assert len(_lines(row["file"])) == len(_lines("newstest2017.en-de.ref.de")) == 3004


@pytest.mark.parametrize("row", _cases(QUICK))
def test_published_bleu_and_chrf(row: dict) -> None:
    bleu = _score("bleu", row)
    assert round(bleu, 2) == pytest.approx(float(row["published_bleu_mteval13a"]), abs=1e-9)
    assert bleu == pytest.approx(float(row["sacrebleu260_bleu"]), abs=5e-5)
    assert _score("chrf", row) == pytest.approx(float(row["sacrebleu260_chrf"]), abs=5e-5)
    assert _score("chrf++", row) == pytest.approx(float(row["sacrebleu260_chrfpp"]), abs=5e-5)
    chrf_eps = _score("chrf", row, eps_smoothing=True)
    chrfpp_eps = _score("chrf++", row, eps_smoothing=True)
    assert chrf_eps == pytest.approx(float(row["sacrebleu260_chrf_eps"]), abs=5e-5)
    assert chrfpp_eps == pytest.approx(float(row["sacrebleu260_chrfpp_eps"]), abs=5e-5)
    for published, ours in ((row["published_chrf_eps"], chrf_eps), (row["published_chrfpp_eps"], chrfpp_eps)):
        if _value(published) is not None:
            assert ours == pytest.approx(_value(published), abs=5e-5)


@pytest.mark.parametrize("row", _cases({"uedin-nmt"}))
def test_published_ter(row: dict) -> None:
    ter = _score("ter", row)
    assert round(ter / 100, 3) == pytest.approx(float(row["published_ter"]), abs=1e-9)
    assert ter == pytest.approx(float(row["sacrebleu260_ter"]), abs=5e-5)
