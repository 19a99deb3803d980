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

The default table repeats the ~80 sentences of the article, which per-sentence caches make cheap.
``--corpus PATH`` (repeatable; a file or a directory) instead builds one table per target language
from the DISTINCT segments of real files, and reports the throughput per language:

- ``*.jsonl``: one record per line with the language pair in ``lp`` (``zh-en``: the target is
  ``en``), e.g. the WMT MQM files; ``--fields`` picks the keys (default ``mt``; ``reference``
  is in the target language, ``source`` in the source language).
- any other file: one segment per line; its language is a two-letter part of the file name
  (``newstest2017.online-A.en-de.de.txt``, ``newstest2017.en-de.ref.de``: the last one wins),
  or ``--target-lang``; files of a directory that name no language are skipped.

    .venv/bin/python bench/batch.py --corpus DATA/mqm --corpus DATA/wmt17_en-de --workers 1 --one-core

The CLI run is preceded by a run on the first 20 rows of the same table, whose CPU time (mostly
interpreter start-up, imports, lexicon and model loading) is subtracted for the "net" column
(an estimate: lexicons that only later segments need load in the full run).
``--save-tables DIR`` writes the per-language tables there (``corpus_<lang>.tsv``) and stops.
"""
from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PROBE_ROWS = 20  # rows of the start-up run in --corpus mode
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


def _clean(text: str) -> str:
    """A segment as one TSV cell: tabs and line breaks become spaces, outer blanks dropped."""
    return " ".join(text.replace("\t", " ").splitlines()).strip()


def _file_lang(path: Path, default: str | None) -> str | None:
    """The language named by a two-letter part of a file name (the last one), else ``default``."""
    codes = [part for part in path.name.lower().split(".") if re.fullmatch(r"[a-z]{2}", part)]
    return codes[-1] if codes else default


def corpus_segments(paths: list[str], fields: list[str], default_lang: str | None) -> dict[str, list[str]]:
    """Distinct non-empty segments of the corpus files, by language, in first-seen order."""
    files: list[Path] = []
    explicit = {Path(name) for name in paths}
    for name in paths:
        path = Path(name)
        files.extend(sorted(p for p in path.rglob("*") if p.is_file()) if path.is_dir() else [path])
    by_lang: dict[str, dict[str, None]] = {}
    for path in files:
        with open(path, encoding="utf-8", errors="replace") as handle:
            if path.suffix == ".jsonl":
                for line in handle:
                    record = json.loads(line)
                    source, _, target = str(record.get("lp", "")).partition("-")
                    for key in fields:
                        lang = (source if key in ("source", "src") else target) or default_lang or "auto"
                        text = _clean(str(record.get(key) or ""))
                        if text:
                            by_lang.setdefault(lang, {})[text] = None
            else:
                lang = _file_lang(path, default_lang)
                if lang is None and path not in explicit:
                    continue  # a file of a directory that names no language (e.g. a scores table)
                lang = lang or "auto"
                for line in handle:
                    text = _clean(line)
                    if text:
                        by_lang.setdefault(lang, {})[text] = None
    return {lang: list(texts) for lang, texts in by_lang.items()}


def write_table(path: Path, segments: list[str]) -> int:
    """Write ``segments`` as an id/target TSV; its size in bytes."""
    with open(path, "w", encoding="utf-8", newline="") as handle:
        handle.write("id\ttarget\n")
        for i, text in enumerate(segments):
            handle.write(f"seg{i}\t{text}\n")
    return path.stat().st_size


def run_corpus(args: argparse.Namespace) -> None:
    """Per target language: CLI throughput (or in-process split) on the distinct corpus segments."""
    corpora = corpus_segments(args.corpus, args.fields.split(","), args.target_lang)
    if args.save_tables:
        out = Path(args.save_tables)
        out.mkdir(parents=True, exist_ok=True)
        for lang, segments in sorted(corpora.items()):
            size = write_table(out / f"corpus_{lang}.tsv", segments[:args.rows])
            print(f"{out / f'corpus_{lang}.tsv'}: {min(len(segments), args.rows)} segments, {size / 1e6:.1f} MB")
        return
    with tempfile.TemporaryDirectory() as tmp:
        if args.in_process:
            for lang, segments in sorted(corpora.items()):
                table = Path(tmp) / f"corpus_{lang}.tsv"
                write_table(table, segments[:args.rows])
                print(f"[{lang}] ", end="")
                profile = f"{args.profile}.{lang}" if args.profile else None
                in_process(table, args.chunk_units, args.target_lang or (None if lang == "auto" else lang),
                           args.select, profile)
            return
        print("| target | segments | workers | wall s | segments/s (wall) | CPU s | segments per CPU-second "
              f"| {PROBE_ROWS}-row run CPU s | net segments per CPU-second | peak RSS MB | findings |")
        print("|---|---|---|---|---|---|---|---|---|---|---|")
        for lang, segments in sorted(corpora.items()):
            rows = segments[:args.rows]
            table, probe = Path(tmp) / f"corpus_{lang}.tsv", Path(tmp) / f"one_{lang}.tsv"
            write_table(table, rows)
            write_table(probe, rows[:PROBE_ROWS])
            for workers in args.workers:
                one_core = args.one_core and workers == 1
                fixed = min(run_once(probe, workers, one_core, Path(tmp) / "r.json", args.select)[1]
                            for _ in range(args.repeat))
                runs = [run_once(table, workers, one_core, Path(tmp) / "r.json", args.select)
                        for _ in range(args.repeat)]
                seconds, cpu, peak, summary = min(runs, key=lambda r: r[1])
                net = (len(rows) - PROBE_ROWS) / (cpu - fixed) if cpu > fixed else float("nan")
                print(f"| {lang} | {len(rows)} | {workers} | {seconds:.1f} | {len(rows) / seconds:,.0f} | {cpu:.2f} "
                      f"| {len(rows) / cpu:,.0f} | {fixed:.2f} | {net:,.0f} | {peak:.0f} | {summary['findings']} |",
                      flush=True)


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


def in_process(table: Path, chunk_units: int, target_lang: str | None, select: str | None,
               profile: str | None = None) -> None:
    """CPU time of the pipeline over the chunks of ``table``, and the rules' share by check module.

    The first chunk warms the lexicons and models and is not timed (the per-text caches would make
    a second pass over it cheap), unless it is the only chunk. Each check's CPU time is taken in the
    same pass. As in the batch runner, what is alive after each chunk is frozen out of the garbage
    collector. ``profile``: write a cProfile of the timed pass to that file.
    """
    import cProfile
    from collections import Counter

    import qa.pipeline
    from qa.batch import plan
    from qa.config import Config

    try:
        from qa.context import freeze_loaded_data  # the batch runner calls it after each job
    except ImportError:  # older code
        def freeze_loaded_data() -> None:
            return None

    config = Config(fluency=False, target_lang=target_lang, select=tuple(select.split(",")) if select else ())
    jobs = list(plan([str(table)], config, chunk_units=chunk_units, stream_bytes=0))
    qa.pipeline.check_document(jobs[0].document, config)  # warm the lexicons and models
    freeze_loaded_data()
    timed = jobs[1:] or jobs
    rows = sum(len(job.document.segments) for job in timed)
    by_module: Counter = Counter()
    plain_run_checks = qa.pipeline.run_checks

    def timed_run_checks(doc, checks, ctx):  # type: ignore[no-untyped-def]
        findings = []
        for entry in checks:
            tick = time.process_time()
            findings.extend(plain_run_checks(doc, [entry], ctx))
            by_module[entry.run.__module__] += time.process_time() - tick
        return findings

    qa.pipeline.run_checks = timed_run_checks
    profiler = cProfile.Profile() if profile else None
    try:
        start = time.process_time()
        if profiler:
            profiler.enable()
        for job in timed:
            qa.pipeline.check_document(job.document, config)
            freeze_loaded_data()
        if profiler:
            profiler.disable()
        total = time.process_time() - start
    finally:
        qa.pipeline.run_checks = plain_run_checks
    if profiler:
        profiler.dump_stats(profile)
    print(f"{rows} segments in {len(timed)} timed chunks of {chunk_units}"
          f"{' (the warm-up chunk itself: cached)' if len(jobs) == 1 else ''}: {total:.2f} CPU s, "
          f"{rows / total:,.0f} segments per CPU-second (check_document only)")
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
    parser.add_argument("--profile", metavar="FILE", help="with --in-process: write a cProfile of the timed pass")
    parser.add_argument("--chunk-units", type=int, default=1000)
    parser.add_argument("--target-lang", default=None)
    parser.add_argument("--corpus", action="append", metavar="PATH",
                        help="a file or directory of real segments (repeatable): distinct segments, by language")
    parser.add_argument("--fields", default="mt", help="JSONL keys to take segments from (comma-separated)")
    parser.add_argument("--save-tables", metavar="DIR", help="with --corpus: write the tables to DIR and stop")
    args = parser.parse_args()
    if args.corpus:
        run_corpus(args)
        return
    if args.in_process:
        with tempfile.TemporaryDirectory() as tmp:
            table = Path(tmp) / "big.tsv"
            build_table(table, args.rows)
            in_process(table, args.chunk_units, args.target_lang, args.select, args.profile)
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
