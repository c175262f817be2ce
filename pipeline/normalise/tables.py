"""Tables: fragments stitched across pages, header rows told from data, rows re-joined.

A table that Word or LibreOffice lays out over several pages arrives here as one
fragment per page. `stitch_tables` puts them together again as `TableGroup`s,
keeping every physical row for the `cells` dataset (`physical_rows`, where the
lines of a borderless table are grouped into rows) and giving the data rows with
a row that a page break split made whole again (`rows`). `CellValue` is a cell's
text with its wraps undone and a record of how.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from pipeline.extract.layout import Box, Cell, Line, Table
from pipeline.model import Repair
from pipeline.normalise.reading import Block, Paragraph
from pipeline.normalise.text import (
    CELL_RULES,
    JoinKind,
    WrapRules,
    collapse_spaces,
    is_whole_date,
    parse_integer,
)
from pipeline.settings import Settings

TOTAL_LABEL = re.compile(r"(?:algemeen\s+)?(?:totaal|total|som|subtotaal)\s*:?", re.IGNORECASE)


@dataclass(frozen=True)
class CellValue:
    """The text of one logical cell (one or more physical cells, when a row was split by a page break)."""

    parts: tuple[Cell, ...]
    text: str
    joins: tuple[JoinKind, ...]

    @property
    def lines(self) -> tuple[Line, ...]:
        return tuple(line for part in self.parts for line in part.lines)

    @property
    def raw(self) -> str:
        return "\n".join(line.text for line in self.lines)

    @property
    def page(self) -> int:
        """Page of the first printed line; 0 for an empty cell."""
        return self.lines[0].page if self.lines else 0

    @property
    def box(self) -> Box:
        """Box of the printed text, or of the cell when it is empty."""
        boxes = [line.box for line in self.lines] or [part.box for part in self.parts]
        return Box.union(boxes) if boxes else Box(0.0, 0.0, 0.0, 0.0)

    @property
    def is_empty(self) -> bool:
        return not self.text

    def repairs(self, dataset: str, field: str) -> list[Repair]:
        """One repair per kind of join used in this cell (none when it was a single line)."""
        return [
            Repair(dataset, field, self.page, self.raw, self.text, CELL_RULES[kind], self.box.as_tuple())
            for kind in dict.fromkeys(self.joins)
        ]


def cell_value(parts: Sequence[Cell], padding: float, rules: WrapRules) -> CellValue:
    lines = tuple(line for part in parts for line in part.lines)
    text_width = parts[0].box.width - 2 * padding
    text, joins = rules.join(lines, text_width)
    return CellValue(tuple(parts), collapse_spaces(text), joins)


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
    def raw(self) -> str:
        """The row as printed: its cells' raw texts, separated by ` | `."""
        return " | ".join(c.text_raw for c in self.cells if c is not None and c.lines)

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
        """A row labelled `Totaal` in any of its cells (the label need not be in the first column)."""
        return any(TOTAL_LABEL.fullmatch(t) for t in self.texts)


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


def physical_rows(fragments: Sequence[Table], rules: WrapRules) -> list[PhysicalRow]:
    """The rows of each fragment of one table, each with one cell (or None) per column; the lines of a
    borderless table grouped into rows (`borderless_rows`)."""
    grids = [[_by_column(table, table.row(r)) for r in range(table.n_rows)] for table in fragments]
    borderless = [i for i, table in enumerate(fragments) if not table.ruled]
    if borderless:
        partitions = borderless_rows([grids[i] for i in borderless],
                                     [column_text_widths(fragments[i]) for i in borderless], rules)
        for i, groups in zip(borderless, partitions):
            grids[i] = [_merge_lines(fragments[i], [grids[i][j] for j in group], k) for k, group in enumerate(groups)]
    return [PhysicalRow(i, r, cells) for i, grid in enumerate(grids) for r, cells in enumerate(grid)]


def _by_column(table: Table, cells: Sequence[Cell]) -> tuple[Cell | None, ...]:
    by_column: list[Cell | None] = [None] * table.n_columns
    for cell in cells:
        by_column[cell.column] = cell
    return tuple(by_column)


def _merge_lines(table: Table, rows: Sequence[tuple[Cell | None, ...]], index: int) -> tuple[Cell | None, ...]:
    merged: list[Cell | None] = []
    for column in range(table.n_columns):
        cells = [row[column] for row in rows if row[column] is not None]
        lines = tuple(line for cell in cells for line in cell.lines)
        merged.append(Cell(index, column, Box.union(c.box for c in cells), lines) if cells else None)
    return tuple(merged)


# --- borderless rows -----------------------------------------------------------------

# A space is about this fraction of the font size wide; used to tell whether the
# next word would still have fitted on a line (then the break was not a wrap).
SPACE_WIDTH_IN_SIZES = 0.3
# How many lines up the previous text of a column is looked for: a cell's lines
# are at most a few lines apart, even with centred neighbours in between.
COLUMN_LOOKBACK = 4
# A row of a borderless table spans at most this many text lines.
MAX_LINES_PER_ROW = 12
# Costs of a partition into rows. Evidence from the glyphs outweighs everything;
# cells out of line with each other (per font size of offset) come next; then an
# empty cell; a line joined to the one above without any evidence costs least, so
# that rows are kept apart unless something holds them together.
EVIDENCE_COST = 100.0
MISALIGNMENT_COST = 3.0
EMPTY_CELL_COST = 1.0
UNSUPPORTED_JOIN_COST = 0.3
# A fragment's text lines, each with its cell (or None) per column.
Grid = Sequence[Sequence[Cell | None]]
# "tie": one row for sure, "apart": two rows for sure, "open": geometry cannot tell.
Link = Literal["tie", "apart", "open"]
Alignment = Literal["top", "centre", "bottom"]
ALIGNMENTS: tuple[Alignment, ...] = ("top", "centre", "bottom")


def column_text_widths(table: Table) -> list[float]:
    """A lower bound of the width text had in each column of a borderless table.

    Used to prove that a word would have fitted (so a break was no wrap): the
    column's own widest text, or the span up to the next column less the widest
    margins seen, whichever is wider; both are at most the real width.
    """
    widths = []
    for column in range(table.n_columns):
        cells = [c for c in table.cells if c.column == column and c.lines]
        text = max((line.box.x1 for c in cells for line in c.lines), default=0.0) - table.column_edges[column]
        last = column == table.n_columns - 1
        widths.append(text if last else max(text, max((c.box.width for c in cells), default=0.0)))
    return widths


def would_fit(previous: Line, following: Line, text_width: float) -> bool:
    """Whether the next line's first word would have fitted after `previous`: then it was no wrap."""
    space = SPACE_WIDTH_IN_SIZES * previous.size
    return previous.box.width + space + following.words[0].box.width <= text_width


@dataclass(frozen=True)
class Evidence:
    """What the geometry says about line `above` and a later line `below` being one row."""

    above: int
    below: int
    link: Link


def line_evidence(grid: Grid, widths: Sequence[float], rules: WrapRules) -> list[Evidence]:
    """How each line relates, per column, to the nearest line above with text in that column.

    A break mid-token or after a hyphen ties the two lines; a first word that
    would have fitted on the line above separates them (a wrap never leaves room
    for the next word); anything else is open. The nearest line with text in a
    column need not be the line just above: in a centred row a one-line cell sits
    half a line off its wrapped neighbours. A line opening with a total label
    starts a row of its own.
    """
    evidence = []
    for i, line in enumerate(grid):
        if i and any(TOTAL_LABEL.fullmatch(c.text_raw) for c in line if c is not None and c.lines):
            evidence.append(Evidence(i - 1, i, "apart"))
            continue
        for column, cell in enumerate(line):
            if cell is None or not cell.lines:
                continue
            above = next((j for j in range(i - 1, max(-1, i - 1 - COLUMN_LOOKBACK), -1)
                          if grid[j][column] is not None and grid[j][column].lines), None)
            if above is None:
                continue
            upper = grid[above][column]
            if rules.join_kind(upper.lines[-1], cell.lines[0], upper.box.width) != "space":
                link: Link = "tie"
            elif would_fit(upper.lines[-1], cell.lines[0], widths[column]):
                link = "apart"
            else:
                link = "open"
            evidence.append(Evidence(above, i, link))
    return evidence


# A cell's text as the row partition weighs it: its top, bottom and line height; None when empty.
CellSpan = tuple[float, float, float] | None


def cell_spans(grid: Grid) -> list[list[CellSpan]]:
    return [[(cell.box.top, cell.box.bottom, cell.box.height) if cell is not None and cell.lines else None
             for cell in line] for line in grid]


def candidate_row_costs(
    grid: Grid, evidence: Sequence[Evidence], continues: bool = False
) -> dict[Alignment, dict[tuple[int, int], float]]:
    """What taking lines `start..end` (inclusive) as one row costs, for each alignment and every
    run of at most `MAX_LINES_PER_ROW` lines: the geometric evidence it breaks, its empty cells,
    and how far its cells are out of line as the alignment puts them, in font sizes.

    In a table whose cells are top-aligned every cell of a row starts on the same line; centred,
    their middles coincide; bottom-aligned, their last lines. The runs ending at a line are grown
    upwards one line at a time, so each column's top, bottom and height are updated, not recomputed.

    On a page that `continues` a table whose cells are top-aligned, the first row may be the rest
    of a row the page break split, whose other cells are on the page before: its empty cells cost
    nothing there. (Bottom-aligned, such a line more likely opens a row of the new page.)
    """
    n_columns = len(grid[0]) if grid else 0
    spans = cell_spans(grid)
    evidence_below: list[list[Evidence]] = [[] for _ in grid]
    for e in evidence:
        evidence_below[e.below].append(e)
    costs: dict[Alignment, dict[tuple[int, int], float]] = {a: {} for a in ALIGNMENTS}
    for end in range(len(grid)):
        tops: list[float | None] = [None] * n_columns
        bottoms: list[float | None] = [None] * n_columns
        heights = [0.0] * n_columns
        for start in range(end, max(-1, end - MAX_LINES_PER_ROW), -1):
            for column, span in enumerate(spans[start]):
                if span is not None:
                    tops[column] = span[0]
                    if bottoms[column] is None:
                        bottoms[column] = span[1]
                    heights[column] = max(heights[column], span[2])
            filled = [c for c in range(n_columns) if bottoms[c] is not None]
            size = max((heights[c] for c in filled), default=0.0)
            broken = []
            for below in range(start, end + 1):
                for e in evidence_below[below]:
                    inside = e.above >= start
                    if (e.link == "tie" and not inside) or (e.link == "apart" and inside):
                        broken.append(EVIDENCE_COST)
                    elif e.link == "open" and inside:
                        broken.append(UNSUPPORTED_JOIN_COST)
            for alignment in ALIGNMENTS:
                marks = [tops[c] if alignment == "top" else bottoms[c] if alignment == "bottom"
                         else (tops[c] + bottoms[c]) / 2 for c in filled]
                misalignment = (max(marks) - min(marks)) / size if len(marks) > 1 and size else 0.0
                cost = MISALIGNMENT_COST * misalignment
                if not (continues and start == 0 and alignment == "top"):
                    cost += EMPTY_CELL_COST * (n_columns - len(filled))
                for term in broken:
                    cost += term
                costs[alignment][start, end] = cost
    return costs


def cheapest_partition(n: int, row_costs: dict[tuple[int, int], float]) -> tuple[float, list[list[int]]]:
    """The cheapest partition of `n` lines into consecutive rows, and its cost."""
    best: list[tuple[float, int]] = [(0.0, 0)] + [(float("inf"), 0)] * n  # cost of lines 0..k-1, last row start
    for end in range(1, n + 1):
        for start in range(max(0, end - MAX_LINES_PER_ROW), end):
            cost = best[start][0] + row_costs[start, end - 1]
            if cost < best[end][0]:
                best[end] = (cost, start)
    groups = []
    end = n
    while end > 0:
        start = best[end][1]
        groups.append(list(range(start, end)))
        end = start
    return best[n][0], groups[::-1]


def borderless_rows(fragments: Sequence[Grid], widths: Sequence[Sequence[float]],
                    rules: WrapRules) -> list[list[list[int]]]:
    """For each fragment of one borderless table (its page's lines, and `column_text_widths`), the
    indices of the lines that make up each row, top to bottom.

    Tried for each vertical alignment (top, centre, bottom), the cheapest partition into rows wins:
    geometric evidence kept (`line_evidence`), each row's cells in line as the alignment puts them,
    few empty cells, and no line joined to the one above without a reason. The alignment is chosen
    for the whole table (a table's cells are aligned alike on every page; a page with no row of
    several lines cannot tell), top on a tie.
    """
    partitions: dict[Alignment, list[list[list[int]]]] = {a: [] for a in ALIGNMENTS}
    totals = dict.fromkeys(ALIGNMENTS, 0.0)
    for index, (grid, column_widths) in enumerate(zip(fragments, widths)):
        costs = candidate_row_costs(grid, line_evidence(grid, column_widths, rules), continues=index > 0)
        for alignment in ALIGNMENTS:
            cost, groups = cheapest_partition(len(grid), costs[alignment])
            totals[alignment] += cost
            partitions[alignment].append(groups)
    return partitions[min(ALIGNMENTS, key=totals.__getitem__)]


def same_columns(a: Table, b: Table, tolerance: float) -> bool:
    if a.n_columns != b.n_columns or a.ruled != b.ruled:
        return False
    # A borderless table's right edge is where its longest text ends, which
    # differs from page to page; its columns are known by where they start.
    edges = slice(None) if a.ruled else slice(None, -1)
    return all(abs(x - y) <= tolerance for x, y in zip(a.column_edges[edges], b.column_edges[edges]))


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
        if parse_integer(text) is not None or is_whole_date(text):
            return True
    return False


def build_group(
    table_id: str, fragments: Sequence[Table], context: Sequence[Paragraph], rules: WrapRules
) -> TableGroup:
    padding = min(f.padding for f in fragments)
    rows = physical_rows(fragments, rules)
    first = rows[0]
    has_header = not first.is_empty and not looks_like_data(first.texts)
    repairs: list[tuple[Repair, LogicalRow]] = []
    body: list[PhysicalRow] = []
    repeated: list[PhysicalRow] = []
    fragment_starts = {0}
    for i, fragment in enumerate(fragments[1:], start=1):
        # The printed text of the fragment's first row, so the auditor sees where the table resumed.
        resumed = next(row for row in rows if row.fragment == i)
        repairs.append(
            Repair(
                "cells",
                "table_id",
                fragment.page,
                resumed.raw,
                f"{table_id}, continued from page {fragments[i - 1].page}",
                "table-continued",
                fragment.box.as_tuple(),
                (("table_id", table_id),),
            )
        )
    for row in rows:
        if row is first and has_header:
            continue
        if row.index == 0 and row.fragment > 0 and has_header and row.texts == first.texts:
            repeated.append(row)
            cell = next(c for c in row.cells if c is not None)
            repairs.append(
                Repair("cells", "row", row.page, row.raw, "", "table-repeated-header", cell.box.as_tuple(),
                       (("table_id", table_id), ("row", rows.index(row) + 1)))
            )
            continue
        if row.is_empty:
            continue
        if body and body[-1].fragment != row.fragment:
            fragment_starts.add(len(body))
        body.append(row)
    logical, split_repairs = merge_split_rows(body, fragment_starts, padding, rules)
    # A split row's repair changed the cells of its first printed row.
    split_repairs = [dataclasses.replace(r, row_key=(("table_id", table_id), ("row", rows.index(row.parts[0]) + 1)))
                     for r, row in split_repairs]
    header = None
    if has_header:
        header = tuple(cell_value([c], padding, rules) if c is not None else _empty_value() for c in first.cells)
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
    return CellValue((), "", ())


def row_continues(before: PhysicalRow, after: PhysicalRow, others: Sequence[PhysicalRow], padding: float,
                  rules: WrapRules) -> bool:
    """Whether the rows either side of a page break are one row that the break split.

    Either one of them leaves empty a column that every other data row fills (a
    one-line cell beside a wrapped neighbour stands on one page only), or a cell
    before the break ends in a line that continues after it: broken mid-token or
    after a hyphen, by the same rules as a wrap inside a cell.
    """
    always_filled = [c for c in range(len(before.cells)) if others and all(r.texts[c] for r in others)]
    if any(not before.texts[c] or not after.texts[c] for c in always_filled):
        return True
    for above, below in zip(before.cells, after.cells):
        if above is None or below is None or not above.lines or not below.lines:
            continue
        text_width = above.box.width - 2 * padding
        if rules.join_kind(above.lines[-1], below.lines[0], text_width) != "space":
            return True
    return False


def merge_split_rows(
    body: Sequence[PhysicalRow], fragment_starts: set[int], padding: float, rules: WrapRules
) -> tuple[list[LogicalRow], list[tuple[Repair, LogicalRow]]]:
    """Join the row before a page break with the row after it when the break split it (`row_continues`)."""
    groups: list[list[PhysicalRow]] = [[row] for row in body]
    repairs: list[Repair] = []
    for start in sorted(fragment_starts - {0}, reverse=True):
        if start >= len(body) or start == 0:
            continue
        before, after = body[start - 1], body[start]
        others = [r for i, r in enumerate(body) if i not in (start - 1, start)]
        if row_continues(before, after, others if len(others) >= 2 else [], padding, rules):
            groups[start - 1].extend(groups[start])
            groups[start] = []
    logical = []
    for parts in groups:
        if not parts:
            continue
        values = []
        for column in range(len(parts[0].cells)):
            cells = [p.cells[column] for p in parts if p.cells[column] is not None]
            values.append(cell_value(cells, padding, rules) if cells else _empty_value())
        row = LogicalRow(tuple(parts), tuple(values))
        if len(parts) > 1:
            raw = "\n".join(part.raw for part in parts)
            box = Box.union(c.box for part in parts[:1] for c in part.cells if c is not None)
            repairs.append((Repair("cells", "row", row.page, raw, " | ".join(row.texts), "row-split-over-page",
                                   box.as_tuple()), row))
        logical.append(row)
    return logical, repairs


def stitch_tables(blocks: Sequence[Block], settings: Settings, rules: WrapRules) -> list[TableGroup]:
    return [
        build_group(f"t{i}", fragments, context, rules)
        for i, (fragments, context) in enumerate(group_fragments(blocks, settings), start=1)
    ]
