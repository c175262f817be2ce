"""Stage 2, normalise: an extracted `Document` becomes rows per dataset, with every repair recorded.

The sub-modules each handle one concern: `reading` (paragraphs in reading order),
`text` (wraps, Dutch dates, numbers, amounts), `vocabulary` (the words the answer
prints whole), `tables` (stitching, header rows, split rows), `sentences`, `answer`
(the answer as paragraphs, enumerations and tables, whatever the topic), `content`
(what a column holds), `facts` (counts, dates, years, amounts in the prose),
`readers` (the profile's datasets read from the answer) and `places` (NIS codes).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

from pipeline.extract.layout import Document
from pipeline.model import DocumentResult, Finding, Repair, RowProblem, TablePlace
from pipeline.normalise import facts
from pipeline.normalise.answer import read_answer
from pipeline.normalise.content import ColumnType, column_type, typed_value
from pipeline.normalise.extraction import Extraction
from pipeline.normalise.places import Register, load_register
from pipeline.normalise.readers import read_profile
from pipeline.normalise.reading import document_blocks
from pipeline.normalise.tables import TableGroup, cell_value, stitch_tables
from pipeline.normalise.text import WrapRules
from pipeline.normalise.vocabulary import document_vocabulary
from pipeline.profiles import Profile
from pipeline.settings import Settings


def normalise(document: Document, document_id: str, settings: Settings, profile: Profile) -> DocumentResult:
    """The rows of `profile`'s datasets (and of `cells`) in one document, with every repair and finding."""
    blocks = document_blocks(document, settings)
    rules = WrapRules(settings.fit_tolerance, document_vocabulary(document))
    groups = stitch_tables(blocks, settings, rules)
    answer = read_answer(blocks, groups)
    register = load_register()
    question_number, question_date = facts.question_header(blocks)
    types = {g.table_id: column_types(g, register) for g in groups}
    reading = read_profile(answer, profile, register, types, question_date)
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
        findings=[f for f in reading.findings if f.check == "table-recognised"],
    )
    offsets = [_merge(result, extraction) for extraction in reading.extractions]
    read_as = {}
    for table_id, i in reading.table_extractions.items():
        extraction = reading.extractions[i]
        read_as[table_id] = (extraction.dataset, range(offsets[i], offsets[i] + len(extraction.rows)))
    result.tables = table_places(groups, read_as, result.rows)
    cells, cell_repairs = cell_rows(groups, reading.used_columns, rules, types, register, question_date)
    result.rows["cells"] = [{"document_id": document_id, **row} for row in cells]
    result.repairs += cell_repairs
    for group in groups:
        result.repairs += group.repairs
    result.findings += [f for f in reading.findings if f.check != "table-recognised"]
    result.findings += missing_declarations(result, profile)
    result.findings.append(datasets_found(result, profile))
    return result


def datasets_found(result: DocumentResult, profile: Profile) -> Finding:
    """Whether the document yields rows of any of the profile's datasets; if not, it may be on another topic."""
    names = [d.dataset.name for d in profile.datasets]
    found = [name for name in names if result.rows.get(name)]
    if found:
        return Finding("documents", "datasets-found", "pass", f"rows of {', '.join(found)}",
                       expected="rows of the profile's datasets", observed=", ".join(found))
    return Finding("documents", "datasets-found", "warn",
                   f"none of the {profile.name} profile's datasets ({', '.join(names)}) was found in the document: it "
                   "may be on another topic (choose its profile with --profile), or laid out in a form not read",
                   expected="rows of the profile's datasets", observed="none")


def _merge(result: DocumentResult, extraction: Extraction) -> int:
    """Add the extraction's rows and records to `result`; the index its first row got."""
    rows = result.rows.setdefault(extraction.dataset, [])
    offset = len(rows)
    rows += [{"document_id": result.document_id, **row} for row in extraction.rows]
    result.repairs += extraction.repairs
    result.declarations += extraction.declarations
    result.findings += extraction.findings
    result.row_problems += [
        RowProblem(p.dataset, p.row + offset, p.field, p.raw, p.message) for p in extraction.problems
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


def column_types(group: TableGroup, register: Register) -> list[ColumnType]:
    """Each column's type from its data rows' cells (a `Totaal` row left out)."""
    rows = [row for row in group.rows if not row.is_total]
    return [column_type([row.values[c].text for row in rows], register) for c in range(group.n_columns)]


def cell_rows(
    groups: Sequence[TableGroup], used_columns: Mapping[str, Mapping[str, int]], rules: WrapRules,
    types: Mapping[str, Sequence[ColumnType]], register: Register, question_date: dt.date | None,
) -> tuple[list[dict[str, Any]], list[Repair]]:
    """Every physical cell of every table, typed by its column; repairs for the cells no dataset reports."""
    rows: list[dict[str, Any]] = []
    repairs: list[Repair] = []
    for group in groups:
        headers = group.header_texts or ("",) * group.n_columns
        mapped = set(used_columns.get(group.table_id, {}).values())
        introduced = facts.intro_date(group.context)
        on = introduced.value if introduced else question_date
        for row_number, physical in enumerate(group.physical_rows, start=1):
            fragment_page = group.fragments[physical.fragment].page
            is_header = group.has_header and row_number == 1
            is_repeated_header = physical in group.repeated_headers
            for column, cell in enumerate(physical.cells):
                if cell is None:
                    continue
                value = cell_value([cell], group.padding, rules)
                typed = None if is_header or is_repeated_header else typed_value(
                    value.text, types[group.table_id][column].type, register)
                rows.append(
                    {
                        "table_id": group.table_id,
                        "page": value.page or fragment_page,
                        "row": row_number,
                        "column": column + 1,
                        "header": headers[column] or None,
                        "text_raw": value.raw or None,
                        "text": value.text or None,
                        "value_type": "header" if is_header or is_repeated_header else (typed.type if typed else None),
                        "number": float(typed.number) if typed and typed.number is not None else None,
                        "date": typed.date if typed else None,
                        "nis_code": register.code(typed.municipality, on) if typed and typed.municipality else None,
                    }
                )
                key = (("table_id", group.table_id), ("row", row_number), ("column", column + 1))
                if is_header:
                    repairs += [dataclasses.replace(r, row_key=key) for r in value.repairs("cells", "header")]
                elif not is_repeated_header and column not in mapped:
                    repairs += [dataclasses.replace(r, row_key=key) for r in value.repairs("cells", "text")]
    return rows, repairs


def missing_declarations(result: DocumentResult, profile: Profile) -> list[Finding]:
    """A dataset with rows, which answers usually give a figure for, without one: say the check was not possible."""
    declared = {d.dataset for d in result.declarations}
    findings = []
    for dataset in profile.published:
        check = profile.figure_check(dataset.name)
        if check is not None and result.rows.get(dataset.name) and dataset.name not in declared:
            findings.append(Finding(dataset.name, check, "warn", "the answer states no figure to check these rows against"))
    return findings
