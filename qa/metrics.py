"""Reference-based metrics — BLEU, chrF, chrF++ and TER — computed by sacrebleu, with signatures.

When a reference translation exists, these numbers say how close the translation is to it.
Every value is sacrebleu's own (nothing is reimplemented here), and every value travels with
its sacrebleu *signature* (``nrefs:1|case:mixed|eff:no|tok:13a|smooth:exp|version:2.6.0``) so a
reader can tell exactly which variant was computed and reproduce it with the ``sacrebleu`` CLI.

Settings follow the target language: BLEU tokenises Chinese with ``zh``, Japanese with
``ja-mecab`` and Korean with ``ko-mecab`` when sacrebleu's optional MeCab packages are
installed (``pip install sacrebleu[ja]`` / ``sacrebleu[ko]``), else by characters (the signature
then says ``tok:char``); Thai, Lao, Burmese and Khmer, written without spaces, use ``char``.
TER normalises and splits CJK characters for Chinese and Japanese; it is not computed for the
languages written without word spaces, where it has no words to edit. chrF needs no tokeniser.

A large file checked in chunks (:mod:`qa.batch`) keeps, per chunk, the summed sufficient
statistics of each metric (:func:`corpus_statistics`); :func:`merge_document_metrics` adds them
up, so the merged report has exactly the corpus scores and signatures of the whole file.

Known limits: a reference given as a whole text is matched to the translation line by line
when both have the same number of lines (exactly what ``sacrebleu REF -i HYP`` does), else
sentence by sentence with :mod:`qa.align`; sentence alignment is only as good as that
aligner, and sentence-level BLEU is noisy (use chrF for single segments).
"""
from __future__ import annotations

import bisect
import functools
import re
from dataclasses import dataclass, field
from typing import Any, Callable, Sequence

from .model import Document, Segment

METRICS = ("bleu", "chrf", "chrf_plus", "ter")
_ALIASES = {"bleu": "bleu", "chrf": "chrf", "chrf++": "chrf_plus", "chrf_plus": "chrf_plus",
            "chrfpp": "chrf_plus", "ter": "ter"}
_NO_WORD_SPACES = frozenset({"th", "lo", "my", "km"})
DECIMALS = 4


@dataclass(frozen=True)
class MetricScore:
    """One metric value with the sacrebleu signature that identifies its variant."""

    metric: str
    score: float
    signature: str
    verbose: str = ""


@dataclass(frozen=True)
class AlignedRows:
    """Hypothesis rows and, for each reference, the matching reference rows.

    ``refs`` holds one stream per reference (``refs[k][i]`` pairs with ``hyps[i]``);
    ``segment_ids[i]`` lists the document segments covered by row ``i``; ``method`` says how
    the rows were formed: ``lines``, ``nonempty-lines``, ``units``, ``sentences`` or ``document``.
    """

    hyps: list[str]
    refs: list[list[str]]
    segment_ids: list[tuple[str, ...]]
    method: str
    notes: list[str] = field(default_factory=list)
    unscored: int = 0  # units left out because they have no reference


def base_language(lang: str | None) -> str:
    """``zh`` for ``zh-Hans``/``zh_TW``, lower-cased; empty when unknown."""
    return re.split(r"[-_]", (lang or "").strip().lower())[0]


@functools.lru_cache(maxsize=None)
def mecab_available(lang: str) -> bool:
    """Whether sacrebleu's MeCab tokeniser for ``ja`` or ``ko`` can be built here."""
    try:
        if lang == "ja":
            from sacrebleu.tokenizers.tokenizer_ja_mecab import TokenizerJaMecab as Tokenizer
        elif lang == "ko":
            from sacrebleu.tokenizers.tokenizer_ko_mecab import TokenizerKoMecab as Tokenizer
        else:
            return False
        Tokenizer()
    except (ImportError, RuntimeError, AssertionError):
        return False
    return True


def tokenizer_for(lang: str | None) -> str:
    """The sacrebleu BLEU tokeniser for a target language (``13a`` unless the script needs another)."""
    base = base_language(lang)
    if base == "zh":
        return "zh"
    if base in ("ja", "ko"):
        return f"{base}-mecab" if mecab_available(base) else "char"
    if base in _NO_WORD_SPACES:
        return "char"
    return "13a"


def default_params(metric: str, lang: str | None = None, sentence: bool = False) -> dict[str, Any]:
    """sacrebleu keyword arguments this module uses for ``metric`` and a target language."""
    metric = metric_name(metric)
    base = base_language(lang)
    if metric == "bleu":
        params: dict[str, Any] = {"tokenize": tokenizer_for(lang)}
        if sentence:
            params["effective_order"] = True
        return params
    if metric == "chrf":
        return {}
    if metric == "chrf_plus":
        return {"word_order": 2}
    if base in ("zh", "ja"):
        return {"normalized": True, "asian_support": True}
    return {}


def metric_name(metric: str) -> str:
    """The canonical name (``bleu``, ``chrf``, ``chrf_plus``, ``ter``) of a metric or alias."""
    try:
        return _ALIASES[metric.strip().lower()]
    except KeyError:
        raise ValueError(f"unknown metric {metric!r}; use one of {', '.join(METRICS)}") from None


def make_metric(metric: str, lang: str | None = None, sentence: bool = False, **params: Any) -> Any:
    """A sacrebleu metric object: defaults for ``lang``, overridden by ``params``."""
    import sacrebleu

    metric = metric_name(metric)
    kwargs = {**default_params(metric, lang, sentence), **params}
    if metric == "bleu":
        return sacrebleu.BLEU(**kwargs)
    if metric in ("chrf", "chrf_plus"):
        return sacrebleu.CHRF(**kwargs)
    return sacrebleu.TER(**kwargs)


def corpus_score(metric: str, hyps: Sequence[str], refs: Sequence[Sequence[str]],
                 lang: str | None = None, **params: Any) -> MetricScore:
    """Corpus-level score of ``hyps`` against reference streams ``refs`` (``refs[k][i]`` ~ ``hyps[i]``)."""
    scorer = make_metric(metric, lang, **params)
    result = scorer.corpus_score(list(hyps), [list(stream) for stream in refs])
    return _score(metric, scorer, result)


def sentence_score(metric: str, hyp: str, refs: Sequence[str], lang: str | None = None,
                   **params: Any) -> MetricScore:
    """Score of one segment against its references (BLEU uses effective order, as sacrebleu's sentence_bleu)."""
    scorer = make_metric(metric, lang, sentence=True, **params)
    return _score(metric, scorer, scorer.sentence_score(hyp, list(refs)))


def _score(metric: str, scorer: Any, result: Any) -> MetricScore:
    return MetricScore(metric=metric_name(metric), score=float(result.score),
                       signature=str(scorer.get_signature()), verbose=str(result))


def metrics_for(lang: str | None) -> tuple[str, ...]:
    """The metrics that make sense for a target language (no TER without word spaces)."""
    if base_language(lang) in _NO_WORD_SPACES:
        return ("bleu", "chrf", "chrf_plus")
    return METRICS


def corpus_scores(hyps: Sequence[str], refs: Sequence[Sequence[str]],
                  lang: str | None = None) -> dict[str, MetricScore]:
    """Every metric of :func:`metrics_for` ``lang`` on one corpus."""
    return {name: corpus_score(name, hyps, refs, lang) for name in metrics_for(lang)}


# ----------------------------------------------------------------------------------------------
# Sufficient statistics: corpus scores of a file checked in chunks
#
# Corpus BLEU, chrF and TER are functions of statistics summed over the rows (BLEU: hypothesis
# and reference lengths, n-gram matches and totals; chrF: character and word n-gram matches,
# hypothesis and reference counts; TER: edits and reference length). A chunk keeps its sums;
# adding the chunks' sums and computing the score from them gives exactly the score of the whole
# file. sacrebleu has no public API for these statistics, so the two functions below call the
# three steps its own ``Metric.corpus_score`` consists of (``_extract_corpus_statistics``,
# ``sacrebleu.utils.sum_of_lists``, ``_compute_score_from_stats``): the score is the one
# ``corpus_score`` returns, and the tests compare it with sacrebleu's public functions.


def corpus_statistics(metric: str, hyps: Sequence[str], refs: Sequence[Sequence[str]],
                      lang: str | None = None, **params: Any) -> tuple[MetricScore, list[float] | None]:
    """The corpus score of ``hyps`` (as :func:`corpus_score`) and the summed statistics it comes from.

    The statistics are None when this sacrebleu version lacks the (private) statistics methods;
    the score is then computed by the public ``corpus_score``.
    """
    from sacrebleu.utils import sum_of_lists

    scorer = make_metric(metric, lang, **params)
    hyp_list, ref_lists = list(hyps), [list(stream) for stream in refs]
    try:
        rows = scorer._extract_corpus_statistics(hyp_list, ref_lists)  # sacrebleu statistics method
        sums = [_plain(value) for value in sum_of_lists(rows)]
        result = scorer._compute_score_from_stats(list(sums))  # sacrebleu statistics method
    except AttributeError:
        return _score(metric, scorer, scorer.corpus_score(hyp_list, ref_lists)), None
    return _score(metric, scorer, result), sums


def score_from_statistics(metric: str, sums: Sequence[float], references: int = 1, lang: str | None = None,
                          **params: Any) -> MetricScore:
    """The corpus score sacrebleu computes from summed statistics (as returned by :func:`corpus_statistics`).

    ``references`` is the number of reference streams the statistics were counted against.
    """
    scorer = make_metric(metric, lang, **params)
    scorer.num_refs = references  # what sacrebleu sets while reading references; the signature shows it
    return _score(metric, scorer, scorer._compute_score_from_stats(list(sums)))  # sacrebleu statistics method


def _plain(value: Any) -> float:
    """A statistic as a plain Python number (ints stay ints), small to pickle and JSON-safe."""
    return float(value) if isinstance(value, float) else int(value)


# ----------------------------------------------------------------------------------------------
# Pairing a document with its references


def text_lines(text: str) -> list[str]:
    """The lines of a text as the sacrebleu CLI reads a file: split at ``\\n``, right-stripped."""
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    return [line.rstrip() for line in lines]


def _line_spans(text: str) -> list[tuple[int, int]]:
    spans, start = [], 0
    for piece in text.split("\n"):
        spans.append((start, start + len(piece)))
        start += len(piece) + 1
    if len(spans) > 1 and spans[-1][0] == len(text):
        spans.pop()
    return spans


def _segments_in(doc: Document, start: int, end: int) -> tuple[str, ...]:
    """Ids of the segments that start inside ``[start, end)``."""
    starts = [s.start for s in doc.segments]
    lo, hi = bisect.bisect_left(starts, start), bisect.bisect_left(starts, max(end, start + 1))
    return tuple(s.id for s in doc.segments[lo:hi])


def references_of(doc: Document) -> list[str]:
    """The whole-text references of a document: ``reference_text`` then any extra ones."""
    extra = [r for r in doc.meta.get("extra_references", ()) if r is not None]
    return ([doc.reference_text] if doc.reference_text is not None else []) + extra


def aligned_rows(doc: Document) -> AlignedRows | None:
    """Rows of hypothesis and reference text to score, or None when the document has no reference."""
    if doc.unit_based or not doc.reference_text:
        units = [s for s in doc.segments if s.reference]
        if units:
            return _unit_rows(units, len(doc.segments) - len(units))
        if not doc.reference_text or any(s.reference is not None for s in doc.segments):
            return None  # no reference, or a reference column left empty in every unit
        # a unit file with a --reference text (and no reference column) falls through to the text pairing
    references = references_of(doc)
    hyp_lines = text_lines(doc.text)
    ref_lines = [text_lines(ref) for ref in references]
    if all(len(lines) == len(hyp_lines) for lines in ref_lines):
        spans = _line_spans(doc.text)
        ids = [_segments_in(doc, a, b) for a, b in spans[:len(hyp_lines)]]
        return AlignedRows(hyp_lines, ref_lines, ids, "lines")
    nonempty = [i for i, line in enumerate(hyp_lines) if line.strip()]
    ref_nonempty = [[line for line in lines if line.strip()] for lines in ref_lines]
    if all(len(lines) == len(nonempty) for lines in ref_nonempty):
        spans = _line_spans(doc.text)
        ids = [_segments_in(doc, *spans[i]) for i in nonempty]
        return AlignedRows([hyp_lines[i] for i in nonempty], ref_nonempty, ids, "nonempty-lines")
    return _sentence_rows(doc, references)


def _unit_rows(units: list[Segment], missing: int = 0) -> AlignedRows:
    """One row per unit that has a reference (the others are left out, and counted in a note)."""
    notes = [_unscored_note(missing)] if missing else []
    return AlignedRows([u.text for u in units], [[u.reference or "" for u in units]],
                       [(u.id,) for u in units], "units", notes, missing)


def _unscored_note(missing: int) -> str:
    return f"{missing} unit(s) without a reference are not scored"


def _sentence_rows(doc: Document, references: list[str]) -> AlignedRows:
    """Align the document's segments with each reference's sentences; rows are the finest common groups."""
    from .text import segment_text

    hyp_texts = [s.text for s in doc.segments]
    ref_sentences = [[s.text for s in segment_text(ref)] for ref in references]
    aligner = _aligner()
    if aligner is None:
        if all(len(sents) == len(hyp_texts) for sents in ref_sentences):
            beads = [[([i], [i]) for i in range(len(hyp_texts))] for _ in references]
        else:
            return _document_row(doc, references, "no sentence aligner (qa.align) is available")
    else:
        beads = [aligner(hyp_texts, sents, cost=char_ngram_cost) for sents in ref_sentences]
    groups = _common_groups(len(hyp_texts), beads)
    row_of = [0] * len(hyp_texts)
    for row, (lo, hi) in enumerate(groups):
        row_of[lo:hi] = [row] * (hi - lo)
    hyps = [" ".join(hyp_texts[lo:hi]) for lo, hi in groups]
    ids = [tuple(s.id for s in doc.segments[lo:hi]) for lo, hi in groups]
    streams = []
    for bead_list, sents in zip(beads, ref_sentences):
        pieces: list[list[str]] = [[] for _ in groups]
        for j, owner in enumerate(_ref_owners(bead_list, len(sents))):
            pieces[row_of[owner]].append(sents[j])
        streams.append([" ".join(p) for p in pieces])
    return AlignedRows(hyps, streams, ids, "sentences")


def _document_row(doc: Document, references: list[str], note: str) -> AlignedRows:
    def flat(text: str) -> str:
        return " ".join(text.split())

    return AlignedRows([flat(doc.text)], [[flat(ref)] for ref in references],
                       [tuple(s.id for s in doc.segments)], "document", [note])


def _aligner() -> Callable[..., list[tuple[list[int], list[int]]]] | None:
    try:
        from .align import align
    except ImportError:
        return None
    return align


def _common_groups(n_hyp: int, alignments: list[list[tuple[list[int], list[int]]]]) -> list[tuple[int, int]]:
    """Hypothesis index ranges ``[lo, hi)`` whose ends are bead boundaries in every alignment."""
    cuts = set(range(1, n_hyp))
    for beads in alignments:
        ends = {max(h) + 1 for h, _ in beads if h}
        cuts &= ends
    edges = [0, *sorted(cuts), n_hyp] if n_hyp else []
    return [(edges[i], edges[i + 1]) for i in range(len(edges) - 1)]


def _ref_owners(beads: list[tuple[list[int], list[int]]], n_ref: int) -> list[int]:
    """For each reference sentence, the hypothesis index it is scored with.

    A reference sentence the aligner left unpaired (a 0-1 bead) joins the hypothesis before it,
    or the first one when it comes before any, so every reference sentence is scored once.
    """
    owners = [0] * n_ref
    last_hyp = -1
    pending: list[int] = []
    for hyp_side, ref_side in beads:
        if hyp_side:
            for j in pending + list(ref_side):
                owners[j] = min(hyp_side)
            pending = []
            last_hyp = max(hyp_side)
        elif last_hyp >= 0:
            for j in ref_side:
                owners[j] = last_hyp
        else:
            pending.extend(ref_side)
    return owners


def char_ngram_cost(a: str | Sequence[str], b: str | Sequence[str], n: int = 3) -> float:
    """Monolingual alignment cost in 0..1: one minus the Dice overlap of the character ``n``-gram sets.

    ``a`` and ``b`` are texts or lists of sentences (a candidate bead side); an empty side
    against a non-empty one costs 1.
    """
    left, right = _gram_set(_parts(a), n), _gram_set(_parts(b), n)
    total = len(left) + len(right)
    if total == 0:
        return 0.0 if not _parts(a) and not _parts(b) else 1.0
    return 1.0 - 2.0 * len(left & right) / total


def _parts(text: str | Sequence[str]) -> tuple[str, ...]:
    return (text,) if isinstance(text, str) else tuple(text)


@functools.lru_cache(maxsize=1 << 16)
def _gram_set(parts: tuple[str, ...], n: int) -> frozenset[str]:
    """Character ``n``-grams of lower-cased sentences with white space collapsed (cached)."""
    if len(parts) != 1:
        return frozenset().union(*(_gram_set((p,), n) for p in parts))
    flat = " ".join(parts[0].lower().split())
    return frozenset(flat[i:i + n] for i in range(max(0, len(flat) - n + 1)))


# ----------------------------------------------------------------------------------------------
# The report block


def document_metrics(doc: Document) -> dict[str, Any] | None:
    """Corpus metrics of a document against its reference(s), for the report's ``scores`` block.

    Keys: ``bleu``, ``chrf``, ``chrf_plus``, ``ter`` (sacrebleu scores, rounded to 4 decimals;
    None when not computed), ``signatures`` (metric -> sacrebleu signature), ``reference``
    (how the reference was paired: method, rows, number of references, notes),
    ``sentence_scores`` (segment id -> sentence ``bleu``/``chrf`` of the row holding it) and
    ``statistics`` (the summed sufficient statistics, for :func:`merge_document_metrics`; not
    meant for the printed report).
    """
    rows = aligned_rows(doc)
    if rows is None or not rows.hyps:
        return None
    lang = doc.target_lang
    computed = {name: corpus_statistics(name, rows.hyps, rows.refs, lang) for name in metrics_for(lang)}
    notes = list(rows.notes)
    if base_language(lang) in _NO_WORD_SPACES:
        notes.append("TER is not computed for a language written without word spaces")
    result = _metrics_block({name: score for name, (score, _) in computed.items()},
                            rows.method, len(rows.hyps), len(rows.refs), notes)
    result["sentence_scores"] = sentence_scores(rows, lang)
    result["statistics"] = {
        "lang": lang, "alignment": rows.method, "rows": len(rows.hyps), "references": len(rows.refs),
        "unscored": rows.unscored, "notes": notes,
        "signatures": {name: score.signature for name, (score, _) in computed.items()},
        "sums": {name: sums for name, (_, sums) in computed.items()},
    }
    return result


def _metrics_block(scores: dict[str, MetricScore], method: str, rows: int, references: int,
                   notes: list[str]) -> dict[str, Any]:
    """The metric keys of the ``scores`` block: every metric (None when missing), signatures, pairing."""
    result: dict[str, Any] = {name: None for name in METRICS}
    result.update({name: round(s.score, DECIMALS) for name, s in scores.items()})
    result["signatures"] = {name: s.signature for name, s in scores.items()}
    result["reference"] = {"alignment": method, "rows": rows, "references": references, "notes": notes}
    return result


def merge_document_metrics(blocks: Sequence[dict[str, Any]], unscored: int = 0) -> dict[str, Any] | None:
    """The corpus metrics of a document checked in chunks, from the chunks' ``statistics`` blocks.

    ``blocks`` are the ``statistics`` of :func:`document_metrics` for each chunk that had a
    reference, in file order; ``unscored`` counts the units of chunks that had none. Each metric's
    sums are added and the score computed from them, which is exactly the score sacrebleu gives
    the whole file, with the same signature. A metric whose chunks were scored with different
    settings (different signatures, e.g. a target language detected differently) is left None,
    with a note. Returns the keys of :func:`document_metrics` except ``sentence_scores``.
    """
    from sacrebleu.utils import sum_of_lists

    if not blocks:
        return None
    lang = blocks[0]["lang"]
    scores: dict[str, MetricScore] = {}
    sums: dict[str, list[float]] = {}
    problems: list[str] = []
    for name in METRICS:
        signatures = {block["signatures"].get(name) for block in blocks}
        parts = [block["sums"].get(name) for block in blocks]
        if signatures == {None}:
            continue  # not computed for this language
        if len(signatures) != 1:
            problems.append(f"{name} is not combined: the chunks were scored with different settings")
            continue
        if any(part is None for part in parts):
            problems.append(f"{name} is not combined: this sacrebleu version gives no statistics")
            continue
        total = list(sum_of_lists([list(part) for part in parts]))
        score = score_from_statistics(name, total, blocks[0]["references"], lang)
        if score.signature != next(iter(signatures)):
            problems.append(f"{name} is not combined: the chunks were scored by another sacrebleu")
            continue
        scores[name], sums[name] = score, total
    unscored += sum(block["unscored"] for block in blocks)
    notes = [_unscored_note(unscored)] if unscored else []
    for block in blocks:
        own = _unscored_note(block["unscored"])
        notes.extend(n for n in block["notes"] if n != own and n not in notes)
    notes.extend(problems)
    methods = list(dict.fromkeys(block["alignment"] for block in blocks))
    method = methods[0] if len(methods) == 1 else "+".join(methods)
    rows = sum(block["rows"] for block in blocks)
    references = max(block["references"] for block in blocks)
    result = _metrics_block(scores, method, rows, references, notes)
    result["statistics"] = {
        "lang": lang, "alignment": method, "rows": rows, "references": references, "unscored": unscored,
        "notes": [n for n in notes if n != _unscored_note(unscored)],
        "signatures": {name: s.signature for name, s in scores.items()}, "sums": sums,
    }
    return result


def sentence_scores(rows: AlignedRows, lang: str | None) -> dict[str, dict[str, float]]:
    """Sentence BLEU and chrF of each row, keyed by every segment id the row covers."""
    bleu = make_metric("bleu", lang, sentence=True)
    chrf = make_metric("chrf", lang)
    by_segment: dict[str, dict[str, float]] = {}
    for i, hyp in enumerate(rows.hyps):
        refs = [stream[i] for stream in rows.refs]
        values = {"bleu": round(float(bleu.sentence_score(hyp, refs).score), 2),
                  "chrf": round(float(chrf.sentence_score(hyp, refs).score), 2)}
        for seg_id in rows.segment_ids[i]:
            by_segment.setdefault(seg_id, values)
    return by_segment
