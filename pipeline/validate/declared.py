"""Each document's own checks: whether it was read, its declared figures against its rows, its findings."""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

from pipeline.model import Declaration, DocumentResult, Status
from pipeline.validate.outcome import Check
from pipeline.validate.schema import RowsByDocument
from schemas.frames import is_missing
from schemas.spec import Dataset


def document_checks(
    result: DocumentResult, published: Mapping[str, RowsByDocument], datasets: Mapping[str, Dataset]
) -> list[Check]:
    """The checks of one document; `published` holds each dataset's published rows by document_id."""
    document_id = result.document_id
    if not result.ok:
        return [Check(document_id, "documents", "document-read", "fail", "readable PDF", result.error_slug or "",
                      f"{result.document['file_name']}: {result.document['error']}")]
    checks = [Check(document_id, "documents", "document-read", "pass", "readable PDF", "read",
                    f"{result.document['file_name']}: {result.document['pages']} pages read")]
    checks += [declaration_check(document_id, d, published[d.dataset]) for d in result.declarations]
    checks += [
        Check(document_id, f.dataset, f.check, f.status, f.expected, f.observed,
              f.message + (f" (page {f.page})" if f.page else ""), f.page)
        for f in result.findings
    ]
    for problem in result.row_problems:
        required = datasets[problem.dataset].field(problem.field).required
        rows = result.rows.get(problem.dataset, [])
        page = rows[problem.row].get("page") if 0 <= problem.row < len(rows) else None
        checks.append(Check(document_id, problem.dataset, "value-parsed", "fail" if required else "warn",
                            f"a {problem.field} value", repr(problem.raw),
                            f"{problem.field} left empty: {problem.message}", page if isinstance(page, int) else None))
    return checks


def declaration_check(document_id: str, declaration: Declaration, published: RowsByDocument) -> Check:
    """The declared figure against the document's published rows of the declaration's dataset."""
    kept = [True] * published.count(document_id)
    for column, allowed in declaration.scope:
        kept = [keep and not is_missing(value) and value in allowed
                for keep, value in zip(kept, published.values(document_id, column))]
    if declaration.total_of is None:
        observed = sum(kept)
        what = "rows" if declaration.check == "declared-row-count" else "items listed"
    else:
        values = published.values(document_id, declaration.total_of)
        observed = int(exact_sum([value for keep, value in zip(kept, values) if keep and not is_missing(value)]))
        what = f"sum of {declaration.total_of}"
    if observed == declaration.expected:
        status: Status = "pass"
    elif observed == 0:
        status = "fail"  # declared, and nothing read: the list or table was lost, whatever the check
    else:
        status = "warn" if declaration.check == "declared-list-count" else "fail"
    message = f"the answer states {declaration.expected} (page {declaration.page}: {declaration.quote!r}); {what}: {observed}"
    return Check(document_id, declaration.dataset, declaration.check, status, str(declaration.expected), str(observed),
                 message, declaration.page)


def exact_sum(numbers: list[Any]) -> int | float:
    """Whole numbers summed exactly at any size; numbers with decimals correctly rounded (`math.fsum`)."""
    return sum(numbers) if all(isinstance(n, int) for n in numbers) else math.fsum(numbers)
