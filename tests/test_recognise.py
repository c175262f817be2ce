"""Tables are recognised by what their header means and what their columns hold, not by position."""

from __future__ import annotations

import pytest

from pipeline.normalise.content import ColumnType, column_type
from pipeline.normalise.places import load_register
from pipeline.normalise.readers import match_columns, role_score
from pipeline.profiles import profile_named
from pipeline.profiles.model import TableReading

PROFILE = profile_named("dyzo")


def columns_of(dataset: str):
    [reading] = [r for d in PROFILE.datasets if d.dataset.name == dataset for r in d.readings
                 if isinstance(r, TableReading)]
    return reading.columns


AGREEMENTS, TRAININGS = columns_of("agreements"), columns_of("trainings")
TEXT, DATE, COUNT = ColumnType("text", 1.0, 5), ColumnType("date", 1.0, 5), ColumnType("count", 1.0, 5)
ORDINAL, YEAR = ColumnType("ordinal", 1.0, 5), ColumnType("year", 1.0, 5)
PLACES = ColumnType("municipality", 1.0, 5)


def roles(headers, types, columns, subject_stated=False):
    match = match_columns(headers, types, columns, subject_stated)
    return None if match is None else match.columns


def test_the_seed_headers_map_to_their_roles():
    assert roles(["Datum", "Inrichter", "Doelgroep", "Aantal deelnemers"], [DATE, TEXT, TEXT, COUNT], TRAININGS) == {
        "date": 0, "organiser": 1, "target_group": 2, "participants": 3,
    }
    assert roles(["Gemeente/stad", "Overeenkomst"], [PLACES, TEXT], AGREEMENTS) == {"municipality": 0, "agreement": 1}


def test_renamed_reordered_and_added_columns_are_recognised():
    headers = ["Organisator", "Aantal aanwezigen", "Datum opleiding", "Duur (uur)", "Publiek"]
    assert roles(headers, [TEXT, COUNT, DATE, COUNT, TEXT], TRAININGS) == {
        "organiser": 0, "participants": 1, "date": 2, "target_group": 4,
    }
    assert roles(["Sinds", "Lokaal bestuur", "Type overeenkomst"], [YEAR, PLACES, TEXT], AGREEMENTS) == {
        "municipality": 1, "agreement": 2,
    }


def test_a_short_header_is_read_by_its_column_content():
    # `Aantal` names no role, but it is the one column of whole numbers; `Nr.` counts rows (an ordinal).
    headers = ["Nr.", "Datum", "Inrichter", "Doelgroep", "Aantal"]
    match = match_columns(headers, [ORDINAL, DATE, TEXT, TEXT, COUNT], TRAININGS, subject_stated=False)
    assert match is not None and match.columns["participants"] == 4
    assert match.by_content == {"participants"}


def test_content_overrules_a_header_that_says_otherwise():
    # The header says `Datum`, the column holds counts: it is not the date column.
    match = match_columns(["Datum", "Inrichter", "Deelnemers"], [COUNT, TEXT, COUNT], TRAININGS, False)
    assert match is None or "date" not in match.columns
    match = match_columns(["Datum", "Inrichter", "Aantal deelnemers", "Wanneer"], [COUNT, TEXT, COUNT, DATE],
                          TRAININGS, False)
    assert match is not None and match.columns["date"] == 3 and match.overruled == ((0, "date", "count"),)


def test_headers_match_whole_words_case_insensitively():
    assert role_score("AANTAL DEELNEMERS", TRAININGS[3]) == 2
    assert role_score("Deelnemersprofiel", TRAININGS[3]) == 0


def test_an_optional_role_may_be_missing_but_a_required_one_may_not():
    assert roles(["Datum", "Inrichter", "Deelnemers"], [DATE, TEXT, COUNT], TRAININGS) == {
        "date": 0, "organiser": 1, "participants": 2,
    }
    assert roles(["Datum", "Inrichter", "Doelgroep"], [DATE, TEXT, TEXT], TRAININGS) is None


@pytest.mark.parametrize("headers", [["Provincie", "Aantal dossiers", "Gemiddelde duur"], ["A", "B"]])
def test_a_table_about_something_else_matches_no_reading(headers):
    types = [TEXT, COUNT, COUNT][: len(headers)]
    assert all(roles(headers, types, columns) is None for columns in (AGREEMENTS, TRAININGS))


def test_content_alone_needs_the_introducing_sentence_to_speak_of_the_subject():
    # A table of dates and counts under a sentence about something else is not claimed by content.
    assert roles(["", ""], [DATE, COUNT], TRAININGS) is None


# --- column types ----------------------------------------------------------------------------


def test_dates_in_any_common_dutch_form_make_a_date_column():
    assert column_type(["13/01/2014", "13-01-2014", "13 januari 2014", "13.1.2014"]).type == "date"


def test_row_numbers_are_an_ordinal_not_a_count():
    assert column_type(["1", "2", "3", "4"]).type == "ordinal"
    assert column_type(["21", "2", "13", "4"]).type == "count"


def test_a_column_of_years_is_not_a_count():
    assert column_type(["2015", "2016", "2017"]).type == "year"
    assert column_type(["15", "2016", "170"]).type == "count"


def test_amounts_need_a_currency_or_thousands_groups():
    assert column_type(["470.000 euro", "€ 525.000", "530.000"]).type == "amount"
    assert column_type(["470", "525", "530"]).type == "count"


def test_municipalities_are_names_in_the_register():
    register = load_register()
    assert column_type(["Aalst", "Sint-Niklaas", "Kapellen"], register).type == "municipality"
    assert column_type(["Dyzo", "OCMW Gent", "Kind & Gezin"], register).type == "text"


def test_one_misprinted_cell_does_not_turn_a_count_column_into_text():
    typed = column_type(["21", "ca. twintig", "13", "40"])
    assert (typed.type, typed.share) == ("count", 0.75)
