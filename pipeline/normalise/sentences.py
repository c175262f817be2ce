"""Sentences of running text, with their offsets in the paragraph, so every value can be traced back."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from pipeline.model import BBox, Place
from pipeline.normalise.reading import Paragraph
from pipeline.normalise.text import collapse_spaces, join_raw

# Words after which a full stop does not end a sentence.
ABBREVIATIONS = frozenset(
    "nr nrs arr vzw bv bvba nv o.a m.a.w vb bijv art t.e.m t.a.v e.a enz dhr mevr mr dr prof resp ca cf vs blz p "
    "o-vl w-vl vl tel jr min".split()
)
LIST_SEPARATOR = re.compile(r"\s*,\s*(?:(?:en|of)\s+)?|\s+(?:en|of)\s+")
TRAILING_PUNCTUATION = " \n;.,:"


@dataclass(frozen=True)
class Sentence:
    paragraph: Paragraph
    start: int
    end: int

    @property
    def raw(self) -> str:
        return self.paragraph.raw[self.start : self.end]

    @property
    def text(self) -> str:
        return collapse_spaces(join_raw(self.raw)[0])

    @property
    def page(self) -> int:
        return self.paragraph.page_at(self.start)

    def box(self, start: int = 0, end: int | None = None) -> BBox:
        """Box of raw[start:end] of this sentence (the whole sentence by default)."""
        end = len(self.raw) if end is None else end
        return self.paragraph.span_box(self.start + start, self.start + end)[1].as_tuple()

    def line_boxes(self, start: int = 0, end: int | None = None) -> tuple[Place, ...]:
        """Page and box of raw[start:end] of this sentence on each printed line it runs over."""
        end = len(self.raw) if end is None else end
        return self.paragraph.span_line_boxes(self.start + start, self.start + end)


def sentences(paragraph: Paragraph) -> list[Sentence]:
    raw = paragraph.raw
    starts = [0]
    for match in re.finditer(r"[.?!](?=\s+\S)", raw):
        following = raw[match.end() :].lstrip()[:1]
        if not (following.isupper() or following.isdigit() or following in "\"“‘('•"):
            continue
        token = re.search(r"(\S*)$", raw[: match.start()]).group(1).lower().lstrip("(\"“‘")
        if token in ABBREVIATIONS or (len(token) == 1 and token.isalpha()):
            continue
        if token.isdigit() and len(token) <= 2 and raw[: match.start()].strip() == token:
            continue  # an item number ("1. In 2016 ...") opens the sentence, it does not end one
        starts.append(match.end())
    result = []
    for start, end in zip(starts, starts[1:] + [len(raw)]):
        while start < end and raw[start].isspace():
            start += 1
        if start < end:
            result.append(Sentence(paragraph, start, end))
    return result


def all_sentences(paragraphs: Iterable[Paragraph]) -> list[Sentence]:
    return [s for p in paragraphs for s in sentences(p)]


def strip_item_number(text: str) -> str:
    """The text without the answer number it opens with (`1. In 2016 ...`)."""
    return re.sub(r"^(?:\d{1,2}|[a-z])[.)]\s+", "", text)
