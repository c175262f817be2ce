"""Pandera schemas derived from dataset declarations (`schemas.spec`)."""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd
import pandera.pandas as pa

from schemas.spec import Dataset, Field

PANDAS_DTYPES: dict[str, object] = {
    "string": "string",
    "integer": "Int64",
    "number": "Float64",
    "boolean": "boolean",
    "date": pa.Date,
}

PAGE_CHECK_NAME = "page_within_document"


def field_checks(field: Field) -> list[pa.Check]:
    checks: list[pa.Check] = []
    if field.type == "string" and field.required:
        checks.append(pa.Check.str_length(min_value=1))
    if field.pattern is not None:
        checks.append(pa.Check.str_matches(field.pattern))
    if field.enum is not None:
        checks.append(pa.Check.isin(list(field.enum)))
    if field.minimum is not None:
        checks.append(pa.Check.ge(field.minimum))
    if field.maximum is not None:
        checks.append(pa.Check.le(field.maximum))
    return checks


def _page_within_document(page_field: str, pages_by_document: Mapping[str, int]) -> pa.Check:
    def check(frame: pd.DataFrame) -> pd.Series:
        limit = frame["document_id"].map(pages_by_document)
        # A document whose page count is unknown cannot be checked: only its own
        # failure (status=error) is reported, not one per row.
        return limit.isna() | (frame[page_field] <= limit).fillna(False)

    return pa.Check(check, name=PAGE_CHECK_NAME, error=f"{page_field} beyond the document's last page")


def pandera_schema(dataset: Dataset, pages_by_document: Mapping[str, int] | None = None) -> pa.DataFrameSchema:
    """The pandera schema of `dataset`; with `pages_by_document`, page numbers are checked too."""
    columns = {
        f.name: pa.Column(PANDAS_DTYPES[f.type], nullable=not f.required, checks=field_checks(f), coerce=False)
        for f in dataset.fields
    }
    frame_checks = []
    if pages_by_document is not None:
        frame_checks = [_page_within_document(f.name, pages_by_document) for f in dataset.fields if f.is_page]
    return pa.DataFrameSchema(
        columns,
        checks=frame_checks,
        unique=list(dataset.primary_key) or None,
        strict=True,
        ordered=True,
        name=dataset.name,
    )
