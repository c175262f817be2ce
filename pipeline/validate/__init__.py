"""Stage 3, validate: merged rows against the schemas and against what the answers declare.

Input is the per-document results and the datasets to publish; output is the rows that
pass (what gets published), the rows that do not (quarantine, with the reason) and one
list of checks (`outcome`). Nothing is dropped silently: a row that fails its pandera
schema (`schema`) is quarantined and its document gets a failing `schema` check; each
document's declared figures and findings become checks too (`declared`), and text a
spreadsheet would run gets a warning (`formula`).
"""

from __future__ import annotations

from collections.abc import Sequence

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
from schemas.frames import to_frame
from schemas.pandera_schemas import pandera_schema
from schemas.spec import Dataset

__all__ = ["Check", "Validation", "validate"]


def validate(results: Sequence[DocumentResult], datasets: Sequence[Dataset]) -> Validation:
    """Every dataset's merged rows checked; `datasets` are those to publish, in publishing order."""
    results = sorted(results, key=lambda r: r.document_id)
    pages = {r.document_id: r.document["pages"] for r in results if r.document["pages"]}
    validation = Validation(frames={}, quarantine={})
    for dataset in datasets:
        frame = to_frame(dataset, merged_rows(results, dataset.name))
        failures = schema_failures(frame, pandera_schema(dataset, pages))
        row_failures = failures[failures["index"].notna()]
        row_failures = row_failures.assign(
            document_id=[frame.at[int(i), "document_id"] for i in row_failures["index"]]
        )
        failed_index = sorted({int(i) for i in row_failures["index"]})
        problems = problems_by_row(results, dataset.name)
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
