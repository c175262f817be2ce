"""Documents read in worker processes that the main process bounds in time and memory.

Every document is read in a worker process, also when there is one document or one job:
the main process gives each worker a document (and, while more are left than there are workers,
the next one, which it starts the moment it sends a result), waits for its result, and ends
(SIGKILL) a worker whose document takes longer than the timeout. Nothing inside the reading
code has to cooperate, so a limit holds even while a worker is stuck in C code (pdfminer,
pypdfium2) that would swallow or delay a signal of its own. Each worker caps its address
space (`RLIMIT_AS`) at the memory limit: a document that needs more ends in `MemoryError`
inside the worker, or in the worker's death, and either way it is that document's error.
A worker that dies is replaced; the other documents go on.

While its workers read, the main process would only wait: it prepares what it needs afterwards
(pandas, pandera, ...: about a second of imports) in a thread meanwhile (`Meanwhile`).
"""

from __future__ import annotations

import gc
import multiprocessing
import multiprocessing.connection
import os
import signal
import threading
import time
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from pathlib import Path

from pipeline.errors import DocumentError
from pipeline.model import DocumentResult, document_id_for, error_result
from pipeline.process import process_with_pictures
from pipeline.settings import Settings

MEGABYTE = 1024 * 1024
# How long a worker asked to stop may take before it is ended.
STOP_GRACE_SECONDS = 2.0
# Documents a worker holds at most: the one it reads, and the next, so that it need not wait for
# the main process between two documents.
TASKS_PER_WORKER = 2


@dataclass(frozen=True)
class Limits:
    timeout: float | None  # seconds per document; None: no limit
    memory_mb: int | None  # address space per worker process, in MB; None: no limit


def limit_memory(memory_mb: int | None) -> None:
    """Cap this process's address space: past it, allocations fail with MemoryError."""
    if memory_mb is None:
        return
    import resource

    _, hard = resource.getrlimit(resource.RLIMIT_AS)
    limit = memory_mb * MEGABYTE
    if hard != resource.RLIM_INFINITY:
        limit = min(limit, hard)
    resource.setrlimit(resource.RLIMIT_AS, (limit, hard))


def read_within_memory(path: Path, settings: Settings, memory_mb: int | None) -> DocumentResult:
    """`process_with_pictures`, with running out of memory as the document's error."""
    try:
        return process_with_pictures(path, settings)
    except MemoryError:
        return error_result(path, document_id_for(path.name), DocumentError("memory-limit", megabytes=memory_mb))


def end_with_the_main_process(main_pid: int) -> None:
    """Have the kernel end this worker when the main process dies (`kill -9`, a crash), so that no
    orphan reads on without a limit; where that is not possible (not Linux), the worker still ends
    at its next document, when it finds the main process gone."""
    try:
        import ctypes

        PR_SET_PDEATHSIG = 1
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    except (OSError, AttributeError):
        pass
    if os.getppid() != main_pid:  # it died before the request was made
        os._exit(1)


def serve(connection: Connection, settings: Settings, memory_mb: int | None, main_pid: int) -> None:
    """A worker: read each document the main process sends, send back its result; stop on None."""
    end_with_the_main_process(main_pid)
    # Ctrl-C reaches every process of the terminal's group: workers ignore it, the main
    # process stops them, and the user sees one line instead of a traceback per worker.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    limit_memory(memory_mb)
    frozen = False
    while True:
        try:
            task = connection.recv()
        except (EOFError, OSError):
            return  # the main process is gone
        if task is None:
            return
        index, path = task
        result = read_within_memory(path, settings, memory_mb)
        try:
            connection.send((index, result))
        except OSError:
            return  # the main process is gone
        if result.error_slug == "memory-limit":
            return  # a fresh worker for the next document: this one's heap may be fragmented
        if not frozen:
            # After the first document every module reading needs is imported: the garbage collector
            # need not go over their objects again at each document (a twentieth of a worker's time).
            del result
            gc.collect()
            gc.freeze()
            frozen = True


Task = tuple[int, Path]  # a document's place in the input, and its path


@dataclass
class Worker:
    process: BaseProcess
    connection: Connection
    tasks: deque[Task] = field(default_factory=deque)  # sent to it, in order; it reads the first
    deadline: float = float("inf")  # the first task's

    def end(self) -> None:
        self.process.kill()
        self.process.join()
        self.connection.close()


def start_worker(context: multiprocessing.context.BaseContext, settings: Settings, limits: Limits) -> Worker:
    ours, theirs = context.Pipe()
    process = context.Process(target=serve, args=(theirs, settings, limits.memory_mb, os.getpid()), daemon=True)
    process.start()
    theirs.close()
    return Worker(process, ours)


def how_it_ended(process: BaseProcess) -> str:
    process.join(STOP_GRACE_SECONDS)
    code = process.exitcode
    if code is None:
        return "it stopped answering"
    if code < 0:
        return f"killed by {signal.Signals(-code).name}"
    return f"exit status {code}"


class Meanwhile:
    """Work the main process does in a thread while its workers read, when it would only wait.

    A fork copies the locks this thread holds (an import's module lock, say) into a child that
    lacks the thread to release them: no worker may be forked while it runs, so `wait` comes
    before each fork. What fails here is left undone, to fail again where it is needed.
    """

    def __init__(self, work: Callable[[], object] | None) -> None:
        self.work = work
        self.thread: threading.Thread | None = None

    def start(self) -> None:
        if self.work is not None and self.thread is None:
            self.thread = threading.Thread(target=self._run, name="meanwhile", daemon=True)
            self.thread.start()

    def _run(self) -> None:
        try:
            self.work()
        except Exception:  # noqa: BLE001, S110 - raised again by the code that needs it
            pass

    def wait(self) -> None:
        if self.thread is not None:
            self.thread.join()


def read_in_workers(paths: Sequence[Path], settings: Settings, jobs: int, limits: Limits,
                    meanwhile: Callable[[], object] | None = None) -> Iterator[DocumentResult]:
    """Each document's result, in input order; documents are read in at most `jobs` worker processes,
    while the main process does `meanwhile` in a thread."""
    if not paths:
        return
    context = multiprocessing.get_context()
    pending: deque[Task] = deque(enumerate(paths))
    workers: list[Worker] = []
    finished: dict[int, DocumentResult] = {}
    next_index = 0
    background = Meanwhile(meanwhile)
    try:
        while next_index < len(paths):
            while pending and len(workers) < jobs:
                background.wait()
                workers.append(start_worker(context, settings, limits))
            background.start()
            for worker in list(workers):
                while pending and wants_task(worker, len(pending), len(workers)):
                    task = pending.popleft()
                    if give(worker, task, limits):
                        continue
                    pending.appendleft(task)
                    if not worker.tasks:  # it died while idle: the document waits for another worker
                        worker.end()
                        workers.remove(worker)
                    break  # one that died while reading is settled by `collect`
            settled, returned = collect(workers, limits)
            finished.update(settled)
            pending.extendleft(sorted(returned, reverse=True))
            while next_index in finished:
                yield finished.pop(next_index)
                next_index += 1
            if next_index < len(paths) and not pending and not any(w.tasks for w in workers):
                # A bug in the bookkeeping above: fail, never wait for a result nobody will send.
                raise RuntimeError(f"{paths[next_index].name} was held by no worker")
            # Idle workers are stopped when nothing is left for them.
            for worker in [w for w in workers if not w.tasks and not pending]:
                stop(worker)
                workers.remove(worker)
    finally:
        for worker in workers:
            worker.end()


def wants_task(worker: Worker, pending: int, workers: int) -> bool:
    """Whether to send the worker a document now: one when it holds none; the next to go on with while
    it reads, up to `TASKS_PER_WORKER`, only while more are left than the workers take in one round
    (near the end a document queued behind a slow one would wait while another worker stands idle)."""
    return not worker.tasks or (len(worker.tasks) < TASKS_PER_WORKER and pending > workers)


def stop(worker: Worker) -> None:
    """Ask an idle worker to stop, and end it if it does not within the grace period."""
    try:
        worker.connection.send(None)
        worker.process.join(STOP_GRACE_SECONDS)
    except OSError:
        pass  # already gone
    worker.end()


def deadline(limits: Limits) -> float:
    """When a document started now must be done."""
    return time.monotonic() + limits.timeout if limits.timeout else float("inf")


def give(worker: Worker, task: Task, limits: Limits) -> bool:
    """Send the worker a document (its clock starts now if the worker holds no other); False if the
    worker is gone."""
    try:
        worker.connection.send(task)
    except OSError:
        return False
    if not worker.tasks:
        worker.deadline = deadline(limits)
    worker.tasks.append(task)
    return True


def collect(workers: list[Worker], limits: Limits) -> tuple[dict[int, DocumentResult], list[Task]]:
    """Wait for a result, a worker's death or a deadline; the documents settled, by index, and those
    handed back unread.

    A worker that died, overran its deadline or ran out of memory is ended and removed from `workers`;
    the documents it held besides the one it was reading were never started, and are handed back.
    """
    busy = [w for w in workers if w.tasks]
    if not busy:
        return {}, []
    wait = max(0.0, min(w.deadline for w in busy) - time.monotonic())
    ready = multiprocessing.connection.wait([w.connection for w in busy], timeout=min(wait, 3600.0))
    settled: dict[int, DocumentResult] = {}
    returned: list[Task] = []
    for worker in busy:
        index, path = worker.tasks[0]
        if worker.connection in ready:
            try:
                _, result = worker.connection.recv()
            except (EOFError, OSError):
                result = error_result(path, document_id_for(path.name),
                                      DocumentError("worker-died", how=how_it_ended(worker.process)))
            else:
                if result.error_slug != "memory-limit":  # after which the worker stops
                    worker.tasks.popleft()
                    # It went on with the next document the moment it sent this one's result.
                    worker.deadline = deadline(limits) if worker.tasks else float("inf")
                    settled[index] = result
                    continue
        elif time.monotonic() >= worker.deadline:
            result = error_result(path, document_id_for(path.name), DocumentError("timeout", seconds=limits.timeout))
        else:
            continue
        settled[index] = result
        worker.tasks.popleft()
        returned += worker.tasks
        worker.end()
        workers.remove(worker)
    return settled, returned
