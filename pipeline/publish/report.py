"""The validation report: `validation_report.json` and a self-contained `validation_report.html`.

The JSON is the machine-readable record the contract promises (documents, checks,
and the repairs exactly as in repairs.csv). The HTML is for an auditor who has
neither a terminal nor reason to trust us, at the scale of an archive: a one-line
summary per document, the documents with problems first; then each document with
its failures and warnings (each with its page and picture, or the reason there is
none), its repairs grouped by rule, and its pictures: one per page region, every
repair and declared figure in it outlined and numbered, and beside each recognised
table the rows that came out of it.

The HTML is one file that opens offline: no scripts, no external styles, fonts or
images (pictures are PNG data URIs), and a Content-Security-Policy that forbids
loading anything else. It is rendered from Jinja2 templates (`templates/`) with
autoescaping, so every text that comes from a PDF is HTML-escaped, and streamed:
`template.generate()` yields it a piece at a time, and each document's view (its
pictures encoded) is built only when its turn comes, so the page is never held whole.

The report reads what validate and normalise produced and the pictures drawn where
each document was read (`pipeline.publish.pictures`); it recomputes nothing. A
value without a picture gets a note saying why.
"""

from __future__ import annotations

import base64
import dataclasses
import datetime as dt
import functools
from collections import Counter, defaultdict, deque
from collections.abc import Hashable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pipeline import __version__
from pipeline.catalogue import CHECKS, REPAIR_RULES
from pipeline.model import DocumentResult, Region, TablePlace
from pipeline.publish.files import csv_column, csv_value, write_json
from pipeline.publish.pictures import document_marks
from pipeline.validate import Check, Validation
from pipeline.validate.formula import looks_like_formula
from schemas.frames import is_missing
from schemas.spec import Dataset

if TYPE_CHECKING:
    from markupsafe import Markup

STATUS_ORDER = {"fail": 0, "warn": 1, "pass": 2}
CHECK_FIELDS = tuple(f.name for f in dataclasses.fields(Check))
TEMPLATES = Path(__file__).with_name("templates")


def report_data(
    validation: Validation, results: Sequence[DocumentResult], datasets: Sequence[Dataset], generated_at: dt.datetime
) -> dict[str, Any]:
    """The JSON report, as the contract describes it."""
    # Counted once per dataset, not once per document and dataset: linear in the number of documents.
    statuses = Counter((c.document_id, c.status) for c in validation.checks)
    rows = {d.name: validation.frames[d.name]["document_id"].value_counts().to_dict() for d in datasets}
    quarantined = {d.name: validation.quarantine[d.name]["document_id"].value_counts().to_dict()
                   for d in datasets if len(validation.quarantine[d.name])}
    documents = []
    for result in sorted(results, key=lambda r: r.document_id):
        documents.append(
            {
                "document_id": result.document_id,
                "file_name": result.document["file_name"],
                "status": result.document["status"],
                "error": result.document["error"] or "",
                "rows": {name: int(counts.get(result.document_id, 0)) for name, counts in rows.items()},
                "quarantined": {name: int(counts.get(result.document_id, 0)) for name, counts in quarantined.items()},
                "checks": {status: statuses[(result.document_id, status)] for status in ("pass", "warn", "fail")},
            }
        )
    repairs = validation.frames["repairs"]
    return {
        "pipeline": {"name": "flemish-answers", "version": __version__},
        "generated_at": generated_at.isoformat(timespec="seconds"),
        "status": "fail" if validation.failed else "pass",
        "documents": documents,
        "checks": [{name: getattr(c, name) for name in CHECK_FIELDS} for c in validation.checks],
        # As in repairs.csv (`csv_column`), but the page a number.
        "repairs": [dict(zip(repairs.columns, row)) for row in zip(*(
            [int(page) for page in repairs[column].tolist()] if column == "page" else csv_column(repairs[column].tolist())
            for column in repairs.columns))],
    }


def write_reports(
    folder: Path, validation: Validation, results: Sequence[DocumentResult], datasets: Sequence[Dataset],
) -> None:
    data = report_data(validation, results, datasets, dt.datetime.now(dt.timezone.utc))
    write_json(folder / "validation_report.json", data)
    quarantined_pages = quarantine_pages(validation, datasets)
    with (folder / "validation_report.html").open("w", encoding="utf-8") as handle:
        handle.writelines(html_chunks(html_view(data, results, quarantined_pages)))


def quarantine_pages(validation: Validation, datasets: Sequence[Dataset]) -> dict[tuple[str, str], list[int]]:
    """The pages of each document's quarantined rows, per dataset: where a schema failure stands."""
    pages: dict[tuple[str, str], list[int]] = {}
    for dataset in datasets:
        frame = validation.quarantine[dataset.name]
        if len(frame) and "page" in frame.columns:
            for document_id, page in zip(frame["document_id"], frame["page"]):
                if not is_missing(page):
                    pages.setdefault((document_id, dataset.name), [])
                    if int(page) not in pages[(document_id, dataset.name)]:
                        pages[(document_id, dataset.name)].append(int(page))
    return {key: sorted(value) for key, value in pages.items()}


# --- what the HTML shows ----------------------------------------------------------------


@dataclass
class RegionView:
    anchor: str
    page: int
    uri: str
    width: int
    height: int
    note: str
    caption: str
    marks: tuple[int, ...]
    repaired: bool  # a repair is outlined in it
    table_ids: tuple[str, ...]
    tables: list[dict[str, Any]]  # {table_id, dataset, columns, rows}: the rows that came out of each table
    shown_with: str = ""  # the anchor of the failure or warning it is shown with, when it is shown there


@dataclass
class ProblemView:
    check: dict[str, Any]
    title: str
    pages: list[int]
    quote: str
    regions: list[RegionView] = field(default_factory=list)
    mark: int | None = None
    no_picture: str = ""  # why there is no picture, when there is none
    anchor: str = ""


def html_view(
    data: dict[str, Any], results: Sequence[DocumentResult],
    quarantined_pages: dict[tuple[str, str], list[int]] | None = None,
) -> dict[str, Any]:
    """The JSON report plus what only the HTML shows; the documents' views are made one at a time, as the
    page is written: problem documents first (unreadable, then failed, then warned), then the others."""
    by_id = {r.document_id: r for r in results}
    checks_by_document: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for check in data["checks"]:
        checks_by_document[check["document_id"]].append(check)
    published = published_repairs(data["repairs"])
    documents = sorted(data["documents"], key=document_rank)
    problems = Counter(c["status"] for c in data["checks"] if c["status"] != "pass")

    def document_views() -> Iterator[dict[str, Any]]:
        for number, document in enumerate(documents, start=1):
            result = by_id.get(document["document_id"])
            yield document_view(f"d{number}", document, result, checks_by_document[document["document_id"]],
                                published, quarantined_pages or {})

    return {
        **data,
        "summary": [summary_line(d) for d in documents],
        "failed": problems["fail"],
        "warned": problems["warn"],
        "unread": sum(d["status"] != "ok" for d in documents),
        "repair_count": len(data["repairs"]),
        "document_views": document_views(),
        "run_problems": run_problem_views(checks_by_document[""]),
        "csp": CSP,
        "legend": LEGEND,
    }


def run_problem_views(checks: list[dict[str, Any]]) -> list[ProblemView]:
    """Checks of the run itself (document_id empty: the publishing settings), which stand in no PDF."""
    views = [ProblemView(check=c, title=CHECKS[c["check"]].title if c["check"] in CHECKS else "", pages=[],
                         quote="", no_picture="a check of the run's settings, not of a place in a PDF",
                         anchor=f"run{i}")
             for i, c in enumerate((c for c in checks if c["status"] != "pass"), start=1)]
    return sorted(views, key=lambda v: STATUS_ORDER[v.check["status"]])


def document_rank(document: dict[str, Any]) -> tuple[int, str]:
    if document["status"] != "ok":
        rank = 0
    elif document["checks"]["fail"]:
        rank = 1
    elif document["checks"]["warn"]:
        rank = 2
    else:
        rank = 3
    return rank, document["document_id"]


def summary_line(document: dict[str, Any]) -> dict[str, Any]:
    """One line per document: its status and what came out of it."""
    if document["status"] != "ok":
        status, text = "error", document["error"]
    else:
        failed, warned = document["checks"]["fail"], document["checks"]["warn"]
        status = "fail" if failed else "warn" if warned else "pass"
        counted = [f"{n} {name}" for name, n in document["rows"].items()
                   if n and name not in ("documents", "cells", "repairs")]
        quarantined = sum(document["quarantined"].values())
        repairs = document["rows"].get("repairs", 0) + document["quarantined"].get("repairs", 0)
        text = ", ".join(counted) or "no rows"
        text += f"; {repairs} repair{'s' if repairs != 1 else ''}" if repairs else ""
        text += f"; {quarantined} quarantined" if quarantined else ""
    return {"document_id": document["document_id"], "status": status, "text": text,
            "failed": document["checks"]["fail"], "warned": document["checks"]["warn"]}


def published_repairs(rows: Sequence[dict[str, Any]]) -> Counter[Hashable]:
    """How many published repairs rows there are of each (document, dataset, field, page, raw, repaired, rule)."""
    return Counter(tuple(str(row[c]) for c in REPAIR_KEY) for row in rows)


REPAIR_KEY = ("document_id", "dataset", "field", "page", "raw", "repaired", "rule")


def document_view(
    key: str, document: dict[str, Any], result: DocumentResult | None, checks: list[dict[str, Any]],
    published: Counter[Hashable], quarantined_pages: dict[tuple[str, str], list[int]],
) -> dict[str, Any]:
    """What the report shows of one document; `key` starts the anchors of its pictures and problems (short:
    the pictures are linked from every repair)."""
    regions = region_views(key, result) if result is not None else []
    problems = problem_views(key, result, checks, regions, quarantined_pages)
    for problem in problems:
        for region in problem.regions:
            if not region.shown_with:
                region.shown_with = problem.anchor
    # A band that holds only declared figures whose checks passed shows nothing to look at.
    regions = [r for r in regions if r.repaired or r.table_ids or r.shown_with]
    return {
        "document": document,
        "summary": summary_line(document),
        "anchor": f"doc-{document['document_id']}",
        "problems": problems,
        "repair_groups": repair_groups(result, published, regions) if result is not None else [],
        "regions": regions,
        "pictures_drawn": result is not None and result.pictures is not None,
        "checks": sorted(checks, key=lambda c: STATUS_ORDER[c["status"]]),
    }


def region_views(key: str, result: DocumentResult) -> list[RegionView]:
    """The document's pictures, in page order, each with a caption naming what is outlined in it."""
    marks = {m.number: m for m in document_marks(result)}
    tables = {(t.table_id, t.page): t for t in result.tables}
    views = []
    for number, region in enumerate(result.pictures or [], start=1):
        repairs = [n for n in region.marks if marks[n].kind == "repair"]
        declared = [n for n in region.marks if marks[n].kind == "declaration"]
        parts = [f"page {region.page}"]
        parts += [f"table {t}" for t in region.table_ids]
        if repairs:
            parts.append(f"repair{'s' if len(repairs) > 1 else ''} {number_ranges(repairs)}")
        if declared:
            parts.append(f"declared figure{'s' if len(declared) > 1 else ''} {number_ranges(declared)}")
        views.append(RegionView(
            anchor=f"{key}p{number}", page=region.page, uri=data_uri(region), width=region.picture.width,
            height=region.picture.height, note=region.picture.note, caption=" · ".join(parts),
            marks=region.marks, repaired=bool(repairs), table_ids=region.table_ids,
            tables=[table_rows(tables[(t, region.page)], result) for t in region.table_ids
                    if (t, region.page) in tables and tables[(t, region.page)].dataset],
        ))
    return views


def data_uri(region: Region) -> str:
    return "data:image/png;base64," + base64.b64encode(region.picture.png).decode("ascii") if region.picture.png else ""


def number_ranges(numbers: Sequence[int]) -> str:
    """`1–4, 7, 9–10`: the marks' numbers, consecutive runs shortened."""
    runs: list[list[int]] = []
    for n in sorted(numbers):
        if runs and n == runs[-1][-1] + 1:
            runs[-1].append(n)
        else:
            runs.append([n])
    return ", ".join(f"{r[0]}–{r[-1]}" if len(r) > 2 else ", ".join(map(str, r)) for r in runs)


# Columns not shown beside a table's picture: the document (known), the page (the picture's) and,
# as `*_raw`, the text as printed (what the picture shows).
HIDDEN_COLUMNS = ("document_id", "page")


def table_rows(table: TablePlace, result: DocumentResult) -> dict[str, Any]:
    """The rows read from a table fragment, as published; a value that every row shares is named once, and
    a row with a value that could not be read is marked with what went wrong."""
    rows = [result.rows[table.dataset][i] for i in table.rows]
    problems: dict[int, list[str]] = defaultdict(list)
    for p in result.row_problems:
        if p.dataset == table.dataset:
            problems[p.row].append(f"{p.field} left empty: {p.message} (printed: {p.raw!r})")
    columns = [c for c in (rows[0] if rows else {}) if c not in HIDDEN_COLUMNS and not c.endswith("_raw")]
    shared = [c for c in columns if len(rows) > 1 and all(row.get(c) == rows[0].get(c) for row in rows)]
    varying = [c for c in columns if c not in shared]
    return {"table_id": table.table_id, "dataset": table.dataset, "columns": varying,
            "every_row": [(c, csv_value(rows[0].get(c))) for c in shared],
            "rows": [[csv_value(row.get(c)) for c in varying] for row in rows],
            "problems": ["; ".join(problems.get(i, [])) for i in table.rows]}


def problem_views(
    key: str, result: DocumentResult | None, checks: list[dict[str, Any]], regions: list[RegionView],
    quarantined_pages: dict[tuple[str, str], list[int]],
) -> list[ProblemView]:
    """The document's failures and warnings, each with the page(s) it stands on and its picture(s)."""
    places = CheckPlaces(result, regions, quarantined_pages)
    views = []
    for check in checks:
        place = places.of(check)  # every check, in order: the declarations are matched in the order checked
        if check["status"] == "pass":
            continue
        title = CHECKS[check["check"]].title if check["check"] in CHECKS else ""
        view = ProblemView(check=check, title=title, **place)
        view.anchor = f"{key}c{len(views) + 1}"
        views.append(view)
    return sorted(views, key=lambda v: STATUS_ORDER[v.check["status"]])


class CheckPlaces:
    """Where each check of a document stands: its pages, its pictures, or why it has none.

    Checks are matched to what they were made from as validate makes them: a declared figure's
    check by document, dataset, check and expected figure, in the declarations' order; a finding's
    by its fields; a value that could not be read by its field and printed text.
    """

    def __init__(self, result: DocumentResult | None, regions: list[RegionView],
                 quarantined_pages: dict[tuple[str, str], list[int]]) -> None:
        self.result = result
        self.regions = regions
        self.quarantined_pages = quarantined_pages
        self.declarations: dict[tuple, deque[int]] = defaultdict(deque)
        self.findings: dict[tuple, deque[int | None]] = defaultdict(deque)
        self.row_problems: dict[tuple, deque[int | None]] = defaultdict(deque)
        if result is None:
            return
        self.first_declaration = len(result.repairs) + 1
        for j, d in enumerate(result.declarations):
            self.declarations[(d.dataset, d.check, str(d.expected))].append(j)
        for f in result.findings:
            self.findings[(f.dataset, f.check, f.status, f.expected, f.observed)].append(f.page)
        for p in result.row_problems:
            self.row_problems[(p.dataset, f"a {p.field} value", repr(p.raw))].append(p.row)
        self.table_regions = {(t.dataset, i): t for t in result.tables if t.dataset for i in t.rows}

    def of(self, check: dict[str, Any]) -> dict[str, Any]:
        result = self.result
        if result is None or not result.ok:
            return {"pages": [], "quote": "", "no_picture": "the document could not be read"}
        slug, dataset = check["check"], check["dataset"]
        queue = self.declarations.get((dataset, slug, check["expected"]))
        if queue:
            j = queue.popleft()
            declaration = result.declarations[j]
            number = self.first_declaration + j
            pages = sorted({page for page, _ in declaration.boxes} | {declaration.page})
            found = [r for r in self.regions if number in r.marks]
            return {"pages": pages, "quote": declaration.quote, "mark": number, "regions": found,
                    "no_picture": "" if found else self.missing("no position on the page was recorded for it")}
        key = (dataset, slug, check["status"], check["expected"], check["observed"])
        if self.findings.get(key):
            page = self.findings[key].popleft()
            if page is None:
                return {"pages": [], "quote": "", "no_picture": "no page or position was recorded for this check"}
            # A table that was not recognised is pictured all the same: the first table on its page.
            tables = [r for r in self.regions if r.page == page and r.table_ids] if slug == "table-recognised" else []
            return {"pages": [page], "quote": "", "regions": tables[:1],
                    "no_picture": "" if tables else self.missing(f"no position on page {page} was recorded for it")}
        if slug == "value-parsed" and self.row_problems.get((dataset, check["expected"], check["observed"])):
            row = self.row_problems[(dataset, check["expected"], check["observed"])].popleft()
            page = (result.rows.get(dataset) or [{}] * (row + 1))[row].get("page")
            table = self.table_regions.get((dataset, row))
            found = [r for r in self.regions if table and r.page == table.page
                     and any(t["table_id"] == table.table_id for t in r.tables)]
            reason = ("the value's position was not recorded, only its page" if page else
                      "neither the value's page nor its position was recorded")
            return {"pages": [int(page)] if page else [], "quote": "", "regions": found[:1],
                    "no_picture": "" if found else self.missing(reason)}
        if slug == "schema":
            pages = self.quarantined_pages.get((result.document_id, dataset), [])
            found = self.tables_on(pages, dataset)
            reason = ("the quarantined rows' positions were not recorded, only their pages" if pages
                      else "the quarantined rows carry no page")
            return {"pages": pages, "quote": "", "regions": found, "no_picture": "" if found else self.missing(reason)}
        if slug == "formula-like-text":
            pages = formula_like_pages(result.rows.get(dataset, []))
            found = self.tables_on(pages, dataset)
            return {"pages": pages, "quote": "", "regions": found,
                    "no_picture": "" if found else self.missing("the values' positions were not recorded")}
        return {"pages": [], "quote": "", "no_picture": "no page or position was recorded for this check"}

    def tables_on(self, pages: Sequence[int], dataset: str) -> list[RegionView]:
        """The pictures of the tables on `pages` read as `dataset`; failing those (`cells` is every table's),
        of every table on them."""
        on_pages = [r for r in self.regions if r.page in pages and r.table_ids]
        return [r for r in on_pages if any(t["dataset"] == dataset for t in r.tables)] or on_pages

    def missing(self, reason: str) -> str:
        if self.result is not None and self.result.pictures is None:
            return "pictures were not drawn in this run (--no-pictures)"
        return reason


def formula_like_pages(rows: Sequence[dict[str, Any]]) -> list[int]:
    """The pages of the rows with a text a spreadsheet would run, as `formula-like-text` finds them."""
    return sorted({int(row["page"]) for row in rows if row.get("page") and any(
        isinstance(value, str) and looks_like_formula(value) for name, value in row.items() if name != "document_id")})


@dataclass
class RepairGroup:
    rule: str
    title: str
    repairs: list[dict[str, Any]]


def repair_groups(
    result: DocumentResult, published: Counter[Hashable], regions: list[RegionView]
) -> list[RepairGroup]:
    """The document's repairs grouped by rule, in the order each rule first applied; each repair with its
    number (as in the pictures), the region it is outlined in and whether its row was published."""
    region_of: dict[int, RegionView] = {}
    for region in regions:
        for number in region.marks:
            region_of.setdefault(number, region)
    groups: dict[str, RepairGroup] = {}
    for number, repair in enumerate(result.repairs, start=1):
        key = tuple(str(v) for v in (result.document_id, repair.dataset, repair.field, repair.page, repair.raw,
                                     repair.repaired, repair.rule))
        is_published = published[key] > 0
        published[key] -= 1
        rule = REPAIR_RULES.get(repair.rule)
        group = groups.setdefault(repair.rule, RepairGroup(repair.rule, rule.title if rule else "", []))
        region = region_of.get(number)
        group.repairs.append({"number": number, "dataset": repair.dataset,
                              "field": repair.field, "page": repair.page, "raw": repair.raw,
                              "repaired": repair.repaired, "quarantined": not is_published,
                              "region": region.anchor if region and region.uri else ""})
    return list(groups.values())


# --- HTML -----------------------------------------------------------------------------

# Nothing may load from elsewhere, and nothing may run, even if some text slipped through unescaped.
CSP = "default-src 'none'; img-src data:; style-src 'unsafe-inline'"

LEGEND = (
    ("fail", "a check failed: rows may be missing or wrong; the run exits with status 1"),
    ("warn", "worth a look, output published: e.g. the answer disagrees with itself, or a name is not in the register"),
    ("pass", "the check found nothing wrong"),
)


def compile_templates() -> None:
    """Compile every template now (they are kept), not while the report is written."""
    templates = environment()
    for name in templates.list_templates():
        templates.get_template(name)


def html_chunks(view: dict[str, Any]) -> Iterator[str]:
    """The page in pieces, as Jinja2 renders it: a report of a thousand answers is never held whole."""
    return environment().get_template("report.html").generate(view)


LINE_BREAK_MARK = '<i class="nl"></i>\n'


def marked_lines(value: str) -> Markup:
    """Source text as printed, HTML-escaped, each line break marked, so that it is seen, not guessed."""
    from markupsafe import Markup, escape

    return Markup(LINE_BREAK_MARK).join(escape(line) for line in value.split("\n"))


@functools.cache
def environment():
    import jinja2

    templates = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        autoescape=True,  # every value is HTML-escaped; the one filter that returns markup escapes it first
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    templates.filters["marked_lines"] = marked_lines
    return templates
