"""The command line: exit statuses, one-line errors, documented commands, a fast --help."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import FIXTURES, ROOT, SEED_PDF, input_folder, run_pipeline

from pipeline import __version__
from pipeline.cli import build_parser, subcommand_parser
from pipeline.publish.publishing import load_publishing, placeholders


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


def pipeline_command(*args: str | Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """`python -m pipeline ARGS` in a subprocess, any command."""
    return subprocess.run([sys.executable, "-m", "pipeline", *map(str, args)], cwd=ROOT, capture_output=True,
                          text=True, timeout=300, env={**os.environ, **(env or {})})


@pytest.mark.parametrize("command", [[], ["run"], ["inspect"], ["docs"]])
def test_every_command_tells_its_version(command):
    result = pipeline_command(*command, "--version")
    assert (result.returncode, result.stdout) == (0, f"python -m pipeline {__version__}\n")


@pytest.mark.parametrize("command", [None, "run", "inspect", "docs"])
def test_every_command_lists_its_exit_statuses_in_its_help(command):
    parser = build_parser()
    help_text = (subcommand_parser(parser, command) if command else parser).format_help()
    statuses = re.findall(r"^  (\d+) ", help_text[help_text.index("exit status:"):], flags=re.MULTILINE)
    assert statuses == ["0", "1", "2", "130"]


def test_the_contract_and_the_readme_name_every_exit_status_of_run():
    for document in (ROOT / "docs" / "CONTRACT.md", ROOT / "README.md"):
        text = document.read_text(encoding="utf-8")
        assert all(f"`{status}`" in text for status in ("0", "1", "2", "130")), document.name


@pytest.mark.parametrize(("command", "option"), [("run", "--ouput"), ("inspect", "--stages"), ("docs", "--chek")])
def test_a_mistyped_option_prints_the_usage_of_its_command(command, option):
    result = pipeline_command(command, *(["raw/x.pdf"] if command == "inspect" else []), option, "x")
    assert result.returncode == 2
    assert result.stderr.startswith(f"usage: python -m pipeline {command} ")
    assert result.stderr.strip().splitlines()[-1] == (
        f"python -m pipeline {command}: error: unrecognized arguments: {option} x")


@pytest.mark.parametrize(("path", "args", "message"), [
    ("nowhere.pdf", [], "error: nowhere.pdf does not exist: give the path of an answer PDF"),
    ("raw", [], "error: raw is not a file: give the path of an answer PDF"),
    ("tests/fixtures/bad/empty.pdf", [], "error: tests/fixtures/bad/empty.pdf: the file is empty: download it again"),
    ("tests/fixtures/bad/word-document.pdf", ["--stage", "extract"],
     "error: tests/fixtures/bad/word-document.pdf: the file is not a PDF (a ZIP archive, e.g. a Word .docx): "
     "download or export the answer as PDF"),
    (str(SEED_PDF.relative_to(ROOT)), ["--image", "6"], f"error: --image 6: {SEED_PDF.relative_to(ROOT)} has pages 1 to 5"),
    (str(SEED_PDF.relative_to(ROOT)), ["--output", "x.png"], "error: --output is where --image writes: give --image PAGE too"),
    ("tests/fixtures/bad/scanned.pdf", [], "error: tests/fixtures/bad/scanned.pdf: no text layer: run OCR first, e.g. ocrmypdf"),
])
def test_a_mistake_in_what_inspect_is_given_is_bad_usage(path, args, message):
    result = pipeline_command("inspect", path, *args)
    assert (result.returncode, result.stderr.splitlines(), result.stdout) == (2, [message], "")


def test_inspect_image_draws_the_tables_rows_cells_and_paragraphs_of_a_page(tmp_path):
    from PIL import Image

    from pipeline.extract.pdf import read_document
    from pipeline.inspect_view import IMAGE_DPI, STYLES
    from pipeline.settings import Settings

    out = tmp_path / "page-3.png"
    result = pipeline_command("inspect", SEED_PDF, "--image", "3", "--output", out)
    assert result.returncode == 0, result.stderr
    # Page 3 of the seed answer: the end of the agreements table and the start of the trainings
    # table, with the paragraph that introduces the trainings between them.
    assert result.stderr.startswith(f"wrote {out}: page 3 with 2 tables, 46 rows, 100 cells, 1 paragraph, ")
    image = Image.open(out).convert("RGB")
    page = read_document(SEED_PDF, Settings()).pages[2]
    scale = IMAGE_DPI / 72
    assert abs(image.size[0] - page.width * scale) < 1 and abs(image.size[1] - page.height * scale) < 1
    for table in page.tables:  # each table's outline is drawn in the table colour
        x = round((table.box.x0 + table.box.x1) / 2 * scale)
        column = [image.getpixel((x, y)) for y in range(round(table.box.top * scale) - 2, round(table.box.top * scale) + 3)]
        assert STYLES["table"].stroke in column


def test_the_default_image_name_is_made_from_the_document_id(tmp_path):
    hostile = tmp_path / "Ån$wer; rm -rf.pdf"
    hostile.write_bytes(SEED_PDF.read_bytes())
    result = subprocess.run([sys.executable, "-m", "pipeline", "inspect", str(hostile), "--image", "1"], cwd=tmp_path,
                            capture_output=True, text=True, timeout=300,
                            env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert result.returncode == 0, result.stderr
    assert [p.name for p in tmp_path.glob("*.png")] == ["an-wer-rm-rf-page-1.png"]


# --- what a run says in the terminal -----------------------------------------------------------


@pytest.fixture(scope="module")
def failing_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[subprocess.CompletedProcess[str], Path, Path]:
    """A run on one answer whose `Totaal` row disagrees with its rows, with --json, not quiet."""
    raw = input_folder(tmp_path_factory.mktemp("failing") / "raw", {"totaal.pdf": FIXTURES / "invalid" / "totaal-mismatch.pdf"})
    out = raw.parent / "out"
    return pipeline_command("run", "--raw", raw, "--out", out, "--json"), raw, out


def test_a_failed_check_is_named_on_stderr_before_the_summary(failing_run):
    result, _, out = failing_run
    assert result.returncode == 1
    lines = result.stderr.splitlines()
    failed = [line for line in lines if line.startswith("failed: ")]
    assert failed == ["failed: totaal: trainings: declared-total, page 2: the answer states 120 (page 2: "
                      "'Totaal | 120'); sum of participants: 112"]
    summary = lines[-1]
    assert lines.index(failed[0]) == len(lines) - 2
    n_placeholders = len(placeholders(load_publishing()))
    assert summary.startswith(f"1 document, 0 unreadable; checks: 1 failed, {n_placeholders} warnings; ")


def test_the_json_summary_parses_and_says_what_the_terminal_says(failing_run):
    result, raw, out = failing_run
    summary = json.loads(result.stdout)
    assert (summary["exit_code"], summary["documents"], summary["unreadable"]) == (1, 1, [])
    assert summary["checks"] == {"failed": 1, "warned": len(placeholders(load_publishing()))}
    (failure,) = [p for p in summary["problems"] if p["status"] == "fail"]
    assert failure == {"document_id": "totaal", "dataset": "trainings", "check": "declared-total", "status": "fail",
                       "page": 2, "message": "the answer states 120 (page 2: 'Totaal | 120'); sum of participants: 112"}
    assert [p["setting"] for p in summary["placeholders"]] == [p.key for p in placeholders(load_publishing())]
    report = json.loads((out / "validation_report.json").read_text(encoding="utf-8"))
    assert len(summary["problems"]) == sum(c["status"] != "pass" for c in report["checks"])


def test_a_run_with_nothing_new_names_the_same_failed_checks(failing_run):
    first, raw, out = failing_run
    again = pipeline_command("run", "--raw", raw, "--out", out, "--json")
    assert "is up to date" in again.stderr and again.returncode == first.returncode
    failed = [line for line in again.stderr.splitlines() if line.startswith("failed: ")]
    assert failed == [line for line in first.stderr.splitlines() if line.startswith("failed: ")]
    assert json.loads(again.stdout)["problems"] == json.loads(first.stdout)["problems"]


def test_json_says_why_a_run_did_not_start(tmp_path):
    result = pipeline_command("run", "--raw", tmp_path / "nowhere", "--out", tmp_path / "out", "--json")
    assert result.returncode == 2
    assert json.loads(result.stdout)["exit_code"] == 2
    assert "does not exist" in json.loads(result.stdout)["error"]

