"""Facts stated in running text, whatever the topic: counts, dates, years, amounts, the document's header.

Each reader looks at sentences by meaning (a number right before what it counts, a date
in the sentence introducing a table, years beside amounts), never by position or exact
wording, and keeps the page and the sentence itself so that every value can be traced.
What a count counts and which sentences speak of a subject is the profile's to say.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from pipeline.extract.layout import Document
from pipeline.model import BBox
from pipeline.normalise.reading import Block, Paragraph
from pipeline.normalise.sentences import Sentence, all_sentences, strip_item_number
from pipeline.normalise.text import (
    AmountFormatError,
    FoundAmount,
    collapse_spaces,
    find_amounts,
    find_dates,
    join_raw,
    parse_amount,
    parse_count,
)

YEAR = re.compile(r"(?<![\d.,/-])(19[7-9]\d|20\d\d)(?![\d.,/]\d)")
YEAR_RANGE = re.compile(r"(?<!\d)(19[7-9]\d|20\d\d)\s*(?:-|–|t/m|tot en met|tot)\s*(19[7-9]\d|20\d\d)(?!\d)")


@dataclass(frozen=True)
class Fact:
    value: object
    page: int
    quote: str
    bbox: BBox | None


# --- counts ------------------------------------------------------------------------------


def words_of(text: str) -> list[str]:
    """The sentence's words, lower-cased, without the punctuation around them."""
    return [t.strip(",;:.()").lower().replace("’", "'") for t in text.split()]


def count_before(tokens: Sequence[str], index: int, lookback: int = 3) -> int | None:
    """The count written in the few words before tokens[index] ("89 lokale besturen", "negentien OCMW's")."""
    for token in reversed(tokens[max(0, index - lookback) : index]):
        value = parse_count(token)
        if value is not None and not (1970 <= value <= 2100 and token.isdigit() and len(token) == 4):
            return value
    return None


def declared_number(tokens: Sequence[str], nouns: Iterable[str], lookback: int = 3) -> int | None:
    """The first count written just before one of `nouns`."""
    nouns = frozenset(n.lower().replace("’", "'") for n in nouns)
    for i, token in enumerate(tokens):
        if token in nouns:
            value = count_before(tokens, i, lookback)
            if value is not None:
                return value
    return None


def counting_sentence(candidates: Sequence[Sentence], subject: Sequence[str], nouns: Sequence[str],
                      lookback: int = 3) -> tuple[Sentence, int] | None:
    """The sentence closest to the end of `candidates` that counts `nouns` and speaks of `subject`.

    Questions are not declarations, and a sentence that lists its own items after a colon
    counts that list, not a table.
    """
    for sentence in reversed(candidates):
        text = strip_item_number(sentence.text)
        lowered = text.lower()
        if text.endswith("?") or not any(word in lowered for word in subject):
            continue
        if re.search(r":\s*\S", text):
            continue
        value = declared_number(words_of(text), nouns, lookback)
        if value is not None:
            return sentence, value
    return None


# --- dates and years ---------------------------------------------------------------------

TABLE_POINTERS = re.compile(r"tabel|onderstaand|hieronder|overzicht|lijst|volgende", re.IGNORECASE)


def intro_date(context: Sequence[Paragraph]) -> Fact | None:
    """The date in the sentence that introduces a table or list ("op 31/12/2016 ... onderstaande tabel")."""
    candidates = all_sentences(context)
    pointing = [s for s in candidates if TABLE_POINTERS.search(s.raw)]
    for sentence in list(reversed(pointing)) + list(reversed(candidates)):
        found = find_dates(sentence.raw)
        if found:
            return Fact(found[0].value, sentence.page, sentence.text, sentence.box(found[0].start, found[0].end))
    return None


def years_in(text: str) -> list[int]:
    """Years a sentence is about, in order; `2015-2017` stands for each year in the range."""
    years: list[int] = []
    covered: list[tuple[int, int]] = []
    for match in YEAR_RANGE.finditer(text):
        first, last = int(match.group(1)), int(match.group(2))
        if first < last:
            years += range(first, last + 1)
            covered.append(match.span())
    for match in YEAR.finditer(text):
        if not any(a <= match.start() < b for a, b in covered):
            years.append(int(match.group(1)))
    return list(dict.fromkeys(years))


def first_year(text: str) -> int | None:
    years = [int(y) for y in YEAR.findall(text)]
    return years[0] if years else None


# --- amounts of money --------------------------------------------------------------------


@dataclass(frozen=True)
class StatedAmount:
    """An amount stated for a year in a sentence."""

    sentence: Sentence
    year: int
    amount: FoundAmount


def amounts_by_year(candidates: Sequence[Sentence]) -> tuple[list[StatedAmount], list[tuple[Sentence, str]]]:
    """Years paired with amounts, in the sentences that state amounts; and the sentences that cannot be paired.

    One amount for several years applies to each; as many amounts as years pair up in
    order ("respectievelijk"). Dates are not years here.
    """
    stated: list[StatedAmount] = []
    unpaired: list[tuple[Sentence, str]] = []
    for sentence in candidates:
        amounts = find_amounts(sentence.raw)
        if not amounts:
            continue
        remaining = sentence.raw
        for found in [*amounts, *find_dates(sentence.raw)]:
            remaining = remaining.replace(found.text, " " * len(found.text), 1)
        years = years_in(remaining)
        if len(amounts) == 1:
            pairs = [(year, amounts[0]) for year in years]
        elif len(amounts) == len(years):
            pairs = list(zip(years, amounts))
        else:
            unpaired.append((sentence, f"cannot pair {len(years)} years with {len(amounts)} amounts"))
            continue
        stated += [StatedAmount(sentence, year, amount) for year, amount in pairs]
    return stated, unpaired


def typo_rule_applies(amounts: Iterable[FoundAmount]) -> bool:
    """Whether every well-formed amount among these is whole thousands: then a two-digit last group is a typo."""
    well_formed = []
    for amount in amounts:
        try:
            well_formed.append(parse_amount(amount.number, amount.multiplier))
        except AmountFormatError:
            pass
    return bool(well_formed) and all(v % 1000 == 0 for v in well_formed)


# --- the document's header ----------------------------------------------------------

QUESTION_HEADER = re.compile(r"^(?:op\s+)?vraag\s+nr\.?\s*(\d+)\s+van\s+(.*)$", re.IGNORECASE)
HEADER_LINE = re.compile(r"^(?:antwoord|vraag\b|op\s+vraag\b)", re.IGNORECASE)


def question_header(blocks: Sequence[Block]) -> tuple[int | None, dt.date | None]:
    """`op vraag nr. 123 van 15 januari 2018` on a line of its own in a short header paragraph."""
    for block in blocks:
        if not isinstance(block, Paragraph) or len(block.lines) > 3:
            continue
        for line in block.lines:
            match = QUESTION_HEADER.match(collapse_spaces(line.text))
            if match:
                dates = find_dates(match.group(2))
                return int(match.group(1)), dates[0].value if dates and dates[0].start == 0 else None
    return None, None


def title(document: Document, blocks: Sequence[Block]) -> str:
    """The bold heading on the first page (not the `ANTWOORD` / `vraag nr.` header); else the PDF's title."""
    for block in blocks:
        if not isinstance(block, Paragraph) or block.page != 1:
            continue
        bold = [line for line in block.lines if line.bold]
        if bold and bold[0] is block.lines[0] and not HEADER_LINE.match(bold[0].text):
            heading = []
            for line in block.lines:
                if not line.bold:
                    break
                heading.append(line.text)
            return collapse_spaces(join_raw("\n".join(heading))[0])
    return document.metadata_title
