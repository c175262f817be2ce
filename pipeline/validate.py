"""Stage 3, validate: merged rows against the schemas and against what the answers declare.

Input is the per-document results; output is the rows that pass (what gets
published), the rows that do not (quarantine, with the reason) and one list of
checks. Nothing is dropped silently: a row that fails a schema check is
quarantined and its document gets a failing `schema` check.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import pandas as pd
import pandera.pandas as pa

from pipeline.catalogue import CHECKS
from pipeline.model import Declaration, DocumentResult, Status
from schemas.datasets import DATASETS, BY_NAME
from schemas.frames import to_frame
from schemas.pandera_schemas import pandera_schema



@dataclass(frozen=True)
class Check:
    document_id: str
    dataset: str
    check: str
    status: Status
    expected: str
    observed: str
    message: str

    def __post_init__(self) -> None:
        if self.check not in CHECKS:
            raise KeyError(f"check slug {self.check!r} is not in the catalogue")


@dataclass
class Validation:
    frames: dict[str, pd.DataFrame]  # rows that passed, per dataset, in publishing order
    quarantine: dict[str, pd.DataFrame]  # rows that failed, with `failed_checks` and `reason`
    checks: list[Check] = field(default_factory=list)

    @property
    def failed(self) -> bool:
        return any(c.status == "fail" for c in self.checks)


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
            }
            for r in results
            for rep in r.repairs
        ]
    return [row for r in results for row in r.rows.get(dataset, [])]


def _problems_by_row(results: Sequence[DocumentResult], dataset: str) -> dict[int, list[str]]:
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


def _failed_checks_by_row(row_failures: pd.DataFrame) -> dict[int, set[str]]:
    """Each failing row's failed checks (`column: check`), keyed by the row's index in the merged frame."""
    failed: dict[int, set[str]] = {}
    for index, column, check in zip(row_failures["index"], row_failures["column"], row_failures["check"]):
        failed.setdefault(int(index), set()).add(f"{column or 'row'}: {check}")
    return failed


class RowsByDocument:
    """A frame's rows by document_id, grouped in one pass; a document without rows gets an empty frame.

    Each document's checks look at its own rows only, instead of filtering the whole frame once
    per document, which is quadratic in the number of documents.
    """

    def __init__(self, frame: pd.DataFrame) -> None:
        self.frame = frame
        self.positions = frame.groupby("document_id", sort=False).indices

    def __getitem__(self, document_id: str) -> pd.DataFrame:
        return self.frame.take(self.positions.get(document_id, []))


def schema_failures(frame: pd.DataFrame, schema: pa.DataFrameSchema) -> pd.DataFrame:
    """Pandera's failure cases (column, check, failure_case, index), empty when the frame is valid."""
    try:
        schema.validate(frame, lazy=True)
    except pa.errors.SchemaErrors as errors:
        cases = errors.failure_cases
        return cases[["column", "check", "failure_case", "index"]].astype({"failure_case": str})
    return pd.DataFrame(columns=["column", "check", "failure_case", "index"])


def validate(results: Sequence[DocumentResult]) -> Validation:
    results = sorted(results, key=lambda r: r.document_id)
    pages = {r.document_id: r.document["pages"] for r in results if r.document["pages"]}
    validation = Validation(frames={}, quarantine={})
    for dataset in DATASETS:
        frame = to_frame(dataset, merged_rows(results, dataset.name))
        failures = schema_failures(frame, pandera_schema(dataset, pages))
        row_failures = failures[failures["index"].notna()]
        row_failures = row_failures.assign(
            document_id=[frame.at[int(i), "document_id"] for i in row_failures["index"]]
        )
        failed_index = sorted({int(i) for i in row_failures["index"]})
        problems = _problems_by_row(results, dataset.name)
        validation.frames[dataset.name] = frame.drop(index=failed_index).reset_index(drop=True)
        quarantined = frame.loc[failed_index].copy()
        failed_checks = _failed_checks_by_row(row_failures)
        quarantined["failed_checks"] = ["; ".join(sorted(failed_checks[i])) for i in failed_index]
        quarantined["reason"] = ["; ".join(problems.get(i, [])) for i in failed_index]
        validation.quarantine[dataset.name] = quarantined.reset_index(drop=True)
        validation.checks += schema_checks(results, dataset.name, frame, row_failures, failures)
    published = {name: RowsByDocument(frame) for name, frame in validation.frames.items()}
    for result in results:
        validation.checks += document_checks(result, published)
    validation.checks += formula_like_text_checks(validation)
    return validation


def schema_checks(
    results: Sequence[DocumentResult], dataset: str, frame: pd.DataFrame, row_failures: pd.DataFrame,
    failures: pd.DataFrame,
) -> list[Check]:
    checks = []
    rows_per_document = frame["document_id"].value_counts()
    frame_level = failures[failures["index"].isna()]
    failures_by_document = RowsByDocument(row_failures)
    for result in results:
        if not result.ok and dataset != "documents":
            continue
        mine = failures_by_document[result.document_id]
        n_rows = int(rows_per_document.get(result.document_id, 0))
        n_failed = mine["index"].nunique()
        if n_failed or len(frame_level):
            summary = "; ".join(
                f"{column or 'row'}: {check} ({count} row{'s' if count != 1 else ''})"
                for (column, check), count in mine.groupby(["column", "check"], dropna=False)["index"].nunique().items()
            )
            summary = summary or "; ".join(f"{c.column}: {c.check}" for c in frame_level.itertuples())
            checks.append(Check(result.document_id, dataset, "schema", "fail", f"{n_rows} rows valid",
                                f"{n_rows - n_failed} rows valid", f"{n_failed} of {n_rows} rows quarantined: {summary}"))
        else:
            checks.append(Check(result.document_id, dataset, "schema", "pass", f"{n_rows} rows valid",
                                f"{n_rows} rows valid", f"all {n_rows} rows pass the {dataset} schema"))
    return checks


def document_checks(result: DocumentResult, published: dict[str, RowsByDocument]) -> list[Check]:
    """The checks of one document; `published` holds each dataset's published rows by document_id."""
    document_id = result.document_id
    if not result.ok:
        return [Check(document_id, "documents", "document-read", "fail", "readable PDF", result.error_slug or "",
                      f"{result.document['file_name']}: {result.document['error']}")]
    checks = [Check(document_id, "documents", "document-read", "pass", "readable PDF", "read",
                    f"{result.document['file_name']}: {result.document['pages']} pages read")]
    checks += [declaration_check(document_id, d, published[d.dataset][document_id]) for d in result.declarations]
    checks += [
        Check(document_id, f.dataset, f.check, f.status, f.expected, f.observed,
              f.message + (f" (page {f.page})" if f.page else ""))
        for f in result.findings
    ]
    for problem in result.row_problems:
        required = BY_NAME[problem.dataset].field(problem.field).required
        checks.append(Check(document_id, problem.dataset, "value-parsed", "fail" if required else "warn",
                            f"a {problem.field} value", repr(problem.raw),
                            f"{problem.field} left empty: {problem.message}"))
    return checks


def declaration_check(document_id: str, declaration: Declaration, rows: pd.DataFrame) -> Check:
    """The declared figure against `rows`, the document's published rows of the declaration's dataset."""
    for column, values in declaration.scope:
        rows = rows[rows[column].isin(list(values))]
    if declaration.total_of is None:
        observed = len(rows)
        what = "rows" if declaration.check == "declared-row-count" else "items listed"
    else:
        observed = int(rows[declaration.total_of].sum())
        what = f"sum of {declaration.total_of}"
    if observed == declaration.expected:
        status: Status = "pass"
    else:
        status = "warn" if declaration.check == "declared-list-count" else "fail"
    message = f"the answer states {declaration.expected} (page {declaration.page}: {declaration.quote!r}); {what}: {observed}"
    return Check(document_id, declaration.dataset, declaration.check, status, str(declaration.expected), str(observed),
                 message)


FORMULA_STARTS = ("=", "+", "-", "@")
FORMULA_CELLS_LISTED = 10


def looks_like_formula(text: str) -> bool:
    """Would a spreadsheet opening the CSV run this text? `=` and `@` always start a formula; a sign
    does unless the text is a plain signed number (`-5`, `+1.250,50`) or signs only (`-`, `+/-`)."""
    if not text.startswith(FORMULA_STARTS):
        return False
    if text[0] in "=@":
        return True
    rest = text[1:].replace(".", "").replace(",", "")
    plain_number = rest.isascii() and rest.isdigit()
    return not plain_number and text.strip("+-/ ") != ""


def _rows_starting_like_a_formula(frame: pd.DataFrame, columns: Sequence[str]) -> pd.DataFrame:
    """The rows with a value in `columns` that starts with a formula's first character, in order:
    one vectorised pass, so that only these few rows are looked at value by value."""
    starts = pd.Series(False, index=frame.index)
    for column in columns:
        starts |= frame[column].str.startswith(FORMULA_STARTS).fillna(False).astype(bool)
    return frame[starts]


def formula_like_text_checks(validation: Validation) -> list[Check]:
    """One warning per document and dataset listing the published values that start like a formula.

    The values stay as the PDF has them (the data is what the answer says); the warning tells
    whoever opens the CSV in a spreadsheet to import those columns as text.
    """
    found: dict[tuple[str, str], dict[tuple[str, int | None], list[str]]] = {}
    for dataset in DATASETS:
        columns = [f.name for f in dataset.fields if f.type == "string" and f.name != "document_id"]
        for frame in (validation.frames[dataset.name], validation.quarantine[dataset.name]):
            for row in _rows_starting_like_a_formula(frame, columns).to_dict(orient="records"):
                for column in columns:
                    value = row.get(column)
                    if isinstance(value, str) and looks_like_formula(value):
                        page = row.get("page")
                        page = None if page is None or pd.isna(page) else int(page)
                        cells = found.setdefault((row["document_id"], dataset.name), {})
                        cells.setdefault((value, page), []).append(column)
    checks = []
    for (document_id, dataset), cells in sorted(found.items()):
        listed = [
            f"{value[:60]!r} in {', '.join(columns)}" + (f" (page {page})" if page is not None else "")
            for (value, page), columns in list(cells.items())[:FORMULA_CELLS_LISTED]
        ]
        more = f", and {len(cells) - FORMULA_CELLS_LISTED} more" if len(cells) > FORMULA_CELLS_LISTED else ""
        checks.append(Check(document_id, dataset, "formula-like-text", "warn", "no value starting with =, +, - or @",
                            f"{len(cells)} values",
                            f"{len(cells)} value{'s' if len(cells) != 1 else ''} a spreadsheet would run as a "
                            f"formula, published unchanged: {'; '.join(listed)}{more}: import the CSV with these "
                            f"columns as text"))
    return checks
