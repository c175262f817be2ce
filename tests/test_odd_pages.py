"""Pages turned, hidden from a parser, oversized, or inflating to gigabytes: nothing is lost silently.

The inputs are in tests/fixtures/odd/, made from the seed answer by make_odd_pages.py (whose
docstring lists each). A turned page is read in the orientation in which its text reads, so
its rows are the seed's own; what cannot be read is a warning or the document's error.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import FIXTURES, SEED_PDF, input_folder, read_csv, run_pipeline

from pipeline.errors import DocumentError
from pipeline.extract.limits import OUTPUT_PIECE, _inflated_size, check_content_size
from pipeline.extract.pdf import read_document
from pipeline.process import process
from pipeline.settings import DEFAULT_MAX_CONTENT_BYTES, Settings

ODD = FIXTURES / "odd"
READERS = ("pdfium", "pdfplumber")


def rows_without_id(path: Path, reader: str) -> dict[str, list[dict]]:
    result = process(path, Settings(reader=reader))
    assert result.document["status"] == "ok", result.document["error"]
    return {dataset: [{k: v for k, v in row.items() if k != "document_id"} for row in rows]
            for dataset, rows in result.rows.items()}


@pytest.fixture(scope="module")
def seed_rows() -> dict[str, list[dict]]:
    return rows_without_id(SEED_PDF, "pdfium")


@pytest.mark.parametrize("reader", READERS)
@pytest.mark.parametrize("name", ["rotate-90-page-2", "rotate-90-every-page", "drawn-sideways"])
def test_a_turned_page_is_read_in_its_reading_orientation(name, reader, seed_rows):
    rows = rows_without_id(ODD / f"{name}.pdf", reader)
    assert len(rows["agreements"]) == 89
    assert rows == seed_rows


@pytest.mark.parametrize("reader", READERS)
def test_a_turned_page_keeps_its_reading_size(reader):
    pages = read_document(ODD / "drawn-sideways.pdf", Settings(reader=reader)).pages
    seed_pages = read_document(SEED_PDF, Settings(reader=reader)).pages
    assert [(round(p.width), round(p.height)) for p in pages] == [(595, 842)] * 5
    assert [line.text for line in pages[1].lines] == [line.text for line in seed_pages[1].lines]
    # Drawn a quarter turn to the left: read after a quarter turn to the right of the page's own space.
    assert [p.turns for p in pages] == [1] * 5


@pytest.mark.parametrize("reader", READERS)
def test_a_page_shown_turned_but_written_upright_is_read_unturned(reader):
    """/Rotate 90 only turns the page in a viewer: its text reads in the page's own space."""
    pages = read_document(ODD / "rotate-90-page-2.pdf", Settings(reader=reader)).pages
    assert [p.turns for p in pages] == [0] * 5
    assert [(round(p.width), round(p.height)) for p in pages] == [(595, 842)] * 5


@pytest.mark.parametrize("reader", READERS)
def test_a_page_in_the_page_tree_that_cannot_be_read_is_flagged(reader, seed_rows):
    result = process(ODD / "page-3-mistyped.pdf", Settings(reader=reader))
    assert result.document["status"] == "ok"
    flagged = [(f.check, f.status, f.expected, f.observed) for f in result.findings if f.check == "pages-read"]
    assert flagged == [("pages-read", "warn", "3 pages read", "2 pages read")]
    message = next(f.message for f in result.findings if f.check == "pages-read")
    assert message.startswith("page 3 of the PDF could not be read, so their rows are missing")
    seed_first_pages = [row for row in seed_rows["agreements"] if row["page"] <= 2]
    assert [{k: v for k, v in row.items() if k != "document_id"} for row in result.rows["agreements"]] == (
        seed_first_pages)


@pytest.mark.parametrize("reader", READERS)
def test_a_page_of_200_by_200_inches_is_the_documents_error(reader):
    with pytest.raises(DocumentError) as error:
        read_document(ODD / "huge-page.pdf", Settings(reader=reader))
    assert error.value.slug == "page-too-large"
    assert error.value.message == ("page 1 is 14400 x 14400 pt, over the 5000 pt that any paper size fits in: check "
                                   "the PDF's MediaBox, or raise the max_page_points setting")


@pytest.mark.parametrize("reader", READERS)
def test_a_content_stream_bomb_is_the_documents_error(reader):
    with pytest.raises(DocumentError) as error:
        read_document(ODD / "content-bomb.pdf", Settings(reader=reader))
    assert error.value.slug == "content-too-large"
    assert error.value.message.startswith("its compressed streams inflate to more than 256 MB, which no answer needs")


def test_inflating_stops_just_past_the_allowance():
    """The bomb inflates to 1 GiB; counting it holds one piece at a time and stops past the allowance."""
    data = (ODD / "content-bomb.pdf").read_bytes()
    start = data.index(b"stream\n") + len(b"stream\n")
    counted = _inflated_size(memoryview(data)[start:data.index(b"endstream")], 10 * OUTPUT_PIECE, start)
    assert 10 * OUTPUT_PIECE < counted <= 11 * OUTPUT_PIECE


def test_an_answer_inflates_well_within_the_limit():
    check_content_size(SEED_PDF.read_bytes(), DEFAULT_MAX_CONTENT_BYTES)
    with pytest.raises(DocumentError):
        check_content_size(SEED_PDF.read_bytes(), 10_000)  # the seed's fonts alone inflate to more


def test_in_one_batch_each_odd_input_costs_only_itself(tmp_path):
    files = {f"{name}.pdf": ODD / f"{name}.pdf" for name in ("huge-page", "content-bomb", "rotate-90-page-2")}
    raw = input_folder(tmp_path / "raw", {**files, SEED_PDF.name: SEED_PDF})
    result = run_pipeline("--raw", raw, "--out", tmp_path / "out", "--quiet", "--no-cache")
    assert result.returncode == 1
    errors = sorted(result.stderr.splitlines())
    assert [line.split(": ")[:2] for line in errors] == [["error", str(raw / "content-bomb.pdf")],
                                                         ["error", str(raw / "huge-page.pdf")]]
    documents = {row["file_name"]: row for row in read_csv(tmp_path / "out" / "documents.csv")}
    assert {name: row["status"] for name, row in documents.items()} == {
        "content-bomb.pdf": "error", "huge-page.pdf": "error", "rotate-90-page-2.pdf": "ok", SEED_PDF.name: "ok"}
    agreements = read_csv(tmp_path / "out" / "agreements.csv")
    assert sum(row["document_id"] == "rotate-90-page-2" for row in agreements) == 89


def test_a_stream_flate_does_not_come_first_in_is_neither_measured_nor_called_damaged(caplog):
    import base64
    import zlib

    inner = base64.a85encode(zlib.compress(b" " * 100_000), adobe=True)
    data = b"%PDF-1.7\n1 0 obj\n<< /Filter [/ASCII85Decode /FlateDecode] >>\nstream\n" + inner + b"\nendstream\nendobj\n"
    check_content_size(data, 1000)
    flate = b"%PDF-1.7\n1 0 obj\n<< /Filter /FlateDecode >>\nstream\n" + zlib.compress(b" " * 100_000) + b"\nendstream"
    with pytest.raises(DocumentError):
        check_content_size(flate, 1000)
    assert caplog.records == []
