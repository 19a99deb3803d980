"""Benchmarks of the fluency scorer (qa/fluency.py): throughput, memory, load time, calibration.

Usage (from the repository root; data paths are arguments, nothing is read implicitly):

    .venv/bin/python bench/fluency.py throughput --news FILE [--n 240] [--naive 40]
    .venv/bin/python bench/fluency.py profile --news FILE [--n 48]
    .venv/bin/python bench/fluency.py load
    .venv/bin/python bench/fluency.py precision --news FILE [--n 120]
    .venv/bin/python bench/fluency.py calibrate --mqm DIR [--n 480] [--refs 200]
    .venv/bin/python bench/fluency.py qa701 --mqm DIR [--talks talk.1,talk.2] [--systems 3]

``--news`` is a plain-text file of news sentences, one per line (lines of 20-30 words are
used); ``--mqm`` a directory holding ``wmt21_ted_mqm_{en-de,zh-en}.jsonl``.
"""
from __future__ import annotations

import argparse
import json
import math
import os
import random
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from qa import fluency  # noqa: E402  (sets OMP_WAIT_POLICY before torch loads)
from qa.config import Config  # noqa: E402


def news_sentences(path: str, n: int) -> list[str]:
    """The first ``n`` lines of 20-30 words."""
    with open(path, encoding="utf-8") as handle:
        lines = [line.strip() for line in handle if 20 <= len(line.split()) <= 30]
    return lines[:n]


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def naive_loop(model, tokenizer, start_id: int, sentences: list[str]) -> float:
    """Seconds to score ``sentences`` one at a time with a plain transformers forward + log_softmax."""
    import torch

    began = time.perf_counter()
    with torch.no_grad():
        for sentence in sentences:
            ids = [start_id] + tokenizer(sentence, add_special_tokens=False)["input_ids"]
            logits = model(torch.tensor([ids])).logits[0]
            logprobs = torch.log_softmax(logits, dim=-1)
            _ = [logprobs[i - 1, ids[i]].item() for i in range(1, len(ids))]
    return time.perf_counter() - began


def time_alternatives(scorer: fluency.Scorer, sentences: list[str]) -> float:
    """Milliseconds per score_alternatives call: previous sentence as context, original + 2 variants."""
    began = time.perf_counter()
    for previous, sentence in zip(sentences, sentences[1:]):
        words = sentence.split()
        swapped = " ".join(words[1:2] + words[:1] + words[2:])
        scorer.score_alternatives(previous, sentence, [swapped, sentence.replace(" die ", " der ", 1)])
    return round(1000 * (time.perf_counter() - began) / max(1, len(sentences) - 1), 1)


def time_cached(scorer: fluency.Scorer, sentences: list[str]) -> float:
    """Seconds to score ``sentences`` again from a filled persistent cache (a CI re-run)."""
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        saved = scorer.cache
        scorer.cache = fluency.ScoreCache(Path(tmp) / "scores.sqlite")
        scorer.token_logprobs(sentences)
        scorer.cache = fluency.ScoreCache(Path(tmp) / "scores.sqlite")  # fresh connection, as a new run
        began = time.perf_counter()
        scorer.token_logprobs(sentences)
        elapsed = time.perf_counter() - began
        scorer.cache = saved
    return round(elapsed, 3)


def cmd_throughput(args: argparse.Namespace) -> None:
    import torch
    from transformers import AutoModelForCausalLM

    sentences = news_sentences(args.news, args.n)
    load0 = os.getloadavg()[0]
    config = Config(model=args.model, cache_dir="off", extra={"dtype": args.dtype} if args.dtype else {})
    began = time.perf_counter()
    scorer = fluency.load_scorer(config)
    load_s = time.perf_counter() - began
    scorer.token_logprobs(sentences[:8])  # warm-up
    tokens = sum(len(s.logprobs) for s in scorer.token_logprobs(sentences[:1]))
    runs = []
    for _ in range(2):
        began = time.perf_counter()
        results = scorer.token_logprobs(sentences)
        runs.append(time.perf_counter() - began)
    tokens = sum(len(s.logprobs) for s in results)
    rss = peak_rss_mb()
    alternatives_ms = time_alternatives(scorer, sentences[:20])
    cached_s = time_cached(scorer, sentences)
    directory = fluency.converted_weights(fluency.resolve_model(args.model))
    naive_model = AutoModelForCausalLM.from_pretrained(str(directory), dtype=torch.float32).eval()
    naive_sents = sentences[:args.naive]
    naive_model(torch.tensor([[scorer.start_id, 5]]))  # warm-up
    naive_s = naive_loop(naive_model, scorer.tokenizer, scorer.start_id, naive_sents)
    best = min(runs)
    ours_rate = len(sentences) / best
    naive_rate = len(naive_sents) / naive_s
    print(json.dumps({
        "model": scorer.name, "dtype": str(next(scorer.model.parameters()).dtype),
        "threads": torch.get_num_threads(), "sentences": len(sentences),
        "mean_words": round(statistics.mean(len(s.split()) for s in sentences), 1),
        "tokens": tokens, "load_s": round(load_s, 2),
        "ours_s": [round(r, 2) for r in runs], "ours_sent_per_s": round(ours_rate, 2),
        "ours_tok_per_s": round(tokens / best, 1),
        "naive_sentences": len(naive_sents), "naive_s": round(naive_s, 2),
        "naive_sent_per_s": round(naive_rate, 2), "speedup": round(ours_rate / naive_rate, 2),
        "peak_rss_mb_ours": round(rss),
        "score_alternatives_ms_per_call": alternatives_ms, "cached_rescore_s": cached_s, "loadavg_before_after": [round(load0, 1), round(os.getloadavg()[0], 1)],
    }, indent=1))


def cmd_profile(args: argparse.Namespace) -> None:
    """Where the time goes: transformer body against output layer, with 1 and 2 threads, alternating."""
    import torch

    sentences = news_sentences(args.news, args.n)
    scorer = fluency.load_scorer(Config(model=args.model, cache_dir="off"))
    scorer.token_logprobs(sentences[:4])
    body, head = scorer._body, scorer._target_logprobs
    spent = {"body": 0.0, "head": 0.0}

    def timed(name, function):
        def run(*a, **k):
            began = time.perf_counter()
            result = function(*a, **k)
            spent[name] += time.perf_counter() - began
            return result
        return run

    scorer._body, scorer._target_logprobs = timed("body", body), timed("head", head)
    os.environ["QA_THREADS"] = "1"
    for threads in [1, 2] * args.repeat:
        os.environ["QA_THREADS"] = str(threads)
        spent.update(body=0.0, head=0.0)
        began = time.perf_counter()
        scorer._compute([(s, "") for s in sentences])
        total = time.perf_counter() - began
        print(json.dumps({"threads": torch.get_num_threads(), "sentences": len(sentences), "seconds": round(total, 2),
                          "sent_per_s": round(len(sentences) / total, 2), "body_s": round(spent["body"], 2),
                          "head_s": round(spent["head"], 2), "loadavg": round(os.getloadavg()[0], 1)}), flush=True)


def cmd_load(args: argparse.Namespace) -> None:
    """Cold load in a fresh process (weights already converted): import + load_scorer + one sentence."""
    code = ("import time; t=time.perf_counter(); from qa import fluency; from qa.config import Config; "
            f"s=fluency.load_scorer(Config(model={args.model!r}, cache_dir='off')); "
            "s.token_logprobs(['A short test sentence.']); print(round(time.perf_counter()-t, 2))")
    times = []
    for _ in range(args.repeat):
        out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
        times.append(float(out.stdout.strip().splitlines()[-1]))
    print(json.dumps({"model": args.model, "cold_load_s": times, "loadavg": round(os.getloadavg()[0], 1)}))


def cmd_precision(args: argparse.Namespace) -> None:
    """Agreement of bfloat16 with float32 scores: per-token difference and sentence ranking."""
    sentences = news_sentences(args.news, args.n)
    means = {}
    tokens = {}
    for dtype in ("float32", "bfloat16"):
        scorer = fluency.load_scorer(Config(model=args.model, cache_dir="off", extra={"dtype": dtype}))
        res = scorer.token_logprobs(sentences)
        means[dtype] = [r.mean for r in res]
        tokens[dtype] = [lp for r in res for lp in r.logprobs]
    diffs = [abs(a - b) for a, b in zip(tokens["float32"], tokens["bfloat16"])]
    print(json.dumps({
        "sentences": len(sentences), "tokens": len(diffs),
        "token_abs_diff_mean": round(statistics.mean(diffs), 4), "token_abs_diff_max": round(max(diffs), 3),
        "sentence_mean_abs_diff_max": round(max(abs(a - b) for a, b in zip(*means.values())), 4),
        "kendall_tau_sentence_means": round(kendall_tau(means["float32"], means["bfloat16"]), 4),
    }, indent=1))


# ----------------------------------------------------------------------------------------------
# Calibration against WMT21 TED MQM


def kendall_tau(x: list[float], y: list[float]) -> float:
    """Kendall tau-b (ties in either list are handled as in scipy's default)."""
    n = len(x)
    concordant = discordant = ties_x = ties_y = 0
    for i in range(n):
        for j in range(i + 1, n):
            dx, dy = x[i] - x[j], y[i] - y[j]
            if dx == 0 and dy == 0:
                continue
            if dx == 0:
                ties_x += 1
            elif dy == 0:
                ties_y += 1
            elif (dx > 0) == (dy > 0):
                concordant += 1
            else:
                discordant += 1
    denominator = math.sqrt((concordant + discordant + ties_x) * (concordant + discordant + ties_y))
    return (concordant - discordant) / denominator if denominator else 0.0


def ols(x: list[float], y: list[float]) -> tuple[float, float]:
    """Least-squares slope and intercept of y on x."""
    mx, my = statistics.mean(x), statistics.mean(y)
    sxx = sum((a - mx) ** 2 for a in x)
    slope = sum((a - mx) * (b - my) for a, b in zip(x, y)) / sxx if sxx else 0.0
    return slope, my - slope * mx


def _segment(text: str):
    from qa.model import Segment

    return Segment(id="1", start=0, end=len(text), text=text)


def pearson(x: list[float], y: list[float]) -> float:
    mx, my = statistics.mean(x), statistics.mean(y)
    sxy = sum((a - mx) * (b - my) for a, b in zip(x, y))
    sxx = math.sqrt(sum((a - mx) ** 2 for a in x))
    syy = math.sqrt(sum((b - my) ** 2 for b in y))
    return sxy / (sxx * syy) if sxx and syy else 0.0


def fluency_penalty_per_word(row: dict) -> float:
    """MQM points of the Fluency-category errors per MT word (negated: higher is better)."""
    points = 0.0
    for error in row.get("errors", []):
        category = error.get("category", "")
        if not category.startswith("Fluency"):
            continue
        severity = error.get("severity", "").lower()
        if "punctuation" in category.lower() and severity == "minor":
            points += 0.1
        else:
            points += {"major": 5.0, "minor": 1.0, "critical": 10.0}.get(severity, 0.0)
    return -points / max(1, len(row["mt"].split()) if " " in row["mt"] else len(row["mt"]))


def name_number_share(text: str, lang: str) -> float:
    """Share of the words that are numbers or likely names (as the scorer discounts them)."""
    words = fluency._WORD.findall(text)
    return len(fluency.discounted_words(text, lang)) / max(1, len(words))


def variants(scores: fluency.TokenScores, text: str, lang: str) -> dict[str, float]:
    """Candidate sentence scores computed from one set of token log-probabilities."""
    lps = scores.logprobs or [0.0]
    skip = fluency.discounted_words(text, lang)
    kept = [lp for lp, span in zip(scores.logprobs, scores.spans) if not fluency._overlaps(span, skip)] or lps
    capped = [max(lp, -fluency.SURPRISAL_CAP) for lp in lps]
    return {
        "logprob_sum": sum(lps),
        "logprob_mean": statistics.mean(lps),
        "mean_capped": statistics.mean(capped),
        "mean_discount_names_numbers": statistics.mean(kept),
        "adjusted (discount + cap, used)": fluency.sentence_logprob(scores, text, lang),
        "min_token_logprob": min(lps),
        "mean_without_first_token": statistics.mean(lps[1:] or lps),
    }


def calibrate_pair(scorer: fluency.Scorer, path: Path, pair: str, n: int, n_refs: int, seed: int,
                   context: bool = True) -> dict:
    import sacrebleu

    with open(path, encoding="utf-8") as handle:
        rows = [json.loads(line) for line in handle]
    rng = random.Random(seed)
    sample = rng.sample(rows, n)
    lang = pair.split("-")[1]
    # as qa scores documents: each segment after the previous one of the same talk (and system)
    mt_at = {(r["system"], r["doc"], r["doc_seg_id"]): r["mt"] for r in rows}
    ref_at = {(r["doc"], r["doc_seg_id"]): r["reference"] for r in rows}
    mt_context = [mt_at.get((r["system"], r["doc"], r["doc_seg_id"] - 1), "") if context else "" for r in sample]
    began = time.perf_counter()
    scored = scorer.token_logprobs([r["mt"] for r in sample], mt_context)
    elapsed = time.perf_counter() - began
    ref_rows = rng.sample(rows, n_refs)
    refs = [r["reference"] for r in ref_rows]
    ref_context = [ref_at.get((r["doc"], r["doc_seg_id"] - 1), "") if context else "" for r in ref_rows]
    ref_scores = scorer.token_logprobs(refs, ref_context)
    # expected adjusted log-probability for a sentence of n tokens, fitted on human references
    xs = [math.log(max(1, len(s.logprobs))) for s in ref_scores]
    ys = [fluency.sentence_logprob(s, t, lang) for s, t in zip(ref_scores, refs)]
    slope, intercept = ols(xs, ys)
    table: dict[str, list[float]] = {}
    for row, scores in zip(sample, scored):
        for name, value in variants(scores, row["mt"], lang).items():
            table.setdefault(name, []).append(value)
        expected = intercept + slope * math.log(max(1, len(scores.logprobs)))
        table.setdefault("adjusted minus length expectation (fit on references)", []).append(
            fluency.sentence_logprob(scores, row["mt"], lang) - expected)
        table.setdefault("fluency 0-100 (as shipped)", []).append(
            fluency.segment_fluency(scores, _segment(row["mt"]), lang, scorer).fluency)
        table.setdefault("sentence chrF (reference)", []).append(
            sacrebleu.sentence_chrf(row["mt"], [row["reference"]]).score)
        words = len(row["mt"].split()) if lang != "zh" else len(row["mt"])
        table.setdefault("MT length (shorter = better)", []).append(-float(words))
    mqm = [float(r["mqm_score"]) for r in sample]
    flu = [fluency_penalty_per_word(r) for r in sample]
    length = [-v for v in table["MT length (shorter = better)"]]
    name_share = [name_number_share(r["mt"], lang) for r in sample]
    systems = sorted({r["system"] for r in sample})
    result: dict = {"pair": pair, "rows": n, "context": context, "seconds": round(elapsed, 1), "metrics": {}}
    for name, values in table.items():
        per_system = {s: statistics.mean(v for v, r in zip(values, sample) if r["system"] == s) for s in systems}
        mqm_system = {s: statistics.mean(m for m, r in zip(mqm, sample) if r["system"] == s) for s in systems}
        result["metrics"][name] = {
            "tau_mqm": round(kendall_tau(values, mqm), 3),
            "tau_fluency_per_word": round(kendall_tau(values, flu), 3),
            "tau_with_length": round(kendall_tau(values, length), 3),
            "tau_with_name_number_share": round(kendall_tau(values, name_share), 3),
            "system_tau": round(kendall_tau([per_system[s] for s in systems], [mqm_system[s] for s in systems]), 3),
            "system_pearson": round(pearson([per_system[s] for s in systems], [mqm_system[s] for s in systems]), 3),
        }
    result["length_fit_on_references"] = {"slope": round(slope, 3), "intercept": round(intercept, 3),
                                          "at_30_tokens": round(intercept + slope * math.log(30), 3)}
    adjusted = sorted(fluency.sentence_logprob(s, t, lang) for s, t in zip(ref_scores, refs))
    mt_adjusted = sorted(table["adjusted (discount + cap, used)"])
    result["reference_adjusted"] = {"p05": round(adjusted[len(adjusted) // 20], 3),
                                    "median": round(statistics.median(adjusted), 3)}
    result["mt_adjusted"] = {"p05": round(mt_adjusted[len(mt_adjusted) // 20], 3),
                             "median": round(statistics.median(mt_adjusted), 3)}
    fl = sorted(fluency.segment_fluency(s, _segment(t), lang, scorer).fluency for s, t in zip(ref_scores, refs))
    result["reference_fluency_0_100"] = {"p05": round(sorted(fl)[len(fl) // 20], 1),
                                         "median": round(statistics.median(fl), 1)}
    return result


def cmd_calibrate(args: argparse.Namespace) -> None:
    scorer = fluency.load_scorer(Config(model=args.model))
    out = []
    for pair in args.pairs.split(","):
        path = Path(args.mqm) / f"wmt21_ted_mqm_{pair}.jsonl"
        out.append(calibrate_pair(scorer, path, pair, args.n, args.refs, args.seed, not args.no_context))
        print(json.dumps(out[-1], indent=1), flush=True)


def _talk_document(path: str, segments: list[str], lang: str):
    """A document of consecutive TED segments, one sentence segment each (offsets into the text)."""
    from qa.model import Document, Segment

    parts, text, offset = [], "", 0
    for index, segment in enumerate(segments):
        parts.append(Segment(id=str(index + 1), start=offset, end=offset + len(segment), text=segment,
                             kind="sentence", paragraph=index // 5))
        text += segment + " "
        offset = len(text)
    return Document(path=path, text=text, segments=tuple(parts), target_lang=lang)


def cmd_qa701(args: argparse.Namespace) -> None:
    """QA701 on whole TED talks: findings on the human references (false alarms) and on MT."""
    from qa.checks.fluency import low_fluency_sentence
    from qa.context import CheckContext

    scorer = fluency.load_scorer(Config(model=args.model))
    for pair, talk in zip(args.pairs.split(","), args.talks.split(",")):
        with open(Path(args.mqm) / f"wmt21_ted_mqm_{pair}.jsonl", encoding="utf-8") as handle:
            rows = [row for row in map(json.loads, handle) if row["doc"] == talk]
        rows.sort(key=lambda r: r["doc_seg_id"])
        lang = pair.split("-")[1]
        systems = sorted({r["system"] for r in rows})[:args.systems]
        sides = {"reference": [r for r in rows if r["system"] == systems[0]]}
        sides.update({s: [r for r in rows if r["system"] == s] for s in systems})
        for side, side_rows in sides.items():
            texts = [r["reference"] if side == "reference" else r["mt"] for r in side_rows]
            doc = _talk_document(f"{pair}-{side}", texts, lang)
            ctx = CheckContext(config=Config(), scorer=scorer)
            ctx.fluency = fluency.score_segments(doc, scorer)
            found = list(low_fluency_sentence(doc, ctx))
            by_id = {str(i + 1): r for i, r in enumerate(side_rows)}
            flagged = [by_id[f.segment_id] for f in found]

            def has_fluency_error(row: dict) -> bool:
                return any(e["category"].startswith(("Fluency", "Style")) for e in row.get("errors", []))

            out = {"pair": pair, "talk": talk, "side": side, "segments": len(texts), "flagged": len(flagged),
                   "per_100": round(100 * len(flagged) / max(1, len(texts)), 2),
                   "median_fluency": round(statistics.median(f.fluency for f in ctx.fluency.values()), 1)}
            if side != "reference":
                out["flagged_with_fluency_or_style_error"] = sum(has_fluency_error(r) for r in flagged)
                out["base_rate_fluency_or_style_error"] = round(
                    sum(has_fluency_error(r) for r in side_rows) / max(1, len(side_rows)), 3)
                out["flagged_mqm"] = [r["mqm_score"] for r in flagged]
            print(json.dumps(out), flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("throughput")
    p.add_argument("--news", required=True)
    p.add_argument("--n", type=int, default=240)
    p.add_argument("--naive", type=int, default=40)
    p.add_argument("--model", default="gemma3")
    p.add_argument("--dtype", default=None, help="float32 or bfloat16 (default: auto)")
    p = sub.add_parser("profile")
    p.add_argument("--news", required=True)
    p.add_argument("--n", type=int, default=48)
    p.add_argument("--repeat", type=int, default=2)
    p.add_argument("--model", default="gemma3")
    p = sub.add_parser("load")
    p.add_argument("--model", default="gemma3")
    p.add_argument("--repeat", type=int, default=3)
    p = sub.add_parser("precision")
    p.add_argument("--news", required=True)
    p.add_argument("--n", type=int, default=120)
    p.add_argument("--model", default="gemma3")
    p = sub.add_parser("calibrate")
    p.add_argument("--mqm", required=True)
    p.add_argument("--pairs", default="en-de,zh-en")
    p.add_argument("--n", type=int, default=480)
    p.add_argument("--refs", type=int, default=200)
    p.add_argument("--seed", type=int, default=6)
    p.add_argument("--no-context", action="store_true", help="score every segment alone")
    p.add_argument("--model", default="gemma3")
    p = sub.add_parser("qa701")
    p.add_argument("--mqm", required=True)
    p.add_argument("--pairs", default="en-de,zh-en")
    p.add_argument("--talks", default="talk.1,talk.2", help="one talk per pair, in the order of --pairs")
    p.add_argument("--systems", type=int, default=3)
    p.add_argument("--model", default="gemma3")
    args = parser.parse_args()
    {"throughput": cmd_throughput, "profile": cmd_profile, "load": cmd_load, "precision": cmd_precision,
     "calibrate": cmd_calibrate, "qa701": cmd_qa701}[args.command](args)


if __name__ == "__main__":
    main()
