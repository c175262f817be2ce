"""What a table column holds, read from its cells: Dutch dates, whole numbers, amounts, years, places.

`column_type` gives every column an inferred type with the share of its cells that
fit it; `typed_value` reads one cell as a value of a type. Recognition
(`pipeline.normalise.readers`) uses these beside the header words, and the `cells`
dataset publishes every cell typed (`cell_type`), so that an answer on any topic still
yields usable numbers and dates.

A column of row numbers (1, 2, 3, ...) is an `ordinal`, not a count; a column of
four-digit numbers between 1970 and 2100 is a `year`, not a count; a column of numbers
with a currency or with thousands groups is an `amount`.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from pipeline.normalise.places import Register
from pipeline.normalise.text import (
    AmountFormatError,
    collapse_spaces,
    find_amounts,
    is_whole_date,
    parse_amount,
    parse_date,
    parse_integer,
)
from pipeline.profiles.model import ContentType

FIRST_YEAR, LAST_YEAR = 1970, 2100
# The share of a column's non-empty cells that must fit a type for the column to have it:
# a majority, so that one misprinted cell ("ca. twintig") does not turn a count column into text.
TYPE_SHARE = 0.5
# Specific types first: a year is also a whole number, an ordinal also a count.
TYPE_ORDER: tuple[ContentType, ...] = ("date", "ordinal", "year", "amount", "count", "number", "municipality")
# What each role's content type accepts of a column's inferred type.
ACCEPTS: dict[ContentType, frozenset[str]] = {
    "date": frozenset({"date"}),
    "count": frozenset({"count", "ordinal"}),
    "ordinal": frozenset({"ordinal"}),
    "year": frozenset({"year"}),
    "amount": frozenset({"amount", "count"}),
    "number": frozenset({"number", "count", "ordinal"}),
    "municipality": frozenset({"municipality", "text"}),
    "text": frozenset({"text", "municipality"}),
}
_PLAIN_NUMBER = re.compile(r"[+-]?\d{1,3}(?:[.\u00a0\u202f ]\d{3})+(?:,\d+)?|[+-]?\d+(?:,\d+)?")
_EURO = re.compile(r"^(?:€\s*)?(?P<number>.+?)(?:\s*(?:euro|eur|€))?$", re.IGNORECASE)


@dataclass(frozen=True)
class ColumnType:
    type: ContentType
    share: float  # of the column's non-empty data cells that fit `type` (1.0 for text)
    cells: int  # non-empty data cells looked at


def parse_number(text: str) -> Decimal | None:
    """A Dutch number: `.` or a (narrow) space groups thousands, `,` is the decimal mark (`1.045`, `12,5`)."""
    text = collapse_spaces(text)
    if not _PLAIN_NUMBER.fullmatch(text):
        return None
    integer, _, decimals = re.sub(r"[.\u00a0\u202f ]", "", text).partition(",")
    return Decimal(integer + ("." + decimals if decimals else ""))


def parse_euro(text: str) -> Decimal | None:
    """An amount of money as a table cell prints it: `470.000 euro`, `€ 470.000`, `470.000`, `1,5 miljoen euro`."""
    text = collapse_spaces(text)
    found = find_amounts(text)
    if len(found) == 1 and found[0].text == text:
        try:
            return parse_amount(found[0].number, found[0].multiplier)
        except AmountFormatError:
            return None
    match = _EURO.match(text)
    number = match.group("number") if match else text
    if re.fullmatch(r"\d{1,3}(?:[.\u00a0\u202f]\d{3})+(?:,\d+)?", number):
        return parse_amount(number)
    return None


def fits(text: str, kind: ContentType, register: Register | None = None) -> bool:
    """Whether one cell's text reads as a value of `kind` (ordinals are told by their sequence, not here)."""
    if kind == "date":
        return is_whole_date(text)
    if kind in ("count", "ordinal"):
        return parse_integer(text) is not None
    if kind == "year":
        return bool(re.fullmatch(r"\d{4}", text)) and FIRST_YEAR <= int(text) <= LAST_YEAR
    if kind == "amount":
        return parse_euro(text) is not None
    if kind == "number":
        return parse_number(text) is not None
    if kind == "municipality":
        return register is not None and register.knows(text)
    return True


def column_type(texts: Sequence[str], register: Register | None = None) -> ColumnType:
    """The most specific type that a majority of the non-empty cells fit; `text` when none does.

    An amount needs a currency or thousands groups in at least one cell: a column of plain
    small numbers is a count. An ordinal is a count column reading 1, 2, 3, ... in order.
    """
    cells = [collapse_spaces(t) for t in texts if t and t.strip()]
    if not cells:
        return ColumnType("text", 1.0, 0)
    for kind in TYPE_ORDER:
        if kind == "ordinal":
            numbers = [parse_integer(c) for c in cells]
            if len(cells) >= 2 and numbers == list(range(1, len(cells) + 1)):
                return ColumnType("ordinal", 1.0, len(cells))
            continue
        share = sum(fits(c, kind, register) for c in cells) / len(cells)
        if kind == "amount" and not any(re.search(r"euro|eur\b|€|\d[.\u00a0\u202f]\d{3}", c, re.I) for c in cells):
            continue
        if share >= TYPE_SHARE and share > 0:
            return ColumnType(kind, share, len(cells))
    return ColumnType("text", 1.0, len(cells))


@dataclass(frozen=True)
class TypedValue:
    """One cell read as what its column holds (or as what it is on its own, where it does not fit)."""

    type: str  # a content type, or `number` for a decimal number outside a typed column
    number: Decimal | None = None
    date: dt.date | None = None
    municipality: str | None = None  # the name as printed, for a NIS code lookup


def typed_value(text: str, column: ContentType, register: Register | None = None) -> TypedValue | None:
    """`text` as a value of the column's type if it fits, else as a date or number if it is one; None if empty.

    A place name is a municipality only in a column of municipalities: `Antwerpen` in a column
    of provinces is the province.
    """
    text = collapse_spaces(text)
    if not text:
        return None
    kinds = [column] + [k for k in ("date", "amount", "count", "number") if k != column]
    for kind in kinds:
        if kind == "text" or not fits(text, "count" if kind == "ordinal" else kind, register):
            continue
        if kind == "date":
            return TypedValue("date", date=parse_date(text))
        if kind == "amount":
            return TypedValue("amount", number=parse_euro(text))
        if kind == "municipality":
            return TypedValue("municipality", municipality=text)
        if kind == "number":
            return TypedValue("number", number=parse_number(text))
        return TypedValue(kind, number=Decimal(parse_integer(text)))
    return TypedValue("text")
