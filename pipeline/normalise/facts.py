"""Facts stated in the running text: lists, counts, amounts, dates and the document's header.

Each reader looks for a sentence by its meaning (the words that carry it:
"per dossier", "modules", "subsidie", a number followed by what it counts),
never by its position or exact wording, and keeps the page and the sentence
itself so that every value can be traced back.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from pipeline.extract.layout import Document
from pipeline.model import BBox, Declaration, Finding, Place, Repair
from pipeline.normalise.extraction import Extraction
from pipeline.normalise.reading import Block, Paragraph
from pipeline.normalise.text import (
    TEXT_RULES,
    AmountFormatError,
    collapse_spaces,
    find_amounts,
    find_dates,
    join_raw,
    parse_amount,
    parse_count,
    thousands_typo_repair,
)

# Words after which a full stop does not end a sentence.
ABBREVIATIONS = frozenset(
    "nr nrs arr vzw bv bvba nv o.a m.a.w vb bijv art t.e.m t.a.v e.a enz dhr mevr mr dr prof resp ca cf vs blz p "
    "o-vl w-vl vl tel jr min".split()
)
YEAR = re.compile(r"(?<![\d.,/-])(19[7-9]\d|20\d\d)(?![\d.,/]\d)")
YEAR_RANGE = re.compile(r"(?<!\d)(19[7-9]\d|20\d\d)\s*(?:-|–|t/m|tot en met|tot)\s*(19[7-9]\d|20\d\d)(?!\d)")
# Nouns that a declared count of local authorities counts.
AUTHORITY_NOUNS = frozenset({"besturen", "gemeenten", "steden", "ocmw's", "ocmw-besturen", "ocmws"})
LIST_SEPARATOR = re.compile(r"\s*,\s*(?:(?:en|of)\s+)?|\s+(?:en|of)\s+")
TRAILING_PUNCTUATION = " \n;.,:"


@dataclass(frozen=True)
class Sentence:
    paragraph: Paragraph
    start: int
    end: int

    @property
    def raw(self) -> str:
        return self.paragraph.raw[self.start : self.end]

    @property
    def text(self) -> str:
        return collapse_spaces(join_raw(self.raw)[0])

    @property
    def page(self) -> int:
        return self.paragraph.page_at(self.start)

    def box(self, start: int = 0, end: int | None = None) -> BBox:
        """Box of raw[start:end] of this sentence (the whole sentence by default)."""
        end = len(self.raw) if end is None else end
        return self.paragraph.span_box(self.start + start, self.start + end)[1].as_tuple()

    def line_boxes(self, start: int = 0, end: int | None = None) -> tuple[Place, ...]:
        """Page and box of raw[start:end] of this sentence on each printed line it runs over."""
        end = len(self.raw) if end is None else end
        return self.paragraph.span_line_boxes(self.start + start, self.start + end)


@dataclass(frozen=True)
class Fact:
    value: object
    page: int
    quote: str
    bbox: BBox | None
    boxes: tuple[Place, ...] = ()  # one per printed line of the quote


def sentences(paragraph: Paragraph) -> list[Sentence]:
    raw = paragraph.raw
    starts = [0]
    for match in re.finditer(r"[.?!](?=\s+\S)", raw):
        following = raw[match.end() :].lstrip()[:1]
        if not (following.isupper() or following.isdigit() or following in "\"“‘('•"):
            continue
        token = re.search(r"(\S*)$", raw[: match.start()]).group(1).lower().lstrip("(\"“‘")
        if token in ABBREVIATIONS or (len(token) == 1 and token.isalpha()):
            continue
        if token.isdigit() and len(token) <= 2 and raw[: match.start()].strip() == token:
            continue  # an item number ("1. In 2016 ...") opens the sentence, it does not end one
        starts.append(match.end())
    result = []
    for start, end in zip(starts, starts[1:] + [len(raw)]):
        while start < end and raw[start].isspace():
            start += 1
        if start < end:
            result.append(Sentence(paragraph, start, end))
    return result


def all_sentences(paragraphs: Iterable[Paragraph]) -> list[Sentence]:
    return [s for p in paragraphs for s in sentences(p)]


def _strip_item_number(text: str) -> str:
    return re.sub(r"^\d{1,2}[.)]\s+", "", text)


# --- counts and dates introducing a table ------------------------------------------------


def count_before(tokens: Sequence[str], index: int, lookback: int = 3) -> int | None:
    """The count written in the few words before tokens[index] ("89 lokale besturen", "negentien OCMW's")."""
    for token in reversed(tokens[max(0, index - lookback) : index]):
        value = parse_count(token)
        if value is not None and not (1970 <= value <= 2100 and token.isdigit() and len(token) == 4):
            return value
    return None


def declared_number(tokens: Sequence[str], nouns: Iterable[str], lookback: int = 3) -> int | None:
    """The first count written just before one of `nouns`."""
    nouns = frozenset(nouns)
    for i, token in enumerate(tokens):
        if token in nouns:
            value = count_before(tokens, i, lookback)
            if value is not None:
                return value
    return None


def _tokens(text: str) -> list[str]:
    return [t.strip(",;:.()").lower().replace("’", "'") for t in text.split()]


def declared_count(context: Sequence[Paragraph], topic_words: Sequence[str]) -> Fact | None:
    """A number of local authorities stated in a sentence about the table's subject.

    The sentence closest to the table wins; questions and the per-dossier
    sentence (which counts another list) are not declarations about the table.
    """
    for sentence in reversed(all_sentences(context)):
        text = _strip_item_number(sentence.text)
        lowered = text.lower()
        if text.endswith("?") or "dossier" in lowered or not any(word in lowered for word in topic_words):
            continue
        value = declared_number(_tokens(text), AUTHORITY_NOUNS)
        if value is not None:
            return Fact(value, sentence.page, text, sentence.box(), sentence.line_boxes())
    return None


TABLE_POINTERS = re.compile(r"tabel|onderstaand|hieronder|overzicht|lijst", re.IGNORECASE)


def table_reference_date(context: Sequence[Paragraph]) -> Fact | None:
    """The date in the sentence that introduces a table ("waar Dyzo op 31/12/2016 ... onderstaande tabel")."""
    candidates = all_sentences(context)
    pointing = [s for s in candidates if TABLE_POINTERS.search(s.raw)]
    for sentence in list(reversed(pointing)) + list(reversed(candidates)):
        found = find_dates(sentence.raw)
        if found:
            return Fact(found[0].value, sentence.page, sentence.text, sentence.box(found[0].start, found[0].end))
    return None


# --- per-dossier list -------------------------------------------------------------


PER_DOSSIER = re.compile(r"per[\s-]+dossier", re.IGNORECASE)


def list_items(raw: str, start: int) -> list[tuple[int, int]]:
    """Offsets of the items of an enumeration ("A, B, ..., en Z.") in raw[start:]."""
    items = []
    position = start
    for separator in list(LIST_SEPARATOR.finditer(raw, start)) + [None]:
        end = separator.start() if separator else len(raw)
        item_start, item_end = position, end
        while item_start < item_end and raw[item_start] in TRAILING_PUNCTUATION:
            item_start += 1
        while item_end > item_start and raw[item_end - 1] in TRAILING_PUNCTUATION:
            item_end -= 1
        if item_end > item_start:
            items.append((item_start, item_end))
        if separator:
            position = separator.end()
    return items


def _text_repairs(dataset: str, field: str, sentence: Sentence, start: int, end: int, text: str,
                  kinds: Sequence[str]) -> list[Repair]:
    raw = sentence.raw[start:end]
    return [
        Repair(dataset, field, sentence.page, raw, text, TEXT_RULES[kind], sentence.box(start, end),
               sentence.line_boxes(start, end))
        for kind in dict.fromkeys(kinds)
    ]


def read_per_dossier(paragraphs: Sequence[Paragraph]) -> Extraction:
    """`In 2016 besloten 19 OCMW's ... per dossier: A, B, ..., en Z.` → one row per listed municipality."""
    out = Extraction("per_dossier")
    for sentence in all_sentences(paragraphs):
        raw = sentence.raw
        mention = PER_DOSSIER.search(raw)
        colon = raw.find(":", mention.end()) if mention else -1
        if mention is None or colon < 0:
            continue
        head = _strip_item_number(collapse_spaces(raw[:colon]))
        years = [int(y) for y in YEAR.findall(head)]
        year = years[0] if years else None
        first_row = len(out.rows)
        for start, end in list_items(raw, colon + 1):
            name, kinds = join_raw(raw[start:end])
            if year is None:
                out.problem("year", head, "no year in the sentence listing the municipalities")
            out.repairs += _text_repairs("per_dossier", "municipality", sentence, start, end, name, kinds)
            out.rows.append({"year": year, "municipality": collapse_spaces(name), "page": sentence.page})
        declared = declared_number(_tokens(head), AUTHORITY_NOUNS)
        if declared is not None and len(out.rows) > first_row:
            out.declarations.append(
                Declaration("per_dossier", "declared-list-count", declared, sentence.page, sentence.text,
                            scope=(("year", (year,)),), bbox=sentence.box(), boxes=sentence.line_boxes())
            )
    return out


# --- modules ------------------------------------------------------------------------

MODULE = re.compile(r"\bmodules?\b", re.IGNORECASE)
MODULE_NOUNS = ("module", "modules", "opleidingsmodules")


def read_modules(blocks: Sequence[Block]) -> Extraction:
    """A sentence announcing modules and ending in a colon, followed by list items."""
    out = Extraction("training_modules")
    for index, block in enumerate(blocks):
        if not isinstance(block, Paragraph) or block.is_list_item:
            continue
        intro = sentences(block)[-1] if sentences(block) else None
        if intro is None or not MODULE.search(intro.raw) or not intro.raw.rstrip().endswith(":"):
            continue
        items = []
        for following in blocks[index + 1 :]:
            if not isinstance(following, Paragraph) or not following.is_list_item:
                break
            items.append(following)
        first_row = len(out.rows)
        for item in items:
            raw = item.raw
            bullet_end = len(item.lines[0].words[0].text)
            start = bullet_end
            end = len(raw)
            while start < end and raw[start].isspace():
                start += 1
            while end > start and raw[end - 1] in TRAILING_PUNCTUATION:
                end -= 1
            text, kinds = join_raw(raw[start:end])
            page, box = item.span_box(start, end)
            out.repairs += [
                Repair("training_modules", "module", page, raw[start:end], text, TEXT_RULES[kind], box.as_tuple(),
                       item.span_line_boxes(start, end))
                for kind in dict.fromkeys(kinds)
            ]
            out.rows.append({"position": len(out.rows) + 1, "module": collapse_spaces(text)})
        declared = declared_number(_tokens(intro.text), MODULE_NOUNS, lookback=2)
        if declared is not None and len(out.rows) > first_row:
            out.declarations.append(
                Declaration("training_modules", "declared-list-count", declared, intro.page, intro.text,
                            scope=(("position", tuple(range(first_row + 1, len(out.rows) + 1))),), bbox=intro.box(),
                            boxes=intro.line_boxes())
            )
    return out


# --- subsidies ----------------------------------------------------------------------

SUBSIDY_WORDS = re.compile(r"subsidie|toelage|dotatie|financiële steun|financiering|werkingsmiddelen", re.IGNORECASE)


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


def read_subsidies(paragraphs: Sequence[Paragraph]) -> Extraction:
    """Years and amounts of subsidy, from the paragraphs that speak of a subsidy.

    One amount for several years applies to each; as many amounts as years pair
    up in order ("respectievelijk"). Malformed amounts get the thousands-typo
    rule when every well-formed amount in these paragraphs is whole thousands.
    """
    out = Extraction("subsidies")
    subsidy_sentences = [s for p in paragraphs if SUBSIDY_WORDS.search(p.raw) for s in sentences(p)]
    found = [(s, a) for s in subsidy_sentences for a in find_amounts(s.raw)]
    well_formed = []
    for _, amount in found:
        try:
            well_formed.append(parse_amount(amount.number, amount.multiplier))
        except AmountFormatError:
            pass
    typo_rule_applies = bool(well_formed) and all(v % 1000 == 0 for v in well_formed)
    for sentence in subsidy_sentences:
        amounts = [a for s, a in found if s is sentence]
        if not amounts:
            continue
        text_without_amounts = sentence.raw
        for amount in amounts:
            text_without_amounts = text_without_amounts.replace(amount.text, " " * len(amount.text), 1)
        for date in find_dates(text_without_amounts):
            text_without_amounts = text_without_amounts.replace(date.text, " " * len(date.text), 1)
        years = years_in(text_without_amounts)
        if len(amounts) == 1:
            pairs = [(year, amounts[0]) for year in years]
        elif len(amounts) == len(years):
            pairs = list(zip(years, amounts))
        else:
            out.findings.append(Finding("subsidies", "value-parsed", "warn",
                                        f"cannot pair {len(years)} years with {len(amounts)} amounts in: "
                                        f"{sentence.text}", page=sentence.page))
            continue
        for year, amount in pairs:
            value = _amount_value(out, sentence, amount, typo_rule_applies)
            raw_text = collapse_spaces(amount.text) if "\n" not in amount.text else amount.text
            out.rows.append({"year": year, "amount_eur": value, "amount_raw": raw_text, "page": sentence.page})
    return out


def _amount_value(out: Extraction, sentence: Sentence, amount, typo_rule_applies: bool) -> int | None:
    try:
        value = parse_amount(amount.number, amount.multiplier)
    except AmountFormatError as exc:
        repaired = thousands_typo_repair(amount.number) if typo_rule_applies else None
        if repaired is None:
            out.problem("amount_eur", amount.text, str(exc))
            return None
        value = parse_amount(repaired, amount.multiplier)
        out.repairs.append(
            Repair("subsidies", "amount_eur", sentence.page, amount.text, str(int(value)), "amount-thousands-typo",
                   sentence.box(amount.start, amount.end), sentence.line_boxes(amount.start, amount.end))
        )
    if value != value.to_integral_value():
        out.problem("amount_eur", amount.text, f"{amount.text!r} is not a whole number of euros")
        return None
    return int(value)


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
