"""The validation report: `validation_report.json` and a self-contained `validation_report.html`.

The JSON is the machine-readable record the contract promises (documents, checks,
and the repairs exactly as in repairs.csv). The HTML is for an auditor who has
neither a terminal nor reason to trust us: a summary first, then every failure
and warning with the sentence it rests on, then every repair with its raw and
repaired text next to a picture of the PDF around the value, so that each change
can be judged against the source itself; then all checks.

The HTML is one file that opens offline: no scripts, no external styles, fonts or
images (pictures are PNG data URIs), and a Content-Security-Policy that forbids
loading anything else. Every text that comes from a PDF is HTML-escaped.

The report reads what validate and normalise produced; it recomputes nothing. The
pictures are drawn per document where it is read (`pipeline.publish.pictures`) and come
with its result; the report only places them. A picture that cannot be made (no
position recorded, PDF unreadable) becomes a short note, never an exception: the
report must not cost the run its output.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import html
from collections import Counter, defaultdict, deque
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

from pipeline import __version__
from pipeline.catalogue import CHECKS, REPAIR_RULES
from pipeline.model import Declaration, DocumentResult, Picture, Place
from pipeline.publish.files import csv_value, write_json
from pipeline.publish.pictures import MAX_PICTURES_PER_DOCUMENT, document_pictures
from pipeline.validate import Validation
from schemas.spec import Dataset

STATUS_ORDER = {"fail": 0, "warn": 1, "pass": 2}


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
        "checks": [dataclasses.asdict(c) for c in validation.checks],
        "repairs": [
            {column: csv_value(value) if column != "page" else int(value) for column, value in row.items()}
            for row in repairs.to_dict(orient="records")
        ],
    }


def write_reports(
    folder: Path, validation: Validation, results: Sequence[DocumentResult], sources: Mapping[str, Path],
    datasets: Sequence[Dataset],
) -> None:
    data = report_data(validation, results, datasets, dt.datetime.now(dt.timezone.utc))
    write_json(folder / "validation_report.json", data)
    view = html_view(data, results, sources)
    with (folder / "validation_report.html").open("w", encoding="utf-8") as handle:
        handle.writelines(html_chunks(view))


# --- what the HTML shows ----------------------------------------------------------------


def html_view(
    data: dict[str, Any],
    results: Sequence[DocumentResult],
    sources: Mapping[str, Path],
    max_pictures: int = MAX_PICTURES_PER_DOCUMENT,
) -> dict[str, Any]:
    """The JSON report plus what only the HTML shows: titles, declared quotes, pictures.

    Repairs come from the results, which carry each value's box; the JSON's repairs
    are only the published rows, so a repair row missing from them was quarantined.
    Pictures come with the results (`run` draws them where each document is read);
    those of a result without them are drawn here from its PDF in `sources`.
    """
    checks = check_entries(data["checks"], results)
    repairs = repair_entries(data["repairs"], results)
    # Problems before repairs: when a document has more places than the cap, the
    # sentences behind its failures and warnings are pictured first.
    pictured = [c for c in checks if c["status"] != "pass"] + repairs
    drawn = {
        r.document_id: r.pictures if r.pictures is not None
        else document_pictures(sources.get(r.document_id), r, max_pictures)
        for r in results
    }
    wanted = [(e["document_id"], e["place"]) for e in pictured]
    for entry, picture in zip(pictured, place_pictures(wanted, drawn, max_pictures)):
        entry["picture"] = picture
    # Every document row counts the rows of every dataset, in publishing order.
    dataset_names = list(data["documents"][0]["rows"]) if data["documents"] else []
    return {**data, "checks": checks, "repairs": repairs, "max_pictures": max_pictures, "dataset_names": dataset_names}


def check_entries(checks: Sequence[dict[str, Any]], results: Sequence[DocumentResult]) -> list[dict[str, Any]]:
    """Each check with its title and, for a declared figure, the quote, page and place it rests on."""
    declarations = declarations_by_check(results)
    entries = []
    for check in checks:
        key = (check["document_id"], check["dataset"], check["check"], check["expected"])
        queue = declarations.get(key)
        # validate emits one check per declaration, in the declarations' order.
        declaration = queue.popleft() if queue else None
        entries.append(
            {
                **check,
                "check_title": CHECKS[check["check"]].title if check["check"] in CHECKS else "",
                "quote": declaration.quote if declaration else "",
                "quote_page": declaration.page if declaration else None,
                "place": (declaration.page, declaration.bbox) if declaration and declaration.bbox else None,
                "picture": None,
            }
        )
    return entries


def declarations_by_check(results: Sequence[DocumentResult]) -> dict[tuple[str, str, str, str], deque[Declaration]]:
    """Declarations keyed as their checks are: document, dataset, check slug and expected figure."""
    index: dict[tuple[str, str, str, str], deque[Declaration]] = defaultdict(deque)
    for result in results:
        for d in result.declarations:
            index[(result.document_id, d.dataset, d.check, str(d.expected))].append(d)
    return index


def repair_entries(published: Sequence[dict[str, Any]], results: Sequence[DocumentResult]) -> list[dict[str, Any]]:
    """Every repair in document order, with its rule's title, its place and whether it was published."""
    columns = ("document_id", "dataset", "field", "page", "raw", "repaired", "rule")
    published_rows = Counter(tuple(row[c] for c in columns) for row in published)
    entries = []
    for result in sorted(results, key=lambda r: r.document_id):
        for repair in result.repairs:
            row = {"document_id": result.document_id, "dataset": repair.dataset, "field": repair.field,
                   "page": repair.page, "raw": repair.raw, "repaired": repair.repaired, "rule": repair.rule}
            key = tuple(row[c] for c in columns)
            is_published = published_rows[key] > 0
            published_rows[key] -= 1
            rule = REPAIR_RULES.get(repair.rule)
            entries.append(
                {
                    **row,
                    "rule_title": rule.title if rule else "",
                    "quarantined": not is_published,
                    "place": (repair.page, repair.bbox) if repair.bbox else None,
                    "picture": None,
                }
            )
    return entries


# --- placing the pictures ----------------------------------------------------------------

# Only for a place outside `pipeline.publish.pictures.report_places`, which lists every place shown.
NOT_DRAWN = Picture(note="no picture was drawn for this place when the document was read")


def place_pictures(
    wanted: Sequence[tuple[str, Place | None]],
    drawn: Mapping[str, Mapping[Place, Picture]],
    max_pictures: int,
) -> list[Picture]:
    """One picture (or note) per (document_id, place), in order: each document's first `max_pictures`
    places with a box get their picture from `drawn`, the others a note saying why they have none."""
    boxed_so_far: Counter[str] = Counter()
    pictures = []
    for document_id, place in wanted:
        if place is None:
            pictures.append(Picture(note="no position on the page was recorded for this value"))
            continue
        boxed_so_far[document_id] += 1
        if boxed_so_far[document_id] > max_pictures:
            pictures.append(Picture(note=f"left out, at most {max_pictures} pictures are drawn per document"))
        else:
            pictures.append(drawn.get(document_id, {}).get(place, NOT_DRAWN))
    return pictures


# --- HTML -----------------------------------------------------------------------------

# Nothing may load from elsewhere, and nothing may run, even if some text slipped through unescaped.
CSP = "default-src 'none'; img-src data:; style-src 'unsafe-inline'"

STYLE = """
body{font:14px/1.45 system-ui,-apple-system,Segoe UI,Roboto,sans-serif;margin:2rem auto;max-width:72rem;padding:0 1rem;color:#1b1b1b}
h1{font-size:1.5rem}h2{font-size:1.2rem;margin-top:2.5rem;border-bottom:1px solid #ddd}h3{font-size:1.05rem;margin-top:1.5rem}
table{border-collapse:collapse;width:100%;margin:.5rem 0}th,td{border:1px solid #ddd;padding:.3rem .5rem;text-align:left;vertical-align:top}
th{background:#f4f4f4}td.n{text-align:right;font-variant-numeric:tabular-nums}
.fail{color:#a40000;font-weight:bold}.warn{color:#8a5a00;font-weight:bold}.pass,.ok{color:#1e6b1e}.error{color:#a40000;font-weight:bold}
pre{margin:0;white-space:pre-wrap;font:13px/1.35 ui-monospace,Menlo,Consolas,monospace;background:#f7f7f7;padding:.3rem .4rem}
.nl::before{content:"\\21B5";color:#999}
article{border:1px solid #ddd;border-left:4px solid #bbb;padding:.5rem .8rem;margin:.8rem 0}
article[data-status=fail]{border-left-color:#a40000}article[data-status=warn]{border-left-color:#c08000}
article.quarantined{background:#fff4f4}
dl{display:grid;grid-template-columns:max-content 1fr;gap:.2rem .8rem;margin:.3rem 0}dt{color:#555}dd{margin:0}
blockquote{margin:.3rem 0;padding:.2rem .6rem;border-left:3px solid #ccc;color:#333}
figure{margin:.4rem 0}img{max-width:100%;height:auto;border:1px solid #ccc}figcaption,.note{color:#666;font-size:12px}
code{font:13px ui-monospace,Menlo,Consolas,monospace}
"""

LEGEND = (
    ("fail", "a check failed: rows may be missing or wrong; the run exits with status 1"),
    ("warn", "worth a look, output published: e.g. the answer disagrees with itself, or a name is not in the register"),
    ("pass", "the check found nothing wrong"),
)


def _e(value: Any) -> str:
    return html.escape(str(value), quote=True)


def html_chunks(view: dict[str, Any]) -> Iterator[str]:
    """The page in pieces, a repair at a time, so that it is never held whole: the report of a hundred
    answers carries some 20 MB of pictures, which as one string, and once more encoded for writing,
    would add three times that to the run's peak memory."""
    checks = view["checks"]
    problems = sorted((c for c in checks if c["status"] != "pass"),
                      key=lambda c: (STATUS_ORDER[c["status"]], c["document_id"]))
    head = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        f'<meta http-equiv="Content-Security-Policy" content="{_e(CSP)}">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        "<title>Validation report</title>",
        f"<style>{STYLE}</style></head><body>",
        "<h1>Validation report</h1>",
        _overview(view, problems),
        '<nav><a href="#summary">Summary</a> · <a href="#problems">Failures and warnings</a> · '
        '<a href="#repairs">Repairs</a> · <a href="#checks">All checks</a></nav>',
        '<section id="summary"><h2>Summary</h2>',
        _documents_table(view["documents"], view["dataset_names"]),
        "</section>",
        f'<section id="problems"><h2>Failures and warnings ({len(problems)})</h2>',
    ]
    yield "\n".join(head) + "\n"
    if problems:
        yield from (_problem(c) for c in problems)
    else:
        yield "<p>None: every check passed.</p>"
    yield f'\n</section>\n<section id="repairs"><h2>Repairs ({len(view["repairs"])})</h2>\n'
    yield from _repairs(view["repairs"], view["max_pictures"])
    tail = [
        "",
        "</section>",
        f'<section id="checks"><h2>All checks ({len(checks)})</h2>',
        _checks_table(checks) or "<p>None.</p>",
        "</section>",
        "</body></html>",
    ]
    yield "\n".join(tail) + "\n"


def _status(status: str) -> str:
    return f'<span class="{_e(status)}">{_e(status)}</span>'


def _overview(view: dict[str, Any], problems: list[dict[str, Any]]) -> str:
    counts = Counter(c["status"] for c in problems)
    documents = view["documents"]
    unread = sum(d["status"] != "ok" for d in documents)
    legend = "".join(f"<dt>{_status(s)}</dt><dd>{_e(meaning)}</dd>" for s, meaning in LEGEND)
    return (
        f"<p><strong>Overall: {_status(view['status'])}</strong> — {len(documents)} document(s), "
        f"{unread} not read; {counts['fail']} check(s) failed, {counts['warn']} warned; "
        f"{len(view['repairs'])} repair(s).</p>"
        f"<p class=\"note\">Generated {_e(view['generated_at'])} by {_e(view['pipeline']['name'])} "
        f"{_e(view['pipeline']['version'])}. The same data is in validation_report.json; "
        f"the repairs are the rows of repairs.csv.</p>"
        f"<dl>{legend}</dl>"
    )


def _documents_table(documents: list[dict[str, Any]], datasets: list[str]) -> str:
    head = "".join(f"<th>{_e(n)}</th>" for n in ["document", "status", *datasets, "quarantined", "failed", "warned"])
    rows = []
    for doc in documents:
        quarantined = ", ".join(f"{_e(name)}: {n}" for name, n in doc["quarantined"].items() if n) or "0"
        error = f"<br><small>{_e(doc['error'])}</small>" if doc["error"] else ""
        cells = [
            f"<td id=\"doc-{_e(doc['document_id'])}\">{_e(doc['document_id'])}"
            f"<br><small>{_e(doc['file_name'])}</small></td>",
            f"<td>{_status(doc['status'])}{error}</td>",
            *(f'<td class="n">{int(doc["rows"][n])}</td>' for n in datasets),
            f"<td>{quarantined}</td>",
            f'<td class="n">{int(doc["checks"]["fail"])}</td>',
            f'<td class="n">{int(doc["checks"]["warn"])}</td>',
        ]
        rows.append(f'<tr data-status="{_e(doc["status"])}">' + "".join(cells) + "</tr>")
    return f"<table><tr>{head}</tr>{''.join(rows)}</table>"


def _text(value: str) -> str:
    """Source text in a <pre>, each line break marked so that it is seen, not guessed."""
    return "<pre>" + '<span class="nl"></span>\n'.join(_e(line) for line in value.split("\n")) + "</pre>"


def _picture(picture: Picture | None, alt: str) -> str:
    if picture is None:
        return ""
    if not picture.uri:
        return f'<p class="note">No picture: {_e(picture.note)}.</p>'
    return (f'<figure><img src="{_e(picture.uri)}" width="{int(picture.width)}" height="{int(picture.height)}" '
            f'alt="{_e(alt)}"><figcaption>{_e(alt)}</figcaption></figure>')


def _problem(check: dict[str, Any]) -> str:
    title = f" — {_e(check['check_title'])}" if check["check_title"] else ""
    quote = ""
    if check["quote"]:
        alt = f"page {check['quote_page']} of the source, the declaring text outlined"
        quote = (f"<dt>declared</dt><dd>page {_e(check['quote_page'])}:"
                 f"<blockquote>{_text(check['quote'])}</blockquote>{_picture(check['picture'], alt)}</dd>")
    return (
        f'<article data-status="{_e(check["status"])}" data-check="{_e(check["check"])}" '
        f'data-document="{_e(check["document_id"])}" data-dataset="{_e(check["dataset"])}">'
        f"<p>{_status(check['status'])} <code>{_e(check['check'])}</code>{title} · "
        f"<a href=\"#doc-{_e(check['document_id'])}\">{_e(check['document_id'])}</a> · {_e(check['dataset'])}</p>"
        f"<dl><dt>message</dt><dd>{_e(check['message'])}</dd>"
        f"<dt>expected</dt><dd>{_e(check['expected'])}</dd><dt>observed</dt><dd>{_e(check['observed'])}</dd>"
        f"{quote}</dl></article>"
    )


def _repairs(repairs: list[dict[str, Any]], max_pictures: int) -> Iterator[str]:
    if not repairs:
        yield "<p>None.</p>"
        return
    yield (f'<p class="note">Each repair shows the text as printed (↵ marks a line break in the PDF), the value '
           f"published, its rule, and a picture of the page around it with the printed text outlined in red "
           f"(at most {int(max_pictures)} pictures per document).</p>")
    document_id = None
    for number, repair in enumerate(repairs, start=1):
        if repair["document_id"] != document_id:
            document_id = repair["document_id"]
            yield f"<h3><a href=\"#doc-{_e(document_id)}\">{_e(document_id)}</a></h3>"
        yield _repair(number, repair)


def _repair(number: int, repair: dict[str, Any]) -> str:
    rule_title = _e(repair["rule_title"]) if repair["rule_title"] else "<em>rule not in the catalogue</em>"
    quarantined = (' <span class="fail">quarantined</span> (this repairs row failed its schema; '
                   "see quarantine/repairs.csv)") if repair["quarantined"] else ""
    alt = f"page {repair['page']} of the source, the printed text outlined"
    return (
        f'<article id="repair-{number}" class="repair{" quarantined" if repair["quarantined"] else ""}" '
        f'data-rule="{_e(repair["rule"])}" data-document="{_e(repair["document_id"])}" '
        f'data-dataset="{_e(repair["dataset"])}" data-page="{_e(repair["page"])}">'
        f"<p><a href=\"#repair-{number}\">#{number}</a> <code>{_e(repair['rule'])}</code> — {rule_title} · "
        f"<code>{_e(repair['dataset'])}.{_e(repair['field'])}</code> · page {_e(repair['page'])}{quarantined}</p>"
        f"<dl><dt>raw</dt><dd>{_text(repair['raw'])}</dd><dt>repaired</dt><dd>{_text(repair['repaired'])}</dd></dl>"
        f"{_picture(repair['picture'], alt)}</article>"
    )


def _checks_table(checks: list[dict[str, Any]]) -> str:
    if not checks:
        return ""
    ordered = sorted(checks, key=lambda c: (STATUS_ORDER[c["status"]], c["document_id"]))
    rows = "".join(
        f"<tr data-status=\"{_e(c['status'])}\" data-check=\"{_e(c['check'])}\"><td>{_status(c['status'])}</td>"
        f"<td>{_e(c['document_id'])}</td><td>{_e(c['dataset'])}</td><td><code>{_e(c['check'])}</code></td>"
        f"<td>{_e(c['expected'])}</td><td>{_e(c['observed'])}</td><td>{_e(c['message'])}</td></tr>"
        for c in ordered
    )
    head = "".join(f"<th>{h}</th>" for h in ("status", "document", "dataset", "check", "expected", "observed", "message"))
    return f"<table><tr>{head}</tr>{rows}</table>"
