"""Words are grouped from characters exactly as pdfplumber's `extract_words()` groups them.

Every table algorithm was tuned on pdfplumber's words; the pipeline groups them itself, in a
fraction of the time, and is held here to pdfplumber's result on every page of every fixture
(both readers' characters), and on the corner cases of its rules.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from conftest import FIXTURES, RAW

from pipeline.extract.content import chars, reading_turns
from pipeline.extract.pdf import open_reader
from pipeline.extract.words import page_words

FIXTURE_PDFS = sorted([*RAW.glob("*.pdf"), *(FIXTURES / "answers").glob("*.pdf"),
                       *(FIXTURES / "invalid").glob("*.pdf"), *(FIXTURES / "odd").glob("rotate-*.pdf"), FIXTURES / "odd" / "drawn-sideways.pdf",
                       *(FIXTURES / "profiles").glob("*.pdf")])


def pdfplumber_words(page_chars: list[dict[str, Any]]) -> list[tuple]:
    from pdfplumber.utils.text import WordExtractor

    words = WordExtractor(extra_attrs=["size", "fontname"]).extract_words(page_chars, return_chars=True)
    return [(w["text"], (w["x0"], w["top"], w["x1"], w["bottom"]), w["size"], w["chars"][0]["x1"] - w["chars"][0]["x0"])
            for w in words if w["upright"]]


def our_words(page_chars: list[dict[str, Any]]) -> list[tuple]:
    return [(w.text, w.box.as_tuple(), w.size, w.first_glyph_width) for w in page_words(page_chars)]


def page_chars_of(pdf: Path, reader: str) -> list[list[dict[str, Any]]]:
    opened = open_reader(pdf.read_bytes(), reader)
    try:
        return [chars(content, reading_turns(content.glyphs)) for content in opened.pages() if content is not None]
    finally:
        opened.close()


def test_the_fixtures_compared_hold_many_words():
    assert len(FIXTURE_PDFS) >= 15
    assert sum(len(page_words(c)) for c in page_chars_of(RAW / "ocmw-samenwerking-met-dyzo.pdf", "pdfium")) > 500


@pytest.mark.parametrize("reader", ["pdfium", "pdfplumber"])
@pytest.mark.parametrize("pdf", FIXTURE_PDFS, ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_the_words_of_every_fixture_page_are_pdfplumbers(pdf: Path, reader: str):
    for page_chars in page_chars_of(pdf, reader):
        assert our_words(page_chars) == pdfplumber_words(page_chars)


def char(text: str, x0: float, top: float, width: float = 5.0, size: float = 10.0, font: str = "Sans",
         upright: bool = True) -> dict[str, Any]:
    return {"text": text, "x0": x0, "x1": x0 + width, "top": top, "bottom": top + size, "doctop": top,
            "width": width, "height": size, "upright": upright, "size": size, "fontname": font}


CORNER_CASES = {
    "a space ends a word and is left out": [char("a", 0, 0), char(" ", 5, 0), char("b", 8, 0)],
    "a gap over 3 pt ends a word": [char("a", 0, 0), char("b", 8.01, 0), char("c", 13.01, 0)],
    "a gap of 3 pt does not": [char("a", 0, 0), char("b", 8, 0)],
    "a char left of the one before starts a word": [char("a", 10, 0), char("b", 15, 0), char("c", 12, 0.5)],
    "tops chained within 3 pt are one line, sorted by x": [char("b", 5, 1.5), char("a", 0, 0), char("c", 10, 3.0)],
    "tops over 3 pt apart are two lines": [char("a", 0, 0), char("b", 5, 3.5)],
    "another font or size is another word": [char("a", 0, 0), char("b", 5, 0, font="Sans-Bold"),
                                             char("c", 10, 0, size=11)],
    "a run of the same font resumes after another": [char("a", 0, 0), char("x", 50, 0, font="Other"),
                                                     char("b", 5, 0)],
    "a ligature is its letters": [char("\ufb01", 0, 0), char("n", 5, 0)],
    "a char without text is a word of its own": [char("a", 0, 0), char("", 5, 0), char("b", 5, 0)],
    "rotated text is left out and splits a run": [char("a", 0, 0), char("r", 0, 40, upright=False),
                                                  char("b", 5, 0)],
}


@pytest.mark.parametrize("page_chars", CORNER_CASES.values(), ids=CORNER_CASES.keys())
def test_each_rule_of_word_grouping_is_pdfplumbers(page_chars):
    assert our_words(page_chars) == pdfplumber_words(page_chars)


def test_words_of_a_line_with_a_gap_and_a_space():
    words = page_words([char("O", 0, 0), char("C", 5, 0), char(" ", 10, 0), char("G", 13, 0), char("1", 30, 0)])
    assert [(w.text, w.box.x0, w.space_after) for w in words] == [("OC", 0, True), ("G", 13, False), ("1", 30, False)]
