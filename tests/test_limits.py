"""Time and memory are bounded per document on every path, from outside the reading code.

The main process ends a worker whose document overruns --timeout, whatever the worker is doing
(even stuck with every signal blocked, as inside a C callback); each worker's address space is
capped at --memory-limit. Either way the document gets its own error and the others are read.
The patched reading functions reach the workers because they are forked from this process.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import time
from pathlib import Path

import pytest
from conftest import BAD, SEED_PDF, input_folder, run_pipeline

from pipeline import process as process_module
from pipeline.run import RunOptions, process_all
from pipeline.settings import Settings

pytestmark = pytest.mark.skipif(multiprocessing.get_start_method() != "fork",
                                reason="workers must inherit the patched reading function")


def misbehave_on(name: str, how):
    real = process_module.process

    def process(path: Path, settings: Settings):
        if path.name == name:
            how()
        return real(path, settings)

    return process


def stuck_deaf_to_signals() -> None:
    """What a C callback that swallows the alarm amounts to: no signal gets through."""
    signal.pthread_sigmask(signal.SIG_BLOCK, set(signal.Signals) - {signal.SIGKILL, signal.SIGSTOP})
    time.sleep(120)


def allocate_four_gigabytes() -> None:
    bytearray(4 * 1024 ** 3)


def die() -> None:
    os._exit(3)  # a worker crashed in C code, or killed from outside


def results_of(raw: Path, **options) -> list[tuple[str, str | None, str]]:
    results = process_all(sorted(raw.iterdir()), RunOptions(raw=raw, **options))
    return [(r.document_id, r.error_slug, r.document["error"] or "") for r in results]


def test_a_single_document_deaf_to_signals_is_stopped_at_the_timeout_by_the_main_process(tmp_path, monkeypatch):
    raw = input_folder(tmp_path / "raw", {"stuck.pdf": SEED_PDF})
    monkeypatch.setattr(process_module, "process", misbehave_on("stuck.pdf", stuck_deaf_to_signals))
    # One document, one job: the path that used to be read in-process, without a watchdog. An
    # unbounded wait would outlast the 120 s sleep; pytest's own subprocess bound is not needed.
    assert results_of(raw, jobs=1, timeout=2) == [
        ("stuck", "timeout", "reading took longer than 2 s: check the PDF, or raise --timeout")]


def test_a_stuck_document_costs_only_itself_with_one_job(tmp_path, monkeypatch):
    raw = input_folder(tmp_path / "raw", {"a.pdf": BAD / "scanned.pdf", "b.pdf": SEED_PDF, "c.pdf": SEED_PDF})
    monkeypatch.setattr(process_module, "process", misbehave_on("b.pdf", stuck_deaf_to_signals))
    assert [(i, slug) for i, slug, _ in results_of(raw, jobs=1, timeout=3)] == [
        ("a", "no-text-layer"), ("b", "timeout"), ("c", None)]


def test_a_document_over_the_memory_limit_is_its_own_error(tmp_path, monkeypatch):
    raw = input_folder(tmp_path / "raw", {"a.pdf": SEED_PDF, "big.pdf": SEED_PDF, "c.pdf": SEED_PDF})
    monkeypatch.setattr(process_module, "process", misbehave_on("big.pdf", allocate_four_gigabytes))
    assert results_of(raw, jobs=2, memory_limit_mb=1024) == [
        ("a", None, ""),
        ("big", "memory-limit", "reading needed more than the memory limit of 1024 MB: check the PDF, or raise "
                                "--memory-limit"),
        ("c", None, ""),
    ]


def test_a_worker_that_dies_costs_only_its_own_document(tmp_path, monkeypatch):
    raw = input_folder(tmp_path / "raw", {"a.pdf": BAD / "scanned.pdf", "b.pdf": SEED_PDF, "c.pdf": BAD / "empty.pdf"})
    monkeypatch.setattr(process_module, "process", misbehave_on("b.pdf", die))
    assert results_of(raw, jobs=2) == [
        ("a", "no-text-layer", "no text layer: run OCR first, e.g. ocrmypdf"),
        ("b", "worker-died", "the process reading the PDF ended (exit status 3): the PDF may need more memory than "
                             "--memory-limit allows, or crash the PDF library; check the PDF, or raise --memory-limit"),
        ("c", "empty-file", "the file is empty: download it again"),
    ]


@pytest.mark.parametrize("value", ["inf", "nan", "0", "-1", "1e400", "ten"])
def test_a_timeout_that_is_not_a_positive_number_of_seconds_is_bad_usage(tmp_path, value):
    result = run_pipeline("--raw", tmp_path, "--out", tmp_path / "out", "--timeout", value)
    assert result.returncode == 2
    assert result.stderr.splitlines()[-1].startswith("python -m pipeline run: error: argument --timeout: ")
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("value", ["0", "100", "lots"])
def test_a_memory_limit_below_what_a_worker_needs_is_bad_usage(tmp_path, value):
    result = run_pipeline("--raw", tmp_path, "--out", tmp_path / "out", "--memory-limit", value)
    assert result.returncode == 2
    assert "argument --memory-limit: " in result.stderr
