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
    return isinstance(value, (int, float)) and not isinstance(value, bool) and _is_finite(value)


def _is_finite(number: int | float) -> bool:
    try:
        return math.isfinite(number)
    except OverflowError:  # an integer past the largest float
        return False


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


# The exact types of the values a column holds when every value fits, as the readers make them.
PLAIN_TYPES: dict[str, frozenset[type]] = {
    "integer": frozenset({int}), "number": frozenset({int, float}), "boolean": frozenset({bool}),
    "date": frozenset({dt.date}), "string": frozenset({str}),
}


def column_fits(field_type: str, values: Sequence[Any]) -> bool:
    """Whether every value fits, tested a whole column at a time (True is certain; False: look value by value)."""
    present = [value for value in values if value is not None]
    if not present:
        return True
    if not set(map(type, present)) <= PLAIN_TYPES[field_type]:
        return False
    if field_type == "integer":
        return INT64_MIN <= min(present) and max(present) <= INT64_MAX
    if field_type == "number":
        return all(map(_is_finite, present))
    if field_type == "string":
        return _is_unicode("".join(present))  # a lone surrogate stays one when joined
    return True


def fitted_rows(dataset: Dataset, rows: Sequence[Mapping[str, Any]]) -> tuple[list[Mapping[str, Any]], pd.DataFrame]:
    """The rows with every value that does not fit its column left empty, and one failure case per such
    value (columns as pandera's: column, check, failure_case, index). Rows that fit are returned as they are."""
    types = {f.name: f.type for f in dataset.fields}
    misfits: set[tuple[int, str]] = set()
    for name, field_type in types.items():
        values = [row.get(name) for row in rows]
        if not column_fits(field_type, values):
            fits = FITS[field_type]
            misfits.update((index, name) for index, value in enumerate(values) if value is not None and not fits(value))
    fitted = list(rows)
    cases = []
    for index in sorted({index for index, _ in misfits}):
        row = rows[index]
        fitted[index] = {name: None if (index, name) in misfits else value for name, value in row.items()}
        for name in row:
            if (index, name) in misfits:
                printed = ascii(row[name]) if isinstance(row[name], str) else repr(row[name])
                cases.append((name, type_check_name(types[name]), printed[:CASE_CHARACTERS], index))
    return fitted, pd.DataFrame(cases, columns=FAILURE_COLUMNS)
