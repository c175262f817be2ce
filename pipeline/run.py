"""A whole run: every PDF in a folder through every stage, into an output folder.

`run` is the library entry point behind `python -m pipeline run`: it takes the
results of documents read before from the cache (`pipeline.cache`), reads the
others in worker processes (jobs > 1), each with the report's pictures of it,
merges all results in a stable order, validates, and publishes atomically. When
nothing changed since the last run into the same output folder, it does none of
that. It returns an outcome with the exit status; printing is the CLI's business.
"""

from __future__ import annotations

import hashlib
import os
import signal
import threading
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from pipeline.cache import ResultCache, file_sha256, is_cacheable
from pipeline.errors import DocumentError, UsageError
from pipeline.model import DocumentResult
from pipeline.process import document_id_for, error_result, process_with_pictures
from pipeline.profiles import Profile, profile_named
from pipeline.settings import Settings

DEFAULT_TIMEOUT_SECONDS = 60.0


class RunProgress(Protocol):
    def start(self, total: int, cached: int) -> None: ...

    def advance(self, result: DocumentResult) -> None: ...


def default_jobs() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


@dataclass(frozen=True)
class RunOptions:
    raw: Path = Path("raw")
    out: Path = Path("output")
    jobs: int = field(default_factory=default_jobs)
    timeout: float = DEFAULT_TIMEOUT_SECONDS
    settings: Settings = field(default_factory=Settings)
    cache_dir: Path | None = None  # results of documents read before (`pipeline.cache`); None: no cache
    profile: Profile = field(default_factory=profile_named)  # the topic: which datasets to read and publish


@dataclass(frozen=True)
class RunOutcome:
    documents: int
    errors: tuple[tuple[str, str], ...]  # file name and message of each document that could not be read
    failed_checks: int
    warned_checks: int
    read: int  # documents read by this run; the others' results came from the cache
    up_to_date: bool = False  # nothing changed since the last run into the output folder: nothing was done

    @property
    def exit_code(self) -> int:
        return 1 if self.errors or self.failed_checks else 0

    def record(self) -> dict[str, Any]:
        """What a later run that finds nothing changed reports again."""
        return {"documents": self.documents, "errors": self.errors, "failed_checks": self.failed_checks,
                "warned_checks": self.warned_checks}


def repeated_outcome(record: dict[str, Any] | None) -> RunOutcome | None:
    """The outcome of the last run, from its record, for a run that does nothing; None without a sound record."""
    if record is None:
        return None
    try:
        return RunOutcome(documents=int(record["documents"]),
                          errors=tuple((str(name), str(message)) for name, message in record["errors"]),
                          failed_checks=int(record["failed_checks"]), warned_checks=int(record["warned_checks"]),
                          read=0, up_to_date=True)
    except (KeyError, TypeError, ValueError):
        return None


def find_inputs(raw: Path) -> list[Path]:
    if not raw.exists():
        raise UsageError(f"input folder {raw} does not exist: give the folder of answer PDFs with --raw")
    if not raw.is_dir():
        raise UsageError(f"{raw} is not a folder: give the folder of answer PDFs with --raw")
    inputs = sorted(p for p in raw.iterdir() if p.suffix.lower() == ".pdf" and p.is_file())
    if not inputs:
        raise UsageError(f"no PDF files in {raw}: put the answer PDFs there, or point --raw at their folder")
    return inputs


# --- one document, bounded in time --------------------------------------------------


class _Timeout(BaseException):
    """Raised by the alarm; a BaseException so that no `except Exception` on the way swallows it."""


def _on_alarm(signum: int, frame: object) -> None:
    raise _Timeout


def process_bounded(path: Path, settings: Settings, timeout: float) -> DocumentResult:
    """`process_with_pictures`, stopped after `timeout` seconds where the platform allows (SIGALRM, main thread)."""
    if not timeout or not hasattr(signal, "setitimer") or threading.current_thread() is not threading.main_thread():
        return process_with_pictures(path, settings)
    previous = signal.signal(signal.SIGALRM, _on_alarm)
    try:
        signal.setitimer(signal.ITIMER_REAL, timeout)
        try:
            return process_with_pictures(path, settings)
        finally:
            # An alarm that goes off just before it is cancelled here is still caught below.
            signal.setitimer(signal.ITIMER_REAL, 0)
    except _Timeout:
        return error_result(path, document_id_for(path.name), DocumentError("timeout", seconds=timeout))
    finally:
        signal.signal(signal.SIGALRM, previous)


def _work(task: tuple[Path, Settings, float]) -> DocumentResult:
    return process_bounded(*task)


def _leave_interrupts_to_the_main_process() -> None:
    """Ctrl-C reaches every process of the terminal's group: workers ignore it, the main process
    stops them, and the user sees one line instead of a traceback per worker."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _start_worker() -> None:
    _leave_interrupts_to_the_main_process()
    # What every document needs, imported while the main process is still hashing and looking in the cache.
    import pdfplumber.table  # noqa: F401
    import pypdfium2  # noqa: F401

    import pipeline.normalise  # noqa: F401


def start_workers(jobs: int, documents: int) -> Any:
    """The worker pool for up to `documents` documents, or None when they are read in this process.

    Started before the files are hashed and the cache consulted, so that the workers start and
    import while the main process does that; a run that then finds nothing to read ends them.
    """
    if jobs <= 1 or documents <= 1:
        return None
    return _new_pool(min(jobs, documents))


def _new_pool(size: int) -> Any:
    import multiprocessing

    return multiprocessing.get_context().Pool(size, _start_worker)


def watchdog_seconds(timeout: float) -> float | None:
    """How long the main process waits for a worker's next result before it gives up on the worker.

    A worker normally stops itself after `timeout` (the alarm in `process_bounded`); this is for a
    worker the alarm cannot reach (stuck inside C code) or that died (killed for memory).
    """
    return 2 * timeout + 10 if timeout else None


def process_all(paths: Sequence[Path], options: RunOptions, pool: Any = None) -> Iterator[DocumentResult]:
    """Results in input order; documents are read in `options.jobs` worker processes (in `pool`
    first, when one was started already; the caller ends it)."""
    tasks = [(path, options.settings, options.timeout) for path in paths]
    if options.jobs <= 1 or len(tasks) <= 1:
        yield from map(_work, tasks)
        return
    import multiprocessing

    while tasks:
        owned = pool is None
        current = pool if pool is not None else _new_pool(min(options.jobs, len(tasks)))
        pool = None  # after a stuck worker, the rest start again in a fresh pool
        try:
            # Ordered results with a small chunk: merged output is identical whatever the job count.
            results = current.imap(_work, tasks, chunksize=1)
            done = 0
            try:
                while done < len(tasks):
                    result = results.next(timeout=watchdog_seconds(options.timeout))
                    done += 1
                    yield result
            except multiprocessing.TimeoutError:
                # Give up on that document; the rest start again in a fresh pool.
                path, _, timeout = tasks[done]
                done += 1
                yield error_result(path, document_id_for(path.name), DocumentError("timeout", seconds=timeout))
                current.terminate()
            tasks = tasks[done:]
        finally:
            if owned:
                current.terminate()


def reject_duplicate_ids(results: list[DocumentResult], paths: Sequence[Path]) -> list[DocumentResult]:
    """Files whose names reduce to the same document_id are all errors: none may overwrite another."""
    by_id: dict[str, list[int]] = {}
    for i, result in enumerate(results):
        by_id.setdefault(result.document_id, []).append(i)
    checked = list(results)
    for document_id, indices in by_id.items():
        if len(indices) < 2:
            continue
        for i in indices:
            others = ", ".join(paths[j].name for j in indices if j != i)
            error = DocumentError("duplicate-document-id", document_id=document_id, others=others)
            result = error_result(paths[i], document_id, error)
            # Each keeps a distinct id in documents.csv, told apart by its file name: the
            # files may be byte-identical copies, but no two names in a folder are the same.
            suffix = hashlib.sha256(paths[i].name.encode("utf-8", "surrogateescape")).hexdigest()[:8]
            result.document_id = result.document["document_id"] = f"{document_id}-{suffix}"
            checked[i] = result
    return checked


# Every complete output holds this file: a folder without it is not one, and is never replaced.
OUTPUT_MARKER = "datapackage.json"


def check_folders(raw: Path, out: Path) -> None:
    """The output folder is replaced wholesale: it must not hold, or lie inside, the input folder,
    and it must be new, empty or an earlier output: never a folder of someone's other files."""
    raw, out = raw.resolve(), out.resolve()
    if raw == out or raw.is_relative_to(out) or out.is_relative_to(raw):
        raise UsageError(f"--out {out} overlaps --raw {raw}: the input folder is never written, choose another --out")
    if out.exists() and not out.is_dir():
        raise UsageError(f"--out {out} is a file, not a folder: choose a new folder for the output")
    if out.is_dir() and any(out.iterdir()) and not (out / OUTPUT_MARKER).is_file():
        raise UsageError(f"--out {out} holds files that are not an output of this pipeline, and the output folder "
                         f"is replaced as a whole: choose a new or empty folder")


def read_all(
    paths: Sequence[Path], digests: Sequence[str | None], options: RunOptions, cache: ResultCache | None,
    progress: RunProgress | None, pool: Any = None,
) -> tuple[list[DocumentResult], int]:
    """Every document's result, in input order, and how many were read now: a result comes from the
    cache when it holds one for the file's bytes, else the file is read (in `options.jobs` worker
    processes) and its result added to the cache."""
    known = [cache.load(path, digest) if cache is not None and digest else None for path, digest in zip(paths, digests)]
    to_read = [path for path, result in zip(paths, known) if result is None]
    if progress is not None:
        progress.start(len(paths), cached=len(paths) - len(to_read))
    read_now = []
    for result in process_all(to_read, options, pool if len(to_read) > 1 else None):
        if cache is not None:
            cache.store(result)
        if progress is not None:
            progress.advance(result)
        read_now.append(result)
    fresh = iter(read_now)
    return [result if result is not None else next(fresh) for result in known], len(read_now)


def publishing_identity() -> str:
    """The publishing settings as a run's output depends on them: the file's path and bytes."""
    from pipeline.publish.publishing import settings_path

    path = settings_path()
    try:
        return f"{path.resolve()} {hashlib.sha256(path.read_bytes()).hexdigest()}"
    except OSError:
        return f"{path.resolve()} unreadable"


def run(options: RunOptions, progress: RunProgress | None = None) -> RunOutcome:
    paths = find_inputs(options.raw)
    check_folders(options.raw, options.out)
    pool = start_workers(options.jobs, len(paths))
    try:
        return _run(options, progress, paths, pool)
    finally:
        if pool is not None:
            pool.terminate()


def _run(options: RunOptions, progress: RunProgress | None, paths: list[Path], pool: Any) -> RunOutcome:
    cache = ResultCache(options.cache_dir, options.settings) if options.cache_dir is not None else None
    digests = [file_sha256(path) if cache is not None else None for path in paths]
    state = cache.run_state([(p.name, d) for p, d in zip(paths, digests)], publishing_identity()) if cache else ""
    unchanged = repeated_outcome(cache.last_run(options.out, state)) if cache is not None else None
    if unchanged is not None:
        return unchanged
    # Imported only now: a run with nothing to do needs neither pandas nor pandera.
    from pipeline.publish.atomic import replace_folder
    from pipeline.publish.output import write_output
    from pipeline.publish.publishing import load_publishing
    from pipeline.validate import validate

    # Read once, and before any document: a mistake in publishing.toml stops the run at once.
    publishing = load_publishing()
    results, read = read_all(paths, digests, options, cache, progress, pool)
    if pool is not None:
        pool.terminate()  # idle from here on: their memory is not held through validation and writing
    results = reject_duplicate_ids(results, paths)
    datasets = options.profile.published
    validation = validate(results, datasets)
    sources = {r.document_id: options.raw / r.document["file_name"] for r in results}
    replace_folder(options.out, lambda folder: write_output(folder, validation, results, sources, publishing, datasets))
    outcome = RunOutcome(
        documents=len(results),
        errors=tuple((r.document["file_name"], r.document["error"])
                     for r in sorted(results, key=lambda r: r.document_id) if not r.ok),
        failed_checks=sum(c.status == "fail" for c in validation.checks),
        warned_checks=sum(c.status == "warn" for c in validation.checks),
        read=read,
    )
    if cache is not None:
        # A run with a document that timed out may come out otherwise next time: it is not skipped.
        if all(is_cacheable(r) for r in results):
            cache.record_run(options.out, state, outcome.record())
        else:
            cache.forget_run(options.out)
    return outcome
