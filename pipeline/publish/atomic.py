"""Replacing an output folder atomically: written beside it, swapped in only when complete.

An interrupted run leaves the previous output as it was; a run that died mid-swap is
recovered by the next one. Only a folder the pipeline wrote is ever replaced: every output
holds a manifest of the files the run wrote (`manifest.json`), and a folder holding anything
else is refused before any document is read (`foreign_files`).
"""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Callable, Iterable
from pathlib import Path

from pipeline.errors import OutputError, UsageError

STAGING_PREFIX = ".staging-"
PREVIOUS_PREFIX = ".previous-"
MANIFEST_FILE = "manifest.json"
MANIFEST_GENERATOR = "flemish-answers"


def replace_folder(out: Path, write: Callable[[Path], None]) -> None:
    """Run `write(staging_folder)` and swap the result in as `out`; on any failure `out` is untouched.

    A folder or disk that cannot be written is an `OutputError` that names it.
    """
    out = out.resolve()
    staging = out.with_name(f".{out.name}{STAGING_PREFIX}{os.getpid()}")
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        recover_interrupted(out)
        if staging.exists():
            shutil.rmtree(staging)
    except OSError as error:
        raise OutputError(out, error) from error
    try:
        # Made inside the `try`: an interrupt right after the folder appears still removes it.
        staging.mkdir()
        write(staging)
        write_manifest(staging)
        swap_in(staging, out)
    except OSError as error:
        raise OutputError(out, error) from error
    finally:
        if staging.exists():
            shutil.rmtree(staging, ignore_errors=True)


def files_under(folder: Path) -> list[str]:
    """Every file and folder under `folder`, by path relative to it, sorted."""
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*"))


def write_manifest(folder: Path) -> None:
    """The list of what the run wrote into `folder`: what a later run may replace."""
    manifest = {"generator": MANIFEST_GENERATOR, "files": files_under(folder)}
    (folder / MANIFEST_FILE).write_bytes((json.dumps(manifest, indent=2) + "\n").encode("ascii"))


def listed_files(out: Path) -> set[str] | None:
    """The files the manifest of `out` lists; None when it has no sound manifest."""
    try:
        manifest = json.loads((out / MANIFEST_FILE).read_text(encoding="utf-8"))
        if manifest["generator"] != MANIFEST_GENERATOR:
            return None
        return {str(name) for name in manifest["files"]}
    except (OSError, ValueError, KeyError, TypeError):
        return None


def foreign_files(out: Path, legacy_names: Iterable[str]) -> list[str]:
    """What in `out` the pipeline did not write, and so must never replace: all of it when `out` holds no
    manifest, unless every file has a name an output written before manifests holds (`legacy_names`)."""
    present = [name for name in files_under(out) if name != MANIFEST_FILE]
    listed = listed_files(out)
    if listed is None:
        known = set(legacy_names)
        legacy = (out / "datapackage.json").is_file() and all(
            name in known or name == "quarantine" for name in present)
        listed = set(present) if legacy else set()
    return [name for name in present if name not in listed]


def check_writable(out: Path) -> None:
    """A folder can be made beside `out` (where the output is staged and swapped in): else a `UsageError`,
    found before any document is read. Nothing is left behind."""
    out = out.resolve()
    parent = out.parent
    while not parent.exists():
        parent = parent.parent
    probe = parent / f".{out.name}.probe-{os.getpid()}"
    try:
        probe.mkdir()
        probe.rmdir()
    except OSError as error:
        raise UsageError(f"--out {out} cannot be written ({error.strerror or error}: {parent}): choose an --out "
                         f"you may write") from error


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
