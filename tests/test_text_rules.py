"""Each text rule on small synthetic cases: where it must fire, and where it must not."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from pipeline.extract.layout import Box, Line, Word
from pipeline.normalise.text import (
    AmountFormatError,
    DateFormatError,
    Vocabulary,
    WrapRules,
    find_amounts,
    find_dates,
    join_raw,
    parse_amount,
    parse_count,
    parse_date,
    parse_integer,
    parse_number_word,
    thousands_typo_repair,
)

GLYPH = 5.0  # every glyph 5 pt wide, spaces 2.5 pt: easy arithmetic
CELL_TEXT_WIDTH = 50.0  # room for 10 glyphs
RULES = WrapRules(fit_tolerance=1.0)


def line(text: str, top: float = 0.0, space_after: bool = False) -> Line:
    words = []
    x = 0.0
    tokens = text.split()
    for i, token in enumerate(tokens):
        width = GLYPH * len(token)
        trailing = space_after and i == len(tokens) - 1
        words.append(Word(token, Box(x, top, x + width, top + 10), 10.0, False, GLYPH, space_after=trailing))
        x += width + GLYPH / 2
    return Line(1, tuple(words))


def cell(*texts: str, rules: WrapRules = RULES) -> tuple[str, tuple[str, ...]]:
    return rules.join([line(t, top=12.0 * i) for i, t in enumerate(texts)], CELL_TEXT_WIDTH)


# --- wrapped cell lines --------------------------------------------------------------


def test_a_token_filling_the_cell_was_broken_mid_token():
    assert cell("13/01/201", "4") == ("13/01/2014", ("midtoken",))
    assert cell("Bonheiden1", "en") == ("Bonheiden1en", ("midtoken",))


def test_a_full_line_that_is_a_whole_date_ends_its_value():
    # A date ends with its year: nothing joined to it makes a longer date, so the line was complete.
    assert cell("16/01/2014", "17/01/2014") == ("16/01/2014 17/01/2014", ("space",))
    assert cell("13/01/2014", "4") == ("13/01/2014 4", ("space",))
    assert cell("31/02/2014", "5") == ("31/02/20145", ("midtoken",))  # no possible date: no such proof


def test_a_token_ending_short_of_the_edge_was_a_word_wrap():
    # 8 glyphs: a ninth would still have fitted, so the layout engine did not break inside the token.
    assert cell("13/01/20", "14") == ("13/01/20 14", ("space",))
    # The seed's "Medewerkers" + "programmacel/diversiteit": the next word did not fit after it.
    wide = [line("Medewerkers"), line("programmacel/diversiteit", top=12)]
    assert RULES.join(wide, 120.0) == ("Medewerkers programmacel/diversiteit", ("space",))


def test_the_fit_tolerance_counts_a_nearly_full_line_as_full():
    # 9.9 glyphs' worth of room: geometry says the tenth glyph would just have fitted, rounding says not.
    assert RULES.join([line("abcdefghi"), line("j", top=12)], 45.0 + GLYPH - 0.4) == ("abcdefghij", ("midtoken",))


def test_a_line_of_several_words_is_never_broken_mid_token():
    assert cell("OCMW Heusd", "en") == ("OCMW Heusd en", ("space",))


def test_a_printed_space_at_the_end_of_a_full_line_proves_a_word_wrap():
    lines = [line("Boekhouder", space_after=True), line("jurist", top=12)]
    assert RULES.join(lines, CELL_TEXT_WIDTH) == ("Boekhouder jurist", ("space",))


def test_lower_case_followed_by_upper_case_is_a_word_boundary():
    assert cell("Intercommu", "Leiedal") == ("Intercommu Leiedal", ("space",))
    assert cell("OCMWKONTIC", "H") == ("OCMWKONTICH", ("midtoken",))


def test_a_full_line_the_document_prints_whole_elsewhere_was_a_word_wrap():
    knows = WrapRules(1.0, Vocabulary(frozenset({"gemiddelde"})))
    assert cell("Gemiddelde", "duur", rules=knows) == ("Gemiddelde duur", ("space",))
    assert cell("Gemiddelde", "duur") == ("Gemiddeldeduur", ("midtoken",))


def test_a_known_joined_token_wins_over_a_known_head():
    knows = WrapRules(1.0, Vocabulary(frozenset({"medewerker", "medewerkers"})))
    assert cell("Medewerker", "s", rules=knows) == ("Medewerkers", ("midtoken",))


def test_a_line_ending_in_a_hyphen_keeps_it_and_joins_without_space():
    assert cell("Langemark-", "Poelkapelle") == ("Langemark-Poelkapelle", ("hyphen",))
    assert cell("programma/", "diversiteit") == ("programma/diversiteit", ("hyphen",))


def test_a_line_starting_with_a_hyphen_joins_without_space():
    assert cell("Heusden", "-Zolder") == ("Heusden-Zolder", ("hyphen",))


def test_a_hyphen_before_a_conjunction_keeps_the_space():
    assert cell("OCMW-", "en CAW-medewerkers") == ("OCMW- en CAW-medewerkers", ("space",))


def test_a_lone_dash_is_not_a_word_break():
    assert cell("2014 -", "2015") == ("2014 - 2015", ("space",))


def test_running_text_never_breaks_mid_token():
    lines = [line("een vergoeding per dossier: Sint-Katelijne"), line("Waver", top=12)]
    assert RULES.join(lines, None) == ("een vergoeding per dossier: Sint-Katelijne Waver", ("space",))


def test_raw_text_is_rejoined_with_the_same_rules():
    assert join_raw("Sint-Pieters-\nLeeuw") == ("Sint-Pieters-Leeuw", ("hyphen",))
    assert join_raw("Heusden\n-Zolder") == ("Heusden-Zolder", ("hyphen",))
    assert join_raw("OCMW Heusden\nZolder") == ("OCMW Heusden Zolder", ("space",))
    assert join_raw("Antwerpen") == ("Antwerpen", ())


# --- dates --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, expected",
    [
        ("13/01/2014", dt.date(2014, 1, 13)),
        ("3/11/2014", dt.date(2014, 11, 3)),
        ("13-01-2014", dt.date(2014, 1, 13)),
        ("3.1.2014", dt.date(2014, 1, 3)),
        ("13 januari 2014", dt.date(2014, 1, 13)),
        ("1 mrt. 2016", dt.date(2016, 3, 1)),
        ("31 December 2016", dt.date(2016, 12, 31)),
    ],
)
def test_dutch_day_first_dates(text, expected):
    assert parse_date(text) == expected


@pytest.mark.parametrize("text", ["31/02/2016", "13/13/2014", "0/01/2014", "32 januari 2014"])
def test_an_impossible_date_is_an_error_not_a_guess(text):
    with pytest.raises(DateFormatError, match="not a possible date"):
        parse_date(text)


@pytest.mark.parametrize("text", ["13/01/201", "2014", "13/01/14", "Totaal", "13/01-2014"])
def test_a_text_that_is_not_a_full_date_is_rejected(text):
    with pytest.raises(DateFormatError):
        parse_date(text)


def test_dates_are_found_in_running_text():
    found = find_dates("waar Dyzo op 31/12/2016 een akkoord heeft, en op 1 januari 2017 ook; niet op 31/02/2016")
    assert [f.value for f in found] == [dt.date(2016, 12, 31), dt.date(2017, 1, 1)]


# --- numbers -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "word, value",
    [("vier", 4), ("negentien", 19), ("twintig", 20), ("eenentwintig", 21), ("tweeëntwintig", 22),
     ("negenentachtig", 89), ("honderd", 100), ("honderdtwee", 102), ("tweeduizendzestien", 2016), ("één", 1)],
)
def test_dutch_number_words(word, value):
    assert parse_number_word(word) == value


@pytest.mark.parametrize("word", ["modules", "en", "tweeën", "honderdhonderd", ""])
def test_words_that_are_not_numbers(word):
    assert parse_number_word(word) is None


def test_counts_in_digits_or_words():
    assert parse_count("19") == 19
    assert parse_count("negentien") == 19
    assert parse_count("OCMW's") is None


@pytest.mark.parametrize("text, value", [("21", 21), ("1.250", 1250), ("1 250", 1250), (" 8 ", 8)])
def test_whole_numbers_in_cells(text, value):
    assert parse_integer(text) == value


@pytest.mark.parametrize("text", ["n.b.", "ca. twintig", "12,5", "1.25", "21a", ""])
def test_cells_that_are_not_whole_numbers(text):
    assert parse_integer(text) is None


# --- amounts -------------------------------------------------------------------------


def test_thousands_dot_groups_digits():
    assert parse_amount("470.000") == Decimal(470000)
    assert parse_amount("1.250.000") == Decimal(1250000)
    assert parse_amount("525") == Decimal(525)


def test_decimal_comma_is_a_real_decimal():
    assert parse_amount("1.250,50") == Decimal("1250.50")
    assert parse_amount("525,00") == Decimal(525)


def test_amount_multipliers():
    (found,) = find_amounts("een steun van 2,5 miljoen euro")
    assert parse_amount(found.number, found.multiplier) == Decimal(2500000)


@pytest.mark.parametrize("number", ["525.00", "47.0000", "1.25"])
def test_a_malformed_thousands_group_is_rejected(number):
    with pytest.raises(AmountFormatError):
        parse_amount(number)


def test_the_typo_repair_restores_a_dropped_zero_only_for_a_two_digit_last_group():
    assert thousands_typo_repair("525.00") == "525.000"
    assert thousands_typo_repair("1.250.00") == "1.250.000"
    assert thousands_typo_repair("525,00") is None  # a real decimal amount
    assert thousands_typo_repair("470.000") is None  # well formed
    assert thousands_typo_repair("52.5") is None  # one digit: not a dropped zero


def test_amounts_are_found_with_their_currency_as_written():
    text = "Voor 2015 en 2016 werd 470.000 euro toegekend. Voor 2017 gaat het om 525.00 euro, of € 12.000."
    assert [(a.text, a.number) for a in find_amounts(text)] == [
        ("470.000 euro", "470.000"), ("525.00 euro", "525.00"), ("€ 12.000", "12.000")
    ]


def test_numbers_without_currency_are_not_amounts():
    assert find_amounts("In 2016 besloten 19 OCMW's, 89 lokale besturen") == []
