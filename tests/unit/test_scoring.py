"""qa.scoring: MQM points per finding, per-word normalisation, model deductions, per-segment scores."""
from __future__ import annotations

from dataclasses import dataclass

import pytest

from qa import scoring
from qa.config import Config
from qa.context import CheckContext
from qa.model import Category, Document, Finding, Severity
from qa.readers.text import text_document

TEXT = ("The governor said that 120 people had left the town on Monday morning.\n\n"
        "Buses took them to Lgov , where a school became a shelter for the night.\n\n"
        "Schools will stay closed until Friday, the mayor added.\n")


def _doc(text: str = TEXT, lang: str = "en") -> Document:
    return text_document("t.txt", text, Config(target_lang=lang))


def _finding(doc: Document, needle: str, severity: str = "major", rule: str = "pronoun-gender-leak",
             confidence: float = 1.0, category: Category = Category.ACCURACY) -> Finding:
    start = doc.text.index(needle)
    seg = doc.segment_at(start)
    return Finding(code="QA100", rule=rule, category=category, severity=Severity(severity), start=start,
                   end=start + len(needle), text=needle, message="m", confidence=confidence,
                   segment_id=seg.id if seg else None)


@dataclass
class _Flu:
    fluency: float
    perplexity: float = 30.0


@dataclass
class _Ade:
    adequacy: float


def _score(doc: Document, findings: list[Finding], config: Config | None = None, fluency=None, adequacy=None,
           metrics=None):
    ctx = CheckContext(config=config or Config(), fluency=fluency or {}, adequacy=adequacy or {})
    return scoring.score_document(doc, findings, ctx, metrics, config or Config())


@pytest.mark.parametrize("rule, severity, points", [
    ("pronoun-gender-leak", "minor", 1.0),
    ("pronoun-gender-leak", "major", 5.0),
    ("name-misspelling", "critical", 10.0),
    ("untranslated-text", "major", 25.0),
    ("untranslated-text", "critical", 25.0),
    ("untranslated-text", "minor", 1.0),
    ("target-identical-to-source", "major", 25.0),
    ("punctuation-spacing", "minor", 0.1),
    ("quote-style-mixed", "minor", 0.1),
    ("spacing-double", "minor", 0.1),
    ("punctuation-spacing", "major", 5.0),
    ("repeated-word", "minor", 1.0),
])
def test_mqm_points_per_finding(rule: str, severity: str, points: float) -> None:
    doc = _doc()
    finding = _finding(doc, "Lgov", severity=severity, rule=rule)
    assert scoring.penalty(finding, scoring.DEFAULT_PENALTIES) == pytest.approx(points)


def test_confidence_scales_the_points_and_internal_errors_cost_nothing() -> None:
    doc = _doc()
    assert scoring.penalty(_finding(doc, "Lgov", confidence=0.6), scoring.DEFAULT_PENALTIES) == pytest.approx(3.0)
    internal = _finding(doc, "Lgov", category=Category.INTERNAL)
    assert scoring.penalty(internal, scoring.DEFAULT_PENALTIES) == 0.0


def test_clean_text_without_a_model_scores_100() -> None:
    scores, rows = _score(_doc(), [])
    assert scores["quality"] == 100.0 and scores["mqm_penalty"] == 0.0 and scores["model_penalty"] == 0.0
    assert scores["fluency"] is None and scores["bleu"] is None and scores["signatures"] == {}
    assert [r.quality for r in rows] == [100.0, 100.0, 100.0]


def test_points_are_normalised_per_evaluated_word() -> None:
    doc = _doc()
    words = scoring.word_count(TEXT)
    scores, rows = _score(doc, [_finding(doc, "Lgov"), _finding(doc, " ,", severity="minor", rule="punctuation-spacing")])
    assert scores["words"] == words
    assert scores["mqm_penalty"] == pytest.approx(5.1)
    assert scores["quality"] == pytest.approx(round(100 - 100 * 5.1 / words, 2))
    seg_words = scoring.word_count(rows[1].text)
    assert rows[1].quality == pytest.approx(100 - 100 * 5.1 / seg_words)
    assert rows[0].quality == 100.0 and rows[2].quality == 100.0


def test_a_long_document_loses_less_for_the_same_error() -> None:
    short = _doc("Buses took them to Lgov.\n")
    long = _doc(TEXT * 5)
    short_q = _score(short, [_finding(short, "Lgov")])[0]["quality"]
    long_q = _score(long, [_finding(long, "Lgov")])[0]["quality"]
    assert short_q < 50 < 95 < long_q < 100


def test_quality_never_goes_below_zero() -> None:
    doc = _doc("Gestern war es kalt.\n", lang="en")
    scores, rows = _score(doc, [_finding(doc, "Gestern war es kalt.", rule="untranslated-text")])
    assert scores["quality"] == 0.0 and rows[0].quality == 0.0 and scores["mqm_penalty"] == 25.0


def test_a_non_translation_costs_25_per_segment_it_covers() -> None:
    doc = _doc()
    start = doc.text.index("Buses")
    end = doc.text.index("added.") + len("added.")
    finding = Finding(code="QA301", rule="untranslated-text", category=Category.ACCURACY, severity=Severity.MAJOR,
                      start=start, end=end, text=doc.text[start:end], message="m", segment_id=doc.segment_at(start).id)
    scores, rows = _score(doc, [finding])
    assert scores["mqm_penalty"] == 50.0
    assert [r.quality for r in rows] == [100.0, 0.0, 0.0]


def test_penalties_are_configurable() -> None:
    doc = _doc()
    config = Config(penalties={"major": 2, "minor_punctuation": 0})
    findings = [_finding(doc, "Lgov"), _finding(doc, " ,", severity="minor", rule="punctuation-spacing")]
    scores, _ = _score(doc, findings, config)
    assert scores["mqm_penalty"] == pytest.approx(2.0)


def test_fluency_deducts_points_in_proportion_to_its_shortfall() -> None:
    doc = _doc()
    ids = [s.id for s in doc.segments]
    words = [scoring.word_count(s.text) for s in doc.segments]
    perfect = {i: _Flu(100.0) for i in ids}
    scores, rows = _score(doc, [], fluency=perfect)
    assert scores["quality"] == 100.0 and scores["model_penalty"] == 0.0
    garbled = dict(perfect, **{ids[1]: _Flu(10.0)})
    scores, rows = _score(doc, [], fluency=garbled)
    assert rows[1].quality == pytest.approx(100 - 0.2 * (100 - 10))
    assert rows[0].quality == 100.0
    assert scores["model_penalty"] == pytest.approx(round(words[1] * 0.2 * 0.9, 2))
    assert scores["mqm_penalty"] == 0.0 and scores["mqm_quality"] == 100.0
    assert scores["quality"] == pytest.approx(round(100 - 100 * words[1] * 0.2 * 0.9 / sum(words), 2))
    assert rows[1].fluency == 10.0 and rows[1].perplexity == 30.0
    typical = {i: _Flu(60.0) for i in ids}
    assert _score(doc, [], fluency=typical)[0]["quality"] == pytest.approx(100 - 0.2 * 40)


def test_more_fluent_never_scores_lower() -> None:
    doc = _doc()
    ids = [s.id for s in doc.segments]
    qualities = [_score(doc, [], fluency={i: _Flu(f) for i in ids})[0]["quality"] for f in (0, 20, 45, 50, 70, 99)]
    assert qualities == sorted(qualities) and qualities[0] == 80.0


def test_fluency_weight_zero_ignores_the_model() -> None:
    doc = _doc()
    garbled = {s.id: _Flu(5.0) for s in doc.segments}
    scores, _ = _score(doc, [], Config(fluency_weight=0.0), fluency=garbled)
    assert scores["quality"] == 100.0 and scores["fluency"] == 5.0


def test_adequacy_counts_with_its_own_weight() -> None:
    doc = _doc()
    ids = [s.id for s in doc.segments]
    adequacy = {ids[0]: _Ade(0.0)}
    default, rows = _score(doc, [], adequacy=adequacy)
    assert rows[0].quality == pytest.approx(100 - 0.2 * 100) and rows[0].adequacy == 0.0
    heavier, _ = _score(doc, [], Config(adequacy_weight=0.5), adequacy=adequacy)
    assert heavier["quality"] < default["quality"] < 100
    assert default["adequacy"] == 0.0


def test_findings_and_model_add_up() -> None:
    doc = _doc()
    ids = [s.id for s in doc.segments]
    _, rows = _score(doc, [_finding(doc, "Lgov")], fluency={ids[1]: _Flu(30.0)})
    seg_words = scoring.word_count(rows[1].text)
    assert rows[1].quality == pytest.approx(100 - 100 * 5 / seg_words - 0.2 * 70)


def test_document_fluency_is_word_weighted() -> None:
    doc = _doc()
    ids = [s.id for s in doc.segments]
    words = [scoring.word_count(s.text) for s in doc.segments]
    scores, _ = _score(doc, [], fluency={ids[0]: _Flu(90.0), ids[2]: _Flu(30.0)})
    assert scores["fluency"] == pytest.approx(round((90 * words[0] + 30 * words[2]) / (words[0] + words[2]), 2))


def test_finding_without_segment_id_is_placed_by_offset() -> None:
    doc = _doc()
    finding = _finding(doc, "Lgov")
    loose = Finding(**{**finding.__dict__, "segment_id": None})
    _, rows = _score(doc, [loose])
    assert rows[1].quality < 100 and rows[0].quality == 100


def test_reference_metrics_join_the_scores_and_sentence_scores_go_to_segments() -> None:
    doc = _doc()
    ids = [s.id for s in doc.segments]
    metrics = {"bleu": 31.5, "chrf": 58.2, "chrf_plus": 55.0, "ter": 52.0,
               "signatures": {"bleu": "nrefs:1|case:mixed|eff:no|tok:13a|smooth:exp|version:2.6.0"},
               "reference": {"alignment": "lines"},
               "sentence_scores": {ids[0]: {"bleu": 40.0, "chrf": 61.234}}}
    scores, rows = _score(doc, [], metrics=metrics)
    assert scores["bleu"] == 31.5 and scores["chrf_plus"] == 55.0 and scores["signatures"]["bleu"].startswith("nrefs")
    assert "sentence_scores" not in scores
    assert rows[0].to_dict()["chrf"] == 61.23 and "chrf" not in rows[1].to_dict()
    assert scores["quality"] == 100.0  # a reference does not change the quality score
