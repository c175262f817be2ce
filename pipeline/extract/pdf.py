"""Reading a PDF file with pdfplumber into a `Document` (`pipeline.extract.layout`).

This is the only module that reads a PDF's content (the report's pictures in
`pipeline.publish.pictures` only render pages). It interprets nothing: it keeps every
word with its box, font size and weight, groups words into lines, and cuts ruled tables
into cells (each with the lines of text inside it). Borderless tables are found in
`pipeline.extract.borderless` from the lines' geometry.
"""

from __future__ import annotations

import hashlib
import io
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from pipeline.errors import DocumentError
from pipeline.extract.bands import band_table, edge_stacks
from pipeline.extract.borderless import find_borderless_tables, free_intervals, split_by_gutters
from pipeline.extract.layout import Box, Cell, Document, Line, Page, Table, Word
from pipeline.settings import Settings

# Enough of the file to tell a PDF from something else: PDF readers accept the
# header anywhere in the first kilobyte.
PDF_MAGIC = b"%PDF-"
PDF_HEADER_WINDOW = 1024
BOLD_FONT_MARKERS = ("bold", "black", "heavy", "semibold")


def read_document(path: Path, settings: Settings) -> Document:
    """Read one PDF file; raises `DocumentError` for input that is not a readable PDF."""
    try:
        data = path.read_bytes()
    except OSError as exc:  # gone since the folder was listed, unreadable, a broken link
        raise DocumentError("unreadable-file", detail=exc.strerror or type(exc).__name__) from None
    check_is_pdf(data)
    return extract_document(data, path.name, settings)


# What a file that is not a PDF usually is, by its first bytes: named in the error message.
KNOWN_NON_PDF = (
    (b"PK\x03\x04", "a ZIP archive, e.g. a Word .docx"),
    (b"\xd0\xcf\x11\xe0", "an old Office file, e.g. a Word .doc"),
    (b"{\\rtf", "an RTF document"),
    (b"\x89PNG", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
)


def check_is_pdf(data: bytes) -> None:
    if not data:
        raise DocumentError("empty-file")
    if PDF_MAGIC not in data[:PDF_HEADER_WINDOW]:
        raise DocumentError("not-a-pdf", found=_file_kind(data))


def _file_kind(data: bytes) -> str:
    for magic, kind in KNOWN_NON_PDF:
        if data.startswith(magic):
            return kind
    start = data[:64].lstrip().lower()
    if start.startswith((b"<!doctype html", b"<html")):
        return "an HTML page"
    return f"it starts with {data[:8]!r}"


def extract_document(data: bytes, file_name: str, settings: Settings) -> Document:
    import pdfplumber

    with io.BytesIO(data) as stream:
        with _parsing():
            pdf = pdfplumber.open(stream)
            metadata_title = str(pdf.metadata.get("Title") or "") if isinstance(pdf.metadata, dict) else ""
            pdf_pages = pdf.pages
        pages = []
        for pdf_page in pdf_pages:
            try:
                with _parsing():
                    pdf_page.objects  # parses the page's content stream: damage to it shows here
                pages.append(extract_page(pdf_page, settings, pages[-1] if pages else None))
            finally:
                # Release the page's parsed objects now: memory stays flat on long documents.
                pdf_page.close()
    if not pages:
        raise DocumentError("damaged-pdf", detail="it has no pages")
    if not any(page.lines or page.tables for page in pages):
        raise DocumentError("no-text-layer")
    return Document(
        file_name=file_name,
        sha256=hashlib.sha256(data).hexdigest(),
        metadata_title=" ".join(metadata_title.split()),
        pages=tuple(pages),
    )


@contextmanager
def _parsing() -> Iterator[None]:
    """pdfplumber parsing the file's bytes: whatever it raises is about the input, not a bug here.

    pdfplumber wraps pdfminer's errors in `PdfminerException`, but not its own: a page box
    holding text raises `MalformedPDFException`, and other nonsense values other exceptions.
    """
    try:
        yield
    except Exception as exc:  # noqa: BLE001 - any parse failure means an unreadable PDF
        raise _open_error(exc) from None


def _open_error(exc: Exception) -> DocumentError:
    from pdfminer.pdfdocument import PDFEncryptionError
    from pdfplumber.utils.exceptions import PdfminerException

    cause = exc.args[0] if isinstance(exc, PdfminerException) and exc.args else exc
    if isinstance(cause, PDFEncryptionError):  # a wrong (empty) password, or an unknown method
        return DocumentError("encrypted-pdf")
    detail = " ".join(str(cause).split()) or type(cause).__name__
    return DocumentError("damaged-pdf", detail=detail if len(detail) <= 80 else detail[:79] + "…")


def extract_page(pdf_page: Any, settings: Settings, previous: Page | None = None) -> Page:
    number = pdf_page.page_number
    words = page_words(pdf_page)
    tables, outside = ruled_tables(pdf_page, number, words, settings)
    lines = group_lines(number, outside, settings)
    borderless, lines = find_borderless_tables(number, lines, settings, table_ending(previous, settings))
    tables = sorted((*tables, *borderless), key=lambda t: t.box.top)
    return Page(
        number=number,
        width=float(pdf_page.width),
        height=float(pdf_page.height),
        lines=tuple(lines),
        tables=tuple(tables),
        marks=tuple(list_marks(pdf_page, tables)),
    )


# A bullet drawn as a shape is a small filled dot, square or diamond: about the size of a
# lower-case letter, never a rule (long and thin) nor a shaded area.
MARK_MIN_SIZE, MARK_MAX_SIZE = 1.5, 8.0
MARK_MAX_ASPECT = 2.0


def list_marks(pdf_page: Any, tables: list[Table]) -> list[Box]:
    """Small filled shapes outside the tables: bullets drawn as vector marks instead of a glyph."""
    marks = []
    for shape in [*pdf_page.rects, *pdf_page.curves]:
        if not shape.get("fill"):
            continue
        box = Box(float(shape["x0"]), float(shape["top"]), float(shape["x1"]), float(shape["bottom"]))
        small = MARK_MIN_SIZE <= box.width <= MARK_MAX_SIZE and MARK_MIN_SIZE <= box.height <= MARK_MAX_SIZE
        if not small or max(box.width, box.height) > MARK_MAX_ASPECT * min(box.width, box.height):
            continue
        if any(t.box.contains_point(box.center_x, box.center_y) for t in tables):
            continue
        marks.append(box)
    return sorted(set(marks), key=lambda b: (b.top, b.x0))


def table_ending(page: Page | None, settings: Settings) -> Table | None:
    """The table a page ends with, if nothing but page furniture stands below it."""
    if page is None or not page.tables:
        return None
    last = page.tables[-1]
    below = [line for line in page.lines if line.box.top > last.box.bottom]
    # A page number or running footer in the bottom margin does not end the table.
    if any(line.box.top < page.height * (1 - settings.margin_fraction) for line in below):
        return None
    return last


def page_words(pdf_page: Any) -> list[Word]:
    raw_words = pdf_page.extract_words(extra_attrs=["size", "fontname"], return_chars=True)
    space_starts = _space_starts(pdf_page.chars)
    words = []
    for w in raw_words:
        if not w["upright"]:
            continue  # rotated text (stamps, margin notes) is not part of the answer's body
        first = w["chars"][0]
        words.append(
            Word(
                text=w["text"],
                box=Box(float(w["x0"]), float(w["top"]), float(w["x1"]), float(w["bottom"])),
                size=float(w["size"]),
                bold=any(marker in w["fontname"].lower() for marker in BOLD_FONT_MARKERS),
                first_glyph_width=float(first["x1"] - first["x0"]),
                space_after=_space_follows(space_starts, w),
            )
        )
    return words


def _space_starts(chars: list[dict[str, Any]]) -> dict[int, list[float]]:
    """x-positions of printed space glyphs, by rounded baseline position."""
    starts: dict[int, list[float]] = {}
    for char in chars:
        if char["text"] in (" ", "\u00a0"):
            starts.setdefault(round(char["top"]), []).append(float(char["x0"]))
    return starts


def _space_follows(space_starts: dict[int, list[float]], word: dict[str, Any]) -> bool:
    row = round(word["top"])
    candidates = space_starts.get(row, []) + space_starts.get(row - 1, []) + space_starts.get(row + 1, [])
    return any(abs(x - word["x1"]) < 1.0 for x in candidates)


def group_lines(page: int, words: list[Word], settings: Settings) -> list[Line]:
    """Words sharing a baseline become one line; lines come out top to bottom."""
    lines: list[list[Word]] = []
    for word in sorted(words, key=lambda w: (w.box.center_y, w.box.x0)):
        if lines:
            current = lines[-1]
            reference = current[0]
            tolerance = settings.line_tolerance * max(reference.size, word.size)
            if abs(word.box.center_y - reference.box.center_y) <= tolerance:
                current.append(word)
                continue
        lines.append([word])
    return [Line(page, tuple(sorted(ws, key=lambda w: w.box.x0))) for ws in lines]


def ruled_tables(pdf_page: Any, page: int, words: list[Word], settings: Settings) -> tuple[list[Table], list[Word]]:
    """Tables drawn with lines or rectangles, as pdfplumber finds them; and the words outside them."""
    found = [t for t in pdf_page.find_tables() if _is_grid(t)]
    remaining = list(words)
    tables = []
    for stack in edge_stacks([e for e in pdf_page.edges if e["orientation"] == "h"]):
        grids = [t for t in found if _multi_column(t)]
        table = band_table(page, stack, remaining, settings, group_lines)
        if table is None or any(_overlaps(Box(*map(float, t.bbox)), table.box) for t in grids):
            continue
        # The grid finder's pieces of this table (one cell per shaded band) give way to it.
        found = [t for t in found if not _overlaps(Box(*map(float, t.bbox)), table.box)]
        remaining = [w for w in remaining if not table.box.contains_point(w.box.center_x, w.box.center_y)]
        tables.append(table)
    for found_table in found:
        box = Box(*map(float, found_table.bbox))
        inside = [w for w in remaining if box.contains_point(w.box.center_x, w.box.center_y)]
        if not inside:
            continue  # an empty frame, not a table
        remaining = [w for w in remaining if not box.contains_point(w.box.center_x, w.box.center_y)]
        tables.append(_table_from_grid(page, box, found_table, inside, settings))
    return tables, remaining


def _multi_column(found_table: Any) -> bool:
    return max((len(r.cells) for r in found_table.rows), default=0) >= 2 and len(found_table.rows) >= 2


def _overlaps(a: Box, b: Box) -> bool:
    return a.x0 < b.x1 and b.x0 < a.x1 and a.top < b.bottom and b.top < a.bottom


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
        for i, (_, _, cell_box) in enumerate(cell_boxes):
            if cell_box.contains_point(word.box.center_x, word.box.center_y):
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
