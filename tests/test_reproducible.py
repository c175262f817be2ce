"""The same PDFs give the same bytes: run after run, whatever the number of worker processes.

Every file is compared except the two validation reports, which carry the time of the run.
"""

from __future__ import annotations

import datetime as dt
import itertools
import shutil

import pandas as pd
import pyarrow.parquet as pq
from conftest import FIXTURES, RAW, run_pipeline, tree_digest

from pipeline.profiles import profile_named
from pipeline.publish.files import DATAPACKAGE_FILE, DCAT_FILE, csv_column, csv_value

DATASETS = profile_named().published

TIMESTAMPED = {"validation_report.json", "validation_report.html"}


def digest_without_reports(folder) -> dict[str, str]:
    return {name: digest for name, digest in tree_digest(folder).items() if name not in TIMESTAMPED}


def test_two_runs_on_the_same_pdfs_give_identical_files(seed_output, tmp_path):
    again = tmp_path / "output"
    result = run_pipeline("--raw", RAW, "--out", again, "--quiet")
    assert result.returncode == 0, result.stderr
    first, second = digest_without_reports(seed_output), digest_without_reports(again)
    published = {DATAPACKAGE_FILE, DCAT_FILE, *(f"{d.name}.{ext}" for d in DATASETS for ext in ("csv", "parquet"))}
    assert published <= set(first)
    assert first == second
    # Two runs a second apart could share a time stamp; a date in the metadata would still show.
    today = dt.date.today().isoformat()
    for name in (DATAPACKAGE_FILE, DCAT_FILE):
        assert today not in (again / name).read_text(encoding="utf-8"), name


def test_one_or_two_worker_processes_give_identical_files(tmp_path):
    raw = tmp_path / "raw"
    raw.mkdir()
    # Several documents, some with failing checks and quarantined rows, so that the pool really runs.
    pdfs = [*RAW.glob("*.pdf"), *(FIXTURES / "answers").glob("*.pdf"), *(FIXTURES / "invalid").glob("*.pdf")]
    assert len(pdfs) > 2
    for pdf in pdfs:
        shutil.copy(pdf, raw / pdf.name)
    outputs = {}
    for jobs in (1, 2):
        outputs[jobs] = tmp_path / f"output-jobs-{jobs}"
        # No cache: with one, the second run would take every result from the first instead of its workers.
        result = run_pipeline("--raw", raw, "--out", outputs[jobs], "--jobs", str(jobs), "--quiet", "--no-cache")
        assert result.returncode in (0, 1), result.stderr
    assert digest_without_reports(outputs[1]) == digest_without_reports(outputs[2])


def test_parquet_files_carry_no_volatile_metadata(seed_output):
    for dataset in DATASETS:
        metadata = pq.read_metadata(seed_output / f"{dataset.name}.parquet")
        # No pandas index or Arrow schema blob: only the columns and the writer's fixed version.
        assert metadata.metadata is None, dataset.name
        assert metadata.schema.names == list(dataset.columns)


def test_csv_text_of_a_column_is_that_of_each_value_whatever_the_columns_mix():
    values = ["Gent", 12, -3, True, False, 2.5, 3.0, None, pd.NA, float("nan"), dt.date(2014, 1, 13), ""]
    for size in range(1, 4):
        for column in itertools.permutations(values, size):
            assert csv_column(list(column)) == [csv_value(v) for v in column], column
    assert csv_value(True) == "true" and csv_value(3.0) == "3" and csv_value(2.5) == "2.5" and csv_value(pd.NA) == ""
