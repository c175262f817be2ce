"""Municipality names to NIS codes, as valid on a date (Statbel's register)."""

from __future__ import annotations

import datetime as dt

import pytest

from pipeline.normalise.places import load_register, name_key

END_2016 = dt.date(2016, 12, 31)
START_2025 = dt.date(2025, 1, 1)


@pytest.fixture(scope="module")
def register():
    return load_register()


def test_a_homonym_labelled_with_its_arrondissement_is_found_by_its_plain_name(register):
    assert register.code("Tielt", END_2016) == "37015"  # Statbel: "Tielt (Tielt)"


def test_a_name_that_changed_code_gets_the_code_valid_on_the_date(register):
    assert register.code("Tielt", START_2025) == "37022"
    assert register.code("Aalter", END_2016) == "44001"
    assert register.code("Aalter", dt.date(2019, 1, 1)) == "44084"


def test_a_municipality_merged_away_is_unknown_after_the_merger(register):
    assert register.code("Kruishoutem", END_2016) == "45017"
    assert register.code("Kruishoutem", dt.date(2019, 1, 1)) is None


def test_spelling_variants_match(register):
    assert register.code("sint-pieters-leeuw", END_2016) == "23077"
    assert register.code("Sint-Pieters - Leeuw", END_2016) == "23077"
    assert name_key("Langemark–Poelkapelle") == name_key("Langemark-Poelkapelle")


def test_unknown_names_have_no_code(register):
    assert register.code("Dyzo", END_2016) is None
    assert register.code("Heusden Zolder", END_2016) is None


def test_without_a_date_only_a_name_that_never_changed_code_is_resolved(register):
    assert register.code("Antwerpen", None) == "11002"
    assert register.code("Tielt", None) is None
