"""The document-level sentence aligner (qa.align): bead shapes, anchors, custom costs, invariants."""
from __future__ import annotations

import time

import pytest

from qa.align import AnchorCost, align, aligned_pairs, anchors, length_cost

FR = [
    "La Russie a ordonné lundi l'évacuation de villages situés à moins de 15 kilomètres de l'Ukraine.",
    "Ces zones n'ont pas été le théâtre de combats jusqu'à présent.",
    "Le 6 août, l'Ukraine a lancé une attaque surprise dans la région russe de Koursk.",
    "Cela a conduit à l'évacuation d'environ 150 000 civils, selon la Russie.",
    "Lundi, elle a de nouveau revendiqué la reprise de deux petits villages, Ouspenovka et Borki.",
]
EN = [
    "Russia on Monday ordered the evacuation of villages located less than 15 kilometers from Ukraine.",
    "These areas have not been the scene of fighting so far.",
    "On August 6, Ukraine launched a surprise attack in Russia's Kursk region.",
    "This led to the evacuation of around 150,000 civilians, according to Russia.",
    "On Monday, she again claimed the recapture of two small villages, Uspenovka and Borki.",
]


def _covers(beads, n, m):
    left = [i for a, _ in beads for i in a]
    right = [j for _, b in beads for j in b]
    return left == list(range(n)) and right == list(range(m))


def test_one_to_one_translation():
    beads = align(FR, EN)
    assert beads == [([i], [i]) for i in range(5)]


def test_two_source_sentences_merged_into_one():
    merged = EN[:2] + [EN[2][:-1] + ", and " + EN[3][0].lower() + EN[3][1:]] + EN[4:]
    beads = align(FR, merged)
    assert ([2, 3], [2]) in beads
    assert _covers(beads, len(FR), len(merged))


def test_one_source_sentence_split_in_two():
    split = EN[:3] + ["This led to the evacuation of around 150,000 civilians.", "That is according to Russia."] + EN[4:]
    beads = align(FR, split)
    assert ([3], [3, 4]) in beads
    assert _covers(beads, len(FR), len(split))


def test_dropped_sentence_becomes_a_one_to_zero_bead():
    long_extra = ("Les autorités russes n'ont pas détaillé les raisons de cette décision, qui intervient alors que "
                  "Moscou a revendiqué ces derniers jours la reprise d'une douzaine de localités occupées en août "
                  "par les forces ukrainiennes, selon un communiqué publié dans la soirée.")
    source = FR[:2] + [long_extra] + FR[2:]
    beads = align(source, EN)
    assert ([2], []) in beads
    assert _covers(beads, len(source), len(EN))


def test_empty_sides():
    assert align([], []) == []
    assert align(["a"], []) == [([0], [])]
    assert align([], ["a", "b"]) == [([], [0]), ([], [1])]


def test_custom_monolingual_cost():
    ref = ["The cat sat.", "It was happy.", "Then it slept."]
    hyp = ["The cat sat.", "It was happy.", "Then it slept."]

    def cost(a, b):
        if not a or not b:
            return 5.0
        return 0.0 if " ".join(a) == " ".join(b) else 4.0

    assert align(ref, hyp, cost=cost) == [([0], [0]), ([1], [1]), ([2], [2])]


def test_anchors_pull_beads_together():
    numbers, names = anchors("Cela a conduit à l'évacuation d'environ 150 000 civils, selon la Russie.")
    assert "150000" in numbers and "russ" in names
    cost = AnchorCost(FR, EN)
    assert cost([FR[3]], [EN[3]]) < cost([FR[3]], [EN[1]])


def test_length_cost_prefers_proportional_lengths():
    assert length_cost(100, 100) < length_cost(100, 40) < length_cost(100, 5)
    assert length_cost(0, 0) == 0.0
    assert length_cost(5000, 0) > 50  # no overflow on extreme lengths


def test_aligned_pairs_joins_texts():
    pairs = aligned_pairs(FR[:2], EN[:2])
    assert pairs[0][0] == FR[0] and pairs[0][1] == EN[0]


@pytest.mark.parametrize("n", [200])
def test_long_documents_stay_fast(n):
    source = [f"{s} ({i})" for i in range(n // 5) for s in FR]
    target = [f"{s} ({i})" for i in range(n // 5) for s in EN]
    started = time.perf_counter()
    beads = align(source, target)
    assert time.perf_counter() - started < 5.0
    assert _covers(beads, n, n) and all(len(a) == len(b) == 1 for a, b in beads)
