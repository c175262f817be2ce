"""Tables whose rows are drawn but whose columns are not: horizontal rules or shaded bands only.

Many templates draw a table as horizontal rules between the rows, or as alternate shaded
rows, with no vertical line at all. A grid finder sees no cells there (or one cell per
shaded row). This strategy takes the rows from a stack of horizontal edges of the same
width (rules, and the top and bottom of shaded rectangles, joined where they touch) and
the columns from the white space that runs through the text between them, as the
borderless finder does. A band at the top whose text runs across the columns is a
heading, not a row.

It works on plain edge dictionaries (`x0`, `x1`, `top`) and words, whatever read them.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from pipeline.extract.borderless import free_intervals, split_by_gutters
from pipeline.extract.layout import Box, Cell, Line, Table, Word
from pipeline.extract.words import group_lines
from pipeline.settings import Settings

# Edges of one stack start and end within this many points of each other.
SAME_EDGE = 3.0
# Rows are at most this many points tall: further apart, two rules belong to two tables.
MAX_ROW_HEIGHT = 80.0
MIN_EDGE_LENGTH = 40.0


def edge_stacks(edges: Sequence[Mapping[str, Any]]) -> list[list[Mapping[str, Any]]]:
    """Horizontal edges of the same extent, one above the other, close enough to bound table rows.

    Edges on one line are joined first (pdfplumber's `merge_edges`): a shaded row drawn as one
    rectangle per cell has one edge per cell, a rule under it another a fraction of a point off.
    """
    from pdfplumber.table import merge_edges

    joined = merge_edges([dict(e, orientation="h") for e in edges], SAME_EDGE, SAME_EDGE, SAME_EDGE, SAME_EDGE)
    long = sorted((e for e in joined if float(e["x1"]) - float(e["x0"]) >= MIN_EDGE_LENGTH),
                  key=lambda e: float(e["top"]))
    stacks: list[list[Mapping[str, Any]]] = []
    for edge in long:
        for stack in stacks:
            last = stack[-1]
            same = abs(float(last["x0"]) - float(edge["x0"])) <= SAME_EDGE and \
                abs(float(last["x1"]) - float(edge["x1"])) <= SAME_EDGE
            gap = float(edge["top"]) - float(last["top"])
            if same and SAME_EDGE < gap <= MAX_ROW_HEIGHT:
                stack.append(edge)
                break
        else:
            stacks.append([edge])
    return [s for s in stacks if len(s) >= 3]


def band_table(page: int, stack: Sequence[Mapping[str, Any]], words: Sequence[Word],
               settings: Settings) -> Table | None:
    """The table a stack of edges draws, its columns from the text's gutters; None if the text has none."""
    x0, x1 = min(float(e["x0"]) for e in stack), max(float(e["x1"]) for e in stack)
    tops = [float(e["top"]) for e in stack]
    region = Box(x0, tops[0], x1, tops[-1])
    inside = [w for w in words if region.contains_point(w.box.center_x, w.box.center_y)]
    bands = [(top, bottom) for top, bottom in zip(tops, tops[1:])]
    by_band = [[w for w in inside if top <= w.box.center_y <= bottom] for top, bottom in bands]
    # At most two bands at the top may be a heading (their text runs across the columns).
    for skipped in range(min(2, len(bands) - 2) + 1):
        lines = group_lines(page, [w for band in by_band[skipped:] for w in band], settings)
        gutters = gutters_of(lines, settings)
        if gutters is not None:
            bands, by_band = bands[skipped:], by_band[skipped:]
            break
    else:
        return None
    edges = [x0, *((left + right) / 2 for left, right in gutters), x1]
    cells = []
    for row, ((top, bottom), band_words) in enumerate(zip(bands, by_band)):
        for column in range(len(edges) - 1):
            box = Box(edges[column], top, edges[column + 1], bottom)
            mine = [w for w in band_words if box.contains_point(w.box.center_x, w.box.center_y)]
            cells.append(Cell(row, column, box, tuple(group_lines(page, mine, settings))))
    insets = [line.box.x0 - cell.box.x0 for cell in cells for line in cell.lines]
    return Table(page=page, box=Box(x0, bands[0][0], x1, bands[-1][1]), n_rows=len(bands),
                 n_columns=len(edges) - 1, cells=tuple(cells), column_edges=tuple(edges), ruled=True,
                 padding=max(0.0, min(insets, default=0.0)))


def gutters_of(lines: Sequence[Line], settings: Settings) -> list[tuple[float, float]] | None:
    """Gutters running through every line, with text on both sides on at least two lines."""
    if len(lines) < 2:
        return None
    gutters = [g for g in free_intervals(lines, settings.borderless_min_gutter / 2)
               if g[1] - g[0] >= settings.borderless_min_gutter]
    if not gutters:
        return None
    per_column = [sum(1 for line in lines if split_by_gutters(line, gutters)[c]) for c in range(len(gutters) + 1)]
    return gutters if min(per_column) >= 2 else None


