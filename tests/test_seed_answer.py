"""The seed answer, "OCMW's - Samenwerking met Dyzo", comes out right to the last cell.

Every expected value here was read from the answer itself (`../shared/seed/` has
its published text): 89 agreements, 18 listed municipalities, 43 sessions
adding up to the declared 863, four modules, three subsidy years.
"""

from __future__ import annotations

import hashlib
from collections import Counter

from conftest import RAW, SEED_ID, read_csv

EXPECTED_PER_DOSSIER = [
    "Antwerpen", "Beerse", "Buggenhout", "Denderleeuw", "Erpe-Mere", "Grimbergen", "Herentals", "Herzele",
    "Kraainem", "Lanaken", "Linkebeek", "Merksplas", "Rijkevorsel", "Rumst", "Sint-Pieters-Leeuw", "Tielt",
    "Wichelen", "Zottegem",
]
EXPECTED_MODULES = [
    "Algemene introductie over hulp aan ondernemers in nood",
    "Sociale zekerheid zelfstandigen",
    "faillissementswetgeving",
    "Hoe doe je een vermogensonderzoek bij zelfstandigen",
]
# The 25 municipalities whose agreement says "met zitdag" in the answer's table.
EXPECTED_WITH_CONSULTATION_DAY = {
    "Blankenberge", "Brugge", "Deerlijk", "Edegem", "Genk", "Gent", "Geraardsbergen", "Ieper", "Ingelmunster",
    "Izegem", "Knokke-Heist", "Koksijde", "Kortrijk", "Lier", "Mechelen", "Menen", "Merelbeke", "Ninove",
    "Oostende", "Sint-Truiden", "Tienen", "Torhout", "Wemmel", "Wervik", "Wevelgem",
}


def test_run_exits_zero_and_quietly(seed_run):
    result, _ = seed_run
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""


def test_documents_row_describes_the_pdf(seed_output):
    (row,) = read_csv(seed_output / "documents.csv")
    pdf = RAW / "ocmw-samenwerking-met-dyzo.pdf"
    assert row == {
        "document_id": SEED_ID,
        "file_name": pdf.name,
        "sha256": hashlib.sha256(pdf.read_bytes()).hexdigest(),
        "pages": "5",
        "title": "OCMW’s - Samenwerking met Dyzo",
        "status": "ok",
        "error": "",
        "question_number": "",
        "question_date": "",
    }


def test_agreements_has_the_89_municipalities_25_with_consultation_day(seed_output):
    rows = read_csv(seed_output / "agreements.csv")
    assert len(rows) == 89
    assert {r["municipality"] for r in rows if r["with_consultation_day"] == "true"} == EXPECTED_WITH_CONSULTATION_DAY
    assert Counter(r["with_consultation_day"] for r in rows) == {"true": 25, "false": 64}
    assert {r["reference_date"] for r in rows} == {"2016-12-31"}
    assert rows[0] == {
        "document_id": SEED_ID, "municipality": "Aalter", "nis_code": "44001", "with_consultation_day": "false",
        "agreement_raw": "Overeenkomst zonder zitdag", "reference_date": "2016-12-31", "page": "2",
    }
    assert rows[-1]["municipality"] == "Zwevegem" and rows[-1]["page"] == "3"


def test_hyphenated_name_wrapped_in_its_cell_comes_out_whole(seed_output):
    rows = {r["municipality"]: r for r in read_csv(seed_output / "agreements.csv")}
    assert "Langemark-Poelkapelle" in rows
    assert rows["Langemark-Poelkapelle"]["nis_code"] == "33040"
    assert not any(name.endswith("-") or name == "Poelkapelle" for name in rows)


def test_agreement_nis_codes_are_those_valid_on_the_reference_date(seed_output):
    rows = {r["municipality"]: r["nis_code"] for r in read_csv(seed_output / "agreements.csv")}
    assert all(len(code) == 5 for code in rows.values())
    # Codes that changed with the mergers of 2019 and 2025 keep their 2016 value.
    assert rows["Aalter"] == "44001"
    assert rows["Puurs"] == "12030"
    assert rows["Wingene"] == "37018"
    assert rows["Lochristi"] == "44034"


def test_per_dossier_keeps_the_18_names_listed(seed_output):
    rows = read_csv(seed_output / "per_dossier.csv")
    assert [r["municipality"] for r in rows] == EXPECTED_PER_DOSSIER
    assert {r["year"] for r in rows} == {"2016"}
    assert {r["page"] for r in rows} == {"2"}
    codes = {r["municipality"]: r["nis_code"] for r in rows}
    assert codes["Tielt"] == "37015"  # Statbel's "Tielt (Tielt)"
    assert codes["Sint-Pieters-Leeuw"] == "23077"


def test_trainings_are_43_sessions_adding_up_to_the_declared_863(seed_output):
    rows = read_csv(seed_output / "trainings.csv")
    assert len(rows) == 43
    assert sum(int(r["participants"]) for r in rows) == 863
    assert not any(r["organiser"].lower().startswith("totaal") for r in rows)
    first = rows[0]
    assert (first["date"], first["organiser"], first["target_group"], first["participants"]) == (
        "2014-01-13", "RWO arr Oudenaarde", "Medewerkers regionale OCMW's", "21"
    )
    assert first["date_raw"] == "13/01/201\n4"
    assert [r["position"] for r in rows] == [str(i) for i in range(1, 44)]


def test_trainings_rows_that_wrapped_are_rejoined(seed_output):
    rows = read_csv(seed_output / "trainings.csv")
    by_date = {}
    for r in rows:
        by_date.setdefault(r["date"], []).append(r)
    assert by_date["2015-03-10"][0]["organiser"] == "OCMW Heusden Zolder"
    assert by_date["2014-03-18"][0]["target_group"] == "Medewerkers programmacel/diversiteit"
    assert by_date["2015-10-27"][0]["target_group"] == "sociale dienst ziekenhuis OLV Lourdes"
    assert by_date["2014-11-03"][0]["date_raw"] == "3/11/2014"  # a date that fitted on one line
    assert by_date["2016-12-19"][0]["page"] == "5"
    assert [r["organiser"] for r in by_date["2015-05-27"]] == ["Dyzo", "Dyzo"]


def test_trainings_pages_follow_the_table_over_three_pages(seed_output):
    pages = Counter(r["page"] for r in read_csv(seed_output / "trainings.csv"))
    assert pages == {"3": 3, "4": 35, "5": 5}


def test_modules_are_the_four_of_answer_3_in_order(seed_output):
    rows = read_csv(seed_output / "training_modules.csv")
    assert [r["module"] for r in rows] == EXPECTED_MODULES
    assert [r["position"] for r in rows] == ["1", "2", "3", "4"]


def test_subsidies_per_year_with_the_typo_repaired(seed_output):
    rows = read_csv(seed_output / "subsidies.csv")
    assert [(r["year"], r["amount_eur"], r["amount_raw"], r["page"]) for r in rows] == [
        ("2015", "470000", "470.000 euro", "5"),
        ("2016", "470000", "470.000 euro", "5"),
        ("2017", "525000", "525.00 euro", "5"),
    ]


def test_every_table_cell_is_in_cells(seed_output):
    rows = read_csv(seed_output / "cells.csv")
    per_table = Counter(r["table_id"] for r in rows)
    # agreements: 2 columns x (header + 89 rows); trainings: 4 columns x (header + 43 rows + Totaal)
    assert per_table == {"t1": 2 * 90, "t2": 4 * 45}
    header = [r for r in rows if r["table_id"] == "t2" and r["row"] == "1"]
    assert [r["text"] for r in header] == ["Datum", "Inrichter", "Doelgroep", "Aantal deelnemers"]
    assert header[3]["text_raw"] == "Aantal\ndeelnemers"
    totaal = [r for r in rows if r["table_id"] == "t2" and r["row"] == "45"]
    assert [r["text"] for r in totaal] == ["Totaal", "", "", "863"]
    assert {r["header"] for r in rows if r["table_id"] == "t1"} == {"Gemeente/stad", "Overeenkomst"}


def test_repairs_record_each_rule_with_raw_text_and_page(seed_output):
    rows = read_csv(seed_output / "repairs.csv")
    by_rule = Counter(r["rule"] for r in rows)
    # The published text has 30 dates broken after "201" (e.g. "13/01/201" + "4").
    assert by_rule["cell-wrap-midtoken"] == 30
    assert by_rule["table-continued"] == 3  # agreements onto page 3, trainings onto pages 4 and 5
    langemark = next(r for r in rows if r["repaired"] == "Langemark-Poelkapelle")
    assert (langemark["rule"], langemark["raw"], langemark["dataset"], langemark["page"]) == (
        "cell-wrap-hyphen", "Langemark-\nPoelkapelle", "agreements", "2"
    )
    typo = next(r for r in rows if r["rule"] == "amount-thousands-typo")
    assert (typo["raw"], typo["repaired"], typo["dataset"], typo["field"], typo["page"]) == (
        "525.00 euro", "525000", "subsidies", "amount_eur", "5"
    )
    leeuw = next(r for r in rows if r["repaired"] == "Sint-Pieters-Leeuw")
    assert (leeuw["rule"], leeuw["raw"], leeuw["dataset"]) == ("text-wrap-hyphen", "Sint-Pieters-\nLeeuw", "per_dossier")
    heusden = next(r for r in rows if r["repaired"] == "OCMW Heusden Zolder")
    assert heusden["rule"] == "cell-wrap-space"
