"""What one document yields: rows per dataset, and the record of how they were obtained.

A `DocumentResult` is plain, picklable data. It is what a worker process
returns, what the cache stores, and all that the validate and publish stages
see of a document: its rows, and the pictures of its source that the report shows.
A document's id comes from its file name (`document_id_for`); one that could not be read or
published yields only its `documents` row, with the error (`error_result`, `failed`).
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from pipeline.errors import DocumentError

Status = Literal["pass", "warn", "fail"]
BBox = tuple[float, float, float, float]
Place = tuple[int, BBox]  # 1-based page and a box in pdfplumber's top-left points


@dataclass(frozen=True)
class Repair:
    """A change made to source text, with the rule that made it."""

    dataset: str
    field: str
    page: int
    raw: str
    repaired: str
    rule: str
    bbox: BBox | None = None  # where the raw text stands on the page, for the report's picture
    # The key of the row the repair changed in `dataset`: its primary key's columns (without
    # document_id) and values, e.g. (("position", 3),) or (("table_id", "t1"), ("row", 5), ("column", 2)).
    row_key: tuple[tuple[str, Any], ...] = ()
    # One box per printed line of the raw text, each with its page, when the text runs over several
    # lines of prose; empty when `bbox` alone outlines it (a table cell).
    boxes: tuple[Place, ...] = ()


@dataclass(frozen=True)
class Declaration:
    """A figure the answer states about its own content ("19 OCMW's", "Totaal 863")."""

    dataset: str
    check: str  # catalogue slug of the check that compares it with the rows
    expected: int
    page: int
    quote: str  # the sentence or row that states it, as printed
    total_of: str | None = None  # column summed, for totals; None for counts
    # Only rows whose columns hold these values are counted ("in 2016": year=2016).
    scope: tuple[tuple[str, tuple[Any, ...]], ...] = ()
    bbox: BBox | None = None
    # One box per printed line of the quote, each with its page; empty when `bbox` alone outlines it.
    boxes: tuple[Place, ...] = ()


@dataclass(frozen=True)
class Finding:
    """Something normalise noticed that an auditor should see: a check outcome of its own."""

    dataset: str
    check: str
    status: Status
    message: str
    page: int | None = None
    expected: str = ""
    observed: str = ""


@dataclass(frozen=True)
class RowProblem:
    """A value in a row that could not be read; the value is left empty."""

    dataset: str
    row: int  # index into the document's rows of that dataset
    field: str
    raw: str
    message: str


@dataclass(frozen=True)
class TablePlace:
    """Where a table stands on one page (a fragment of it, when it runs over pages), and what it was read as."""

    table_id: str
    page: int
    bbox: BBox
    dataset: str | None = None  # the dataset its rows went to; None when no dataset's header matched
    rows: tuple[int, ...] = ()  # indexes into the document's rows of `dataset` read from this fragment


@dataclass(frozen=True)
class Picture:
    """A PNG of a band of one page, with the marks outlined in it; or, when there is none, why."""

    png: bytes = b""
    width: int = 0
    height: int = 0
    note: str = ""


@dataclass(frozen=True)
class Region:
    """A band across one page that the report pictures once, with every mark in it outlined and numbered.

    Marks are numbered per document (`pipeline.publish.pictures.document_marks`): the repairs
    first, in order, then the declared figures.
    """

    page: int
    bbox: BBox  # the band, in the page's top-left points
    marks: tuple[int, ...]  # numbers of the marks outlined in it
    table_ids: tuple[str, ...]  # tables that stand in the band
    picture: Picture


@dataclass
class DocumentResult:
    document_id: str
    document: dict[str, Any]  # the `documents` row
    rows: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    repairs: list[Repair] = field(default_factory=list)
    declarations: list[Declaration] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    row_problems: list[RowProblem] = field(default_factory=list)
    error_slug: str | None = None
    # The report's pictures of this document (`pipeline.publish.pictures`): drawn where the document
    # is read, so in parallel and cached with its rows. None: not drawn (yet, or `--no-pictures`).
    pictures: list[Region] | None = None
    tables: list[TablePlace] = field(default_factory=list)  # every table fragment, in reading order

    @property
    def ok(self) -> bool:
        return self.error_slug is None


def document_id_for(file_name: str) -> str:
    """The file name without `.pdf`, lower-cased, accents dropped, reduced to [a-z0-9-].

    A name with nothing left (`вопрос.pdf`, `..pdf`) gets `document-` and a hash of the name,
    so that two such files do not collide.
    """
    name = Path(file_name).name
    stem = re.sub(r"\.pdf$", "", name, flags=re.IGNORECASE)
    ascii_stem = unicodedata.normalize("NFKD", stem).encode("ascii", "ignore").decode("ascii")
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_stem.lower()).strip("-")
    return slug or f"document-{hashlib.sha256(name.encode('utf-8', 'surrogateescape')).hexdigest()[:8]}"


def error_result(path: Path, document_id: str, error: DocumentError) -> DocumentResult:
    try:
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        digest = None
    return DocumentResult(
        document_id=document_id,
        document={
            "document_id": document_id,
            "file_name": path.name,
            "sha256": digest,
            "pages": None,
            "title": None,
            "status": "error",
            "error": error.message,
            "question_number": None,
            "question_date": None,
        },
        error_slug=error.slug,
    )


def failed(result: DocumentResult, error: DocumentError) -> DocumentResult:
    """The result of a document read but not publishable: its `documents` row with the error, no rows."""
    document = {**result.document, "pages": None, "title": None, "status": "error", "error": error.message,
                "question_number": None, "question_date": None}
    return DocumentResult(document_id=result.document_id, document=document, error_slug=error.slug)
