"""A table or list removed from an answer on purpose gives a failing check, never silence.

Every answer (the seed and each layout fixture) is read once; then, for each of its
tables and each of its enumerations in turn, the same document without it is
normalised and validated. The answer's own declarations (a count before a list or table,
a `Totaal` row) or the sentence announcing what is now missing must make a check fail.
"""

from __future__ import annotations

import dataclasses
from functools import lru_cache
from pathlib import Path

import pytest

from conftest import FIXTURES, SEED_PDF
from pipeline.extract.layout import Box, Document
from pipeline.extract.pdf import read_document
from pipeline.normalise import normalise
from pipeline.normalise.answer import Enumeration, read_answer
from pipeline.normalise.reading import document_blocks
from pipeline.normalise.tables import stitch_tables
from pipeline.normalise.text import WrapRules
from pipeline.normalise.vocabulary import document_vocabulary
from pipeline.settings import Settings
from pipeline.validate import validate

SETTINGS = Settings()
ANSWERS = [SEED_PDF, *sorted((FIXTURES / "answers").glob("*.pdf"))]


@lru_cache(maxsize=None)
def extracted(pdf: Path) -> Document:
    return read_document(pdf, SETTINGS)


def structures(document: Document) -> list[tuple[str, object]]:
    """Every table (all its fragments) and every enumeration drawn as its own block."""
    blocks = document_blocks(document, SETTINGS)
    groups = stitch_tables(blocks, SETTINGS, WrapRules(SETTINGS.fit_tolerance, document_vocabulary(document)))
    answer = read_answer(blocks, groups)
    found: list[tuple[str, object]] = [(f"table {g.table_id}", g) for g in groups]
    lists = [e for e in answer.enumerations if e.form in ("bullets", "numbers")]
    found += [(f"{e.form} list {k} on page {e.page}", e) for k, e in enumerate(lists, start=1)]
    return found


def without(document: Document, structure: object) -> Document:
    if isinstance(structure, Enumeration):
        boxes = [(item.page, Box(*item.box)) for item in structure.items if item.box]

        def kept(page_number: int, box: Box) -> bool:
            return not any(p == page_number and b.top - 2 <= box.center_y <= b.bottom + 2 for p, b in boxes)

        pages = tuple(dataclasses.replace(page, lines=tuple(line for line in page.lines if kept(page.number, line.box)),
                                          marks=tuple(m for m in page.marks if kept(page.number, m)))
                      for page in document.pages)
    else:
        fragments = {id(f) for f in structure.fragments}
        pages = tuple(dataclasses.replace(page, tables=tuple(t for t in page.tables if id(t) not in fragments))
                      for page in document.pages)
    return dataclasses.replace(document, pages=pages)


def failures(document: Document) -> list[str]:
    result = normalise(document, "doc", SETTINGS, SETTINGS.profile)
    validation = validate([result], SETTINGS.profile.published)
    return [f"{c.dataset} {c.check}: {c.message}" for c in validation.checks if c.status == "fail"]


CASES = [(pdf, name) for pdf in ANSWERS for name, _ in structures(extracted(pdf))]


def test_every_answer_has_tables_and_lists_to_remove():
    assert len(CASES) >= 3 * len(ANSWERS)


@pytest.mark.parametrize("pdf", ANSWERS, ids=lambda p: p.stem)
def test_the_whole_answer_fails_no_check(pdf):
    assert failures(extracted(pdf)) == []


@pytest.mark.parametrize(("pdf", "name"), CASES, ids=[f"{p.stem}: {n}" for p, n in CASES])
def test_a_table_or_list_removed_on_purpose_fails_a_check(pdf, name):
    document = extracted(pdf)
    [structure] = [s for n, s in structures(document) if n == name]
    assert failures(without(document, structure)), f"{name} removed from {pdf.name} went unnoticed"
