"""Answers laid out differently give exactly the datasets written out by hand for them.

`tests/fixtures/answers/` holds answer PDFs made the way real ones are made (Word
document → PDF): narrow columns with centred cells, repeated headers and rows
split over a page break; borderless layouts with top-, centre- and bottom-aligned
cells; a follow-up answer with renamed, reordered and added columns and another
year. `tests/fixtures/expected/` has
each one's datasets, written from what the document says (see each NOTES.md),
not produced by the pipeline. All are run together, as one folder of answers.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from conftest import FIXTURES, read_csv, run_pipeline

ANSWERS = FIXTURES / "answers"
EXPECTED = FIXTURES / "expected"
VARIANTS = sorted(p.stem for p in ANSWERS.glob("*.pdf"))
DATASETS = ["documents", "agreements", "per_dossier", "trainings", "training_modules", "subsidies"]


@pytest.fixture(scope="module")
def fixtures_output(tmp_path_factory: pytest.TempPathFactory) -> Path:
    raw = tmp_path_factory.mktemp("answers")
    for pdf in ANSWERS.glob("*.pdf"):
        shutil.copy(pdf, raw / pdf.name)
    out = raw.parent / "answers-output"
    result = run_pipeline("--raw", raw, "--out", out, "--quiet")
    assert result.returncode == 0, result.stderr
    return out


def test_there_are_layout_variants_to_check():
    assert {"narrow-centred", "borderless", "borderless-centred", "borderless-bottom", "follow-up-2018"} <= set(VARIANTS)


@pytest.mark.parametrize("dataset", DATASETS)
@pytest.mark.parametrize("variant", VARIANTS)
def test_variant_dataset_equals_its_expected_table(fixtures_output, variant, dataset):
    expected_path = EXPECTED / variant / f"{dataset}.csv"
    produced_path = fixtures_output / f"{dataset}.csv"
    expected_header = expected_path.read_text(encoding="utf-8").splitlines()[0]
    assert produced_path.read_text(encoding="utf-8").splitlines()[0] == expected_header
    produced = [row for row in read_csv(produced_path) if row["document_id"] == variant]
    assert produced == read_csv(expected_path)


def test_every_variant_passes_its_declared_totals_and_counts(fixtures_output):
    import json

    report = json.loads((fixtures_output / "validation_report.json").read_text(encoding="utf-8"))
    declared = [c for c in report["checks"] if c["check"].startswith("declared-")]
    failing = [c for c in declared if c["status"] == "fail"]
    assert failing == []
    warned = [(c["document_id"], c["dataset"], c["expected"], c["observed"]) for c in declared if c["status"] == "warn"]
    # The borderless answer says "twaalf OCMW's" and lists eleven: the source disagrees with itself.
    assert warned == [("borderless", "per_dossier", "12", "11")]


def test_wraps_and_splits_are_recorded_as_repairs(fixtures_output):
    repairs = read_csv(fixtures_output / "repairs.csv")
    split = [r for r in repairs if r["rule"] == "row-split-over-page"]
    assert {(r["document_id"], r["page"]) for r in split} == {
        ("narrow-centred", "2"), ("narrow-centred", "3"), ("borderless", "2"), ("borderless-bottom", "2")
    }
    scherpenheuvel = {
        r["rule"]: r["raw"]
        for r in repairs
        if r["repaired"] == "Scherpenheuvel-Zichem" and r["document_id"] == "narrow-centred"
    }
    # Broken inside the word at the foot of page 2, after the hyphen at the top of page 3.
    assert scherpenheuvel == {
        "cell-wrap-midtoken": "Scherpe\nnheuvel-\nZichem",
        "cell-wrap-hyphen": "Scherpe\nnheuvel-\nZichem",
    }
    typo = next(r for r in repairs if r["rule"] == "amount-thousands-typo")
    assert (typo["document_id"], typo["raw"], typo["repaired"]) == ("follow-up-2018", "530.00 euro", "530000")
    dropped_headers = [r for r in repairs if r["rule"] == "table-repeated-header"]
    assert {r["document_id"] for r in dropped_headers} == {"narrow-centred", "follow-up-2018", "borderless-centred"}


def test_header_cells_broken_inside_a_word_are_read_whole(fixtures_output):
    cells = [c for c in read_csv(fixtures_output / "cells.csv") if c["document_id"] == "narrow-centred"]
    headers = {c["text_raw"]: c["text"] for c in cells if c["row"] == "1"}
    assert headers["Gemee\nnte/\nstad"] == "Gemeente/stad"
    assert headers["Overeenkom\nst"] == "Overeenkomst"
    assert headers["Aantal\ndeelne\nmers"] == "Aantal deelnemers"
    assert headers["Datu\nm"] == "Datum"
