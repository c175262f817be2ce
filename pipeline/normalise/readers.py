"""The generic readers: a profile's datasets read from an answer's tables, lists and sentences.

Nothing here names a topic. For every dataset of the profile, each of its readings
(`pipeline.profiles.model`) is looked for in the answer (`pipeline.normalise.answer`):

- `TableReading`: a table is matched to the reading whose column roles its header words
  *and* its columns' content (`pipeline.normalise.content`) cover best; a table whose
  headers name no role can still be recognised by content when the sentence introducing
  it speaks of the reading's subject. Where a header names a role its column's content
  contradicts, content wins and a finding says so.
- `ListReading`: a sentence matching the trigger, followed by an enumeration in any form.
- `AmountReading`: years and amounts in sentences about the subject, or a `year | amount`
  table introduced by such a sentence.

Every declared figure is kept as a `Declaration`, also when its list or table was not
found (then no row answers it and its check fails), and a list or table that looks meant
but was not read gets a warning that names it.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from pipeline.model import Declaration, Finding, Repair
from pipeline.normalise.answer import Answer, Enumeration, EnumerationItem, inline_enumeration
from pipeline.normalise.content import ACCEPTS, ColumnType, parse_euro
from pipeline.normalise.extraction import Extraction
from pipeline.normalise.facts import (
    Fact,
    amounts_by_year,
    count_before,
    counting_sentence,
    declared_number,
    first_year,
    intro_date,
    typo_rule_applies,
    words_of,
)
from pipeline.normalise.places import Register
from pipeline.normalise.reading import Paragraph
from pipeline.normalise.sentences import Sentence, all_sentences, sentences, strip_item_number
from pipeline.normalise.tables import CellValue, LogicalRow, TableGroup
from pipeline.normalise.text import (
    AmountFormatError,
    DateFormatError,
    FoundAmount,
    collapse_spaces,
    parse_amount,
    parse_date,
    parse_integer,
    thousands_typo_repair,
)
from pipeline.profiles import Profile
from pipeline.profiles.model import (
    Amount,
    AmountReading,
    Cell,
    Choice,
    Column,
    DatasetProfile,
    Declared,
    IntroDate,
    IntroYear,
    Item,
    ListReading,
    NisCode,
    Page,
    Position,
    Source,
    TableReading,
    Year,
)

# The roles a `year | amount` table plays for an `AmountReading`.
AMOUNT_TABLE_COLUMNS = (
    Column("year", ("jaar", "jaartal", "boekjaar"), content="year"),
    Column("amount", ("bedrag", "bedragen", "subsidie", "toelage", "euro", "totaal bedrag"), content="amount"),
)


@dataclass
class Reading:
    """What the readers found in one document, per dataset, and what they noticed."""

    extractions: list[Extraction] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    used_columns: dict[str, dict[str, int]] = field(default_factory=dict)  # table_id -> role -> column
    table_extractions: dict[str, int] = field(default_factory=dict)  # table_id -> index into `extractions`
    positions: dict[str, int] = field(default_factory=dict)  # next position per dataset
    unknown_places: dict[str, list[str]] = field(default_factory=dict)
    placed: dict[str, int] = field(default_factory=dict)  # rows with a municipality looked up, per dataset


@dataclass(frozen=True)
class RowContext:
    """What a row's fields may draw on besides its own cells or item."""

    page: int
    intro: Fact | None = None  # the date introducing the table or list
    year: int | None = None  # the year stated in the sentence introducing the list
    question_date: dt.date | None = None


# --- header words ----------------------------------------------------------------------


def header_tokens(text: str) -> tuple[str, ...]:
    text = text.casefold().replace("’", "'").replace("‘", "'")
    return tuple(re.findall(r"[\w']+", text))


def _contains(tokens: Sequence[str], phrase: Sequence[str]) -> bool:
    n = len(phrase)
    return any(tuple(tokens[i : i + n]) == tuple(phrase) for i in range(len(tokens) - n + 1))


def role_score(header: str, column: Column) -> int:
    """How specifically a header names a role: the number of words of its longest matching synonym."""
    tokens = header_tokens(header)
    return max((len(p) for p in map(header_tokens, column.synonyms) if _contains(tokens, p)), default=0)


# --- matching a table to a reading -----------------------------------------------------


@dataclass(frozen=True)
class Match:
    columns: dict[str, int]  # role -> column index
    by_header: frozenset[str]
    by_content: frozenset[str]
    overruled: tuple[tuple[int, str, str], ...]  # (column, role its header names, the column's content type)
    score: int


def match_columns(headers: Sequence[str], types: Sequence[ColumnType], columns: Sequence[Column],
                  subject_stated: bool) -> Match | None:
    """Column index per role, or None when a required role has no column.

    Header matches whose content fits come first (most specific synonym first); a header
    whose column's content is of another specific type is overruled. Then each role still
    without a column takes the one unassigned column whose content is exactly its type
    (else the one that its type accepts), if there is exactly one. Without any header
    match, only a sentence speaking of the reading's subject lets content alone decide.
    """
    assigned: dict[str, int] = {}
    by_header: set[str] = set()
    overruled: list[tuple[int, str, str]] = []
    candidates = sorted(((role_score(h, c), -i, c.role, i) for c in columns for i, h in enumerate(headers)),
                        reverse=True)
    by_role = {c.role: c for c in columns}
    for score, _, role, index in candidates:
        if score == 0 or role in assigned or index in assigned.values():
            continue
        column_kind = types[index].type if index < len(types) else "text"
        if column_kind not in ACCEPTS[by_role[role].content]:
            overruled.append((index, role, column_kind))
            continue
        assigned[role] = index
        by_header.add(role)
    by_content: set[str] = set()
    if by_header or subject_stated:
        for column in columns:
            if column.role in assigned or column.content == "text":
                continue
            free = [i for i in range(len(types)) if i not in assigned.values()]
            exact = [i for i in free if types[i].type == column.content]
            accepted = [i for i in free if types[i].type in ACCEPTS[column.content]]
            chosen = exact if exact else accepted
            if len(chosen) == 1:
                assigned[column.role] = chosen[0]
                by_content.add(column.role)
    if any(c.required and c.role not in assigned for c in columns):
        return None
    if not by_header and not subject_stated:
        return None
    score = 3 * len(by_header) + 2 * len(by_content) + (2 if subject_stated else 0)
    return Match(assigned, frozenset(by_header), frozenset(by_content), tuple(overruled), score)


def half_match(headers: Sequence[str], columns: Sequence[Column]) -> list[str]:
    """The roles a table's header names, for a table no reading matched: does it look meant?"""
    return [c.role for c in columns if any(role_score(h, c) for h in headers)]


def speaks_of(group: TableGroup, words: Sequence[str] | str) -> bool:
    """Whether the running text introducing the table speaks of the subject (words, or a pattern)."""
    text = " ".join(s.text for s in all_sentences(group.context[-1:])).lower()
    if isinstance(words, str):
        return bool(re.search(words, text, re.IGNORECASE))
    return any(word in text for word in words)


# --- reading values --------------------------------------------------------------------


def read_value(out: Extraction, field_name: str, source: Source, role_content: str, value: CellValue) -> Any:
    """A cell as the field's type, the problem noted (and the field left empty) when it cannot be read."""
    if isinstance(source, Cell) and source.raw:
        return value.raw
    text = value.text
    if role_content == "date":
        try:
            return parse_date(text)
        except DateFormatError as exc:
            out.problem(field_name, value.raw, str(exc))
            return None
    if role_content in ("count", "ordinal", "year"):
        number = parse_integer(text)
        if number is None:
            out.problem(field_name, value.raw, "not a whole number")
        return number
    if role_content == "amount":
        amount = parse_euro(text)
        if amount is None or amount != amount.to_integral_value():
            out.problem(field_name, value.raw, "not an amount in whole euros")
            return None
        return int(amount)
    return text or None


def choose(out: Extraction, field_name: str, choice: Choice, value: CellValue) -> bool | None:
    found = re.search(choice.pattern, value.text, re.IGNORECASE)
    word = found.group(1).lower() if found else None
    if word in choice.true:
        return True
    if word in choice.false:
        return False
    out.problem(field_name, value.raw, f"says none of {', '.join(f'`{w}`' for w in (*choice.true, *choice.false))}")
    return None


def place(reading: Reading, register: Register, dataset: str, name: Any, on: dt.date | None) -> str | None:
    if not name:
        return None
    code = register.code(str(name), on)
    reading.placed[dataset] = reading.placed.get(dataset, 0) + 1
    if code is None:
        reading.unknown_places.setdefault(dataset, []).append(str(name))
    return code


def nis_date(source: NisCode, row: Mapping[str, Any], context: RowContext) -> dt.date | None:
    if source.on == "year-end":
        return dt.date(row["year"], 12, 31) if row.get("year") else None
    if source.on == "intro-date" and context.intro is not None:
        return context.intro.value  # type: ignore[return-value]
    return context.question_date


def build_row(out: Extraction, reading: Reading, register: Register, fields: Sequence[tuple[str, Source]],
              context: RowContext, cells: Mapping[str, CellValue], contents: Mapping[str, str],
              item: EnumerationItem | None = None, stated: tuple[int, Any] | None = None) -> dict[str, Any]:
    """One row: every field from its source, in the dataset's order; NIS codes once the rest is known."""
    row: dict[str, Any] = {}
    dataset = out.dataset
    for name, source in fields:
        if isinstance(source, Cell):
            value = cells[source.role]
            row[name] = read_value(out, name, source, contents[source.role], value)
            if not source.raw:
                out.repairs += value.repairs(dataset, name)
        elif isinstance(source, Choice):
            row[name] = choose(out, name, source, cells[source.role])
        elif isinstance(source, IntroDate):
            row[name] = context.intro.value if context.intro else None
        elif isinstance(source, IntroYear):
            row[name] = context.year
        elif isinstance(source, Item):  # only in a ListReading (`DatasetProfile` checks), which passes `item`
            row[name] = item.text
            out.repairs += item.repairs(dataset, name)
        elif isinstance(source, Year):
            row[name] = stated[0] if stated else None
        elif isinstance(source, Amount):
            row[name] = stated[1][int(source.raw)] if stated else None
        elif isinstance(source, Page):
            row[name] = context.page
        elif isinstance(source, Position):
            row[name] = reading.positions.get(dataset, 1)
        else:
            row[name] = None  # NisCode, below
    for name, source in fields:
        if isinstance(source, NisCode):
            row[name] = place(reading, register, dataset, row.get(source.of), nis_date(source, row, context))
    if any(isinstance(s, Position) for _, s in fields):
        reading.positions[dataset] = reading.positions.get(dataset, 1) + 1
    return row


def key_of(dataset_profile: DatasetProfile) -> tuple[str, ...]:
    return tuple(k for k in dataset_profile.dataset.primary_key if k != "document_id")


def key_scope(dataset_profile: DatasetProfile, rows: Sequence[Mapping[str, Any]]) -> tuple:
    """The rows a declaration is about, as the values of the dataset's key columns among `rows`."""
    return tuple((k, tuple(dict.fromkeys(r[k] for r in rows))) for k in key_of(dataset_profile))


# --- tables ------------------------------------------------------------------------------


def read_table(reading: Reading, register: Register, dataset_profile: DatasetProfile,
               spec: TableReading | AmountReading, group: TableGroup, match: Match,
               question_date: dt.date | None) -> Extraction:
    dataset = dataset_profile.dataset.name
    out = Extraction(dataset, key_of(dataset_profile))
    columns = spec.columns if isinstance(spec, TableReading) else AMOUNT_TABLE_COLUMNS
    contents = {c.role: c.content for c in columns}
    fields = spec.fields
    intro = intro_date(group.context)
    # The fields a `year | amount` table's unreadable values are reported for.
    year_field = next((n for n, s in fields if isinstance(s, Year)), "year")
    amount_field = next((n for n, s in fields if isinstance(s, Amount) and not s.raw), "amount")
    total_rows = []
    for row in group.rows:
        if row.is_total:
            total_rows.append(row)
            continue
        cells = {role: row.values[index] for role, index in match.columns.items()}
        required = [cells[c.role] for c in columns if c.required]
        if all(value.is_empty for value in required):
            continue
        for column in columns:
            cells.setdefault(column.role, CellValue((), "", ()))
        since = len(out.repairs)
        if isinstance(spec, AmountReading):
            year = read_value(out, year_field, Cell("year"), "year", cells["year"])
            amount = read_value(out, amount_field, Cell("amount"), "amount", cells["amount"])
            values = build_row(out, reading, register, fields, RowContext(row.page, intro, None, question_date), {},
                               {}, stated=(year, (amount, cells["amount"].raw)))
        else:
            values = build_row(out, reading, register, fields, RowContext(row.page, intro, None, question_date),
                               cells, contents)
        out.add(values, since)
    scope = key_scope(dataset_profile, out.rows)
    totalled = {c.role: match.columns[c.role] for c in columns if c.totalled and c.role in match.columns}
    for row in total_rows:
        out.declarations += total_declarations(row, dataset, totalled, dict(fields), scope)
    if isinstance(spec, TableReading) and spec.declared is not None:
        counted = counting_sentence(all_sentences(group.context), spec.subject, spec.declared.nouns,
                                    spec.declared.lookback)
        if counted is not None:
            sentence, value = counted
            out.declarations.append(Declaration(dataset, spec.declared.check, value, sentence.page,
                                                strip_item_number(sentence.text), scope=scope, bbox=sentence.box(),
                                                boxes=sentence.line_boxes()))
    if intro is None and out.rows and any(isinstance(s, IntroDate) for _, s in fields):
        out.findings.append(Finding(dataset, "value-parsed", "warn",
                                    f"table {group.table_id}: no reference date in the sentence introducing it",
                                    page=group.page))
    return out


def total_declarations(row: LogicalRow, dataset: str, totalled: Mapping[str, int], fields: Mapping[str, Source],
                       scope: tuple) -> list[Declaration]:
    """What a `Totaal` row declares: each totalled column's sum, or, in a table without one, its row count."""
    quote = " | ".join(t for t in row.texts if t)
    declarations = []
    for role, index in totalled.items():
        value = parse_integer(row.values[index].text)
        field_name = next((n for n, s in fields.items() if isinstance(s, Cell) and s.role == role and not s.raw), role)
        if value is not None:
            declarations.append(Declaration(dataset, "declared-total", value, row.page, quote, total_of=field_name,
                                            scope=scope, bbox=row.values[index].box.as_tuple()))
    if not totalled:
        numbers = [n for n in (parse_integer(t) for t in row.texts) if n is not None]
        if len(numbers) == 1:
            declarations.append(Declaration(dataset, "declared-row-count", numbers[0], row.page, quote, scope=scope))
    return declarations


def table_candidates(profile: Profile, group: TableGroup, types: Sequence[ColumnType]):
    headers = group.header_texts or ("",) * group.n_columns
    for dataset_profile in profile.datasets:
        for spec in dataset_profile.readings:
            if isinstance(spec, TableReading):
                match = match_columns(headers, types, spec.columns, speaks_of(group, spec.subject))
            elif isinstance(spec, AmountReading):
                match = match_columns(headers, types, AMOUNT_TABLE_COLUMNS, speaks_of(group, spec.trigger))
                # A year beside an amount is a common shape: only the introducing sentence names what it is.
                if match is not None and not speaks_of(group, spec.trigger):
                    match = None
            else:
                continue
            if match is not None:
                yield match.score, dataset_profile, spec, match


def read_tables(reading: Reading, answer: Answer, profile: Profile, register: Register,
                types: Mapping[str, Sequence[ColumnType]], question_date: dt.date | None,
                listed: set[str]) -> None:
    for group in answer.tables:
        found = sorted(table_candidates(profile, group, types[group.table_id]), key=lambda c: -c[0])
        best = [c for c in found if c[0] == found[0][0]] if found else []
        if len(best) != 1:
            if group.table_id in listed:
                continue
            reading.findings.append(unrecognised_table(profile, group, ambiguous=len(best) > 1))
            continue
        _, dataset_profile, spec, match = best[0]
        dataset = dataset_profile.dataset.name
        reading.table_extractions[group.table_id] = len(reading.extractions)
        reading.extractions.append(read_table(reading, register, dataset_profile, spec, group, match, question_date))
        reading.used_columns[group.table_id] = match.columns
        how = ", ".join(f"{role} by {'header' if role in match.by_header else 'content'}"
                        for role in match.columns)
        reading.findings.append(Finding(dataset, "table-recognised", "pass",
                                        f"table {group.table_id} on page {group.page} read as {dataset} ({how})",
                                        page=group.page))
        headers = group.header_texts or ("",) * group.n_columns
        for index, role, kind in match.overruled:
            reading.findings.append(Finding(
                dataset, "table-recognised", "warn",
                f"table {group.table_id} on page {group.page}: the header {headers[index]!r} names {role}, but the "
                f"column holds {kind} values: read by its content", page=group.page,
                expected=role, observed=kind))


def counts_without_table(reading: Reading, answer: Answer, profile: Profile) -> list[Extraction]:
    """A count the answer states for a table that was not read at all: rows were lost, so it is declared
    with no row to answer it."""
    used = {(d.page, d.quote) for e in reading.extractions for d in e.declarations}
    lost = []
    for dataset_profile in profile.datasets:
        for spec in dataset_profile.readings:
            if not isinstance(spec, TableReading) or spec.declared is None:
                continue
            out = Extraction(dataset_profile.dataset.name, key_of(dataset_profile))
            for sentence in all_sentences(answer.paragraphs):
                counted = counting_sentence([sentence], spec.subject, spec.declared.nouns, spec.declared.lookback)
                if counted is None or (sentence.page, strip_item_number(sentence.text)) in used:
                    continue
                out.declarations.append(Declaration(out.dataset, spec.declared.check, counted[1], sentence.page,
                                                    strip_item_number(sentence.text),
                                                    scope=key_scope(dataset_profile, []), bbox=sentence.box(),
                                                    boxes=sentence.line_boxes()))
            if out.declarations:
                lost.append(out)
    return lost


def unrecognised_table(profile: Profile, group: TableGroup, ambiguous: bool) -> Finding:
    header = " | ".join(group.header_texts) if group.header else "no header row"
    what = f"table {group.table_id} on page {group.page} ({header})"
    if ambiguous:
        return Finding("cells", "table-recognised", "warn",
                       f"{what} fits several datasets equally well; its cells are in cells.csv", page=group.page)
    for dataset_profile in profile.datasets:
        for spec in dataset_profile.readings:
            if isinstance(spec, TableReading):
                named = half_match(group.header_texts, spec.columns)
                missing = [c.role for c in spec.columns if c.required and c.role not in named]
                if named and missing:
                    return Finding("cells", "table-recognised", "warn",
                                   f"{what} looks like {dataset_profile.dataset.name} (its header names "
                                   f"{', '.join(named)}) but has no column for {', '.join(missing)}: not read; its "
                                   "cells are in cells.csv", page=group.page,
                                   expected=dataset_profile.dataset.name, observed="not read")
    return Finding("cells", "table-recognised", "warn", f"{what} matches no dataset; its cells are in cells.csv",
                   page=group.page)


# --- lists -------------------------------------------------------------------------------


def list_after(answer: Answer, sentence: Sentence, colon: int) -> Enumeration | None:
    """The enumeration a sentence introduces: inline after its colon (at offset `colon`), or the list
    right after it."""
    if colon >= 0 and sentence.raw[colon + 1 :].strip():
        return inline_enumeration(sentence, colon + 1)
    following = answer.following(sentence)
    if isinstance(following, Enumeration):
        return following
    return None


def read_lists(reading: Reading, answer: Answer, profile: Profile, register: Register,
               question_date: dt.date | None, consumed: set[int]) -> list[Extraction]:
    return [read_list(reading, answer, register, dataset_profile, spec, question_date, consumed)
            for dataset_profile in profile.datasets for spec in dataset_profile.readings
            if isinstance(spec, ListReading)]


def read_list(reading: Reading, answer: Answer, register: Register, dataset_profile: DatasetProfile,
              spec: ListReading, question_date: dt.date | None, consumed: set[int]) -> Extraction:
    dataset = dataset_profile.dataset.name
    out = Extraction(dataset, key_of(dataset_profile))
    for sentence in all_sentences(answer.paragraphs):
        match = re.search(spec.trigger, sentence.raw, re.IGNORECASE)
        if match is None or sentence.text.endswith("?"):
            continue
        colon = sentence.raw.find(":", match.end())
        enumeration = list_after(answer, sentence, colon)
        head = strip_item_number(collapse_spaces(sentence.raw[: colon if colon >= 0 else len(sentence.raw)]))
        declared = declared_number(words_of(head), spec.declared.nouns, spec.declared.lookback) \
            if spec.declared is not None else None
        if enumeration is None or not enumeration.items or id(enumeration) in consumed:
            if declared is not None:  # a count with no list under it: rows were lost
                out.declarations.append(declaration(dataset_profile, spec.declared, declared, sentence, head, [],
                                                    colon))
            continue
        if enumeration.form != "inline" and colon < 0:
            continue  # a list after a sentence that does not announce it is not this sentence's
        consumed.add(id(enumeration))
        year = first_year(head)
        intro = intro_date([sentence.paragraph])
        first_row = len(out.rows)
        for item in enumeration.items:
            page = sentence.page if enumeration.form == "inline" else item.page
            fields = spec.fields
            if year is None and any(isinstance(s, IntroYear) for _, s in fields):
                out.problem("year", head, "no year in the sentence introducing the list")
            since = len(out.repairs)
            out.add(build_row(out, reading, register, fields, RowContext(page, intro, year, question_date), {}, {},
                              item=item), since)
        if declared is not None:
            out.declarations.append(declaration(dataset_profile, spec.declared, declared, sentence, head,
                                                out.rows[first_row:], colon))
    return out


def declaration(dataset_profile: DatasetProfile, declared: Declared, value: int, sentence: Sentence, head: str,
                rows: Sequence[Mapping[str, Any]], colon: int) -> Declaration:
    return Declaration(dataset_profile.dataset.name, declared.check, value, sentence.page, sentence.text,
                       scope=key_scope(dataset_profile, rows), bbox=sentence.box(), boxes=sentence.line_boxes())


def unread_lists(answer: Answer, consumed: set[int]) -> list[Finding]:
    """A list after a sentence that counts something, which no dataset read: it looks meant."""
    findings = []
    for enumeration in answer.enumerations:
        if id(enumeration) in consumed or enumeration.intro is None:
            continue
        words = words_of(strip_item_number(enumeration.intro.text))
        counted = any(count_before(words, i, lookback=2) is not None for i in range(1, len(words)))
        if counted and enumeration.intro.text.rstrip().endswith(":"):
            findings.append(Finding("documents", "list-recognised", "warn",
                                    f"the {enumeration.form} list of {len(enumeration.items)} items on page "
                                    f"{enumeration.page} after {enumeration.intro.text!r} was read into no dataset",
                                    page=enumeration.page, expected="read", observed="not read"))
    return findings


# A sentence that points at a table ("in onderstaande tabel", "de tabel hieronder").
TABLE_POINTER = re.compile(r"onderstaande?\s+(?:tabel|overzicht)|tabel\s+hieronder|volgende\s+tabel|hieronder\s+"
                           r"(?:in\s+)?(?:de\s+)?tabel", re.IGNORECASE)
# A note or caption between a sentence pointing at a table and the table is at most this many lines.
CAPTION_LINES = 2


def announced_but_missing(answer: Answer, profile: Profile) -> list[Finding]:
    """A sentence announcing a table or a list ("in onderstaande tabel", "... de volgende modules:")
    with none after it: what it announced was lost. A failure when the sentence speaks of one of
    the profile's datasets, else a warning."""
    findings = []
    blocks = answer.blocks
    for index, block in enumerate(blocks):
        if not isinstance(block, Paragraph) or not sentences(block):
            continue
        last = sentences(block)[-1]
        following = blocks[index + 1 : index + 3]
        if following and is_caption(following[0]):
            following = following[1:]
        if TABLE_POINTER.search(block.raw) and not (following and isinstance(following[0], TableGroup)):
            what = "a table"
        elif last.raw.rstrip().endswith(":") and not (following and isinstance(following[0],
                                                                                 (TableGroup, Enumeration))):
            what = "a list or table"
        else:
            continue
        dataset = subject_dataset(profile, block.raw)
        findings.append(Finding(dataset or "documents", "announced-content", "fail" if dataset else "warn",
                                f"page {block.page}: {strip_item_number(last.text)!r} announces {what}, but none "
                                "follows: it may have been lost", page=block.page,
                                expected=what, observed="none"))
    return findings


def is_caption(block: object) -> bool:
    """A short note between a table's introduction and the table ("(bron: Dyzo)")."""
    return isinstance(block, Paragraph) and len(block.lines) <= CAPTION_LINES and not block.raw.rstrip().endswith(":") \
        and not TABLE_POINTER.search(block.raw) and len(block.raw) < 120


def subject_dataset(profile: Profile, text: str) -> str | None:
    """The dataset whose reading the text speaks of (its list trigger, amount trigger or table subject)."""
    lowered = text.lower()
    for dataset_profile in profile.datasets:
        for spec in dataset_profile.readings:
            if isinstance(spec, (ListReading, AmountReading)) and re.search(spec.trigger, text, re.IGNORECASE):
                return dataset_profile.dataset.name
            if isinstance(spec, TableReading) and any(word in lowered for word in spec.subject):
                return dataset_profile.dataset.name
    return None


# --- amounts in sentences ------------------------------------------------------------------


def read_amounts(reading: Reading, answer: Answer, profile: Profile, register: Register) -> None:
    for dataset_profile in profile.datasets:
        for spec in dataset_profile.readings:
            if isinstance(spec, AmountReading):
                reading.extractions.append(read_amount_sentences(reading, answer, register, dataset_profile, spec))


def read_amount_sentences(reading: Reading, answer: Answer, register: Register, dataset_profile: DatasetProfile,
                          spec: AmountReading) -> Extraction:
    """Years and amounts from the paragraphs that speak of the subject; a malformed amount gets the
    thousands-typo rule when every well-formed amount in these paragraphs is whole thousands."""
    dataset = dataset_profile.dataset.name
    out = Extraction(dataset, key_of(dataset_profile))
    about = [s for p in answer.paragraphs if re.search(spec.trigger, p.raw, re.IGNORECASE) for s in sentences(p)]
    stated, unpaired = amounts_by_year(about)
    for sentence, why in unpaired:
        out.findings.append(Finding(dataset, "value-parsed", "warn", f"{why} in: {sentence.text}",
                                    page=sentence.page))
    typo = typo_rule_applies(s.amount for s in stated)
    for found in stated:
        since = len(out.repairs)
        value = amount_value(out, found.sentence, found.amount, typo)
        raw = collapse_spaces(found.amount.text) if "\n" not in found.amount.text else found.amount.text
        out.add(build_row(out, reading, register, spec.fields, RowContext(found.sentence.page), {}, {},
                          stated=(found.year, (value, raw))), since)
    return out


def amount_value(out: Extraction, sentence: Sentence, amount: FoundAmount, typo_rule: bool) -> int | None:
    try:
        value = parse_amount(amount.number, amount.multiplier)
    except AmountFormatError as exc:
        repaired = thousands_typo_repair(amount.number) if typo_rule else None
        if repaired is None:
            out.problem("amount_eur", amount.text, str(exc))
            return None
        value = parse_amount(repaired, amount.multiplier)
        out.repairs.append(Repair(out.dataset, "amount_eur", sentence.page, amount.text, str(int(value)),
                                  "amount-thousands-typo", sentence.box(amount.start, amount.end),
                                  boxes=sentence.line_boxes(amount.start, amount.end)))
    if value != value.to_integral_value():
        out.problem("amount_eur", amount.text, f"{amount.text!r} is not a whole number of euros")
        return None
    return int(value)


# --- all of it -----------------------------------------------------------------------------


def read_profile(answer: Answer, profile: Profile, register: Register, types: Mapping[str, Sequence[ColumnType]],
                 question_date: dt.date | None) -> Reading:
    """Every dataset of `profile` from `answer`: tables first, then lists, then amounts in sentences."""
    reading = Reading()
    consumed: set[int] = set()
    # Lists are looked for before tables are claimed, so that a one-column table that a sentence
    # announces as a list is read as that list; their rows still come after the tables' rows.
    lists = read_lists(reading, answer, profile, register, question_date, consumed)
    listed = {g.table_id for g, e in zip_tables_with_lists(answer) if id(e) in consumed}
    read_tables(reading, answer, profile, register, types, question_date, listed)
    reading.extractions += counts_without_table(reading, answer, profile)
    reading.extractions += lists
    read_amounts(reading, answer, profile, register)
    reading.findings += unread_lists(answer, consumed)
    reading.findings += announced_but_missing(answer, profile)
    reading.findings += place_findings(reading)
    return reading


def zip_tables_with_lists(answer: Answer) -> list[tuple[TableGroup, Enumeration]]:
    """Each one-column table with the enumeration read from it (placed right before it in the answer)."""
    pairs = []
    for before, block in zip(answer.blocks, answer.blocks[1:]):
        if isinstance(block, TableGroup) and isinstance(before, Enumeration) and before.form == "table":
            pairs.append((block, before))
    return pairs


def place_findings(reading: Reading) -> list[Finding]:
    findings = []
    for dataset, total in reading.placed.items():
        unknown = reading.unknown_places.get(dataset, [])
        if unknown:
            names = ", ".join(dict.fromkeys(unknown))
            findings.append(Finding(dataset, "municipality-known", "warn",
                                    f"{len(unknown)} of {total} names not in the register on the reference date: "
                                    f"{names}", expected=str(total), observed=str(total - len(unknown))))
        else:
            findings.append(Finding(dataset, "municipality-known", "pass", f"all {total} names found in the register",
                                    expected=str(total), observed=str(total)))
    return findings
