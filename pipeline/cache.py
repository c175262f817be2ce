"""The cache: a re-run reads only the PDFs it has not read before, and does nothing when nothing changed.

What one document yields (its `DocumentResult`, pictures included) depends only on
the PDF's bytes, the pipeline's code, the libraries that read, draw and write, and
the settings. `ResultCache` keys each result by all of them: the SHA-256 of the
PDF and an `environment_fingerprint` (pipeline version, a hash of every file of the
`pipeline` and `schemas` packages, so that editing a rule invalidates without a
version bump, the libraries' versions) with `Settings.key()`. Entries are keyed by
content, not by name: a renamed or copied PDF is found again, and is relabelled
with its current file name and document_id.

The cache is an optimisation and nothing more, and it never runs code: entries are JSON
(`to_plain`/`from_plain`: dataclasses of `pipeline.model` by name, dates and tuples tagged),
never pickle. Each file is sealed with an HMAC-SHA256 whose key is made on first use and kept
in the cache folder, owner-only (`key`, 0600; folders 0700): an entry that is damaged, not
what its name says, planted or forged by someone without the key is ignored, rebuilt and
reported (`ResultCache.warnings`). A key or folder that others own or may read is not used
at all. A cache folder that cannot be written costs speed, never the run. Entries are
written to a temporary file and renamed into place, so that no run ever sees half of one.
Results that depend on the machine or on a bug (`timeout`, a memory limit, `internal-error`,
a file that could not be read) are not cached.

Beside the results, the cache keeps one record per output folder: what the last
run into it was made from, wrote and returned. When the inputs, the code, the settings
and the publishing settings are what they were and the output folder is still
byte for byte what that run wrote, a new run would write the same bytes (the
reports aside, which would only carry a later time), so it writes nothing.

    <cache folder>/key                                   the secret the files are sealed with (0600)
    <cache folder>/documents/<key[:2]>/<key>.json        one document's result
    <cache folder>/runs/<hash of the output folder's path>.json   the last run into that folder
"""

from __future__ import annotations

import base64
import dataclasses
import datetime as dt
import functools
import hashlib
import hmac
import json
import os
import platform
import re
import secrets
import stat
import sys
import tempfile
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import pipeline
import schemas
from pipeline import model
from pipeline.model import DocumentResult, document_id_for
from pipeline.settings import Settings

CACHE_ENV = "PIPELINE_CACHE_DIR"
DEFAULT_CACHE_DIR = Path(".cache") / "flemish-answers"
# The pipeline's own code and data (the municipality register is in `pipeline/reference/`).
FINGERPRINTED_PACKAGES = (Path(pipeline.__file__).parent, Path(schemas.__file__).parent)
# What reads and draws the PDFs changes the results; what writes the files changes the output.
FINGERPRINTED_LIBRARIES = ("pdfplumber", "pdfminer.six", "pypdfium2", "pillow", "pandas", "pandera", "pyarrow", "numpy",
                           "rdflib")
# Results that say something about this machine or this code's bugs, not about the PDF.
UNCACHEABLE_ERRORS = frozenset({"timeout", "memory-limit", "worker-died", "internal-error", "unreadable-file"})


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
    for library, version in installed_versions(FINGERPRINTED_LIBRARIES).items():
        digest.update(f"{library} {version}\n".encode())
    return digest.hexdigest()


def installed_versions(libraries: Sequence[str]) -> dict[str, str]:
    """Each library's installed version ("absent" when it is not installed).

    Read from the name of its `{name}-{version}.dist-info` folder, which every installer writes, in
    the first `sys.path` entry that has one (as imports find it): a listing of each entry instead
    of `importlib.metadata` parsing a METADATA file per library, which costs a re-run with nothing
    new a third of its time. A library installed otherwise is asked of `importlib.metadata`.
    """
    wanted = {_project_key(library): library for library in libraries}
    found: dict[str, str] = {}
    for entry in sys.path:
        try:
            names = os.listdir(entry or ".")
        except OSError:
            continue
        for name in names:
            if not name.endswith(".dist-info"):
                continue
            project, dash, version = name.removesuffix(".dist-info").partition("-")
            library = wanted.get(_project_key(project))
            if dash and library is not None and library not in found:
                found[library] = version
    return {library: found.get(library) or _metadata_version(library) for library in libraries}


def _project_key(name: str) -> str:
    """A project's name as Python packaging compares them (`pdfminer_six` is `pdfminer.six`)."""
    return re.sub(r"[-_.]+", "-", name).lower()


def _metadata_version(library: str) -> str:
    from importlib.metadata import PackageNotFoundError, version

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
    """`data` as the file `path` (owner-only), all or nothing: a reader sees the old file, the new one or none."""
    private_folder(path.parent)
    handle = tempfile.NamedTemporaryFile(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp", delete=False)
    try:
        with handle:
            handle.write(data)
        os.replace(handle.name, path)
    except BaseException:
        Path(handle.name).unlink(missing_ok=True)
        raise


def private_folder(folder: Path) -> None:
    """`folder`, and any missing parent, made owner-only (0700) whatever the umask. An existing folder
    is left as it is (it may be the user's own, such as `~/.cache`): what is in it is sealed."""
    if folder.is_dir():
        return
    private_folder(folder.parent)
    try:
        folder.mkdir(mode=0o700)
    except FileExistsError:
        if not folder.is_dir():
            raise


# --- results as plain JSON -------------------------------------------------------------------
#
# A result is stored as JSON, which holds data only: loading an entry can never run code, as
# unpickling can. What JSON lacks is tagged: {"$tuple": [...]}, {"$date": "2014-01-13"},
# {"$bytes": "<base64>"} (a picture's PNG),
# {"$map": [[key, value], ...]} for a dict whose keys are not all text, and
# {"$type": "Repair", "fields": {...}} for the dataclasses of `pipeline.model`, the only
# classes an entry can name.

MODEL_TYPES: dict[str, type] = {
    name: value for name, value in vars(model).items() if isinstance(value, type) and dataclasses.is_dataclass(value)
}


def to_plain(value: Any) -> Any:
    """`value` as JSON-ready data with type tags; TypeError for what a result never holds."""
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, list):
        return [to_plain(v) for v in value]
    if isinstance(value, tuple):
        return {"$tuple": [to_plain(v) for v in value]}
    if isinstance(value, bytes):  # a picture's PNG
        return {"$bytes": base64.b64encode(value).decode("ascii")}
    if isinstance(value, dt.datetime):
        return {"$datetime": value.isoformat()}
    if isinstance(value, dt.date):
        return {"$date": value.isoformat()}
    if isinstance(value, dict):
        if all(isinstance(k, str) and not k.startswith("$") for k in value):
            return {k: to_plain(v) for k, v in value.items()}
        return {"$map": [[to_plain(k), to_plain(v)] for k, v in value.items()]}
    if dataclasses.is_dataclass(value) and MODEL_TYPES.get(type(value).__name__) is type(value):
        return {"$type": type(value).__name__,
                "fields": {f.name: to_plain(getattr(value, f.name)) for f in dataclasses.fields(value)}}
    raise TypeError(f"a {type(value).__name__} cannot be cached")


def from_plain(data: Any) -> Any:
    """The value `to_plain` made `data` from; TypeError or ValueError for anything it never makes."""
    if data is None or isinstance(data, (bool, int, float, str)):
        return data
    if isinstance(data, list):
        return [from_plain(v) for v in data]
    if not isinstance(data, dict):
        raise TypeError(f"unexpected {type(data).__name__}")
    if "$type" in data:
        cls = MODEL_TYPES[data["$type"]]
        return cls(**{name: from_plain(v) for name, v in data["fields"].items()})
    if "$tuple" in data:
        return tuple(from_plain(v) for v in data["$tuple"])
    if "$bytes" in data:
        return base64.b64decode(data["$bytes"], validate=True)
    if "$date" in data:
        return dt.date.fromisoformat(data["$date"])
    if "$datetime" in data:
        return dt.datetime.fromisoformat(data["$datetime"])
    if "$map" in data:
        return {from_plain(k): from_plain(v) for k, v in data["$map"]}
    return {k: from_plain(v) for k, v in data.items()}


# --- sealed files: an entry the cache did not write is never trusted ---------------------------

KEY_FILE = "key"
KEY_BYTES = 32


class UntrustedCache(Exception):
    """The cache folder cannot be used safely or at all; the message says why."""


def cache_secret(folder: Path) -> bytes:
    """The cache's own secret key, made on first use: owner-only (0600) in an owner-only folder (0700).

    Entries are sealed with it, so an entry planted or forged by someone who can write to the folder
    but not read the key is recognised as foreign. A key others may read or write is no secret.
    """
    try:
        private_folder(folder)
        path = folder / KEY_FILE
        if not path.exists():
            draft = folder / f".{KEY_FILE}.{os.getpid()}.tmp"
            descriptor = os.open(draft, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(descriptor, "wb") as handle:
                handle.write(secrets.token_bytes(KEY_BYTES))
            try:
                os.link(draft, path)  # never replaces a key another run made meanwhile
            except FileExistsError:
                pass
            finally:
                draft.unlink()
        info = path.stat()
        folder_info = folder.stat()
    except OSError as error:
        raise UntrustedCache(f"it cannot be written ({error.strerror or error})") from error
    if info.st_uid != os.getuid() or stat.S_IMODE(info.st_mode) & 0o077 or folder_info.st_uid != os.getuid():
        raise UntrustedCache(f"its key {path} is not owned by you with mode 0600, so others may have written "
                             f"entries: delete the folder, or choose another --cache-dir")
    secret = path.read_bytes()
    if len(secret) != KEY_BYTES:
        raise UntrustedCache(f"its key {path} is damaged: delete the folder, or choose another --cache-dir")
    return secret


def seal(secret: bytes, name: str, payload: bytes) -> bytes:
    """The file's bytes: the HMAC-SHA256 of the entry's name and payload, a line break, the payload."""
    mac = hmac.new(secret, name.encode() + b"\n" + payload, hashlib.sha256).hexdigest()
    return mac.encode("ascii") + b"\n" + payload


def unseal(secret: bytes, name: str, data: bytes) -> bytes:
    """The payload of a file `seal` made for `name` with `secret`; ValueError for any other bytes."""
    mac, _, payload = data.partition(b"\n")
    expected = hmac.new(secret, name.encode() + b"\n" + payload, hashlib.sha256).hexdigest().encode("ascii")
    if not hmac.compare_digest(mac, expected):
        raise ValueError("its seal does not match: damaged, or not written by this cache")
    return payload


# --- per-document results -------------------------------------------------------------------


class ResultCache:
    """Results of documents read before, by the SHA-256 of their bytes, for one set of settings.

    An entry that is there but damaged or foreign is ignored (the PDF is read again and the entry
    rewritten) and reported in `warnings`, as is a cache folder that cannot be used at all.
    """

    def __init__(self, folder: Path, settings: Settings) -> None:
        self.folder = folder
        self.basis = f"{environment_fingerprint()}\n{settings.key()}"
        self.warnings: list[str] = []
        self.store_failed = False
        try:
            self.secret: bytes | None = cache_secret(folder)
        except UntrustedCache as problem:
            self.secret = None
            self.warnings.append(f"the cache folder {folder} is not used, every PDF is read: {problem}")

    def key(self, sha256: str) -> str:
        return hashlib.sha256(f"{self.basis}\n{sha256}".encode()).hexdigest()

    def entry_path(self, key: str) -> Path:
        return self.folder / "documents" / key[:2] / f"{key}.json"

    def read_sealed(self, path: Path, name: str, what: str) -> Any:
        """The JSON data of a sealed file; None when there is none, or when it cannot be trusted (reported)."""
        if self.secret is None:
            return None
        try:
            data = path.read_bytes()
        except FileNotFoundError:
            return None
        except OSError as error:
            self.warnings.append(f"{what} {path} cannot be read ({error.strerror or error}): ignored")
            return None
        try:
            return json.loads(unseal(self.secret, name, data))
        except ValueError as error:
            self.warnings.append(f"{what} {path} is ignored and rebuilt: {error}")
            return None

    def write_sealed(self, path: Path, name: str, data: Any) -> None:
        if self.secret is None:
            return
        # ASCII with escapes: a file name that is not UTF-8 (surrogates) is kept exactly.
        payload = json.dumps(data, separators=(",", ":")).encode("ascii")
        write_atomically(path, seal(self.secret, name, payload))

    def load(self, path: Path, sha256: str) -> DocumentResult | None:
        """The cached result of `path`'s bytes, relabelled with its name; None when there is none to trust."""
        key = self.key(sha256)
        entry = self.entry_path(key)
        data = self.read_sealed(entry, key, f"the cache entry for {path.name}")
        if data is None:
            return None
        try:
            result = from_plain(data)
        except (KeyError, TypeError, ValueError) as error:
            self.warnings.append(f"the cache entry for {path.name} {entry} is ignored and rebuilt: it does not hold "
                                 f"a result ({type(error).__name__})")
            return None
        if not isinstance(result, DocumentResult):
            self.warnings.append(f"the cache entry for {path.name} {entry} is ignored and rebuilt: it does not hold "
                                 f"a result")
            return None
        return relabelled(result, path)

    def store(self, result: DocumentResult) -> None:
        if not is_cacheable(result):
            return
        key = self.key(result.document["sha256"])
        try:
            self.write_sealed(self.entry_path(key), key, to_plain(result))
        except (OSError, TypeError, ValueError) as error:  # a full disk, or a value JSON cannot hold
            # Slower next time, never wrong: said once a run, so that a cache that stores nothing is seen.
            if not self.store_failed:
                self.store_failed = True
                self.warnings.append(f"a result could not be kept in the cache {self.folder} "
                                     f"({type(error).__name__}: {error}): such documents are read again next time")

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
        path = self.record_path(out)
        record = self.read_sealed(path, path.stem, "the record of the last run")
        try:
            if record is None or record["state"] != state or record["output"] != tree_digest(out):
                return None
            outcome = record["outcome"]
        except Exception:  # noqa: BLE001 - of another layout, or the folder is unreadable: no record
            return None
        return outcome if isinstance(outcome, dict) else None

    def record_run(self, out: Path, state: str, outcome: Mapping[str, Any]) -> None:
        """Remember what the run that just wrote `out` was made from, what it wrote and what it returned."""
        path = self.record_path(out)
        try:
            self.write_sealed(path, path.stem, {"state": state, "output": tree_digest(out), "outcome": dict(outcome)})
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
