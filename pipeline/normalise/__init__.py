"""Stage 2, normalise: an extracted `Document` becomes rows per dataset, with every repair recorded.

The sub-modules each handle one concern: `reading` (paragraphs in reading
order), `text` (wraps, Dutch dates, numbers, amounts), `tables` (stitching,
header rows, split rows), `recognise` (tables by header meaning), `facts` (what
the prose states) and `places` (NIS codes).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from typing import Any

from pipeline.extract.layout import Document
from pipeline.model import DocumentResult, Finding, Repair, TablePlace
from pipeline.normalise import facts
from pipeline.normalise.extraction import Extraction
from pipeline.normalise.places import Register, load_register
from pipeline.normalise.reading import document_blocks, paragraphs
from pipeline.normalise.recognise import read_tables
from pipeline.normalise.tables import TableGroup, cell_value, stitch_tables
from pipeline.normalise.text import WrapRules
from pipeline.normalise.vocabulary import document_vocabulary
from pipeline.settings import Settings

# The check each dataset's own figures are held against; a dataset with rows but
# no such figure in the answer gets a warning saying the cross-check was not possible.
DECLARED_FIGURE_CHECKS = {
    "agreements": "declared-row-count",
    "per_dossier": "declared-list-count",
    "trainings": "declared-total",
    "training_modules": "declared-list-count",
}


def normalise(document: Document, document_id: str, settings: Settings) -> DocumentResult:
    blocks = document_blocks(document, settings)
    rules = WrapRules(settings.fit_tolerance, document_vocabulary(document))
    groups = stitch_tables(blocks, settings, rules)
    table_extractions, findings, used_columns = read_tables(groups)
    running_text = paragraphs(blocks)
    extractions = [
        *table_extractions,
        facts.read_per_dossier(running_text),
        facts.read_modules(blocks),
        facts.read_subsidies(running_text),
    ]
    question_number, question_date = facts.question_header(blocks)
    result = DocumentResult(
        document_id=document_id,
        document={
            "document_id": document_id,
            "file_name": document.file_name,
            "sha256": document.sha256,
            "pages": document.n_pages,
            "title": facts.title(document, blocks),
            "status": "ok",
            "error": None,
            "question_number": question_number,
            "question_date": question_date,
        },
        findings=findings,
    )
    offsets = [_merge(result, extraction) for extraction in extractions]
    # read_tables returns one extraction per recognised table, in the order of `used_columns`.
    read_as = {table_id: (e.dataset, range(offset, offset + len(e.rows)))
               for table_id, e, offset in zip(used_columns, table_extractions, offsets)}
    result.tables = table_places(groups, read_as, result.rows)
    cells, cell_repairs = cell_rows(groups, used_columns, rules)
    result.rows["cells"] = [{"document_id": document_id, **row} for row in cells]
    result.repairs += cell_repairs
    for group in groups:
        result.repairs += group.repairs
    register = load_register()
    result.findings += assign_nis_codes(result.rows.get("agreements", []), "agreements", register,
                                        lambda row: row["reference_date"] or question_date)
    result.findings += assign_nis_codes(result.rows.get("per_dossier", []), "per_dossier", register,
                                        lambda row: dt.date(row["year"], 12, 31) if row["year"] else None)
    result.findings += missing_declarations(result)
    return result


def _merge(result: DocumentResult, extraction: Extraction) -> int:
    """Add the extraction's rows and records to `result`; the index its first row got."""
    rows = result.rows.setdefault(extraction.dataset, [])
    offset = len(rows)
    rows += [{"document_id": result.document_id, **row} for row in extraction.rows]
    result.repairs += extraction.repairs
    result.declarations += extraction.declarations
    result.findings += extraction.findings
    result.row_problems += [
        type(p)(p.dataset, p.row + offset, p.field, p.raw, p.message) for p in extraction.problems
    ]
    return offset


def table_places(
    groups: Sequence[TableGroup], read_as: dict[str, tuple[str, range]], rows: dict[str, list[dict[str, Any]]]
) -> list[TablePlace]:
    """Each table fragment's page and box, with the dataset rows read from it (for the report's pictures)."""
    places = []
    for group in groups:
        dataset, indexes = read_as.get(group.table_id, (None, range(0)))
        for number, fragment in enumerate(group.fragments):
            # A row is the fragment's whose page it gives; a row without a page is the table's first fragment's.
            mine = tuple(i for i in indexes
                         if rows[dataset][i].get("page", fragment.page if number == 0 else None) == fragment.page)
            places.append(TablePlace(group.table_id, fragment.page, fragment.box.as_tuple(), dataset, mine))
    return places


def cell_rows(
    groups: Sequence[TableGroup], used_columns: dict[str, dict[str, int]], rules: WrapRules
) -> tuple[list[dict[str, Any]], list[Repair]]:
    """Every physical cell of every table; repairs for the cells no dataset reports them for."""
    rows: list[dict[str, Any]] = []
    repairs: list[Repair] = []
    for group in groups:
        headers = group.header_texts or ("",) * group.n_columns
        mapped = set(used_columns.get(group.table_id, {}).values())
        for row_number, physical in enumerate(group.physical_rows, start=1):
            fragment_page = group.fragments[physical.fragment].page
            is_header = group.has_header and row_number == 1
            is_repeated_header = physical in group.repeated_headers
            for column, cell in enumerate(physical.cells):
                if cell is None:
                    continue
                value = cell_value([cell], group.padding, rules)
                rows.append(
                    {
                        "table_id": group.table_id,
                        "page": value.page or fragment_page,
                        "row": row_number,
                        "column": column + 1,
                        "header": headers[column] or None,
                        "text_raw": value.raw or None,
                        "text": value.text or None,
                    }
                )
                if is_header:
                    repairs += value.repairs("cells", "header")
                elif not is_repeated_header and column not in mapped:
                    repairs += value.repairs("cells", "text")
    return rows, repairs


def assign_nis_codes(
    rows: list[dict[str, Any]], dataset: str, register: Register, on: Callable[[dict[str, Any]], dt.date | None]
) -> list[Finding]:
    """Fill `nis_code` in place; one finding saying whether every name was found."""
    if not rows:
        return []
    unknown = []
    for row in rows:
        row["nis_code"] = register.code(row["municipality"], on(row))
        if row["nis_code"] is None:
            unknown.append(row["municipality"])
    if unknown:
        names = ", ".join(dict.fromkeys(unknown))
        return [Finding(dataset, "municipality-known", "warn",
                        f"{len(unknown)} of {len(rows)} names not in the register on the reference date: {names}",
                        expected=str(len(rows)), observed=str(len(rows) - len(unknown)))]
    return [Finding(dataset, "municipality-known", "pass", f"all {len(rows)} names found in the register",
                    expected=str(len(rows)), observed=str(len(rows)))]


def missing_declarations(result: DocumentResult) -> list[Finding]:
    declared = {d.dataset for d in result.declarations}
    return [
        Finding(dataset, check, "warn", "the answer states no figure to check these rows against")
        for dataset, check in DECLARED_FIGURE_CHECKS.items()
        if result.rows.get(dataset) and dataset not in declared
    ]
