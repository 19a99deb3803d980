"""Adequacy scoring and its checks, with a fake scorer that knows a tiny bilingual dictionary.

The fake scorer gives every word token a log-probability: given the other side in the prompt,
a word whose dictionary translation appears in that context is likely (-1 nat), any other
word very unlikely (-16); given only the language label, every word gets -6. This is the
behaviour the real model shows in the large, so the arithmetic, offsets, alignment and the
document-relative thresholds can be tested exactly.
"""
from __future__ import annotations

import re

import pytest

from qa import Config, check
from qa.adequacy import (SegmentAdequacy, calibrate, pair_adequacy, prompts, score_pairs, score_segments,
                         segment_pairs, token_excess, word_evidence)
from qa.fluency import TokenScores
from qa.model import Document, Segment
from qa.readers.text import text_document

PAIRS = [
    ("cat", "Katze"), ("dog", "Hund"), ("sleeps", "schläft"), ("garden", "Garten"), ("the", "die"),
    ("the", "der"), ("the", "dem"), ("the", "das"), ("in", "im"), ("house", "Haus"), ("is", "ist"), ("big", "groß"),
    ("old", "alte"), ("tree", "Baum"), ("under", "unter"), ("red", "rote"), ("car", "Auto"),
    ("chat", "cat"), ("dort", "sleeps"), ("le", "the"), ("jardin", "garden"), ("dans", "in"),
    ("today", "heute"), ("very", "sehr"), ("small", "klein"), ("a", "ein"), ("a", "eine"),
]
LEXICON: dict[str, set[str]] = {}
for a, b in PAIRS:
    LEXICON.setdefault(a.lower(), set()).add(b.lower())
    LEXICON.setdefault(b.lower(), set()).add(a.lower())

WORD = re.compile(r"\w+", re.UNICODE)


class FakeScorer:
    """Scores words by whether their dictionary translation occurs in the context."""

    name = "fake"
    languages = ("*",)

    def __init__(self) -> None:
        self.calls = 0
        self.contexts: list[str] = []

    def token_logprobs(self, texts, contexts=None):
        self.calls += 1
        contexts = contexts or [""] * len(texts)
        self.contexts.extend(contexts)
        return [self._score(t, c) for t, c in zip(texts, contexts)]

    @staticmethod
    def _score(text: str, context: str) -> TokenScores:
        """Causal, like a language model: a word on the fourth line of the prompt or later
        (label, other side, label, this side) is scored against the second line's words."""
        full, offset = context + text, len(context)
        tokens, spans, logprobs = [], [], []
        for m in WORD.finditer(text):
            lines = full[:offset + m.start()].split("\n")
            other_side = {w.lower() for w in WORD.findall(lines[1])} if len(lines) >= 4 else set()
            word = m.group().lower()
            if not other_side:
                lp = -6.0
            elif LEXICON.get(word, set()) & other_side:
                lp = -1.0
            else:
                lp = -16.0
            tokens.append(m.group())
            spans.append(m.span())
            logprobs.append(lp)
        return TokenScores(tokens, spans, logprobs)


@pytest.fixture
def scorer() -> FakeScorer:
    return FakeScorer()


# --------------------------------------------------------------------------------------------
# prompts and token arithmetic


def test_prompts_name_both_languages_and_carry_the_other_side():
    p = prompts("The cat sleeps.", "Die Katze schläft.", "en", "de")
    assert p["target_given_source"] == "English:\nThe cat sleeps.\nGerman:\n"
    assert p["source_given_target"] == "German:\nDie Katze schläft.\nEnglish:\n"
    assert p["target_alone"] == "German:\n" and p["source_alone"] == "English:\n"


def test_prompts_with_unknown_or_equal_languages_stay_distinct():
    p = prompts("a", "b", None, None)
    assert p["target_alone"] != p["source_alone"]
    q = prompts("a", "b", "en", "en")
    assert q["target_alone"] != q["source_alone"]


@pytest.mark.parametrize("cond,alone,expected", [
    (-1.0, -6.0, 0.0),     # the source made it likely
    (-9.0, -8.5, -3.0),    # unlikely and not helped by the source
    (-9.0, -12.0, 0.0),    # unlikely, but the source raised it by 3 nats: supported
    (-5.0, -5.5, 0.0),     # above the floor
])
def test_token_excess(cond, alone, expected):
    assert token_excess(cond, alone) == pytest.approx(expected)


def test_word_evidence_sums_subword_tokens_into_words():
    text = "Unbelievable news"
    cond = TokenScores(["Un", "believ", "able", " news"], [(0, 2), (2, 8), (8, 12), (12, 17)],
                       [-10.0, -5.0, -1.0, -2.0])
    alone = TokenScores(cond.tokens, cond.spans, [-10.0, -5.0, -1.0, -2.0])
    words = word_evidence(text, cond, alone)
    assert [w.text for w in words] == ["Unbelievable", "news"]
    assert words[0].excess == pytest.approx(-4.0)
    assert words[1].excess == 0.0
    assert all(text[w.start:w.end] == w.text for w in words)


# --------------------------------------------------------------------------------------------
# pair scores


def test_correct_translation_scores_higher_than_a_wrong_one(scorer):
    good, bad = score_pairs(["The cat sleeps in the garden."] * 2,
                            ["Die Katze schläft im Garten.", "Der Hund schläft im Auto."], "en", "de", scorer)
    assert good.adequacy > bad.adequacy
    assert good.evidence == 0.0 and bad.evidence < 0.0
    assert {w.text for w in bad.unsupported} == {"Hund", "Auto"}
    assert 0.0 <= bad.adequacy < good.adequacy <= 100.0


def test_omitted_source_words_are_uncovered(scorer):
    [result] = score_pairs(["The little red car is in the garden."], ["Das Auto ist im Garten."], "en", "de", scorer)
    assert [w.text for w in result.uncovered] == ["little"]  # content words only ("red" is short)
    assert result.source_coverage == pytest.approx(0.5)  # of the content words {little, garden}
    assert all(result.source[w.start:w.end] == w.text for w in result.uncovered)
    assert result.unsupported == ()


def test_score_pairs_reads_all_pairs_in_both_directions_in_one_call(scorer):
    score_pairs(["The cat.", "The dog.", "A tree."], ["Die Katze.", "Der Hund.", "Ein Baum."], "en", "de", scorer)
    assert scorer.calls == 1
    assert sorted(scorer.contexts) == ["English:\n"] * 3 + ["German:\n"] * 3


def test_a_pass_is_split_into_its_two_texts_and_the_label_is_dropped():
    from qa.adequacy import _passes, _split

    text, first_end, second_start = _passes("The cat.", "Die Katze.", "German")
    assert text == "The cat.\nGerman:\nDie Katze."
    # tokens as a tokenizer might cut them: one straddles the end of the first text
    cuts = [(0, 3), (3, 7), (7, 9), (9, 15), (15, 17), (17, 20), (20, 26), (26, 27)]
    scores = TokenScores([text[a:b] for a, b in cuts], cuts, [-1.0, -2.0, -3.0, -4.0, -5.0, -6.0, -7.0, -8.0])
    first, second = _split(scores, first_end, second_start)
    assert first.spans == [(0, 3), (3, 7), (7, 8)] and first.logprobs == [-1.0, -2.0, -3.0]
    assert second.tokens == ["Die", " Katze", "."] and second.spans == [(0, 3), (3, 9), (9, 10)]
    assert second.logprobs == [-6.0, -7.0, -8.0]


def test_score_pairs_rejects_mismatched_lengths(scorer):
    with pytest.raises(ValueError):
        score_pairs(["a"], [], "en", "de", scorer)


def test_expected_points_grow_with_length_and_with_weak_support(scorer):
    from qa.adequacy import expected_points, quality_estimate

    short, long_, bad = score_pairs(["The cat sleeps.", "The cat sleeps in the garden under the old tree.",
                                     "The cat sleeps in the garden under the old tree."],
                                    ["Die Katze schläft.", "Die Katze schläft im Garten unter dem alten Baum.",
                                     "Die Katze schläft heute im Auto unter dem roten Haus."], "en", "de", scorer)
    assert expected_points(short) < expected_points(long_) < expected_points(bad)
    assert expected_points(long_, fluency_logprob=-2.0) < expected_points(long_, fluency_logprob=-6.0)
    assert 0.0 <= quality_estimate(bad) < quality_estimate(long_) <= 100.0


def test_calibrate_is_monotonic_and_bounded():
    values = [calibrate(x) for x in (-20.0, -5.0, -2.0, -1.0, 0.0)]
    assert values == sorted(values)
    assert 0.0 <= values[0] < 5.0 and values[-1] > 80.0


# --------------------------------------------------------------------------------------------
# documents: unit-based and aligned text


def _unit_doc(pairs: list[tuple[str, str]]) -> Document:
    segments, text, pos = [], "", 0
    for i, (src, tgt) in enumerate(pairs):
        segments.append(Segment(id=str(i + 1), start=pos, end=pos + len(tgt), text=tgt, kind="unit", source=src))
        text += tgt + "\n"
        pos = len(text)
    return Document(path="units.tsv", text=text, segments=tuple(segments), target_lang="de",
                    source_lang="en", unit_based=True)


def test_unit_documents_use_each_segments_source(scorer):
    doc = _unit_doc([("The cat sleeps.", "Die Katze schläft."), ("The dog sleeps.", "Das Haus ist groß.")])
    scores = score_segments(doc, scorer)
    assert set(scores) == {"1", "2"}
    assert scores["1"].source == "The cat sleeps."
    assert scores["1"].adequacy > scores["2"].adequacy


def test_unknown_source_language_is_detected_for_the_prompt(scorer):
    doc = _unit_doc([("The cat is sleeping in the garden under the old tree.", "Die Katze schläft im Garten."),
                     ("The government raised taxes on small businesses last year.", "Die Regierung erhöhte Steuern.")])
    doc = Document(path=doc.path, text=doc.text, segments=doc.segments, target_lang="de", source_lang=None,
                   unit_based=True)
    score_segments(doc, scorer)
    assert "English:\n" in scorer.contexts and "German:\n" in scorer.contexts


def test_text_documents_are_aligned_sentence_by_sentence(scorer):
    source = "The cat sleeps in the garden. The dog is very small. The house is big."
    target = "Die Katze schläft im Garten. Der Hund ist sehr klein. Das Haus ist groß."
    doc = text_document("a.txt", target, Config(target_lang="de", source_lang="en"), source_text=source)
    pairs = segment_pairs(doc)
    assert [p.source for p in pairs] == ["The cat sleeps in the garden.", "The dog is very small.",
                                        "The house is big."]
    scores = score_segments(doc, scorer)
    assert set(scores) == {s.id for s in doc.segments}
    assert all(isinstance(v, SegmentAdequacy) for v in scores.values())


def test_one_source_sentence_translated_as_two_shares_scores_and_splits_words(scorer):
    source = "The cat sleeps in the garden and the dog is very small."
    target = "Die Katze schläft im Garten. Der Hund ist sehr klein heute."
    doc = text_document("a.txt", target, Config(target_lang="de", source_lang="en"), source_text=source)
    assert len(doc.segments) == 2 and len(segment_pairs(doc)) == 1
    scores = score_segments(doc, scorer)
    first, second = (scores[s.id] for s in doc.segments)
    assert first.evidence == second.evidence and first.source == source
    assert first.unsupported == ()
    assert [w.text for w in second.unsupported] == ["heute"]
    seg = doc.segments[1]
    assert all(seg.text[w.start:w.end] == w.text for w in second.unsupported)


def test_document_without_source_gets_no_scores(scorer):
    doc = text_document("a.txt", "Die Katze schläft.", Config(target_lang="de"))
    assert score_segments(doc, scorer) == {}


def test_pair_adequacy_of_empty_texts_is_neutral():
    empty = TokenScores([], [], [])
    result = pair_adequacy("", "", empty, empty, empty, empty)
    assert result.evidence == 0.0 and result.target_tokens == 0


# --------------------------------------------------------------------------------------------
# the checks, through the pipeline


GOOD = [
    ("The cat sleeps in the garden.", "Die Katze schläft im Garten."),
    ("The dog is very small.", "Der Hund ist sehr klein."),
    ("The house is big.", "Das Haus ist groß."),
    ("The old tree is in the garden.", "Der alte Baum ist im Garten."),
    ("The red car is small.", "Das rote Auto ist klein."),
    ("The cat is under the tree.", "Die Katze ist unter dem Baum."),
]


def _findings(pairs, scorer, codes=("QA65",)):
    source = " ".join(s for s, _ in pairs)
    target = " ".join(t for _, t in pairs)
    config = Config(fluency=True, select=codes, source_lang="en", target_lang="de", cache_dir="off")
    report = check(target, source=source, config=config, scorer=scorer)
    return target, report.documents[0]


def test_a_clean_document_gets_no_adequacy_findings(scorer):
    _, report = _findings(GOOD, scorer)
    assert [f for f in report.findings if f.code.startswith("QA65")] == []
    assert all(s.adequacy is not None for s in report.segments)


def test_a_mistranslated_sentence_is_flagged_at_its_words(scorer):
    pairs = GOOD[:3] + [("The cat sleeps under the tree.", "Die Katze schläft heute Auto Haus.")] + GOOD[3:]
    target, report = _findings(pairs, scorer)
    flagged = [f for f in report.findings if f.code == "QA650"]
    assert len(flagged) == 1
    assert flagged[0].text in ("heute Auto Haus", "Auto Haus", "heute Auto")
    assert target[flagged[0].start:flagged[0].end] == flagged[0].text
    assert flagged[0].severity.value == "minor" and 0 < flagged[0].confidence < 1


def test_an_omission_is_flagged_on_the_whole_sentence(scorer):
    pairs = GOOD[:3] + [("The old red car is very small today under the big tree.", "Das Auto ist klein.")] + GOOD[3:]
    target, report = _findings(pairs, scorer)
    flagged = [f for f in report.findings if f.code == "QA651"]
    assert len(flagged) == 1
    assert flagged[0].text == "Das Auto ist klein."
    assert "\u201ctoday\u201d" in flagged[0].message and "\u201ctree\u201d" in flagged[0].message
