#!/usr/bin/env python3
"""Set-up and entry points for a fresh machine that has only Python 3.11+.

    python3 dev.py run  [pipeline options]   # the pipeline on raw/ into output/
    python3 dev.py test [pytest options]     # the whole test suite

Each command first makes sure `.venv/` holds the project and its test
dependencies at the versions pinned in `requirements.lock`; it reinstalls only
when `pyproject.toml` or the lock file changed.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
LOCK = ROOT / "requirements.lock"
MINIMUM_PYTHON = (3, 11)


def venv_python() -> Path:
    return VENV / ("Scripts/python.exe" if os.name == "nt" else "bin/python")


def install_stamp() -> Path:
    digest = hashlib.sha256((ROOT / "pyproject.toml").read_bytes() + LOCK.read_bytes()).hexdigest()[:16]
    return VENV / f".installed-{digest}"


def ensure_environment() -> Path:
    python = venv_python()
    if not python.exists():
        print("dev.py: creating .venv", file=sys.stderr)
        venv.EnvBuilder(with_pip=True, clear=True).create(VENV)
    stamp = install_stamp()
    if not stamp.exists():
        print("dev.py: installing the project and its pinned dependencies into .venv", file=sys.stderr)
        subprocess.run(
            [str(python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check",
             "-c", str(LOCK), "-e", f"{ROOT}[test]"],
            check=True,
        )
        for old in VENV.glob(".installed-*"):
            old.unlink()
        stamp.touch()
    return python


def main(argv: list[str]) -> int:
    if sys.version_info < MINIMUM_PYTHON:
        print(f"dev.py: Python {'.'.join(map(str, MINIMUM_PYTHON))} or newer is needed", file=sys.stderr)
        return 2
    if not argv or argv[0] not in ("run", "test"):
        print(__doc__.strip(), file=sys.stderr)
        return 2
    command, rest = argv[0], argv[1:]
    try:
        python = ensure_environment()
    except subprocess.CalledProcessError as exc:
        print(f"dev.py: set-up failed (exit {exc.returncode}); see the messages above", file=sys.stderr)
        return 1
    arguments = ["-m", "pipeline", "run", *rest] if command == "run" else ["-m", "pytest", *rest]
    return subprocess.run([str(python), *arguments], cwd=ROOT).returncode


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
