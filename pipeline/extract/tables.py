"""Finding a page's tables: one finder, strategies tried in turn, in the manner of pdfplumber's TableSettings.

Each strategy finds tables of one way of drawing them among the words no earlier strategy
claimed, and may let a later, better reading replace an earlier one's pieces:

- `lines`: drawn lines or the edges of rectangles, filled or stroked, cut into a grid of
  cells (pdfplumber's own edges → intersections → cells); a grid of one column whose text
  runs in aligned columns gets its columns from the text's gutters;
- `bands`: rows drawn as horizontal rules or shaded bands with no vertical line, columns
  from the text (`pipeline.extract.bands`); it replaces the one-row pieces the grid finder
  makes of shaded bands;
- `borderless`: columns of text aligned by white space alone (`pipeline.extract.borderless`),
  on the lines that no drawn table holds, continuing a borderless table the previous page
  ended with.

`TableSettings.strategies` names the strategies and their order; every intermediate (the
grids, the band stacks, the gutters) comes from a small function of its own.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from pipeline.extract.bands import band_table, edge_stacks
from pipeline.extract.borderless import find_borderless_tables, free_intervals, split_by_gutters
from pipeline.extract.layout import Box, Cell, Line, Table, Word
from pipeline.extract.words import group_lines
from pipeline.settings import Settings


@dataclass(frozen=True)
class PageGeometry:
    """What the strategies look at on one page, in the page's reading orientation."""

    number: int
    words: Sequence[Word]
    edges: Sequence[dict[str, Any]]  # pdfplumber edge dicts of the page's lines and rectangles
    previous: Table | None = None  # the table the previous page ended with, if nothing came after it


@dataclass
class Found:
    """The tables found so far, and the words none of them holds."""

    tables: list[Table]
    words: list[Word]

    def claim(self, table: Table) -> None:
        self.tables.append(table)
        self.words = [w for w in self.words if not table.box.contains_point(w.box.center_x, w.box.center_y)]

    def give_back(self, tables: Sequence[Table], page: PageGeometry) -> None:
        """Drop `tables`; their words are free again for a strategy that reads them better."""
        self.tables = [t for t in self.tables if t not in tables]
        held = [t.box for t in self.tables]
        self.words = [w for w in page.words if not any(b.contains_point(w.box.center_x, w.box.center_y) for b in held)]


Strategy = Callable[[PageGeometry, Found, Settings], None]


@dataclass(frozen=True)
class TableSettings:
    strategies: tuple[str, ...] = ("lines", "bands")  # then `borderless`, on the lines left over
    borderless: bool = True


def lines_strategy(page: PageGeometry, found: Found, settings: Settings) -> None:
    """Tables drawn with lines or rectangles, as pdfplumber's `find_tables()` finds them from the edges."""
    for grid in (g for g in find_grids(page.edges) if _is_grid(g)):
        box = Box(*map(float, grid.bbox))
        inside = [w for w in found.words if box.contains_point(w.box.center_x, w.box.center_y)]
        if inside:  # an empty frame is not a table
            found.claim(_table_from_grid(page.number, box, grid, inside, settings))


def bands_strategy(page: PageGeometry, found: Found, settings: Settings) -> None:
    """Rows drawn as rules or shaded bands, columns aligned; a grid of several rows and columns stands."""
    for stack in edge_stacks([e for e in page.edges if e["orientation"] == "h"]):
        pieces = [t for t in found.tables if _overlaps(t.box, stack_box(stack))]
        if any(t.n_rows >= 2 and t.n_columns >= 2 for t in pieces):
            continue  # a real grid: the rules are its own
        free = [w for w in page.words if not any(t.box.contains_point(w.box.center_x, w.box.center_y)
                                                 for t in found.tables if t not in pieces)]
        table = band_table(page.number, stack, free, settings)
        if table is not None:
            found.give_back([t for t in pieces if _overlaps(t.box, table.box)], page)
            found.claim(table)


STRATEGIES: dict[str, Strategy] = {"lines": lines_strategy, "bands": bands_strategy}


def stack_box(stack: Sequence[dict[str, Any]]) -> Box:
    return Box(min(float(e["x0"]) for e in stack), float(stack[0]["top"]), max(float(e["x1"]) for e in stack),
               float(stack[-1]["top"]))


def find_tables(page: PageGeometry, settings: Settings,
                table_settings: TableSettings = TableSettings()) -> tuple[list[Table], list[Line]]:
    """Every table on the page, top to bottom, and the lines of running text outside them."""
    found = Found([], list(page.words))
    for name in table_settings.strategies:
        STRATEGIES[name](page, found, settings)
    lines = group_lines(page.number, found.words, settings)
    tables = found.tables
    if table_settings.borderless:
        borderless, lines = find_borderless_tables(page.number, lines, settings, page.previous)
        tables = [*tables, *borderless]
    return sorted(tables, key=lambda t: t.box.top), lines


def _overlaps(a: Box, b: Box) -> bool:
    return a.x0 < b.x1 and b.x0 < a.x1 and a.top < b.bottom and b.top < a.bottom


def find_grids(page_edges: list[dict[str, Any]]) -> list[Any]:
    """pdfplumber's TableFinder with its default settings, on plain edge dicts: edges snapped and
    joined, intersections, cells, and cells grouped into tables, ordered as `find_tables()` orders them."""
    from pdfplumber import table as plumber_table
    from pdfplumber.utils import filter_edges

    defaults = plumber_table.TableSettings()
    merged = plumber_table.merge_edges(
        filter_edges(page_edges, "v") + filter_edges(page_edges, "h"),
        snap_x_tolerance=defaults.snap_x_tolerance, snap_y_tolerance=defaults.snap_y_tolerance,
        join_x_tolerance=defaults.join_x_tolerance, join_y_tolerance=defaults.join_y_tolerance,
    )
    grid_edges = filter_edges(merged, min_length=defaults.edge_min_length)
    intersections = plumber_table.edges_to_intersections(
        grid_edges, defaults.intersection_x_tolerance, defaults.intersection_y_tolerance)
    cells = plumber_table.intersections_to_cells(intersections)
    return [plumber_table.Table(None, group) for group in plumber_table.cells_to_tables(cells)]


def _is_grid(found_table: Any) -> bool:
    rows = found_table.rows
    n_columns = max((len(r.cells) for r in rows), default=0)
    # A single framed box is a text frame or a border around a paragraph, not a table.
    return len(rows) * n_columns >= 2


def _table_from_grid(page: int, box: Box, found_table: Any, words: list[Word], settings: Settings) -> Table:
    edges = _column_edges(found_table)
    # Rules or shaded bands across the whole width and no vertical rule: the rows are drawn, the
    # columns only aligned. Their edges come from the white space running through the rows' text.
    text_edges = _text_column_edges(box, words, settings) if len(edges) == 2 else None
    cell_boxes: list[tuple[int, int, Box]] = []
    for row_index, row in enumerate(found_table.rows):
        for bbox in row.cells:
            if bbox is None:
                continue  # covered by a cell spanning from the left or above
            cell_box = Box(*map(float, bbox))
            if text_edges is None:
                column = min(range(len(edges) - 1), key=lambda i: abs(edges[i] - cell_box.x0))
                cell_boxes.append((row_index, column, cell_box))
                continue
            for column in range(len(text_edges) - 1):
                left, right = max(cell_box.x0, text_edges[column]), min(cell_box.x1, text_edges[column + 1])
                cell_boxes.append((row_index, column, Box(left, cell_box.top, right, cell_box.bottom)))
    edges = text_edges or edges
    words_by_cell: dict[int, list[Word]] = {i: [] for i in range(len(cell_boxes))}
    for word in words:
        x, y = word.box.center_x, word.box.center_y  # once a word, not once a cell
        for i, (_, _, cell_box) in enumerate(cell_boxes):
            if cell_box.contains_point(x, y):
                words_by_cell[i].append(word)
                break
    cells = tuple(
        Cell(row, column, cell_box, tuple(group_lines(page, words_by_cell[i], settings)))
        for i, (row, column, cell_box) in enumerate(cell_boxes)
    )
    insets = [line.box.x0 - cell.box.x0 for cell in cells for line in cell.lines]
    return Table(
        page=page,
        box=box,
        n_rows=len(found_table.rows),
        n_columns=len(edges) - 1,
        cells=cells,
        column_edges=tuple(edges),
        ruled=True,
        padding=max(0.0, min(insets, default=0.0)),
    )


def _text_column_edges(box: Box, words: list[Word], settings: Settings) -> list[float] | None:
    """Column edges from gutters that run through every line of text in `box`; None without any."""
    lines = group_lines(0, words, settings)
    if len(lines) < 2:
        return None
    gutters = [g for g in free_intervals(lines, settings.borderless_min_gutter / 2)
               if g[1] - g[0] >= settings.borderless_min_gutter]
    per_column = [sum(1 for line in lines if split_by_gutters(line, gutters)[c]) for c in range(len(gutters) + 1)]
    if not gutters or min(per_column) < 2:
        return None
    return [box.x0, *((left + right) / 2 for left, right in gutters), box.x1]


def _column_edges(found_table: Any) -> list[float]:
    """Distinct x-positions of the grid's vertical rules, left to right."""
    xs = sorted(
        {round(float(bbox[0]), 1) for row in found_table.rows for bbox in row.cells if bbox is not None}
        | {round(float(found_table.bbox[2]), 1)}
    )
    edges: list[float] = []
    for x in xs:
        if not edges or x - edges[-1] > 1.0:
            edges.append(x)
    return edges
