"""A document's declared figures against its published rows: counts within a scope, exact totals."""

from __future__ import annotations

import pandas as pd

from pipeline.model import Declaration
from pipeline.validate.declared import declaration_check
from pipeline.validate.schema import RowsByDocument
from schemas.frames import to_frame
from schemas.spec import Dataset, Field

SUBSIDIES = Dataset(
    "subsidies", "Subsidies", "Subsidies", "one subsidy",
    (Field("document_id", "string", "the answer"), Field("year", "integer", "the year", required=False),
     Field("amount_eur", "number", "euros", required=False), Field("units", "integer", "units", required=False)),
)


def published(rows: list[dict]) -> RowsByDocument:
    return RowsByDocument(to_frame(SUBSIDIES, rows))


def total(expected: int, column: str, scope: tuple = ()) -> Declaration:
    return Declaration("subsidies", "declared-total", expected, 2, f"Totaal {expected}", total_of=column, scope=scope)


def test_a_total_of_amounts_with_cents_is_summed_exactly_not_truncated_below_the_whole_euro():
    # Added one by one in floating point (Python's sum), 0.7 + 0.1 + 0.2 is 0.9999999999999999: 0 when truncated.
    rows = published([{"document_id": "a", "amount_eur": value} for value in (0.7, 0.1, 0.2)])
    check = declaration_check("a", total(1, "amount_eur"), rows)
    assert (check.status, check.observed) == ("pass", "1")


def test_a_total_of_whole_numbers_is_exact_past_the_precision_of_a_float():
    big = 2**53 + 1  # a float would make it 2**53
    rows = published([{"document_id": "a", "units": big}, {"document_id": "a", "units": 2}])
    check = declaration_check("a", total(big + 2, "units"), rows)
    assert (check.status, check.observed) == ("pass", str(big + 2))


def test_a_scoped_count_counts_only_the_documents_rows_in_scope_and_never_a_missing_value():
    rows = published([{"document_id": "a", "year": 2016}, {"document_id": "a", "year": None},
                      {"document_id": "a", "year": 2015}, {"document_id": "b", "year": 2016},
                      {"document_id": "a", "year": 2016}])
    declared = Declaration("subsidies", "declared-row-count", 2, 1, "in 2016: 2", scope=(("year", (2016,)),))
    check = declaration_check("a", declared, rows)
    assert (check.status, check.observed) == ("pass", "2")


def test_missing_amounts_add_nothing_and_a_declared_total_with_no_rows_fails():
    rows = published([{"document_id": "a", "year": 2016, "amount_eur": None},
                      {"document_id": "a", "year": 2016, "amount_eur": 525.0}])
    assert declaration_check("a", total(525, "amount_eur", (("year", (2016,)),)), rows).status == "pass"
    lost = declaration_check("nobody", total(525, "amount_eur"), rows)
    assert (lost.status, lost.observed) == ("fail", "0")


def test_a_documents_values_come_in_row_order_with_missing_ones_as_na():
    rows = published([{"document_id": "b", "year": 1}, {"document_id": "a", "year": 2},
                      {"document_id": "a", "year": None}])
    assert rows.values("a", "year")[0] == 2 and rows.values("a", "year")[1] is pd.NA
    assert rows.values("b", "year") == [1] and rows.values("c", "year") == []
