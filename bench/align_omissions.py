"""How well qa.align pairs sentences when one sentence is missing on either side.

Takes a six-sentence French article and its English translation (both written for this
benchmark), removes each sentence in turn from the target and then from the source, and inserts
a long extra sentence at each position of a five-sentence source. For each case it counts the
share of target sentences paired alone with their true source sentence. It compares Gale-Church
settings (the prior of unpaired sentences, the cap on their length cost) with the defaults.

    .venv/bin/python bench/align_omissions.py
"""
from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import qa.align as A  # noqa: E402

FR = [
    "La Russie a ordonné lundi l'évacuation de villages situés à moins de 15 kilomètres de l'Ukraine.",
    "Ces zones n'ont pas été le théâtre de combats jusqu'à présent.",
    "Le 6 août, l'Ukraine a lancé une attaque surprise dans la région russe de Koursk, s'emparant de "
    "plusieurs centaines de kilomètres carrés.",
    "Cela a conduit à l'évacuation d'environ 150 000 civils, selon la Russie.",
    "Lundi, elle a de nouveau revendiqué la reprise de deux petits villages, Ouspenovka et Borki.",
    "Les troupes russes occupent environ 18 % du territoire ukrainien.",
]
EN = [
    "Russia on Monday ordered the evacuation of villages located less than 15 kilometers from Ukraine.",
    "These areas have not been the scene of fighting so far.",
    "On August 6, Ukraine launched a surprise attack in Russia's Kursk region, seizing several hundred "
    "square kilometers.",
    "This led to the evacuation of around 150,000 civilians, according to Russia.",
    "On Monday, she again claimed the recapture of two small villages, Uspenovka and Borki.",
    "Russian troops occupy about 18% of Ukrainian territory.",
]
EXTRA = ("Les autorités russes n'ont pas détaillé les raisons de cette décision, qui intervient alors que "
         "Moscou a revendiqué ces derniers jours la reprise d'une douzaine de localités occupées en août "
         "par les forces ukrainiennes, selon un communiqué publié dans la soirée.")


def cases() -> list[tuple[list[str], list[str], dict[int, int]]]:
    """(source, target, target index -> true source index) for every omission case."""
    result = []
    for k in range(6):
        result.append((FR, EN[:k] + EN[k + 1:], {j: j if j < k else j + 1 for j in range(5)}))
        result.append((FR[:k] + FR[k + 1:], EN, {j: j if j < k else j - 1 for j in range(6) if j != k}))
    for k in range(6):
        result.append((FR[:5][:k] + [EXTRA] + FR[:5][k:], EN[:5], {j: j if j < k else j + 1 for j in range(5)}))
    return result


def score(deletion_prior: float, cap: float) -> float:
    """Share of target sentences paired one-to-one with their true source sentence."""
    priors = {**A.DEFAULT_PRIORS, (1, 0): deletion_prior, (0, 1): deletion_prior}
    saved = A._MAX_DELETION
    A._MAX_DELETION = cap
    try:
        right = total = 0
        for source, target, truth in cases():
            for side_a, side_b in A.align(source, target, priors=priors):
                for j in side_b:
                    total += 1
                    right += len(side_a) == 1 and truth.get(j) == side_a[0]
        return right / total
    finally:
        A._MAX_DELETION = saved


def main() -> None:
    complete = A.align(FR, EN) == [([i], [i]) for i in range(6)]
    print(f"{len(cases())} omission cases; complete translation aligned 1-1 with defaults: {complete}")
    print("| unpaired prior | length-cost cap | correctly paired |")
    print("|---|---|---|")
    for prior, cap in ((0.005, float("inf")), (0.01, 4.0), (0.03, 2.0), (0.06, 2.0), (0.06, 8.0)):
        label = " (defaults)" if (prior, cap) == (A.DEFAULT_PRIORS[(1, 0)], A._MAX_DELETION) else ""
        print(f"| {prior} | {cap} | {score(prior, cap):.3f}{label} |")


if __name__ == "__main__":
    main()
