"""The vocabulary a topic profile is written in: datasets, and how an answer states their rows.

A profile is data only. For each of its datasets it says where in an answer the rows
are stated (`TableReading`: a table whose columns play named roles; `ListReading`: an
enumeration introduced by a sentence; `AmountReading`: years and amounts in sentences
or a `year | amount` table about one subject) and how every field of a row is obtained
from what was found there (the `Source` values below). The generic readers in
`pipeline.normalise.readers` loop over these declarations; nothing in them names a
topic, so a second profile is an addition, never an edit.

Content types are those `pipeline.normalise.content` infers for a table column:
`date`, `count` (whole numbers), `ordinal` (1, 2, 3, ... row numbers), `amount` (euro),
`number` (with decimals), `year`, `municipality` (a name in the register) and `text`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from schemas.spec import Dataset

ContentType = Literal["text", "date", "count", "ordinal", "amount", "number", "year", "municipality"]


# --- where a field's value comes from ----------------------------------------------------


@dataclass(frozen=True)
class Cell:
    """The value of the cell in `role`'s column: typed by the role's content type, or as printed (`raw`)."""

    role: str
    raw: bool = False


@dataclass(frozen=True)
class Choice:
    """True or false by which word the cell in `role`'s column uses (`met zitdag` / `zonder zitdag`).

    `pattern` is a regular expression with one group; the group's text, lower-cased, is
    looked up in `true` and `false`. A cell matching neither leaves the field empty and
    is reported as a value that could not be read.
    """

    role: str
    pattern: str
    true: tuple[str, ...]
    false: tuple[str, ...]


@dataclass(frozen=True)
class IntroDate:
    """The date stated in the sentence that introduces the table or list (`op 31/12/2016`)."""


@dataclass(frozen=True)
class IntroYear:
    """The year stated in the sentence that introduces the list (`In 2016 besloten ...`)."""


@dataclass(frozen=True)
class Item:
    """The text of an enumeration's item, without its bullet, number or closing punctuation."""


@dataclass(frozen=True)
class Year:
    """The year an amount is stated for."""


@dataclass(frozen=True)
class Amount:
    """An amount in whole euros (`raw`: as printed, with its currency)."""

    raw: bool = False


@dataclass(frozen=True)
class Page:
    """The page where the row's first value stands."""


@dataclass(frozen=True)
class Position:
    """1-based order of the row among the dataset's rows of the document."""


@dataclass(frozen=True)
class NisCode:
    """The NIS code of the municipality named in field `of`, as valid on a date.

    `on`: `"intro-date"` (the date introducing the table, else the question's date),
    `"year-end"` (31 December of the row's `year` field) or `"question-date"`.
    """

    of: str
    on: Literal["intro-date", "year-end", "question-date"] = "intro-date"


Source = Cell | Choice | IntroDate | IntroYear | Item | Year | Amount | Page | Position | NisCode


# --- where a dataset's rows are stated ----------------------------------------------------


@dataclass(frozen=True)
class Column:
    """A role a table column plays: named by header words, recognised by its content.

    `synonyms` are the header words (Dutch, matched as whole words, case-insensitively);
    `content` is what its cells hold. A column whose header names no role but whose content
    fits exactly one missing role takes that role; where header and content disagree, content
    wins and a finding says so. `totalled`: a `Totaal` row declares this column's sum.
    """

    role: str
    synonyms: tuple[str, ...] = ()
    content: ContentType = "text"
    required: bool = True
    totalled: bool = False


@dataclass(frozen=True)
class Declared:
    """How the answer declares a count of these rows: a number right before one of `nouns`.

    `check` is the catalogue slug of the check comparing it with the rows; `lookback`
    how many words before the noun the number may stand ("met 89 lokale besturen").
    """

    nouns: tuple[str, ...]
    check: Literal["declared-row-count", "declared-list-count"]
    lookback: int = 3


@dataclass(frozen=True)
class TableReading:
    """Rows from a table whose columns play `columns`' roles, one row per data row.

    `subject` are words the sentence introducing the table uses for its subject: they
    find a declared count there, and recognise a table whose headers are too short to
    name its roles. `declared` says how that count is written.
    """

    columns: tuple[Column, ...]
    fields: tuple[tuple[str, Source], ...]
    subject: tuple[str, ...] = ()
    declared: Declared | None = None


@dataclass(frozen=True)
class ListReading:
    """Rows from an enumeration, one per item, introduced by a sentence matching `trigger`.

    The enumeration may be inline after a colon ("A, B en C"), bullets (a glyph or a drawn
    mark), numbers (`1.`, `1)`, `a)`), dashes, or a one-column table right after the sentence.
    """

    trigger: str  # regular expression, searched case-insensitively in the introducing sentence
    fields: tuple[tuple[str, Source], ...]
    declared: Declared | None = None


@dataclass(frozen=True)
class AmountReading:
    """Years and amounts of money stated about one subject (sentences or tables matching `trigger`).

    In a sentence, one amount for several years applies to each; as many amounts as years
    pair up in order ("respectievelijk"). In a table, a year column beside an amount column.
    """

    trigger: str
    fields: tuple[tuple[str, Source], ...]


Reading = TableReading | ListReading | AmountReading

# The sources each kind of reading can fill a field from.
_EVERYWHERE = (IntroDate, Page, Position, NisCode)
ALLOWED: dict[type, tuple[type, ...]] = {
    TableReading: (Cell, Choice, *_EVERYWHERE),
    ListReading: (Item, IntroYear, *_EVERYWHERE),
    AmountReading: (Year, Amount, *_EVERYWHERE),
}


@dataclass(frozen=True)
class DatasetProfile:
    """A topic dataset and every way an answer may state its rows."""

    dataset: Dataset
    readings: tuple[Reading, ...]

    def __post_init__(self) -> None:
        names = set(self.dataset.columns) - {"document_id"}
        for reading in self.readings:
            declared = {name for name, _ in reading.fields}
            if declared != names:
                raise ValueError(f"{self.dataset.name}: fields {sorted(names ^ declared)} are not declared both in "
                                 f"the dataset and in its reading")
            misplaced = [name for name, source in reading.fields if not isinstance(source, ALLOWED[type(reading)])]
            if misplaced:
                raise ValueError(f"{self.dataset.name}: fields {misplaced} take their value from something a "
                                 f"{type(reading).__name__} does not read")
            if isinstance(reading, TableReading):
                roles = {c.role for c in reading.columns}
                used = {s.role for _, s in reading.fields if isinstance(s, (Cell, Choice))}
                if not used <= roles:
                    raise ValueError(f"{self.dataset.name}: fields use unknown roles {sorted(used - roles)}")
