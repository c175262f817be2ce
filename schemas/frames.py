"""Typed containers derived from the declarations: pandas frames and Arrow schemas."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any

import pandas as pd
import pyarrow as pa

from schemas.spec import Dataset

ARROW_TYPES: dict[str, pa.DataType] = {
    "string": pa.string(),
    "integer": pa.int64(),
    "number": pa.float64(),
    "boolean": pa.bool_(),
    "date": pa.date32(),
}
_PANDAS_ARRAY_DTYPES = {"string": "string", "integer": "Int64", "number": "Float64", "boolean": "boolean"}


def is_missing(value: Any) -> bool:
    """A missing value as a frame's column holds one, or its `tolist()` gives it: None, pd.NA or NaN.
    (`value == value` is no test: pd.NA compares as NA, which has no truth value.)"""
    return value is None or value is pd.NA or (isinstance(value, float) and value != value)


def arrow_schema(dataset: Dataset) -> pa.Schema:
    return pa.schema(
        [pa.field(f.name, ARROW_TYPES[f.type], nullable=not f.required) for f in dataset.fields]
    )


def to_frame(dataset: Dataset, rows: Iterable[Mapping[str, Any]]) -> pd.DataFrame:
    """Rows of plain Python values (str, int, bool, datetime.date, None) as a typed frame.

    Missing keys become missing values; unknown keys are an error, because a
    column outside the declaration would silently vanish from the output.
    """
    rows = list(rows)
    known = set(dataset.columns)
    for row in rows:
        extra = set(row) - known
        if extra:
            raise ValueError(f"{dataset.name}: values for undeclared columns {sorted(extra)}")
    data: dict[str, Any] = {}
    for f in dataset.fields:
        values = [row.get(f.name) for row in rows]
        if f.type == "date":
            for value in values:
                if value is not None and not isinstance(value, dt.date):
                    raise TypeError(f"{dataset.name}.{f.name}: {value!r} is not a date")
            data[f.name] = pd.Series(values, dtype=object)
        else:
            data[f.name] = pd.array(values, dtype=_PANDAS_ARRAY_DTYPES[f.type])
    return pd.DataFrame(data, columns=list(dataset.columns))


def to_arrow(dataset: Dataset, frame: pd.DataFrame) -> pa.Table:
    """The frame as an Arrow table with exactly the declared types and no pandas metadata."""
    arrays = []
    for f in dataset.fields:
        column = frame[f.name]
        # pandas' typed arrays hand their values and missing mask to Arrow whole; dates are Python objects.
        values = column.tolist() if f.type == "date" else column.array
        arrays.append(pa.array(values, type=ARROW_TYPES[f.type], from_pandas=True))
    return pa.Table.from_arrays(arrays, schema=arrow_schema(dataset))
