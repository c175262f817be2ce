"""Command line: `python -m pipeline run|inspect|docs`. Wiring only; the work is in the library.

Every failure is mapped to a one-line message and an exit status here, in
`main`, and nowhere else; each parser's help lists the exit statuses. `run` names
each failed check on stderr and, with `--json`, prints its summary on stdout. Heavy libraries (pandas, pandera, pdfplumber) are
imported only when a command runs, so `--help` answers at once.
"""

from __future__ import annotations

import argparse
import dataclasses
import math
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from pipeline import __version__

if TYPE_CHECKING:
    from pipeline.publish.publishing import Placeholder
    from pipeline.run import CheckProblem, RunOutcome

EXIT_OK, EXIT_FAILED, EXIT_USAGE, EXIT_INTERRUPTED = 0, 1, 2, 130
DEBUG_ENV = "PIPELINE_DEBUG"

TOP_EXIT_STATUSES = """exit status:
  0    done
  1    a document could not be read, a check failed, or an internal error
  2    bad usage
  130  interrupted (Ctrl-C)
each command's --help says what each means for it."""
RUN_EXIT_STATUSES = """exit status:
  0    every document was read and no check failed (warnings allowed)
  1    a document could not be read or a check failed; everything readable is still written
  2    bad usage (a missing folder, no PDF, an unknown option, a bad publishing.toml): nothing written
  130  interrupted (Ctrl-C): the previous output is left as it was"""
INSPECT_EXIT_STATUSES = """exit status:
  0    done
  1    the pipeline failed on this PDF (an internal error: please report it)
  2    bad usage: the file is missing or not a readable PDF, no such page, an unknown option
  130  interrupted (Ctrl-C)"""
DOCS_EXIT_STATUSES = """exit status:
  0    written (with --check: up to date)
  1    with --check: docs/reference.md is out of date
  2    bad usage (an unknown option)
  130  interrupted (Ctrl-C)"""


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


def _add_version(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--version", action="version", version=f"python -m pipeline {__version__}")


def build_parser() -> argparse.ArgumentParser:
    from pipeline.cache import CACHE_ENV, DEFAULT_CACHE_DIR
    from pipeline.inspect_view import LEGEND, STAGES
    from pipeline.profiles import DEFAULT_PROFILE
    from pipeline.run import DEFAULT_MEMORY_LIMIT_MB, DEFAULT_TIMEOUT_SECONDS, default_jobs
    from pipeline.settings import DEFAULT_READER, READERS

    parser = argparse.ArgumentParser(
        prog="python -m pipeline",
        description="Turn Flemish Parliament answer PDFs into validated open datasets.",
        epilog=TOP_EXIT_STATUSES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    _add_version(parser)
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    run = commands.add_parser("run", help="read every PDF in --raw and write the datasets and reports to --out",
                              description="Read every *.pdf in --raw; write datasets, datapackage and validation "
                              "report to --out. Each failed check is named on stderr, one line each, before the "
                              "summary.",
                              epilog=RUN_EXIT_STATUSES, formatter_class=argparse.RawDescriptionHelpFormatter)
    _add_version(run)
    run.add_argument("--raw", type=Path, default=Path("raw"), metavar="DIR",
                     help="folder of answer PDFs (default: raw/); never written to")
    run.add_argument("--out", type=Path, default=Path("output"), metavar="DIR",
                     help="output folder (default: output/); replaced as a whole when the run completes")
    run.add_argument("--jobs", type=_positive_int, default=default_jobs(), metavar="N",
                     help="documents read in parallel (default: the number of cores, here %(default)s)")
    run.add_argument("--timeout", type=_positive_float, default=DEFAULT_TIMEOUT_SECONDS, metavar="SECONDS",
                     help="give up on a document after this long (default: %(default)g)")
    run.add_argument("--profile", default=DEFAULT_PROFILE, metavar="NAME|FILE.py",
                     help="the topic: a built-in profile's name or a profile file declaring PROFILE "
                     "(default: %(default)s; see README, 'Writing a profile')")
    run.add_argument("--memory-limit", type=_memory_limit, default=DEFAULT_MEMORY_LIMIT_MB, metavar="MB",
                     help="address space each worker process may use; a document that needs more is given up "
                     "(default: %(default)s)")
    run.add_argument("--quiet", action="store_true", help="print only errors and warnings")
    run.add_argument("--json", action="store_true",
                     help="print a machine-readable summary on stdout: counts, unreadable documents, every failed "
                     "or warned check, the exit status")
    run.add_argument("--no-pictures", action="store_true",
                     help="do not draw the report's pictures of the source pages: faster for bulk runs; the report "
                     "still lists every repair and check with its page")
    run.add_argument("--reader", choices=READERS, default=DEFAULT_READER,
                     help="the PDF parser: pdfium (several times faster) or pdfplumber (pdfminer); both give the "
                     "same datasets, and pdfplumber reads any file PDFium cannot open (default: %(default)s)")
    caching = run.add_mutually_exclusive_group()
    caching.add_argument("--cache-dir", type=Path, metavar="DIR",
                         help=f"keep each document's result here, so that a re-run reads only new or changed PDFs "
                         f"(default: ${CACHE_ENV}, else {DEFAULT_CACHE_DIR}/ under the current folder)")
    caching.add_argument("--no-cache", action="store_true",
                         help="read every PDF again, and neither read nor write the cache")

    inspect = commands.add_parser("inspect", help="print what one stage sees of one PDF, as JSON (for debugging)",
                                  description="Dump the intermediate results of one PDF as JSON on stdout, or, "
                                  "with --image, draw what was found on one page into a PNG.",
                                  epilog=INSPECT_EXIT_STATUSES, formatter_class=argparse.RawDescriptionHelpFormatter)
    _add_version(inspect)
    inspect.add_argument("pdf", type=Path, help="the PDF file")
    inspect.add_argument("--profile", default=DEFAULT_PROFILE, metavar="NAME|FILE.py",
                         help="the topic profile (default: %(default)s)")
    inspect.add_argument("--stage", choices=STAGES, default="tables",
                         help="extract: pages, lines and table cells with geometry; blocks: paragraphs and tables "
                         "in reading order; tables: stitched tables with header and rows; result: the rows, "
                         "repairs and findings (default: %(default)s)")
    inspect.add_argument("--image", type=_positive_int, metavar="PAGE",
                         help=f"instead, write a PNG of page PAGE (from 1) with what was found drawn on it: {LEGEND}")
    inspect.add_argument("--output", type=Path, metavar="FILE",
                         help="where --image writes (default: <document_id>-page-<PAGE>.png in the current folder)")
    inspect.add_argument("--reader", choices=READERS, default=DEFAULT_READER,
                         help="the PDF parser, as for run (default: %(default)s)")

    docs = commands.add_parser("docs", help="write the generated reference docs (datasets, rules, checks)",
                               description="Regenerate docs/reference.md from the schemas and the catalogue.",
                               epilog=DOCS_EXIT_STATUSES, formatter_class=argparse.RawDescriptionHelpFormatter)
    _add_version(docs)
    docs.add_argument("--check", action="store_true", help="only check that docs/reference.md is up to date")
    return parser


def subcommand_parser(parser: argparse.ArgumentParser, command: str) -> argparse.ArgumentParser:
    (commands,) = (a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    return commands.choices[command]


def parse_arguments(parser: argparse.ArgumentParser, argv: list[str] | None) -> argparse.Namespace:
    """The arguments; an option the command does not know is reported with that command's usage
    (argparse itself would print the top-level usage, which does not list the command's options)."""
    args, unknown = parser.parse_known_args(argv)
    if unknown:
        subcommand_parser(parser, args.command).error(f"unrecognized arguments: {' '.join(unknown)}")
    return args


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parse_arguments(parser, argv)
    try:
        if args.command == "run":
            return command_run(args)
        if args.command == "inspect":
            return command_inspect(args)
        return command_docs(args)
    except KeyboardInterrupt:
        print("interrupted: the previous output was left as it was", file=sys.stderr)
        return json_failure(args, EXIT_INTERRUPTED, "interrupted")
    except Exception as exc:  # noqa: BLE001 - the one place where failures become messages
        return json_failure(args, report_failure(exc), str(exc))


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


def json_failure(args: argparse.Namespace, exit_code: int, message: str) -> int:
    """With `run --json`, a run that stops still prints a summary that parses: its exit status and why."""
    if getattr(args, "json", False):
        print_json({"version": __version__, "exit_code": exit_code, "error": message})
    return exit_code


def print_json(summary: dict[str, object]) -> None:
    import json

    # ASCII: a file name that is not valid UTF-8 (surrogate escapes) still prints, and still parses.
    sys.stdout.write(json.dumps(summary, indent=2) + "\n")


def plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def command_run(args: argparse.Namespace) -> int:
    from pipeline.cache import default_cache_dir
    from pipeline.errors import one_line
    from pipeline.profiles import load_profile
    from pipeline.progress import Progress
    from pipeline.publish.publishing import load_publishing, placeholders
    from pipeline.run import RunOptions, check_folders, find_inputs, run
    from pipeline.settings import Settings

    # The user's mistakes first (run() checks them again), then what the settings still lack.
    settings = Settings(profile=load_profile(args.profile), pictures=not args.no_pictures, reader=args.reader)
    find_inputs(args.raw)
    check_folders(args.raw, args.out, settings.profile.published)
    publishing = load_publishing()
    unset = placeholders(publishing)
    if not args.quiet:
        for placeholder in unset:
            print(f"warning: {placeholder.message}", file=sys.stderr)
    cache_dir = None if args.no_cache else args.cache_dir or default_cache_dir()
    options = RunOptions(raw=args.raw, out=args.out, jobs=args.jobs, timeout=args.timeout,
                         memory_limit_mb=args.memory_limit, cache_dir=cache_dir, settings=settings,
                         publishing=publishing)
    with Progress(enabled=not args.quiet) as progress:
        outcome = run(options, progress)
    for warning in outcome.warnings:
        print(f"warning: {one_line(warning)}", file=sys.stderr)
    # File names and messages come from outside: escaped so they cannot break the line or drive the terminal.
    for file_name, message in outcome.errors:
        print(f"error: {one_line(str(options.raw / file_name))}: {message}", file=sys.stderr)
    if not args.quiet:
        # document-read failures are the error lines above.
        for problem in outcome.problems:
            if problem.status == "fail" and problem.check != "document-read":
                print(f"failed: {problem_line(problem)}", file=sys.stderr)
        summary = (f"{plural(outcome.documents, 'document')}, {len(outcome.errors)} unreadable; checks: "
                   f"{outcome.failed_checks} failed, {plural(outcome.warned_checks, 'warning')}")
        if outcome.up_to_date:
            print(f"{options.out}/ is up to date: no PDF, setting or code changed since the run that wrote it "
                  f"({summary})", file=sys.stderr)
        else:
            print(f"{summary}; {outcome.read} read, {outcome.documents - outcome.read} from the cache; "
                  f"written to {options.out}/ (see {options.out / 'validation_report.html'})", file=sys.stderr)
    if args.json:
        print_json(run_summary(outcome, options.raw, options.out, unset))
    return outcome.exit_code


def problem_line(problem: CheckProblem) -> str:
    """`document: dataset: check, page N: message`, for one failed or warned check."""
    from pipeline.errors import one_line

    where = ": ".join(part for part in (problem.document_id or "(run)", problem.dataset) if part)
    page = f", page {problem.page}" if problem.page else ""
    return one_line(f"{where}: {problem.check}{page}: {problem.message}")


def run_summary(outcome: RunOutcome, raw: Path, out: Path, unset: Sequence[Placeholder]) -> dict[str, object]:
    """What `run --json` prints: everything the terminal says, as data."""
    return {
        "version": __version__,
        "exit_code": outcome.exit_code,
        "out": str(out),
        "up_to_date": outcome.up_to_date,
        "documents": outcome.documents,
        "read": outcome.read,
        "from_cache": outcome.documents - outcome.read,
        "unreadable": [{"path": str(raw / name), "message": message} for name, message in outcome.errors],
        "checks": {"failed": outcome.failed_checks, "warned": outcome.warned_checks},
        "problems": [dataclasses.asdict(problem) for problem in outcome.problems],
        "placeholders": [{"setting": p.key, "value": p.value} for p in unset],
    }


def command_inspect(args: argparse.Namespace) -> int:
    import json

    from pipeline.errors import UsageError
    from pipeline.inspect import default_image_path, inspect_stage, page_image
    from pipeline.profiles import load_profile
    from pipeline.settings import Settings

    if args.output is not None and args.image is None:
        raise UsageError("--output is where --image writes: give --image PAGE too")
    settings = Settings(profile=load_profile(args.profile), reader=args.reader)
    if args.image is not None:
        out = args.output or default_image_path(args.pdf, args.image)
        counts = page_image(args.pdf, args.image, out, settings)
        drawn = ", ".join(plural(n, kind) for kind, n in counts.items())
        print(f"wrote {out}: page {args.image} with {drawn}", file=sys.stderr)
        return EXIT_OK
    json.dump(inspect_stage(args.pdf, args.stage, settings), sys.stdout, ensure_ascii=False, indent=1, default=str)
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
