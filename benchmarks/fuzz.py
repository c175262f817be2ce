"""Fuzzing at scale: a thousand mangled and odd answers, each timed, with the workers' memory measured.

    python benchmarks/fuzz.py                     # 1000 mutants, 2 jobs, --timeout 20, --memory-limit 2048
    python benchmarks/fuzz.py --mutants 200       # a quicker look; --help for the rest

The mutants are those of `tests/test_fuzz.py` (the same mutations, a fixed random seed). Two stages:

1. Reading. Every mutant is read by `pipeline.workers.read_in_workers`, the code `run` reads with,
   in `--jobs` streams of one worker each, so that the time between two results of a stream is one
   document's time, worker start included. Each result goes into a temporary cache.
2. The whole command. `python -m pipeline run` over all mutants with that cache (so nothing is read
   twice): validation and publishing of every result in one batch.

It prints the figures the README gives and exits 1 unless: no internal error (`internal-error`,
`unpublishable`, `worker-died`), no document read past the timeout plus 10 s, the largest resident
size of any worker under the memory limit, and the command exiting 0 or 1 with one line per error,
no traceback, and every mutant in documents.csv. Nothing is written outside a temporary folder.
"""

from __future__ import annotations

import argparse
import csv
import random
import resource
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from test_fuzz import MUTATIONS, NOT_THE_INPUTS_FAULT, RANDOM_SEED  # noqa: E402

from pipeline.cache import ResultCache  # noqa: E402
from pipeline.settings import Settings  # noqa: E402
from pipeline.workers import Limits, read_in_workers  # noqa: E402

GRACE_SECONDS = 10.0


def make_mutants(folder: Path, count: int) -> list[Path]:
    rng = random.Random(RANDOM_SEED)
    folder.mkdir(parents=True)
    paths = []
    for i in range(count):
        mutation = rng.choice(MUTATIONS)
        path = folder / f"{i:04d}-{mutation.__name__.replace('_', '-')}.pdf"
        path.write_bytes(mutation(rng))
        paths.append(path)
    return paths


def read_stream(paths: list[Path], limits: Limits, cache: ResultCache, into: dict[str, tuple[float, str]]) -> None:
    """Read `paths` one after the other in one worker at a time; each document's seconds and outcome."""
    started = time.monotonic()
    for path, result in zip(paths, read_in_workers(paths, Settings(), 1, limits)):
        now = time.monotonic()
        into[path.name] = (now - started, result.error_slug or "ok")
        cache.store(result)
        started = now


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--mutants", type=int, default=1000)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--timeout", type=float, default=20.0)
    parser.add_argument("--memory-limit", type=int, default=2048, metavar="MB")
    args = parser.parse_args()
    limits = Limits(timeout=args.timeout, memory_mb=args.memory_limit)

    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)
        paths = make_mutants(folder / "raw", args.mutants)
        cache_dir = folder / "cache"
        outcomes: dict[str, tuple[float, str]] = {}
        began = time.monotonic()
        streams = [threading.Thread(target=read_stream,
                                    args=(paths[k::args.jobs], limits, ResultCache(cache_dir, Settings()), outcomes))
                   for k in range(args.jobs)]
        for stream in streams:
            stream.start()
        for stream in streams:
            stream.join()
        reading = time.monotonic() - began
        peak_worker_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024

        began = time.monotonic()
        command = subprocess.run(
            [sys.executable, "-m", "pipeline", "run", "--raw", str(folder / "raw"), "--out", str(folder / "out"),
             "--jobs", str(args.jobs), "--timeout", str(args.timeout), "--memory-limit", str(args.memory_limit),
             "--cache-dir", str(cache_dir), "--quiet"],
            cwd=ROOT, capture_output=True, text=True)
        whole = time.monotonic() - began
        with (folder / "out" / "documents.csv").open(encoding="utf-8", newline="") as handle:
            documents = list(csv.DictReader(handle)) if command.returncode in (0, 1) else []

    slugs = Counter(slug for _, slug in outcomes.values())
    seconds = sorted(s for s, _ in outcomes.values())
    by_mutation = Counter(name.split("-", 1)[1][:-4] for name in outcomes)
    internal = sum(slugs[s] for s in NOT_THE_INPUTS_FAULT - {"timeout"})
    overran = sum(s > args.timeout + GRACE_SECONDS for s in seconds)
    errors = [d for d in documents if d["status"] == "error"]
    print(f"mutants: {len(paths)} ({', '.join(f'{m} {n}' for m, n in sorted(by_mutation.items()))})")
    print(f"reading, {args.jobs} streams: {reading:.0f} s; per document median {seconds[len(seconds) // 2]:.2f} s, "
          f"slowest {seconds[-1]:.1f} s; past the timeout + {GRACE_SECONDS:g} s: {overran}")
    print(f"outcomes: {', '.join(f'{s} {n}' for s, n in slugs.most_common())}")
    print(f"internal errors: {internal}; timeouts: {slugs['timeout']}")
    print(f"largest resident size of a worker: {peak_worker_mb:.0f} MB (limit {args.memory_limit} MB of address space)")
    print(f"the whole command on all mutants (from the cache): exit {command.returncode} in {whole:.1f} s, "
          f"{len(documents)} documents, {len(errors)} errors, {len(command.stderr.splitlines())} stderr lines")
    sound = (internal == 0 and overran == 0 and peak_worker_mb < args.memory_limit and command.returncode in (0, 1)
             and "Traceback" not in command.stderr and len(documents) == len(paths)
             and len(command.stderr.splitlines()) == len(errors))
    if not sound:
        print("FAILED:", command.stderr[-2000:], file=sys.stderr)
    return 0 if sound else 1


if __name__ == "__main__":
    sys.exit(main())
