"""Adequacy without a reference, measured on MQM-annotated MT (WMT21 TED, en-de and zh-en).

For a random subsample of rows of each ``wmt21_ted_mqm_<pair>.jsonl`` under the given
directory, this computes per segment: the adequacy score (``qa.adequacy``), the fluency score
(``qa.fluency``), the combined reference-free quality estimate, sentence chrF against the
reference and the MT length alone; and prints the segment-level Kendall tau-b of each against
the MQM score and against the Accuracy-category penalty per word, as one Markdown table.
It then measures span evidence (flagged words against the human Accuracy error spans, by
character overlap) and throughput (source/target pairs per second, score cache off).

    .venv/bin/python bench/adequacy.py PATH/TO/mqm --rows 400

The data directory is an argument: nothing here reads a fixed path.
"""
from __future__ import annotations

import argparse
import json
import random
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from qa import adequacy as ade  # noqa: E402
from qa.config import Config  # noqa: E402
from qa.fluency import load_scorer, segment_fluency  # noqa: E402
from qa.model import Segment  # noqa: E402
from qa.text import word_count, words  # noqa: E402

SEVERITY_POINTS = {"Major": 5.0, "Minor": 1.0, "Neutral": 0.0}


def kendall(x: np.ndarray, y: np.ndarray) -> float:
    """Kendall tau-b (ties on either side handled), O(n^2)."""
    x, y = np.asarray(x, float), np.asarray(y, float)
    upper = np.triu_indices(len(x), 1)
    dx = np.sign(x[:, None] - x[None, :])[upper]
    dy = np.sign(y[:, None] - y[None, :])[upper]
    denominator = np.sqrt(float((dx != 0).sum()) * float((dy != 0).sum()))
    return float((dx * dy).sum() / denominator) if denominator else 0.0


def accuracy_points(row: dict) -> float:
    """MQM points of the row's Accuracy-category errors (Non-translation counts 25)."""
    points = 0.0
    for error in row["errors"]:
        category = error["category"]
        if category.startswith("Non-translation"):
            points += 25.0
        elif category.startswith("Accuracy"):
            points += SEVERITY_POINTS.get(error["severity"], 0.0)
    return points


def accuracy_spans(row: dict) -> list[tuple[int, int]]:
    """Character spans (into the MT) of the row's Accuracy errors."""
    return [(e["start"], e["end"]) for e in row["errors"]
            if e["category"].startswith(("Accuracy", "Non-translation"))
            and e["start"] is not None and e["end"] is not None and e["end"] > e["start"] >= 0]


def load_rows(directory: Path, pair: str, count: int, seed: int, skip: int = 0) -> list[dict]:
    """``count`` random rows of one language pair (fixed seed), after skipping ``skip`` of them."""
    with open(directory / f"wmt21_ted_mqm_{pair}.jsonl", encoding="utf-8") as handle:
        rows = [json.loads(line) for line in handle if line.strip()]
    random.Random(seed).shuffle(rows)
    return rows[skip:skip + count]


def fluency_scores(rows: list[dict], lang: str, scorer) -> list:
    """SegmentFluency of each MT (scored alone, as ``qa.fluency.score_segments`` does for a first sentence)."""
    texts = [r["mt"] for r in rows]
    results = scorer.token_logprobs(texts, [""] * len(texts))
    return [segment_fluency(s, Segment(id=str(i), start=0, end=len(t), text=t), lang, scorer)
            for i, (s, t) in enumerate(zip(results, texts))]


def chrf(rows: list[dict]) -> np.ndarray:
    from sacrebleu.metrics import CHRF

    metric = CHRF()
    return np.array([metric.sentence_score(r["mt"], [r["reference"]]).score for r in rows])


def span_evidence(rows: list[dict], results: list[ade.SegmentAdequacy]) -> dict[str, float]:
    """Precision/recall of flagged target spans against human Accuracy spans (character overlap).

    Flagged spans are those the QA650 check would report on each segment given a document norm
    of the whole sample (the segment flag plus its span); also reported: every unsupported word
    below the word limit regardless of the segment norm, and a chance baseline that flags the
    same number of random words in the same segments.
    """
    from qa.checks import adequacy as checks

    median, spread = checks.robust_norm([r.evidence_per_word for r in results], checks.PRIOR_MEDIAN,
                                        checks.PRIOR_SPREAD)
    rng = random.Random(1)
    tallies = {name: [0, 0, 0, 0] for name in ("check", "words", "chance")}  # hit, flagged, found, gold
    for row, result in zip(rows, results):
        gold = accuracy_spans(row)
        check_spans = []
        if checks.is_outlier(result, median, spread):
            start, end, _ = checks.target_span(result.unsupported, row["mt"])
            check_spans.append((start, end))
        word_spans = [(w.start, w.end) for w in result.unsupported if w.excess <= WORD_FLAG]
        all_words = [(s, e) for s, e, _ in words(row["mt"])]
        chance = rng.sample(all_words, min(len(word_spans), len(all_words)))
        for name, spans in (("check", check_spans), ("words", word_spans), ("chance", chance)):
            t = tallies[name]
            t[0] += sum(1 for s in spans if any(_overlap(s, g) for g in gold))
            t[1] += len(spans)
            t[2] += sum(1 for g in gold if any(_overlap(s, g) for s in spans))
            t[3] += len(gold)
    out = {}
    for name, (hit, flagged, found, gold) in tallies.items():
        out[f"{name}_precision"] = hit / flagged if flagged else float("nan")
        out[f"{name}_recall"] = found / gold if gold else float("nan")
        out[f"{name}_flagged"] = flagged
    out["gold_spans"] = tallies["check"][3]
    return out


WORD_FLAG = -4.0  # "words": every target word with at least this much excess surprisal


def _overlap(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def make_scorer(model: str, dtype: str, cache: bool = True):
    """The project's scorer, exactly as ``qa`` loads it (``auto``: bfloat16 where the CPU computes
    it natively, else float32), or with the weights' dtype forced."""
    extra = {} if dtype == "auto" else {"dtype": dtype}
    return load_scorer(Config(model=model, cache_dir=None if cache else "off", extra=extra))


def throughput(rows: list[dict], source_lang: str, target_lang: str, model: str, dtype: str, count: int) -> float:
    """Source/target pairs per second with the score cache off (fresh computation)."""
    scorer = make_scorer(model, dtype, cache=False)
    sample = rows[:count]
    ade.score_pairs([r["source"][:5] for r in sample[:4]], [r["mt"][:5] for r in sample[:4]],
                    source_lang, target_lang, scorer)  # warm-up
    started = time.perf_counter()
    ade.score_pairs([r["source"] for r in sample], [r["mt"] for r in sample], source_lang, target_lang, scorer)
    return len(sample) / (time.perf_counter() - started)


def compare_dtypes(directory: Path, pair: str, args: argparse.Namespace) -> str:
    """Time float32 against bfloat16 on the same pairs (cache off) and compare their scores."""
    source_lang, target_lang = pair.split("-")
    rows = load_rows(directory, pair, args.compare_dtypes, args.seed, args.skip)
    sources, targets = [r["source"] for r in rows], [r["mt"] for r in rows]
    out, evidence, tokens = [], {}, {}
    for dtype in ("float32", "bfloat16"):
        scorer = make_scorer(args.model, dtype, cache=False)
        ade.score_pairs(sources[:2], targets[:2], source_lang, target_lang, scorer)  # warm-up
        started = time.perf_counter()
        results = ade.score_pairs(sources, targets, source_lang, target_lang, scorer)
        seconds = time.perf_counter() - started
        evidence[dtype] = np.array([r.target_logprob * r.target_tokens for r in results])
        tokens[dtype] = np.concatenate([s.logprobs for s in scorer.token_logprobs(
            targets, [ade.prompts(a, b, source_lang, target_lang)["target_given_source"]
                      for a, b in zip(sources, targets)])])
        out.append(f"{dtype}: {len(rows) / seconds:.2f} pairs/s")
    r_sum = np.corrcoef(evidence["float32"], evidence["bfloat16"])[0, 1]
    r_tok = np.corrcoef(tokens["float32"], tokens["bfloat16"])[0, 1]
    out.append(f"Pearson r float32 vs bfloat16: summed log p(T|S) {r_sum:.5f}, token log p(t|S) {r_tok:.5f}")
    return f"{pair}, {len(rows)} pairs: " + "; ".join(out)


def four_calls(sources: list[str], targets: list[str], source_lang: str, target_lang: str, scorer) -> list:
    """Adequacy computed the earlier way: four separate scoring calls (each text in its own
    prompt), to compare with ``qa.adequacy.score_pairs``' two passes in one call."""
    prompts = [ade.prompts(s, t, source_lang, target_lang) for s, t in zip(sources, targets)]
    t_cond = scorer.token_logprobs(targets, [p["target_given_source"] for p in prompts])
    t_alone = scorer.token_logprobs(targets, [p["target_alone"] for p in prompts])
    s_cond = scorer.token_logprobs(sources, [p["source_given_target"] for p in prompts])
    s_alone = scorer.token_logprobs(sources, [p["source_alone"] for p in prompts])
    return [ade.pair_adequacy(*args) for args in zip(sources, targets, t_cond, t_alone, s_cond, s_alone)]


def compare_passes(directory: Path, pair: str, args: argparse.Namespace) -> str:
    """Time four calls against two passes on the same pairs (cache off) and compare their scores."""
    source_lang, target_lang = pair.split("-")
    rows = load_rows(directory, pair, args.compare_passes, args.seed, args.skip)
    sources, targets = [r["source"] for r in rows], [r["mt"] for r in rows]
    scorer = make_scorer(args.model, args.dtype, cache=False)
    ade.score_pairs(sources[:2], targets[:2], source_lang, target_lang, scorer)  # warm-up
    methods = {"four calls": four_calls, "two passes": ade.score_pairs}
    evidence, seconds = {}, {name: [] for name in methods}
    for _ in range(args.repeat):  # alternate, so a change of machine load hits both alike
        for name, method in methods.items():
            started = time.perf_counter()
            evidence[name] = method(sources, targets, source_lang, target_lang, scorer)
            seconds[name].append(time.perf_counter() - started)
    out = [f"{name}: {len(rows) / min(times):.2f} pairs/s (best of {len(times)})" for name, times in seconds.items()]
    pearson = {field: np.corrcoef([getattr(r, field) for r in evidence["four calls"]],
                                  [getattr(r, field) for r in evidence["two passes"]])[0, 1]
               for field in ("evidence", "target_pmi", "source_pmi", "target_logprob")}
    out.append("Pearson r four calls vs two passes: " + ", ".join(f"{k} {v:.5f}" for k, v in pearson.items()))
    return f"{pair}, {len(rows)} pairs, {args.dtype}: " + "; ".join(out)


def evaluate(directory: Path, pair: str, args: argparse.Namespace) -> dict:
    """All figures of one language pair."""
    source_lang, target_lang = pair.split("-")
    rows = load_rows(directory, pair, args.rows, args.seed, args.skip)
    scorer = make_scorer(args.model, args.dtype)
    started = time.perf_counter()
    results = ade.score_pairs([r["source"] for r in rows], [r["mt"] for r in rows], source_lang, target_lang, scorer)
    adequacy_seconds = time.perf_counter() - started
    fluency = fluency_scores(rows, target_lang, scorer)
    mqm = np.array([r["mqm_score"] for r in rows])
    accuracy = np.array([-accuracy_points(r) / max(1, word_count(r["mt"])) for r in rows])
    columns = {
        "adequacy (0-100)": np.array([r.adequacy for r in results]),
        "adequacy evidence (nats, summed)": np.array([r.evidence for r in results]),
        "fluency (0-100)": np.array([f.fluency for f in fluency]),
        "combined estimate (-expected MQM points)": -np.array([ade.expected_points(r, f.logprob_adjusted)
                                                                for r, f in zip(results, fluency)]),
        "combined quality 0-100 (per word)": np.array([ade.quality_estimate(r, f, word_count(row["mt"]))
                                                       for r, f, row in zip(results, fluency, rows)]),
        "sentence chrF (with reference)": chrf(rows),
        "MT length alone (-words)": -np.array([word_count(r["mt"]) for r in rows], float),
    }
    table = {name: (kendall(values, mqm), kendall(values, accuracy)) for name, values in columns.items()}
    spans = span_evidence(rows, results)
    speed = throughput(rows, source_lang, target_lang, args.model, args.dtype, args.speed_rows) if args.speed_rows else None
    return {"pair": pair, "rows": len(rows), "table": table, "spans": spans, "pairs_per_s": speed,
            "first_pass_s": adequacy_seconds, "mqm_zero_share": float((mqm == 0).mean()),
            "accuracy_zero_share": float((accuracy == 0).mean())}


def markdown(results: list[dict]) -> str:
    """The results as Markdown tables."""
    names = list(results[0]["table"])
    head = "| score | " + " | ".join(f"{r['pair']} τ MQM | {r['pair']} τ Acc/word" for r in results) + " |"
    lines = [head, "|---|" + "---:|---:|" * len(results)]
    for name in names:
        cells = " | ".join(f"{r['table'][name][0]:+.3f} | {r['table'][name][1]:+.3f}" for r in results)
        lines.append(f"| {name} | {cells} |")
    lines += ["", "| span evidence | " + " | ".join(r["pair"] for r in results) + " |",
              "|---|" + "---|" * len(results)]
    for kind in ("check", "words", "chance"):
        cells = " | ".join(f"P {r['spans'][kind + '_precision']:.2f} / R {r['spans'][kind + '_recall']:.2f} "
                           f"({r['spans'][kind + '_flagged']} spans)" for r in results)
        lines.append(f"| {kind} | {cells} |")
    lines.append("| human Accuracy spans | " + " | ".join(str(r["spans"]["gold_spans"]) for r in results) + " |")
    lines += ["", "| pair | rows | MQM = 0 | Acc = 0 | pairs/s (cache off) |", "|---|---:|---:|---:|---:|"]
    for r in results:
        speed = f"{r['pairs_per_s']:.2f}" if r["pairs_per_s"] else "-"
        lines.append(f"| {r['pair']} | {r['rows']} | {r['mqm_zero_share']:.0%} | {r['accuracy_zero_share']:.0%} | {speed} |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("mqm_dir", type=Path, help="directory holding wmt21_ted_mqm_<pair>.jsonl")
    parser.add_argument("--pairs", nargs="+", default=["en-de", "zh-en"])
    parser.add_argument("--rows", type=int, default=400, help="random rows per pair (default 400)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--skip", type=int, default=0,
                        help="skip this many shuffled rows first (500: rows disjoint from those the constants were chosen on)")
    parser.add_argument("--model", default="gemma3")
    parser.add_argument("--dtype", choices=("auto", "float32", "bfloat16"), default="auto",
                        help="weights' dtype (auto: as qa picks it, bfloat16 on CPUs with native BF16)")
    parser.add_argument("--speed-rows", type=int, default=100, help="pairs timed with the cache off (0: skip)")
    parser.add_argument("--compare-dtypes", type=int, default=0, metavar="N",
                        help="only time float32 against bfloat16 on N pairs of the first pair and compare scores")
    parser.add_argument("--compare-passes", type=int, default=0, metavar="N",
                        help="only time four scoring calls against two passes on N pairs of the first pair")
    parser.add_argument("--repeat", type=int, default=3, help="timed repetitions of --compare-passes")
    parser.add_argument("--json", type=Path, help="also write the figures as JSON here")
    args = parser.parse_args(argv)
    if args.compare_passes:
        print(compare_passes(args.mqm_dir, args.pairs[0], args))
        return 0
    if args.compare_dtypes:
        print(compare_dtypes(args.mqm_dir, args.pairs[0], args))
        return 0
    results = [evaluate(args.mqm_dir, pair, args) for pair in args.pairs]
    print(markdown(results))
    if args.json:
        args.json.write_text(json.dumps(results, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
