"""Shared helpers: running the pipeline as a user would, and reading what it wrote."""

from __future__ import annotations

import csv
import hashlib
import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from pipeline.cache import CACHE_ENV

ROOT = Path(__file__).resolve().parent.parent
RAW = ROOT / "raw"
FIXTURES = ROOT / "tests" / "fixtures"
SEED_PDF = RAW / "ocmw-samenwerking-met-dyzo.pdf"
SEED_ID = "ocmw-samenwerking-met-dyzo"


def run_pipeline(*args: str | Path, timeout: float = 300) -> subprocess.CompletedProcess[str]:
    """`python -m pipeline run ...` in a subprocess, as from the command line."""
    return subprocess.run(
        [sys.executable, "-m", "pipeline", "run", *map(str, args)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def tree_digest(folder: Path) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


@pytest.fixture(scope="session", autouse=True)
def shared_cache(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """One cache folder for every run of the session, never the repository's `.cache/`: later runs
    of the same PDFs take their results from it, as a data engineer's re-runs do. A test that must
    see documents read passes --no-cache."""
    folder = tmp_path_factory.mktemp("cache")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv(CACHE_ENV, str(folder))
        yield folder


@pytest.fixture(scope="session")
def seed_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[subprocess.CompletedProcess[str], Path]:
    """The pipeline run once on raw/ (the seed answer), into a temporary folder."""
    out = tmp_path_factory.mktemp("seed") / "output"
    result = run_pipeline("--raw", RAW, "--out", out, "--quiet")
    return result, out


@pytest.fixture(scope="session")
def seed_output(seed_run: tuple[subprocess.CompletedProcess[str], Path]) -> Path:
    return seed_run[1]


BAD = FIXTURES / "bad"


def input_folder(folder: Path, files: dict[str, Path]) -> Path:
    """A fresh input folder holding each source file under the given name."""
    folder.mkdir(parents=True)
    for name, source in files.items():
        (folder / name).write_bytes(source.read_bytes())
    return folder


def report_checks(out: Path, check: str | None = None) -> list[dict]:
    """The checks of a run's validation_report.json, optionally only those of one slug."""
    checks = json.loads((out / "validation_report.json").read_text(encoding="utf-8"))["checks"]
    return [c for c in checks if check is None or c["check"] == check]


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "fuzz: feeds hundreds of mangled PDFs through the pipeline (about a minute)")
