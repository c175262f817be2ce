"""Recognising tables by what their header means, and turning them into typed rows.

Each `Recogniser` names the columns (roles) a dataset needs and the Dutch
header words each role answers to. A table is matched on its header's words,
never on column positions, so renamed, reordered and added columns are read
the same. A table no recogniser matches still reaches the `cells` dataset.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from pipeline.model import Declaration, Finding
from pipeline.normalise import facts
from pipeline.normalise.extraction import Extraction
from pipeline.normalise.tables import CellValue, LogicalRow, TableGroup
from pipeline.normalise.text import DateFormatError, parse_date, parse_integer


@dataclass(frozen=True)
class Role:
    name: str
    synonyms: tuple[str, ...]
    required: bool = True


@dataclass(frozen=True)
class Recogniser:
    dataset: str
    roles: tuple[Role, ...]
    # Words the sentence introducing the table uses for its subject, to find a
    # declared count there ("met 89 lokale besturen een globaal samenwerkingsakkoord").
    topic_words: tuple[str, ...]
    build: Callable[[TableGroup, Mapping[str, int], "TableContext"], Extraction]


@dataclass(frozen=True)
class TableContext:
    first_position: int  # position of the first row, for datasets numbered across tables


def header_tokens(text: str) -> tuple[str, ...]:
    text = text.casefold().replace("’", "'").replace("‘", "'")
    return tuple(re.findall(r"[\w']+", text))


def _contains(tokens: Sequence[str], phrase: Sequence[str]) -> bool:
    n = len(phrase)
    return any(tuple(tokens[i : i + n]) == tuple(phrase) for i in range(len(tokens) - n + 1))


def role_score(header: str, role: Role) -> int:
    """How specifically a header names a role: the number of words of its longest matching synonym."""
    tokens = header_tokens(header)
    return max((len(p) for p in map(header_tokens, role.synonyms) if _contains(tokens, p)), default=0)


def match_columns(headers: Sequence[str], recogniser: Recogniser) -> dict[str, int] | None:
    """Column index per role, or None when a required role has no column.

    The most specific (header, synonym) pairs are assigned first, each column to
    one role at most.
    """
    candidates = sorted(
        ((role_score(h, role), -i, role.name, i) for role in recogniser.roles for i, h in enumerate(headers)),
        reverse=True,
    )
    assigned: dict[str, int] = {}
    taken: set[int] = set()
    for score, _, role_name, column in candidates:
        if score == 0 or role_name in assigned or column in taken:
            continue
        assigned[role_name] = column
        taken.add(column)
    if any(role.required and role.name not in assigned for role in recogniser.roles):
        return None
    return assigned


def recognise(group: TableGroup, recognisers: Sequence[Recogniser]) -> tuple[Recogniser, dict[str, int]] | None:
    """The recogniser whose roles the table's header covers best; None when none or several fit."""
    if group.header is None:
        return None
    matches = []
    for recogniser in recognisers:
        columns = match_columns(group.header_texts, recogniser)
        if columns is not None:
            matches.append((len(columns), recogniser, columns))
    if not matches:
        return None
    matches.sort(key=lambda m: m[0], reverse=True)
    if len(matches) > 1 and matches[0][0] == matches[1][0]:
        return None  # ambiguous: better in `cells` only than in the wrong dataset
    return matches[0][1], matches[0][2]


def _value(row: LogicalRow, columns: Mapping[str, int], role: str) -> CellValue:
    """The cell of a required role (`match_columns` guarantees its column)."""
    return row.values[columns[role]]


def _optional_value(row: LogicalRow, columns: Mapping[str, int], role: str) -> CellValue | None:
    return row.values[columns[role]] if role in columns else None


def _total_declarations(row: LogicalRow, dataset: str, summed: Mapping[str, int], scope: tuple) -> list[Declaration]:
    """What a `Totaal` row declares: the total of each numeric column that has a number in it."""
    declarations = []
    quote = " | ".join(t for t in row.texts if t)
    for field_name, column in summed.items():
        value = parse_integer(row.values[column].text)
        if value is not None:
            declarations.append(
                Declaration(dataset, "declared-total", value, row.page, quote, total_of=field_name, scope=scope,
                            bbox=row.values[column].box.as_tuple())
            )
    return declarations


def _count_declarations(row: LogicalRow, dataset: str, scope: tuple) -> list[Declaration]:
    """A `Totaal` row of a table without numeric columns declares how many rows it has."""
    numbers = [parse_integer(t) for t in row.texts]
    found = [n for n in numbers if n is not None]
    if len(found) != 1:
        return []
    quote = " | ".join(t for t in row.texts if t)
    return [Declaration(dataset, "declared-row-count", found[0], row.page, quote, scope=scope)]


# --- agreements ---------------------------------------------------------------------

# No word boundary before "met": a wrap misread as mid-token ("Overeenkomstmet
# zitdag") must not lose the answer; the misread join is in repairs for review.
CONSULTATION_DAY = re.compile(r"(met|zonder)\s+zitdag", re.IGNORECASE)


def build_agreements(group: TableGroup, columns: Mapping[str, int], context: TableContext) -> Extraction:
    out = Extraction("agreements")
    reference = facts.table_reference_date(group.context)
    for row in group.rows:
        if row.is_total:
            out.declarations += _count_declarations(row, "agreements", ())
            continue
        name = _value(row, columns, "municipality")
        agreement = _value(row, columns, "agreement")
        if name.is_empty and agreement.is_empty:
            continue
        consultation = CONSULTATION_DAY.search(agreement.text)
        if consultation is None:
            out.problem("with_consultation_day", agreement.raw,
                        "the agreement says neither `met zitdag` nor `zonder zitdag`")
        out.repairs += name.repairs("agreements", "municipality")
        out.rows.append(
            {
                "municipality": name.text,
                "with_consultation_day": None if consultation is None else consultation.group(1).lower() == "met",
                "agreement_raw": agreement.raw,
                "reference_date": reference.value if reference else None,
                "page": row.page,
            }
        )
    declared = facts.declared_count(group.context, AGREEMENTS.topic_words)
    if declared is not None:
        out.declarations.append(
            Declaration("agreements", "declared-row-count", declared.value, declared.page, declared.quote,
                        bbox=declared.bbox, boxes=declared.boxes)
        )
    if reference is None and out.rows:
        out.findings.append(Finding("agreements", "value-parsed", "warn",
                                    f"table {group.table_id}: no reference date in the sentence introducing it",
                                    page=group.page))
    return out


# --- trainings ----------------------------------------------------------------------


def build_trainings(group: TableGroup, columns: Mapping[str, int], context: TableContext) -> Extraction:
    out = Extraction("trainings")
    position = context.first_position
    total_rows = []
    for row in group.rows:
        if row.is_total:
            total_rows.append(row)
            continue
        date_value = _value(row, columns, "date")
        organiser = _value(row, columns, "organiser")
        target = _optional_value(row, columns, "target_group")
        participants = _value(row, columns, "participants")
        try:
            date = parse_date(date_value.text)
        except DateFormatError as exc:
            date = None
            out.problem("date", date_value.raw, str(exc))
        count = parse_integer(participants.text)
        if count is None:
            out.problem("participants", participants.raw, "not a whole number")
        out.repairs += date_value.repairs("trainings", "date")
        out.repairs += organiser.repairs("trainings", "organiser")
        if target is not None:
            out.repairs += target.repairs("trainings", "target_group")
        out.rows.append(
            {
                "date": date,
                "organiser": organiser.text,
                "target_group": target.text if target is not None else None,
                "participants": count,
                "date_raw": date_value.raw,
                "page": row.page,
                "position": position,
            }
        )
        position += 1
    scope = (("position", tuple(range(context.first_position, position))),)
    for row in total_rows:
        out.declarations += _total_declarations(row, "trainings", {"participants": columns["participants"]}, scope)
    return out


AGREEMENTS = Recogniser(
    dataset="agreements",
    roles=(
        Role("municipality", ("gemeente", "stad", "gemeenten", "lokaal bestuur", "lokale besturen", "bestuur",
                              "ocmw", "ocmw's")),
        Role("agreement", ("overeenkomst", "type overeenkomst", "soort overeenkomst", "samenwerkingsakkoord",
                           "samenwerkingsovereenkomst", "akkoord", "samenwerking")),
    ),
    topic_words=("akkoord", "overeenkomst", "samenwerkingsverband"),
    build=build_agreements,
)

TRAININGS = Recogniser(
    dataset="trainings",
    roles=(
        Role("date", ("datum", "data", "opleidingsdatum", "datum opleiding", "datum sessie")),
        Role("organiser", ("inrichter", "organisator", "organisatie", "georganiseerd door", "organiserende instantie",
                           "inrichtende organisatie", "inrichtend bestuur", "aanvrager")),
        Role("target_group", ("doelgroep", "publiek", "voor wie", "deelnemersprofiel"), required=False),
        Role("participants", ("deelnemers", "aantal deelnemers", "aanwezigen", "aantal aanwezigen",
                              "deelnemersaantal", "aantal personen")),
    ),
    topic_words=("opleiding", "opleidingen", "sessie", "sessies", "vorming", "vormingen"),
    build=build_trainings,
)

RECOGNISERS: tuple[Recogniser, ...] = (AGREEMENTS, TRAININGS)


def read_tables(groups: Sequence[TableGroup]) -> tuple[list[Extraction], list[Finding], dict[str, dict[str, int]]]:
    """Typed rows from every recognised table; a finding for every table; the columns each table used."""
    extractions: list[Extraction] = []
    findings: list[Finding] = []
    used_columns: dict[str, dict[str, int]] = {}
    next_position: dict[str, int] = {}
    for group in groups:
        match = recognise(group, RECOGNISERS)
        if match is None:
            header = " | ".join(group.header_texts) if group.header else "no header row"
            findings.append(Finding("cells", "table-recognised", "warn",
                                    f"table {group.table_id} on page {group.page} ({header}) matches no dataset; "
                                    "its cells are in cells.csv", page=group.page))
            continue
        recogniser, columns = match
        context = TableContext(first_position=next_position.get(recogniser.dataset, 1))
        extraction = recogniser.build(group, columns, context)
        next_position[recogniser.dataset] = context.first_position + len(extraction.rows)
        extractions.append(extraction)
        used_columns[group.table_id] = columns
        findings.append(Finding(recogniser.dataset, "table-recognised", "pass",
                                f"table {group.table_id} on page {group.page} read as {recogniser.dataset}",
                                page=group.page))
    return extractions, findings, used_columns

