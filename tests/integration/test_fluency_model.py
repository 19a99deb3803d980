"""The real packaged language model (Gemma 3 270M) judges fluency the way a reader would.

Slow: the first run converts the packaged GGUF into models/cache/ (about a minute); later runs
load in seconds. Skipped when the model package is not installed.
"""
from __future__ import annotations

import pytest

from qa import Config, check
from qa.fluency import ModelUnavailable, load_scorer, segment_fluency
from qa.model import Segment
from qa.rules import get_rule

pytestmark = pytest.mark.slow


# (language, fluent sentence, the same sentence damaged the way MT damages it)
PAIRS = [
    ("en", "The government announced new measures to support small businesses.",
     "The government announced measures new for to support the businesses small."),
    ("en", "She has lived in this city for ten years.",
     "She have lived in this city since ten years."),
    ("en", "The children were playing in the garden when it started to rain.",
     "The children were playing in the the garden when it started to to rain."),
    ("en", "He made the decision after a long discussion with his family.",
     "He did the decision after a long discussion of his family with."),
    ("fr", "Le gouvernement a annoncé de nouvelles mesures pour aider les petites entreprises.",
     "Le gouvernement ont annoncé de nouveaux mesures pour aider les petits entreprises."),
    ("fr", "Elle habite dans cette ville depuis dix ans.",
     "Elle habite dans cette ville pour dix ans depuis."),
    ("fr", "Les enfants jouaient dans le jardin quand il a commencé à pleuvoir.",
     "Les enfants jouaient dans le le jardin quand il a commencé de à pleuvoir."),
    ("de", "Die Regierung hat neue Maßnahmen zur Unterstützung kleiner Unternehmen angekündigt.",
     "Die Regierung haben neue Maßnahmen zur Unterstützung kleinen Unternehmen angekündigt worden."),
    ("de", "Sie wohnt seit zehn Jahren in dieser Stadt.",
     "Sie wohnt seit zehn Jahre in diese Stadt."),
    ("de", "Die Kinder spielten im Garten, als es anfing zu regnen.",
     "Die Kinder spielten in dem Garten, als es fing an zu regnen zu."),
]


def _fluency(scorer, text: str, lang: str):
    scores = scorer.token_logprobs([text])[0]
    return segment_fluency(scores, Segment(id="1", start=0, end=len(text), text=text), lang, scorer)


@pytest.mark.parametrize("lang,good,damaged", PAIRS, ids=[f"{p[0]}-{i}" for i, p in enumerate(PAIRS)])
def test_damaged_sentence_scores_lower(gemma, lang, good, damaged):
    fluent, broken = _fluency(gemma, good, lang), _fluency(gemma, damaged, lang)
    assert broken.logprob_adjusted < fluent.logprob_adjusted
    assert broken.fluency < fluent.fluency
    assert 0 <= broken.fluency <= 100 and 0 <= fluent.fluency <= 100


def test_fluent_sentences_score_well(gemma):
    for lang, good, _ in PAIRS:
        assert _fluency(gemma, good, lang).fluency >= 50, good


@pytest.mark.parametrize("context,original,fixed", [
    ("Anna Petrova is a surgeon at the city hospital.", "He operates on twenty patients a week.",
     "She operates on twenty patients a week."),
    ("The committee published its report on Monday.", "She recommends closing two schools.",
     "It recommends closing two schools."),
])
def test_score_alternatives_prefers_the_fix(gemma, context, original, fixed):
    original_score, fixed_score = gemma.score_alternatives(context, original, [fixed])
    assert fixed_score > original_score


def test_score_alternatives_keeps_a_correct_sentence(gemma):
    context = "Anna Petrova is a surgeon at the city hospital."
    original_score, wrong_score = gemma.score_alternatives(context, "She operates on twenty patients a week.",
                                                           ["He operates on twenty patients a week."])
    assert original_score > wrong_score


RULE = get_rule("QA701")


@pytest.mark.parametrize("example", RULE.fail_examples, ids=[e.lang for e in RULE.fail_examples])
def test_qa701_flags_its_failing_examples_with_the_real_model(gemma, example):
    report = check(example.text, target_lang=example.lang, config=Config(select=("QA701",)), scorer=gemma)
    found = [f.text for f in report.documents[0].findings if f.code == "QA701"]
    assert found == [example.span]


@pytest.mark.parametrize("example", RULE.pass_examples, ids=[e.lang for e in RULE.pass_examples])
def test_qa701_leaves_its_passing_examples_alone_with_the_real_model(gemma, example):
    report = check(example.text, target_lang=example.lang, config=Config(select=("QA701",)), scorer=gemma)
    assert [f.text for f in report.documents[0].findings if f.code == "QA701"] == []


def test_smollm2_scores_english():
    try:
        scorer = load_scorer(Config(model="smollm2", cache_dir="off"))
    except ModelUnavailable as error:
        pytest.skip(str(error))
    assert scorer.languages == ("en",)
    for lang, good, damaged in PAIRS:
        if lang == "en":
            assert _fluency(scorer, damaged, lang).logprob_adjusted < _fluency(scorer, good, lang).logprob_adjusted
