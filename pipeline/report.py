"""The validation report: `validation_report.json` and a self-contained `validation_report.html`.

The report reads what validate and normalise produced; it recomputes nothing.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import html
from collections import Counter
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from pipeline import __version__
from pipeline.model import DocumentResult
from pipeline.publish import csv_value, write_json
from pipeline.validate import Validation
from schemas.datasets import DATASETS

STATUS_ORDER = {"fail": 0, "warn": 1, "pass": 2}


def report_data(validation: Validation, results: Sequence[DocumentResult], generated_at: dt.datetime) -> dict[str, Any]:
    documents = []
    for result in sorted(results, key=lambda r: r.document_id):
        statuses = Counter(c.status for c in validation.checks if c.document_id == result.document_id)
        documents.append(
            {
                "document_id": result.document_id,
                "file_name": result.document["file_name"],
                "status": result.document["status"],
                "error": result.document["error"] or "",
                "rows": {
                    d.name: int((validation.frames[d.name]["document_id"] == result.document_id).sum())
                    for d in DATASETS
                },
                "quarantined": {
                    d.name: int((validation.quarantine[d.name]["document_id"] == result.document_id).sum())
                    for d in DATASETS
                    if len(validation.quarantine[d.name])
                },
                "checks": {status: statuses.get(status, 0) for status in ("pass", "warn", "fail")},
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
    folder: Path, validation: Validation, results: Sequence[DocumentResult], sources: Mapping[str, Path]
) -> None:
    data = report_data(validation, results, dt.datetime.now(dt.timezone.utc))
    write_json(folder / "validation_report.json", data)
    (folder / "validation_report.html").write_text(render_html(data), encoding="utf-8")


# --- HTML -----------------------------------------------------------------------------

STYLE = """
body{font:14px/1.45 system-ui,-apple-system,Segoe UI,Roboto,sans-serif;margin:2rem auto;max-width:70rem;padding:0 1rem;color:#1b1b1b}
h1{font-size:1.5rem}h2{font-size:1.2rem;margin-top:2rem;border-bottom:1px solid #ddd}
table{border-collapse:collapse;width:100%;margin:.5rem 0}th,td{border:1px solid #ddd;padding:.3rem .5rem;text-align:left;vertical-align:top}
th{background:#f4f4f4}.fail{color:#a40000;font-weight:bold}.warn{color:#8a5a00;font-weight:bold}.pass{color:#1e6b1e}
pre{margin:0;white-space:pre-wrap;font:13px/1.3 ui-monospace,Menlo,Consolas,monospace}
"""


def _e(value: Any) -> str:
    return html.escape(str(value), quote=True)


def render_html(data: dict[str, Any]) -> str:
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        "<title>Validation report</title>",
        f"<style>{STYLE}</style></head><body>",
        "<h1>Validation report</h1>",
        f"<p>Overall: <span class=\"{_e(data['status'])}\">{_e(data['status'])}</span>. "
        f"Generated {_e(data['generated_at'])} by {_e(data['pipeline']['name'])} {_e(data['pipeline']['version'])}.</p>",
        "<h2>Documents</h2>",
        _documents_table(data["documents"]),
        "<h2>Failures and warnings</h2>",
        _checks_table([c for c in data["checks"] if c["status"] != "pass"]) or "<p>None.</p>",
        "<h2>Repairs</h2>",
        _repairs_table(data["repairs"]) or "<p>None.</p>",
        "<h2>All checks</h2>",
        _checks_table(data["checks"]) or "<p>None.</p>",
        "</body></html>",
    ]
    return "\n".join(parts) + "\n"


def _documents_table(documents: list[dict[str, Any]]) -> str:
    datasets = [d.name for d in DATASETS]
    head = "".join(f"<th>{_e(n)}</th>" for n in ["document", "status", *datasets, "fail", "warn"])
    rows = []
    for doc in documents:
        cells = [
            f"<td>{_e(doc['document_id'])}<br><small>{_e(doc['file_name'])}</small></td>",
            f"<td class=\"{_e(doc['status'])}\">{_e(doc['status'])}<br><small>{_e(doc['error'])}</small></td>",
            *(f"<td>{doc['rows'][n]}</td>" for n in datasets),
            f"<td>{doc['checks']['fail']}</td>",
            f"<td>{doc['checks']['warn']}</td>",
        ]
        rows.append("<tr>" + "".join(cells) + "</tr>")
    return f"<table><tr>{head}</tr>{''.join(rows)}</table>"


def _checks_table(checks: list[dict[str, Any]]) -> str:
    if not checks:
        return ""
    ordered = sorted(checks, key=lambda c: (STATUS_ORDER[c["status"]], c["document_id"]))
    rows = "".join(
        f"<tr><td class=\"{_e(c['status'])}\">{_e(c['status'])}</td><td>{_e(c['document_id'])}</td>"
        f"<td>{_e(c['dataset'])}</td><td>{_e(c['check'])}</td><td>{_e(c['expected'])}</td>"
        f"<td>{_e(c['observed'])}</td><td>{_e(c['message'])}</td></tr>"
        for c in ordered
    )
    head = "".join(f"<th>{h}</th>" for h in ("status", "document", "dataset", "check", "expected", "observed", "message"))
    return f"<table><tr>{head}</tr>{rows}</table>"


def _repairs_table(repairs: list[dict[str, Any]]) -> str:
    if not repairs:
        return ""
    rows = "".join(
        f"<tr><td>{_e(r['document_id'])}</td><td>{_e(r['page'])}</td><td>{_e(r['dataset'])}.{_e(r['field'])}</td>"
        f"<td><pre>{_e(r['raw'])}</pre></td><td><pre>{_e(r['repaired'])}</pre></td><td>{_e(r['rule'])}</td></tr>"
        for r in repairs
    )
    head = "".join(f"<th>{h}</th>" for h in ("document", "page", "field", "raw", "repaired", "rule"))
    return f"<table><tr>{head}</tr>{rows}</table>"
