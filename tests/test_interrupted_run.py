"""An interrupted run leaves the previous output exactly as it was, and the next run still works.

The run writes into a staging folder beside --out and swaps it in only when complete. These
tests kill a real `python -m pipeline run` (SIGKILL to the main process, as `kill -9` does;
SIGINT to its whole process group, as Ctrl-C in a terminal does) while it reads and while it
writes, and kill a process between the two renames of the swap itself.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import RAW, ROOT, SEED_PDF, input_folder, run_pipeline, tree_digest

from pipeline.publish import atomic
from pipeline.publish.atomic import recover_interrupted, swap_in

COPIES = 12  # copies of the seed answer: about 4 s of reading and 2 s of writing with two jobs
INTERRUPTED = "interrupted: the previous output was left as it was"


@pytest.fixture(scope="module")
def many_answers(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("many") / "raw"
    return input_folder(folder, {f"answer-{i:02d}.pdf": SEED_PDF for i in range(COPIES)})


@pytest.fixture(scope="module")
def complete_output(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("complete") / "output"
    result = run_pipeline("--raw", RAW, "--out", out, "--quiet")
    assert result.returncode == 0, result.stderr
    return out


def default_interrupts() -> None:
    """In the child: Ctrl-C as a terminal's process gets it, whatever this process does with it
    (a suite run as a background job ignores SIGINT, and an ignored signal stays ignored across exec)."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def start_run(raw: Path, out: Path) -> subprocess.Popen[str]:
    return subprocess.Popen(
        # No cache: the documents must really be read, so that there is a reading to interrupt.
        [sys.executable, "-m", "pipeline", "run", "--raw", str(raw), "--out", str(out), "--jobs", "2", "--quiet",
         "--no-cache"],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True,
        preexec_fn=default_interrupts,
    )


def staging_folders(out: Path) -> list[Path]:
    return [p for p in out.parent.iterdir() if p.name.startswith(f".{out.name}{atomic.STAGING_PREFIX}")]


def wait_until(condition, seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "the run never got there"
        time.sleep(0.005)


def interrupt(run: subprocess.Popen[str], how: signal.Signals) -> None:
    if how == signal.SIGINT:
        os.killpg(run.pid, signal.SIGINT)  # the terminal sends Ctrl-C to every process of the group
    else:
        os.kill(run.pid, how)  # kill -9 of the main process: its workers are orphaned, not killed


@pytest.mark.parametrize("moment", ["reading", "writing"])
@pytest.mark.parametrize("how", [signal.SIGKILL, signal.SIGINT], ids=["SIGKILL", "SIGINT"])
def test_an_interrupted_run_leaves_the_previous_output_byte_identical(tmp_path, many_answers, complete_output,
                                                                       how, moment):
    out = tmp_path / "output"
    shutil.copytree(complete_output, out)
    before = tree_digest(out)
    run = start_run(many_answers, out)
    if moment == "reading":
        time.sleep(1.5)
    else:
        wait_until(lambda: staging_folders(out), 60)
    assert run.poll() is None, "the run ended before it could be interrupted"
    interrupt(run, how)
    _, stderr = run.communicate(timeout=30)
    assert tree_digest(out) == before
    if how == signal.SIGINT:
        assert (run.returncode, stderr.splitlines()) == (130, [INTERRUPTED])
        assert staging_folders(out) == []
    else:
        assert run.returncode == -signal.SIGKILL

    result = run_pipeline("--raw", RAW, "--out", out, "--quiet")
    assert result.returncode == 0, result.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["output"]


def test_ctrl_c_works_when_the_suite_itself_ignores_sigint(tmp_path, many_answers):
    """As when the tests run as a background job (`pytest &`), which starts with SIGINT ignored."""
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        run = start_run(many_answers, tmp_path / "output")
    finally:
        signal.signal(signal.SIGINT, previous)
    time.sleep(1.5)
    assert run.poll() is None, "the run ended before it could be interrupted"
    os.killpg(run.pid, signal.SIGINT)
    _, stderr = run.communicate(timeout=30)
    assert (run.returncode, stderr.splitlines()) == (130, [INTERRUPTED])
    assert sorted(p.name for p in tmp_path.iterdir()) == []


def test_a_run_killed_between_the_two_renames_is_repaired_by_the_next_one(tmp_path):
    out = tmp_path / "output"
    out.mkdir()
    (out / "documents.csv").write_text("previous")
    before = tree_digest(out)
    child = os.fork()
    if child == 0:  # the child writes its staging folder, renames output away and dies right there
        try:
            staging = tmp_path / f".output.staging-{os.getpid()}"
            staging.mkdir()
            (staging / "documents.csv").write_text("new")
            renames = []

            def rename_then_die(source, target):
                if renames:
                    os._exit(0)
                renames.append(source)
                os.replace(source, target)

            os.rename = rename_then_die
            swap_in(staging, out)
        finally:
            os._exit(1)
    _, status = os.waitpid(child, 0)
    assert os.waitstatus_to_exitcode(status) == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == [f".output.previous-{child}", f".output.staging-{child}"]

    recover_interrupted(out)
    assert tree_digest(out) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["output"]


def test_an_exception_between_the_two_renames_puts_the_previous_output_back_at_once(tmp_path, monkeypatch):
    out, staging = tmp_path / "output", tmp_path / ".output.staging-1"
    for folder in (out, staging):
        folder.mkdir()
        (folder / "documents.csv").write_text(folder.name)
    real_rename = os.rename

    def rename(source, target):
        if Path(source) == staging:
            raise KeyboardInterrupt
        real_rename(source, target)

    monkeypatch.setattr(atomic.os, "rename", rename)
    with pytest.raises(KeyboardInterrupt):
        swap_in(staging, out)
    assert (out / "documents.csv").read_text() == "output"
    assert sorted(p.name for p in tmp_path.iterdir()) == [".output.staging-1", "output"]


def test_the_staging_folder_of_a_run_still_going_is_left_alone(tmp_path):
    out = tmp_path / "output"
    out.mkdir()
    ended = subprocess.Popen(["true"])
    ended.wait()
    with subprocess.Popen(["sleep", "30"]) as running:
        try:
            for pid in (running.pid, ended.pid):
                (tmp_path / f".output.staging-{pid}").mkdir()
            recover_interrupted(out)
            assert sorted(p.name for p in tmp_path.iterdir()) == [f".output.staging-{running.pid}", "output"]
        finally:
            running.kill()


@pytest.mark.parametrize("kind", ["file", "folder of other files"])
def test_an_out_that_is_not_an_earlier_output_is_never_replaced(tmp_path, kind):
    out = tmp_path / "mine"
    if kind == "file":
        out.write_text("my notes")
    else:
        out.mkdir()
        (out / "notes.txt").write_text("my notes")
    before = tree_digest(tmp_path)
    result = run_pipeline("--raw", RAW, "--out", out, "--quiet")
    assert result.returncode == 2
    assert len(result.stderr.splitlines()) == 1 and result.stderr.startswith(f"error: --out {out} ")
    assert tree_digest(tmp_path) == before
