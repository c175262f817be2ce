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
    lists = [e for e in answer.enumerations if e.form in ("bullets", "dashes", "numbers")]
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


# --- what looks meant but was not read is named ------------------------------------------------


def synthetic(lines: list[tuple[str, float, float]]) -> Document:
    """One page of lines given as (text, top, x); columns split where the text has three spaces."""
    from pipeline.extract.borderless import find_borderless_tables
    from pipeline.extract.layout import Line, Page, Word

    built = []
    for text, top, x in lines:
        words = []
        for column, piece in enumerate(text.split("   ")):
            position = x + 150.0 * column
            for token in piece.split():
                words.append(Word(token, Box(position, top, position + 5.0 * len(token), top + 10), 10.0, False, 5.0))
                position += 5.0 * len(token) + 3.0
        built.append(Line(1, tuple(words)))
    tables, remaining = find_borderless_tables(1, built, SETTINGS)
    return Document("x.pdf", "0" * 64, "", (Page(1, 595.0, 842.0, tuple(remaining), tuple(tables)),))


def warnings_of(document: Document, check: str) -> list[str]:
    result = normalise(document, "doc", SETTINGS, SETTINGS.profile)
    return [f.message for f in result.findings if f.check == check and f.status == "warn"]


def test_a_list_after_a_counting_sentence_that_no_dataset_reads_is_named_in_a_warning():
    document = synthetic([("Het OCMW gebruikt de volgende drie kleuren:", 100, 70), ("• rood", 118, 90),
                          ("• groen", 130, 90), ("• blauw", 142, 90)])
    [message] = warnings_of(document, "list-recognised")
    assert "3 items on page 1" in message and "drie kleuren" in message


def test_a_table_whose_header_half_matches_a_dataset_is_named_with_what_it_lacks():
    rows = [("Datum   Inrichter   Doelgroep", 100, 70), ("13/01/2014   Dyzo   Medewerkers", 114, 70),
            ("14/01/2014   OCMW Gent   Vrijwilligers", 128, 70), ("15/01/2014   Dyzo   Medewerkers", 142, 70)]
    [message] = warnings_of(synthetic(rows), "table-recognised")
    assert "looks like trainings" in message and "no column for participants" in message
