"""Tables are recognised by what their header means, not by column position."""

from __future__ import annotations

import pytest

from pipeline.normalise.recognise import AGREEMENTS, RECOGNISERS, TRAININGS, match_columns, role_score


def test_the_seed_headers_map_to_their_roles():
    assert match_columns(["Datum", "Inrichter", "Doelgroep", "Aantal deelnemers"], TRAININGS) == {
        "date": 0, "organiser": 1, "target_group": 2, "participants": 3,
    }
    assert match_columns(["Gemeente/stad", "Overeenkomst"], AGREEMENTS) == {"municipality": 0, "agreement": 1}


def test_renamed_reordered_and_added_columns_are_recognised():
    headers = ["Organisator", "Aantal aanwezigen", "Datum opleiding", "Duur (uur)", "Publiek"]
    assert match_columns(headers, TRAININGS) == {
        "organiser": 0, "participants": 1, "date": 2, "target_group": 4,
    }
    assert match_columns(["Sinds", "Lokaal bestuur", "Type overeenkomst"], AGREEMENTS) == {
        "municipality": 1, "agreement": 2,
    }


def test_headers_match_whole_words_case_insensitively():
    assert role_score("AANTAL DEELNEMERS", TRAININGS.roles[3]) == 2
    assert role_score("Deelnemersprofiel", TRAININGS.roles[3]) == 0


def test_an_optional_role_may_be_missing_but_a_required_one_may_not():
    assert match_columns(["Datum", "Inrichter", "Deelnemers"], TRAININGS) == {
        "date": 0, "organiser": 1, "participants": 2,
    }
    assert match_columns(["Datum", "Inrichter", "Doelgroep"], TRAININGS) is None


@pytest.mark.parametrize("headers", [["Provincie", "Aantal dossiers", "Gemiddelde duur"], ["A", "B"]])
def test_a_table_about_something_else_matches_no_recogniser(headers):
    assert all(match_columns(headers, r) is None for r in RECOGNISERS)
