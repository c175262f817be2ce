"""The answer model's rules: enumerations in every form, drawn bands, and where they must not fire."""

from __future__ import annotations

from pipeline.extract.bands import band_table, edge_stacks
from pipeline.extract.layout import Box, Document, Line, Page, Word
from pipeline.extract.marks import is_bullet
from pipeline.normalise.answer import Enumeration, read_answer
from pipeline.normalise.reading import Paragraph, document_blocks
from pipeline.settings import Settings

GLYPH = 5.0
SETTINGS = Settings()
LEFT = 70.0


def line(text: str, top: float, x: float = LEFT, page: int = 1) -> Line:
    words = []
    for token in text.split():
        words.append(Word(token, Box(x, top, x + GLYPH * len(token), top + 10), 10.0, False, GLYPH))
        x += GLYPH * len(token) + 3.0
    return Line(page, tuple(words))


def answer_of(lines: list[Line], marks: tuple[Box, ...] = ()):
    page = Page(1, 595.0, 842.0, tuple(lines), (), marks)
    document = Document("x.pdf", "0" * 64, "", (page,))
    blocks = document_blocks(document, SETTINGS)
    return read_answer(blocks, [])


def shape(answer) -> list[tuple[str, object]]:
    return [("list", e.form, [i.text for i in e.items]) if isinstance(e, Enumeration) else ("paragraph", e.raw)
            for e in answer.blocks]


def test_bullet_items_under_their_sentence_are_one_enumeration():
    lines = [line("In 2017 deden vijf OCMW's een beroep per dossier:", 100),
             line("• Boom", 118, x=90), line("• Mol", 130, x=90), line("Daarna volgt tekst.", 150)]
    assert shape(answer_of(lines)) == [
        ("paragraph", "In 2017 deden vijf OCMW's een beroep per dossier:"),
        ("list", "bullets", ["Boom", "Mol"]),
        ("paragraph", "Daarna volgt tekst."),
    ]


def test_words_privately_encoded_bullets_are_bullets():
    assert is_bullet("\uf0b7") and is_bullet("•") and is_bullet("–")
    assert not is_bullet("a") and not is_bullet("1.")


def test_a_bullet_drawn_as_a_small_shape_opens_an_item():
    lines = [line("De volgende modules:", 100), line("Boom", 118, x=90), line("Mol", 130, x=90)]
    marks = (Box(80.0, 121.0, 83.0, 124.0), Box(80.0, 133.0, 83.0, 136.0))
    assert shape(answer_of(lines, marks))[1] == ("list", "bullets", ["Boom", "Mol"])


def test_without_the_drawn_marks_the_same_lines_are_one_paragraph():
    lines = [line("De volgende modules:", 100), line("Boom", 112, x=90), line("Mol", 124, x=90)]
    assert [kind for kind, *_ in shape(answer_of(lines))] == ["paragraph"]


def test_numbered_items_indented_under_a_colon_are_a_list():
    lines = [line("Dyzo biedt de volgende drie modules aan:", 100), line("1) Hulp", 118, x=90),
             line("2) Sociale zekerheid", 130, x=90), line("3) Faillissement", 142, x=90)]
    assert shape(answer_of(lines))[1] == ("list", "numbers", ["Hulp", "Sociale zekerheid", "Faillissement"])


def test_a_numbered_answer_flush_left_is_not_a_list_item():
    # The answer numbers its paragraphs the way lists are numbered: layout tells them apart.
    lines = [line("Inleiding zonder dubbele punt.", 100), line("1. In 2016 besloten 19 OCMW's iets.", 120),
             line("2. Daarnaast heeft Dyzo akkoorden.", 140)]
    assert [kind for kind, *_ in shape(answer_of(lines))] == ["paragraph", "paragraph", "paragraph"]


def test_a_numbered_list_ends_where_its_numbering_or_indent_stops():
    lines = [line("De volgende modules:", 100), line("1) Hulp", 118, x=90), line("2) Zekerheid", 130, x=90),
             line("4. De medewerker oordeelt zelf.", 150)]
    blocks = shape(answer_of(lines))
    assert blocks[1] == ("list", "numbers", ["Hulp", "Zekerheid"])
    assert blocks[2] == ("paragraph", "4. De medewerker oordeelt zelf.")


# --- rows drawn as bands ----------------------------------------------------------------------


def words_at(texts: list[str], top: float, starts=(70.0, 200.0)) -> list[Word]:
    return [w for text, x in zip(texts, starts) for w in line(text, top, x=x).words]


def rules(*tops: float, x0: float = 65.0, x1: float = 400.0) -> list[dict]:
    return [{"x0": x0, "x1": x1, "top": t, "bottom": t} for t in tops]


def test_horizontal_rules_with_aligned_text_make_a_table_of_rows_and_columns():
    words = [*words_at(["Jaar", "Bedrag"], 102), *words_at(["2016", "470.000 euro"], 122),
             *words_at(["2017", "525.000 euro"], 142)]
    [stack] = edge_stacks(rules(100, 118, 138, 158))
    table = band_table(1, stack, words, SETTINGS)
    assert table is not None and (table.n_rows, table.n_columns) == (3, 2)
    assert [[c.text_raw for c in table.row(r)] for r in range(3)] == [
        ["Jaar", "Bedrag"], ["2016", "470.000 euro"], ["2017", "525.000 euro"]]


def test_a_shaded_heading_above_the_table_is_not_a_row():
    words = [*line("Overzicht van de subsidies per jaar en bedrag", 102, x=70).words,
             *words_at(["Jaar", "Bedrag"], 122), *words_at(["2016", "470.000"], 142), *words_at(["2017", "525.000"], 162)]
    [stack] = edge_stacks(rules(100, 118, 138, 158, 178))
    table = band_table(1, stack, words, SETTINGS)
    assert table is not None and table.n_rows == 3
    assert [c.text_raw for c in table.row(0)] == ["Jaar", "Bedrag"]


def test_rules_under_prose_without_columns_are_no_table():
    words = [*line("Een gewone alinea met een lijn eronder", 102).words,
             *line("en nog een regel tekst die doorloopt", 122).words]
    [stack] = edge_stacks(rules(100, 118, 138))
    assert band_table(1, stack, words, SETTINGS) is None


def test_rules_of_different_widths_or_far_apart_form_no_stack():
    assert edge_stacks(rules(100, 300, 500)) == []
    assert edge_stacks([*rules(100, x1=300), *rules(118, x1=400), *rules(136, x1=500)]) == []


def test_paragraph_of_an_item_keeps_its_mark():
    lines = [line("Boom", 118, x=90)]
    page = Page(1, 595.0, 842.0, tuple(lines), (), (Box(80.0, 121.0, 83.0, 124.0),))
    [paragraph] = document_blocks(Document("x.pdf", "0" * 64, "", (page,)), SETTINGS)
    assert isinstance(paragraph, Paragraph) and paragraph.marker == "mark"


# --- one table finder, strategies in turn --------------------------------------------------------


def test_the_table_finder_tries_its_strategies_in_turn():
    from pipeline.extract.tables import PageGeometry, TableSettings, find_tables

    words = [*words_at(["Jaar", "Bedrag"], 102), *words_at(["2016", "470.000 euro"], 122),
             *words_at(["2017", "525.000 euro"], 142)]
    edges = [dict(e, orientation="h", width=e["x1"] - e["x0"], height=0.0, doctop=e["top"], object_type="line")
             for e in rules(100, 118, 138, 158)]
    page = PageGeometry(1, words, edges)
    [table], lines = find_tables(page, SETTINGS)
    assert (table.n_rows, table.n_columns, table.ruled, lines) == (3, 2, True, [])
    # Without the bands strategy the rules draw no grid (no vertical edge), and the text, in two
    # aligned columns over three lines, is found by the borderless strategy instead.
    [borderless], _ = find_tables(page, SETTINGS, TableSettings(strategies=("lines",)))
    assert not borderless.ruled
    tables, lines = find_tables(page, SETTINGS, TableSettings(strategies=("lines",), borderless=False))
    assert tables == [] and len(lines) == 3
