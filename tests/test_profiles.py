"""A topic is a profile, declared as data: a second one reads its own answer with no change to generic code."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from conftest import FIXTURES, RAW, ROOT, read_csv, run_pipeline

from pipeline.errors import UsageError
from pipeline.profiles import load_profile, profile_named

PROFILE_FILE = ROOT / "tests" / "profiles" / "lokale_dienstencentra.py"
ANSWER = FIXTURES / "profiles" / "lokale-dienstencentra.pdf"
EXPECTED = FIXTURES / "profiles" / "expected" / "lokale-dienstencentra"


@pytest.fixture(scope="module")
def profile_output(tmp_path_factory: pytest.TempPathFactory) -> Path:
    raw = tmp_path_factory.mktemp("profile-raw")
    shutil.copy(ANSWER, raw / ANSWER.name)
    out = raw.parent / "profile-out"
    result = run_pipeline("--raw", raw, "--out", out, "--profile", PROFILE_FILE, "--quiet")
    assert result.returncode == 0, result.stderr
    return out


@pytest.mark.parametrize("dataset", ["documents", "centres", "activities", "funding"])
def test_the_second_profile_reads_its_answer_exactly(profile_output, dataset):
    assert read_csv(profile_output / f"{dataset}.csv") == read_csv(EXPECTED / f"{dataset}.csv")


def test_the_second_profile_publishes_its_own_datasets_and_checks_its_figures(profile_output):
    package = json.loads((profile_output / "datapackage.json").read_text(encoding="utf-8"))
    tables = [r["name"] for r in package["resources"] if r.get("profile") == "tabular-data-resource"]
    assert tables == ["documents", "centres", "activities", "funding", "cells", "repairs"]
    assert not (profile_output / "agreements.csv").exists()
    checks = json.loads((profile_output / "validation_report.json").read_text(encoding="utf-8"))["checks"]
    declared = {(c["dataset"], c["check"], c["expected"], c["status"]) for c in checks if c["check"].startswith("declared")}
    assert declared == {("centres", "declared-total", "40", "pass"), ("activities", "declared-list-count", "4", "pass")}


def test_an_answer_on_another_topic_yields_none_of_the_profiles_datasets_and_a_warning_says_so(tmp_path):
    result = run_pipeline("--raw", RAW, "--out", tmp_path / "out", "--profile", PROFILE_FILE, "--quiet")
    checks = json.loads((tmp_path / "out" / "validation_report.json").read_text(encoding="utf-8"))["checks"]
    [found] = [c for c in checks if c["check"] == "datasets-found"]
    assert (result.returncode, found["status"], found["observed"]) == (0, "warn", "none")


def test_a_profile_is_found_by_name_or_file():
    assert load_profile("dyzo") == profile_named()
    assert load_profile(str(PROFILE_FILE)).name == "lokale-dienstencentra"
    assert load_profile(str(PROFILE_FILE)).fingerprint  # its bytes are part of the cache key


@pytest.mark.parametrize("given", ["nonsense", "missing.py"])
def test_an_unknown_profile_is_a_usage_error(given, tmp_path):
    with pytest.raises(UsageError):
        load_profile(given if given == "nonsense" else str(tmp_path / given))


def test_a_profile_file_without_a_profile_is_a_usage_error_with_exit_status_2(tmp_path):
    empty = tmp_path / "empty.py"
    empty.write_text("X = 1\n", encoding="utf-8")
    result = run_pipeline("--raw", FIXTURES / "profiles", "--out", tmp_path / "out", "--profile", empty)
    assert result.returncode == 2 and "declares no PROFILE" in result.stderr


def test_a_profile_whose_field_takes_a_value_its_reading_does_not_read_is_refused():
    from pipeline.profiles.model import DatasetProfile, Item, TableReading
    from schemas.core import document_id_field
    from schemas.spec import Dataset, Field

    dataset = Dataset("things", "Things", "Dingen", "thing", (document_id_field(), Field("thing", "string", "A thing.")))
    with pytest.raises(ValueError, match="take their value from something a TableReading does not read"):
        DatasetProfile(dataset, (TableReading(columns=(), fields=(("thing", Item()),)),))
