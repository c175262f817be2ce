"""Bad input costs only itself: one clear line per unreadable file, the same in documents.csv and
the report, exit 1, and every other document's data as usual; a pathological file is stopped.

The bad files are in `tests/fixtures/bad/` (made by `tests/fixtures/make_bad_inputs.py`, which
says what each one is).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import BAD, FIXTURES, SEED_ID, SEED_PDF, input_folder, read_csv, report_checks, run_pipeline, tree_digest

from pipeline.errors import DocumentError
from pipeline.extract.pdf import check_is_pdf, read_document
from pipeline.model import document_id_for
from pipeline.settings import Settings

DAMAGED = "it may be truncated, download it again"
EXPECTED_ERRORS = {
    "empty.pdf": ("empty-file", "the file is empty: download it again"),
    "word-document.pdf": (
        "not-a-pdf",
        "the file is not a PDF (a ZIP archive, e.g. a Word .docx): download or export the answer as PDF",
    ),
    "web-page.pdf": ("not-a-pdf", "the file is not a PDF (an HTML page): download or export the answer as PDF"),
    "truncated-10-percent.pdf": ("damaged-pdf", f"the PDF cannot be read (Unexpected EOF): {DAMAGED}"),
    "truncated-50-percent.pdf": ("damaged-pdf", f"the PDF cannot be read (Unexpected EOF): {DAMAGED}"),
    "truncated-before-trailer.pdf": (
        "damaged-pdf",
        f"the PDF cannot be read (No /Root object! - Is this really a PDF?): {DAMAGED}",
    ),
    "password-protected.pdf": (
        "encrypted-pdf",
        "the PDF is password-protected: ask the publisher for an unprotected copy, or decrypt it first "
        "(e.g. qpdf --decrypt)",
    ),
    "scanned.pdf": ("no-text-layer", "no text layer: run OCR first, e.g. ocrmypdf"),
}
# Damaged or protected, yet every PDF reader opens them without asking anything: so do we. A
# PDF cut just before `%%EOF` still has its whole cross-reference table; one with only an owner
# password opens with the empty user password, and its "nothing permitted" flags are advice to
# viewers, not a lock on an answer that is public anyway.
READABLE_AS_THE_SEED = ["truncated-without-eof-marker.pdf", "restricted-without-password.pdf"]
# pdfminer reads around a broken checksum and logs a complaint: a warning in the report, not stderr noise.
DAMAGED_IN_PLACES = "damaged-checksum.pdf"
NO_KNOWN_TABLE = FIXTURES / "invalid" / "no-known-table.pdf"
PARTICIPANT_TEXT = FIXTURES / "invalid" / "participant-text.pdf"
DATASETS_OF_THE_SEED = ["agreements", "per_dossier", "trainings", "training_modules", "subsidies", "cells", "repairs"]


@pytest.fixture(scope="module")
def bad_run(tmp_path_factory):
    """One run, two jobs, over every bad file, the seed, and two readable answers with problems."""
    folder = tmp_path_factory.mktemp("bad-input")
    files = {name: BAD / name for name in [*EXPECTED_ERRORS, *READABLE_AS_THE_SEED, DAMAGED_IN_PLACES]}
    files |= {SEED_PDF.name: SEED_PDF, NO_KNOWN_TABLE.name: NO_KNOWN_TABLE, PARTICIPANT_TEXT.name: PARTICIPANT_TEXT}
    raw = input_folder(folder / "raw", files)
    before = tree_digest(raw)
    result = run_pipeline("--raw", raw, "--out", folder / "out", "--jobs", "2", "--quiet")
    assert tree_digest(raw) == before, "the input folder was written to"
    return result, raw, folder / "out"


def documents(out: Path) -> dict[str, dict[str, str]]:
    return {row["file_name"]: row for row in read_csv(out / "documents.csv")}


def test_a_run_with_bad_files_exits_1_without_a_traceback(bad_run):
    result, _, out = bad_run
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert (out / "validation_report.html").is_file()


def test_each_bad_file_gets_exactly_one_line_on_stderr(bad_run):
    result, raw, _ = bad_run
    expected = {f"error: {raw / name}: {message}" for name, (_, message) in EXPECTED_ERRORS.items()}
    lines = result.stderr.splitlines()
    assert len(lines) == len(expected)
    assert set(lines) == expected


@pytest.mark.parametrize("name", sorted(EXPECTED_ERRORS))
def test_the_same_message_is_in_documents_csv_and_the_report(bad_run, name):
    _, _, out = bad_run
    slug, message = EXPECTED_ERRORS[name]
    row = documents(out)[name]
    assert (row["status"], row["error"], row["pages"]) == ("error", message, "")
    assert len(row["sha256"]) == 64
    [check] = [c for c in report_checks(out, "document-read") if c["document_id"] == row["document_id"]]
    assert (check["status"], check["observed"], check["message"]) == ("fail", slug, f"{name}: {message}")


def test_nothing_of_a_bad_file_is_published(bad_run):
    _, _, out = bad_run
    failed = {documents(out)[name]["document_id"] for name in EXPECTED_ERRORS}
    for dataset in DATASETS_OF_THE_SEED:
        assert not failed & {row["document_id"] for row in read_csv(out / f"{dataset}.csv")}


@pytest.mark.parametrize("name", READABLE_AS_THE_SEED)
def test_a_file_every_reader_opens_yields_the_seed_answers_data(bad_run, name):
    _, _, out = bad_run
    row = documents(out)[name]
    assert (row["status"], row["error"], row["pages"]) == ("ok", "", "5")
    for dataset in DATASETS_OF_THE_SEED:
        rows = read_csv(out / f"{dataset}.csv")
        seed_rows = [{**r, "document_id": ""} for r in rows if r["document_id"] == SEED_ID]
        copy_rows = [{**r, "document_id": ""} for r in rows if r["document_id"] == row["document_id"]]
        assert copy_rows == seed_rows, dataset
    assert [c["status"] for c in report_checks(out, "document-read") if c["document_id"] == row["document_id"]] == [
        "pass"
    ]


def test_a_pdf_damaged_in_places_is_read_with_a_warning_saying_so(bad_run):
    _, _, out = bad_run
    row = documents(out)[DAMAGED_IN_PLACES]
    assert (row["status"], row["pages"]) == ("ok", "5")
    checks = [c for c in report_checks(out, "document-read") if c["document_id"] == row["document_id"]]
    assert [(c["status"], c["message"]) for c in checks] == [
        ("pass", f"{DAMAGED_IN_PLACES}: 5 pages read"),
        ("warn", "the PDF is damaged in places and was read around the damage, so text may be missing (the "
                 "compressed stream at byte 71 is damaged: incorrect data check): compare the rows with the PDF, "
                 "or download it again"),
    ]


def test_the_good_document_beside_the_bad_ones_is_read_as_usual(bad_run):
    _, _, out = bad_run
    assert documents(out)[SEED_PDF.name]["status"] == "ok"
    agreements = [r for r in read_csv(out / "agreements.csv") if r["document_id"] == SEED_ID]
    trainings = [r for r in read_csv(out / "trainings.csv") if r["document_id"] == SEED_ID]
    assert (len(agreements), len(trainings)) == (89, 43)
    assert sum(int(r["participants"]) for r in trainings) == 863


def test_a_table_no_dataset_claims_is_a_warning_and_its_cells_are_published(bad_run):
    _, _, out = bad_run
    assert documents(out)[NO_KNOWN_TABLE.name]["status"] == "ok"
    [check] = [c for c in report_checks(out, "table-recognised") if c["document_id"] == "no-known-table"]
    assert check["status"] == "warn"
    expected = read_csv(FIXTURES / "expected-invalid" / "no-known-table" / "cells.csv")
    assert [r for r in read_csv(out / "cells.csv") if r["document_id"] == "no-known-table"] == expected


def test_a_number_column_holding_text_quarantines_that_row_only(bad_run):
    _, _, out = bad_run
    [expected] = read_csv(FIXTURES / "expected-invalid" / "participant-text" / "quarantine.csv")
    [quarantined] = read_csv(out / "quarantine" / "trainings.csv")
    assert (quarantined["document_id"], quarantined["page"], quarantined["position"]) == (
        expected["document_id"], expected["page"], expected["position"])
    assert quarantined["participants"] == ""
    assert expected["raw"] in quarantined["reason"]
    published = [r for r in read_csv(out / "trainings.csv") if r["document_id"] == "participant-text"]
    assert expected["position"] not in {r["position"] for r in published}
    assert len(published) == len(read_csv(FIXTURES / "expected-invalid" / "participant-text" / "trainings.csv"))
    assert documents(out)[PARTICIPANT_TEXT.name]["status"] == "ok"


@pytest.mark.parametrize(("fixture", "exit_status"), [(NO_KNOWN_TABLE, 0), (PARTICIPANT_TEXT, 1)])
def test_an_unknown_table_alone_is_only_a_warning_a_quarantined_row_fails_the_run(tmp_path, fixture, exit_status):
    raw = input_folder(tmp_path / "raw", {fixture.name: fixture})
    result = run_pipeline("--raw", raw, "--out", tmp_path / "out", "--quiet")
    assert (result.returncode, result.stderr) == (exit_status, "")


# --- what each error says, without a run ------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "found"),
    [
        (b"PK\x03\x04\x14\x00\x06\x00", "a ZIP archive, e.g. a Word .docx"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "an old Office file, e.g. a Word .doc"),
        (b"{\\rtf1\\ansi", "an RTF document"),
        (b"\n  <html><body>Niet gevonden</body></html>", "an HTML page"),
        (b"\x89PNG\r\n\x1a\n", "a PNG image"),
        (b"Dit is geen PDF.", "it starts with b'Dit is g'"),
    ],
)
def test_a_file_that_is_not_a_pdf_is_named_for_what_it_is(start, found):
    with pytest.raises(DocumentError) as error:
        check_is_pdf(start)
    assert (error.value.slug, error.value.message) == (
        "not-a-pdf", f"the file is not a PDF ({found}): download or export the answer as PDF")


def test_a_header_after_some_leading_bytes_is_still_a_pdf():
    check_is_pdf(b"\xef\xbb\xbf\n%PDF-1.7\n")


def test_a_file_gone_since_the_folder_was_listed_is_an_error_not_a_crash(tmp_path):
    with pytest.raises(DocumentError) as error:
        read_document(tmp_path / "weg.pdf", Settings())
    assert error.value.slug == "unreadable-file"
    assert error.value.message == (
        "the file cannot be read (No such file or directory): check that it is still there and that you may read it")


def test_a_page_box_of_text_is_a_damaged_pdf_not_an_internal_error(tmp_path):
    damaged = tmp_path / "box.pdf"
    damaged.write_bytes(SEED_PDF.read_bytes().replace(b"/MediaBox[0 0 595.303937007874", b"/MediaBox[0 0 (a)", 1))
    with pytest.raises(DocumentError) as error:
        read_document(damaged, Settings(reader="pdfplumber"))
    assert error.value.message == (
        f"the PDF cannot be read (Bounding box contains non-number coordinate(s): [0, 0, b'a', 841.889763779528]): "
        f"{DAMAGED}")


def test_a_page_box_of_text_is_a_damaged_pdf_for_pdfium_too(tmp_path):
    damaged = tmp_path / "box.pdf"
    damaged.write_bytes(SEED_PDF.read_bytes().replace(b"/MediaBox[0 0 595.303937007874", b"/MediaBox[0 0 (a)", 1))
    with pytest.raises(DocumentError) as error:
        read_document(damaged, Settings(reader="pdfium"))
    assert error.value.message == f"the PDF cannot be read (page 1 has no area: its box is 0 x 842 pt): {DAMAGED}"


def test_an_error_message_quoting_the_file_stays_one_printable_line():
    message = DocumentError("damaged-pdf", detail="bad\nobject \x1b[31mred\x00").message
    assert message == f"the PDF cannot be read (bad object \\x1b[31mred\\x00): {DAMAGED}"


def test_every_page_is_closed_after_use_by_pdfplumber(monkeypatch):
    import pdfplumber.page

    closed = []
    original = pdfplumber.page.Page.close
    monkeypatch.setattr(pdfplumber.page.Page, "close", lambda page: (closed.append(page.page_number), original(page)))
    document = read_document(SEED_PDF, Settings(reader="pdfplumber"))
    # Each as soon as it is read (closing the document closes them all once more).
    assert closed[:5] == [page.number for page in document.pages] == [1, 2, 3, 4, 5]


def test_every_page_is_closed_after_use_by_pdfium(monkeypatch):
    import pypdfium2

    closed = []
    original = pypdfium2.PdfPage.close
    monkeypatch.setattr(pypdfium2.PdfPage, "close", lambda page, *a, **k: (closed.append(page), original(page, *a, **k)))
    document = read_document(SEED_PDF, Settings(reader="pdfium"))
    assert len(closed) == len(document.pages) == 5


# --- bounded work -----------------------------------------------------------------------------


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_a_pathologically_slow_pdf_is_stopped_at_the_timeout(tmp_path, jobs):
    """slow-ruled-grid.pdf is 3 KB and takes minutes (a ruled grid of 300 x 300 lines).

    The limit leaves the seed answer (well under a second) ample room on a loaded
    machine; without a working limit the run would outlast `run_pipeline`'s own bound.
    """
    raw = input_folder(tmp_path / "raw", {"slow-ruled-grid.pdf": BAD / "slow-ruled-grid.pdf", SEED_PDF.name: SEED_PDF})
    result = run_pipeline("--raw", raw, "--out", tmp_path / "out", "--jobs", jobs, "--timeout", "8", "--quiet",
                          "--no-cache")
    message = "reading took longer than 8 s: check the PDF, or raise --timeout"
    assert result.returncode == 1
    assert result.stderr.splitlines() == [f"error: {raw / 'slow-ruled-grid.pdf'}: {message}"]
    rows = documents(tmp_path / "out")
    assert (rows["slow-ruled-grid.pdf"]["status"], rows["slow-ruled-grid.pdf"]["error"]) == ("error", message)
    assert rows[SEED_PDF.name]["status"] == "ok"


# --- names from outside -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("file_name", "document_id"),
    [
        ("OCMW's - Samenwerking met Dyzo.pdf", "ocmw-s-samenwerking-met-dyzo"),
        ("Vraag 331 (antwoord) ÉÉN.PDF", "vraag-331-antwoord-een"),
        ("../../etc/passwd.pdf", "passwd"),
        ("..\\..\\x.pdf", "x"),
    ],
)
def test_a_document_id_is_a_clean_slug_whatever_the_file_name(file_name, document_id):
    assert document_id_for(file_name) == document_id


def test_names_with_nothing_left_get_distinct_ids():
    ids = [document_id_for(name) for name in ["..pdf", "-.pdf", "   .pdf", "вопрос.pdf", "質問.pdf"]]
    assert all(re.fullmatch(r"document-[0-9a-f]{8}", i) for i in ids)
    assert len(set(ids)) == len(ids)


def test_files_that_map_to_one_id_are_all_errors_and_none_is_published(tmp_path):
    names = ["Café Één.pdf", "cafe-een.PDF", "cafe een.pdf"]  # byte-identical copies of the seed
    raw = input_folder(tmp_path / "raw", {name: SEED_PDF for name in names} | {"..pdf": NO_KNOWN_TABLE})
    out = tmp_path / "out"
    result = run_pipeline("--raw", raw, "--out", out, "--jobs", "2", "--quiet")
    assert result.returncode == 1
    rows = documents(out)
    assert sorted(rows) == sorted([*names, "..pdf"])
    ids = [row["document_id"] for row in rows.values()]
    assert len(set(ids)) == len(ids)
    assert all(row["document_id"].startswith("cafe-een-") for name, row in rows.items() if name in names)
    for name in names:
        others = ", ".join(n for n in sorted(names) if n != name)
        assert rows[name]["status"] == "error"
        assert rows[name]["error"] == (
            f"its document_id 'cafe-een' is also that of {others}: rename the files so that their names differ in "
            "more than case, accents and punctuation")
    assert rows["..pdf"]["status"] == "ok"
    assert len(result.stderr.splitlines()) == len(names)
    for dataset in DATASETS_OF_THE_SEED:
        assert {r["document_id"] for r in read_csv(out / f"{dataset}.csv")} <= {document_id_for("..pdf")}
    assert not (out / "quarantine").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out", "raw"]
