"""Geometry shared by every stage: boxes, words, lines, cells and tables.

These are plain frozen dataclasses so that an extracted document can be pickled
(worker processes, the cache), dumped for inspection, and reasoned about by the
normalise stage without pdfplumber.
Coordinates are PDF points with pdfplumber's origin: x from the left, `top` and
`bottom` from the top of the page.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import Iterable


@dataclass(frozen=True)
class Box:
    x0: float
    top: float
    x1: float
    bottom: float

    @property
    def width(self) -> float:
        return self.x1 - self.x0

    @property
    def height(self) -> float:
        return self.bottom - self.top

    @property
    def center_x(self) -> float:
        return (self.x0 + self.x1) / 2

    @property
    def center_y(self) -> float:
        return (self.top + self.bottom) / 2

    def contains_point(self, x: float, y: float) -> bool:
        return self.x0 <= x <= self.x1 and self.top <= y <= self.bottom

    @staticmethod
    def union(boxes: Iterable[Box]) -> Box:
        boxes = list(boxes)
        if len(boxes) == 1:
            return boxes[0]  # a box is immutable: the union of one is that box
        if not boxes:
            raise ValueError("union of no boxes")
        return Box(
            min([b.x0 for b in boxes]),
            min([b.top for b in boxes]),
            max([b.x1 for b in boxes]),
            max([b.bottom for b in boxes]),
        )

    def as_tuple(self) -> tuple[float, float, float, float]:
        return (self.x0, self.top, self.x1, self.bottom)


@dataclass(frozen=True)
class Word:
    """A run of glyphs without a space, as pdfplumber groups them."""

    text: str
    box: Box
    size: float
    bold: bool
    # Width of the word's first glyph: whether that glyph would still have fitted
    # on the previous line is what tells a forced mid-word break from a word wrap.
    first_glyph_width: float
    # A space glyph printed right after the word. Word-made PDFs keep the space at
    # a wrapped line's end, which proves a word wrap; LibreOffice drops it.
    space_after: bool = False


@dataclass(frozen=True)
class Line:
    """Words sharing a baseline, left to right.

    Its text and box are asked for again and again by every later step: each is worked out once
    (`cached_property` keeps it in the instance's `__dict__`, which a frozen dataclass allows, and
    which equality and `asdict` leave out: they see the fields only).
    """

    page: int
    words: tuple[Word, ...]

    @cached_property
    def text(self) -> str:
        return " ".join([w.text for w in self.words])

    @cached_property
    def box(self) -> Box:
        return Box.union([w.box for w in self.words])

    @property
    def size(self) -> float:
        return max(w.size for w in self.words)

    @property
    def bold(self) -> bool:
        return all(w.bold for w in self.words)


@dataclass(frozen=True)
class Cell:
    row: int  # 0-based within its table fragment
    column: int  # 0-based
    box: Box
    lines: tuple[Line, ...]

    @property
    def text_raw(self) -> str:
        return "\n".join(line.text for line in self.lines)

    @property
    def is_empty(self) -> bool:
        return not self.lines


@dataclass(frozen=True)
class Table:
    """A table as it stands on one page (a fragment, when it continues on the next)."""

    page: int
    box: Box
    n_rows: int
    n_columns: int
    cells: tuple[Cell, ...]
    column_edges: tuple[float, ...]  # n_columns + 1 x-positions
    ruled: bool
    # Inner margin between a cell's edge and its text; for ruled tables the
    # smallest text inset seen in the table, for borderless ones zero (their cell
    # boxes are the text's own extent).
    padding: float

    def row(self, index: int) -> tuple[Cell, ...]:
        return tuple(c for c in self.cells if c.row == index)


@dataclass(frozen=True)
class Page:
    number: int  # 1-based
    width: float
    height: float
    lines: tuple[Line, ...]  # running text outside tables, top to bottom
    tables: tuple[Table, ...]  # top to bottom
    # Small filled shapes outside tables: bullets drawn as vector marks (HTML printed to PDF,
    # many Word templates) rather than as a `•` glyph.
    marks: tuple[Box, ...] = ()
    # Clockwise quarter turns from the page's own user space (MediaBox, `/Rotate` ignored) to the
    # reading orientation these coordinates are in: what a picture of the page must turn by.
    turns: int = 0


@dataclass(frozen=True)
class Document:
    file_name: str
    sha256: str
    metadata_title: str
    pages: tuple[Page, ...]
    # Pages in the PDF's page tree that could not be read (1-based): their content is missing.
    unread_pages: tuple[int, ...] = ()

    @property
    def n_pages(self) -> int:
        return len(self.pages)
