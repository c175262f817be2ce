"""Replacing an output folder atomically: written beside it, swapped in only when complete.

An interrupted run leaves the previous output as it was; a run that died mid-swap is
recovered by the next one.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from pathlib import Path

STAGING_PREFIX = ".staging-"
PREVIOUS_PREFIX = ".previous-"


def replace_folder(out: Path, write: Callable[[Path], None]) -> None:
    """Run `write(staging_folder)` and swap the result in as `out`; on any failure `out` is untouched."""
    out = out.resolve()
    out.parent.mkdir(parents=True, exist_ok=True)
    recover_interrupted(out)
    staging = out.with_name(f".{out.name}{STAGING_PREFIX}{os.getpid()}")
    if staging.exists():
        shutil.rmtree(staging)
    staging.mkdir()
    try:
        write(staging)
        swap_in(staging, out)
    finally:
        if staging.exists():
            shutil.rmtree(staging, ignore_errors=True)


def swap_in(staging: Path, out: Path) -> None:
    previous = out.with_name(f".{out.name}{PREVIOUS_PREFIX}{os.getpid()}")
    if out.exists():
        os.rename(out, previous)
    # Between these two renames `out` is briefly absent: an exception puts `previous` back at
    # once, and if the process dies right there `recover_interrupted` does on the next run.
    try:
        os.rename(staging, out)
    except BaseException:
        if previous.exists() and not out.exists():
            os.rename(previous, out)
        raise
    if previous.exists():
        shutil.rmtree(previous, ignore_errors=True)


def recover_interrupted(out: Path) -> None:
    """Restore the last complete output if a run died mid-swap; remove stale staging folders.

    Called before this process makes a folder of its own, so a leftover named after this very
    process id is an earlier process's that had the same id.
    """
    leftovers = {
        prefix: [p for p in out.parent.iterdir() if p.name.startswith(f".{out.name}{prefix}") and _owner_is_gone(p)]
        for prefix in (PREVIOUS_PREFIX, STAGING_PREFIX)
    }
    previous = leftovers[PREVIOUS_PREFIX]
    if not out.exists() and previous:
        # Normally there is one; should there be more, the newest is the last complete output.
        newest = max(previous, key=lambda p: p.stat().st_mtime_ns)
        os.rename(newest, out)
        previous.remove(newest)
    for stale in [*previous, *leftovers[STAGING_PREFIX]]:
        shutil.rmtree(stale, ignore_errors=True)


def _owner_is_gone(folder: Path) -> bool:
    """A staging folder of a run that is still going must not be removed by another run."""
    suffix = folder.name.rsplit("-", 1)[-1]
    if not suffix.isdigit() or int(suffix) == os.getpid():
        return True
    try:
        os.kill(int(suffix), 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False
    return False
