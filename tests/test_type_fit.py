"""Values a typed column cannot hold are left empty and named as failure cases; the rest pass as they are."""

from __future__ import annotations

import datetime as dt
import itertools
import math

from pipeline.validate.types import FITS, column_fits, fitted_rows
from schemas.spec import Dataset, Field

FITTING = {
    "integer": [0, -(2**63), 2**63 - 1, None],
    "number": [1, 2.5, -0.0, None],
    "boolean": [True, False, None],
    "date": [dt.date(2014, 1, 13), None],
    "string": ["OCMW", "Sint-Niklaas ", "café", "", None],
}
MISFITTING = {
    "integer": [2**63, -(2**63) - 1, True, 1.0, "12"],
    "number": [math.inf, math.nan, -math.inf, 10**400, False, "1,5"],
    "boolean": [1, "true"],
    "date": [dt.datetime(2014, 1, 13, 9), "13/01/2014"],
    "string": ["caf\udce9", "\ud800", 12],
}


def test_a_column_is_said_to_fit_only_when_every_value_fits():
    for field_type, good in FITTING.items():
        assert column_fits(field_type, good)
        for bad in MISFITTING[field_type]:
            assert not FITS[field_type](bad), (field_type, bad)
            for values in itertools.permutations([*good[:2], bad]):
                assert not column_fits(field_type, list(values)), (field_type, values)


def test_joined_lone_surrogates_do_not_pass_for_a_pair():
    assert not column_fits("string", ["a\ud83d", "\ude00b"])  # each half alone: no valid text


def test_each_misfit_is_left_empty_and_named_in_row_order_and_fitting_rows_are_kept_as_they_are():
    dataset = Dataset("t", "T", "T", "a row", (Field("n", "integer", "n", required=False),
                                               Field("name", "string", "name", required=False)))
    rows = [{"n": 1, "name": "Gent"}, {"n": 2**63, "name": "caf\udce9"}, {"n": 3, "name": "Aalst"},
            {"name": "\ud800", "n": True}]
    fitted, cases = fitted_rows(dataset, rows)
    assert fitted[0] is rows[0] and fitted[2] is rows[2]
    assert fitted[1] == {"n": None, "name": None} and fitted[3] == {"name": None, "n": None}
    assert cases.values.tolist() == [
        ["n", "an integer within int64", "9223372036854775808", 1],
        ["name", "valid Unicode text", "'caf\\udce9'", 1],
        ["name", "valid Unicode text", "'\\ud800'", 3],
        ["n", "an integer within int64", "True", 3],
    ]
