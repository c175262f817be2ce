"""One bad document costs only itself, in every stage after reading, and nothing of it is lost silently.

One batch holds the seed answer beside a document of each kind that used to stop the whole run or
to slip through: a header number past 64 bits, a cell past 64 bits, a file name that is not UTF-8,
three names of one id, a broken link, a file named `.pdf`. Each gets its own one-line error or its
rows; the seed answer's rows are all published; exit 1; no traceback, no internal error. The odd
PDFs are made here, one page of Helvetica text at given positions, so each holds exactly the
value under test (`tests/pdfs.py`).
"""

from __future__ import annotations

import errno
import hashlib
import os
from pathlib import Path

import pytest
from conftest import SEED_ID, SEED_PDF, input_folder, read_csv, report_checks, run_pipeline, tree_digest
from frictionless import validate as frictionless_validate
from pdfs import trainings_answer

from pipeline import cli
from pipeline import process as process_module
from pipeline.model import document_id_for
from pipeline.run import RunOptions, run
from pipeline.settings import Settings
from pipeline.validate.text import UNPUBLISHABLE, escaped, publishable

HUGE = "99999999999999999999999"
TRAININGS = [["13/01/2014", "RWO", "Medewerkers", "21"], ["14/01/2014", "Leiedal", "Medewerkers", "12"],
             ["15/01/2014", "Dyzo", "OCMW", "40"]]


def with_cell(row: int, column: int, text: str) -> list[list[str]]:
    return [[text if (r, c) == (row, column) else value for c, value in enumerate(cells)]
            for r, cells in enumerate(TRAININGS)]


def documents(out: Path) -> dict[str, dict[str, str]]:
    return {row["file_name"]: row for row in read_csv(out / "documents.csv")}


COLLIDING = ["Case.pdf", "case.pdf", f"case-{hashlib.sha256(b'Case.pdf').hexdigest()[:8]}.pdf"]
NOT_UTF8 = os.fsdecode(b"caf\xe9.pdf")


@pytest.fixture(scope="module")
def batch(tmp_path_factory):
    folder = tmp_path_factory.mktemp("one-bad-document")
    raw = input_folder(folder / "raw", {SEED_PDF.name: SEED_PDF, ".pdf": SEED_PDF})
    (raw / "huge-question-number.pdf").write_bytes(trainings_answer("9223372036854775808", TRAININGS))
    (raw / "huge-cell.pdf").write_bytes(trainings_answer("12", with_cell(2, 3, HUGE)))
    (raw / "control-characters.pdf").write_bytes(trainings_answer("13", with_cell(1, 1, "Leiedal\x07 vzw\x00")))
    # A split row at the top of the next page fills one column only: it used to crash the borderless reader.
    (raw / "continued.pdf").write_bytes(trainings_answer("13", TRAININGS, continued=[["", "Oudenaarde", "", ""]]))
    (raw / NOT_UTF8).write_bytes(trainings_answer("13", TRAININGS))
    for name in COLLIDING:
        (raw / name).write_bytes(trainings_answer("14", TRAININGS))
    (raw / "gone.pdf").symlink_to(folder / "nowhere.pdf")
    out = folder / "out"
    result = run_pipeline("--raw", raw, "--out", out, "--jobs", "2", "--no-cache")
    return result, raw, out


def test_the_batch_exits_1_without_a_traceback_or_an_internal_error(batch):
    result, _, out = batch
    assert result.returncode == 1
    assert "Traceback" not in result.stderr and "internal error" not in result.stderr
    assert {row["error"].split(" (")[0] for row in documents(out).values()}.isdisjoint(
        {"the pipeline failed on this file", "its rows could not be validated or written"})


def test_every_error_is_one_line_on_stderr_and_in_documents_csv(batch):
    result, raw, out = batch
    errors = {name: row["error"] for name, row in documents(out).items() if row["status"] == "error"}
    assert sorted(errors) == sorted([*COLLIDING, "gone.pdf", "huge-question-number.pdf"])
    lines = [line for line in result.stderr.splitlines() if line.startswith("error: ")]
    assert sorted(lines) == sorted(f"error: {raw / name}: {message}" for name, message in errors.items())


def test_the_good_documents_rows_are_all_published(batch):
    _, _, out = batch
    agreements = [r for r in read_csv(out / "agreements.csv") if r["document_id"] == SEED_ID]
    trainings = [r for r in read_csv(out / "trainings.csv") if r["document_id"] == SEED_ID]
    assert (len(agreements), len(trainings), sum(int(r["participants"]) for r in trainings)) == (89, 43, 863)
    dotted = documents(out)[".pdf"]
    assert dotted["status"] == "ok" and dotted["document_id"] == document_id_for(".pdf")
    assert len([r for r in read_csv(out / "trainings.csv") if r["document_id"] == dotted["document_id"]]) == 43


def test_a_header_number_past_64_bits_is_that_documents_error(batch):
    _, _, out = batch
    row = documents(out)["huge-question-number.pdf"]
    assert row["error"] == ("what the PDF says about itself does not fit the documents dataset (question_number: "
                            "9223372036854775808 is not an integer within int64): check the PDF; nothing of it is "
                            "published")
    for dataset in ("trainings", "cells"):
        assert "huge-question-number" not in {r["document_id"] for r in read_csv(out / f"{dataset}.csv")}


def test_a_cell_past_64_bits_quarantines_its_row_and_the_others_are_published(batch):
    _, _, out = batch
    assert documents(out)["huge-cell.pdf"]["status"] == "ok"
    [quarantined] = [r for r in read_csv(out / "quarantine" / "trainings.csv") if r["document_id"] == "huge-cell"]
    assert (quarantined["organiser"], quarantined["participants"]) == ("Dyzo", "")
    assert "participants: an integer within int64" in quarantined["failed_checks"]
    assert f"participants: {HUGE} is not an integer within int64" in quarantined["reason"]
    published = [r for r in read_csv(out / "trainings.csv") if r["document_id"] == "huge-cell"]
    assert [(r["organiser"], r["participants"]) for r in published] == [("RWO", "21"), ("Leiedal", "12")]
    [check] = [c for c in report_checks(out, "schema") if (c["document_id"], c["dataset"]) == ("huge-cell", "trainings")]
    assert check["status"] == "fail" and check["message"].startswith("1 of 3 rows quarantined: ")


def test_a_file_name_that_is_not_utf8_is_published_replaced_with_a_warning(batch):
    _, _, out = batch
    row = documents(out)["caf\ufffd.pdf"]
    assert (row["status"], row["document_id"]) == ("ok", "caf")
    [warning] = [c for c in report_checks(out, "document-read") if c["document_id"] == "caf" and c["status"] == "warn"]
    assert warning["message"] == ("the file name 'caf\\\\udce9.pdf' is not valid UTF-8 and is published as "
                                  "'caf\ufffd.pdf': rename the file")


def test_every_file_of_a_colliding_id_is_an_error_and_the_datapackage_holds(batch):
    _, _, out = batch
    rows = documents(out)
    assert {rows[name]["status"] for name in COLLIDING} == {"error"}
    ids = [row["document_id"] for row in rows.values()]
    assert len(ids) == len(set(ids))
    third = rows[COLLIDING[2]]["error"]
    assert third.startswith(f"its document_id '{COLLIDING[2][:-4]}' is also that of Case.pdf: ")
    for dataset in ("trainings", "cells", "repairs"):
        published = {r["document_id"] for r in read_csv(out / f"{dataset}.csv")}
        assert not published & {rows[name]["document_id"] for name in COLLIDING} - {None}
        assert not any(i.startswith("case") for i in published), dataset
    report = frictionless_validate(out / "datapackage.json")
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])


def test_a_broken_link_named_pdf_is_an_error_not_skipped(batch):
    _, _, out = batch
    assert documents(out)["gone.pdf"]["error"] == (
        "the file cannot be read (No such file or directory): check that it is still there and that you may read it")


def test_control_characters_in_the_pdf_are_removed_as_a_repair_and_no_csv_holds_one(batch):
    _, _, out = batch
    organisers = [r["organiser"] for r in read_csv(out / "trainings.csv") if r["document_id"] == "control-characters"]
    assert organisers == ["RWO", "Leiedal vzw", "Dyzo"]
    repairs = [(r["dataset"], r["field"], r["page"], r["raw"], r["repaired"]) for r in read_csv(out / "repairs.csv")
               if (r["document_id"], r["rule"]) == ("control-characters", "control-characters")]
    assert sorted(repairs) == [("cells", "text", "1", "Leiedal\\x07 vzw\\x00", "Leiedal vzw"),
                               ("cells", "text_raw", "1", "Leiedal\\x07 vzw\\x00", "Leiedal vzw"),
                               ("trainings", "organiser", "1", "Leiedal\\x07 vzw\\x00", "Leiedal vzw")]
    for path in [*out.glob("*.csv"), *out.glob("quarantine/*.csv")]:
        assert not any(ord(c) < 32 and c != "\n" for c in path.read_text(encoding="utf-8")), path.name


def test_a_continuation_filling_one_column_joins_the_split_row(batch):
    _, _, out = batch
    assert documents(out)["continued.pdf"]["status"] == "ok"
    rows = [(r["organiser"], r["participants"]) for r in read_csv(out / "trainings.csv")
            if r["document_id"] == "continued"]
    assert rows == [("RWO", "21"), ("Leiedal", "12"), ("Dyzo Oudenaarde", "40")]


# --- text fit to publish ------------------------------------------------------------------------


def test_control_characters_are_removed_and_line_breaks_kept():
    assert publishable("OCMW\x00 Gent\x07\r\n(Oost)\x1b[31m") == "OCMW Gent\n(Oost)[31m"
    assert publishable("caf\udce9") == "caf\ufffd"
    assert escaped("a\x00b\nc\udce9") == "a\\x00b\nc\\udce9"


def test_the_quick_test_for_unpublishable_text_finds_exactly_the_characters_publishable_changes():
    changed = [c for c in map(chr, range(0x110000)) if publishable(c) != c]
    assert [c for c in map(chr, range(0x110000)) if UNPUBLISHABLE.search(c)] == changed
    assert len(changed) == 64 + 2048  # the Cc characters but the line break, the surrogates


def _with_control_characters(real):
    def process(path: Path, settings: Settings):
        result = real(path, settings)
        for row in result.rows["trainings"][:2]:
            row["organiser"] = "\x00" + row["organiser"] + "\x07"
        result.document["title"] = "Samenwerking\x1b[2J met Dyzo"
        return result

    return process


def test_control_characters_from_the_pdf_never_reach_a_csv_and_each_removal_is_a_repair(tmp_path, monkeypatch,
                                                                                        seed_output):
    raw = input_folder(tmp_path / "raw", {"a.pdf": SEED_PDF})
    # The workers are forked from this process, so they read with the patched function.
    monkeypatch.setattr(process_module, "process", _with_control_characters(process_module.process))
    outcome = run(RunOptions(raw=raw, out=tmp_path / "out", jobs=1, cache_dir=None))
    assert outcome.exit_code == 0
    for path in (tmp_path / "out").glob("*.csv"):
        assert not any(ord(c) < 32 and c != "\n" for c in path.read_text(encoding="utf-8")), path.name
    seed_trainings = [{**r, "document_id": "a"} for r in read_csv(seed_output / "trainings.csv")]
    assert read_csv(tmp_path / "out" / "trainings.csv") == seed_trainings
    repairs = [r for r in read_csv(tmp_path / "out" / "repairs.csv") if r["rule"] == "control-characters"]
    assert sorted((r["dataset"], r["field"], r["page"], r["raw"], r["repaired"]) for r in repairs) == [
        ("documents", "title", "1", "Samenwerking\\x1b[2J met Dyzo", "Samenwerking[2J met Dyzo"),
        ("trainings", "organiser", "3", "\\x00OCMW Zwijndrecht\\x07", "OCMW Zwijndrecht"),
        ("trainings", "organiser", "3", "\\x00RWO arr Oudenaarde\\x07", "RWO arr Oudenaarde"),
    ]


def _page_past_64_bits_in_first_training(real):
    def process(path: Path, settings: Settings):
        result = real(path, settings)
        result.rows["trainings"][0]["page"] = 2**70  # does not fit the column: left empty, the row quarantined
        return result

    return process


def test_a_quarantined_row_without_a_page_costs_only_that_row(tmp_path, monkeypatch, seed_output):
    raw = input_folder(tmp_path / "raw", {"a.pdf": SEED_PDF})
    monkeypatch.setattr(process_module, "process", _page_past_64_bits_in_first_training(process_module.process))
    outcome = run(RunOptions(raw=raw, out=tmp_path / "out", jobs=1, cache_dir=None))
    assert outcome.errors == () and outcome.exit_code == 1
    seed_trainings = read_csv(seed_output / "trainings.csv")
    assert len(read_csv(tmp_path / "out" / "trainings.csv")) == len(seed_trainings) - 1
    quarantined = read_csv(tmp_path / "out" / "quarantine" / "trainings.csv")
    assert [(r["organiser"], r["page"]) for r in quarantined] == [(seed_trainings[0]["organiser"], "")]
    assert "page: an integer within int64" in quarantined[0]["failed_checks"]


# --- a guard for what no check foresaw ------------------------------------------------------------


def _undeclared_column_in(name: str, real):
    def process(path: Path, settings: Settings):
        result = real(path, settings)
        if path.name == name:
            result.rows["trainings"][0]["surprise"] = 1  # a column the schema does not declare: to_frame refuses
        return result

    return process


def test_a_document_whose_rows_break_validation_is_its_own_error(tmp_path, monkeypatch):
    raw = input_folder(tmp_path / "raw", {"a.pdf": SEED_PDF, "b.pdf": SEED_PDF, "c.pdf": SEED_PDF})
    monkeypatch.setattr(process_module, "process", _undeclared_column_in("b.pdf", process_module.process))
    outcome = run(RunOptions(raw=raw, out=tmp_path / "out", jobs=2, cache_dir=None))
    assert outcome.errors == (("b.pdf", "its rows could not be validated or written (ValueError: trainings: values "
                                        "for undeclared columns ['surprise']): please report it with the PDF attached; "
                                        "the other documents are published"),)
    trainings = read_csv(tmp_path / "out" / "trainings.csv")
    assert {r["document_id"] for r in trainings} == {"a", "c"} and len(trainings) == 86


# --- the output folder -------------------------------------------------------------------------------


def test_an_earlier_output_beside_other_files_is_refused_and_left_untouched(tmp_path):
    out = tmp_path / "out"
    assert run_pipeline("--raw", SEED_PDF.parent, "--out", out, "--quiet").returncode == 0
    (out / "data").mkdir()
    (out / "data" / "mine.csv").write_text("someone else's data")
    before = tree_digest(tmp_path)
    result = run_pipeline("--raw", SEED_PDF.parent, "--out", out, "--quiet")
    assert result.returncode == 2
    assert result.stderr == (f"error: --out {out} holds files this pipeline did not write (data, data/mine.csv), and "
                             f"the output folder is replaced as a whole: choose a new or empty folder, or move them\n")
    assert tree_digest(tmp_path) == before


def test_the_manifest_lists_every_file_the_run_wrote(seed_output):
    import json

    manifest = json.loads((seed_output / "manifest.json").read_text(encoding="utf-8"))
    present = sorted(p.relative_to(seed_output).as_posix() for p in seed_output.rglob("*"))
    assert manifest["files"] == [name for name in present if name != "manifest.json"]


def test_an_output_written_before_manifests_is_still_replaced(tmp_path):
    out = tmp_path / "out"
    assert run_pipeline("--raw", SEED_PDF.parent, "--out", out, "--quiet").returncode == 0
    (out / "manifest.json").unlink()
    assert run_pipeline("--raw", SEED_PDF.parent, "--out", out, "--quiet", "--no-cache").returncode == 0
    assert (out / "manifest.json").is_file()


@pytest.mark.skipif(not Path("/sys").is_dir() or os.access("/", os.W_OK) is False, reason="needs Linux's /sys")
def test_an_out_that_cannot_be_written_is_refused_before_any_document_is_read(tmp_path, capsys, monkeypatch):
    out = Path("/sys/flemish-answers-output")
    monkeypatch.setattr(process_module, "process", lambda *a: pytest.fail("a document was read"))
    assert cli.main(["run", "--raw", str(SEED_PDF.parent), "--out", str(out), "--no-cache", "--quiet"]) == 2
    assert capsys.readouterr().err == (f"error: --out {out} cannot be written (Operation not permitted: /sys): choose "
                                       f"an --out you may write\n")


def test_a_full_disk_names_the_folder_and_says_what_to_do(tmp_path, capsys, monkeypatch):
    from pipeline.publish import output

    out = tmp_path / "out"
    assert run_pipeline("--raw", SEED_PDF.parent, "--out", out, "--quiet").returncode == 0
    before = tree_digest(out)

    def full(folder: Path, *args) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(folder / "cells.parquet"))

    monkeypatch.setattr(output, "write_dataset", full)
    assert cli.main(["run", "--raw", str(SEED_PDF.parent), "--out", str(out), "--no-cache", "--quiet"]) == 1
    [line] = capsys.readouterr().err.splitlines()
    staging = out.with_name(f".out.staging-{os.getpid()}")
    assert line == (f"error: cannot write the output to {out}: No space left on device ({staging / 'cells.parquet'}): "
                    f"free some space, or choose an --out on another disk; the previous output was left as it was")
    assert tree_digest(out) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]
