"""Rows against their dataset's pandera schema; the rows that fail, and why, per document."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

import pandas as pd
import pandera.pandas as pa

from pipeline.model import DocumentResult
from pipeline.validate.outcome import Check


def merged_rows(results: Sequence[DocumentResult], dataset: str) -> list[dict[str, Any]]:
    if dataset == "documents":
        return [r.document for r in results]
    if dataset == "repairs":
        return [
            {
                "document_id": r.document_id,
                "dataset": rep.dataset,
                "field": rep.field,
                "page": rep.page,
                "raw": rep.raw,
                "repaired": rep.repaired,
                "rule": rep.rule,
                "row_key": row_key(rep.row_key),
            }
            for r in results
            for rep in r.repairs
        ]
    return [row for r in results for row in r.rows.get(dataset, [])]


def row_key(key: tuple[tuple[str, Any], ...]) -> str | None:
    """A repaired row's key as compact JSON (`{"position":3}`), joinable to its dataset's primary key."""
    return json.dumps(dict(key), ensure_ascii=False, separators=(",", ":"), default=str) if key else None


def problems_by_row(results: Sequence[DocumentResult], dataset: str) -> dict[int, list[str]]:
    """Row problems keyed by the row's index in the merged frame."""
    problems: dict[int, list[str]] = {}
    offset = 0
    for result in results:
        for problem in result.row_problems:
            if problem.dataset == dataset:
                problems.setdefault(offset + problem.row, []).append(
                    f"{problem.field}: {problem.message} (printed: {problem.raw!r})"
                )
        offset += len(result.rows.get(dataset, []))
    return problems


def failed_checks_by_row(row_failures: pd.DataFrame) -> dict[int, set[str]]:
    """Each failing row's failed checks (`column: check`), keyed by the row's index in the merged frame."""
    failed: dict[int, set[str]] = {}
    for index, column, check in zip(row_failures["index"], row_failures["column"], row_failures["check"]):
        failed.setdefault(int(index), set()).add(f"{column or 'row'}: {check}")
    return failed


class RowsByDocument:
    """A frame's rows by document_id, grouped in one pass, as plain Python values.

    Each document's checks look at its own rows only, instead of filtering the whole frame once
    per document, which is quadratic in the number of documents; and they read a column's values
    from one list made once per column, not from a frame sliced per document (pandas' cost per
    call, paid a few times for each of thousands of documents, was most of these checks' time).
    """

    def __init__(self, frame: pd.DataFrame) -> None:
        self.frame = frame
        self.positions = frame.groupby("document_id", sort=False).indices
        self._values: dict[str, list[Any]] = {}

    def count(self, document_id: str) -> int:
        return len(self.positions.get(document_id, ()))

    def values(self, document_id: str, column: str) -> list[Any]:
        """The column's values in the document's rows, in row order (pd.NA where missing)."""
        if column not in self._values:
            self._values[column] = self.frame[column].tolist()
        everyone = self._values[column]
        return [everyone[i] for i in self.positions.get(document_id, ())]


def schema_failures(frame: pd.DataFrame, schema: pa.DataFrameSchema) -> pd.DataFrame:
    """Pandera's failure cases (column, check, failure_case, index), empty when the frame is valid."""
    try:
        schema.validate(frame, lazy=True)
    except pa.errors.SchemaErrors as errors:
        cases = errors.failure_cases
        return cases[["column", "check", "failure_case", "index"]].astype({"failure_case": str})
    return pd.DataFrame(columns=["column", "check", "failure_case", "index"])


def schema_checks(
    results: Sequence[DocumentResult], dataset: str, frame: pd.DataFrame, row_failures: pd.DataFrame,
    failures: pd.DataFrame,
) -> list[Check]:
    checks = []
    rows_per_document = frame["document_id"].value_counts()
    frame_level = failures[failures["index"].isna()]
    # Grouped once for all documents; within a document the (column, check) order is the sorted one.
    failed_rows = row_failures.groupby("document_id")["index"].nunique()
    failed_by_check: dict[str, list[str]] = {}
    for (document_id, column, check), count in (
        row_failures.groupby(["document_id", "column", "check"], dropna=False)["index"].nunique().items()
    ):
        failed_by_check.setdefault(document_id, []).append(
            f"{column or 'row'}: {check} ({count} row{'s' if count != 1 else ''})")
    for result in results:
        if not result.ok and dataset != "documents":
            continue
        n_rows = int(rows_per_document.get(result.document_id, 0))
        n_failed = int(failed_rows.get(result.document_id, 0))
        if n_failed or len(frame_level):
            summary = "; ".join(failed_by_check.get(result.document_id, []))
            summary = summary or "; ".join(f"{c.column}: {c.check}" for c in frame_level.itertuples())
            checks.append(Check(result.document_id, dataset, "schema", "fail", f"{n_rows} rows valid",
                                f"{n_rows - n_failed} rows valid", f"{n_failed} of {n_rows} rows quarantined: {summary}"))
        else:
            checks.append(Check(result.document_id, dataset, "schema", "pass", f"{n_rows} rows valid",
                                f"{n_rows} rows valid", f"all {n_rows} rows pass the {dataset} schema"))
    return checks
