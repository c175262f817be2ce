"""Stage 3, validate: merged rows against the schemas and against what the answers declare.

Input is the per-document results and the datasets to publish; output is the rows that
pass (what gets published), the rows that do not (quarantine, with the reason) and one
list of checks (`outcome`). Nothing is dropped silently: a row that fails its pandera
schema (`schema`) is quarantined and its document gets a failing `schema` check; each
document's declared figures and findings become checks too (`declared`), and text a
spreadsheet would run gets a warning (`formula`).
"""

from __future__ import annotations

from collections.abc import Sequence, Set

import pandas as pd

from pipeline.model import DocumentResult
from pipeline.validate.declared import document_checks
from pipeline.validate.formula import formula_like_text_checks
from pipeline.validate.outcome import Check, Validation
from pipeline.validate.schema import (
    RowsByDocument,
    failed_checks_by_row,
    merged_rows,
    problems_by_row,
    schema_checks,
    schema_failures,
)
from pipeline.validate.types import FAILURE_COLUMNS, fitted_rows
from schemas.frames import to_frame
from schemas.pandera_schemas import pandera_schema
from schemas.spec import Dataset

__all__ = ["Check", "Validation", "invalid_documents", "validate"]

DOCUMENT_NOT_PUBLISHED = "its documents row is quarantined"


def orphans(frame: pd.DataFrame, unpublished_documents: Set[str]) -> pd.DataFrame:
    """A failure case for each row of a document whose `documents` row is not published."""
    index = frame.index[frame["document_id"].isin(list(unpublished_documents))]
    return pd.DataFrame({"column": "document_id", "check": DOCUMENT_NOT_PUBLISHED,
                         "failure_case": frame.loc[index, "document_id"].astype(object), "index": index},
                        columns=FAILURE_COLUMNS)


def invalid_documents(results: Sequence[DocumentResult], documents: Dataset) -> dict[str, str]:
    """What fails in each document's `documents` row, by document_id: a document that says something
    impossible about itself (a question number past 64 bits) is better an error than a row missing
    from documents.csv."""
    rows, misfits = fitted_rows(documents, [r.document for r in results])
    frame = to_frame(documents, rows)
    failures = pd.concat([misfits, schema_failures(frame, pandera_schema(documents))], ignore_index=True)
    found: dict[str, list[str]] = {}
    for index, column, check, case in zip(failures["index"], failures["column"], failures["check"],
                                          failures["failure_case"]):
        if pd.notna(index):
            found.setdefault(frame.at[int(index), "document_id"], []).append(f"{column}: {case} is not {check}")
    return {document_id: "; ".join(dict.fromkeys(problems)) for document_id, problems in found.items()}


def validate(results: Sequence[DocumentResult], datasets: Sequence[Dataset]) -> Validation:
    """Every dataset's merged rows checked; `datasets` are those to publish, in publishing order.

    A document whose `documents` row fails its schema has all its rows quarantined with it, so
    that no published row refers to a document that is not published.
    """
    results = sorted(results, key=lambda r: r.document_id)
    pages = {r.document_id: r.document["pages"] for r in results if isinstance(r.document["pages"], int)}
    validation = Validation(frames={}, quarantine={})
    unpublished_documents: set[str] = set()
    for dataset in datasets:
        rows, misfits = fitted_rows(dataset, merged_rows(results, dataset.name))
        frame = to_frame(dataset, rows)
        failures = pd.concat([schema_failures(frame, pandera_schema(dataset, pages)), misfits,
                              orphans(frame, unpublished_documents)], ignore_index=True)
        row_failures = failures[failures["index"].notna()]
        row_failures = row_failures.assign(
            document_id=[frame.at[int(i), "document_id"] for i in row_failures["index"]]
        )
        failed_index = sorted({int(i) for i in row_failures["index"]})
        problems = problems_by_row(results, dataset.name)
        for index, column, check, printed in zip(misfits["index"], misfits["column"], misfits["check"],
                                                 misfits["failure_case"]):
            problems.setdefault(int(index), []).append(f"{column}: {printed} is not {check}")
        if dataset.name == "documents":
            unpublished_documents = set(frame.loc[failed_index, "document_id"])
        validation.frames[dataset.name] = frame.drop(index=failed_index).reset_index(drop=True)
        quarantined = frame.loc[failed_index].copy()
        failed_checks = failed_checks_by_row(row_failures)
        quarantined["failed_checks"] = ["; ".join(sorted(failed_checks[i])) for i in failed_index]
        quarantined["reason"] = ["; ".join(problems.get(i, [])) for i in failed_index]
        validation.quarantine[dataset.name] = quarantined.reset_index(drop=True)
        validation.checks += schema_checks(results, dataset.name, frame, row_failures, failures)
    by_name = {d.name: d for d in datasets}
    published = {name: RowsByDocument(frame) for name, frame in validation.frames.items()}
    for result in results:
        validation.checks += document_checks(result, published, by_name)
    validation.checks += formula_like_text_checks(validation, datasets)
    return validation
