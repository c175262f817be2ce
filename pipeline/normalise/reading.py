"""Reading order: a document's running text as paragraphs, interleaved with its tables.

The answer documents are single-column: reading order is page by page, top to
bottom. Paragraph breaks are read from the geometry (a gap larger than the
usual line pitch, a change of font size, a list bullet, an item number, or a bullet
drawn as a small filled shape left of the line), so a sentence wrapped over several
lines, or over a page break, is one paragraph.
"""

from __future__ import annotations

import re
import statistics
from collections.abc import Sequence
from dataclasses import dataclass

from pipeline.extract.layout import Box, Document, Line, Page, Table
from pipeline.extract.marks import is_bullet, is_item_marker
from pipeline.model import BBox
from pipeline.settings import Settings

PAGE_NUMBER = re.compile(r"^(?:(?:pagina|p\.|blz\.?)\s*)?\d{1,4}(?:\s*(?:/|van)\s*\d{1,4})?$", re.IGNORECASE)
SENTENCE_END = (".", ":", ";", "?", "!")
# A gap this much larger than the document's usual line pitch starts a new paragraph.
PARAGRAPH_GAP_FACTOR = 1.25


# A drawn bullet stands at most this many font sizes left of its item's text.
MARK_REACH_IN_SIZES = 3.0
# Lines whose left edges are this close (points) are aligned.
SAME_EDGE = 2.0


@dataclass(frozen=True)
class Paragraph:
    lines: tuple[Line, ...]
    mark: Box | None = None  # a bullet drawn as a shape left of the first line

    @property
    def page(self) -> int:
        return self.lines[0].page

    @property
    def raw(self) -> str:
        """The paragraph as printed, lines separated by `\\n`."""
        return "\n".join(line.text for line in self.lines)

    @property
    def is_list_item(self) -> bool:
        """Opened by a bullet: a glyph or a drawn mark (item numbers are told apart in `answer`)."""
        return self.mark is not None or is_bullet(self.lines[0].words[0].text)

    @property
    def marker(self) -> str:
        """What opens the paragraph as a list item: a bullet glyph, an item number, `mark`, or nothing."""
        if self.mark is not None:
            return "mark"
        first = self.lines[0].words[0].text
        return first if is_item_marker(first) else ""

    def page_at(self, offset: int) -> int:
        """Page of the line holding character `offset` of `raw`."""
        return self._line_at(offset).page

    def span_box(self, start: int, end: int) -> tuple[int, Box]:
        """Page and box of the words covering `raw[start:end]` (on the page where the span starts)."""
        boxes = []
        page = self.page_at(start)
        position = 0
        for line in self.lines:
            for word in line.words:
                word_end = position + len(word.text)
                if word_end > start and position < end and line.page == page:
                    boxes.append(word.box)
                position = word_end + 1  # the space or newline after the word
        return page, Box.union(boxes) if boxes else self.lines[0].box

    def span_line_boxes(self, start: int, end: int) -> tuple[tuple[int, BBox], ...]:
        """Page and box of the words covering `raw[start:end]`, one per printed line it runs over."""
        boxes = []
        position = 0
        for line in self.lines:
            words = []
            for word in line.words:
                word_end = position + len(word.text)
                if word_end > start and position < end:
                    words.append(word.box)
                position = word_end + 1
            if words:
                boxes.append((line.page, Box.union(words).as_tuple()))
        return tuple(boxes)

    def _line_at(self, offset: int) -> Line:
        position = 0
        for line in self.lines:
            position += len(line.text) + 1
            if offset < position:
                return line
        return self.lines[-1]


Block = Paragraph | Table


def is_page_furniture(line: Line, page: Page, margin_fraction: float) -> bool:
    """A page number (or `pagina 2 van 5`) in the top or bottom margin."""
    in_margin = line.box.bottom < page.height * margin_fraction or line.box.top > page.height * (1 - margin_fraction)
    return in_margin and bool(PAGE_NUMBER.match(line.text))


def usual_line_pitch(document: Document) -> float | None:
    """The most common distance between consecutive lines of the same size (the body's line pitch)."""
    pitches = []
    for page in document.pages:
        for above, below in zip(page.lines, page.lines[1:]):
            if abs(above.size - below.size) < 0.5:
                pitches.append(round(below.box.top - above.box.top, 1))
    positive = [p for p in pitches if p > 0]
    if not positive:
        return None
    return statistics.median_low(positive) if len(set(positive)) > 1 else positive[0]


def drawn_mark(line: Line, marks: Sequence[Box]) -> Box | None:
    """A small filled shape just left of the line, level with its text: a bullet drawn as a shape."""
    reach = MARK_REACH_IN_SIZES * line.size
    box = line.box
    for mark in marks:
        if box.x0 - reach <= mark.x0 and mark.x1 <= box.x0 and box.top <= mark.center_y <= box.bottom:
            return mark
    return None


def item_start(first: Line, marks: Sequence[Box]) -> float | None:
    """Where a list item's marker stands, if `first` opens one (a drawn mark, a bullet or a number)."""
    mark = drawn_mark(first, marks)
    if mark is not None:
        return mark.x0
    return first.box.x0 if is_item_marker(first.words[0].text) else None


def starts_paragraph(previous: Line, line: Line, pitch: float | None, marks: Sequence[Box] = (),
                     first: Line | None = None) -> bool:
    """Whether `line` opens a new paragraph after `previous` (`first`: the current paragraph's first line)."""
    if abs(previous.size - line.size) >= 0.5:
        return True
    marker = item_start(first, marks) if first is not None else None
    if marker is not None and line.box.x0 < marker - SAME_EDGE:
        return True  # left of an indented item's own marker: back at the body's margin
    first = line.words[0].text
    if is_item_marker(first) or drawn_mark(line, marks) is not None:
        return True
    gap = line.box.top - previous.box.top
    expected = pitch if pitch is not None else 1.2 * previous.size
    return gap > PARAGRAPH_GAP_FACTOR * expected


def page_blocks(page: Page, pitch: float | None, settings: Settings) -> list[Block]:
    """Paragraphs and tables of one page, top to bottom."""
    lines = [line for line in page.lines if not is_page_furniture(line, page, settings.margin_fraction)]
    items: list[tuple[float, Block]] = [(t.box.top, t) for t in page.tables]
    current: list[Line] = []

    def close() -> None:
        items.append((current[0].box.top, Paragraph(tuple(current), drawn_mark(current[0], page.marks))))

    for line in lines:
        table_between = current and any(current[-1].box.top < t.box.top < line.box.top for t in page.tables)
        if current and (table_between or starts_paragraph(current[-1], line, pitch, page.marks, current[0])):
            close()
            current = []
        current.append(line)
    if current:
        close()
    return [block for _, block in sorted(items, key=lambda item: item[0])]


def document_blocks(document: Document, settings: Settings) -> list[Block]:
    """All blocks in reading order; a paragraph cut by a page break is joined again."""
    pitch = usual_line_pitch(document)
    blocks: list[Block] = []
    for page in document.pages:
        page_items = page_blocks(page, pitch, settings)
        if blocks and page_items:
            previous, first = blocks[-1], page_items[0]
            if isinstance(previous, Paragraph) and isinstance(first, Paragraph) and _continues(previous, first):
                blocks[-1] = Paragraph(previous.lines + first.lines, previous.mark)
                page_items = page_items[1:]
        blocks.extend(page_items)
    return blocks


def _continues(previous: Paragraph, following: Paragraph) -> bool:
    """A sentence running over a page break: no closing punctuation, the same size, no new item."""
    return (
        not following.marker
        and not previous.lines[-1].text.endswith(SENTENCE_END)
        and abs(previous.lines[-1].size - following.lines[0].size) < 0.5
    )


def paragraphs(blocks: Sequence[Block]) -> list[Paragraph]:
    return [b for b in blocks if isinstance(b, Paragraph)]
