"""The cache: a re-run reads only the PDFs it has not read before, and does nothing when nothing changed.

What one document yields (its `DocumentResult`, pictures included) depends only on
the PDF's bytes, the pipeline's code, the libraries that read, draw and write, and
the settings. `ResultCache` keys each result by all of them: the SHA-256 of the
PDF and an `environment_fingerprint` (pipeline version, a hash of every file of the
`pipeline` and `schemas` packages, so that editing a rule invalidates without a
version bump, the libraries' versions) with `Settings.key()`. Entries are keyed by
content, not by name: a renamed or copied PDF is found again, and is relabelled
with its current file name and document_id.

The cache is an optimisation and nothing more. An entry that cannot be read, does
not unpickle, or is not what its name says (the key is stored inside it and
checked) is ignored and replaced; a cache folder that cannot be written costs
speed, never the run. Entries are written to a temporary file and renamed into
place, so that no run ever sees half of one. Results that depend on the machine or
on a bug (`timeout`, `internal-error`, a file that could not be read) are not
cached. Pickle runs what an entry tells it to: the cache folder must be trusted
like the code, so point it only at a folder no one else can write.

Beside the results, the cache keeps one record per output folder: what the last
run into it was made from, wrote and returned. When the inputs, the code, the settings
and the publishing settings are what they were and the output folder is still
byte for byte what that run wrote, a new run would write the same bytes (the
reports aside, which would only carry a later time), so it writes nothing.

    <cache folder>/documents/<key[:2]>/<key>.pickle   one document's result
    <cache folder>/runs/<hash of the output folder's path>.json   the last run into that folder
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import json
import os
import pickle
import platform
import tempfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

import pipeline
import schemas
from pipeline.model import DocumentResult
from pipeline.process import document_id_for
from pipeline.settings import Settings

CACHE_ENV = "PIPELINE_CACHE_DIR"
DEFAULT_CACHE_DIR = Path(".cache") / "flemish-answers"
# The pipeline's own code and data (the municipality register is in `pipeline/reference/`).
FINGERPRINTED_PACKAGES = (Path(pipeline.__file__).parent, Path(schemas.__file__).parent)
# What reads and draws the PDFs changes the results; what writes the files changes the output.
FINGERPRINTED_LIBRARIES = ("pdfplumber", "pdfminer.six", "pypdfium2", "pillow", "pandas", "pandera", "pyarrow", "numpy",
                           "rdflib")
# Results that say something about this machine or this code's bugs, not about the PDF.
UNCACHEABLE_ERRORS = frozenset({"timeout", "internal-error", "unreadable-file"})


def default_cache_dir() -> Path:
    return Path(os.environ.get(CACHE_ENV) or DEFAULT_CACHE_DIR)


@functools.cache
def environment_fingerprint() -> str:
    """The pipeline's version, the bytes of its source and data files, and the libraries' versions."""
    digest = hashlib.sha256(f"pipeline {pipeline.__version__}\npython {platform.python_version()}\n".encode())
    for root in FINGERPRINTED_PACKAGES:
        for path in sorted(p for p in root.rglob("*") if p.is_file() and "__pycache__" not in p.parts):
            content = path.read_bytes()
            digest.update(f"{root.name}/{path.relative_to(root).as_posix()} {len(content)}\n".encode())
            digest.update(content)
    for library in FINGERPRINTED_LIBRARIES:
        digest.update(f"{library} {_installed_version(library)}\n".encode())
    return digest.hexdigest()


def _installed_version(library: str) -> str:
    try:
        return version(library)
    except PackageNotFoundError:
        return "absent"


def file_sha256(path: Path) -> str | None:
    """The file's SHA-256, or None when it cannot be read (it is then read, and fails, as usual)."""
    try:
        with path.open("rb") as handle:
            return hashlib.file_digest(handle, "sha256").hexdigest()
    except OSError:
        return None


def is_cacheable(result: DocumentResult) -> bool:
    return result.document.get("sha256") is not None and result.error_slug not in UNCACHEABLE_ERRORS


def relabelled(result: DocumentResult, path: Path) -> DocumentResult:
    """The result of the same bytes under another name: file name and document_id are the current file's."""
    if result.document["file_name"] == path.name:
        return result
    document_id = document_id_for(path.name)
    return dataclasses.replace(
        result,
        document_id=document_id,
        document={**result.document, "document_id": document_id, "file_name": path.name},
        rows={dataset: [{**row, "document_id": document_id} for row in rows] for dataset, rows in result.rows.items()},
    )


def write_atomically(path: Path, data: bytes) -> None:
    """`data` as the file `path`, all or nothing: a reader sees the old file, the new one or none."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle = tempfile.NamedTemporaryFile(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp", delete=False)
    try:
        with handle:
            handle.write(data)
        os.replace(handle.name, path)
    except BaseException:
        Path(handle.name).unlink(missing_ok=True)
        raise


# --- per-document results -------------------------------------------------------------------


@dataclass(frozen=True)
class CacheEntry:
    key: str  # checked on load: a file renamed or copied into another entry's place is not trusted
    result: DocumentResult


class ResultCache:
    """Results of documents read before, by the SHA-256 of their bytes, for one set of settings."""

    def __init__(self, folder: Path, settings: Settings) -> None:
        self.folder = folder
        self.basis = f"{environment_fingerprint()}\n{settings.key()}"

    def key(self, sha256: str) -> str:
        return hashlib.sha256(f"{self.basis}\n{sha256}".encode()).hexdigest()

    def entry_path(self, key: str) -> Path:
        return self.folder / "documents" / key[:2] / f"{key}.pickle"

    def load(self, path: Path, sha256: str) -> DocumentResult | None:
        """The cached result of `path`'s bytes, relabelled with its name; None when there is none to trust."""
        key = self.key(sha256)
        try:
            entry = pickle.loads(self.entry_path(key).read_bytes())
        except Exception:  # noqa: BLE001 - missing, truncated, garbled, of a class now gone: no entry to trust
            return None
        if not (isinstance(entry, CacheEntry) and entry.key == key and isinstance(entry.result, DocumentResult)):
            return None
        return relabelled(entry.result, path)

    def store(self, result: DocumentResult) -> None:
        if not is_cacheable(result):
            return
        key = self.key(result.document["sha256"])
        try:
            write_atomically(self.entry_path(key), pickle.dumps(CacheEntry(key, result), pickle.HIGHEST_PROTOCOL))
        except OSError:  # a full or read-only disk makes the next run slower, not this one fail
            pass

    # --- the last run into an output folder ---------------------------------------------------

    def record_path(self, out: Path) -> Path:
        name = hashlib.sha256(str(out.resolve()).encode("utf-8", "surrogateescape")).hexdigest()[:32]
        return self.folder / "runs" / f"{name}.json"

    def run_state(self, inputs: Sequence[tuple[str, str | None]], publishing: str) -> str:
        """Everything a run's output is made from: the input files (name and bytes), the code and
        libraries, the settings, and the publishing settings."""
        text = json.dumps({"inputs": sorted(inputs), "basis": self.basis, "publishing": publishing})
        return hashlib.sha256(text.encode("utf-8", "surrogateescape")).hexdigest()

    def last_run(self, out: Path, state: str) -> dict[str, Any] | None:
        """What the last run into `out` returned, if it was made from `state` and `out` is still byte for
        byte what it wrote; else None."""
        try:
            record = json.loads(self.record_path(out).read_text(encoding="utf-8"))
            if record["state"] != state or record["output"] != tree_digest(out):
                return None
            outcome = record["outcome"]
        except Exception:  # noqa: BLE001 - missing, damaged or of another layout: no record
            return None
        return outcome if isinstance(outcome, dict) else None

    def record_run(self, out: Path, state: str, outcome: Mapping[str, Any]) -> None:
        """Remember what the run that just wrote `out` was made from, what it wrote and what it returned."""
        try:
            record = {"state": state, "output": tree_digest(out), "outcome": dict(outcome)}
            write_atomically(self.record_path(out), json.dumps(record).encode("ascii"))
        except OSError:  # without a record the next run does its work again: slower, not wrong
            pass

    def forget_run(self, out: Path) -> None:
        """The last run cannot be repeated by skipping it (a document timed out): no record of it."""
        try:
            self.record_path(out).unlink(missing_ok=True)
        except OSError:
            pass


def tree_digest(folder: Path) -> dict[str, str]:
    """SHA-256 of every file under `folder`, by path relative to it; empty when there is no folder."""
    digests = {}
    for path in sorted(folder.rglob("*")):
        if path.is_file():
            with path.open("rb") as handle:
                digests[path.relative_to(folder).as_posix()] = hashlib.file_digest(handle, "sha256").hexdigest()
    return digests
