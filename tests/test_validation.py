"""Validation: the answer's own figures against the rows, schemas, quarantine, exit status."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from conftest import FIXTURES, SEED_ID, read_csv, run_pipeline

INVALID = FIXTURES / "invalid"


def _report(out: Path) -> dict:
    return json.loads((out / "validation_report.json").read_text(encoding="utf-8"))


def _run_on(tmp_path: Path, *pdfs: Path):
    raw = tmp_path / "raw"
    raw.mkdir()
    for pdf in pdfs:
        shutil.copy(pdf, raw / pdf.name)
    out = tmp_path / "out"
    return run_pipeline("--raw", raw, "--out", out, "--quiet"), out


def test_the_seed_answer_warns_only_that_it_names_18_of_its_19(seed_output):
    checks = _report(seed_output)["checks"]
    # The document's own checks: the run's warnings about placeholder settings are tested in test_metadata.
    not_passed = [(c["dataset"], c["check"], c["status"], c["expected"], c["observed"]) for c in checks
                  if c["status"] != "pass" and c["document_id"]]
    assert not_passed == [("per_dossier", "declared-list-count", "warn", "19", "18")]
    warning = next(c for c in checks if c["status"] == "warn")
    assert "In 2016 besloten 19 OCMW’s" in warning["message"] and "page 2" in warning["message"]


def test_the_seed_answers_declared_count_and_total_pass(seed_output):
    checks = {(c["dataset"], c["check"]): c for c in _report(seed_output)["checks"]}
    assert (checks["agreements", "declared-row-count"]["status"], checks["agreements", "declared-row-count"]["observed"]) == ("pass", "89")
    assert (checks["trainings", "declared-total"]["status"], checks["trainings", "declared-total"]["observed"]) == ("pass", "863")
    assert checks["training_modules", "declared-list-count"]["status"] == "pass"
    assert checks["agreements", "municipality-known"]["status"] == "pass"
    assert checks["per_dossier", "municipality-known"]["status"] == "pass"


def test_every_dataset_gets_a_schema_check(seed_output):
    schema = [c for c in _report(seed_output)["checks"] if c["check"] == "schema"]
    assert sorted(c["dataset"] for c in schema) == sorted(
        ["documents", "agreements", "per_dossier", "trainings", "training_modules", "subsidies", "cells", "repairs"]
    )
    assert {c["status"] for c in schema} == {"pass"}


def test_the_json_report_has_the_contracts_shape(seed_output):
    report = _report(seed_output)
    (document,) = report["documents"]
    assert document["document_id"] == SEED_ID and document["status"] == "ok"
    assert document["rows"]["trainings"] == 43 and document["rows"]["agreements"] == 89
    assert all(set(c) == {"document_id", "dataset", "check", "status", "expected", "observed", "message", "page"}
               for c in report["checks"])
    assert report["repairs"] == [
        {k: (int(v) if k == "page" else v) for k, v in row.items()} for row in read_csv(seed_output / "repairs.csv")
    ]


def test_a_totaal_that_disagrees_with_the_rows_fails_the_run(tmp_path):
    result, out = _run_on(tmp_path, INVALID / "totaal-mismatch.pdf")
    assert result.returncode == 1
    (check,) = [c for c in _report(out)["checks"] if c["check"] == "declared-total"]
    assert (check["status"], check["expected"], check["observed"]) == ("fail", "120", "112")
    assert "page 2" in check["message"]
    # The rows themselves are published all the same.
    assert len(read_csv(out / "trainings.csv")) == 6


def test_a_participant_count_in_words_is_quarantined_not_dropped(tmp_path):
    result, out = _run_on(tmp_path, INVALID / "participant-text.pdf")
    assert result.returncode == 1
    (quarantined,) = read_csv(out / "quarantine" / "trainings.csv")
    assert (quarantined["position"], quarantined["page"], quarantined["organiser"], quarantined["participants"]) == (
        "3", "2", "OCMW Genk", ""
    )
    assert quarantined["failed_checks"] == "participants: not_nullable"
    assert "ca. twintig" in quarantined["reason"]
    assert [r["position"] for r in read_csv(out / "trainings.csv")] == ["1", "2", "4", "5"]
    statuses = {(c["check"], c["status"]) for c in _report(out)["checks"] if c["dataset"] == "trainings"}
    assert ("schema", "fail") in statuses and ("value-parsed", "fail") in statuses


def test_a_document_without_a_known_table_warns_and_keeps_its_cells(tmp_path):
    result, out = _run_on(tmp_path, INVALID / "no-known-table.pdf")
    assert result.returncode == 0
    (warning,) = [c for c in _report(out)["checks"] if c["check"] == "table-recognised"]
    assert warning["status"] == "warn"
    expected = read_csv(FIXTURES / "expected-invalid" / "no-known-table" / "cells.csv")
    assert read_csv(out / "cells.csv") == expected


@pytest.mark.parametrize("pdf", ["totaal-mismatch", "participant-text", "untrusted-text", "no-known-table"])
def test_content_fixtures_give_their_expected_datasets(tmp_path, pdf):
    _, out = _run_on(tmp_path, INVALID / f"{pdf}.pdf")
    expected_dir = FIXTURES / "expected-invalid" / pdf
    for dataset in ("documents", "agreements", "per_dossier", "trainings", "training_modules", "subsidies"):
        assert read_csv(out / f"{dataset}.csv") == read_csv(expected_dir / f"{dataset}.csv"), dataset
