"""qa.metrics: sacrebleu values reproduced exactly, settings chosen by language, references paired."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
import sacrebleu

from qa import metrics
from qa.config import Config
from qa.model import Document, Segment
from qa.readers.text import text_document

DATA = Path(__file__).resolve().parent.parent / "data" / "sacrebleu"
VECTORS = [json.loads(line) for line in (DATA / "unit_vectors.jsonl").read_text(encoding="utf-8").splitlines()
           if line.strip()]


def test_all_68_unit_vectors_are_present() -> None:
    assert len(VECTORS) == 68
    assert {v["metric"] for v in VECTORS} == {"BLEU", "chrF", "TER"}


@pytest.mark.parametrize("vector", VECTORS, ids=[f"{v['id']}-{v['metric']}-{v['level']}" for v in VECTORS])
def test_unit_vector(vector: dict) -> None:
    """Every sacrebleu test vector, computed through qa.metrics with the vector's own parameters."""
    params = dict(vector["params"])
    metric = vector["metric"]
    if metric == "chrF" and params.get("word_order"):
        metric = "chrf++"
    if vector["level"] == "corpus":
        result = metrics.corpus_score(metric, vector["hyps"], vector["refs"], **params)
    else:
        hyp = vector["hyps"][0]
        refs = [stream[0] for stream in vector["refs"]]
        result = metrics.sentence_score(metric, hyp, refs, **params)
    assert result.score == pytest.approx(vector["expected"], abs=vector["tolerance"])
    assert result.signature.startswith(f"nrefs:{len(vector['refs'])}|")


@pytest.mark.parametrize("lang, expected", [
    ("en", "13a"), ("de", "13a"), ("fr-CA", "13a"), ("uk", "13a"), ("ar", "13a"), (None, "13a"),
    ("zh", "zh"), ("zh-Hant", "zh"), ("zh_TW", "zh"),
    ("th", "char"), ("km", "char"), ("my", "char"), ("lo", "char"),
])
def test_tokenizer_follows_target_language(lang: str | None, expected: str) -> None:
    assert metrics.tokenizer_for(lang) == expected


@pytest.mark.parametrize("lang", ["ja", "ko"])
def test_mecab_languages_use_mecab_only_when_installed(lang: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(metrics, "mecab_available", lambda base: False)
    assert metrics.tokenizer_for(lang) == "char"
    monkeypatch.setattr(metrics, "mecab_available", lambda base: base == lang)
    assert metrics.tokenizer_for(lang) == f"{lang}-mecab"
    assert metrics.tokenizer_for("en") == "13a"


def test_mecab_availability_is_what_sacrebleu_can_build() -> None:
    for lang, name in (("ja", "ja-mecab"), ("ko", "ko-mecab")):
        try:
            sacrebleu.BLEU(tokenize=name).corpus_score(["x"], [["x"]])
            buildable = True
        except (RuntimeError, ImportError):
            buildable = False
        assert metrics.mecab_available(lang) is buildable


def test_chinese_bleu_and_ter_split_characters() -> None:
    hyps, refs = ["我喜欢猫。"], [["我很喜欢猫。"]]
    bleu = metrics.corpus_score("bleu", hyps, refs, lang="zh")
    ter = metrics.corpus_score("ter", hyps, refs, lang="zh")
    assert "tok:zh" in bleu.signature
    assert bleu.score == pytest.approx(sacrebleu.corpus_bleu(hyps, refs, tokenize="zh").score)
    assert "norm:yes" in ter.signature and "asian:yes" in ter.signature
    assert 0 < ter.score < 50  # one inserted character of six, not "the whole sentence is wrong"
    assert metrics.corpus_score("ter", hyps, refs, lang="en").score == 100.0


def test_chrf_plus_is_chrf_with_word_bigrams() -> None:
    hyps = ["The cat sat on the mat.", "It was raining in Kyiv."]
    refs = [["The cat was sitting on the mat.", "It rained in Kyiv."]]
    plus = metrics.corpus_score("chrf++", hyps, refs)
    assert metrics.corpus_score("chrf_plus", hyps, refs) == plus
    assert "nw:2" in plus.signature
    assert plus.score == pytest.approx(sacrebleu.corpus_chrf(hyps, refs, word_order=2).score)
    assert "nw:0" in metrics.corpus_score("chrf", hyps, refs).signature


def test_unknown_metric_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown metric"):
        metrics.corpus_score("meteor", ["a"], [["a"]])


def test_multiple_references_give_sacrebleu_multi_reference_scores() -> None:
    hyps = ["The dog bit the man.", "It wasn't surprising.", "The man had just bitten him."]
    refs = [["The dog bit the man.", "It was not unexpected.", "The man bit him first."],
            ["The dog had bit the man.", "No one was surprised.", "The man had bitten the dog."]]
    result = metrics.corpus_score("bleu", hyps, refs)
    assert result.signature.startswith("nrefs:2|")
    assert result.score == pytest.approx(sacrebleu.corpus_bleu(hyps, refs).score, abs=1e-12)
    assert result.score > metrics.corpus_score("bleu", hyps, refs[:1]).score


@pytest.mark.parametrize("text, expected", [
    ("a\nb\n", ["a", "b"]),
    ("a\nb", ["a", "b"]),
    ("a  \r\nb\t\n", ["a", "b"]),
    ("a\n\nb\n", ["a", "", "b"]),
    ("a\nb\n\n", ["a", "b", ""]),
    ("  indented\n", ["  indented"]),
])
def test_text_lines_read_like_the_sacrebleu_cli(text: str, expected: list[str], tmp_path: Path) -> None:
    assert metrics.text_lines(text) == expected
    path = tmp_path / "f.txt"
    path.write_bytes(text.encode("utf-8"))
    with sacrebleu.utils.smart_open(str(path)) as handle:
        assert [line.rstrip() for line in handle] == expected


def _doc(text: str, reference: str, lang: str = "en", extra: list[str] | None = None) -> Document:
    doc = text_document("hyp.txt", text, Config(target_lang=lang), reference_text=reference)
    if extra:
        doc.meta["extra_references"] = extra
    return doc


HYP = ("Residents of Kursk were evacuated on Monday.\n"
       "The governor said that 120 people left the town. Buses took them to Lgov.\n"
       "Schools will stay closed until Friday.\n")


def test_matching_line_counts_pair_lines_like_sacrebleu() -> None:
    ref = ("Residents of Kursk were evacuated on Monday.\n"
           "According to the governor, 120 people left the town; buses took them to Lgov.\n"
           "Schools remain closed until Friday.\n")
    rows = metrics.aligned_rows(_doc(HYP, ref))
    assert rows.method == "lines"
    assert rows.hyps == metrics.text_lines(HYP) and rows.refs == [metrics.text_lines(ref)]
    assert rows.segment_ids == [("1",), ("2", "3"), ("4",)]
    result = metrics.document_metrics(_doc(HYP, ref))
    expected = sacrebleu.corpus_bleu(metrics.text_lines(HYP), [metrics.text_lines(ref)])
    assert result["bleu"] == round(expected.score, 4)
    assert result["signatures"]["bleu"] == "nrefs:1|case:mixed|eff:no|tok:13a|smooth:exp|version:" + sacrebleu.__version__


def test_blank_lines_in_different_places_pair_the_non_empty_lines() -> None:
    ref = ("Residents of Kursk were evacuated on Monday.\n\n"
           "According to the governor, 120 people left the town; buses took them to Lgov.\n\n"
           "Schools remain closed until Friday.\n")
    rows = metrics.aligned_rows(_doc(HYP, ref))
    assert rows.method == "nonempty-lines"
    assert rows.refs[0][2] == "Schools remain closed until Friday."
    assert rows.segment_ids[2] == ("4",)


def test_reference_split_into_other_sentences_is_aligned_by_sentence() -> None:
    """The reference has one sentence per line, the translation whole paragraphs: pairs still match."""
    hyp = ("Residents of Kursk were evacuated on Monday. The governor said that 120 people left the town.\n\n"
           "Buses took them to Lgov, where a school became a shelter. Schools will stay closed until Friday.\n")
    ref = ("Residents of Kursk were evacuated on Monday.\n"
           "According to the governor, 120 people left the town.\n"
           "Buses brought them to Lgov, where a school was turned into a shelter.\n"
           "Schools remain closed until Friday.\n"
           "The authorities promised more buses.\n")
    rows = metrics.aligned_rows(_doc(hyp, ref))
    assert rows.method == "sentences"
    pairs = dict(zip(rows.hyps, rows.refs[0]))
    assert pairs["Schools will stay closed until Friday."].startswith("Schools remain closed until Friday.")
    assert pairs["Residents of Kursk were evacuated on Monday."] == "Residents of Kursk were evacuated on Monday."
    assert "Lgov" in pairs["Buses took them to Lgov, where a school became a shelter."]
    # every reference sentence is scored exactly once, the unmatched last one included
    assert sorted(" ".join(rows.refs[0]).split()) == sorted(ref.split())


def test_several_references_are_aligned_to_common_rows() -> None:
    hyp = "The dog bit the man. It wasn't surprising. The man had just bitten him.\n"
    ref1 = "The dog bit the man.\nIt was not unexpected.\nThe man bit him first.\n"
    ref2 = "The dog had bit the man. No one was surprised.\nThe man had bitten the dog.\n"
    doc = _doc(hyp, ref1, extra=[ref2])
    rows = metrics.aligned_rows(doc)
    assert len(rows.refs) == 2 and all(len(s) == len(rows.hyps) for s in rows.refs)
    assert rows.hyps[-1] == "The man had just bitten him."
    assert rows.refs[0][-1] == "The man bit him first." and rows.refs[1][-1] == "The man had bitten the dog."
    result = metrics.document_metrics(doc)
    assert result["signatures"]["bleu"].startswith("nrefs:2|")
    assert result["reference"]["references"] == 2


def test_common_groups_keep_only_boundaries_shared_by_every_alignment() -> None:
    one = [([0], [0]), ([1], [1]), ([2], [2])]
    two = [([0, 1], [0]), ([2], [1])]
    assert metrics._common_groups(3, [one]) == [(0, 1), (1, 2), (2, 3)]
    assert metrics._common_groups(3, [one, two]) == [(0, 2), (2, 3)]


def test_unpaired_reference_sentences_join_a_neighbouring_row() -> None:
    beads = [([], [0]), ([0], [1]), ([1], []), ([], [2]), ([2], [3])]
    assert metrics._ref_owners(beads, 4) == [0, 0, 1, 2]
    assert metrics._ref_owners([([0], [0, 1]), ([1, 2], [2])], 3) == [0, 0, 1]


@pytest.mark.parametrize("a, b, low", [
    ("Schools will stay closed until Friday.", "Schools remain closed until Friday.", True),
    ("Residents of Kursk were evacuated.", "Residents of Kursk were evacuated.", True),
    ("Schools will stay closed until Friday.", "The governor thanked the volunteers.", False),
])
def test_char_ngram_cost(a: str, b: str, low: bool) -> None:
    cost = metrics.char_ngram_cost(a, b)
    assert 0.0 <= cost <= 1.0
    assert (cost < 0.5) is low
    assert metrics.char_ngram_cost([a], [b]) == cost


def test_unit_references_are_paired_by_unit() -> None:
    segments = (Segment("u1", 0, 12, "Guten Morgen", kind="unit", reference="Guten Morgen"),
                Segment("u2", 13, 25, "Kein Verweis", kind="unit"),
                Segment("u3", 26, 44, "Das Haus ist groß.", kind="unit", reference="Das Haus ist gross."))
    doc = Document("t.tsv", "Guten Morgen\nKein Verweis\nDas Haus ist groß.", segments,
                   target_lang="de", unit_based=True)
    rows = metrics.aligned_rows(doc)
    assert rows.method == "units" and rows.segment_ids == [("u1",), ("u3",)]
    assert rows.notes == ["1 unit(s) without a reference are not scored"]
    result = metrics.document_metrics(doc)
    expected = sacrebleu.corpus_chrf(["Guten Morgen", "Das Haus ist groß."], [["Guten Morgen", "Das Haus ist gross."]])
    assert result["chrf"] == round(expected.score, 4)
    assert set(result["sentence_scores"]) == {"u1", "u3"}
    assert result["sentence_scores"]["u1"]["chrf"] == 100.0


def test_no_reference_means_no_metrics() -> None:
    doc = text_document("hyp.txt", HYP, Config(target_lang="en"))
    assert metrics.aligned_rows(doc) is None
    assert metrics.document_metrics(doc) is None


def test_document_metrics_contract() -> None:
    result = metrics.document_metrics(_doc(HYP, HYP))
    assert {"bleu", "chrf", "chrf_plus", "ter", "signatures", "reference", "sentence_scores"} <= set(result)
    assert result["bleu"] == 100.0 and result["chrf"] == 100.0 and result["ter"] == 0.0
    assert set(result["signatures"]) == {"bleu", "chrf", "chrf_plus", "ter"}
    assert all("version:" in s for s in result["signatures"].values())


def test_thai_reports_no_ter() -> None:
    text = "สวัสดีครับ ผมชื่อสมชาย\n"
    result = metrics.document_metrics(_doc(text, text, lang="th"))
    assert result["ter"] is None and "ter" not in result["signatures"]
    assert "tok:char" in result["signatures"]["bleu"]
    assert result["reference"]["notes"]


def test_a_reference_column_left_empty_is_no_reference() -> None:
    """Units whose reference cells are all empty are not scored against blank lines."""
    segments = (Segment("u1", 0, 12, "Guten Morgen", kind="unit", reference=""),
                Segment("u2", 13, 25, "Kein Verweis", kind="unit", reference=""))
    doc = Document("t.tsv", "Guten Morgen\nKein Verweis", segments, target_lang="de", unit_based=True,
                   reference_text="\n")
    assert metrics.aligned_rows(doc) is None and metrics.document_metrics(doc) is None


# --- corpus scores from summed statistics (files checked in chunks) ---------------------------

SPLITTABLE = [v for v in VECTORS if v["level"] == "corpus" and len(v["hyps"]) > 1]


@pytest.mark.parametrize("vector", SPLITTABLE, ids=[f"{v['id']}-{v['metric']}" for v in SPLITTABLE])
def test_statistics_of_any_split_add_up_to_the_corpus_score(vector: dict) -> None:
    """Cut each multi-sentence sacrebleu test corpus at every point: the summed statistics give its score."""
    params = dict(vector["params"])
    metric = "chrf++" if vector["metric"] == "chrF" and params.get("word_order") else vector["metric"]
    hyps, refs = vector["hyps"], vector["refs"]
    whole = metrics.corpus_score(metric, hyps, refs, **params)
    for cut in range(1, len(hyps)):
        (_, head), (_, tail) = (metrics.corpus_statistics(metric, hyps[a:b], [s[a:b] for s in refs], **params)
                                for a, b in ((0, cut), (cut, len(hyps))))
        total = [x + y for x, y in zip(head, tail)]
        merged = metrics.score_from_statistics(metric, total, len(refs), **params)
        assert merged.score == whole.score
        assert merged.score == pytest.approx(vector["expected"], abs=vector["tolerance"])
        assert merged.signature == whole.signature


def _units(rows: list[tuple[str, str]], lang: str) -> Document:
    segments, start = [], 0
    for i, (hyp, ref) in enumerate(rows):
        segments.append(Segment(f"u{i}", start, start + len(hyp), hyp, kind="unit", reference=ref))
        start += len(hyp) + 1
    return Document("t.tsv", "\n".join(h for h, _ in rows), tuple(segments), target_lang=lang, unit_based=True,
                    reference_text="\n".join(r for _, r in rows))


CHUNK_ROWS = [
    ("Die Schulen bleiben bis Freitag geschlossen.", "Die Schulen bleiben bis Freitag zu."),
    ("Der Gouverneur sagte, 120 Menschen hätten die Stadt verlassen.",
     "Laut dem Gouverneur haben 120 Menschen die Stadt verlassen."),
    ("Busse brachten sie nach Lgow.", "Busse brachten sie nach Lgow."),
    ("Die Behörden versprachen mehr Busse.", "Die Behörden haben weitere Busse versprochen."),
]


def test_merged_chunk_metrics_equal_the_whole_document() -> None:
    whole = metrics.document_metrics(_units(CHUNK_ROWS, "de"))
    blocks = [metrics.document_metrics(_units(CHUNK_ROWS[:1], "de"))["statistics"],
              metrics.document_metrics(_units(CHUNK_ROWS[1:], "de"))["statistics"]]
    merged = metrics.merge_document_metrics(blocks)
    assert {k: merged[k] for k in ("bleu", "chrf", "chrf_plus", "ter", "signatures", "reference")} == \
           {k: whole[k] for k in ("bleu", "chrf", "chrf_plus", "ter", "signatures", "reference")}
    assert merged["statistics"]["sums"] == whole["statistics"]["sums"]
    assert metrics.merge_document_metrics([]) is None


def test_chunks_scored_with_other_settings_are_not_combined() -> None:
    """A chunk whose language came out differently was tokenised differently: its BLEU/TER do not add up."""
    blocks = [metrics.document_metrics(_units(CHUNK_ROWS[:2], "de"))["statistics"],
              metrics.document_metrics(_units(CHUNK_ROWS[2:], "zh"))["statistics"]]
    merged = metrics.merge_document_metrics(blocks)
    assert merged["bleu"] is None and merged["ter"] is None and "bleu" not in merged["signatures"]
    hyps, refs = [h for h, _ in CHUNK_ROWS], [[r for _, r in CHUNK_ROWS]]
    assert merged["chrf"] == round(sacrebleu.corpus_chrf(hyps, refs).score, 4)  # chrF needs no tokeniser
    assert any(note.startswith("bleu is not combined") for note in merged["reference"]["notes"])
