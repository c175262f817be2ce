"""Reading a PDF file into a `Document` (`pipeline.extract.layout`), with PDFium or pdfplumber.

`read_document` checks the file (a PDF at all, within `pipeline.extract.limits`), opens it with
the reader the settings name (`pipeline.extract.pdfium`, the default, or
`pipeline.extract.plumber`, which also reads whatever PDFium cannot open) and builds each page
from what the reader saw (`pipeline.extract.content`): in its reading orientation, words with
their box, font size and weight grouped as pdfplumber's `extract_words` groups them, lines, and
ruled tables found by pdfplumber's own table algorithm on the page's edges, cut into cells with
the lines of text inside them. Borderless tables are found in `pipeline.extract.borderless`
from the lines' geometry. Nothing here interprets what the text says; the report's pictures
(`pipeline.publish.pictures`) only render pages.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

from pipeline.errors import DocumentError
from pipeline.extract.borderless import find_borderless_tables
from pipeline.extract.content import PageContent, chars, edges, page_size, reading_turns
from pipeline.extract.layout import Box, Cell, Document, Line, Page, Table, Word
from pipeline.extract.limits import check_content_size, check_page_size
from pipeline.extract.pdfium import PdfiumReader, PdfiumUnreadable
from pipeline.extract.plumber import PlumberReader
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


def open_reader(data: bytes, reader: str) -> PdfiumReader | PlumberReader:
    """The reader asked for; pdfplumber for a file PDFium cannot open (pdfminer may, or says why not)."""
    if reader == "pdfium":
        try:
            return PdfiumReader(data)
        except PdfiumUnreadable:
            pass
    return PlumberReader(data)


def extract_document(data: bytes, file_name: str, settings: Settings) -> Document:
    check_content_size(data, settings.max_content_bytes)
    reader = open_reader(data, settings.reader)
    try:
        pages: list[Page] = []
        unread: list[int] = []
        previous: Page | None = None  # the page just before, if it was read: a table may continue from it
        for number, content in enumerate(reader.pages(), start=1):
            if content is None:
                unread.append(number)
                previous = None
                continue
            check_page_size(content, settings.max_page_points)
            previous = extract_page(content, settings, previous)
            pages.append(previous)
        page_count = max(reader.page_count, page_tree_count(data, reader))
        unread += range(reader.page_count + 1, page_count + 1)
        title = reader.title
    finally:
        reader.close()
    if not pages:
        raise DocumentError("damaged-pdf", detail="it has no pages")
    if not any(page.lines or page.tables for page in pages):
        raise DocumentError("no-text-layer")
    return Document(
        file_name=file_name,
        sha256=hashlib.sha256(data).hexdigest(),
        metadata_title=" ".join(str(title).split()),
        pages=tuple(pages),
        unread_pages=tuple(unread),
    )


def page_tree_count(data: bytes, reader: PdfiumReader | PlumberReader) -> int:
    """How many pages PDFium counts in the page tree, for a reader that is not PDFium: a page that
    pdfminer does not reach (it skips a page tree node it cannot make out) is then flagged, not lost."""
    if reader.name == "pdfium":
        return reader.page_count
    try:
        other = PdfiumReader(data)
    except (PdfiumUnreadable, DocumentError):
        return 0
    try:
        return other.page_count
    finally:
        other.close()


def extract_page(content: PageContent, settings: Settings, previous: Page | None = None) -> Page:
    turns = reading_turns(content.glyphs)
    width, height = page_size(content, turns)
    number = content.number
    words = page_words(chars(content, turns))
    tables, outside = ruled_tables(edges(content, turns), number, words, settings)
    lines = group_lines(number, outside, settings)
    borderless, lines = find_borderless_tables(number, lines, settings, table_ending(previous, settings))
    return Page(
        number=number,
        width=width,
        height=height,
        lines=tuple(lines),
        tables=tuple(sorted((*tables, *borderless), key=lambda t: t.box.top)),
        turns=(content.frame_turns + turns) % 4,
    )


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


def page_words(page_chars: list[dict[str, Any]]) -> list[Word]:
    """Words as pdfplumber's `extract_words` makes them from the page's characters (upright ones only)."""
    from pdfplumber.utils.text import WordExtractor

    extractor = WordExtractor(extra_attrs=["size", "fontname"])
    space_starts = _space_starts(page_chars)
    words = []
    for w in extractor.extract_words(page_chars, return_chars=True):
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


def ruled_tables(page_edges: list[dict[str, Any]], page: int, words: list[Word],
                 settings: Settings) -> tuple[list[Table], list[Word]]:
    """Tables drawn with lines or rectangles, found as pdfplumber's `find_tables()` finds them from
    the page's edges (its default "lines" strategy); and the words outside them."""
    found = [t for t in find_grids(page_edges) if _is_grid(t)]
    remaining = list(words)
    tables = []
    for found_table in found:
        box = Box(*map(float, found_table.bbox))
        inside = [w for w in remaining if box.contains_point(w.box.center_x, w.box.center_y)]
        if not inside:
            continue  # an empty frame, not a table
        remaining = [w for w in remaining if not box.contains_point(w.box.center_x, w.box.center_y)]
        tables.append(_table_from_grid(page, box, found_table, inside, settings))
    return tables, remaining


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
    cell_boxes: list[tuple[int, int, Box]] = []
    for row_index, row in enumerate(found_table.rows):
        for bbox in row.cells:
            if bbox is None:
                continue  # covered by a cell spanning from the left or above
            cell_box = Box(*map(float, bbox))
            column = min(range(len(edges) - 1), key=lambda i: abs(edges[i] - cell_box.x0))
            cell_boxes.append((row_index, column, cell_box))
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
