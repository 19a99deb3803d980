"""The shortcuts that make the rules fast must not change what they decide.

Each test holds a shortcut against the plain definition it replaces, on realistic inputs:
lingua asked only when its verdict can matter, near-identical unknown names found through an
index, pronoun sentences pre-selected by a pattern, quotation marks found by a pattern, the
garbage collector paused while lexicons load.
"""
from __future__ import annotations

import gc
import importlib.util
import json
import re
import sys
from pathlib import Path

import pytest
from rapidfuzz.distance import OSA

from qa import text as text_module
from qa.checks import names
from qa.checks.pronouns import base as pronoun_base
from qa.checks.pronouns import foreign
from qa.context import gc_paused
from qa.langid import classify

ROOT = Path(__file__).resolve().parents[2]

# (text, candidates: target first) — foreign, target-language and mixed short texts.
CLASSIFY_TABLE = [
    ("Les autorités n'ont pas précisé les raisons de cette décision.", ("en", "fr", "de", "es")),
    ("Die Behörden haben die Gründe für diese Entscheidung nicht genannt.", ("en", "fr", "de", "nl")),
    ("The authorities have not given any reason for this decision so far.", ("de", "en", "nl", "fr")),
    ("The staff were very friendly and helpful.", ("de", "en", "it", "pt")),
    ("US Wins Straight im Field Hockey, Setting Up Showdown Mit Großbritannien", ("de", "en", "nl")),
    ("selon le ministère de la Défense", ("en", "fr")),
    ("according to the ministry", ("de", "en")),
    ("Das Team hat das Meeting auf Montag verschoben.", ("de", "en", "fr")),
    ("Russia on Monday ordered the evacuation of villages near the border.", ("en", "fr", "de", "es")),
    ("Las autoridades no han explicado los motivos de esta decisión.", ("en", "es", "pt", "it")),
    ("De autoriteiten hebben de redenen niet toegelicht.", ("de", "nl", "en")),
    ("Snapchat Effect Is as Asian Caricature", ("de", "en", "nl", "pt")),
]


def _acts(verdict: tuple[str | None, float], target: str, threshold: float) -> bool:
    lang, confidence = verdict
    return lang is not None and lang != target and confidence >= threshold


@pytest.mark.parametrize("threshold", [0.8, 0.85])
@pytest.mark.parametrize("text,candidates", CLASSIFY_TABLE)
def test_classify_without_lingua_keeps_every_verdict_a_caller_acts_on(text, candidates, threshold):
    full = classify(text, candidates)
    quick = classify(text, candidates, foreign_at=threshold)
    assert _acts(full, candidates[0], threshold) == _acts(quick, candidates[0], threshold)
    if _acts(full, candidates[0], threshold):
        # lingua's confidences vary in the last bit from call to call: compare with a tolerance
        assert quick[0] == full[0] and quick[1] == pytest.approx(full[1], rel=1e-12)


def test_classify_table_has_verdicts_of_both_kinds():
    acted = [_acts(classify(text, cands), cands[0], 0.85) for text, cands in CLASSIFY_TABLE]
    assert any(acted) and not all(acted)


def _near_pairs_by_definition(unknown: dict[str, list]) -> dict[str, list]:
    """Every pair compared: in sorted order, the first later unmerged word one inner edit away."""
    keys = sorted(unknown)
    merged: dict[str, list] = {}
    used: set[str] = set()
    for i, a in enumerate(keys):
        for b in keys[i + 1:]:
            if b in used or a in used or abs(len(a) - len(b)) > 1:
                continue
            if OSA.distance(a, b) == 1 and names.inner_edit(a, b):
                merged[a] = sorted(unknown[a] + unknown[b], key=lambda t: t.start)
                used.update((a, b))
    return merged


UNKNOWN_WORDS = [
    # misspellings of one name (a swap, a dropped letter, a changed letter)
    "sybiha", "sybhia", "zelenskyy", "zelensky", "pokrovsk", "pokrowsk", "mirjana", "mirijana",
    # German nouns one edit apart that inner_edit refuses (different ending) or accepts
    "regierung", "regierungs", "verhandlung", "verhandlungen", "bundestag", "bundestog",
    # three-way chains: only the first pair in sorted order is merged
    "kovalenko", "kovalenka", "kowalenko", "ab", "abc", "abd", "bca", "bac",
]


def test_near_pairs_index_finds_exactly_the_pairwise_matches():
    unknown = {w: [names.Token(i * 10, i * 10 + len(w), w, False)] for i, w in enumerate(UNKNOWN_WORDS)}
    expected = _near_pairs_by_definition(unknown)
    assert names._near_pairs(unknown) == expected
    assert {"kovalenko", "pokrovsk", "sybhia", "zelensky"} <= set(expected)  # "kovalenka": another ending


# Sentences with and without the pronouns the French and German person check looks at.
PRONOUN_SENTENCES = [
    ("fr", "Le ministre a dit qu'il viendrait lundi."),
    ("fr", "Viendra-t-il demain à Paris ?"),
    ("fr", "Elle a annoncé sa démission."),
    ("fr", "Le gouvernement a publié un communiqué lundi."),
    ("fr", "Il faut attendre la décision du tribunal."),
    ("de", "Der Minister sagte, er werde am Montag kommen."),
    ("de", "Sie hat ihren Rücktritt angekündigt."),
    ("de", "Die Kanzlerin traf seinen Amtskollegen in Berlin."),
    ("de", "Man gab ihm keine Antwort."),
    ("de", "Die Regierung hat am Montag eine Erklärung veröffentlicht."),
    ("de", "Seinem Bruder gehört das Haus."),
]


@pytest.mark.parametrize("lang,sentence", PRONOUN_SENTENCES)
def test_pronoun_prefilter_keeps_every_sentence_with_a_pronoun(lang, sentence):
    toks = pronoun_base.tokenize(sentence, 0, len(sentence), [], elision=lang == "fr")
    found = list(foreign._fr_pronouns(toks) if lang == "fr" else foreign._de_pronouns(toks))
    if found:
        assert foreign._CANDIDATE_RE[lang].search(sentence)
    assert bool(foreign._CANDIDATE_RE[lang].search(sentence)) == any(map(_pronoun_word, toks))


def _pronoun_word(tok: pronoun_base.Tok) -> bool:
    """Whether a token is a word the French or German pronoun finders look at."""
    return (tok.low in ("il", "elle", "er", "ihn", "ihm", "sie") or bool(foreign._DE_SEIN.match(tok.text))
            or bool(re.search(r"-(?:t-)?(?:il|elle)$", tok.text, re.IGNORECASE)))


def test_pronoun_prefilter_table_has_sentences_of_both_kinds():
    hits = [bool(foreign._CANDIDATE_RE[lang].search(s)) for lang, s in PRONOUN_SENTENCES]
    assert any(hits) and not all(hits)


def _quoted_ranges_by_definition(text: str) -> list[tuple[int, int]]:
    """qa.text._quoted_ranges as a loop over every character."""
    ranges, stack, straight = [], [], None
    for i, ch in enumerate(text):
        if stack and ch == stack[-1][0]:
            _, start = stack.pop()
            if not stack:
                ranges.append((start, i + 1))
        elif ch in text_module._QUOTE_PAIRS and not (ch == "‘" and i > 0 and text[i - 1].isalpha()):
            stack.append((text_module._QUOTE_PAIRS[ch], i))
        elif ch == '"':
            if straight is None:
                straight = i
            else:
                ranges.append((straight, i + 1))
                straight = None
    return ranges


QUOTED = [
    "Er sagte: „Wir kommen.“ Dann ging er.",
    "« Nous sommes prêts », a déclaré le ministre, « et nous resterons. »",
    "The minister’s aide said ‘we’ll see’ and left.",
    'He called it "a disaster" and "a shame".',
    "An unclosed “quotation runs on. And on.",
    "No quotation marks at all here.",
    "「東京」と彼は言った。",
]


@pytest.mark.parametrize("text", QUOTED)
def test_quotation_ranges_found_by_pattern_match_the_character_loop(text):
    assert text_module._quoted_ranges(text) == _quoted_ranges_by_definition(text)


def test_pronoun_quote_ranges_pair_marks_within_each_line():
    text = "Er sagte: „Wir kommen.“\nSie sagte: „Nein\nDann \"gut\"."
    assert pronoun_base.quote_ranges(text) == [(10, 23), (35, 40), (46, 51)]


def test_gc_paused_restores_the_collector_state():
    assert gc.isenabled()
    with gc_paused():
        assert not gc.isenabled()
        with gc_paused():
            assert not gc.isenabled()
        assert not gc.isenabled()
    assert gc.isenabled()
    with pytest.raises(ValueError):
        with gc_paused():
            raise ValueError("loading failed")
    assert gc.isenabled()


def _bench_batch():
    spec = importlib.util.spec_from_file_location("bench_batch", ROOT / "bench" / "batch.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules["bench_batch"] = module
    spec.loader.exec_module(module)
    return module


def test_benchmark_corpus_keeps_distinct_segments_by_target_language(tmp_path):
    rows = [{"lp": "zh-en", "source": "你好", "mt": "Hello there.", "reference": "Hi there."},
            {"lp": "zh-en", "source": "你好", "mt": "Hello there.", "reference": "Hi there."},
            {"lp": "en-de", "source": "Hi there.", "mt": "Hallo\tda.", "reference": "Hallo!"}]
    data = tmp_path / "data"
    data.mkdir()
    (data / "mqm.jsonl").write_text("\n".join(json.dumps(r) for r in rows), encoding="utf-8")
    (data / "system.en-de.de.txt").write_text("Guten Tag.\nHallo da.\n\nGuten Tag.\n", encoding="utf-8")
    (data / "scores.tsv").write_text("system\tbleu\n", encoding="utf-8")  # names no language: skipped
    bench = _bench_batch()
    assert bench.corpus_segments([str(data)], ["mt"], None) == {
        "en": ["Hello there."], "de": ["Hallo da.", "Guten Tag."]}
    assert bench.corpus_segments([str(data / "mqm.jsonl")], ["reference", "source"], None) == {
        "en": ["Hi there."], "zh": ["你好"], "de": ["Hallo!"]}

