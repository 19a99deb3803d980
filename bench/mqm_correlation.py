"""How well qa's quality score and its parts agree with human MQM judgements (WMT21 TED talks).

For every MT segment of the MQM files (8 systems x 529 segments per language pair) this runs
``qa.check`` on the MT with its source (rules, plus the language model when one loads), and
computes sentence BLEU / chrF against the reference(s) with :mod:`qa.metrics`. It then reports:

* segment level: Kendall tau-b of each signal with the human ``mqm_score`` over all rows
  (the qa quality score, the rules-only MQM penalty, fluency, adequacy, sentence chrF and BLEU,
  and MT length alone — shorter is better, since MQM penalties add up over longer segments);
  fluency also against the Fluency-category part of the human penalty;
* system level: Kendall tau and Pearson r over the 8 systems (qa quality computed over each
  system's whole output as one document would be: points per word; corpus BLEU / chrF);
* precision of the findings: how many findings fall on a span a human rater marked as an
  error, and how many findings the same rules raise on the human reference translations.

Usage (the data directory holds ``wmt21_ted_mqm_{en-de,zh-en}.jsonl``)::

    python bench/mqm_correlation.py DATA_DIR [--pairs en-de zh-en] [--segments N] [--model gemma3|none]
                                    [--seed 0] [--json OUT.json]

``--segments N`` samples N source segments (all 8 systems' outputs of each), deterministically.
"""
from __future__ import annotations

import argparse
import json
import math
import random
import sys
import time
from collections import defaultdict
from pathlib import Path
from typing import Any, Sequence

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import qa  # noqa: E402
from qa import metrics  # noqa: E402
from qa.config import Config  # noqa: E402
from qa.text import word_count  # noqa: E402

LANGS = {"en-de": ("en", "de"), "zh-en": ("zh", "en")}
HUMAN_POINTS = {"Major": 5.0, "Minor": 1.0}


# --- statistics ---------------------------------------------------------------------------------

def kendall_tau_b(x: Sequence[float], y: Sequence[float], block: int = 512) -> float:
    """Kendall tau-b (ties in either variable handled as in scipy's default), O(n^2) in numpy blocks."""
    a, b = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
    n = len(a)
    if n < 2:
        return float("nan")
    concordant = tied_a = tied_b = 0.0
    for start in range(0, n, block):
        da = np.sign(a[start:start + block, None] - a[None, :])
        db = np.sign(b[start:start + block, None] - b[None, :])
        concordant += float((da * db).sum())
        tied_a += float((da == 0).sum())
        tied_b += float((db == 0).sum())
    pairs = n * (n - 1)  # ordered pairs; the diagonal is counted in the ties below
    tied_a -= n
    tied_b -= n
    denominator = math.sqrt((pairs - tied_a) * (pairs - tied_b))
    return concordant / denominator if denominator else float("nan")


def pearson(x: Sequence[float], y: Sequence[float]) -> float:
    a, b = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
    if a.std() == 0 or b.std() == 0:
        return float("nan")
    return float(np.corrcoef(a, b)[0, 1])


# --- data ---------------------------------------------------------------------------------------

def load_rows(directory: Path, pair: str, segments: int | None, seed: int) -> list[dict]:
    """The rows of one language pair, limited to ``segments`` sampled source segments."""
    with open(directory / f"wmt21_ted_mqm_{pair}.jsonl", encoding="utf-8") as handle:
        rows = [json.loads(line) for line in handle if line.strip()]
    if segments:
        ids = sorted({r["seg_id"] for r in rows})
        keep = set(random.Random(seed).sample(ids, min(segments, len(ids))))
        rows = [r for r in rows if r["seg_id"] in keep]
    return rows


def human_points(errors: list[dict], category: str | None = None) -> float:
    """MQM points of a row's human errors (optionally of one top-level category)."""
    total = 0.0
    for error in errors:
        if category and not error["category"].startswith(category):
            continue
        if error["category"].startswith("Non-translation"):
            total += 25.0
        elif error["severity"] == "Minor" and error["category"] == "Fluency/Punctuation":
            total += 0.1
        else:
            total += HUMAN_POINTS.get(error["severity"], 0.0)
    return total


def references(row: dict) -> list[str]:
    return [row["reference"]] + ([row["reference_B"]] if row.get("reference_B") else [])


# --- scoring ------------------------------------------------------------------------------------

def load_model(name: str) -> Any:
    """The language-model scorer, or None (with the reason on stderr) when it cannot be loaded."""
    if name == "none":
        return None
    try:
        from qa import fluency

        return fluency.load_scorer(Config(model=name))
    except Exception as error:  # noqa: BLE001 - the bench still reports the rules-only parts
        print(f"model unavailable, rules only: {type(error).__name__}: {error}", file=sys.stderr)
        return None


def score_rows(rows: list[dict], pair: str, scorer: Any) -> list[dict]:
    """qa's scores, findings and sentence metrics for every row."""
    source_lang, target_lang = LANGS[pair]
    config = Config(fluency=scorer is not None, target_lang=target_lang, source_lang=source_lang)
    results = []
    for count, row in enumerate(rows, 1):
        if count % 100 == 0:
            print(f"{pair}: {count}/{len(rows)} rows", file=sys.stderr, flush=True)
        report = qa.check(row["mt"], target_lang=target_lang, source=row["source"], source_lang=source_lang,
                          config=config, scorer=scorer)
        document = report.documents[0]
        refs = references(row)
        findings = [f for f in document.findings if f.category.value != "Internal"]
        results.append({
            "scores": document.scores, "words": word_count(row["mt"]),
            "findings": [(f.start, f.end, f.code) for f in findings],
            "chrf": metrics.sentence_score("chrf", row["mt"], refs, lang=target_lang).score,
            "bleu": metrics.sentence_score("bleu", row["mt"], refs, lang=target_lang).score,
        })
    return results


def reference_alarms(rows: list[dict], pair: str) -> tuple[int, int]:
    """Findings (rules only) on the distinct human references, and how many references were checked."""
    source_lang, target_lang = LANGS[pair]
    config = Config(fluency=False, target_lang=target_lang, source_lang=source_lang)
    seen: dict[str, str] = {}
    for row in rows:
        seen.setdefault(row["reference"], row["source"])
    found = 0
    for reference, source in seen.items():
        report = qa.check(reference, target_lang=target_lang, source=source, source_lang=source_lang, config=config)
        found += sum(1 for f in report.documents[0].findings if f.category.value != "Internal")
    return found, len(seen)


def span_precision(rows: list[dict], results: list[dict]) -> tuple[int, int]:
    """Findings on MT that overlap a human-marked error span, and all findings."""
    hits = total = 0
    for row, result in zip(rows, results):
        spans = [(e["start"], e["end"]) for e in row["errors"] if e.get("start") is not None]
        for start, end, _ in result["findings"]:
            total += 1
            if any(start < e_end and e_start < max(end, start + 1) for e_start, e_end in spans):
                hits += 1
    return hits, total


# --- tables -------------------------------------------------------------------------------------

SEGMENT_SIGNALS = [
    ("qa quality (combined)", lambda r, res: res["scores"]["quality"]),
    ("qa rules: − MQM penalty points", lambda r, res: -res["scores"]["mqm_penalty"]),
    ("qa rules: MQM quality per word", lambda r, res: res["scores"]["mqm_quality"]),
    ("qa fluency (model)", lambda r, res: res["scores"].get("fluency")),
    ("qa adequacy (model)", lambda r, res: res["scores"].get("adequacy")),
    ("  variant rejected: deduct only below 50", lambda r, res: _below_midpoint(res["scores"])),
    ("sentence chrF (reference)", lambda r, res: res["chrf"]),
    ("sentence BLEU (reference)", lambda r, res: res["bleu"]),
    ("− MT length in words", lambda r, res: -res["words"]),
]


def _below_midpoint(scores: dict) -> float | None:
    """The rejected variant of qa.scoring: the model deducts only below its midpoint (50)."""
    if scores.get("fluency") is None:
        return None
    adequacy = 100.0 if scores.get("adequacy") is None else scores["adequacy"]
    return scores["mqm_quality"] - 0.2 * max(0.0, 50 - scores["fluency"]) - 0.2 * max(0.0, 50 - adequacy)


def segment_table(rows: list[dict], results: list[dict]) -> list[tuple[str, float | None, float | None]]:
    """(signal, tau vs MQM, tau vs Fluency-category MQM) for each signal that has values on every row."""
    human = [r["mqm_score"] for r in rows]
    fluency_human = [-human_points(r["errors"], "Fluency") for r in rows]
    table = []
    for name, get in SEGMENT_SIGNALS:
        values = [get(r, res) for r, res in zip(rows, results)]
        if any(v is None for v in values):
            table.append((name, None, None))
            continue
        table.append((name, kendall_tau_b(values, human), kendall_tau_b(values, fluency_human)))
    return table


def system_table(rows: list[dict], results: list[dict], pair: str) -> tuple[list[tuple], list[str]]:
    """(signal, Kendall tau, Pearson r) over systems, and the systems in human order (best first)."""
    _, target_lang = LANGS[pair]
    by_system: dict[str, list[int]] = defaultdict(list)
    for i, row in enumerate(rows):
        by_system[row["system"]].append(i)
    systems = sorted(by_system)
    human = [float(np.mean([rows[i]["mqm_score"] for i in by_system[s]])) for s in systems]

    def points_quality(key_points: str, s: str) -> float:
        words = sum(results[i]["scores"]["words"] for i in by_system[s])
        points = sum(results[i]["scores"][key_points] for i in by_system[s])
        return max(0.0, 100.0 - 100.0 * points / max(words, 1))

    def combined(s: str) -> float:
        words = sum(results[i]["scores"]["words"] for i in by_system[s])
        points = sum(results[i]["scores"]["mqm_penalty"] + results[i]["scores"].get("model_penalty", 0.0)
                     for i in by_system[s])
        return max(0.0, 100.0 - 100.0 * points / max(words, 1))

    def mean_of(key: str, s: str) -> float | None:
        values = [results[i]["scores"].get(key) for i in by_system[s]]
        return None if any(v is None for v in values) else float(np.mean(values))

    def corpus(metric: str, s: str) -> float:
        hyps = [rows[i]["mt"] for i in by_system[s]]
        n_refs = max(len(references(rows[i])) for i in by_system[s])
        streams = [[(references(rows[i]) + [""] * n_refs)[k] for i in by_system[s]] for k in range(n_refs)]
        return metrics.corpus_score(metric, hyps, streams, lang=target_lang).score

    signals = [
        ("qa quality (combined)", combined),
        ("qa rules: MQM quality per word", lambda s: points_quality("mqm_penalty", s)),
        ("qa fluency (model)", lambda s: mean_of("fluency", s)),
        ("qa adequacy (model)", lambda s: mean_of("adequacy", s)),
        ("corpus chrF (reference)", lambda s: corpus("chrf", s)),
        ("corpus BLEU (reference)", lambda s: corpus("bleu", s)),
        ("− mean MT length", lambda s: -float(np.mean([results[i]["words"] for i in by_system[s]]))),
    ]
    table = []
    for name, get in signals:
        values = [get(s) for s in systems]
        if any(v is None for v in values):
            table.append((name, None, None))
        else:
            table.append((name, kendall_tau_b(values, human), pearson(values, human)))
    order = [s for _, s in sorted(zip(human, systems), reverse=True)]
    return table, order


def _fmt(value: float | None) -> str:
    """A signed correlation; "n/a" when the signal is missing, "tied" when it is constant (tau undefined)."""
    if value is None:
        return "n/a"
    return "tied" if math.isnan(value) else f"{value:+.3f}"


def run(args: argparse.Namespace) -> dict[str, Any]:
    scorer = load_model(args.model)
    out: dict[str, Any] = {"model": getattr(scorer, "name", None), "pairs": {}}
    for pair in args.pairs:
        rows = load_rows(Path(args.data), pair, args.segments, args.seed)
        started = time.time()
        results = score_rows(rows, pair, scorer)
        elapsed = time.time() - started
        hits, total = span_precision(rows, results)
        alarms, n_refs = reference_alarms(rows, pair)
        seg = segment_table(rows, results)
        system, order = system_table(rows, results, pair)
        out["pairs"][pair] = {
            "rows": len(rows), "segments": len({r["seg_id"] for r in rows}), "seconds": round(elapsed, 1),
            "segment_level": seg, "system_level": system, "systems_best_first": order,
            "findings_on_mt": total, "findings_on_error_spans": hits,
            "mt_segments_with_findings": sum(1 for r in results if r["findings"]),
            "findings_on_references": alarms, "references_checked": n_refs,
            "human_zero_share": sum(1 for r in rows if r["mqm_score"] == 0) / len(rows),
            "per_row": [{"system": r["system"], "seg_id": r["seg_id"], "mqm_score": r["mqm_score"],
                         "fluency_points": human_points(r["errors"], "Fluency"),
                         "accuracy_points": human_points(r["errors"], "Accuracy"),
                         **{k: res["scores"].get(k) for k in ("quality", "mqm_penalty", "mqm_quality", "model_penalty",
                                                               "fluency", "adequacy", "words")},
                         "chrf": res["chrf"], "bleu": res["bleu"], "findings": [c for *_, c in res["findings"]]}
                        for r, res in zip(rows, results)],
        }
    return out


def markdown(out: dict[str, Any]) -> str:
    lines = [f"Model: {out['model'] or 'none (rules only)'}", ""]
    pairs = list(out["pairs"])
    header = " | ".join(f"{p} τ vs MQM | {p} τ vs Fluency MQM" for p in pairs)
    lines += [f"| segment level (Kendall τ-b) | {header} |", "|---|" + "---:|" * (2 * len(pairs))]
    names = [name for name, *_ in out["pairs"][pairs[0]]["segment_level"]]
    for k, name in enumerate(names):
        cells = " | ".join(f"{_fmt(out['pairs'][p]['segment_level'][k][1])} | {_fmt(out['pairs'][p]['segment_level'][k][2])}"
                           for p in pairs)
        lines.append(f"| {name} | {cells} |")
    lines += ["", f"| system level (8 systems) | " + " | ".join(f"{p} Kendall τ | {p} Pearson r" for p in pairs) + " |",
              "|---|" + "---:|" * (2 * len(pairs))]
    names = [name for name, *_ in out["pairs"][pairs[0]]["system_level"]]
    for k, name in enumerate(names):
        cells = " | ".join(f"{_fmt(out['pairs'][p]['system_level'][k][1])} | {_fmt(out['pairs'][p]['system_level'][k][2])}"
                           for p in pairs)
        lines.append(f"| {name} | {cells} |")
    lines.append("")
    for p in pairs:
        d = out["pairs"][p]
        share = d["findings_on_error_spans"] / d["findings_on_mt"] if d["findings_on_mt"] else float("nan")
        lines.append(f"- {p}: {d['rows']} rows ({d['segments']} segments x systems), {d['human_zero_share']:.0%} with "
                     f"human MQM 0; {d['findings_on_mt']} findings on {d['mt_segments_with_findings']} MT segments, "
                     f"{d['findings_on_error_spans']} ({share:.0%}) on a human-marked error span; "
                     f"{d['findings_on_references']} findings on {d['references_checked']} human references; "
                     f"scoring took {d['seconds']} s.")
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("data", help="directory with wmt21_ted_mqm_{en-de,zh-en}.jsonl")
    parser.add_argument("--pairs", nargs="+", default=["en-de", "zh-en"], choices=sorted(LANGS))
    parser.add_argument("--segments", type=int, default=None, help="sample this many source segments (all systems)")
    parser.add_argument("--model", default="gemma3", help="language model for fluency/adequacy, or 'none'")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--json", help="also write the raw results here")
    args = parser.parse_args(argv)
    out = run(args)
    if args.json:
        Path(args.json).write_text(json.dumps(out, indent=1, ensure_ascii=False), encoding="utf-8")
    print(markdown(out))
    return 0


if __name__ == "__main__":
    sys.exit(main())
