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
it) and quote the source words. Needs the source text and the language model.
"""
from __future__ import annotations

import statistics
from typing import Iterator, Sequence

from ..adequacy import SegmentAdequacy, WordEvidence
from ..context import CheckContext
from ..model import Category, Document, Finding, Severity
from ..rules import ALL_LANGUAGES, Example, Rule, check

# Prior norm of evidence per word (nats) and its spread, from WMT21 TED MQM MT output;
# a document of n segments weighs its own median n : PRIOR_WEIGHT against the prior.
PRIOR_MEDIAN = -0.9
PRIOR_SPREAD = 0.9
PRIOR_WEIGHT = 8
# A segment is an outlier when its robust z-score is below -Z_LIMIT and ...
Z_LIMIT = 2.5
# ... its worst word has at least this much excess surprisal (nats).
WORD_LIMIT = -6.0
# Source side (omissions): the same, on source excess per source word.
SOURCE_PRIOR_MEDIAN = -0.7
SOURCE_PRIOR_SPREAD = 0.8
SOURCE_WORD_LIMIT = -7.0
# Words of one span: the worst word plus neighbours at least this bad (nats).
NEIGHBOUR_LIMIT = -3.0

UNSUPPORTED = Rule(
    code="QA650",
    name="adequacy-unsupported-words",
    category=Category.ACCURACY,
    severity=Severity.MINOR,
    languages=ALL_LANGUAGES,
    needs_source=True,
    needs_model=True,
    explanation=(
        "Words of this sentence are not supported by its source: reading the source in a "
        "translation prompt, the language model still finds them very unlikely, and the source "
        "did not make them more likely than the sentence alone does. The sentence stands far "
        "below the rest of the document on this evidence. Typical causes are a mistranslated word "
        "sense, an invented addition or a garbled clause. Compare the flagged words with the source; "
        "rare but correct terms can also trigger it."
    ),
    fail_examples=(
        Example("Der Hund schläft im Garten unter dem alten Baum.", lang="de",
                source="The cat is sleeping in the garden under the old tree.", source_lang="en"),
        Example("Le gouvernement a annoncé hier une hausse des impôts pour les pilotes de course.", lang="fr",
                source="The government announced yesterday a tax increase for small businesses.", source_lang="en"),
    ),
    pass_examples=(
        Example("Die Katze schläft im Garten unter dem alten Baum.", lang="de",
                source="The cat is sleeping in the garden under the old tree.", source_lang="en"),
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
    explanation=(
        "Source words seem to be missing from this sentence: reading the sentence as a translation, "
        "the language model finds these source words very unlikely, far more than elsewhere in the "
        "document. Typical causes are a dropped clause, negation, number or qualifier. The finding "
        "covers the whole sentence, since the missing words are not in it, and its message quotes "
        "the source words."
    ),
    fail_examples=(
        Example("Die Regierung hat die Steuern erhöht.", lang="de",
                source="The government raised taxes on small businesses and independent farmers last year.",
                source_lang="en"),
    ),
    pass_examples=(
        Example("Die Regierung hat letztes Jahr die Steuern für kleine Unternehmen und unabhängige Landwirte erhöht.",
                lang="de", source="The government raised taxes on small businesses and independent farmers last year.",
                source_lang="en"),
        Example("The children went to school by bus this morning.", lang="en",
                source="Les enfants sont allés à l'école en bus ce matin.", source_lang="fr"),
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
    return w * median + (1 - w) * prior_median, max(w * spread + (1 - w) * prior_spread, 0.25)


def _segments_with_scores(doc: Document, ctx: CheckContext) -> list[tuple[int, SegmentAdequacy]]:
    found = []
    for index, seg in enumerate(doc.segments):
        result = ctx.adequacy.get(seg.id)
        if isinstance(result, SegmentAdequacy):
            found.append((index, result))
    return found


def _target_span(words: Sequence[WordEvidence], seg_text: str) -> tuple[int, int, list[WordEvidence]]:
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
        z = (result.evidence_per_word - median) / spread
        if z > -Z_LIMIT or not result.unsupported or result.unsupported[0].excess > WORD_LIMIT:
            continue
        seg = doc.segments[index]
        start, end, members = _target_span(result.unsupported, seg.text)
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
    """Segments whose source words the translation leaves unexplained, far below the document's norm."""
    scored = _segments_with_scores(doc, ctx)
    if not scored:
        return
    per_word = [_source_per_word(r) for _, r in scored]
    median, spread = robust_norm(per_word, SOURCE_PRIOR_MEDIAN, SOURCE_PRIOR_SPREAD)
    for (index, result), value in zip(scored, per_word):
        z = (value - median) / spread
        if z > -Z_LIMIT or not result.uncovered or result.uncovered[0].excess > SOURCE_WORD_LIMIT:
            continue
        seg = doc.segments[index]
        quoted = ", ".join(f"\u201c{w.text}\u201d" for w in sorted(result.uncovered, key=lambda w: w.start))
        confidence = min(0.7, 0.3 + 0.1 * (-z - Z_LIMIT))
        yield OMISSION.finding(
            doc, seg.start, seg.end,
            f"Source words {quoted} do not seem to be rendered in this sentence; check whether "
            "something was left out.",
            confidence=confidence,
        )


def _source_per_word(result: SegmentAdequacy) -> float:
    from ..text import words

    total = sum(w.excess for w in result.uncovered)
    return total / max(1, len(words(result.source)))


def _adequacy_of(per_word: float) -> float:
    from ..adequacy import calibrate

    return calibrate(per_word)
