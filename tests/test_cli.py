"""The command line: exit statuses, one-line errors, documented commands, a fast --help."""

from __future__ import annotations

import subprocess
import sys

import pytest
from conftest import ROOT, run_pipeline

from pipeline.cli import build_parser


def test_help_does_not_import_the_heavy_libraries():
    code = (
        "import sys; from pipeline.cli import build_parser; build_parser().format_help(); "
        "print(sorted(m for m in ('pandas', 'pandera', 'pdfplumber', 'pyarrow') if m in sys.modules))"
    )
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"


def test_a_missing_input_folder_is_bad_usage(tmp_path):
    result = run_pipeline("--raw", tmp_path / "nowhere", "--out", tmp_path / "out")
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [
        f"error: input folder {tmp_path / 'nowhere'} does not exist: give the folder of answer PDFs with --raw"
    ]
    assert not (tmp_path / "out").exists()


def test_an_unknown_option_is_bad_usage(tmp_path):
    result = run_pipeline("--frobnicate")
    assert result.returncode == 2
    assert "unrecognized arguments: --frobnicate" in result.stderr


def test_a_folder_without_pdfs_is_bad_usage(tmp_path):
    (tmp_path / "notes.txt").write_text("not an answer")
    result = run_pipeline("--raw", tmp_path, "--out", tmp_path.parent / "out-empty")
    assert result.returncode == 2
    assert "no PDF files in" in result.stderr


def test_the_output_folder_may_not_overlap_the_input_folder(tmp_path):
    result = run_pipeline("--raw", ROOT / "raw", "--out", ROOT / "raw" / "output")
    assert result.returncode == 2
    assert "never written" in result.stderr
    assert not (ROOT / "raw" / "output").exists()


@pytest.mark.parametrize("command", ["run", "inspect", "docs"])
def test_every_command_is_documented_in_the_readme(command):
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert f"python -m pipeline {command}" in readme
    assert command in build_parser().format_help()


def test_every_run_option_is_documented_in_the_readme():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    run_parser = build_parser()._subparsers._group_actions[0].choices["run"]
    options = [o for action in run_parser._actions for o in action.option_strings if o.startswith("--")]
    missing = [o for o in options if o != "--help" and o not in readme]
    assert missing == []
