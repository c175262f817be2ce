"""Borderless tables: text aligned in columns, found from the words' positions alone.

A run of consecutive lines is a table when vertical strips of white space (the
gutters) run through all of them, at least `borderless_min_gutter` wide, and
enough of the lines have words on both sides of a gutter. Justified prose has
wide spaces too, but they never line up over several lines.

This module only finds the columns: it returns a `Table` with one row per text
line, each cell holding that line's words in that column. Which lines make up
one table row (a cell wrapped over several lines) is interpretation, and is
decided in `pipeline.normalise.tables` with the same wrap rules as cells.
"""

from __future__ import annotations

from collections.abc import Sequence

from pipeline.extract.layout import Box, Cell, Line, Table, Word
from pipeline.extract.marks import is_item_marker
from pipeline.settings import Settings

Interval = tuple[float, float]
# Lines further apart than this many font sizes are not one table: a paragraph gap.
MAX_LINE_GAP_IN_SIZES = 2.0


def wide_gaps(line: Line, min_gutter: float) -> list[Interval]:
    """White space between consecutive words of a line that is at least `min_gutter` wide."""
    return [
        (left.box.x1, right.box.x0)
        for left, right in zip(line.words, line.words[1:])
        if right.box.x0 - left.box.x1 >= min_gutter
    ]


def free_intervals(lines: Sequence[Line], min_width: float) -> list[Interval]:
    """Vertical strips between the lines' leftmost and rightmost text that no word touches."""
    spans = sorted((w.box.x0, w.box.x1) for line in lines for w in line.words)
    free = []
    reach = spans[0][1]
    for x0, x1 in spans[1:]:
        if x0 - reach >= min_width:
            free.append((reach, x0))
        reach = max(reach, x1)
    return free


def keeps_gutters(old: Sequence[Interval], new: Sequence[Interval]) -> bool:
    """Every old gutter still holds some free strip: adding a line closed none of them."""
    return all(any(a <= left < right <= b for left, right in new) for a, b in old)


def _close(above: Line, below: Line) -> bool:
    return below.box.top - above.box.top <= MAX_LINE_GAP_IN_SIZES * max(above.size, below.size)


def grow_block(lines: Sequence[Line], seed: int, floor: int, settings: Settings) -> tuple[int, int, list[Interval]]:
    """The widest run of lines around `seed`, not above `floor`, that its gutters run through.

    Gutters are the free strips of the whole run, so a column that the seed line
    leaves empty is found from the lines below it. A line that would close a
    gutter (prose running across the columns) ends the run.
    Returns (first, last, gutters).
    """
    min_width = settings.borderless_min_gutter / 2
    first = last = seed
    gutters = [g for g in free_intervals(lines[seed : seed + 1], min_width) if g[1] - g[0] >= settings.borderless_min_gutter]
    while last + 1 < len(lines) and _close(lines[last], lines[last + 1]):
        candidate = free_intervals(lines[first : last + 2], min_width)
        if not keeps_gutters(gutters, candidate):
            break
        gutters, last = candidate, last + 1
    while first > floor and _close(lines[first - 1], lines[first]):
        candidate = free_intervals(lines[first - 1 : last + 1], min_width)
        if not keeps_gutters(gutters, candidate) or ends_paragraph(lines, first - 1, gutters, min_width):
            break
        gutters, first = candidate, first - 1
    return first, last, gutters


def ends_paragraph(lines: Sequence[Line], index: int, gutters: Sequence[Interval], min_width: float) -> bool:
    """A short line right under a line that runs across the columns: the last line of a paragraph.

    The sentence introducing a table often ends in a few words that would fit
    in its first column ("... en het publiek."); they belong to the prose above.
    """
    if index == 0 or not _close(lines[index - 1], lines[index]):
        return False
    return not keeps_gutters(gutters, free_intervals([lines[index - 1]], min_width))


def is_table(lines: Sequence[Line], gutters: Sequence[Interval], settings: Settings) -> bool:
    """Enough lines, and text on both sides of every gutter on more than one line.

    Lines filling several columns at once are not required: in a table whose
    cells are centred, a wrapped cell's lines sit between its neighbours' lines.
    """
    if len(lines) < settings.borderless_min_rows or not gutters:
        return False
    per_column = [sum(1 for line in lines if split_by_gutters(line, gutters)[c]) for c in range(len(gutters) + 1)]
    return all(count >= 2 for count in per_column)


def is_list(lines: Sequence[Line], gutters: Sequence[Interval]) -> bool:
    """A first column of bullets or item numbers only: a list with a hanging indent, not a table."""
    markers = [" ".join(w.text for w in split_by_gutters(line, gutters)[0]) for line in lines]
    return all(not m or is_item_marker(m) for m in markers)


def split_by_gutters(line: Line, gutters: Sequence[Interval]) -> list[list[Word]]:
    columns: list[list[Word]] = [[] for _ in range(len(gutters) + 1)]
    for word in line.words:
        column = sum(1 for left, _ in gutters if word.box.center_x >= left)
        columns[column].append(word)
    return columns


def column_spans(extents: Sequence[Interval], right_margin: float) -> list[Interval]:
    """The width each column offered its text, as far as the page shows it.

    A column runs from where its text starts to where the next column's text
    starts, less the cell margins on both sides; the narrowest gap between a
    column's longest text and the next column bounds those margins from above.
    The last column can reach no further than the text on the page does.
    """
    gap = min((extents[k + 1][0] - extents[k][1] for k in range(len(extents) - 1)), default=0.0)
    spans = [(extents[k][0], extents[k + 1][0] - gap) for k in range(len(extents) - 1)]
    return spans + [(extents[-1][0], max(right_margin, extents[-1][1]))]


def block_table(
    page: int, lines: Sequence[Line], gutters: Sequence[Interval], right_margin: float,
    known_columns: Sequence[Interval] = (),
) -> Table:
    """The lines as a table cut at `gutters`; a column none of the lines fills (possible only in a
    continuation, whose columns come from the previous page) keeps its extent in `known_columns`."""
    pieces = [split_by_gutters(line, gutters) for line in lines]
    n_columns = len(gutters) + 1
    extents = []
    for column in range(n_columns):
        words = [w for row in pieces for w in row[column]]
        if words:
            extents.append((min(w.box.x0 for w in words), max(w.box.x1 for w in words)))
        else:
            extents.append(known_columns[column])
    spans = column_spans(extents, right_margin)
    cells = []
    for row, (line, columns) in enumerate(zip(lines, pieces)):
        for column, words in enumerate(columns):
            # The cell spans the width its column offered: whether a line filled
            # it is what tells a word broken by the layout engine from a wrap.
            box = Box(spans[column][0], line.box.top, spans[column][1], line.box.bottom)
            cells.append(Cell(row, column, box, (Line(page, tuple(words)),) if words else ()))
    return Table(
        page=page,
        box=Box.union(line.box for line in lines),
        n_rows=len(lines),
        n_columns=n_columns,
        cells=tuple(cells),
        column_edges=tuple(x0 for x0, _ in extents) + (extents[-1][1],),
        ruled=False,
        padding=0.0,
    )


def continuation(lines: Sequence[Line], previous: Table) -> int:
    """How many lines at the top of a page continue a borderless table that ended the previous page.

    Each must fit its words within the previous table's columns, none across a
    column start. Such a continuation may be a single row (even the end of a row
    the page break split), too short to be found as a table of its own.
    """
    starts = previous.column_edges[:-1]
    count = 0
    for line in lines:
        if count and not _close(lines[count - 1], line):
            break
        inside = all(
            any(start - 1.0 <= w.box.x0 and (k + 1 == len(starts) or w.box.x1 <= starts[k + 1] - 1.0)
                for k, start in enumerate(starts))
            for w in line.words
        )
        if not inside:
            break
        count += 1
    return count


def _column_extents(table: Table) -> list[Interval]:
    """Where each column of `table` starts, as an empty extent; the last one reaches its right edge."""
    edges = table.column_edges
    return [(start, start) for start in edges[:-2]] + [(edges[-2], edges[-1])]


def _gutters_before(starts: Sequence[float]) -> list[Interval]:
    """Narrow gutters just left of each column start: enough for `split_by_gutters`."""
    return [(start - 1.0, start - 0.5) for start in starts[1:]]


def find_borderless_tables(
    page: int, lines: Sequence[Line], settings: Settings, previous: Table | None = None
) -> tuple[list[Table], list[Line]]:
    """Tables among a page's running lines, and the lines that are not part of one.

    `previous` is the borderless table that ended the previous page, if any: lines
    at the top of this page that fit its columns continue it.
    """
    tables: list[Table] = []
    remaining: list[Line] = []
    right_margin = max((line.box.x1 for line in lines), default=0.0)
    index = floor = 0
    if previous is not None and not previous.ruled:
        carried = continuation(lines, previous)
        if carried:
            gutters = _gutters_before(previous.column_edges[:-1])
            tables.append(block_table(page, lines[:carried], gutters, right_margin, _column_extents(previous)))
            index = floor = carried
    while index < len(lines):
        if not wide_gaps(lines[index], settings.borderless_min_gutter):
            remaining.append(lines[index])
            index += 1
            continue
        first, last, gutters = grow_block(lines, index, floor, settings)
        block = lines[first : last + 1]
        if not is_table(block, gutters, settings) or is_list(block, gutters):
            remaining.append(lines[index])
            index += 1
            continue
        # Lines above the seed that the table grew into were kept as text so far.
        del remaining[len(remaining) - (index - first) :]
        tables.append(block_table(page, block, gutters, right_margin))
        index = floor = last + 1
    return tables, remaining
