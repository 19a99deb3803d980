"""Throughput of the language, locale, layout and source rules (3xx-6xx) on a 1,000-sentence document.

Builds a synthetic news document of N sentences (English target, French source for the
source-aware rules) from varied sentence templates, then times ``qa.check`` with only these
rule families selected and no language model. Reports the cold first run (word lists and
lingua models loading) and the best of several warm runs, as wall-clock time and as CPU time
of this process (the latter is less disturbed by other processes on a shared machine).

    .venv/bin/python bench/rules_speed.py [--sentences 1000] [--repeat 3]
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from qa import Config, check  # noqa: E402

EN = [
    "Russia on Monday ordered the evacuation of {n} villages in sector {i} located less than {k} kilometers from Ukraine.",
    "The authorities have not detailed the reasons for decision {k}, officials in {city} said.",
    "This led to the evacuation of around {big},000 civilians, according to the regional governor.",
    "“We hope that statement {k} will not be taken into consideration,” he added on {day}.",
    "Ukrainian troops are now just {n} kilometers from the town of {city}, hub number {k}.",
    "The offensive slowed Russian advances in sector {k}, one of the goals of the operation.",
    "Mr. Sybiga invited the ICRC to visit sector {k} of the region occupied by Ukraine.",
    "Prices rose by {k}% in {city} last month, the statistics office said.",
]
FR = [
    "La Russie a ordonné lundi l'évacuation de {n} villages du secteur {i} situés à moins de {k} kilomètres de l'Ukraine.",
    "Les autorités n'ont pas détaillé les raisons de la décision {k}, ont indiqué des responsables à {city}.",
    "Cela a conduit à l'évacuation d'environ {big} 000 civils, selon le gouverneur régional.",
    "« Nous espérons que la déclaration {k} ne sera pas prise en compte », a-t-il ajouté {day}.",
    "Les troupes ukrainiennes ne sont plus qu'à {n} kilomètres de la ville de {city}, carrefour numéro {k}.",
    "L'offensive a ralenti l'avancée russe dans le secteur {k}, l'un des objectifs de l'opération.",
    "M. Sybiga a invité le CICR à visiter le secteur {k} de la région occupée par l'Ukraine.",
    "Les prix ont augmenté de {k} % à {city} le mois dernier, selon l'office statistique.",
]
CITIES = ["Kursk", "Pokrovsk", "Sumy", "Kharkiv", "Donetsk", "Belgorod"]
DAYS = [("Monday", "lundi"), ("Tuesday", "mardi"), ("Friday", "vendredi")]


def build(n_sentences: int) -> tuple[str, str]:
    """An English document of ``n_sentences`` sentences in paragraphs of four, and its French source."""
    target, source = [], []
    for i in range(n_sentences):
        values = {"i": i + 1, "n": i % 9 + 2, "k": i + 5, "big": 100 + i % 900, "city": CITIES[i % len(CITIES)]}
        day_en, day_fr = DAYS[i % len(DAYS)]
        target.append(EN[i % len(EN)].format(day=day_en, **values))
        source.append(FR[i % len(FR)].format(day=day_fr, **values))
    def join(items: list[str]) -> str:
        return "\n\n".join(" ".join(items[i:i + 4]) for i in range(0, len(items), 4))
    return join(target), join(source)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sentences", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    target, source = build(args.sentences)
    config = Config(fluency=False, select=("QA3", "QA4", "QA5", "QA6"), source_lang="fr")
    for label, src in (("target only (3xx-5xx)", None), ("with source (3xx-6xx)", source)):
        timings, cpu = [], []
        findings = 0
        for _ in range(args.repeat + 1):
            start, start_cpu = time.perf_counter(), time.process_time()
            report = check(target, target_lang="en", source=src, config=config)
            timings.append(time.perf_counter() - start)
            cpu.append(time.process_time() - start_cpu)
            findings = len(report.documents[0].findings)
        segments = len(report.documents[0].segments)
        print(f"{label}: {segments} segments, {findings} findings; first run {timings[0]:.3f} s "
              f"(CPU {cpu[0]:.3f} s), best warm run {min(timings[1:]):.3f} s (CPU {min(cpu[1:]):.3f} s)")


if __name__ == "__main__":
    main()
