"""Time and memory are bounded per document on every path, from outside the reading code.

The main process ends a worker whose document overruns --timeout, whatever the worker is doing
(even stuck with every signal blocked, as inside a C callback); each worker's address space is
capped at --memory-limit. Either way the document gets its own error and the others are read.
The patched reading functions reach the workers because they are forked from this process.
"""

from __future__ import annotations

import importlib
import multiprocessing
import os
import signal
import subprocess
import sys
import time
from collections import deque
from pathlib import Path

import pytest
from conftest import BAD, ROOT, SEED_PDF, input_folder, run_pipeline

from pipeline import process as process_module
from pipeline.run import RunOptions, process_all
from pipeline.settings import Settings
from pipeline.workers import Limits, Worker, read_in_workers, wants_task

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
    # Long enough for the good documents on a busy machine; the stuck one waits it out once.
    assert [(i, slug) for i, slug, _ in results_of(raw, jobs=1, timeout=12)] == [
        ("a", "no-text-layer"), ("b", "timeout"), ("c", None)]


def test_a_document_over_the_memory_limit_is_its_own_error(tmp_path, monkeypatch):
    raw = input_folder(tmp_path / "raw", {"a.pdf": SEED_PDF, "big.pdf": SEED_PDF, "c.pdf": SEED_PDF})
    monkeypatch.setattr(process_module, "process", misbehave_on("big.pdf", allocate_four_gigabytes))
    assert results_of(raw, jobs=2, memory_limit_mb=2048) == [
        ("a", None, ""),
        ("big", "memory-limit", "reading needed more than the memory limit of 2048 MB: check the PDF, or raise "
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


def test_documents_a_worker_held_besides_the_one_that_killed_it_are_read_by_its_replacement(tmp_path, monkeypatch):
    # With one job the worker holds the next document while it reads: "b" was sent before "a" ended it.
    raw = input_folder(tmp_path / "raw", {"a.pdf": SEED_PDF, "b.pdf": SEED_PDF, "c.pdf": SEED_PDF, "d.pdf": SEED_PDF})
    monkeypatch.setattr(process_module, "process", misbehave_on("a.pdf", die))
    assert [(i, slug) for i, slug, _ in results_of(raw, jobs=1)] == [
        ("a", "worker-died"), ("b", None), ("c", None), ("d", None)]


def test_the_clock_of_a_document_waiting_in_a_worker_starts_when_the_worker_starts_it(tmp_path, monkeypatch):
    raw = input_folder(tmp_path / "raw", {"a.pdf": SEED_PDF, "b.pdf": SEED_PDF, "c.pdf": SEED_PDF})
    monkeypatch.setattr(process_module, "process", misbehave_on("a.pdf", lambda: time.sleep(1.5)))
    monkeypatch.setattr(process_module, "process", misbehave_on("b.pdf", lambda: time.sleep(1.5)))
    # "b" waits in the worker while "a" is read: 3 s after both were sent, it is 1.5 s into its own 2.5.
    assert [(i, slug) for i, slug, _ in results_of(raw, jobs=1, timeout=2.5)] == [("a", None), ("b", None), ("c", None)]


@pytest.mark.parametrize(("held", "pending", "workers", "wanted"), [
    (0, 1, 1, True),  # an idle worker gets a document
    (1, 2, 1, True),  # and the next one, while more are left than the workers take in one round
    (1, 1, 1, False),  # not the last: it could wait behind a slow one while another worker is idle
    (1, 2, 2, False),
    (2, 9, 1, False),  # never more than two
])
def test_a_worker_holds_the_next_document_only_while_others_are_left_for_the_rest(held, pending, workers, wanted):
    worker = Worker(process=None, connection=None, tasks=deque((i, Path(f"{i}.pdf")) for i in range(held)))
    assert wants_task(worker, pending, workers) is wanted


def test_a_worker_is_replaced_only_after_the_main_process_thread_has_finished_importing(tmp_path, monkeypatch):
    # A fork while the main process's thread holds an import lock would hand the new worker a lock nobody
    # releases: the replacement for a worker that died must wait for the thread.
    (tmp_path / "slow_to_import.py").write_text("import time\ntime.sleep(2)\nFINISHED = time.time()\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    raw = input_folder(tmp_path / "raw", {"a.pdf": SEED_PDF, "b.pdf": SEED_PDF})
    started = tmp_path / "b-started"
    monkeypatch.setattr(process_module, "process", misbehave_on("a.pdf", die))
    monkeypatch.setattr(process_module, "process", misbehave_on("b.pdf", lambda: started.write_text(repr(time.time()))))
    results = list(read_in_workers(sorted(raw.iterdir()), Settings(), 1, Limits(timeout=60, memory_mb=None),
                                   meanwhile=lambda: importlib.import_module("slow_to_import")))
    assert [r.error_slug for r in results] == ["worker-died", None]
    import slow_to_import

    assert float(started.read_text()) >= slow_to_import.FINISHED


def test_work_that_fails_in_the_main_process_thread_costs_no_document(tmp_path):
    raw = input_folder(tmp_path / "raw", {"a.pdf": SEED_PDF})
    results = list(read_in_workers(sorted(raw.iterdir()), Settings(), 1, Limits(timeout=60, memory_mb=None),
                                   meanwhile=lambda: importlib.import_module("no_such_module_anywhere")))
    assert [(r.document_id, r.error_slug) for r in results] == [("a", None)]


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


def test_publishing_imports_no_package_that_prepare_publishing_left_out(tmp_path):
    # A package `publish` imports that `prepare_publishing` did not is imported after the last
    # document, when nothing runs beside it: the serial part of every run.
    script = f"""
import sys
from pathlib import Path
from pipeline.process import process_with_pictures
from pipeline.publish.publishing import load_publishing
from pipeline.run import prepare_publishing, publish
from pipeline.settings import Settings
seed = Path({str(SEED_PDF)!r})
result = process_with_pictures(seed, Settings())
prepare_publishing()
before = {{m.split(".")[0] for m in sys.modules}}
publish([result], [seed], Path({str(tmp_path / "out")!r}), load_publishing(), Settings().profile.published)
print(" ".join(sorted({{m.split(".")[0] for m in sys.modules}} - before)))
"""
    completed = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert completed.returncode == 0, completed.stderr
    assert (tmp_path / "out" / "cells.csv").exists()
    assert completed.stdout.split() == []
