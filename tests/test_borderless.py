"""Borderless tables: columns from aligned text, rows from wrap geometry and vertical alignment."""

from __future__ import annotations

from pdfs import trainings_answer

from pipeline.extract.borderless import find_borderless_tables
from pipeline.extract.layout import Box, Line, Word
from pipeline.inspect import inspect_stage
from pipeline.normalise.tables import physical_rows
from pipeline.normalise.text import WrapRules
from pipeline.settings import Settings

GLYPH = 5.0
PITCH = 12.0
COLUMNS = (50.0, 108.8, 220.0, 340.0)  # where each column's text starts; the first fits 9 digits
RULES = WrapRules(fit_tolerance=1.0)


def text_line(pieces: list[str], index: int, starts=COLUMNS) -> Line:
    """One printed line; pieces[i] stands in column i (empty string: nothing there)."""
    top = 100 + PITCH * index
    words = []
    for start, piece in zip(starts, pieces):
        x = start
        for token in piece.split():
            words.append(Word(token, Box(x, top, x + GLYPH * len(token), top + 10), 10.0, False, GLYPH))
            x += GLYPH * len(token) + 3.0
    return Line(1, tuple(words))


def table_rows(lines_text: list[list[str]]) -> list[tuple[str, ...]]:
    lines = [text_line(pieces, i) for i, pieces in enumerate(lines_text)]
    tables, remaining = find_borderless_tables(1, lines, Settings())
    assert remaining == [] and len(tables) == 1
    return [tuple(c.text_raw if c else "" for c in row.cells) for row in physical_rows(tables, RULES)]


def test_text_aligned_in_columns_between_prose_is_a_table_and_the_prose_stays_text():
    prose = ["een overzicht van de opleidingen en het aantal deelnemers vindt u hieronder in de tabel"]
    rows = [["Datum", "Inrichter", "Doelgroep", "Aantal"], ["3/11/2014", "OCMW Zichem", "Medewerkers", "12"],
            ["5/06/2015", "Dyzo", "CAW", "12"], ["8/12/2015", "CAW O-Vl.", "OCMW", "40"]]
    lines = [text_line(prose, 0, starts=(50.0,))] + [text_line(r, i + 1) for i, r in enumerate(rows)]
    lines.append(text_line(["3. Dyzo registreert niet systematisch het thema van de opleiding want"], 5, starts=(50.0,)))
    tables, remaining = find_borderless_tables(1, lines, Settings())
    assert [t.n_columns for t in tables] == [4]
    assert tables[0].column_edges[:-1] == COLUMNS
    assert remaining == [lines[0], lines[5]]


def test_a_list_with_a_hanging_indent_is_not_a_table():
    items = [["•", "Algemene introductie"], ["•", "Sociale zekerheid"], ["•", "faillissementswetgeving"]]
    lines = [text_line(item, i, starts=(50.0, 70.0)) for i, item in enumerate(items)]
    assert find_borderless_tables(1, lines, Settings()) == ([], lines)


def test_justified_prose_with_stray_wide_spaces_is_not_a_table():
    lines = [
        Line(1, (Word("Dyzo", Box(50, 100, 70, 110), 10, False, 5), Word("begeleidt", Box(90, 100, 135, 110), 10, False, 5),
                 Word("ondernemers", Box(139, 100, 200, 110), 10, False, 5))),
        Line(1, (Word("in", Box(50, 112, 60, 122), 10, False, 5), Word("moeilijkheden", Box(64, 112, 130, 122), 10, False, 5),
                 Word("en", Box(150, 112, 160, 122), 10, False, 5))),
        Line(1, (Word("hun", Box(50, 124, 65, 134), 10, False, 5), Word("gezinnen", Box(69, 124, 110, 134), 10, False, 5),
                 Word("verder", Box(114, 124, 145, 134), 10, False, 5))),
    ]
    assert find_borderless_tables(1, lines, Settings()) == ([], lines)


def test_top_aligned_rows_keep_their_wrapped_lines():
    # Column 1 holds at most 10 glyphs: "13/01/2014" is broken after nine, the continuation sits below.
    rows = table_rows([
        ["Datum", "Inrichter", "Doelgroep", "Aantal"],
        ["13/01/201", "RWO", "Medewerkers regionale", "21"],
        ["4", "", "OCMW's", ""],
        ["14/01/201", "Intercommunale", "Medewerkers", "19"],
        ["4", "Leiedal", "", ""],
        ["Totaal", "", "", "40"],
    ])
    assert rows == [
        ("Datum", "Inrichter", "Doelgroep", "Aantal"),
        ("13/01/201\n4", "RWO", "Medewerkers regionale\nOCMW's", "21"),
        ("14/01/201\n4", "Intercommunale\nLeiedal", "Medewerkers", "19"),
        ("Totaal", "", "", "40"),
    ]


def test_bottom_aligned_rows_keep_the_lines_above_their_main_line():
    rows = table_rows([
        ["Datum", "Inrichter", "Doelgroep", "Aantal"],
        ["13/01/201", "", "Medewerkers regionale", ""],
        ["4", "RWO", "OCMW's", "21"],
        ["14/01/201", "Intercommunale", "", ""],
        ["4", "Leiedal", "Medewerkers", "19"],
    ])
    assert rows == [
        ("Datum", "Inrichter", "Doelgroep", "Aantal"),
        ("13/01/201\n4", "RWO", "Medewerkers regionale\nOCMW's", "21"),
        ("14/01/201\n4", "Intercommunale\nLeiedal", "Medewerkers", "19"),
    ]


def test_one_line_rows_of_the_same_shape_are_separate_rows():
    rows = table_rows([
        ["Gemeente", "Overeenkomst"],
        ["Roeselare", "Overeenkomst met zitdag"],
        ["Ruiselede", "Overeenkomst zonder"],
        ["", "zitdag"],
        ["Tielt", "Overeenkomst met zitdag"],
    ])
    assert rows == [
        ("Gemeente", "Overeenkomst"),
        ("Roeselare", "Overeenkomst met zitdag"),
        ("Ruiselede", "Overeenkomst zonder\nzitdag"),
        ("Tielt", "Overeenkomst met zitdag"),
    ]


def test_centred_rows_keep_the_lines_above_and_below_their_main_line():
    # A one-line cell beside a two-line one sits half a line lower: lines come at half steps.
    narrow = (50.0, 110.0, 190.0, 310.0)
    printed = [  # (line index, pieces per column)
        (0.0, ["Datum", "Inrichter", "Doelgroep", "Aantal"]),
        (1.0, ["", "RWO arr", "", ""]),
        (1.5, ["13/01/201", "", "", ""]),
        (2.0, ["", "Oudenaarde-", "Medewerkers", "21"]),
        (2.5, ["4", "", "", ""]),
        (3.0, ["", "Zuid", "", ""]),
        (4.0, ["", "OCMW", "", ""]),
        (4.5, ["14/01/201", "", "", ""]),
        (5.0, ["", "Zwijndrecht-", "Medewerkers", "19"]),
        (5.5, ["4", "", "", ""]),
        (6.0, ["", "Burcht", "", ""]),
    ]
    lines = [text_line(pieces, index, starts=narrow) for index, pieces in printed]
    (table,), _ = find_borderless_tables(1, lines, Settings())
    rows = [tuple(c.text_raw if c else "" for c in row.cells) for row in physical_rows([table], RULES)]
    assert rows == [
        ("Datum", "Inrichter", "Doelgroep", "Aantal"),
        ("13/01/201\n4", "RWO arr\nOudenaarde-\nZuid", "Medewerkers", "21"),
        ("14/01/201\n4", "OCMW\nZwijndrecht-\nBurcht", "Medewerkers", "19"),
    ]


def test_a_continuation_that_fills_only_some_columns_continues_the_table():
    """A split row or an indented note at the top of the next page leaves columns empty: the
    continuation keeps the previous page's columns instead of failing on an empty one."""
    header = [["Datum", "Inrichter", "Doelgroep", "Aantal"], ["3/11/2014", "OCMW Zichem", "Medewerkers", "12"],
              ["5/06/2015", "Dyzo", "CAW", "12"], ["8/12/2015", "CAW O-Vl.", "OCMW", "40"]]
    (previous,), _ = find_borderless_tables(1, [text_line(r, i) for i, r in enumerate(header)], Settings())
    next_page = [Line(2, text_line(["", "Zuid", "", ""], 0).words), Line(2, text_line(["", "", "OCMW's", ""], 1).words)]
    (continued,), remaining = find_borderless_tables(2, next_page, Settings(), previous)
    assert remaining == []
    assert continued.column_edges == previous.column_edges
    assert [[c.text_raw for c in continued.cells if c.lines and c.row == r] for r in (0, 1)] == [["Zuid"], ["OCMW's"]]


# --- a table continued on the next page ------------------------------------------------

TRAININGS = [["13/01/2014", "RWO", "Medewerkers", "21"], ["14/01/2014", "Leiedal", "Medewerkers", "12"],
             ["15/01/2014", "Dyzo", "OCMW", "40"]]


def continued_table_rows(tmp_path, continued: list[list[str]]) -> list[tuple[int, list[str]]]:
    pdf = tmp_path / "continued.pdf"
    pdf.write_bytes(trainings_answer("13", TRAININGS, continued=continued))
    (group,) = inspect_stage(pdf, "tables")
    return [(row["page"], row["texts"]) for row in group["rows"]]


def test_a_page_opening_with_the_rest_of_a_split_row_then_whole_rows_keeps_every_row_apart(tmp_path):
    # Every row of page 1 is one line, so nothing there says how the cells are aligned; page 2's
    # first line holds only the second line of "Dyzo / Oudenaarde", then come two whole rows whose
    # dates are as wide as the column (as wide as a mid-token break would leave them).
    rows = continued_table_rows(tmp_path, [["", "Oudenaarde", "", ""],
                                           ["16/01/2014", "Oudenaarde", "Medewerkers", "179"],
                                           ["17/01/2014", "Gent", "OCMW", "33"]])
    assert rows == [
        (1, ["13/01/2014", "RWO", "Medewerkers", "21"]),
        (1, ["14/01/2014", "Leiedal", "Medewerkers", "12"]),
        (1, ["15/01/2014", "Dyzo Oudenaarde", "OCMW", "40"]),
        (2, ["16/01/2014", "Oudenaarde", "Medewerkers", "179"]),
        (2, ["17/01/2014", "Gent", "OCMW", "33"]),
    ]


def test_whole_rows_on_a_continued_page_stay_apart(tmp_path):
    rows = continued_table_rows(tmp_path, [["16/01/2014", "Gent", "OCMW", "33"],
                                           ["17/01/2014", "Aalst", "OCMW", "8"]])
    assert rows[-2:] == [(2, ["16/01/2014", "Gent", "OCMW", "33"]), (2, ["17/01/2014", "Aalst", "OCMW", "8"])]
