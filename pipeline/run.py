"""A whole run: every PDF in a folder through every stage, into an output folder.

`run` is the library entry point behind `python -m pipeline run`: it checks the
folders before reading anything (`--out` holds only what an earlier run wrote, and
can be written), takes the results of documents read before from the cache
(`pipeline.cache`), reads the others in worker processes bounded in time and memory
(`pipeline.workers`), each with the report's pictures of it, merges all results in a
stable order, rejects colliding ids, validates and publishes atomically (`publish`:
a document whose rows break validation or writing becomes that document's error).
When nothing changed since the last run into the same output folder, it does none of
that. It returns an outcome with the exit status; printing is the CLI's business.
"""

from __future__ import annotations

import dataclasses
import hashlib
import os
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from pipeline.cache import ResultCache, file_sha256, is_cacheable
from pipeline.errors import DocumentError, OutputError, UsageError
from pipeline.model import DocumentResult, error_result, failed
from pipeline.settings import Settings
from schemas.spec import Dataset

if TYPE_CHECKING:
    from pipeline.publish.publishing import Publishing
    from pipeline.validate import Validation

DEFAULT_TIMEOUT_SECONDS = 60.0
# A worker reading the seed answer uses about 450 MB of address space (most of it the libraries).
DEFAULT_MEMORY_LIMIT_MB = 2048


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
    timeout: float | None = DEFAULT_TIMEOUT_SECONDS  # seconds per document; None: no limit
    memory_limit_mb: int | None = DEFAULT_MEMORY_LIMIT_MB  # address space per worker process; None: no limit
    settings: Settings = field(default_factory=Settings)
    cache_dir: Path | None = None  # results of documents read before (`pipeline.cache`); None: no cache
    # The publishing settings, when the caller has read them already; None: read publishing.toml.
    publishing: Publishing | None = None


@dataclass(frozen=True)
class CheckProblem:
    """A check that failed or warned, as the terminal and `--json` name it."""

    document_id: str  # empty for a check of the run itself (the publishing settings)
    dataset: str
    check: str
    status: str  # "fail" or "warn"
    page: int | None
    message: str


@dataclass(frozen=True)
class RunOutcome:
    documents: int
    errors: tuple[tuple[str, str], ...]  # file name and message of each document that could not be read
    failed_checks: int
    warned_checks: int
    read: int  # documents read by this run; the others' results came from the cache
    up_to_date: bool = False  # nothing changed since the last run into the output folder: nothing was done
    problems: tuple[CheckProblem, ...] = ()  # every check that failed or warned, in the report's order
    warnings: tuple[str, ...] = ()  # cache entries ignored as damaged or foreign, a cache that cannot be used

    @property
    def exit_code(self) -> int:
        return 1 if self.errors or self.failed_checks else 0

    def record(self) -> dict[str, Any]:
        """What a later run that finds nothing changed reports again."""
        return {"documents": self.documents, "errors": self.errors, "failed_checks": self.failed_checks,
                "warned_checks": self.warned_checks,
                "problems": [dataclasses.asdict(problem) for problem in self.problems]}


def repeated_outcome(record: dict[str, Any] | None) -> RunOutcome | None:
    """The outcome of the last run, from its record, for a run that does nothing; None without a sound record."""
    if record is None:
        return None
    try:
        return RunOutcome(documents=int(record["documents"]),
                          errors=tuple((str(name), str(message)) for name, message in record["errors"]),
                          failed_checks=int(record["failed_checks"]), warned_checks=int(record["warned_checks"]),
                          read=0, up_to_date=True,
                          problems=tuple(CheckProblem(**problem) for problem in record["problems"]))
    except (KeyError, TypeError, ValueError):
        return None


def find_inputs(raw: Path) -> list[Path]:
    """Every entry of `raw` whose name ends in `.pdf` (any case), `.pdf` itself included, except folders:
    a broken link or an unreadable file is listed too, and becomes that document's error."""
    if not raw.exists():
        raise UsageError(f"input folder {raw} does not exist: give the folder of answer PDFs with --raw")
    if not raw.is_dir():
        raise UsageError(f"{raw} is not a folder: give the folder of answer PDFs with --raw")
    inputs = sorted(p for p in raw.iterdir() if p.name.lower().endswith(".pdf") and not p.is_dir())
    if not inputs:
        raise UsageError(f"no PDF files in {raw}: put the answer PDFs there, or point --raw at their folder")
    return inputs


def prepare_publishing() -> None:
    """What `publish` needs made ready, done while the workers read: its modules (pandas, pandera,
    pyarrow, rdflib, Jinja2 among them: about a second) imported, the report's templates compiled."""
    import pipeline.publish.atomic
    import pipeline.publish.output
    import pipeline.validate
    import pipeline.validate.text  # noqa: F401
    from pipeline.publish.report import compile_templates

    compile_templates()


def process_all(paths: Sequence[Path], options: RunOptions) -> Iterator[DocumentResult]:
    """Results in input order; documents are read in `options.jobs` worker processes, each bounded
    by `options.timeout` and `options.memory_limit_mb` (`pipeline.workers`)."""
    if not paths:
        return
    # The reading stack is imported only here: a run with nothing to read (all from the cache, or
    # `output/ is up to date`) needs none of it.
    from pipeline.workers import Limits, read_in_workers

    limits = Limits(timeout=options.timeout, memory_mb=options.memory_limit_mb)
    yield from read_in_workers(paths, options.settings, options.jobs, limits, meanwhile=prepare_publishing)


def name_suffix(name: str) -> str:
    return hashlib.sha256(name.encode("utf-8", "surrogateescape")).hexdigest()[:8]


def reject_duplicate_ids(results: list[DocumentResult], paths: Sequence[Path]) -> list[DocumentResult]:
    """Files whose names reduce to the same document_id are all errors: none may overwrite another.

    Each keeps a distinct id in documents.csv, its id with a hash of its file name appended (the
    files may be byte-identical copies, but no two names in a folder are the same). Should such an
    id be another file's (`Case.pdf`, `case.pdf` and `case-7c5d27de.pdf`), that file is an error
    too, and so on until every id is distinct: nothing of any file of a colliding id is published.
    """
    checked = list(results)
    while True:
        by_id: dict[str, list[int]] = {}
        for i, result in enumerate(checked):
            by_id.setdefault(result.document_id, []).append(i)
        colliding = {document_id: indices for document_id, indices in by_id.items() if len(indices) > 1}
        if not colliding:
            return checked
        for document_id, indices in colliding.items():
            for i in indices:
                result = checked[i]
                if result.error_slug != "duplicate-document-id":
                    others = ", ".join(paths[j].name for j in indices if j != i)
                    error = DocumentError("duplicate-document-id", document_id=document_id, others=others)
                    result = error_result(paths[i], document_id, error)
                result.document_id = result.document["document_id"] = f"{document_id}-{name_suffix(paths[i].name)}"
                checked[i] = result


def check_folders(raw: Path, out: Path, datasets: Sequence[Dataset]) -> None:
    """The output folder is replaced wholesale: it must not hold, or lie inside, the input folder, it
    must be new, empty or an earlier output holding only what that run wrote (its manifest), and a
    folder must be writable beside it."""
    from pipeline.publish.atomic import check_writable, foreign_files

    raw, out = raw.resolve(), out.resolve()
    if raw == out or raw.is_relative_to(out) or out.is_relative_to(raw):
        raise UsageError(f"--out {out} overlaps --raw {raw}: the input folder is never written, choose another --out")
    if out.exists() and not out.is_dir():
        raise UsageError(f"--out {out} is a file, not a folder: choose a new folder for the output")
    if out.is_dir():
        foreign = foreign_files(out, output_file_names(datasets))
        if foreign:
            listed = ", ".join(foreign[:3]) + (f" and {len(foreign) - 3} more" if len(foreign) > 3 else "")
            raise UsageError(f"--out {out} holds files this pipeline did not write ({listed}), and the output folder "
                             f"is replaced as a whole: choose a new or empty folder, or move them")
    check_writable(out)


def output_file_names(datasets: Sequence[Dataset]) -> list[str]:
    """The names an output written before outputs had a manifest may hold."""
    names = ["datapackage.json", "dcat.ttl", "validation_report.json", "validation_report.html"]
    for dataset in datasets:
        names += [f"{dataset.name}.csv", f"{dataset.name}.parquet", f"quarantine/{dataset.name}.csv"]
    return names


def read_all(
    paths: Sequence[Path], digests: Sequence[str | None], options: RunOptions, cache: ResultCache | None,
    progress: RunProgress | None,
) -> tuple[list[DocumentResult], int]:
    """Every document's result, in input order, and how many were read now: a result comes from the
    cache when it holds one for the file's bytes, else the file is read (in `options.jobs` worker
    processes) and its result added to the cache."""
    known = [with_pictures_as_asked(cache.load(path, digest), options.settings.pictures) if cache is not None and digest
             else None for path, digest in zip(paths, digests)]
    to_read = [path for path, result in zip(paths, known) if result is None]
    if progress is not None:
        progress.start(len(paths), cached=len(paths) - len(to_read))
    read_now = []
    for result in process_all(to_read, options):
        if cache is not None:
            cache.store(result)
        if progress is not None:
            progress.advance(result)
        read_now.append(result)
    fresh = iter(read_now)
    return [result if result is not None else next(fresh) for result in known], len(read_now)


def with_pictures_as_asked(result: DocumentResult | None, pictures: bool) -> DocumentResult | None:
    """A cached result as this run needs it: without pictures when none are asked for; None (read it again,
    drawing them) when they are asked for and it was cached by a run that drew none."""
    if result is None or pictures == (result.pictures is not None):
        return result
    if pictures:
        return None
    result.pictures = None
    return result


def publishing_identity() -> str:
    """The publishing settings as a run's output depends on them: the file's path and bytes."""
    from pipeline.publish.publishing import settings_path

    path = settings_path()
    try:
        return f"{path.resolve()} {hashlib.sha256(path.read_bytes()).hexdigest()}"
    except OSError:
        return f"{path.resolve()} unreadable"


def publish(
    results: list[DocumentResult], paths: Sequence[Path], out: Path, publishing: Publishing,
    datasets: Sequence[Dataset],
) -> tuple[Validation, list[DocumentResult]]:
    """Validate every document's rows and write the output; the validation and the results published.

    A document whose rows nonetheless break validation or writing (a bug the checks did not foresee)
    becomes that document's error, and the others are published: the documents that fail are found
    by halving the set, which costs about two runs' validation and writing, and only when one fails.
    """
    from pipeline.publish.atomic import replace_folder
    from pipeline.publish.output import write_output
    from pipeline.publish.publishing import placeholder_checks
    from pipeline.validate import invalid_documents, validate
    from pipeline.validate.text import with_publishable_text

    results = [with_publishable_text(r) for r in results]
    invalid = invalid_documents(results, next(d for d in datasets if d.name == "documents"))
    results = [failed(r, DocumentError("invalid-document-row", detail=invalid[r.document_id]))
               if r.document_id in invalid else r for r in results]

    def write(folder: Path, group: list[DocumentResult]) -> Validation:
        validation = validate(group, datasets)
        validation.checks += placeholder_checks(publishing)
        write_output(folder, validation, group, publishing, datasets)
        return validation

    def replace_output(group: list[DocumentResult]) -> Validation:
        written: list[Validation] = []
        replace_folder(out, lambda folder: written.append(write(folder, group)))
        return written[0]

    try:
        return replace_output(results), results
    except (OutputError, OSError):
        raise
    except Exception:  # noqa: BLE001 - one document's rows must not cost the others
        failing = dict(unpublishable(results, write))
    results = [failed(r, DocumentError("unpublishable", detail=failing[i])) if i in failing else r
               for i, r in enumerate(results)]
    return replace_output(results), results


def unpublishable(results: list[DocumentResult], write: Callable[[Path, list[DocumentResult]], object],
                  ) -> list[tuple[int, str]]:
    """The documents that make `write` fail on their own, by index, with what went wrong."""
    import tempfile

    def search(indices: list[int]) -> list[tuple[int, str]]:
        try:
            with tempfile.TemporaryDirectory() as folder:
                write(Path(folder), [results[i] for i in indices])
            return []
        except OSError:
            raise
        except Exception as exc:  # noqa: BLE001 - what is being looked for
            if len(indices) == 1:
                return [(indices[0], f"{type(exc).__name__}: {' '.join(str(exc).split())}"[:160])]
            middle = len(indices) // 2
            return search(indices[:middle]) + search(indices[middle:])

    return search(list(range(len(results))))


def run(options: RunOptions, progress: RunProgress | None = None) -> RunOutcome:
    paths = find_inputs(options.raw)
    datasets = options.settings.profile.published
    check_folders(options.raw, options.out, datasets)
    cache = ResultCache(options.cache_dir, options.settings) if options.cache_dir is not None else None
    digests = [file_sha256(path) if cache is not None else None for path in paths]
    # Whether pictures are drawn changes the report, so it is part of what the output is made from.
    made_from = f"{publishing_identity()} pictures={options.settings.pictures}"
    state = cache.run_state([(p.name, d) for p, d in zip(paths, digests)], made_from) if cache else ""
    unchanged = repeated_outcome(cache.last_run(options.out, state)) if cache is not None else None
    if unchanged is not None:
        return dataclasses.replace(unchanged, warnings=tuple(cache.warnings))
    # Imported only now: a run with nothing to do needs neither pandas nor pandera.
    from pipeline.publish.publishing import load_publishing

    # Read once, and before any document: a mistake in publishing.toml stops the run at once.
    publishing = options.publishing or load_publishing()
    results, read = read_all(paths, digests, options, cache, progress)
    results = reject_duplicate_ids(results, paths)
    validation, results = publish(results, paths, options.out, publishing, datasets)
    outcome = RunOutcome(
        documents=len(results),
        errors=tuple((r.document["file_name"], r.document["error"])
                     for r in sorted(results, key=lambda r: r.document_id) if not r.ok),
        failed_checks=sum(c.status == "fail" for c in validation.checks),
        warned_checks=sum(c.status == "warn" for c in validation.checks),
        read=read,
        # Failures first, then by document: the lines a reader of a CI log looks for come first.
        problems=tuple(CheckProblem(c.document_id, c.dataset, c.check, c.status, c.page, c.message)
                       for c in sorted(validation.checks, key=lambda c: (c.status != "fail", c.document_id))
                       if c.status != "pass"),
        warnings=tuple(cache.warnings) if cache is not None else (),
    )
    if cache is not None:
        # A run with a document that timed out may come out otherwise next time: it is not skipped.
        if all(is_cacheable(r) for r in results):
            cache.record_run(options.out, state, outcome.record())
        else:
            cache.forget_run(options.out)
    return outcome
