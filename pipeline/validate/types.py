"""Values that do not fit their column's type: a schema failure of their row, never a crash.

A typed frame (pandas' nullable Int64 and Float64, Arrow's int64, float64 and date32) cannot hold
an infinite number, an integer past
64 bits (`99999999999999999999999` read from a cell), a text that is not a date, or text that
is not valid Unicode. Such a value is left empty so that its row can be held in a frame, and
the row fails the schema with a failure case naming the column and the printed value: it goes
to quarantine like any other failing row, and its document's `schema` check says why.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import pandas as pd

from schemas.spec import Dataset

INT64_MIN, INT64_MAX = -(2**63), 2**63 - 1
FAILURE_COLUMNS = ["column", "check", "failure_case", "index"]
CASE_CHARACTERS = 80


def _fits_integer(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and INT64_MIN <= value <= INT64_MAX


def _fits_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)


def _fits_date(value: Any) -> bool:
    return isinstance(value, dt.date) and not isinstance(value, dt.datetime)


def _fits_string(value: Any) -> bool:
    # ASCII text is valid Unicode: the encoding is tried only on the rest, for lone surrogates.
    return isinstance(value, str) and (value.isascii() or _is_unicode(value))


# Whether a column of each type can hold a value (None, a missing value, fits every type).
FITS: dict[str, Callable[[Any], bool]] = {
    "integer": _fits_integer, "number": _fits_number, "boolean": lambda value: isinstance(value, bool),
    "date": _fits_date, "string": _fits_string,
}


def _is_unicode(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def type_check_name(field_type: str) -> str:
    return {"integer": "an integer within int64", "number": "a finite number", "date": "a date",
            "boolean": "true or false"}.get(
        field_type, "valid Unicode text")


def fitted_rows(dataset: Dataset, rows: Sequence[Mapping[str, Any]]) -> tuple[list[dict[str, Any]], pd.DataFrame]:
    """The rows with every value that does not fit its column left empty, and one failure case per such
    value (columns as pandera's: column, check, failure_case, index)."""
    types = {f.name: f.type for f in dataset.fields}
    fits_column = {name: FITS[field_type] for name, field_type in types.items()}
    fitted: list[dict[str, Any]] = []
    cases = []
    for index, row in enumerate(rows):
        misfits = [name for name, value in row.items()
                   if value is not None and name in fits_column and not fits_column[name](value)]
        if not misfits:
            fitted.append(dict(row))
            continue
        fitted.append({name: None if name in misfits else value for name, value in row.items()})
        for name in misfits:
            printed = ascii(row[name]) if isinstance(row[name], str) else repr(row[name])
            cases.append((name, type_check_name(types[name]), printed[:CASE_CHARACTERS], index))
    return fitted, pd.DataFrame(cases, columns=FAILURE_COLUMNS)
