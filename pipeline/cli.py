"""Command line: `python -m pipeline run|inspect|docs`. Wiring only; the work is in the library.

Every failure is mapped to a one-line message and an exit status here, in
`main`, and nowhere else. Heavy libraries (pandas, pandera, pdfplumber) are
imported only when a command runs, so `--help` answers at once.
"""

from __future__ import annotations

import argparse
import math
import os
import sys
from pathlib import Path

from pipeline import __version__

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2
DEBUG_ENV = "PIPELINE_DEBUG"


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    return value


def _positive_float(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number") from None
    if not (value > 0 and math.isfinite(value)):
        raise argparse.ArgumentTypeError(f"{text!r} is not a number of seconds more than 0")
    return value


MINIMUM_MEMORY_LIMIT_MB = 256  # below this a worker cannot even load the PDF libraries


def _memory_limit(text: str) -> int:
    value = _positive_int(text)
    if value < MINIMUM_MEMORY_LIMIT_MB:
        raise argparse.ArgumentTypeError(f"must be at least {MINIMUM_MEMORY_LIMIT_MB} (MB)")
    return value


def build_parser() -> argparse.ArgumentParser:
    from pipeline.cache import CACHE_ENV, DEFAULT_CACHE_DIR
    from pipeline.run import DEFAULT_MEMORY_LIMIT_MB, DEFAULT_TIMEOUT_SECONDS, default_jobs

    parser = argparse.ArgumentParser(
        prog="python -m pipeline",
        description="Turn Flemish Parliament answer PDFs into validated open datasets.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    run = commands.add_parser("run", help="read every PDF in --raw and write the datasets and reports to --out",
                              description="Read every *.pdf in --raw; write datasets, datapackage and validation "
                              "report to --out. Exit 0: all read, no validation error; 1: a document failed or a "
                              "check failed (everything readable is still written); 2: bad usage.")
    run.add_argument("--raw", type=Path, default=Path("raw"), metavar="DIR",
                     help="folder of answer PDFs (default: raw/); never written to")
    run.add_argument("--out", type=Path, default=Path("output"), metavar="DIR",
                     help="output folder (default: output/); replaced as a whole when the run completes")
    run.add_argument("--jobs", type=_positive_int, default=default_jobs(), metavar="N",
                     help="documents read in parallel (default: the number of cores, here %(default)s)")
    run.add_argument("--timeout", type=_positive_float, default=DEFAULT_TIMEOUT_SECONDS, metavar="SECONDS",
                     help="give up on a document after this long (default: %(default)g)")
    run.add_argument("--memory-limit", type=_memory_limit, default=DEFAULT_MEMORY_LIMIT_MB, metavar="MB",
                     help="address space each worker process may use; a document that needs more is given up "
                     "(default: %(default)s)")
    run.add_argument("--quiet", action="store_true", help="print only errors and warnings")
    caching = run.add_mutually_exclusive_group()
    caching.add_argument("--cache-dir", type=Path, metavar="DIR",
                         help=f"keep each document's result here, so that a re-run reads only new or changed PDFs "
                         f"(default: ${CACHE_ENV}, else {DEFAULT_CACHE_DIR}/ under the current folder)")
    caching.add_argument("--no-cache", action="store_true",
                         help="read every PDF again, and neither read nor write the cache")

    inspect = commands.add_parser("inspect", help="print what one stage sees of one PDF, as JSON (for debugging)",
                                  description="Dump the intermediate results of one PDF as JSON on stdout.")
    inspect.add_argument("pdf", type=Path, help="the PDF file")
    inspect.add_argument("--stage", choices=("extract", "blocks", "tables", "result"), default="tables",
                         help="extract: pages, lines and table cells with geometry; blocks: paragraphs and tables "
                         "in reading order; tables: stitched tables with header and rows; result: the rows, "
                         "repairs and findings (default: %(default)s)")

    docs = commands.add_parser("docs", help="write the generated reference docs (datasets, rules, checks)",
                               description="Regenerate docs/reference.md from the schemas and the catalogue.")
    docs.add_argument("--check", action="store_true", help="only check that docs/reference.md is up to date")
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        if args.command == "run":
            return command_run(args)
        if args.command == "inspect":
            return command_inspect(args)
        return command_docs(args)
    except KeyboardInterrupt:
        print("interrupted: the previous output was left as it was", file=sys.stderr)
        return 130
    except Exception as exc:  # noqa: BLE001 - the one place where failures become messages
        return report_failure(exc)


def report_failure(exc: Exception) -> int:
    from pipeline.errors import OutputError, UsageError

    if isinstance(exc, UsageError):
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    if isinstance(exc, OutputError):
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_FAILED
    if os.environ.get(DEBUG_ENV):
        raise exc
    if isinstance(exc, OSError):
        where = f": {exc.filename}" if exc.filename else ""
        print(f"error: {exc.strerror or exc}{where}", file=sys.stderr)
    else:
        print(f"internal error: {type(exc).__name__}: {exc} (set {DEBUG_ENV}=1 to see where)", file=sys.stderr)
    return EXIT_FAILED


def command_run(args: argparse.Namespace) -> int:
    from pipeline.cache import default_cache_dir
    from pipeline.errors import one_line
    from pipeline.progress import Progress
    from pipeline.run import RunOptions, run

    cache_dir = None if args.no_cache else args.cache_dir or default_cache_dir()
    options = RunOptions(raw=args.raw, out=args.out, jobs=args.jobs, timeout=args.timeout,
                         memory_limit_mb=args.memory_limit, cache_dir=cache_dir)
    with Progress(enabled=not args.quiet) as progress:
        outcome = run(options, progress)
    for warning in outcome.warnings:
        print(f"warning: {one_line(warning)}", file=sys.stderr)
    for file_name, message in outcome.errors:
        # The file name comes from outside: escaped so it cannot break the line or drive the terminal.
        path = one_line(str(options.raw / file_name))
        print(f"error: {path}: {message}", file=sys.stderr)
    if not args.quiet:
        summary = (f"{outcome.documents} documents, {len(outcome.errors)} unreadable; checks: "
                   f"{outcome.failed_checks} failed, {outcome.warned_checks} warnings")
        if outcome.up_to_date:
            print(f"{options.out}/ is up to date: no PDF, setting or code changed since the run that wrote it "
                  f"({summary})", file=sys.stderr)
        else:
            print(f"{summary}; {outcome.read} read, {outcome.documents - outcome.read} from the cache; "
                  f"written to {options.out}/ (see {options.out / 'validation_report.html'})", file=sys.stderr)
    return outcome.exit_code


def command_inspect(args: argparse.Namespace) -> int:
    import json

    from pipeline.inspect import inspect_stage

    json.dump(inspect_stage(args.pdf, args.stage), sys.stdout, ensure_ascii=False, indent=1, default=str)
    sys.stdout.write("\n")
    return EXIT_OK


def command_docs(args: argparse.Namespace) -> int:
    from pipeline.docs import REFERENCE_PATH, reference_markdown

    text = reference_markdown()
    if args.check:
        if not REFERENCE_PATH.exists() or REFERENCE_PATH.read_text(encoding="utf-8") != text:
            print(f"error: {REFERENCE_PATH} is out of date: run python -m pipeline docs", file=sys.stderr)
            return EXIT_FAILED
        return EXIT_OK
    REFERENCE_PATH.write_text(text, encoding="utf-8")
    print(f"wrote {REFERENCE_PATH}", file=sys.stderr)
    return EXIT_OK
