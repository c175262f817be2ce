"""Text rules: re-joining wrapped lines, and reading Dutch dates, numbers and amounts.

Every function here is pure and works on plain values, so each rule can be
tested on small synthetic cases. Repair slugs are those of `pipeline.catalogue`.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Literal

from pipeline.extract.layout import Line

JoinKind = Literal["midtoken", "hyphen", "space"]
CELL_RULES: dict[JoinKind, str] = {
    "midtoken": "cell-wrap-midtoken",
    "hyphen": "cell-wrap-hyphen",
    "space": "cell-wrap-space",
}
TEXT_RULES: dict[JoinKind, str] = {"hyphen": "text-wrap-hyphen", "space": "text-wrap-space"}

# A line ending in one of these, or the next line starting with one, was broken
# at a break opportunity that belongs to the word: the mark stays, no space.
WORD_BREAK_MARKS = ("-", "/")
# "OCMW- en CAW-medewerkers": a hyphen followed by a conjunction stands for an
# elided word part, and the space after it is real.
CONJUNCTIONS = frozenset({"en", "of", "tot", "noch", "t/m"})
_EDGE_PUNCTUATION = ".,;:!?()[]{}\"'“”‘’«»"


def vocabulary_key(token: str) -> str:
    return token.strip(_EDGE_PUNCTUATION).casefold()


@dataclass(frozen=True)
class Vocabulary:
    """Words the document itself prints whole somewhere (see `normalise.vocabulary`).

    Only a tie-breaker: when geometry cannot tell a word wrap from a break
    inside a token, a line that is a word printed elsewhere in the same answer
    was a word wrap. No outside word list is involved.
    """

    words: frozenset[str] = frozenset()

    def knows(self, token: str) -> bool:
        return vocabulary_key(token) in self.words


@dataclass(frozen=True)
class WrapRules:
    """How line breaks inside a cell (or a paragraph) are undone; see `join_kind`."""

    fit_tolerance: float
    vocabulary: Vocabulary = Vocabulary()

    def join_kind(self, previous: Line, following: Line, text_width: float | None) -> JoinKind:
        """How the break between two lines is undone; `text_width` is None for running text.

        In order: a hyphen or slash at the break keeps it and adds no space; a
        line ending in a printed space, several words on the line, or room left
        for the next glyph mean a word wrap; a line that is full but ends in
        lower case while the next starts in upper case is a word wrap too, and so
        is a full line that is a whole date the next line does not continue. What
        remains is a single token filling its cell, broken mid-token unless the
        document prints that token elsewhere as a whole word and never the two
        halves joined.
        """
        last = previous.words[-1]
        first = following.words[0]
        if len(last.text) > 1 and last.text.endswith(WORD_BREAK_MARKS):
            return "space" if first.text.lower() in CONJUNCTIONS else "hyphen"
        if len(first.text) > 1 and first.text.startswith(WORD_BREAK_MARKS):
            return "hyphen"
        if text_width is None or len(previous.words) != 1 or last.space_after:
            return "space"
        if not is_full_line(previous, following, text_width, self.fit_tolerance):
            return "space"
        if last.text[-1:].islower() and first.text[:1].isupper():
            return "space"
        if is_whole_date(last.text) and not is_whole_date(last.text + first.text):
            return "space"  # a date ends with its year: a line that is one was not broken inside a token
        if self.vocabulary.knows(last.text + first.text):
            return "midtoken"
        if self.vocabulary.knows(last.text):
            return "space"
        return "midtoken"

    def join(self, lines: Sequence[Line], text_width: float | None) -> tuple[str, tuple[JoinKind, ...]]:
        """The lines as one string, and the kind of every join made."""
        if not lines:
            return "", ()
        parts = [lines[0].text]
        kinds: list[JoinKind] = []
        for previous, following in zip(lines, lines[1:]):
            kind = self.join_kind(previous, following, text_width)
            kinds.append(kind)
            parts.append(following.text if kind != "space" else " " + following.text)
        return "".join(parts), tuple(kinds)


def is_full_line(previous: Line, following: Line, text_width: float, fit_tolerance: float) -> bool:
    """Whether not even the next line's first glyph would have fitted after `previous`.

    A layout engine breaks inside a token only when the token does not fit on a
    line of its own, and then fills the line until no further glyph fits. The
    tolerance absorbs rounding in the engine and in the estimate of the cell's
    inner margins, in favour of "full": the tie-breakers in `join_kind` decide then.
    """
    return previous.box.width + following.words[0].first_glyph_width > text_width - fit_tolerance


def join_raw(raw: str) -> tuple[str, tuple[JoinKind, ...]]:
    """Re-join a raw text with `\\n` line breaks when no geometry is at hand (running text)."""
    pieces = [piece.strip() for piece in raw.split("\n")]
    parts = [pieces[0]]
    kinds: list[JoinKind] = []
    for piece in pieces[1:]:
        if not piece:
            continue
        last = parts[-1].rsplit(" ", 1)[-1]
        first = piece.split(" ", 1)[0]
        breaks_at_mark = (len(last) > 1 and last.endswith(WORD_BREAK_MARKS) and first.lower() not in CONJUNCTIONS) or (
            len(first) > 1 and first.startswith(WORD_BREAK_MARKS)
        )
        kinds.append("hyphen" if breaks_at_mark else "space")
        parts.append(piece if breaks_at_mark else " " + piece)
    return "".join(parts), tuple(kinds)


def collapse_spaces(text: str) -> str:
    return " ".join(text.split())


# --- numbers ----------------------------------------------------------------------

_UNITS = {
    "nul": 0, "een": 1, "één": 1, "twee": 2, "drie": 3, "vier": 4, "vijf": 5, "zes": 6, "zeven": 7,
    "acht": 8, "negen": 9,
}
_TEENS = {
    "tien": 10, "elf": 11, "twaalf": 12, "dertien": 13, "veertien": 14, "vijftien": 15, "zestien": 16,
    "zeventien": 17, "achttien": 18, "negentien": 19,
}
_TENS = {
    "twintig": 20, "dertig": 30, "veertig": 40, "vijftig": 50, "zestig": 60, "zeventig": 70,
    "tachtig": 80, "negentig": 90,
}


def parse_number_word(word: str) -> int | None:
    """A Dutch number written in words (`negentien`, `eenentwintig`, `honderdtwee`), or None.

    Covers 0 to 9999, which is all a count in an answer needs.
    """
    text = unicodedata.normalize("NFC", word.lower().strip())
    text = text.replace("ë", "e").replace("é", "e")
    if not text:
        return None
    return _parse_below_10000(text)


def _parse_below_10000(text: str) -> int | None:
    if "duizend" in text:
        head, _, tail = text.partition("duizend")
        thousands = 1 if head == "" else _parse_below_100(head)
        rest = 0 if tail == "" else _parse_below_1000(tail)
        if thousands is None or rest is None or not 1 <= thousands <= 9:
            return None
        return thousands * 1000 + rest
    return _parse_below_1000(text)


def _parse_below_1000(text: str) -> int | None:
    if "honderd" in text:
        head, _, tail = text.partition("honderd")
        hundreds = 1 if head == "" else _UNITS.get(head)
        rest = 0 if tail == "" else _parse_below_100(tail)
        if hundreds is None or rest is None or hundreds == 0:
            return None
        return hundreds * 100 + rest
    return _parse_below_100(text)


def _parse_below_100(text: str) -> int | None:
    if text in _UNITS:
        return _UNITS[text]
    if text in _TEENS:
        return _TEENS[text]
    if text in _TENS:
        return _TENS[text]
    # "eenentwintig", "tweeëntwintig": unit + "en" + tens.
    for unit, tens in _en_splits(text):
        if unit in _UNITS and tens in _TENS and _UNITS[unit] > 0:
            return _UNITS[unit] + _TENS[tens]
    return None


def _en_splits(text: str) -> list[tuple[str, str]]:
    return [(text[:i], text[i + 2 :]) for i in range(1, len(text) - 2) if text[i : i + 2] == "en"]


def parse_count(token: str) -> int | None:
    """A count written in digits (`19`) or in words (`negentien`)."""
    token = token.strip()
    if re.fullmatch(r"\d+", token):
        return int(token)
    return parse_number_word(token)


def parse_integer(text: str) -> int | None:
    """A whole number as printed in a table cell: `21`, `1.250` (Dutch thousands dot), `1 250`."""
    text = collapse_spaces(text)
    if re.fullmatch(r"\d+", text):
        return int(text)
    if re.fullmatch(r"\d{1,3}(?:[.\u00a0\u202f ]\d{3})+", text):
        return int(re.sub(r"\D", "", text))
    return None


# --- dates ------------------------------------------------------------------------

MONTHS = {
    "januari": 1, "jan": 1, "februari": 2, "feb": 2, "maart": 3, "mrt": 3, "maa": 3, "april": 4, "apr": 4,
    "mei": 5, "juni": 6, "jun": 6, "juli": 7, "jul": 7, "augustus": 8, "aug": 8, "september": 9, "sep": 9,
    "sept": 9, "oktober": 10, "okt": 10, "november": 11, "nov": 11, "december": 12, "dec": 12,
}
_MONTH_NAMES = "|".join(sorted(MONTHS, key=len, reverse=True))
NUMERIC_DATE = re.compile(r"(?<![\d/.-])(\d{1,2})([/.-])(\d{1,2})\2(\d{4})(?![\d/])")
WRITTEN_DATE = re.compile(rf"(?<!\d)(\d{{1,2}})\s+({_MONTH_NAMES})\.?\s+(\d{{4}})(?!\d)", re.IGNORECASE)


class DateFormatError(ValueError):
    """A text that looks like a date but is not a possible one, or not a date at all."""


@dataclass(frozen=True)
class FoundDate:
    start: int
    end: int
    text: str
    value: dt.date


def _make_date(year: str, month: int, day: str, text: str) -> dt.date:
    try:
        return dt.date(int(year), month, int(day))
    except ValueError:
        raise DateFormatError(f"{text!r} is not a possible date") from None


def parse_date(text: str) -> dt.date:
    """A Dutch day-first date (`13/01/2014`, `13-01-2014`, `13.1.2014`, `13 januari 2014`)."""
    text = collapse_spaces(text)
    match = NUMERIC_DATE.fullmatch(text)
    if match:
        day, _, month, year = match.groups()
        return _make_date(year, int(month), day, text)
    match = WRITTEN_DATE.fullmatch(text)
    if match:
        day, month_name, year = match.groups()
        return _make_date(year, MONTHS[month_name.lower()], day, text)
    raise DateFormatError(f"{text!r} is not a date in day-month-year form")


def is_whole_date(token: str) -> bool:
    """Whether the token is a possible day-first date and nothing more (`16/01/2014`)."""
    try:
        parse_date(token)
    except DateFormatError:
        return False
    return True


def find_dates(text: str) -> list[FoundDate]:
    """Every possible date written in `text`, in order; impossible ones are skipped."""
    found = []
    for pattern in (NUMERIC_DATE, WRITTEN_DATE):
        for match in pattern.finditer(text):
            try:
                value = parse_date(match.group(0))
            except DateFormatError:
                continue
            found.append(FoundDate(match.start(), match.end(), match.group(0), value))
    return sorted(found, key=lambda f: f.start)


# --- amounts ----------------------------------------------------------------------

CURRENCY = r"(?:euro|eur|€)"
_NUMBER = r"\d{1,3}(?:[.\u00a0\u202f]\d{2,3})+(?:,\d+)?|\d+(?:,\d+)?"
_MULTIPLIERS = {"miljoen": 1_000_000, "miljard": 1_000_000_000, "duizend": 1000}
AMOUNT = re.compile(
    rf"(?:€\s*(?P<pre>{_NUMBER})(?:\s+(?P<pre_mult>miljoen|miljard|duizend))?)"
    rf"|(?:(?P<num>{_NUMBER})(?:\s+(?P<mult>miljoen|miljard|duizend))?\s*(?:{CURRENCY})(?![a-z]))",
    re.IGNORECASE,
)


class AmountFormatError(ValueError):
    """A number next to a currency that is not a well-formed Dutch amount."""


@dataclass(frozen=True)
class FoundAmount:
    start: int
    end: int
    text: str  # the amount with its currency as written
    number: str  # the digits part as written
    multiplier: int


def find_amounts(text: str) -> list[FoundAmount]:
    found = []
    for match in AMOUNT.finditer(text):
        number = match.group("pre") or match.group("num")
        mult_word = match.group("pre_mult") or match.group("mult")
        multiplier = _MULTIPLIERS[mult_word.lower()] if mult_word else 1
        found.append(FoundAmount(match.start(), match.end(), match.group(0), number, multiplier))
    return found


def parse_amount(number: str, multiplier: int = 1) -> Decimal:
    """A Dutch amount: `.` (or a narrow space) groups thousands, `,` is the decimal mark.

    Raises AmountFormatError when a thousands group does not have three digits
    (`525.00`): such a number is not well formed, whatever was meant.
    """
    integer_part, _, decimals = number.partition(",")
    groups = re.split(r"[.\u00a0\u202f]", integer_part)
    if any(len(g) != 3 for g in groups[1:]) or not groups[0] or len(groups[0]) > (3 if len(groups) > 1 else 30):
        raise AmountFormatError(f"{number!r} is not a well-formed amount: thousands groups have three digits")
    value = Decimal("".join(groups) + ("." + decimals if decimals else ""))
    return value * multiplier


def thousands_typo_repair(number: str) -> str | None:
    """The number with a dropped zero restored when its last group has two digits (`525.00` → `525.000`)."""
    if "," in number:
        return None
    groups = re.split(r"[.\u00a0\u202f]", number)
    if len(groups) < 2 or len(groups[-1]) != 2 or any(len(g) != 3 for g in groups[1:-1]):
        return None
    return number + "0"
