"""Batch throughput of ``qa check`` with the rules only, on a large TSV, with 1 and 2 workers.

Builds a TSV of N segments (default 100,000) from the sentences of the example article (a real
English MT output) with a French-looking id column and no source, then times the CLI exactly as
a CI job runs it::

    python -m qa check big.tsv --no-fluency --workers W --format json --output report.json --no-config

and prints segments per second of wall time and of CPU time (user + system of all its processes:
on a shared machine the wall figure depends on what else runs, the CPU figure much less), and the
peak resident memory of the run (the largest process).
``--one-core`` pins the single-worker run to one CPU with ``taskset`` so "one core" means one.

    .venv/bin/python bench/batch.py --rows 100000 --workers 1 2 --one-core

``--in-process`` instead times ``check_document`` over the chunks in this process (no start-up,
no report writing; CPU time) and splits the rules' CPU time by check module::

    .venv/bin/python bench/batch.py --rows 8000 --in-process --target-lang en
"""
from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def build_table(path: Path, rows: int) -> int:
    """Write the benchmark TSV; its size in bytes."""
    from qa.text import segment_text

    text = (ROOT / "examples" / "kursk_evacuation_en.txt").read_text(encoding="utf-8")
    sentences = [s.text.replace("\t", " ").replace("\n", " ") for s in segment_text(text)]
    with open(path, "w", encoding="utf-8", newline="") as handle:
        handle.write("id\ttarget\n")
        for i in range(rows):
            handle.write(f"seg{i}\t{sentences[i % len(sentences)]}\n")
    return path.stat().st_size


def run_once(table: Path, workers: int, one_core: bool, output: Path,
             select: str | None = None) -> tuple[float, float, float, dict]:
    """Wall seconds, CPU seconds, peak RSS (MB) and summary of one CLI run in a fresh interpreter."""
    argv = [sys.executable, "-m", "qa", "check", str(table), "--no-fluency", "--workers", str(workers),
            "--format", "json", "--output", str(output), "--no-config", "--no-progress"]
    if select:
        argv += ["--select", select]
    if one_core and shutil.which("taskset"):
        argv = ["taskset", "-c", "0", *argv]
    probe = [sys.executable, "-c", "import resource, subprocess, sys; r = subprocess.run(sys.argv[1:]);"
             "u = resource.getrusage(resource.RUSAGE_CHILDREN);"
             "print(u.ru_utime + u.ru_stime, u.ru_maxrss, file=sys.stderr); sys.exit(r.returncode)",
             *argv]
    env = {**os.environ, "PYTHONPATH": str(ROOT), "CI": "true"}
    start = time.perf_counter()
    result = subprocess.run(probe, capture_output=True, text=True, env=env, cwd=ROOT)
    seconds = time.perf_counter() - start
    if result.returncode not in (0, 1):
        raise SystemExit(f"qa failed ({result.returncode}): {result.stderr[-2000:]}")
    cpu, maxrss = result.stderr.strip().splitlines()[-1].split()
    summary = json.loads(output.read_text(encoding="utf-8"))["summary"]
    return seconds, float(cpu), int(maxrss) / 1024, summary


def in_process(rows: int, chunk_units: int, target_lang: str | None, select: str | None) -> None:
    """CPU time of the pipeline over the chunks of the table, and the rules' share by check module."""
    from collections import Counter

    from qa.batch import plan
    from qa.config import Config
    from qa.context import CheckContext
    from qa.pipeline import check_document, resolve_languages
    from qa.rules import selected

    config = Config(fluency=False, target_lang=target_lang, select=tuple(select.split(",")) if select else ())
    with tempfile.TemporaryDirectory() as tmp:
        table = Path(tmp) / "big.tsv"
        build_table(table, rows)
        jobs = list(plan([str(table)], config, chunk_units=chunk_units, stream_bytes=0))
    check_document(jobs[0].document, config)  # warm the lexicons and caches
    start = time.process_time()
    for job in jobs:
        check_document(job.document, config)
    total = time.process_time() - start
    print(f"{rows} segments in {len(jobs)} chunks of {chunk_units}: {total:.2f} CPU s, "
          f"{rows / total:,.0f} segments per CPU-second (check_document only)")
    by_module: Counter = Counter()
    for job in jobs:
        doc = resolve_languages(job.document, config)
        ctx = CheckContext(config=config)
        for entry in selected(config.select, config.ignore):
            if entry.rule.applies_to(doc.target_lang) and not entry.rule.needs_model:
                tick = time.process_time()
                list(entry.run(doc, ctx))
                by_module[entry.run.__module__] += time.process_time() - tick
    rules_total = sum(by_module.values())
    print(f"rules: {rules_total:.2f} CPU s; by module: " + ", ".join(
        f"{name.replace('qa.checks.', '')} {100 * t / rules_total:.0f} %" for name, t in by_module.most_common()))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--repeat", type=int, default=1, help="runs per setting; the best is reported")
    parser.add_argument("--one-core", action="store_true", help="pin the 1-worker run to one CPU (taskset)")
    parser.add_argument("--select", help="rule code prefixes (e.g. QA55 to time the plumbing with one cheap family)")
    parser.add_argument("--in-process", action="store_true", help="time check_document here, by check module")
    parser.add_argument("--chunk-units", type=int, default=1000)
    parser.add_argument("--target-lang", default=None)
    args = parser.parse_args()
    if args.in_process:
        in_process(args.rows, args.chunk_units, args.target_lang, args.select)
        return
    from qa.rules import selected

    rules = [c.rule.code for c in selected(args.select.split(",") if args.select else ())]
    with tempfile.TemporaryDirectory() as tmp:
        table = Path(tmp) / "big.tsv"
        size = build_table(table, args.rows)
        print(f"{args.rows} segments, {size / 1e6:.1f} MB TSV; rules ({len(rules)}): {' '.join(rules)}")
        print("| workers | wall s | segments/s (wall) | CPU s | segments per CPU-second | peak RSS MB | findings |")
        print("|---|---|---|---|---|---|---|")
        for workers in args.workers:
            runs = [run_once(table, workers, args.one_core and workers == 1, Path(tmp) / "report.json", args.select)
                    for _ in range(args.repeat)]
            seconds, cpu, peak, summary = min(runs, key=lambda r: r[0])
            print(f"| {workers} | {seconds:.1f} | {args.rows / seconds:,.0f} | {cpu:.1f} | {args.rows / cpu:,.0f} "
                  f"| {peak:.0f} | {summary['findings']} |", flush=True)


if __name__ == "__main__":
    main()
