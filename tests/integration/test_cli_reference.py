"""``qa check HYP --reference REF --format json`` reports what the ``sacrebleu`` CLI reports on the same files."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
import sacrebleu

ROOT = Path(__file__).resolve().parent.parent.parent
WMT = ROOT / "tests" / "data" / "sacrebleu" / "wmt17_en-de"
REF = "newstest2017.en-de.ref.de"
LINES = 400


def _run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, *args], cwd=ROOT, capture_output=True, text=True, timeout=900)


def _qa_scores(hyp: Path, *refs: Path, lang: str = "de") -> dict:
    args = ["-m", "qa", "check", str(hyp), "--format", "json", "--no-fluency", "--fail-on", "never",
            "--target-lang", lang]
    for ref in refs:
        args += ["--reference", str(ref)]
    done = _run(*args)
    assert done.returncode == 0, done.stderr
    document = json.loads(done.stdout)["documents"][0]
    assert document["errors"] == []
    return document["scores"]


def _sacrebleu_cli(hyp: Path, *refs: Path) -> dict[str, dict]:
    """Scores and signatures printed by the sacrebleu command line (4 decimals)."""
    common = ["-m", "sacrebleu", *map(str, refs), "-i", str(hyp), "-w", "4", "-f", "json"]
    first = _run(*common, "-m", "bleu", "chrf", "ter")
    plus = _run(*common, "-m", "chrf", "--chrf-word-order", "2")
    assert first.returncode == 0 and plus.returncode == 0, first.stderr + plus.stderr
    bleu, chrf, ter = json.loads(first.stdout)
    return {"bleu": bleu, "chrf": chrf, "ter": ter, "chrf_plus": json.loads(plus.stdout)}


def _head(tmp_path: Path, name: str, lines: int = LINES) -> Path:
    text = (WMT / name).read_text(encoding="utf-8").split("\n")[:lines]
    path = tmp_path / name
    path.write_text("\n".join(text) + "\n", encoding="utf-8")
    return path


@pytest.mark.parametrize("system", ["newstest2017.uedin-nmt.4722.en-de.de.txt",
                                    "newstest2017.PROMT-Rule-based.4735.en-de.de.txt"])
def test_line_aligned_files_match_the_sacrebleu_cli(system: str, tmp_path: Path) -> None:
    hyp, ref = _head(tmp_path, system), _head(tmp_path, REF)
    ours = _qa_scores(hyp, ref)
    theirs = _sacrebleu_cli(hyp, ref)
    for metric, cli in theirs.items():
        assert f"{ours[metric]:.4f}" == f"{cli['score']:.4f}", metric
        assert ours["signatures"][metric] == cli["signature"], metric
    assert ours["reference"]["alignment"] == "lines" and ours["reference"]["rows"] == LINES


def test_two_references_match_the_sacrebleu_cli(tmp_path: Path) -> None:
    hyp = _head(tmp_path, "newstest2017.online-B.0.en-de.de.txt", 150)
    ref = _head(tmp_path, REF, 150)
    second = _head(tmp_path, "newstest2017.uedin-nmt.4722.en-de.de.txt", 150)  # a stand-in second reference
    ours = _qa_scores(hyp, ref, second)
    theirs = _sacrebleu_cli(hyp, ref, second)
    for metric, cli in theirs.items():
        assert f"{ours[metric]:.4f}" == f"{cli['score']:.4f}", metric
        assert ours["signatures"][metric] == cli["signature"] and cli["signature"].startswith("nrefs:2|")


def test_crlf_trailing_spaces_and_blank_lines_are_read_like_the_cli(tmp_path: Path) -> None:
    hyp = tmp_path / "hyp.txt"
    ref = tmp_path / "ref.txt"
    hyp.write_bytes("Die Schulen bleiben bis Freitag geschlossen.  \r\n\r\nDer Gouverneur dankte den Helfern.\r\n"
                    .encode("utf-8"))
    ref.write_bytes("Die Schulen bleiben bis Freitag zu.\n\nDer Gouverneur dankte allen Freiwilligen.\n"
                    .encode("utf-8"))
    ours = _qa_scores(hyp, ref)
    theirs = _sacrebleu_cli(hyp, ref)
    for metric, cli in theirs.items():
        assert f"{ours[metric]:.4f}" == f"{cli['score']:.4f}", metric


def test_reference_with_other_line_breaks_is_aligned_by_sentence(tmp_path: Path) -> None:
    """The translation as paragraphs of three lines, the reference one sentence per line."""
    hyp_lines = (WMT / "newstest2017.uedin-nmt.4722.en-de.de.txt").read_text(encoding="utf-8").split("\n")[:120]
    ref_lines = (WMT / REF).read_text(encoding="utf-8").split("\n")[:120]
    hyp = tmp_path / "hyp.txt"
    ref = tmp_path / "ref.txt"
    hyp.write_text("\n\n".join(" ".join(hyp_lines[i:i + 3]) for i in range(0, 120, 3)) + "\n", encoding="utf-8")
    ref.write_text("\n".join(ref_lines) + "\n", encoding="utf-8")
    ours = _qa_scores(hyp, ref)
    assert ours["reference"]["alignment"] == "sentences"
    truth = sacrebleu.corpus_chrf(hyp_lines, [ref_lines]).score
    shifted = sacrebleu.corpus_chrf(hyp_lines[1:], [ref_lines[:-1]]).score  # pairs off by one sentence
    assert abs(ours["chrf"] - truth) < 1.0 < truth - shifted
    assert abs(ours["bleu"] - sacrebleu.corpus_bleu(hyp_lines, [ref_lines]).score) < 1.0


def test_a_byte_order_mark_is_not_part_of_the_first_segment(tmp_path: Path) -> None:
    """qa reads UTF-8 with or without a BOM as the same text; the sacrebleu CLI glues the BOM to
    the first word. online-A's output starts with a BOM: qa scores it as the text without it."""
    hyp, ref = _head(tmp_path, "newstest2017.online-A.0.en-de.de.txt", 150), _head(tmp_path, REF, 150)
    assert hyp.read_bytes().startswith(b"\xef\xbb\xbf")
    ours = _qa_scores(hyp, ref)
    hyps = [line.rstrip() for line in hyp.read_text(encoding="utf-8-sig").split("\n")[:150]]
    refs = [line.rstrip() for line in ref.read_text(encoding="utf-8").split("\n")[:150]]
    assert f"{ours['bleu']:.4f}" == f"{sacrebleu.corpus_bleu(hyps, [refs]).score:.4f}"
    assert hyps[0].startswith("28 Jahre")


def test_text_report_shows_the_reference_metrics(tmp_path: Path) -> None:
    hyp, ref = _head(tmp_path, "newstest2017.uedin-nmt.4722.en-de.de.txt", 50), _head(tmp_path, REF, 50)
    done = _run("-m", "qa", "check", str(hyp), "--reference", str(ref), "--no-fluency", "--fail-on", "never",
                "--target-lang", "de")
    assert done.returncode == 0, done.stderr
    expected = sacrebleu.corpus_bleu(*[[l.rstrip() for l in p.read_text(encoding="utf-8").splitlines()] for p in (hyp,)],
                                     [[l.rstrip() for l in ref.read_text(encoding="utf-8").splitlines()]])
    assert f"BLEU {expected.score:.1f}" in done.stdout
