"""Adequacy outliers: segments whose source does not explain them (or that do not explain their source).

What it catches: a sentence containing words that its source sentence does not support
(a mistranslated term, an invented addition, a hallucinated clause) — QA650 — and a sentence
that leaves source words unexplained (an omission) — QA651. The evidence comes from
:mod:`qa.adequacy`: the language model reads the pair in a translation prompt; words whose
tokens stay very unlikely although the source is in view, and that the source did not make
more likely than the target alone does, are "unsupported".

Why MT produces it: neural MT writes fluent text even where it misreads the source: a wrong
sense of a polysemous word, a dropped negation or clause, an added phrase from its training
data. A fluency model alone cannot see these; the source can.

Known limits: a 270M-parameter model is a weak translator, so its evidence is noisy. Rare but
correct words (technical terms, free but valid renderings, names not copied letter by letter)
also look unsupported. The checks therefore report only segments far below the document's own
norm (robust z-score over the document's segments, shrunk towards a prior for short documents)
and only when the word evidence is strong in absolute terms too; findings are minor with
modest confidence. Omissions point at the whole target sentence (the missing words are not in
it) and quote the source words. Needs the source text and the language model. Measured on WMT21
TED en-de, a flagged span overlaps a human Accuracy error only about one time in five (chance:
one in ten), so both rules are off by default: select them (``--select QA65``) to review a
translation's weakest segments.
"""
from __future__ import annotations

import statistics
from typing import Iterator, Sequence

from ..adequacy import SegmentAdequacy, WordEvidence
from ..context import CheckContext
from ..model import Category, Document, Finding, Severity
from ..rules import ALL_LANGUAGES, Example, Rule, check

# Prior norm of evidence per target word (nats) and its spread (1.4826 x MAD), measured on
# 500 WMT21 TED en-de MT segments; a document of n segments weighs its own median and spread
# n : PRIOR_WEIGHT against the prior.
PRIOR_MEDIAN = -0.12
PRIOR_SPREAD = 0.18
PRIOR_WEIGHT = 8
# A segment is an outlier when its robust z-score is below -Z_LIMIT and ...
Z_LIMIT = 3.0
# ... its worst word has at least this much excess surprisal (nats).
WORD_LIMIT = -4.0
# Source side (omissions): the share of source content words the target explains. On the same
# data its median is 0.875 and its 5th percentile 0.64; a segment is an outlier below the
# norm by OMISSION_Z_LIMIT spreads and with at least MIN_UNCOVERED unexplained content words.
COVERAGE_PRIOR_MEDIAN = 0.875
COVERAGE_PRIOR_SPREAD = 0.13
OMISSION_Z_LIMIT = 2.5
MIN_UNCOVERED = 3
# Words of one span: the worst word plus adjacent words at least this bad (nats).
NEIGHBOUR_LIMIT = -3.0

UNSUPPORTED = Rule(
    code="QA650",
    name="adequacy-unsupported-words",
    category=Category.ACCURACY,
    severity=Severity.MINOR,
    languages=ALL_LANGUAGES,
    needs_source=True,
    needs_model=True,
    default_enabled=False,
    explanation=(
        "Words of this sentence are not supported by its source: reading the source in a "
        "translation prompt, the language model still finds them very unlikely, and the source "
        "did not make them more likely than the sentence alone does. The sentence stands far "
        "below the rest of the document on this evidence. Typical causes are a mistranslated word "
        "sense, an invented addition or a garbled clause. Compare the flagged words with the source; "
        "rare but correct terms can also trigger it. Needs the source and the language model, and is "
        "off by default (select it to review a translation's weakest sentences)."
    ),
    fail_examples=(
        Example("Sie hat letzte Woche ein neues Krokodil gekauft.", lang="de", span="Krokodil",
                source="She bought a new car last week.", source_lang="en"),
        Example("Elle a acheté un nouveau parapluie la semaine dernière.", lang="fr", span="parapluie",
                source="She bought a new car last week.", source_lang="en"),
        Example("It rained all day in Lyon, and the president resigned after the scandal.", lang="en",
                span="president", source="Il a plu toute la journée à Lyon.", source_lang="fr"),
    ),
    pass_examples=(
        Example("Die Katze schläft im Garten unter dem alten Baum.", lang="de",
                source="The cat is sleeping in the garden under the old tree.", source_lang="en"),
        Example("Elle a acheté une nouvelle voiture la semaine dernière.", lang="fr",
                source="She bought a new car last week.", source_lang="en"),
        Example("Le gouvernement a annoncé hier une hausse des impôts pour les petites entreprises.", lang="fr",
                source="The government announced yesterday a tax increase for small businesses.", source_lang="en"),
        Example("The children went to school by bus this morning.", lang="en",
                source="Les enfants sont allés à l'école en bus ce matin.", source_lang="fr"),
    ),
)

OMISSION = Rule(
    code="QA651",
    name="adequacy-possible-omission",
    category=Category.ACCURACY,
    severity=Severity.MINOR,
    languages=ALL_LANGUAGES,
    needs_source=True,
    needs_model=True,
    default_enabled=False,
    explanation=(
        "Source words seem to be missing from this sentence: given the sentence, the language model "
        "finds many of the source's content words no more likely than without it, far more of them "
        "than elsewhere in the document. Typical causes are a dropped clause, negation, number or qualifier. The finding "
        "covers the whole sentence, since the missing words are not in it, and its message quotes "
        "the source words. Needs the source and the language model, and is off by default."
    ),
    fail_examples=(
        Example("Die Regierung hat die Steuern erhöht.", lang="de",
                source="The government raised taxes on small businesses and independent farmers last year.",
                source_lang="en"),
        Example("Der Arzt sagte.", lang="de", span="Der Arzt sagte.",
                source="The doctor said the patient could go home after three days of rest.", source_lang="en"),
        Example("The museum closes its doors.", lang="en",
                source="Le musée ferme ses portes le lundi pendant l'hiver.", source_lang="fr"),
    ),
    pass_examples=(
        Example("Die Regierung hat letztes Jahr die Steuern für kleine Unternehmen und unabhängige Landwirte erhöht.",
                lang="de", source="The government raised taxes on small businesses and independent farmers last year.",
                source_lang="en"),
        Example("Nous avons acheté du pain frais et du fromage au marché ce matin.", lang="fr",
                source="We bought fresh bread and cheese at the market this morning.", source_lang="en"),
        Example("The children went to school by bus this morning.", lang="en",
                source="Les enfants sont allés à l'école en bus ce matin.", source_lang="fr"),
        Example("Die Katze schläft im Garten unter dem alten Baum.", lang="de",
                source="The cat is sleeping in the garden under the old tree.", source_lang="en"),
    ),
)


def robust_norm(values: Sequence[float], prior_median: float, prior_spread: float) -> tuple[float, float]:
    """Median and spread (1.4826 x MAD) of ``values``, shrunk towards the prior for few values."""
    n = len(values)
    if n == 0:
        return prior_median, prior_spread
    median = statistics.median(values)
    spread = 1.4826 * statistics.median(abs(v - median) for v in values) if n >= 3 else prior_spread
    w = n / (n + PRIOR_WEIGHT)
    return w * median + (1 - w) * prior_median, max(w * spread + (1 - w) * prior_spread, prior_spread / 2)


def _segments_with_scores(doc: Document, ctx: CheckContext) -> list[tuple[int, SegmentAdequacy]]:
    found = []
    for index, seg in enumerate(doc.segments):
        result = ctx.adequacy.get(seg.id)
        if isinstance(result, SegmentAdequacy):
            found.append((index, result))
    return found


def is_outlier(result: SegmentAdequacy, median: float, spread: float) -> bool:
    """Whether a segment's target evidence is far below the norm and its worst word is bad enough."""
    z = (result.evidence_per_word - median) / spread
    return z <= -Z_LIMIT and bool(result.unsupported) and result.unsupported[0].excess <= WORD_LIMIT


def target_span(words: Sequence[WordEvidence], seg_text: str) -> tuple[int, int, list[WordEvidence]]:
    """The worst word widened over adjacent bad words of the same segment."""
    worst = words[0]
    bad = sorted((w for w in words if w.excess <= NEIGHBOUR_LIMIT), key=lambda w: w.start)
    start, end, members = worst.start, worst.end, [worst]
    changed = True
    while changed:
        changed = False
        for w in bad:
            if w in members:
                continue
            gap = seg_text[end:w.start] if w.start >= end else seg_text[w.end:start]
            if len(gap) <= 2 and not any(ch in ".;:!?" for ch in gap):
                start, end = min(start, w.start), max(end, w.end)
                members.append(w)
                changed = True
    return start, end, members


@check(UNSUPPORTED)
def unsupported_words(doc: Document, ctx: CheckContext) -> Iterator[Finding]:
    """Segments far below the document's adequacy norm, pointing at their worst-supported words."""
    scored = _segments_with_scores(doc, ctx)
    if not scored:
        return
    median, spread = robust_norm([r.evidence_per_word for _, r in scored], PRIOR_MEDIAN, PRIOR_SPREAD)
    for index, result in scored:
        if not is_outlier(result, median, spread):
            continue
        z = (result.evidence_per_word - median) / spread
        seg = doc.segments[index]
        start, end, _ = target_span(result.unsupported, seg.text)
        confidence = min(0.8, 0.3 + 0.1 * (-z - Z_LIMIT) + 0.02 * (-result.unsupported[0].excess + WORD_LIMIT))
        yield UNSUPPORTED.finding(
            doc, seg.start + start, seg.start + end,
            f"The source does not seem to support \u201c{seg.text[start:end]}\u201d: the model finds it "
            f"very unlikely as a translation (adequacy {result.adequacy:.0f}/100, document median "
            f"{_adequacy_of(median):.0f}); check it against the source.",
            confidence=confidence,
        )


@check(OMISSION)
def possible_omission(doc: Document, ctx: CheckContext) -> Iterator[Finding]:
    """Segments that leave many source content words unexplained, far below the document's norm."""
    scored = _segments_with_scores(doc, ctx)
    if not scored:
        return
    median, spread = robust_norm([r.source_coverage for _, r in scored], COVERAGE_PRIOR_MEDIAN,
                                 COVERAGE_PRIOR_SPREAD)
    for index, result in scored:
        z = (result.source_coverage - median) / spread
        if z > -OMISSION_Z_LIMIT or len(result.uncovered) < MIN_UNCOVERED:
            continue
        seg = doc.segments[index]
        quoted = ", ".join(f"\u201c{w.text}\u201d" for w in result.uncovered[:6])
        confidence = min(0.7, 0.3 + 0.1 * (-z - OMISSION_Z_LIMIT))
        yield OMISSION.finding(
            doc, seg.start, seg.end,
            f"Source words {quoted} do not seem to be rendered in this sentence (it explains "
            f"{result.source_coverage:.0%} of the source's content words); check whether something was left out.",
            confidence=confidence,
        )


def _adequacy_of(per_word: float) -> float:
    from ..adequacy import calibrate

    return calibrate(per_word)
