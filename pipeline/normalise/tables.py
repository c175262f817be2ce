"""Tables: fragments stitched across pages, header rows told from data, rows re-joined.

A table that Word or LibreOffice lays out over several pages arrives here as one
fragment per page. `stitch_tables` puts them together again (keeping every
physical row for the `cells` dataset), `body_rows` gives the data rows with a
row that was split by a page break made whole, and `CellValue` is a cell's text
with its wraps undone and a record of how.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from pipeline.layout import Box, Cell, Line, Table
from pipeline.model import Repair
from pipeline.normalise.reading import Block, Paragraph
from pipeline.normalise.text import (
    CELL_RULES,
    DateFormatError,
    JoinKind,
    collapse_spaces,
    join_lines,
    parse_date,
    parse_integer,
)
from pipeline.settings import Settings

TOTAL_LABEL = re.compile(r"^(?:totaal|total|som|algemeen totaal)\b", re.IGNORECASE)


@dataclass(frozen=True)
class CellValue:
    """The text of one logical cell (one or more physical cells, when a row was split by a page break)."""

    parts: tuple[Cell, ...]
    text: str
    joins: tuple[JoinKind, ...]
    text_width: float

    @property
    def lines(self) -> tuple[Line, ...]:
        return tuple(line for part in self.parts for line in part.lines)

    @property
    def raw(self) -> str:
        return "\n".join(line.text for line in self.lines)

    @property
    def page(self) -> int:
        return self.parts[0].lines[0].page if self.parts[0].lines else 0

    @property
    def box(self) -> Box:
        return Box.union(line.box for line in self.lines) if self.lines else self.parts[0].box

    @property
    def is_empty(self) -> bool:
        return not self.text

    def repairs(self, dataset: str, field: str) -> list[Repair]:
        """One repair per kind of join used in this cell (none when it was a single line)."""
        return [
            Repair(dataset, field, self.page, self.raw, self.text, CELL_RULES[kind], self.box.as_tuple())
            for kind in dict.fromkeys(self.joins)
        ]


def cell_value(parts: Sequence[Cell], padding: float, settings: Settings) -> CellValue:
    lines = tuple(line for part in parts for line in part.lines)
    text_width = parts[0].box.width - 2 * padding
    text, joins = join_lines(lines, text_width, settings.fit_tolerance)
    return CellValue(tuple(parts), collapse_spaces(text), joins, text_width)


@dataclass(frozen=True)
class PhysicalRow:
    fragment: int  # index into TableGroup.fragments
    index: int  # row index within the fragment
    cells: tuple[Cell | None, ...]  # per column; None where a spanning cell covers it

    @property
    def page(self) -> int:
        for cell in self.cells:
            if cell is not None and cell.lines:
                return cell.lines[0].page
        return 0

    @property
    def texts(self) -> tuple[str, ...]:
        return tuple(collapse_spaces(c.text_raw) if c is not None else "" for c in self.cells)

    @property
    def is_empty(self) -> bool:
        return not any(self.texts)


@dataclass(frozen=True)
class LogicalRow:
    """A data row; more than one physical row when a page break split it."""

    parts: tuple[PhysicalRow, ...]
    values: tuple[CellValue, ...]

    @property
    def page(self) -> int:
        return self.parts[0].page

    @property
    def texts(self) -> tuple[str, ...]:
        return tuple(v.text for v in self.values)

    @property
    def is_total(self) -> bool:
        first = next((t for t in self.texts if t), "")
        return bool(TOTAL_LABEL.match(first))


@dataclass(frozen=True)
class TableGroup:
    """One logical table: its fragments over consecutive pages and what was learnt stitching them."""

    table_id: str
    fragments: tuple[Table, ...]
    context: tuple[Paragraph, ...]  # running text since the previous table: the table's introduction
    physical_rows: tuple[PhysicalRow, ...]
    has_header: bool
    repeated_headers: tuple[PhysicalRow, ...]
    rows: tuple[LogicalRow, ...]
    header: tuple[CellValue, ...] | None
    repairs: tuple[Repair, ...]

    @property
    def n_columns(self) -> int:
        return self.fragments[0].n_columns

    @property
    def page(self) -> int:
        return self.fragments[0].page

    @property
    def header_texts(self) -> tuple[str, ...]:
        return tuple(v.text for v in self.header) if self.header else ()

    @property
    def padding(self) -> float:
        return min(f.padding for f in self.fragments)


def physical_rows(fragment_index: int, table: Table) -> list[PhysicalRow]:
    rows = []
    for r in range(table.n_rows):
        by_column: list[Cell | None] = [None] * table.n_columns
        for cell in table.row(r):
            by_column[cell.column] = cell
        rows.append(PhysicalRow(fragment_index, r, tuple(by_column)))
    return rows


def same_columns(a: Table, b: Table, tolerance: float) -> bool:
    if a.n_columns != b.n_columns or a.ruled != b.ruled:
        return False
    return all(abs(x - y) <= tolerance for x, y in zip(a.column_edges, b.column_edges))


def group_fragments(blocks: Sequence[Block], settings: Settings) -> list[tuple[list[Table], list[Paragraph]]]:
    """Tables in reading order, each with the fragments that continue it and its introduction.

    A fragment continues the previous table when nothing stands between them but
    a page break and the columns are the same.
    """
    groups: list[tuple[list[Table], list[Paragraph]]] = []
    context: list[Paragraph] = []
    previous: Block | None = None
    for block in blocks:
        if isinstance(block, Paragraph):
            context.append(block)
        else:
            continues = (
                isinstance(previous, Table)
                and groups
                and block.page == previous.page + 1
                and same_columns(groups[-1][0][0], block, settings.column_edge_tolerance)
            )
            if continues:
                groups[-1][0].append(block)
            else:
                groups.append(([block], context))
            context = []
        previous = block
    return groups


def looks_like_data(texts: Sequence[str]) -> bool:
    """A row with a number or a date in it is data, not a header."""
    for text in texts:
        if parse_integer(text) is not None:
            return True
        try:
            parse_date(text)
            return True
        except DateFormatError:
            pass
    return False


def build_group(
    table_id: str, fragments: Sequence[Table], context: Sequence[Paragraph], settings: Settings
) -> TableGroup:
    padding = min(f.padding for f in fragments)
    rows = [row for i, fragment in enumerate(fragments) for row in physical_rows(i, fragment)]
    first = rows[0]
    has_header = not first.is_empty and not looks_like_data(first.texts)
    repairs: list[Repair] = []
    body: list[PhysicalRow] = []
    repeated: list[PhysicalRow] = []
    fragment_starts = {0}
    for i, fragment in enumerate(fragments[1:], start=1):
        repairs.append(
            Repair(
                "cells",
                "table_id",
                fragment.page,
                f"table on page {fragment.page}: {fragment.n_rows} rows x {fragment.n_columns} columns",
                f"{table_id}, continued from page {fragments[i - 1].page}",
                "table-continued",
                fragment.box.as_tuple(),
            )
        )
    for row in rows:
        if row is first and has_header:
            continue
        is_first_of_fragment = row.index == 0 and row.fragment > 0
        if is_first_of_fragment and has_header and row.texts == first.texts:
            repeated.append(row)
            cell = next(c for c in row.cells if c is not None)
            repairs.append(
                Repair("cells", "row", row.page, " | ".join(row.texts), "", "table-repeated-header", cell.box.as_tuple())
            )
            continue
        if row.is_empty:
            continue
        if is_first_of_fragment:
            fragment_starts.add(len(body))
        body.append(row)
    logical, split_repairs = merge_split_rows(body, fragment_starts, padding, settings)
    header = None
    if has_header:
        header = tuple(cell_value([c], padding, settings) if c is not None else _empty_value() for c in first.cells)
    return TableGroup(
        table_id=table_id,
        fragments=tuple(fragments),
        context=tuple(context),
        physical_rows=tuple(rows),
        has_header=has_header,
        repeated_headers=tuple(repeated),
        rows=tuple(logical),
        header=header,
        repairs=tuple(repairs + split_repairs),
    )


def _empty_value() -> CellValue:
    return CellValue((), "", (), 0.0)


def merge_split_rows(
    body: Sequence[PhysicalRow], fragment_starts: set[int], padding: float, settings: Settings
) -> tuple[list[LogicalRow], list[Repair]]:
    """Join the row before a page break with the row after it when one of them is incomplete.

    Incomplete: it leaves empty a column that every other data row fills. The
    layout engine puts a split row's lines on both pages, and a one-line cell
    beside a wrapped neighbour stands on one page only.
    """
    groups: list[list[PhysicalRow]] = [[row] for row in body]
    repairs: list[Repair] = []
    for start in sorted(fragment_starts - {0}, reverse=True):
        if start >= len(body) or start == 0:
            continue
        before, after = body[start - 1], body[start]
        others = [r for i, r in enumerate(body) if i not in (start - 1, start)]
        if len(others) < 2:
            continue
        always_filled = [c for c in range(len(before.cells)) if all(r.texts[c] for r in others)]
        incomplete = any(not before.texts[c] or not after.texts[c] for c in always_filled)
        if incomplete:
            groups[start - 1].extend(groups[start])
            groups[start] = []
    logical = []
    for parts in groups:
        if not parts:
            continue
        values = []
        for column in range(len(parts[0].cells)):
            cells = [p.cells[column] for p in parts if p.cells[column] is not None]
            values.append(cell_value(cells, padding, settings) if cells else _empty_value())
        row = LogicalRow(tuple(parts), tuple(values))
        if len(parts) > 1:
            raw = "\n".join(" | ".join(part.texts) for part in parts)
            box = Box.union(c.box for part in parts[:1] for c in part.cells if c is not None)
            repairs.append(Repair("cells", "row", row.page, raw, " | ".join(row.texts), "row-split-over-page",
                                  box.as_tuple()))
        logical.append(row)
    return logical, repairs


def stitch_tables(blocks: Sequence[Block], settings: Settings) -> list[TableGroup]:
    return [
        build_group(f"t{i}", fragments, context, settings)
        for i, (fragments, context) in enumerate(group_fragments(blocks, settings), start=1)
    ]
