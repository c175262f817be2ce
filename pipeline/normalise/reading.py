"""Reading order: a document's running text as paragraphs, interleaved with its tables.

The answer documents are single-column: reading order is page by page, top to
bottom. Paragraph breaks are read from the geometry (a gap larger than the
usual line pitch, a change of font size, a list bullet or an item number), so a
sentence wrapped over several lines, or over a page break, is one paragraph.
"""

from __future__ import annotations

import re
import statistics
from collections.abc import Sequence
from dataclasses import dataclass

from pipeline.extract.layout import Box, Document, Line, Page, Table
from pipeline.extract.marks import BULLETS, ITEM_NUMBER
from pipeline.model import BBox
from pipeline.settings import Settings

PAGE_NUMBER = re.compile(r"^(?:(?:pagina|p\.|blz\.?)\s*)?\d{1,4}(?:\s*(?:/|van)\s*\d{1,4})?$", re.IGNORECASE)
SENTENCE_END = (".", ":", ";", "?", "!")
# A gap this much larger than the document's usual line pitch starts a new paragraph.
PARAGRAPH_GAP_FACTOR = 1.25


@dataclass(frozen=True)
class Paragraph:
    lines: tuple[Line, ...]

    @property
    def page(self) -> int:
        return self.lines[0].page

    @property
    def raw(self) -> str:
        """The paragraph as printed, lines separated by `\\n`."""
        return "\n".join(line.text for line in self.lines)

    @property
    def is_list_item(self) -> bool:
        first = self.lines[0].words[0].text
        return first in BULLETS

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


def starts_paragraph(previous: Line, line: Line, pitch: float | None) -> bool:
    if abs(previous.size - line.size) >= 0.5:
        return True
    first = line.words[0].text
    if first in BULLETS or ITEM_NUMBER.match(first):
        return True
    gap = line.box.top - previous.box.top
    expected = pitch if pitch is not None else 1.2 * previous.size
    return gap > PARAGRAPH_GAP_FACTOR * expected


def page_blocks(page: Page, pitch: float | None, settings: Settings) -> list[Block]:
    """Paragraphs and tables of one page, top to bottom."""
    lines = [line for line in page.lines if not is_page_furniture(line, page, settings.margin_fraction)]
    items: list[tuple[float, Block]] = [(t.box.top, t) for t in page.tables]
    current: list[Line] = []
    for line in lines:
        table_between = current and any(current[-1].box.top < t.box.top < line.box.top for t in page.tables)
        if current and (table_between or starts_paragraph(current[-1], line, pitch)):
            items.append((current[0].box.top, Paragraph(tuple(current))))
            current = []
        current.append(line)
    if current:
        items.append((current[0].box.top, Paragraph(tuple(current))))
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
                blocks[-1] = Paragraph(previous.lines + first.lines)
                page_items = page_items[1:]
        blocks.extend(page_items)
    return blocks


def _continues(previous: Paragraph, following: Paragraph) -> bool:
    """A sentence running over a page break: no closing punctuation, the same size, no new item."""
    return (
        not following.is_list_item
        and not ITEM_NUMBER.match(following.lines[0].words[0].text)
        and not previous.lines[-1].text.endswith(SENTENCE_END)
        and abs(previous.lines[-1].size - following.lines[0].size) < 0.5
    )


def paragraphs(blocks: Sequence[Block]) -> list[Paragraph]:
    return [b for b in blocks if isinstance(b, Paragraph)]
