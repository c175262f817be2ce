"""The document's own vocabulary: words printed whole, never the halves of a broken token."""

from __future__ import annotations

from pipeline.extract.layout import Box, Cell, Document, Line, Page, Table, Word
from pipeline.normalise.vocabulary import document_vocabulary


def _line(text: str, top: float) -> Line:
    words, x = [], 0.0
    for token in text.split():
        words.append(Word(token, Box(x, top, x + 5 * len(token), top + 10), 10.0, False, 5.0))
        x += 5 * len(token) + 2.5
    return Line(1, tuple(words))


def _cell(row: int, *texts: str) -> Cell:
    return Cell(row, 0, Box(0, 20 * row, 60, 20 * row + 20), tuple(_line(t, 20 * row + 5 * i) for i, t in enumerate(texts)))


def test_prose_words_and_unbroken_cell_words_are_known_but_not_halves_of_a_break():
    cells = (
        _cell(0, "Gemeente"),
        _cell(1, "Overeenkomst", "met zitdag"),
        _cell(2, "Overeenkomst", "zonder zitdag"),
        _cell(3, "Bonheid", "en"),
        _cell(4, "Aalst"),
        _cell(5, "Scherpe"),
    )
    table = Table(1, Box(0, 0, 60, 120), 6, 1, cells, (0.0, 60.0), True, 5.0)
    page = Page(1, 600, 800, (_line("Het aantal deelnemers, per dossier: Sint-", 500), _line("Niklaas", 512)), (table,))
    vocabulary = document_vocabulary(Document("x.pdf", "0" * 64, "", (page,)))
    for known in ("aantal", "deelnemers", "dossier", "niklaas", "aalst", "zitdag", "overeenkomst"):
        assert vocabulary.knows(known), known
    # "Scherpe" ends the table on its page: the page break may have split it ("Scherpe" + "nheuvel-Zichem").
    for unknown in ("bonheid", "en", "met", "sint-", "scherpe", "gemeente"):
        assert not vocabulary.knows(unknown), unknown
