"""What an answer says, as blocks: paragraphs of sentences, enumerations, tables — whatever the topic.

`read_answer` turns the paragraphs and stitched tables of a document into one list of
blocks in reading order. An `Enumeration` is one object however it is laid out:

- bullets: paragraphs opened by a bullet glyph (`•`, Word's private-use `\uf0b7`, ...) or by
  a small filled shape drawn left of the text (`Paragraph.mark`); dashes (`-`, `–`);
- numbers: paragraphs opened by `1.`, `1)`, `a)`. An answer numbers its questions and
  answers the same way (`1. In 2016 ...`), so a numbered paragraph is a list item only when
  the layout says so: it is indented from the body's left edge, or it follows a sentence
  ending in a colon (or another item of the same list). Never by its words.
- a one-column table;
- inline, "A, B en C" after a colon: `inline_enumeration` reads it from a sentence.

Every block keeps the sentence that introduces it (`intro`): for a list, the last
sentence before it; for a table, the running text since the previous table.
"""

from __future__ import annotations

import statistics
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from pipeline.model import BBox, Place, Repair
from pipeline.normalise.reading import Block, Paragraph
from pipeline.normalise.sentences import LIST_SEPARATOR, TRAILING_PUNCTUATION, Sentence, sentences
from pipeline.normalise.tables import CellValue, TableGroup
from pipeline.normalise.text import CELL_RULES, TEXT_RULES, JoinKind, collapse_spaces, join_raw

Form = Literal["inline", "bullets", "dashes", "numbers", "table"]
DASHES = frozenset("-–—")
# A numbered paragraph whose number stands this far (points) right of the body's left edge is indented.
INDENT_TOLERANCE = 4.0
# Items of one list stand at the same indent, within this many points.
SAME_INDENT = 2.0


@dataclass(frozen=True)
class EnumerationItem:
    """One item's text (wraps re-joined, marker and closing punctuation left out), with where it stands."""

    text: str
    raw: str
    page: int
    box: BBox | None
    joins: tuple[JoinKind, ...]
    in_cell: bool = False  # read from a table cell: the cell rules named its joins
    lines: tuple[Place, ...] = ()  # one box per printed line, for an item that runs over several

    def repairs(self, dataset: str, field: str) -> list[Repair]:
        rules = CELL_RULES if self.in_cell else TEXT_RULES
        return [Repair(dataset, field, self.page, self.raw, self.text, rules[kind], self.box, boxes=self.lines)
                for kind in dict.fromkeys(self.joins)]


@dataclass(frozen=True)
class Enumeration:
    form: Form
    items: tuple[EnumerationItem, ...]
    intro: Sentence | None  # the sentence introducing the list

    @property
    def page(self) -> int:
        return self.items[0].page if self.items else (self.intro.page if self.intro else 0)


AnswerBlock = Paragraph | Enumeration | TableGroup


@dataclass(frozen=True)
class Answer:
    blocks: tuple[AnswerBlock, ...]

    @property
    def paragraphs(self) -> list[Paragraph]:
        """The running text: every paragraph that is not a list item."""
        return [b for b in self.blocks if isinstance(b, Paragraph)]

    @property
    def tables(self) -> list[TableGroup]:
        return [b for b in self.blocks if isinstance(b, TableGroup)]

    @property
    def enumerations(self) -> list[Enumeration]:
        return [b for b in self.blocks if isinstance(b, Enumeration)]

    def following(self, sentence: Sentence) -> AnswerBlock | None:
        """The block right after the paragraph that `sentence` ends, if it ends its paragraph."""
        for i, block in enumerate(self.blocks):
            if block is sentence.paragraph:
                if sentences(block)[-1].start != sentence.start or i + 1 == len(self.blocks):
                    return None
                return self.blocks[i + 1]
        return None


def body_left(paragraphs: Sequence[Paragraph]) -> float | None:
    """Where the body text starts on the line: the most common left edge of unmarked paragraphs."""
    edges = [round(p.lines[0].box.x0) for p in paragraphs if not p.marker]
    return float(statistics.mode(edges)) if edges else None


def form_of(paragraph: Paragraph) -> Form | None:
    marker = paragraph.marker
    if not marker:
        return None
    if marker in DASHES:
        return "dashes"
    return "bullets" if marker == "mark" or not marker[0].isalnum() else "numbers"


def number_of(marker: str) -> tuple[str, int]:
    """An item number's style (`1.`, `1)`, `a)`, ...) and its value in the sequence."""
    body, closing = marker[:-1], marker[-1]
    if body.isdigit():
        return f"digit{closing}", int(body)
    return f"letter{closing}", ord(body.lower()) - ord("a") + 1


def continues(paragraph: Paragraph, run: Sequence[Paragraph]) -> bool:
    """The next item of the list `run` holds: the same kind of marker at the same indent, and for
    numbers the next number of the same style."""
    last = run[-1]
    if form_of(paragraph) != form_of(last) or abs(paragraph.lines[0].box.x0 - last.lines[0].box.x0) > SAME_INDENT:
        return False
    if form_of(paragraph) != "numbers":
        return (paragraph.mark is None) == (last.mark is None)
    (style, value), (last_style, last_value) = number_of(paragraph.marker), number_of(last.marker)
    return style == last_style and value == last_value + 1


def is_list_item(paragraph: Paragraph, previous: Block | None, left: float | None) -> bool:
    """A bullet always opens an item; a number only where the layout sets it apart from the body:
    indented from the body's left edge, or right after a sentence ending in a colon."""
    form = form_of(paragraph)
    if form is None:
        return False
    if form != "numbers":
        return True
    indented = left is not None and paragraph.lines[0].box.x0 > left + INDENT_TOLERANCE
    after_colon = isinstance(previous, Paragraph) and not previous.marker and previous.raw.rstrip().endswith(":")
    return indented or after_colon


def paragraph_item(paragraph: Paragraph) -> EnumerationItem:
    raw = paragraph.raw
    start = 0 if paragraph.mark is not None else len(paragraph.lines[0].words[0].text)
    end = len(raw)
    while start < end and raw[start].isspace():
        start += 1
    while end > start and raw[end - 1] in TRAILING_PUNCTUATION:
        end -= 1
    text, joins = join_raw(raw[start:end])
    page, box = paragraph.span_box(start, end)
    return EnumerationItem(collapse_spaces(text), raw[start:end], page, box.as_tuple(), joins,
                           lines=paragraph.span_line_boxes(start, end))


def cell_item(value: CellValue) -> EnumerationItem:
    text = value.text.rstrip(TRAILING_PUNCTUATION)
    return EnumerationItem(text, value.raw, value.page, value.box.as_tuple(), value.joins, in_cell=True)


def last_sentence(paragraph: Paragraph | None) -> Sentence | None:
    found = sentences(paragraph) if paragraph is not None else []
    return found[-1] if found else None


def read_answer(blocks: Sequence[Block], groups: Sequence[TableGroup]) -> Answer:
    """Paragraphs, enumerations and tables in reading order (`groups` are `blocks`' tables, stitched)."""
    first_fragments = {id(g.fragments[0]): g for g in groups}
    continued = {id(f) for g in groups for f in g.fragments[1:]}
    left = body_left([b for b in blocks if isinstance(b, Paragraph)])
    answer: list[AnswerBlock] = []
    run: list[Paragraph] = []
    run_intro: Paragraph | None = None

    def close_run() -> None:
        if run:
            answer.append(Enumeration(form_of(run[0]) or "bullets", tuple(paragraph_item(p) for p in run),
                                      last_sentence(run_intro)))
            run.clear()

    previous: Block | None = None
    for block in blocks:
        if isinstance(block, Paragraph):
            if run and continues(block, run):
                run.append(block)
            elif is_list_item(block, previous if not run else None, left):
                close_run()
                run_intro = previous if isinstance(previous, Paragraph) else None
                run.append(block)
            else:
                close_run()
                answer.append(block)
        else:
            close_run()
            if id(block) in continued:
                continue
            group = first_fragments[id(block)]
            if group.n_columns == 1:
                items = tuple(cell_item(row.values[0]) for row in group.rows if row.values[0].text)
                answer.append(Enumeration("table", items, last_sentence(group.context[-1] if group.context else None)))
            answer.append(group)
        previous = block
    close_run()
    return Answer(tuple(answer))


def inline_enumeration(sentence: Sentence, after: int) -> Enumeration | None:
    """The items of a list written in the sentence after offset `after` (a colon): "A, B, ..., en Z."."""
    raw = sentence.raw
    items = []
    position = after
    separators = list(LIST_SEPARATOR.finditer(raw, after))
    for separator in [*separators, None]:
        end = separator.start() if separator else len(raw)
        item_start, item_end = position, end
        while item_start < item_end and raw[item_start] in TRAILING_PUNCTUATION:
            item_start += 1
        while item_end > item_start and raw[item_end - 1] in TRAILING_PUNCTUATION:
            item_end -= 1
        if item_end > item_start:
            text, joins = join_raw(raw[item_start:item_end])
            items.append(EnumerationItem(collapse_spaces(text), raw[item_start:item_end], sentence.page,
                                         sentence.box(item_start, item_end), joins,
                                         lines=sentence.line_boxes(item_start, item_end)))
        if separator:
            position = separator.end()
    return Enumeration("inline", tuple(items), sentence) if items else None
