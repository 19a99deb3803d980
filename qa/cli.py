"""The command line: ``qa check``, ``qa rules``, ``qa explain``.

Exit status: 0 passed, 1 findings at or above ``--fail-on`` (or quality below
``--min-quality``), 2 usage error, 3 an input could not be read.
"""
from __future__ import annotations

import argparse
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
    check.add_argument("--source-lang", metavar="L")
    check.add_argument("--target-lang", metavar="L")
    check.add_argument("--glossary", metavar="FILE", action="append", help="CSV/TSV/TBX glossary (repeatable)")
    check.add_argument("--format", default=None, choices=sorted(REPORTERS), help="output format (default text)")
    check.add_argument("--output", metavar="FILE", help="write the report here instead of stdout")
    check.add_argument("--fail-on", choices=FAIL_ON_CHOICES, default=None)
    check.add_argument("--min-quality", type=float, metavar="N", default=None)
    check.add_argument("--select", metavar="CODES", help="comma-separated code prefixes to run")
    check.add_argument("--ignore", metavar="CODES", help="comma-separated code prefixes to skip")
    check.add_argument("--no-fluency", action="store_true", help="rules only, no language model")
    check.add_argument("--model", metavar="NAME|PATH", default=None, help="gemma3 (default), smollm2, or a local path")
    check.add_argument("--device", choices=("auto", "cpu", "cuda"), default=None)
    check.add_argument("--config", metavar="FILE", help="qa.toml or pyproject.toml with [tool.qa]")
    check.add_argument("--workers", type=int, metavar="N", default=None)
    sub.add_parser("rules", help="list the rules")
    explain = sub.add_parser("explain", help="explain one rule")
    explain.add_argument("code")
    return parser


def config_from_args(args: argparse.Namespace) -> Config:
    """Defaults, then the config file, then the flags."""
    config = Config()
    if args.config:
        try:
            config = config.updated(**load_config_file(args.config))
        except (OSError, ValueError) as error:
            raise UsageError(f"cannot use config {args.config}: {error}") from None
    return config.updated(
        select=args.select, ignore=args.ignore, fail_on=args.fail_on, min_quality=args.min_quality,
        source_lang=args.source_lang, target_lang=args.target_lang,
        glossary=tuple(args.glossary) if args.glossary else None,
        fluency=False if args.no_fluency else None, model=args.model, device=args.device,
        workers=args.workers,
    )


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
    from .pipeline import run

    config = config_from_args(args)
    documents = read_documents(args, config)
    scorer = load_scorer(config) if any(not isinstance(d, InputError) for d in documents) else None
    report = run(documents, config, scorer)
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


COMMANDS = {"check": cmd_check, "rules": cmd_rules, "explain": cmd_explain}


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
