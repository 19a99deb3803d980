"""Fluency: sentences that read far less naturally than the rest of their own document.

What it catches
    * ``low-fluency-sentence``: a sentence whose language-model score (mean token
      log-probability after discounting names and numbers, see :mod:`qa.fluency`) lies far
      below the document's own median — garbled word order, calques, broken agreement,
      words left in the wrong language, doubled or missing words.

Why MT produces it
    MT systems translate sentence by sentence and sometimes fail on one: a long source sentence
    with nested clauses comes out with the verb in the wrong place, an idiom is translated word
    for word, or a fragment is dropped. The rest of the document stays fluent, so the failed
    sentence stands out against its neighbours.

Known limits
    The judgement is relative to the document, never a fixed threshold: a technical text full
    of rare terms is compared with itself, so it is not flagged wholesale. It therefore needs at
    least five scored sentences of six words or more, and it reports at most one sentence in ten.
    A fluent but wrong translation (an accuracy error) is not caught here. A small language
    model (Gemma 3 270M by default) also finds some legitimate sentences surprising — lists,
    quotations, headlines in the body — so findings are minor and carry a moderate confidence.
    In languages where its judgements were not checked (``VALIDATED_LANGUAGES``), only a
    sentence at least three nats per token below the median is reported.
"""
from __future__ import annotations

import statistics
from typing import Iterator

from ..context import CheckContext
from ..model import Category, Document, Finding, Severity
from ..rules import ALL_LANGUAGES, Example, Rule, check
from ..text import word_count

MIN_WORDS = 6            # shorter sentences have too few tokens for a stable mean
MIN_SENTENCES = 5        # fewer scored sentences give no reliable document median
MARGIN_SIGMAS = 3.0      # how many robust standard deviations below the median
MARGIN_NATS = 1.0        # and at least this far below the median (nats per token)
SIGMA_FLOOR = 0.25       # robust spread never assumed smaller than this (uniform documents)
MAX_SHARE = 0.1          # report at most this share of the scored sentences
# Languages in which the default model's sentence judgements were checked (good/damaged pairs,
# the rule's examples, clean articles of tests/data/multilingual). Elsewhere the model may know
# the language too little to tell an unusual sentence from a broken one (a plain Turkish sentence
# fell 2.2 nats below its article's median), so only a glaring outlier is reported there.
VALIDATED_LANGUAGES = ("en", "de", "fr", "es", "it", "pt", "nl", "pl", "ru", "uk")
MARGIN_NATS_UNVALIDATED = 3.0

_BASE_EN = (
    "The city council met on Monday to discuss the new budget for public schools. "
    "Several members asked for more money to repair old buildings before the winter. "
    "The mayor said that the plan would be presented to residents next month. "
    "Parents who attended the meeting welcomed the proposal but asked for details. "
    "A final vote on the budget is expected at the end of the year. "
)
_BASE_DE = (
    "Der Stadtrat hat am Montag über den neuen Haushalt für die Schulen beraten. "
    "Mehrere Mitglieder forderten mehr Geld für die Sanierung alter Gebäude vor dem Winter. "
    "Der Bürgermeister sagte, der Plan werde den Bürgern im nächsten Monat vorgestellt. "
    "Eltern, die an der Sitzung teilnahmen, begrüßten den Vorschlag, wollten aber Einzelheiten wissen. "
    "Eine endgültige Abstimmung über den Haushalt wird zum Jahresende erwartet. "
)
_BASE_FR = (
    "Le conseil municipal s'est réuni lundi pour discuter du nouveau budget des écoles. "
    "Plusieurs élus ont demandé davantage d'argent pour rénover les vieux bâtiments avant l'hiver. "
    "Le maire a déclaré que le projet serait présenté aux habitants le mois prochain. "
    "Les parents présents à la réunion ont salué la proposition mais ont demandé des précisions. "
    "Un vote final sur le budget est attendu à la fin de l'année. "
)

LOW_FLUENCY_SENTENCE = Rule(
    code="QA701",
    name="low-fluency-sentence",
    category=Category.FLUENCY,
    severity=Severity.MINOR,
    languages=ALL_LANGUAGES,
    explanation=(
        "The language model finds this sentence far less natural than the other sentences of "
        "the same document: its mean token log-probability (names and numbers discounted, "
        "corrected for sentence length) is at least three robust standard deviations and one "
        "nat per token below the document's median. Machine translation typically fails this way on one sentence at a time: "
        "scrambled word order, word-for-word idioms, broken agreement, dropped or doubled "
        "words. Read the sentence aloud and rewrite it. Documents are only judged against "
        "themselves, so a technical text is not flagged as a whole. In languages where the "
        "model's judgements were not checked (anything but English, German, French, Spanish, "
        "Italian, Portuguese, Dutch, Polish, Russian and Ukrainian) the sentence must be at least "
        "three nats per token below the median."
    ),
    fail_examples=(
        Example(_BASE_EN + "Members the budget of the schools yesterday at meeting with mayor not "
                "agree was being by it to them.", lang="en",
                span="Members the budget of the schools yesterday at meeting with mayor not agree "
                     "was being by it to them."),
        Example(_BASE_DE + "Die Eltern haben gestern die Sitzung mit dem von Haushalt den Schulen "
                "nicht der wurde gesagt werden für.", lang="de",
                span="Die Eltern haben gestern die Sitzung mit dem von Haushalt den Schulen nicht "
                     "der wurde gesagt werden für."),
        Example(_BASE_FR + "Les parents de la réunion hier avec budget le maire ont été pas de "
                "pour les écoles dit avoir.", lang="fr",
                span="Les parents de la réunion hier avec budget le maire ont été pas de pour les "
                     "écoles dit avoir."),
    ),
    pass_examples=(
        Example(_BASE_EN + "The council will publish the minutes of the meeting on its website.", lang="en"),
        Example(_BASE_DE + "Das Protokoll der Sitzung wird auf der Internetseite der Stadt veröffentlicht.",
                lang="de"),
        Example(_BASE_FR + "Le compte rendu de la séance sera publié sur le site de la mairie.", lang="fr"),
        Example("The kubelet reads the PodSpec from the API server and starts the containers. "
                "Each container gets its own cgroup with the CPU and memory limits of the spec. "
                "If a liveness probe fails three times, the kubelet restarts the container. "
                "Readiness probes decide whether the Service sends traffic to the Pod. "
                "The kube-proxy programs iptables or IPVS rules for every ClusterIP. "
                "Use kubectl describe pod to see the events of a failing Pod.", lang="en"),
    ),
    needs_model=True,
)


def _margin_nats(lang: str | None) -> float:
    """The least gap (nats per token) below the median that counts in ``lang``."""
    validated = (lang or "").split("-")[0].lower() in VALIDATED_LANGUAGES
    return MARGIN_NATS if validated else MARGIN_NATS_UNVALIDATED


@check(LOW_FLUENCY_SENTENCE)
def low_fluency_sentence(doc: Document, ctx: CheckContext) -> Iterator[Finding]:
    """Sentences far below the document's own median fluency (relative, never a fixed threshold)."""
    scored = [(seg, ctx.fluency[seg.id]) for seg in doc.segments
              if seg.kind in ("sentence", "unit") and seg.id in ctx.fluency
              and word_count(seg.text) >= MIN_WORDS]
    if len(scored) < MIN_SENTENCES:
        return
    values = [flu.relative for _, flu in scored]
    median = statistics.median(values)
    sigma = max(1.4826 * statistics.median(abs(v - median) for v in values), SIGMA_FLOOR)
    threshold = median - max(MARGIN_SIGMAS * sigma, _margin_nats(doc.target_lang))
    outliers = sorted(((seg, flu) for seg, flu in scored if flu.relative < threshold),
                      key=lambda pair: pair[1].relative)
    limit = max(1, int(len(scored) * MAX_SHARE))
    median_fluency = statistics.median(flu.fluency for _, flu in scored)
    for seg, flu in outliers[:limit]:
        z = (median - flu.relative) / sigma
        worst = ", ".join(f"'{seg.text[a:b]}'" for a, b in flu.worst[:3])
        message = (f"This sentence reads much less naturally than the rest of the document "
                   f"(fluency {flu.fluency:.0f}/100 against a median of {median_fluency:.0f}); "
                   f"least expected: {worst}.")
        yield LOW_FLUENCY_SENTENCE.finding(doc, seg.start, seg.end, message,
                                           confidence=min(0.8, 0.4 + 0.05 * (z - MARGIN_SIGMAS)))
