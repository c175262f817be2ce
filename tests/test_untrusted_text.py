"""Text from the PDF is data, never code: unchanged in CSV and Parquet, inert in the HTML report,
and a warning for every value a spreadsheet would run as a formula (`formula-like-text`).

`tests/fixtures/invalid/untrusted-text.pdf` holds the payloads (see its NOTES.md).
"""

from __future__ import annotations

from html.parser import HTMLParser

import pyarrow.parquet as pq
import pytest
from conftest import FIXTURES, read_csv, report_checks, run_pipeline

from pipeline.model import DocumentResult
from pipeline.profiles import profile_named
from pipeline.validate import validate
from pipeline.validate.formula import looks_like_formula

DATASETS = profile_named().published

UNTRUSTED = FIXTURES / "invalid" / "untrusted-text.pdf"
EXPECTED = FIXTURES / "expected-invalid" / "untrusted-text"
PAYLOADS = [
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    '=HYPERLINK("http://example.com","klik")',
    "+/- 20 maatschappelijk werkers",
    "@Dyzo (online)",
]


@pytest.fixture(scope="module")
def untrusted_output(tmp_path_factory):
    folder = tmp_path_factory.mktemp("untrusted")
    (folder / "raw").mkdir()
    (folder / "raw" / UNTRUSTED.name).write_bytes(UNTRUSTED.read_bytes())
    result = run_pipeline("--raw", folder / "raw", "--out", folder / "out", "--quiet")
    assert result.returncode == 0, result.stderr
    return folder / "out"


def test_the_payloads_come_out_of_the_csv_unchanged(untrusted_output):
    rows = read_csv(untrusted_output / "trainings.csv")
    columns = ["organiser", "target_group", "participants", "date_raw", "page"]
    assert [{c: r[c] for c in columns} for r in rows] == [
        {c: r[c] for c in columns} for r in read_csv(EXPECTED / "trainings.csv")]
    published = {r[c] for r in rows for c in ("organiser", "target_group")}
    assert set(PAYLOADS) <= published


def test_the_payloads_come_out_of_the_parquet_unchanged(untrusted_output):
    table = pq.read_table(untrusted_output / "trainings.parquet").to_pylist()
    assert [(r["organiser"], r["target_group"]) for r in table] == [
        (r["organiser"], r["target_group"]) for r in read_csv(untrusted_output / "trainings.csv")]
    cells = {r["text"] for r in pq.read_table(untrusted_output / "cells.parquet").to_pylist()}
    assert set(PAYLOADS) <= cells


class _Elements(HTMLParser):
    """Every element with its attributes, and all text, as a browser would parse them."""

    def __init__(self) -> None:
        super().__init__()
        self.elements: list[tuple[str, dict[str, str | None]]] = []
        self.script_text: list[str] = []
        self.text: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag, attrs):
        self.elements.append((tag, dict(attrs)))
        self._in_script = tag == "script"

    def handle_endtag(self, tag):
        self._in_script = False

    def handle_data(self, data):
        (self.script_text if self._in_script else self.text).append(data)


def test_nothing_from_the_pdf_runs_in_the_html_report(untrusted_output):
    page = _Elements()
    page.feed((untrusted_output / "validation_report.html").read_text(encoding="utf-8"))
    handlers = [(tag, name) for tag, attrs in page.elements for name in attrs if name.startswith("on")]
    assert handlers == []
    assert [attrs for tag, attrs in page.elements if tag == "img" and attrs.get("src") == "x"] == []
    assert not any("alert(1)" in text for text in page.script_text)
    # The values the report quotes are shown as the text they are.
    assert '=HYPERLINK("http://example.com","klik")' in "".join(page.text)


def test_the_report_warns_once_per_dataset_about_text_a_spreadsheet_would_run(untrusted_output):
    checks = {c["dataset"]: c for c in report_checks(untrusted_output, "formula-like-text")}
    assert sorted(checks) == ["cells", "trainings"]
    assert {c["status"] for c in checks.values()} == {"warn"}
    assert checks["trainings"]["message"] == (
        "3 values a spreadsheet would run as a formula, published unchanged: "
        "'=HYPERLINK(\"http://example.com\",\"klik\")' in organiser (page 2); "
        "'+/- 20 maatschappelijk werkers' in target_group (page 2); '@Dyzo (online)' in organiser (page 2): "
        "import the CSV with these columns as text")
    assert "'@Dyzo (online)' in text_raw, text (page 2)" in checks["cells"]["message"]


def test_the_seed_answer_has_no_formula_like_text(seed_output):
    assert report_checks(seed_output, "formula-like-text") == []


@pytest.mark.parametrize("text", [
    "=1+1", '=HYPERLINK("http://example.com","klik")', "@SUM(A1)", "+32 2 552 11 11", "+/- 20 werkers",
    "- eerste punt", "-2+3+cmd|' /C calc'!A0", "-A1", "+", "-5 dossiers",
])
def test_text_a_spreadsheet_would_run_looks_like_a_formula(text):
    assert looks_like_formula(text) == (text != "+")


@pytest.mark.parametrize("text", ["-5", "+12", "-1.250,50", "-0,5", "-", "--", "+/-", "OCMW Lier", "", " =1+1", "5-3"])
def test_a_signed_number_or_a_lone_sign_is_not_a_formula(text):
    assert not looks_like_formula(text)


def _result_with_cells(*texts: str) -> DocumentResult:
    document = {"document_id": "doc", "file_name": "doc.pdf", "sha256": "0" * 64, "pages": 1, "title": None,
                "status": "ok", "error": None, "question_number": None, "question_date": None}
    cells = [{"document_id": "doc", "table_id": "t1", "page": 1, "row": i + 1, "column": 1, "header": None,
              "text_raw": text, "text": text} for i, text in enumerate(texts)]
    return DocumentResult(document_id="doc", document=document, rows={"cells": cells})


def test_negative_numbers_raise_no_warning_but_a_dash_before_words_does():
    quiet = validate([_result_with_cells("-5", "-", "+3", "Lier")], DATASETS)
    assert [c for c in quiet.checks if c.check == "formula-like-text"] == []
    loud = validate([_result_with_cells("-5", "- zie bijlage", "@Dyzo")], DATASETS)
    [check] = [c for c in loud.checks if c.check == "formula-like-text"]
    assert (check.document_id, check.dataset, check.status, check.observed) == ("doc", "cells", "warn", "2 values")
    assert check.message.startswith(
        "2 values a spreadsheet would run as a formula, published unchanged: "
        "'- zie bijlage' in text_raw, text (page 1); '@Dyzo' in text_raw, text (page 1)")
