"""Benchmark: how fast the pipeline is per document, and how it scales, re-runs and uses memory on many.

    python benchmarks/run.py              # the figures in the README's Performance section
    python benchmarks/run.py --help       # sizes and repeats

Builds a corpus of answer PDFs in a temporary folder (the answer in raw/ and the layout fixtures in
tests/fixtures/answers/, copied round-robin, each copy made distinct by a PDF comment after `%%EOF`,
which readers ignore) and measures, in one go, against a baseline measured in the same run on the
same files: pdfplumber's `open` and `extract_tables()` on every page, in one process (for the
per-document target a whole process of its own, timed as the command is). The figures:
the whole command per document (20 documents, `--jobs 1`, no cache) with either reader, and
whether their datasets are identical; the cost per page of one answer of 5 to 60 pages (the seed's
pages joined with pypdfium2); `--jobs 2` against `--jobs 1` (40 documents); re-runs with the
cache; peak memory at 10 and 100 documents; validate + publish at 100 and 1000 results.

Machines are shared and noisy: every time is the median of repeated runs, and the figures that
have targets are ratios of times taken in the same run. Nothing is written outside the temporary
folder, and no run touches the repository's cache: runs use --no-cache or a temporary --cache-dir;
the one exception is the checkout's own bytecode (`__pycache__`, ignored by git), which the script
compiles first: the libraries come with theirs, and a run on a machine that sets
PYTHONDONTWRITEBYTECODE would otherwise compile the pipeline's modules anew in every process.
"""

from __future__ import annotations

import argparse
import compileall
import dataclasses
import datetime as dt
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # measure this checkout's pipeline, installed or not
SEED = ROOT / "raw" / "ocmw-samenwerking-met-dyzo.pdf"
SOURCES = [SEED, *sorted((ROOT / "tests" / "fixtures" / "answers").glob("*.pdf"))]
HEAVY_MODULES = ("pandas", "pandera", "pdfplumber", "pyarrow")


# --- the corpus ------------------------------------------------------------------------------


def distinct_copy(source: Path, number: int) -> bytes:
    """The PDF's bytes with a comment line after `%%EOF`: another file (another SHA-256), the same PDF."""
    data = source.read_bytes()
    return data + (b"" if data.endswith(b"\n") else b"\n") + f"%copy-{number}\n".encode("ascii")


def build_corpus(folder: Path, count: int, first: int = 0) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for number in range(first, first + count):
        source = SOURCES[number % len(SOURCES)]
        path = folder / f"{source.stem}-{number:05d}.pdf"
        path.write_bytes(distinct_copy(source, number))
        paths.append(path)
    return paths


def check_copies_read_identically(folder: Path) -> None:
    """pdfplumber reads each kind of copy exactly as its original: same text, same tables, every page."""
    import pdfplumber

    def content(path: Path) -> list[tuple[str, list]]:
        with pdfplumber.open(path) as pdf:
            return [(page.extract_text(), page.extract_tables()) for page in pdf.pages]

    for number, source in enumerate(SOURCES):
        copy = folder / f"check-{number}.pdf"
        copy.write_bytes(distinct_copy(source, number))
        if content(copy) != content(source):
            raise SystemExit(f"benchmark: pdfplumber reads the copy of {source.name} differently: cannot benchmark")
        copy.unlink()


# --- measuring ---------------------------------------------------------------------------------


def baseline(paths: Sequence[Path]) -> None:
    """What any PDF table extraction costs at least: pdfplumber open + extract_tables() on every page."""
    import pdfplumber

    for path in paths:
        with pdfplumber.open(path) as pdf:
            for page in pdf.pages:
                page.extract_tables()


def baseline_process(paths: Sequence[Path]) -> float:
    """Seconds the baseline takes as a whole process, timed as the command is: Python's start and
    pdfplumber's import included."""
    started = time.perf_counter()
    subprocess.run([sys.executable, "-c", "import sys, run; run.baseline(sys.argv[1:])", *map(str, paths)],
                   cwd=Path(__file__).resolve().parent, check=True)
    return time.perf_counter() - started


def seconds(action: Callable[[], object]) -> float:
    started = time.perf_counter()
    action()
    return time.perf_counter() - started


def median_ratio(measure: Callable[[], float], reference: Callable[[], float], repeats: int) -> tuple[float, float, float]:
    """Median of `measure / reference` over interleaved pairs (noise hits both alike), and each median."""
    pairs = [(measure(), reference()) for _ in range(repeats)]
    return (statistics.median(m / r for m, r in pairs), statistics.median(m for m, _ in pairs),
            statistics.median(r for _, r in pairs))


@dataclasses.dataclass
class RunFigures:
    seconds: float
    exit_code: int
    stderr: str
    max_rss_mb: float = 0.0  # the largest single process of the run (main or a worker), from wait4
    peak_pss_mb: float = 0.0  # main process and workers together, sampled


def pipeline_run(*args: str | Path, sample_memory: bool = False) -> RunFigures:
    """`python -m pipeline run ...` in a subprocess, timed from start to exit."""
    command = [sys.executable, "-m", "pipeline", "run", *map(str, args)]
    started = time.perf_counter()
    process = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    sampler = TreeMemorySampler(process.pid) if sample_memory else None
    if sampler:
        sampler.start()
    stderr = process.stderr.read() if process.stderr else ""
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - started
    process.returncode = os.waitstatus_to_exitcode(status)
    if sampler:
        sampler.stop()
    if process.returncode not in (0, 1):
        raise SystemExit(f"benchmark: {' '.join(command)} failed ({process.returncode}):\n{stderr}")
    # ru_maxrss of a waited-for child is the largest of its own and its waited-for descendants' (kB on Linux).
    return RunFigures(elapsed, process.returncode, stderr, usage.ru_maxrss / 1024,
                      sampler.peak_kb / 1024 if sampler else 0.0)


class TreeMemorySampler(threading.Thread):
    """Peak of the summed PSS (proportional set size) of a process and all its descendants.

    PSS shares each page among the processes that map it, so the sum counts memory that forked
    workers share with the main process once, not once per process as a sum of RSS would.
    Sampled every 50 ms from /proc/PID/smaps_rollup: a shorter peak can be missed.
    """

    def __init__(self, pid: int) -> None:
        super().__init__(daemon=True)
        self.pid = pid
        self.peak_kb = 0
        self._stopped = threading.Event()

    def run(self) -> None:
        while not self._stopped.wait(0.05):
            self.peak_kb = max(self.peak_kb, sum(pss_kb(pid) for pid in process_tree(self.pid)))

    def stop(self) -> None:
        self._stopped.set()
        self.join()


def process_tree(root: int) -> list[int]:
    parents: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                # The command name may hold spaces and parentheses: the parent id follows the last ')'.
                parents[int(entry.name)] = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
    tree, frontier = [root], [root]
    while frontier:
        frontier = [pid for pid, parent in parents.items() if parent in frontier]
        tree += frontier
    return tree


def pss_kb(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                return int(line.split()[1])
    except (OSError, ValueError):
        pass
    return 0


# --- the benchmark -------------------------------------------------------------------------------


@dataclasses.dataclass
class Row:
    figure: str
    measured: str
    target: str = ""
    holds: bool | None = None


def dataset_files(out: Path) -> dict[str, bytes]:
    """Every file of an output folder but the two reports, whose time of the run differs."""
    return {str(p.relative_to(out)): p.read_bytes() for p in sorted(out.rglob("*"))
            if p.is_file() and not p.name.startswith("validation_report")}


def per_document(work: Path, documents: int, repeats: int) -> list[Row]:
    """The whole command, `--jobs 1 --no-cache`, on a corpus of mixed layout, against the baseline on
    the same files as a whole process (the target) and in a warm process; both readers, whose
    datasets must be identical; and in-process, where the time goes."""
    from pipeline.extract.pdf import read_document
    from pipeline.process import process, process_with_pictures
    from pipeline.settings import Settings

    raw = work / "per-document"
    paths = build_corpus(raw, documents)
    baseline(paths)  # imports, file cache
    rows: list[Row] = []
    outs = {}
    for reader in ("pdfium", "pdfplumber"):
        out = work / f"per-document-{reader}"

        def command(reader: str = reader, out: Path = out) -> float:
            return pipeline_run("--raw", raw, "--out", out, "--jobs", "1", "--no-cache", "--quiet",
                                "--reader", reader).seconds

        ratio, run_s, process_s = median_ratio(command, lambda: baseline_process(paths), repeats)
        outs[reader] = dataset_files(out)
        if reader == "pdfium":
            warm, _, warm_s = median_ratio(command, lambda: seconds(lambda: baseline(paths)), repeats)
            rows.append(Row(f"baseline on {documents} documents of mixed layout, as a whole process / in a warm one",
                            f"{process_s:.1f} s / {warm_s:.1f} s"))
            rows.append(Row(f"per document: whole command, --jobs 1, --no-cache, {documents} documents / baseline "
                            "(whole process both)", f"{ratio:.2f}x ({run_s / documents * 1000:.0f} ms a document)",
                            "<= 0.7x", ratio <= 0.7))
            rows.append(Row("  the same against the baseline in a warm process (its start and imports left out)",
                            f"{warm:.2f}x"))
        else:
            rows.append(Row("  the same with --reader pdfplumber", f"{ratio:.2f}x ({run_s / documents * 1000:.0f} ms)"))
    identical = outs["pdfium"] == outs["pdfplumber"]
    rows.append(Row("  datasets of the two readers (every output file but the reports)",
                    "identical" if identical else "DIFFERENT", "identical", identical))
    for name, work_on in (("read (extract only)", lambda p: read_document(p, Settings())),
                          ("read and normalise (`process`)", lambda p: process(p, Settings())),
                          ("the worker's whole work (`process` + the report's pictures)",
                           lambda p: process_with_pictures(p, Settings()))):
        work_on(SEED)
        ratio, _, _ = median_ratio(lambda: seconds(lambda: [work_on(p) for p in paths]),
                                   lambda: seconds(lambda: baseline(paths)), repeats)
        rows.append(Row(f"  in one process, PDFium: {name} / baseline", f"{ratio:.2f}x"))
    return rows


def long_answer(folder: Path, pages: int) -> Path:
    """An answer of `pages` pages: the seed's pages over and over, joined with pypdfium2."""
    import pypdfium2 as pdfium

    seed = pdfium.PdfDocument(SEED)
    joined = pdfium.PdfDocument.new()
    while len(joined) < pages:
        joined.import_pages(seed, list(range(min(len(seed), pages - len(joined)))))
    path = folder / f"long-{pages:03d}-pages.pdf"
    joined.save(path)
    return path


def page_scaling(work: Path, sizes: Sequence[int], repeats: int) -> list[Row]:
    """Seconds per page of the worker's whole work on one answer of 5 to 60 pages: linear means flat."""
    from pipeline.process import process_with_pictures
    from pipeline.settings import Settings

    folder = work / "long"
    folder.mkdir()
    per_page = {}
    for pages in sizes:
        path = long_answer(folder, pages)
        process_with_pictures(path, Settings())
        per_page[pages] = statistics.median(seconds(lambda: process_with_pictures(path, Settings()))
                                            for _ in range(repeats)) / pages
    base = {pages: seconds(lambda: baseline([folder / f"long-{pages:03d}-pages.pdf"])) / pages for pages in sizes}
    rows = [Row(f"seconds per page, one answer of {pages} pages (process + pictures, in one process)",
                f"{per_page[pages] * 1000:.0f} ms a page (baseline {base[pages] * 1000:.0f} ms)") for pages in sizes]
    growth = per_page[max(sizes)] / per_page[min(sizes)]
    rows.append(Row(f"  cost per page at {max(sizes)} / at {min(sizes)} pages", f"{growth:.2f}x", "linear: <= 1.25x",
                    growth <= 1.25))
    return rows


def baseline_in_two_processes(paths: Sequence[Path]) -> None:
    """The baseline spread over two worker processes, one document at a time, as `--jobs 2` does."""
    import multiprocessing

    with multiprocessing.Pool(2) as pool:
        pool.map(baseline, [[path] for path in paths], chunksize=1)


def corpus_runs(work: Path, documents: int, repeats: int) -> list[Row]:
    raw = work / "corpus"
    paths = build_corpus(raw, documents)
    baseline_times = [(seconds(lambda: baseline(paths)), seconds(lambda: baseline_in_two_processes(paths)))
                      for _ in range(repeats)]
    corpus_baseline = statistics.median(one for one, _ in baseline_times)
    ceiling = statistics.median(one / two for one, two in baseline_times)
    times: dict[int, list[float]] = {1: [], 2: []}
    for repeat in range(repeats):
        for jobs in (1, 2):
            out = work / f"cold-{jobs}-{repeat}"
            times[jobs].append(pipeline_run("--raw", raw, "--out", out, "--jobs", jobs, "--no-cache", "--quiet").seconds)
            shutil.rmtree(out)
    one, two = statistics.median(times[1]), statistics.median(times[2])
    speedup = one / two
    return [
        Row(f"baseline on the corpus ({documents} documents, one process)", f"{corpus_baseline:.1f} s"),
        Row("  the baseline's own speed-up in two processes: what this machine gives perfectly parallel work",
            f"{ceiling:.2f}x"),
        Row(f"cold run, {documents} documents, --jobs 1 (whole CLI, no cache)", f"{one:.1f} s"),
        Row(f"cold run, {documents} documents, --jobs 2", f"{two:.1f} s"),
        Row("speed-up --jobs 2 over --jobs 1", f"{speedup:.2f}x", ">= 1.8x (on an idle machine)", speedup >= 1.8),
    ]


def rerun_figures(work: Path, documents: int, repeats: int) -> list[Row]:
    raw = work / "rerun-corpus"
    build_corpus(raw, documents)
    cache, out = work / "cache", work / "rerun-out"
    cold = pipeline_run("--raw", raw, "--out", out, "--cache-dir", cache, "--quiet").seconds
    # Cold again into fresh caches, for a median: the first cache stays for the warm runs.
    colds = [cold] + [pipeline_run("--raw", raw, "--out", work / f"cold-again-{r}", "--cache-dir",
                                   work / f"cache-again-{r}", "--quiet").seconds for r in range(repeats - 1)]
    cold = statistics.median(colds)
    up_to_date, warm = [], []
    for repeat in range(repeats):
        figures = pipeline_run("--raw", raw, "--out", out, "--cache-dir", cache)
        assert "is up to date" in figures.stderr, figures.stderr
        up_to_date.append(figures.seconds)
        # Another output folder: no shortcut, every result from the cache, validated and published again.
        other = work / f"warm-{repeat}"
        figures = pipeline_run("--raw", raw, "--out", other, "--cache-dir", cache)
        assert f"0 read, {documents} from the cache" in figures.stderr, figures.stderr
        warm.append(figures.seconds)
        shutil.rmtree(other)
    added, alone = [], []
    for repeat in range(repeats):
        new = build_corpus(raw, 1, first=documents + repeat)[0]
        figures = pipeline_run("--raw", raw, "--out", out, "--cache-dir", cache)
        assert "1 read, " in figures.stderr, figures.stderr
        added.append(figures.seconds)
        # The same new document, alone and cold: what "one document" costs on the command line.
        single = work / f"single-{repeat}"
        single.mkdir()
        shutil.copy(new, single / new.name)
        alone.append(pipeline_run("--raw", single, "--out", work / f"single-out-{repeat}", "--no-cache",
                                  "--quiet").seconds)
        new.unlink()  # the next repeat adds another, again the only new one
    up_to_date_s, warm_s, added_s, alone_s = map(statistics.median, (up_to_date, warm, added, alone))
    return [
        Row(f"cold run, {documents} documents, default jobs, filling an empty cache", f"{cold:.1f} s"),
        Row("re-run, nothing new: 'output/ is up to date' / cold", f"{up_to_date_s / cold:.1%} ({up_to_date_s:.2f} s)",
            "<= 5%", up_to_date_s / cold <= 0.05),
        Row("re-run, nothing new, into another --out (all from the cache, validated and published again) / cold",
            f"{warm_s / cold:.1%} ({warm_s:.2f} s)", "<= 10%", warm_s / cold <= 0.10),
        Row(f"re-run after adding one PDF to {documents} cached / cold", f"{added_s / cold:.1%} ({added_s:.2f} s)"),
        Row("  the same, against a cold run on that one PDF alone",
            f"{added_s / alone_s:.2f}x (alone: {alone_s:.2f} s)", "about 1x", added_s / alone_s <= 1.5),
    ]


def memory_figures(work: Path, sizes: Sequence[int]) -> list[Row]:
    peaks = {}
    rows = []
    for size in sizes:
        raw = work / f"memory-{size}"
        build_corpus(raw, size)
        figures = pipeline_run("--raw", raw, "--out", work / f"memory-out-{size}", "--no-cache", "--quiet",
                               sample_memory=True)
        peaks[size] = figures
        rows.append(Row(f"peak memory, {size} documents, cold, default jobs: main + workers (summed PSS)",
                        f"{figures.peak_pss_mb:.0f} MB (largest single process: {figures.max_rss_mb:.0f} MB RSS)"))
    small, large = peaks[min(sizes)], peaks[max(sizes)]
    ratio = large.peak_pss_mb / small.peak_pss_mb
    rows.append(Row(f"peak memory {max(sizes)} / {min(sizes)} documents (summed PSS)", f"{ratio:.2f}x", "<= 1.2x",
                    ratio <= 1.2))
    rows.append(Row(f"peak memory {max(sizes)} / {min(sizes)} documents (largest single process RSS)",
                    f"{large.max_rss_mb / small.max_rss_mb:.2f}x"))
    return rows


def publish_scaling(sizes: Sequence[int]) -> list[Row]:
    """Merging, validating and publishing N documents' results, which the main process does alone.

    The results are the corpus's own, read once and relabelled as N distinct documents in memory,
    so that the figure for a thousand documents does not need a thousand PDFs read first.
    """
    from pipeline.cache import relabelled
    from pipeline.process import process_with_pictures
    from pipeline.profiles import profile_named
    from pipeline.publish.atomic import replace_folder
    from pipeline.publish.output import write_output
    from pipeline.publish.publishing import load_publishing
    from pipeline.settings import Settings
    from pipeline.validate import validate

    publishing = load_publishing()
    datasets = profile_named().published
    originals = [process_with_pictures(source, Settings()) for source in SOURCES]
    timings = {}
    with tempfile.TemporaryDirectory(prefix="flemish-answers-benchmark-publish-") as temporary:
        # Once untimed first: the first validation imports pandas and pandera, which no size should pay.
        write_output(Path(temporary), validate(originals, datasets), originals, publishing, datasets)
        for size in sizes:
            names = [Path(f"{SOURCES[i % len(SOURCES)].stem}-{i:05d}.pdf") for i in range(size)]
            results = [relabelled(originals[i % len(originals)], name) for i, name in enumerate(names)]
            started = time.perf_counter()
            validation = validate(results, datasets)
            validated = time.perf_counter()
            out = Path(temporary) / f"out-{size}"
            replace_folder(out, lambda folder: write_output(folder, validation, results, publishing, datasets))
            timings[size] = (validated - started, time.perf_counter() - validated)
    small, large = min(sizes), max(sizes)
    rows = [Row(f"validate + publish {size} documents' results (main process; results from memory)",
                f"{sum(timings[size]):.1f} s (validate {timings[size][0]:.1f} s, publish {timings[size][1]:.1f} s)")
            for size in sizes]
    growth = sum(timings[large]) / sum(timings[small])
    rows.append(Row(f"  growth from {small} to {large} documents ({large // small}x the documents)", f"{growth:.1f}x",
                    f"linear: about {large // small}x", growth <= 1.5 * large / small))
    return rows


def help_figures(repeats: int) -> list[Row]:
    times = [seconds(lambda: subprocess.run([sys.executable, "-m", "pipeline", "--help"], cwd=ROOT, check=True,
                                            capture_output=True)) for _ in range(repeats)]
    code = ("import sys; from pipeline.cli import build_parser; build_parser().format_help(); "
            f"print(','.join(m for m in {HEAVY_MODULES!r} if m in sys.modules))")
    heavy = subprocess.run([sys.executable, "-c", code], cwd=ROOT, check=True, capture_output=True, text=True).stdout
    return [Row("python -m pipeline --help, wall time", f"{statistics.median(times) * 1000:.0f} ms",
                "imports no pandas, pandera, pdfplumber", heavy.strip() == "")]


def table(rows: Sequence[Row]) -> str:
    lines = ["| figure | measured | target | holds |", "|---|---|---|---|"]
    for row in rows:
        holds = "" if row.holds is None else ("yes" if row.holds else "**no**")
        lines.append(f"| {row.figure} | {row.measured} | {row.target} | {holds} |")
    return "\n".join(lines)


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python benchmarks/run.py",
        description="Time the pipeline against pdfplumber's own table extraction: per document, cold with 1 and "
        "2 jobs, re-runs with the cache, and peak memory. Prints a Markdown table with the targets.",
    )
    parser.add_argument("--documents", type=int, default=40, metavar="N",
                        help="corpus size for the cold and re-run figures (default: %(default)s)")
    parser.add_argument("--per-document", type=int, default=20, metavar="N",
                        help="corpus size for the per-document figure (default: %(default)s)")
    parser.add_argument("--page-sizes", type=int, nargs="+", default=(5, 15, 30, 60), metavar="PAGES",
                        help="page counts of the long answers whose cost per page is compared (default: 5 15 30 60)")
    parser.add_argument("--memory-sizes", type=int, nargs=2, default=(10, 100), metavar=("SMALL", "LARGE"),
                        help="corpus sizes whose peak memory is compared (default: 10 100)")
    parser.add_argument("--repeats", type=int, default=3, metavar="R",
                        help="runs per timed figure, of which the median is taken (default: %(default)s)")
    parser.add_argument("--scale-sizes", type=int, nargs=2, default=(100, 1000), metavar=("SMALL", "LARGE"),
                        help="numbers of documents whose validate + publish times are compared (default: 100 1000)")
    parser.add_argument("--skip", choices=("document", "pages", "corpus", "rerun", "memory", "scale", "help"),
                        action="append",
                        default=[], help="leave out a part (repeatable)")
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    from pipeline import __version__

    started = time.perf_counter()
    # As installed, so as the libraries it is measured against: its modules compiled once, not per process.
    for package in ("pipeline", "schemas"):
        compileall.compile_dir(ROOT / package, quiet=1)
    rows: list[Row] = []
    with tempfile.TemporaryDirectory(prefix="flemish-answers-benchmark-") as temporary:
        work = Path(temporary)
        check_copies_read_identically(work)
        if "help" not in args.skip:
            rows += help_figures(5 * args.repeats)
        if "document" not in args.skip:
            rows += per_document(work, args.per_document, args.repeats)
        if "pages" not in args.skip:
            rows += page_scaling(work, args.page_sizes, args.repeats)
        if "corpus" not in args.skip:
            rows += corpus_runs(work, args.documents, args.repeats)
        if "rerun" not in args.skip:
            rows += rerun_figures(work, args.documents, args.repeats)
        if "memory" not in args.skip:
            rows += memory_figures(work, args.memory_sizes)
        if "scale" not in args.skip:
            rows += publish_scaling(args.scale_sizes)
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    print(f"flemish-answers {__version__} benchmark, {dt.date.today().isoformat()}, {platform.machine()}, "
          f"{cores} cores, Python {platform.python_version()}; medians of {args.repeats} runs; "
          f"took {time.perf_counter() - started:.0f} s\n")
    print(table(rows))
    return 0 if all(row.holds is not False for row in rows) else 1


if __name__ == "__main__":
    raise SystemExit(main())
