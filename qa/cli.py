"""The command line: ``qa check``, ``qa rules``, ``qa explain``.

Exit status: 0 passed, 1 findings at or above ``--fail-on`` (or quality below
``--min-quality``), 2 usage error, 3 an input could not be read.
"""
from __future__ import annotations

import argparse
import os
import sys
import textwrap
from typing import Any, Sequence

from . import __version__
from .config import FAIL_ON_CHOICES, Config, load_config_file
from .errors import InputError, UsageError
from .reporters import REPORTERS, summary_line
from .rules import get_rule, rules

EXIT_OK, EXIT_FAILED, EXIT_USAGE, EXIT_INPUT = 0, 1, 2, 3


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # argparse prints usage and exits 2; keep it one line
        self.exit(EXIT_USAGE, f"qa: error: {message} (see 'qa {self.prog.split()[-1]} --help')\n")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="qa", description="Check machine-translated text for MT artefacts.")
    parser.add_argument("--version", action="version", version=f"qa {__version__}")
    sub = parser.add_subparsers(dest="command", parser_class=_Parser)
    check = sub.add_parser("check", help="check translated files")
    check.add_argument("paths", nargs="+", metavar="PATH", help="files, directories or globs; - for stdin")
    check.add_argument("--source", metavar="FILE", help="source text of a single text input")
    check.add_argument("--reference", metavar="FILE", action="append",
                       help="reference translation of a single text input (repeat for several)")
    check.add_argument("--format", default=None, choices=sorted(REPORTERS), help="output format (default text)")
    check.add_argument("--output", metavar="FILE", help="write the report here instead of stdout")
    _add_settings_flags(check)
    check.add_argument("--write-baseline", metavar="FILE",
                       help="record the current findings in FILE (a later --baseline FILE reports only new ones)")
    check.add_argument("--progress", action=argparse.BooleanOptionalAction, default=None,
                       help="progress bar on standard error (default: on a terminal, off when CI is set)")
    config_cmd = sub.add_parser("config", help="print the effective configuration (defaults < config file < flags)")
    _add_settings_flags(config_cmd)
    sub.add_parser("rules", help="list the rules")
    explain = sub.add_parser("explain", help="explain one rule")
    explain.add_argument("code")
    return parser


def _add_settings_flags(parser: argparse.ArgumentParser) -> None:
    """The flags that override settings of the config file (shared by ``check`` and ``config``)."""
    parser.add_argument("--source-lang", metavar="L")
    parser.add_argument("--target-lang", metavar="L")
    parser.add_argument("--glossary", metavar="FILE", action="append", help="CSV/TSV/TBX glossary (repeatable)")
    parser.add_argument("--fail-on", choices=FAIL_ON_CHOICES, default=None)
    parser.add_argument("--min-quality", type=float, metavar="N", default=None)
    parser.add_argument("--select", metavar="CODES", help="comma-separated code prefixes to run")
    parser.add_argument("--ignore", metavar="CODES", help="comma-separated code prefixes to skip")
    parser.add_argument("--no-fluency", action="store_true", help="rules only, no language model")
    parser.add_argument("--model", metavar="NAME|PATH", default=None, help="gemma3 (default), smollm2, or a local path")
    parser.add_argument("--device", choices=("auto", "cpu", "cuda"), default=None)
    parser.add_argument("--config", metavar="FILE",
                        help="qa.toml or pyproject.toml with [tool.qa] (default: found in the working directory "
                             "or its parents)")
    parser.add_argument("--no-config", action="store_true", help="do not look for a config file")
    parser.add_argument("--workers", type=int, metavar="N", default=None,
                        help="worker processes (0: one per CPU core; each loads the model once)")
    parser.add_argument("--baseline", metavar="FILE", help="findings recorded in FILE do not fail the run")


def config_file_of(args: argparse.Namespace) -> str | None:
    """The config file in force: ``--config``, else one discovered from the working directory."""
    if getattr(args, "config", None):
        return args.config
    if getattr(args, "no_config", False):
        return None
    from .config import discover_config

    return discover_config()


def config_from_args(args: argparse.Namespace) -> Config:
    """Defaults, then the config file, then the flags."""
    config = Config()
    path = config_file_of(args)
    if path:
        try:
            config = config.updated(**load_config_file(path))
        except (OSError, ValueError) as error:
            raise UsageError(f"cannot use config {path}: {error}") from None
    workers = args.workers
    if workers is not None and workers < 1:
        workers = os.cpu_count() or 1
    config = config.updated(baseline=args.baseline)
    config = config.updated(
        select=args.select, ignore=args.ignore, fail_on=args.fail_on, min_quality=args.min_quality,
        source_lang=args.source_lang, target_lang=args.target_lang,
        glossary=tuple(args.glossary) if args.glossary else None,
        fluency=False if args.no_fluency else None, model=args.model, device=args.device,
        workers=workers,
    )
    return config


def check_glossaries(config: Config) -> None:
    """Fail early (usage error) on a glossary that cannot be read, naming the file and the reason."""
    if not config.glossary:
        return
    from .lexicons import load_glossary

    for path in config.glossary:
        try:
            load_glossary(path)
        except InputError as error:
            raise UsageError(f"cannot use glossary {error}") from None


def read_documents(args: argparse.Namespace, config: Config) -> list[Any]:
    """Documents (or InputErrors) for the paths, with --source/--reference attached."""
    from .readers import read_all
    from .readers.parallel import attach_parallel_texts

    items = list(read_all(args.paths, config))
    if args.source or args.reference:
        if len(items) != 1:
            raise UsageError("--source and --reference go with exactly one input file")
        items = [attach_parallel_texts(items[0], args.source, args.reference or [])]
    return items


def load_scorer(config: Config) -> Any:
    """The language-model scorer, or None (with a message on stderr) when it cannot be loaded."""
    if not config.fluency:
        return None
    from . import fluency

    try:
        return fluency.load_scorer(config)
    except fluency.ModelUnavailable as error:
        print(f"qa: warning: fluency scoring is off: {error}", file=sys.stderr)
        return None


def cmd_check(args: argparse.Namespace) -> int:
    from .batch import jobs_for, plan, progress_bar, run_batch

    config = config_from_args(args)
    check_glossaries(config)
    if args.source or args.reference:
        jobs = jobs_for(read_documents(args, config))
    else:
        jobs = plan(args.paths, config)
    advance, close = progress_bar(args.progress)
    try:
        report = run_batch(jobs, config, workers=config.workers, scorer_loader=load_scorer, progress=advance)
    finally:
        close()
    if args.write_baseline:
        return _write_baseline(report, args.write_baseline)
    if config.baseline:
        from .suppress import apply_baseline, load_baseline

        apply_baseline(report, load_baseline(config.baseline), config.baseline)
    output = REPORTERS[args.format or "text"](report)
    if args.output:
        with open(args.output, "w", encoding="utf-8") as handle:
            handle.write(output)
        print(summary_line(report), file=sys.stderr)
    else:
        sys.stdout.write(output)
        if (args.format or "text") != "text":
            print(summary_line(report), file=sys.stderr)
    for doc in report.documents:
        for error in doc.errors:
            if doc.unreadable:
                print(f"qa: error: {doc.path}: {error}", file=sys.stderr)
    if any(d.unreadable for d in report.documents):
        return EXIT_INPUT
    return EXIT_FAILED if report.failed else EXIT_OK


def _write_baseline(report: Any, path: str) -> int:
    from .suppress import write_baseline

    try:
        count = write_baseline(report, path)
    except OSError as error:
        raise UsageError(f"cannot write baseline {path}: {error.strerror or error}") from None
    print(f"qa: wrote {count} finding(s) to baseline {path}", file=sys.stderr)
    for doc in report.documents:
        if doc.unreadable:
            print(f"qa: error: {doc.path}: {doc.errors[0]}", file=sys.stderr)
    return EXIT_INPUT if any(d.unreadable for d in report.documents) else EXIT_OK


def cmd_config(args: argparse.Namespace) -> int:
    """Print the settings a ``check`` with the same flags would use, as a ``qa.toml``."""
    from .config import to_toml

    path = config_file_of(args)
    config = config_from_args(args)
    print(f"# effective qa configuration: defaults < {path or '(no config file)'} < command-line flags")
    sys.stdout.write(to_toml(config))
    return EXIT_OK


def cmd_rules(args: argparse.Namespace) -> int:
    for rule in rules():
        langs = ",".join(rule.languages) if rule.languages != ("*",) else "all"
        print(f"{rule.code}  {rule.name:<32} {rule.severity.value:<8} {rule.category.value:<18} [{langs}]")
    return EXIT_OK


def cmd_explain(args: argparse.Namespace) -> int:
    rule = get_rule(args.code)
    if rule is None:
        print(f"qa: error: unknown rule code {args.code!r}; 'qa rules' lists them", file=sys.stderr)
        return EXIT_USAGE
    langs = ", ".join(rule.languages) if rule.languages != ("*",) else "all languages"
    print(f"{rule.code} {rule.name}\n")
    print(f"Category: {rule.category.value}\nSeverity: {rule.severity.value}\nLanguages: {langs}\n")
    print(textwrap.fill(rule.explanation, width=88) + "\n")
    for title, examples in (("Flagged", rule.fail_examples), ("Not flagged", rule.pass_examples)):
        if examples:
            print(f"{title}:")
            for ex in examples[:4]:
                print(f"  [{ex.lang}] {ex.text}" + (f"  ->  {ex.suggestion}" if ex.suggestion else ""))
    return EXIT_OK


COMMANDS = {"check": cmd_check, "config": cmd_config, "rules": cmd_rules, "explain": cmd_explain}


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not args.command:
        parser.print_help()
        return EXIT_USAGE
    try:
        return COMMANDS[args.command](args)
    except UsageError as error:
        print(f"qa: error: {error}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        print("qa: interrupted", file=sys.stderr)
        return 130


def main_entry() -> None:
    """Console-script entry point (``qa``), equivalent to ``python -m qa``."""
    sys.exit(main())
