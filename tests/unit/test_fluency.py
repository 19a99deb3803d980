"""Plumbing of the language-model scorer (qa/fluency.py) and the relative fluency check (QA701).

The scorer tests use tiny random models (Llama, Gemma 3 and GPT-2 layouts) and a small BPE
tokenizer trained in memory, so they run offline in seconds; what the real model says about
real sentences is tested in tests/integration/test_fluency_model.py.
"""
from __future__ import annotations

import math
import re

import pytest

torch = pytest.importorskip("torch")
transformers = pytest.importorskip("transformers")
tokenizers = pytest.importorskip("tokenizers")

from qa import Config, check  # noqa: E402
from qa import fluency  # noqa: E402
from qa.fluency import ModelUnavailable, ScoreCache, Scorer, TokenScores  # noqa: E402
from qa.model import Document  # noqa: E402
from qa.text import segment_text  # noqa: E402

CORPUS = [
    "The cat sat on the mat and looked at the dog.",
    "Der Hund bellt laut, und die Katze schläft im Garten.",
    "Le chat est noir et le chien est blanc.",
    "Kyiv is the capital of Ukraine; 120,000 people left the region.",
    "Evacuation of the city began on Tuesday morning.",
] * 20


@pytest.fixture(scope="module")
def tiny_tokenizer():
    from tokenizers import Tokenizer, decoders, models, pre_tokenizers, trainers
    from transformers import PreTrainedTokenizerFast

    tok = Tokenizer(models.BPE())
    tok.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    tok.decoder = decoders.ByteLevel()
    trainer = trainers.BpeTrainer(vocab_size=400, special_tokens=["<pad>", "<s>", "</s>"],
                                  initial_alphabet=pre_tokenizers.ByteLevel.alphabet())
    tok.train_from_iterator(CORPUS, trainer)
    return PreTrainedTokenizerFast(tokenizer_object=tok, bos_token="<s>", eos_token="</s>", pad_token="<pad>")


def _tiny_model(kind: str, vocab: int):
    torch.manual_seed(0)
    if kind == "llama":
        from transformers import LlamaConfig, LlamaForCausalLM

        return LlamaForCausalLM(LlamaConfig(vocab_size=vocab, hidden_size=32, intermediate_size=64,
                                            num_hidden_layers=2, num_attention_heads=4, num_key_value_heads=2,
                                            max_position_embeddings=512))
    if kind == "gemma3":  # sliding window shorter than the texts, and final logit soft-capping
        from transformers import Gemma3ForCausalLM, Gemma3TextConfig

        return Gemma3ForCausalLM(Gemma3TextConfig(
            vocab_size=vocab, hidden_size=32, intermediate_size=64, num_hidden_layers=2,
            num_attention_heads=2, num_key_value_heads=1, head_dim=16, sliding_window=4,
            layer_types=["sliding_attention", "full_attention"], max_position_embeddings=512,
            final_logit_softcapping=30.0, pad_token_id=0, bos_token_id=1, eos_token_id=2))
    from transformers import GPT2Config, GPT2LMHeadModel

    return GPT2LMHeadModel(GPT2Config(vocab_size=vocab, n_embd=32, n_layer=2, n_head=2, n_positions=512,
                                      bos_token_id=1, eos_token_id=2))


@pytest.fixture(scope="module", params=["llama", "gemma3", "gpt2"])
def any_scorer(request, tiny_tokenizer):
    model = _tiny_model(request.param, len(tiny_tokenizer))
    return Scorer(model, tiny_tokenizer, name=f"tiny-{request.param}", start_token="<s>", batch_tokens=64)


@pytest.fixture
def scorer(tiny_tokenizer):
    return Scorer(_tiny_model("llama", len(tiny_tokenizer)), tiny_tokenizer, name="tiny", start_token="<s>")


TEXTS = [
    ("The cat sat on the mat.", ""),
    ("Der Hund bellt laut, und die Katze schläft im Garten.", "Le chat est noir."),
    ("Kyiv is the capital.", "Evacuation of the city began on Tuesday morning."),
    ("  leading spaces and émigré words", "Context without a full stop"),
    ("猫在垫子上。", "狗在叫。"),
    ("Короткое предложение.", ""),
]


def _reference_logprobs(scorer: Scorer, text: str, context: str) -> list[float]:
    """Plain full-softmax forward over the joined string, one text at a time."""
    joined = context + fluency._joiner(context, text) + text if context else text
    ids = [scorer.start_id] + scorer.tokenizer(joined, add_special_tokens=False)["input_ids"]
    with torch.inference_mode():
        logprobs = torch.log_softmax(scorer.model(torch.tensor([ids])).logits[0].float(), dim=-1)
    return [logprobs[i - 1, ids[i]].item() for i in range(1, len(ids))]


def test_batched_scores_equal_a_plain_forward_pass(any_scorer):
    texts, contexts = zip(*TEXTS)
    results = any_scorer.token_logprobs(list(texts), list(contexts))
    for (text, context), result in zip(TEXTS, results):
        reference = _reference_logprobs(any_scorer, text, context)
        assert result.logprobs, text
        assert result.logprobs == pytest.approx(reference[-len(result.logprobs):], abs=2e-4)


@pytest.mark.parametrize("text,context", TEXTS)
def test_spans_index_the_text_exactly_as_given(scorer, text, context):
    result = scorer.token_logprobs([text], [context])[0]
    assert len(result.tokens) == len(result.spans) == len(result.logprobs)
    starts = [s for s, _ in result.spans]
    assert starts == sorted(starts)
    assert all(0 <= s <= e <= len(text) for s, e in result.spans)
    covered = set()
    for s, e in result.spans:
        covered.update(range(s, e))
    assert {i for i, ch in enumerate(text) if not ch.isspace()} <= covered
    # each word of the text is covered by tokens whose spans stay inside the text
    for m in re.finditer(r"\w+", text):
        assert any(s <= m.start() < e for s, e in result.spans), m.group()


def test_context_changes_the_scores_but_not_the_tokens(scorer):
    alone, after = scorer.token_logprobs(["Kyiv is the capital."] * 2, ["", "The cat sat on the mat."])
    assert alone.spans == after.spans
    assert alone.logprobs != pytest.approx(after.logprobs)


def test_score_alternatives_returns_the_total_of_each_variant(scorer):
    context, original, candidates = "The cat sat on the mat.", "He looked at the dog.", ["She looked at the dog.",
                                                                                         "It looked at the dog."]
    totals = scorer.score_alternatives(context, original, candidates)
    expected = [s.total for s in scorer.token_logprobs([original, *candidates], [context] * 3)]
    assert len(totals) == 3
    assert totals == pytest.approx(expected, abs=1e-5)
    assert all(t < 0 for t in totals)


def test_empty_text_has_no_tokens(scorer):
    result = scorer.token_logprobs(["", "The cat."], ["Context.", ""])
    assert result[0] == TokenScores([], [], [])
    assert len(result[1].logprobs) > 0


def test_score_cache_serves_repeats_without_running_the_model(tiny_tokenizer, tmp_path, monkeypatch):
    model = _tiny_model("llama", len(tiny_tokenizer))
    cache = ScoreCache(tmp_path / "scores.sqlite")
    first = Scorer(model, tiny_tokenizer, name="tiny", start_token="<s>", cache=cache)
    expected = first.token_logprobs(["The cat sat.", "Le chat est noir."], ["", "Context."])
    # a new scorer (as in a new process) on the same cache file does not need the model
    second = Scorer(model, tiny_tokenizer, name="tiny", start_token="<s>", cache=ScoreCache(tmp_path / "scores.sqlite"))

    def no_model(*args, **kwargs):
        raise AssertionError("the model ran although the scores were cached")

    monkeypatch.setattr(second, "_forward", no_model)
    again = second.token_logprobs(["The cat sat.", "Le chat est noir."], ["", "Context."])
    assert [a.logprobs for a in again] == [pytest.approx(e.logprobs, abs=1e-4) for e in expected]
    assert [a.spans for a in again] == [e.spans for e in expected]
    assert second.cache.hits == 2
    with pytest.raises(AssertionError):  # same text, other context: not the same key
        second.token_logprobs(["The cat sat."], ["Other context."])


def test_unwritable_cache_turns_itself_off(scorer, tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    scorer.cache = ScoreCache(blocker / "sub" / "scores.sqlite")
    assert scorer.token_logprobs(["The cat sat."])[0].logprobs
    assert scorer.cache.enabled is False


def test_score_segments_gives_one_score_per_segment(scorer):
    text = "Evacuation of the city began on Tuesday morning.\n\nThe cat sat on the mat. Le chat est noir."
    doc = Document(path="t.txt", text=text, segments=segment_text(text), target_lang="en")
    result = fluency.score_segments(doc, scorer)
    assert set(result) == {s.id for s in doc.segments}
    for seg in doc.segments:
        flu = result[seg.id]
        assert 0.0 <= flu.fluency <= 100.0
        assert flu.perplexity == pytest.approx(math.exp(-flu.logprob_mean))
        assert flu.tokens > 0
        assert all(0 <= a < b <= len(seg.text) for a, b in flu.worst)
    # every sentence is scored after the one before it, across paragraphs too
    assert fluency.segment_context(doc, 0) == ""
    assert fluency.segment_context(doc, 1) == doc.segments[0].text
    assert fluency.segment_context(doc, 2) == doc.segments[1].text


def test_units_of_bilingual_files_are_scored_without_context():
    from qa.model import Segment

    text = "First unit text.\nSecond unit text."
    units = (Segment(id="a", start=0, end=16, text="First unit text.", kind="unit", paragraph=0),
             Segment(id="b", start=17, end=34, text="Second unit text.", kind="unit", paragraph=1))
    doc = Document(path="t.tsv", text=text, segments=units, target_lang="en", unit_based=True)
    assert fluency.segment_context(doc, 1) == ""


def test_unknown_model_name_is_a_clear_error():
    with pytest.raises(ModelUnavailable, match="unknown model"):
        fluency.load_scorer(Config(model="no-such-model-xyz"))


def test_missing_package_names_the_package_to_install(tmp_path):
    spec = fluency.ModelSpec(key="ghost", name="ghost-1m", package="ghost-model-pkg", module="ghost_model_pkg_xyz",
                             loader="gguf-file", file="ghost.gguf")
    with pytest.raises(ModelUnavailable, match="pip install ghost-model-pkg"):
        fluency.converted_weights(spec, tmp_path)


def test_manifest_lists_the_packaged_models():
    specs = fluency.load_manifest()
    assert {"gemma3", "smollm2"} <= set(specs)
    assert specs["smollm2"].start_token == "<|endoftext|>"
    assert specs["smollm2"].languages == ("en",)
    assert specs["gemma3"].languages == ("*",)
    assert all(s.package and s.licence for s in specs.values())
    assert fluency.resolve_model("smollm2-135m").key == "smollm2"
    assert fluency.resolve_model(None).key == "gemma3"


def test_local_model_directory_loads_by_path(tiny_tokenizer, tmp_path):
    directory = tmp_path / "tiny-local"
    _tiny_model("llama", len(tiny_tokenizer)).save_pretrained(str(directory))
    tiny_tokenizer.save_pretrained(str(directory))
    config = Config(model=str(directory), device="cpu", cache_dir=str(tmp_path / "cache"))
    scorer = fluency.load_scorer(config)
    assert scorer.name == "tiny-local"
    assert scorer is fluency.load_scorer(config)
    assert scorer.token_logprobs(["The cat sat."])[0].logprobs
    assert (tmp_path / "cache" / "scores.sqlite").exists()


def test_a_directory_without_a_model_is_rejected(tmp_path):
    with pytest.raises(ModelUnavailable, match="config.json"):
        fluency.load_scorer(Config(model=str(tmp_path)))


@pytest.mark.parametrize("text,lang,discounted,kept", [
    ("Yesterday Zelenskyy met 250 soldiers in Pokrovsk.", "en", ["Zelenskyy", "250", "Pokrovsk"],
     ["Yesterday", "met", "soldiers"]),
    ("Die Regierung hat gestern 120.000 Menschen aus Kursk evakuiert.", "de", ["120", "000", "Kursk"],
     ["Die", "Regierung", "Menschen", "evakuiert"]),
    ("Le général Syrsky a visité Kharkiv en 2023.", "fr", ["Syrsky", "Kharkiv", "2023"],
     ["Le", "général", "visité"]),
    ("The Government said the Army would help.", "en", [], ["Government", "Army"]),
])
def test_numbers_and_rare_names_are_discounted(text, lang, discounted, kept):
    spans = fluency.discounted_words(text, lang)
    words = [text[a:b] for a, b in spans]
    assert all(w in words for w in discounted), words
    assert not any(w in words for w in kept), words


def test_sentence_score_discounts_names_and_caps_surprise():
    text = "We met Zelenskyy today."
    spans = [(0, 2), (2, 6), (6, 10), (10, 16), (16, 22), (22, 23)]
    plain = TokenScores(["We", " met", " Zel", "ensk", "yy today", "."], spans, [-2.0, -3.0, -15.0, -9.0, -2.0, -1.0])
    # the name's tokens are left out: mean of the other tokens
    assert fluency.sentence_logprob(plain, text, "en") == pytest.approx((-2.0 - 3.0 - 1.0) / 3)
    garbled = TokenScores(["We", " met", " xx", "."], [(0, 2), (2, 6), (6, 9), (9, 10)], [-2.0, -3.0, -40.0, -1.0])
    assert fluency.sentence_logprob(garbled, "We met xx.", "en") == pytest.approx((-2 - 3 - 12 - 1) / 4)


def test_fluency_score_is_monotone_and_bounded():
    values = [fluency.fluency_score(x, 0.6) for x in (-20, -2, 0, 1, 3, 20)]
    assert values == sorted(values)
    assert values[2] == pytest.approx(50.0)
    assert 0.0 <= values[0] < 1.0 and 99.0 < values[-1] <= 100.0


def test_short_sentences_are_judged_against_what_is_expected_at_their_length():
    # a model expecting -4.0 at 30 tokens and less (-4.0 - 0.5 * ln 3) at 10 tokens
    short = fluency.expected_logprob(10, -4.0, 0.5)
    assert short == pytest.approx(-4.0 - 0.5 * math.log(3))
    assert fluency.expected_logprob(30, -4.0, 0.5) == pytest.approx(-4.0)

    class Calibrated:
        center, scale, length_slope = -4.0, 0.6, 0.5

    text = "One two three four five six seven eight nine ten"
    spans = [m.span() for m in re.finditer(r"\S+", text)]
    scores = TokenScores(text.split(), spans, [short] * 10)
    from qa.model import Segment

    result = fluency.segment_fluency(scores, Segment(id="1", start=0, end=len(text), text=text), "en", Calibrated())
    assert result.relative == pytest.approx(0.0, abs=1e-9)
    assert result.fluency == pytest.approx(50.0)


# ---------------------------------------------------------------------------------------------
# QA701 with a stand-in scorer whose per-sentence log-probabilities are set by the test


class StubScorer:
    """Gives every token of a sentence the log-probability the test assigned to that sentence."""

    name = "stub"
    languages = ("*",)
    center, scale = -4.0, 0.6

    def __init__(self, values: dict[str, float], default: float) -> None:
        self.values, self.default = values, default

    def token_logprobs(self, texts, contexts=None):
        out = []
        for text in texts:
            value = next((v for key, v in self.values.items() if key in text), self.default)
            spans = [m.span() for m in re.finditer(r"\S+", text)]
            out.append(TokenScores([text[a:b] for a, b in spans], spans, [value] * len(spans)))
        return out


NEWS = [
    "The regional governor announced the evacuation of several villages on Tuesday.",
    "Residents were asked to leave their homes before the end of the week.",
    "Buses will take families to temporary shelters in the neighbouring towns.",
    "Local officials said that the schools would stay closed until further notice.",
    "Volunteers have set up kitchens to feed the people arriving in the shelters.",
    "The authorities promised to compensate farmers for the loss of their harvest.",
    "A hotline has been opened for relatives looking for information about evacuees.",
    "Most residents followed the instructions calmly, according to the police.",
]
GARBLED = "Of the villages the evacuation by governor was on Tuesday announced of several being."


def _qa701(text: str, values: dict[str, float], default: float = -3.0, spread: bool = True, lang: str = "en"):
    if spread:  # small natural variation between sentences
        values = {**{s[:30]: default - 0.05 * (i % 4) for i, s in enumerate(NEWS)}, **values}
    report = check(text, target_lang=lang, config=Config(select=("QA701",)), scorer=StubScorer(values, default))
    return [f for f in report.documents[0].findings if f.code == "QA701"]


def test_qa701_flags_the_sentence_far_below_the_document_median():
    text = " ".join(NEWS[:4] + [GARBLED] + NEWS[4:])
    found = _qa701(text, {GARBLED[:30]: -6.0})
    assert [f.text for f in found] == [GARBLED]
    assert found[0].suggestion is None and 0 < found[0].confidence <= 0.8
    assert "fluency" in found[0].message


@pytest.mark.parametrize("case,values,count", [
    ("uniformly technical document: every sentence equally surprising", {}, 8),
    ("one sentence only a little below the others", {NEWS[3][:30]: -3.6}, 8),
    ("too few sentences to judge", {NEWS[1][:30]: -7.0}, 3),
])
def test_qa701_stays_silent_without_a_clear_outlier(case, values, count):
    default = -6.5 if "technical" in case else -3.0
    assert _qa701(" ".join(NEWS[:count]), values, default=default) == [], case


@pytest.mark.parametrize("lang,below,flagged", [
    ("en", 2.5, True), ("de", 2.5, True), ("tr", 2.5, False), ("tr", 4.0, True), ("sw", 2.5, False),
])
def test_qa701_needs_a_wider_gap_where_the_model_was_not_validated(lang, below, flagged):
    text = " ".join(NEWS[:4] + [GARBLED] + NEWS[4:])
    found = _qa701(text, {GARBLED[:30]: -3.0 - below}, lang=lang)
    assert bool(found) == flagged


def test_qa701_reports_at_most_one_sentence_in_ten():
    text = " ".join(NEWS + NEWS[:2])  # ten sentences, two of them garbled below
    found = _qa701(text, {NEWS[0][:30]: -6.0, NEWS[1][:30]: -5.0})
    assert len(found) == 1


def test_qa701_ignores_headings_and_short_sentences():
    text = "Evacuation Order\n\n" + " ".join(NEWS) + " Garbled it was."
    found = _qa701(text, {"Evacuation Order": -9.0, "Garbled it": -9.0})
    assert found == []


@pytest.mark.parametrize("context,original,candidates", [
    ("The cat sat on the mat.", "He looked at the dog.", ["She looked at the dog.", "It looked at the dog."]),
    ("", "Kyiv is the capital of Ukraine.", ["Kiev is the capital of Ukraine.", "Kyiv is a capital."]),
    ("Le chat est noir.", "Il dort.", ["Elle dort dans le jardin du voisin.", "Il dort."]),
])
def test_shared_prefix_scoring_equals_scoring_each_variant(any_scorer, context, original, candidates, monkeypatch):
    texts = [original, *candidates]
    plain = [s.total for s in any_scorer._compute([(t, context) for t in texts])]

    def no_fallback(*args, **kwargs):
        raise AssertionError("the shared-prefix path fell back to the plain batch")

    monkeypatch.setattr(any_scorer, "_compute", no_fallback)
    shared = [s.total for s in any_scorer._compute_shared(texts, context)]
    monkeypatch.undo()
    assert shared == pytest.approx(plain, abs=5e-4)
    assert any_scorer.score_alternatives(context, original, candidates) == pytest.approx(plain, abs=5e-4)


@pytest.mark.parametrize("load,expected", [(0.2, 4), (5.9, 4), (6.5, 1), (30.0, 1)])
def test_threads_follow_the_machine_load_unless_pinned(monkeypatch, load, expected):
    monkeypatch.setattr(fluency.os, "cpu_count", lambda: 4)
    monkeypatch.setattr(fluency.os, "getloadavg", lambda: (load, load, load))
    assert fluency.free_cores() == expected
    monkeypatch.setenv("QA_THREADS", "3")
    assert fluency.pinned_threads() == 3


def test_very_long_text_is_scored_on_its_beginning(scorer, monkeypatch):
    monkeypatch.setattr(fluency, "MAX_TEXT_TOKENS", 10)
    result = scorer.token_logprobs(["The cat sat on the mat and looked at the dog. " * 5])[0]
    assert len(result.tokens) == len(result.spans) == len(result.logprobs) == 10
