"""Adequacy with the real packaged model: a correct translation is better supported than a wrong one.

Each case is a source sentence, its correct translation and a wrong one of similar length and
fluency (a mistranslated word sense, a changed fact, an invented addition, a dropped clause),
in en->de, en->fr and fr->en.
"""
from __future__ import annotations

import pytest

pytestmark = pytest.mark.slow

CASES = [
    # (source_lang, target_lang, source, correct, wrong)
    ("en", "de", "The cat is sleeping in the garden under the old tree.",
     "Die Katze schläft im Garten unter dem alten Baum.",
     "Der Hund frisst in der Küche neben dem neuen Tisch."),
    ("en", "de", "The government raised taxes on small businesses last year.",
     "Die Regierung hat letztes Jahr die Steuern für kleine Unternehmen erhöht.",
     "Die Regierung hat letztes Jahr die Steuern für große Banken gesenkt."),
    ("en", "de", "My sister works as a nurse in a hospital in Berlin.",
     "Meine Schwester arbeitet als Krankenschwester in einem Krankenhaus in Berlin.",
     "Mein Bruder arbeitet als Lehrer in einer Schule in Hamburg."),
    ("en", "fr", "The train to Paris was cancelled because of the snow.",
     "Le train pour Paris a été annulé à cause de la neige.",
     "Le bateau pour Londres a été retardé à cause du vent."),
    ("en", "fr", "We bought fresh bread and cheese at the market this morning.",
     "Nous avons acheté du pain frais et du fromage au marché ce matin.",
     "Nous avons vendu de vieilles chaussures au garage hier soir."),
    ("fr", "en", "Les enfants sont allés à l'école en bus ce matin.",
     "The children went to school by bus this morning.",
     "The soldiers went to the castle by boat last night."),
    ("fr", "en", "Le musée ferme ses portes le lundi pendant l'hiver.",
     "The museum closes its doors on Mondays during the winter.",
     "The library opens its windows on Fridays during the summer."),
]


@pytest.mark.parametrize("case", CASES, ids=[f"{c[0]}-{c[1]}-{i}" for i, c in enumerate(CASES)])
def test_correct_translation_is_more_adequate_than_a_wrong_one(gemma, case):
    from qa.adequacy import score_pairs

    source_lang, target_lang, source, correct, wrong = case
    good, bad = score_pairs([source, source], [correct, wrong], source_lang, target_lang, gemma)
    assert good.adequacy > bad.adequacy, (good, bad)
    assert good.evidence > bad.evidence


def test_unsupported_words_point_into_the_wrong_part(gemma):
    from qa.adequacy import score_pairs

    source = "My sister works as a nurse in a hospital in Berlin."
    wrong = "Meine Schwester arbeitet als Pilotin in einem Krankenhaus in Berlin."
    [result] = score_pairs([source], [wrong], "en", "de", gemma)
    assert result.unsupported, result
    assert result.unsupported[0].text == wrong[result.unsupported[0].start:result.unsupported[0].end]
    assert "Pilotin" in {w.text for w in result.unsupported}


def test_rule_examples_with_the_model(gemma):
    """The adequacy rules' own failing and passing examples, run with the real model."""
    from qa import Config, check
    from qa.rules import get_rule

    for code in ("QA650", "QA651"):
        rule = get_rule(code)
        for example, should_flag in [(e, True) for e in rule.fail_examples] + [(e, False) for e in rule.pass_examples]:
            config = Config(select=(code,), source_lang=example.source_lang, target_lang=example.lang, cache_dir="off")
            report = check(example.text, source=example.source, config=config, scorer=gemma)
            found = [f for f in report.documents[0].findings if f.code == code]
            assert bool(found) == should_flag, (code, example.text, [f.message for f in found])


def test_two_passes_score_each_side_as_its_own_prompt_would(gemma):
    """The one-call, two-pass scoring equals scoring each text in its own prompt (a causal model
    reads the first line of a prompt as if it were alone)."""
    from qa.adequacy import prompts, score_pairs

    source_lang, target_lang, source, correct, _ = CASES[2]
    [result] = score_pairs([source], [correct], source_lang, target_lang, gemma)
    contexts = prompts(source, correct, source_lang, target_lang)
    t_cond, t_alone = gemma.token_logprobs([correct, correct], [contexts["target_given_source"], contexts["target_alone"]])
    s_cond, s_alone = gemma.token_logprobs([source, source], [contexts["source_given_target"], contexts["source_alone"]])
    assert result.target_tokens == len(t_cond.logprobs) and result.source_tokens == len(s_cond.logprobs)
    assert result.target_logprob == pytest.approx(t_cond.mean, abs=0.05)
    assert result.target_alone_logprob == pytest.approx(t_alone.mean, abs=0.05)
    assert result.source_logprob == pytest.approx(s_cond.mean, abs=0.05)
    assert result.source_pmi == pytest.approx(s_cond.mean - s_alone.mean, abs=0.05)
