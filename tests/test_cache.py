"""The cache: a re-run reads only what is new, gives the same output, and never trusts a damaged entry.

Runs in this process (`run` with one job) show what was read by counting and by making every PDF
unopenable; runs on the command line show what a data engineer sees. Nothing here is timed.
"""

from __future__ import annotations

import io
import json
import os
import pickle
import re
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pdfplumber
import pypdfium2
import pytest
from conftest import BAD, FIXTURES, RAW, ROOT, SEED_ID, SEED_PDF, input_folder, read_csv, run_pipeline, tree_digest

import pipeline
from pipeline import cache as cache_module
from pipeline import process as process_module
from pipeline.cache import (
    CACHE_ENV,
    FINGERPRINTED_LIBRARIES,
    ResultCache,
    environment_fingerprint,
    file_sha256,
    from_plain,
    installed_versions,
    is_cacheable,
    seal,
    to_plain,
    write_atomically,
)
from pipeline.model import DocumentResult
from pipeline.process import process, process_with_pictures
from pipeline.progress import Progress
from pipeline.publish.publishing import SETTINGS_ENV
from pipeline.run import RunOptions, RunOutcome, run
from pipeline.settings import Settings

REPORTS = {"validation_report.json", "validation_report.html"}
UP_TO_DATE = "is up to date"


def run_here(raw: Path, out: Path, cache: Path | None, jobs: int = 1) -> RunOutcome:
    return run(RunOptions(raw=raw, out=out, jobs=jobs, cache_dir=cache))


def files_without_report_times(out: Path) -> dict[str, bytes]:
    """Every output file's bytes; the reports without the line or sentence that holds the time of the run."""
    files = {}
    for path in sorted(p for p in out.rglob("*") if p.is_file()):
        data = path.read_bytes()
        if path.name in REPORTS:
            data = b"\n".join(line for line in data.split(b"\n") if b"generated_at" not in line
                              and b"Generated " not in line)
        files[path.relative_to(out).as_posix()] = data
    return files


def run_cli(*args: str | Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """`python -m pipeline run ...` with extra environment variables."""
    return subprocess.run([sys.executable, "-m", "pipeline", "run", *map(str, args)], cwd=ROOT, capture_output=True,
                          text=True, timeout=300, env={**os.environ, **(env or {})})


class Reads:
    """The names of the files `process` was called on, in the worker processes forked from this one:
    each call appends a line to a log file, since a worker's memory is not this process's."""

    def __init__(self, log: Path) -> None:
        self.log = log

    def __call__(self) -> list[str]:
        return self.log.read_text(encoding="utf-8").splitlines() if self.log.exists() else []

    def clear(self) -> None:
        self.log.unlink(missing_ok=True)


@pytest.fixture
def reads(monkeypatch, tmp_path) -> Reads:
    log = tmp_path / "reads.log"
    real = process_module.process

    def counting(path: Path, settings: Settings) -> DocumentResult:
        with log.open("a", encoding="utf-8") as handle:
            handle.write(path.name + "\n")
        return real(path, settings)

    monkeypatch.setattr(process_module, "process", counting)
    return Reads(log)


@pytest.fixture(scope="module")
def answers(tmp_path_factory) -> Path:
    """The seed answer, every layout fixture and the invalid answers (failing checks, quarantined rows)."""
    raw = tmp_path_factory.mktemp("answers") / "raw"
    pdfs = [*RAW.glob("*.pdf"), *(FIXTURES / "answers").glob("*.pdf"), *(FIXTURES / "invalid").glob("*.pdf")]
    return input_folder(raw, {pdf.name: pdf for pdf in pdfs})


# --- nothing is read twice -----------------------------------------------------------------


def test_a_second_run_reads_no_pdf_again(tmp_path, reads, monkeypatch):
    raw = input_folder(tmp_path / "raw", {"a.pdf": SEED_PDF, "b.pdf": FIXTURES / "answers" / "borderless.pdf",
                                          "empty.pdf": BAD / "empty.pdf"})
    first = run_here(raw, tmp_path / "first", tmp_path / "cache")
    assert sorted(reads()) == ["a.pdf", "b.pdf", "empty.pdf"] and first.read == 3

    reads.clear()
    # pytest.fail raises a BaseException: no `except Exception` on the way can hide a PDF being opened.
    monkeypatch.setattr(pdfplumber, "open", lambda *a, **k: pytest.fail("a PDF was opened"))
    monkeypatch.setattr(pypdfium2, "PdfDocument", lambda *a, **k: pytest.fail("a PDF was opened"))
    # Another output folder: the run validates and publishes everything again, from the cache alone.
    second = run_here(raw, tmp_path / "second", tmp_path / "cache")
    assert reads() == [] and second.read == 0 and not second.up_to_date
    assert second.exit_code == first.exit_code == 1  # the empty file is an error, cached like the rest
    assert files_without_report_times(tmp_path / "second") == files_without_report_times(tmp_path / "first")


def test_adding_one_pdf_reads_only_that_one(tmp_path, reads):
    raw = input_folder(tmp_path / "raw", {"a.pdf": SEED_PDF, "b.pdf": FIXTURES / "answers" / "borderless.pdf"})
    run_here(raw, tmp_path / "out", tmp_path / "cache")
    reads.clear()
    shutil.copy(FIXTURES / "answers" / "follow-up-2018.pdf", raw / "c.pdf")
    outcome = run_here(raw, tmp_path / "out", tmp_path / "cache")
    assert reads() == ["c.pdf"] and outcome.read == 1 and outcome.documents == 3
    assert {row["file_name"] for row in read_csv(tmp_path / "out" / "documents.csv")} == {"a.pdf", "b.pdf", "c.pdf"}


def test_the_command_line_says_how_many_documents_came_from_the_cache(tmp_path):
    raw = input_folder(tmp_path / "raw", {"a.pdf": SEED_PDF, "b.pdf": FIXTURES / "answers" / "borderless.pdf"})
    cache = tmp_path / "cache"
    first = run_pipeline("--raw", raw, "--out", tmp_path / "first", "--cache-dir", cache)
    second = run_pipeline("--raw", raw, "--out", tmp_path / "second", "--cache-dir", cache)
    assert (first.returncode, second.returncode) == (0, 0), first.stderr + second.stderr
    assert "2 read, 0 from the cache" in first.stderr
    assert "0 read, 2 from the cache" in second.stderr


def test_output_is_identical_with_and_without_the_cache_and_for_one_or_two_jobs(tmp_path, answers):
    cache = tmp_path / "cache"
    runs = {
        "no cache, 1 job": (None, 1),
        "cold cache, 2 jobs": (cache, 2),
        "warm cache, 1 job": (cache, 1),
        "warm cache, 2 jobs": (cache, 2),
    }
    outputs = {}
    for name, (cache_dir, jobs) in runs.items():
        out = tmp_path / name.replace(" ", "-").replace(",", "")
        outcome = run_here(answers, out, cache_dir, jobs=jobs)
        assert outcome.read == (0 if name.startswith("warm") else outcome.documents), name
        outputs[name] = files_without_report_times(out)
    reference = outputs.pop("no cache, 1 job")
    assert "validation_report.html" in reference and "quarantine/trainings.csv" in reference
    for name, files in outputs.items():
        assert files == reference, name


# --- what makes an entry stale, damaged or foreign ---------------------------------------------


@pytest.fixture(scope="module")
def seed_result() -> DocumentResult:
    return process(SEED_PDF, Settings())


def test_other_settings_do_not_find_the_entry(tmp_path, seed_result):
    ResultCache(tmp_path, Settings()).store(seed_result)
    sha256 = seed_result.document["sha256"]
    assert ResultCache(tmp_path, Settings()).load(SEED_PDF, sha256) == seed_result
    assert ResultCache(tmp_path, Settings(line_tolerance=0.4)).load(SEED_PDF, sha256) is None


def test_editing_the_pipeline_code_changes_the_fingerprint_and_misses_the_cache(tmp_path, monkeypatch, seed_result):
    packages = [tmp_path / "code" / root.name for root in cache_module.FINGERPRINTED_PACKAGES]
    for source, copy in zip(cache_module.FINGERPRINTED_PACKAGES, packages):
        shutil.copytree(source, copy, ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.setattr(cache_module, "FINGERPRINTED_PACKAGES", tuple(packages))
    environment_fingerprint.cache_clear()
    try:
        cache = ResultCache(tmp_path / "cache", Settings())
        cache.store(seed_result)
        assert cache.load(SEED_PDF, seed_result.document["sha256"]) == seed_result
        before = environment_fingerprint()
        rule = packages[0] / "normalise" / "text.py"
        rule.write_text(rule.read_text(encoding="utf-8") + "\n# a rule changed\n", encoding="utf-8")
        environment_fingerprint.cache_clear()
        assert environment_fingerprint() != before
        assert ResultCache(tmp_path / "cache", Settings()).load(SEED_PDF, seed_result.document["sha256"]) is None
    finally:
        environment_fingerprint.cache_clear()


def test_another_pipeline_version_misses_the_cache(tmp_path, monkeypatch, seed_result):
    ResultCache(tmp_path, Settings()).store(seed_result)
    monkeypatch.setattr(pipeline, "__version__", "99.0.0")
    environment_fingerprint.cache_clear()
    try:
        assert ResultCache(tmp_path, Settings()).load(SEED_PDF, seed_result.document["sha256"]) is None
    finally:
        environment_fingerprint.cache_clear()


class Planted:
    """A pickle that, when loaded, leaves a file behind: proof that loading ran code."""

    def __init__(self, proof: Path) -> None:
        self.proof = proof

    def __reduce__(self):
        return (Path.write_text, (self.proof, "ran"))


def forged(entry: bytes, other: bytes) -> bytes:
    """The entry's JSON with a planted title and a seal made without the cache's key."""
    payload = entry.partition(b"\n")[2].replace(b"OCMW", b"Planted")
    return seal(b"\0" * 32, "guessed", payload)


DAMAGE = {
    "empty file": lambda entry, other: b"",
    "truncated": lambda entry, other: entry[: len(entry) // 2],
    "not JSON": lambda entry, other: b"%PDF-1.4 this is not an entry",
    "unsealed JSON of a result": lambda entry, other: entry.partition(b"\n")[2],
    "another document's entry": lambda entry, other: other,
    "forged with the right name": forged,
    "one byte changed": lambda entry, other: entry[:-2] + bytes([entry[-2] ^ 1]) + entry[-1:],
}


@pytest.mark.parametrize("damage", DAMAGE)
def test_a_damaged_or_foreign_entry_is_ignored_rebuilt_and_reported(tmp_path, reads, damage):
    raw = input_folder(tmp_path / "raw", {"a.pdf": SEED_PDF, "b.pdf": FIXTURES / "answers" / "borderless.pdf"})
    cache = tmp_path / "cache"
    run_here(raw, tmp_path / "first", cache)
    results = ResultCache(cache, Settings())
    entry_of = {name: results.entry_path(results.key(file_sha256(raw / name))) for name in ("a.pdf", "b.pdf")}
    good = entry_of["a.pdf"].read_bytes()
    entry_of["a.pdf"].write_bytes(DAMAGE[damage](good, entry_of["b.pdf"].read_bytes()))
    reads.clear()

    outcome = run_here(raw, tmp_path / "second", cache)
    assert reads() == ["a.pdf"] and outcome.read == 1 and outcome.exit_code == 0
    [warning] = outcome.warnings
    assert warning.startswith(f"the cache entry for a.pdf {entry_of['a.pdf']} is ignored and rebuilt: ")
    assert files_without_report_times(tmp_path / "second") == files_without_report_times(tmp_path / "first")
    assert entry_of["a.pdf"].read_bytes() == good, "the entry was not rebuilt"


def test_a_pickle_planted_in_the_cache_is_never_loaded(tmp_path, reads):
    raw = input_folder(tmp_path / "raw", {"a.pdf": SEED_PDF})
    cache = tmp_path / "cache"
    run_here(raw, tmp_path / "first", cache)
    results = ResultCache(cache, Settings())
    entry = results.entry_path(results.key(file_sha256(raw / "a.pdf")))
    proof = tmp_path / "proof"
    planted = pickle.dumps(Planted(proof))
    for path in [entry, entry.with_suffix(".pickle"), cache / "documents" / "planted.pickle"]:
        path.write_bytes(planted)
    reads.clear()
    outcome = run_here(raw, tmp_path / "second", cache)
    assert not proof.exists(), "the planted pickle ran"
    assert reads() == ["a.pdf"] and outcome.exit_code == 0
    assert files_without_report_times(tmp_path / "second") == files_without_report_times(tmp_path / "first")


def test_the_cache_is_owner_only_even_under_a_group_writable_umask(tmp_path):
    previous = os.umask(0o002)
    try:
        outcome = run_here(RAW, tmp_path / "out", tmp_path / "cache")
    finally:
        os.umask(previous)
    assert outcome.exit_code == 0
    modes = {p.relative_to(tmp_path).as_posix(): stat.S_IMODE(p.stat().st_mode) for p in (tmp_path / "cache").rglob("*")}
    modes["cache"] = stat.S_IMODE((tmp_path / "cache").stat().st_mode)
    assert {name for name, mode in modes.items() if mode & 0o077} == set()
    assert modes["cache/key"] == 0o600 and modes["cache"] == 0o700


def test_a_key_others_may_read_makes_the_cache_unused_and_says_so(tmp_path, reads):
    cache = tmp_path / "cache"
    run_here(RAW, tmp_path / "first", cache)
    (cache / "key").chmod(0o644)
    reads.clear()
    outcome = run_here(RAW, tmp_path / "second", cache)
    assert reads() == [SEED_PDF.name] and outcome.exit_code == 0
    [warning] = outcome.warnings
    assert warning.startswith(f"the cache folder {cache} is not used, every PDF is read: its key {cache / 'key'} is "
                              "not owned by you with mode 0600")


@pytest.fixture(scope="module")
def every_result() -> list[DocumentResult]:
    pdfs = [SEED_PDF, *sorted((FIXTURES / "answers").glob("*.pdf")), *sorted((FIXTURES / "invalid").glob("*.pdf"))]
    return [process_with_pictures(pdf, Settings()) for pdf in pdfs]


def test_every_result_comes_back_from_json_exactly(every_result):
    for result in every_result:
        assert from_plain(json.loads(json.dumps(to_plain(result)))) == result, result.document_id


def test_json_names_only_the_models_classes():
    with pytest.raises(KeyError):
        from_plain({"$type": "Path", "fields": {}})
    with pytest.raises(TypeError):
        to_plain(Path("x"))


def test_an_interrupted_write_leaves_the_previous_entry_and_no_temporary_file(tmp_path, monkeypatch):
    entry = tmp_path / "entry.json"
    write_atomically(entry, b"old")

    def interrupted(source, target):
        raise KeyboardInterrupt

    monkeypatch.setattr(cache_module.os, "replace", interrupted)
    with pytest.raises(KeyboardInterrupt):
        write_atomically(entry, b"new")
    assert entry.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["entry.json"]


def test_results_that_depend_on_the_machine_are_not_cached(seed_result):
    assert is_cacheable(seed_result)
    for slug in ("timeout", "internal-error"):
        timed_out = DocumentResult(SEED_ID, {**seed_result.document, "status": "error"}, error_slug=slug)
        assert not is_cacheable(timed_out)
    assert is_cacheable(DocumentResult(SEED_ID, {**seed_result.document, "status": "error"}, error_slug="empty-file"))


def test_a_cache_folder_that_cannot_be_written_costs_nothing_but_speed(tmp_path):
    blocked = tmp_path / "cache"
    blocked.write_text("a file where the cache folder should be")
    outcome = run_here(RAW, tmp_path / "out", blocked)
    assert outcome.exit_code == 0 and outcome.read == 1
    assert blocked.read_text() == "a file where the cache folder should be"


# --- no cache --------------------------------------------------------------------------------


def test_no_cache_neither_reads_nor_writes_the_cache(tmp_path):
    cache = tmp_path / "cache"
    # An entry for the seed's bytes that says something else: a run that reads it publishes that title.
    planted = process_with_pictures(SEED_PDF, Settings())  # as a run caches it: with the report's pictures
    planted.document["title"] = "Planted in the cache"
    ResultCache(cache, Settings()).store(planted)
    before = tree_digest(cache)

    both = run_pipeline("--raw", RAW, "--out", tmp_path / "out", "--cache-dir", cache, "--no-cache", "--quiet")
    assert both.returncode == 2 and "not allowed with" in both.stderr  # one or the other
    result = run_cli("--raw", RAW, "--out", tmp_path / "out", "--no-cache", env={CACHE_ENV: str(cache)})
    assert result.returncode == 0, result.stderr
    assert "1 read, 0 from the cache" in result.stderr
    assert {row["title"] for row in read_csv(tmp_path / "out" / "documents.csv")} != {"Planted in the cache"}
    assert tree_digest(cache) == before

    # The planted entry is found by a run that uses the cache: so the run above did not look.
    run_cli("--raw", RAW, "--out", tmp_path / "out-cached", "--quiet", env={CACHE_ENV: str(cache)})
    assert {row["title"] for row in read_csv(tmp_path / "out-cached" / "documents.csv")} == {"Planted in the cache"}


# --- names -----------------------------------------------------------------------------------


def test_a_renamed_copy_of_a_cached_pdf_gets_its_own_document_id_and_file_name(tmp_path, reads):
    cache = tmp_path / "cache"
    run_here(input_folder(tmp_path / "raw", {"Antwoord A.pdf": SEED_PDF}), tmp_path / "first", cache)
    reads.clear()
    renamed = input_folder(tmp_path / "renamed", {"Antwoord B.pdf": SEED_PDF, "Antwoord C.pdf": SEED_PDF})
    outcome = run_here(renamed, tmp_path / "second", cache)
    assert reads() == [] and outcome.read == 0
    documents = read_csv(tmp_path / "second" / "documents.csv")
    assert [(d["document_id"], d["file_name"]) for d in documents] == [("antwoord-b", "Antwoord B.pdf"),
                                                                      ("antwoord-c", "Antwoord C.pdf")]
    for dataset in ("agreements", "trainings", "cells", "repairs"):
        ids = {row["document_id"] for row in read_csv(tmp_path / "second" / f"{dataset}.csv")}
        assert ids == {"antwoord-b", "antwoord-c"}, dataset
    # Exactly what a run that reads both files writes.
    run_here(renamed, tmp_path / "read", None)
    assert files_without_report_times(tmp_path / "second") == files_without_report_times(tmp_path / "read")


# --- the up-to-date shortcut ---------------------------------------------------------------


@pytest.fixture
def published(tmp_path) -> tuple[Path, Path, Path]:
    """An output written from two answers, one of them unreadable (exit status 1), and its cache."""
    raw = input_folder(tmp_path / "raw", {"a.pdf": SEED_PDF, "empty.pdf": BAD / "empty.pdf"})
    out, cache = tmp_path / "out", tmp_path / "cache"
    result = run_pipeline("--raw", raw, "--out", out, "--cache-dir", cache)
    assert result.returncode == 1 and UP_TO_DATE not in result.stderr
    return raw, out, cache


def test_a_run_with_nothing_new_writes_nothing_and_repeats_the_exit_status(published):
    raw, out, cache = published
    before = {p: (p.stat().st_mtime_ns, p.stat().st_ino) for p in out.rglob("*")}
    result = run_pipeline("--raw", raw, "--out", out, "--cache-dir", cache)
    assert result.returncode == 1
    # After the warnings about placeholder settings, which every run starts with (test_metadata).
    lines = [line for line in result.stderr.splitlines() if not line.startswith("warning: ")]
    assert lines[0] == f"error: {raw / 'empty.pdf'}: the file is empty: download it again"
    assert f"{out}/ is up to date" in lines[1] and "2 documents, 1 unreadable" in lines[1]
    assert {p: (p.stat().st_mtime_ns, p.stat().st_ino) for p in out.rglob("*")} == before


def edit_a_csv(out: Path, raw: Path) -> None:
    with (out / "agreements.csv").open("a", encoding="utf-8") as handle:
        handle.write("x\n")


def remove_a_file_from_the_output(out: Path, raw: Path) -> None:
    (out / "dcat.ttl").unlink()


def add_a_pdf(out: Path, raw: Path) -> None:
    shutil.copy(FIXTURES / "answers" / "borderless.pdf", raw / "b.pdf")


def remove_a_pdf(out: Path, raw: Path) -> None:
    (raw / "empty.pdf").unlink()


def rename_a_pdf(out: Path, raw: Path) -> None:
    (raw / "a.pdf").rename(raw / "renamed.pdf")


def change_a_pdf(out: Path, raw: Path) -> None:
    (raw / "empty.pdf").write_bytes(FIXTURES.joinpath("answers", "borderless.pdf").read_bytes())


@pytest.mark.parametrize("change", [edit_a_csv, remove_a_file_from_the_output, add_a_pdf, remove_a_pdf, rename_a_pdf,
                                    change_a_pdf])
def test_a_run_after_a_change_writes_the_output_again(published, change):
    raw, out, cache = published
    change(out, raw)
    result = run_pipeline("--raw", raw, "--out", out, "--cache-dir", cache, "--quiet")
    assert result.returncode in (0, 1), result.stderr
    fresh = run_pipeline("--raw", raw, "--out", out.with_name("fresh"), "--no-cache", "--quiet")
    assert files_without_report_times(out) == files_without_report_times(out.with_name("fresh"))
    again = run_pipeline("--raw", raw, "--out", out, "--cache-dir", cache)
    assert UP_TO_DATE in again.stderr and again.returncode == fresh.returncode


def test_other_publishing_settings_write_the_output_again(published, tmp_path):
    raw, out, cache = published
    assert UP_TO_DATE in run_cli("--raw", raw, "--out", out, env={CACHE_ENV: str(cache)}).stderr
    settings = tmp_path / "publishing.toml"
    settings.write_text('base_url = "https://data.example.org/answers/"\n', encoding="utf-8")
    result = run_cli("--raw", raw, "--out", out, env={CACHE_ENV: str(cache), SETTINGS_ENV: str(settings)})
    assert UP_TO_DATE not in result.stderr and result.returncode == 1
    assert "https://data.example.org/answers/" in (out / "dcat.ttl").read_text(encoding="utf-8")


def test_a_run_where_a_document_timed_out_is_never_skipped(tmp_path):
    raw = input_folder(tmp_path / "raw", {"slow.pdf": BAD / "slow-ruled-grid.pdf", "a.pdf": SEED_PDF})
    out, cache = tmp_path / "out", tmp_path / "cache"
    for _ in range(2):
        result = run_pipeline("--raw", raw, "--out", out, "--cache-dir", cache, "--timeout", "1")
        assert result.returncode == 1 and UP_TO_DATE not in result.stderr
        assert f"error: {raw / 'slow.pdf'}: reading took longer than 1 s" in result.stderr
        # The slow document is read again each time: a timeout is not cached.
        assert int(re.search(r"(\d+) read, ", result.stderr).group(1)) >= 1


# --- progress --------------------------------------------------------------------------------


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_the_progress_bar_counts_cached_documents_as_done_and_says_how_many(monkeypatch):
    terminal = Terminal()
    monkeypatch.setattr("sys.stderr", terminal)
    with Progress() as progress:
        progress.start(40, cached=38)
        progress.advance(DocumentResult("new-answer", {}))
    shown = terminal.getvalue()
    assert "reading (38 cached)" in shown and "38/40" in shown


def test_a_result_the_cache_cannot_keep_is_reported_once_not_silently(tmp_path):
    cache = ResultCache(tmp_path / "cache", Settings())
    result = process_with_pictures(SEED_PDF, Settings())
    result.document["title"] = object()  # a value JSON cannot hold
    cache.store(result)
    cache.store(result)
    [warning] = cache.warnings
    assert warning.startswith(f"a result could not be kept in the cache {tmp_path / 'cache'} (TypeError:")
    assert not list((tmp_path / "cache").rglob("*.json"))


def test_the_library_versions_fingerprinted_are_those_importlib_metadata_reads():
    from importlib.metadata import version

    assert installed_versions(FINGERPRINTED_LIBRARIES) == {library: version(library) for library in FINGERPRINTED_LIBRARIES}
    assert installed_versions(["no-such-library-anywhere"]) == {"no-such-library-anywhere": "absent"}
