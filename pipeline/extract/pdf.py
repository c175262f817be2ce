"""Reading a PDF file into a `Document` (`pipeline.extract.layout`), with PDFium or pdfplumber.

`read_document` checks the file (a PDF at all, within `pipeline.extract.limits`), opens it with
the reader the settings name (`pipeline.extract.pdfium`, the default, or
`pipeline.extract.plumber`, which also reads whatever PDFium cannot open) and builds each page
from what the reader saw (`pipeline.extract.content`): in its reading orientation, words with
their box, font size and weight grouped as pdfplumber's `extract_words` groups them
(`pipeline.extract.words`), the tables the table finder's strategies find (`pipeline.extract.tables`:
drawn grids, rules or shaded bands, borderless columns), the lines of running text, and the small
filled shapes that are bullets drawn as marks. Nothing here interprets what the text says; the
report's pictures (`pipeline.publish.pictures`) only render pages.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from pathlib import Path

from pipeline.errors import DocumentError
from pipeline.extract.content import PageContent, chars, edges, fill_boxes, page_size, reading_turns
from pipeline.extract.layout import Box, Document, Page, Table
from pipeline.extract.limits import check_content_size, check_page_size
from pipeline.extract.pdfium import PdfiumReader, PdfiumUnreadable
from pipeline.extract.plumber import PlumberReader
from pipeline.extract.tables import PageGeometry, find_tables
from pipeline.extract.words import page_words
from pipeline.settings import Settings

# Enough of the file to tell a PDF from something else: PDF readers accept the
# header anywhere in the first kilobyte.
PDF_MAGIC = b"%PDF-"
PDF_HEADER_WINDOW = 1024


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
    geometry = PageGeometry(number, page_words(chars(content, turns)), edges(content, turns),
                            table_ending(previous, settings))
    tables, lines = find_tables(geometry, settings)
    return Page(
        number=number,
        width=width,
        height=height,
        lines=tuple(lines),
        tables=tuple(tables),
        marks=tuple(list_marks(fill_boxes(content, turns), tables)),
        turns=(content.frame_turns + turns) % 4,
    )


# A bullet drawn as a shape is a small filled dot, square or diamond: about the size of a
# lower-case letter, never a rule (long and thin) nor a shaded area.
MARK_MIN_SIZE, MARK_MAX_SIZE = 1.5, 8.0
MARK_MAX_ASPECT = 2.0


def list_marks(fills: Sequence[dict[str, float]], tables: Sequence[Table]) -> list[Box]:
    """Small filled shapes outside the tables: bullets drawn as vector marks instead of a glyph."""
    marks = []
    for shape in fills:
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
