"""The validation report an auditor reads: self-contained, summary first, every repair with its picture.

The seed tests read the report of a real run on raw/; the unit tests build a
report by hand (no PDF processing) to show that hostile cell text is escaped and
that a picture that cannot be made becomes a note, never an exception.
"""

from __future__ import annotations

import base64
import io
import json
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

import pytest
from conftest import SEED_ID, SEED_PDF, read_csv
from PIL import Image

from pipeline.catalogue import REPAIR_RULES
from pipeline.model import DocumentResult, Repair
from pipeline.profiles import profile_named
from pipeline.publish.report import html_chunks, html_view

VOID_ELEMENTS = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


@dataclass
class Node:
    tag: str
    attrs: dict[str, str | None]
    children: list[Node | str] = field(default_factory=list)

    def text(self) -> str:
        return "".join(c if isinstance(c, str) else c.text() for c in self.children)

    def iter(self, tag: str | None = None):
        for child in self.children:
            if isinstance(child, Node):
                if tag is None or child.tag == tag:
                    yield child
                yield from child.iter(tag)


class TreeBuilder(HTMLParser):
    """Just enough of a DOM for assertions, from the standard library's parser."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Node("#document", {})
        self.stack = [self.root]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        node = Node(tag, dict(attrs))
        self.stack[-1].children.append(node)
        if tag not in VOID_ELEMENTS:
            self.stack.append(node)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.stack[-1].children.append(Node(tag, dict(attrs)))

    def handle_endtag(self, tag: str) -> None:
        for depth in range(len(self.stack) - 1, 0, -1):
            if self.stack[depth].tag == tag:
                del self.stack[depth:]
                return

    def handle_data(self, data: str) -> None:
        self.stack[-1].children.append(data)


def parse(markup: str) -> Node:
    builder = TreeBuilder()
    builder.feed(markup)
    builder.close()
    return builder.root


@pytest.fixture(scope="module")
def report(seed_output: Path) -> Node:
    return parse((seed_output / "validation_report.html").read_text(encoding="utf-8"))


def section(report: Node, section_id: str) -> Node:
    return next(s for s in report.iter("section") if s.attrs.get("id") == section_id)


def articles(node: Node, **attrs: str) -> list[Node]:
    wanted = {f"data-{k.replace('_', '-')}": v for k, v in attrs.items()}
    return [a for a in node.iter("article") if all(a.attrs.get(k) == v for k, v in wanted.items())]


def field_text(article: Node, term: str) -> str:
    """Text of the <dd> that follows the <dt> named `term` in the article's first list."""
    terms = list(next(article.iter("dl")).children)
    for i, child in enumerate(terms):
        if isinstance(child, Node) and child.tag == "dt" and child.text() == term:
            return next(c for c in terms[i + 1:] if isinstance(c, Node) and c.tag == "dd").text()
    raise AssertionError(f"no {term!r} in the article")


def decoded_png(img: Node) -> bytes:
    prefix = "data:image/png;base64,"
    src = img.attrs["src"] or ""
    assert src.startswith(prefix)
    return base64.b64decode(src[len(prefix):], validate=True)


# --- the report of the seed answer -------------------------------------------------------


def test_html_report_loads_nothing_from_elsewhere_and_runs_nothing(report):
    elements = list(report.iter())
    assert not [e.tag for e in elements if e.tag in {"script", "link", "iframe", "object", "embed", "base", "frame"}]
    for element in elements:
        for name, value in element.attrs.items():
            assert not name.startswith("on"), f"event handler {name} on <{element.tag}>"
            if name in {"src", "href", "srcset", "action", "poster", "data"}:
                assert (value or "").startswith(("data:", "#")), f"<{element.tag} {name}={value!r}> points outside"
    styles = " ".join(s.text() for s in report.iter("style")).lower()
    assert "@import" not in styles and "url(" not in styles
    policies = [m.attrs["content"] for m in report.iter("meta")
                if m.attrs.get("http-equiv") == "Content-Security-Policy"]
    assert policies and "default-src 'none'" in policies[0]


def test_summary_comes_first_then_problems_repairs_and_all_checks(report):
    assert [s.attrs.get("id") for s in report.iter("section")] == ["summary", "problems", "repairs", "checks"]
    summary = section(report, "summary").text()
    assert SEED_ID in summary and "ok" in summary


def test_thousands_typo_repair_has_its_rule_and_a_picture_of_page_5(report):
    [repair] = articles(section(report, "repairs"), rule="amount-thousands-typo", page="5")
    assert field_text(repair, "raw") == "525.00 euro"
    assert field_text(repair, "repaired") == "525000"
    assert REPAIR_RULES["amount-thousands-typo"].title in repair.text()
    assert "subsidies.amount_eur" in repair.text()
    [img] = list(repair.iter("img"))
    png = decoded_png(img)
    assert png.startswith(PNG_SIGNATURE)
    picture = Image.open(io.BytesIO(png))
    picture.load()
    assert picture.format == "PNG" and picture.size == (int(img.attrs["width"]), int(img.attrs["height"]))
    # The value's box is outlined in red, so the auditor sees which text was changed.
    colours = [colour for _, colour in picture.convert("RGB").getcolors(1 << 16)]
    assert any(r > 180 and g < 60 and b < 60 for r, g, b in colours)


def test_hyphen_wrap_repair_shows_both_printed_lines(report):
    wraps = articles(section(report, "repairs"), rule="cell-wrap-hyphen")
    [repair] = [a for a in wraps if "Langemark" in a.text()]
    assert field_text(repair, "raw").split("\n") == ["Langemark-", "Poelkapelle"]
    assert field_text(repair, "repaired") == "Langemark-Poelkapelle"
    assert list(repair.iter("img")), "the repair has no picture of its source"


def test_json_repairs_are_the_rows_of_repairs_csv_and_each_is_in_the_html(seed_output, report):
    data = json.loads((seed_output / "validation_report.json").read_text(encoding="utf-8"))
    rows = read_csv(seed_output / "repairs.csv")
    assert [{k: str(v) for k, v in r.items()} for r in data["repairs"]] == rows
    assert rows
    shown = articles(section(report, "repairs"))
    assert [(a.attrs["data-rule"], a.attrs["data-page"]) for a in shown] == [(r["rule"], r["page"]) for r in rows]


def test_declared_list_count_warning_is_listed_with_its_quote(report):
    [warning] = articles(section(report, "problems"), check="declared-list-count", status="warn")
    assert field_text(warning, "expected") == "19"
    assert field_text(warning, "observed") == "18"
    declared = field_text(warning, "declared")
    assert declared.startswith("page 2:")
    assert "In 2016 besloten 19 OCMW" in declared and "en Zottegem." in declared
    [img] = list(warning.iter("img"))
    assert decoded_png(img).startswith(PNG_SIGNATURE)


# --- hand-made reports: no PDF processing --------------------------------------------------

HOSTILE = '<script>alert(1)</script>\n"><img src=x onerror=alert(1)>'
AMOUNT_BOX = (87.59, 346.5, 143.69, 356.5)  # `525.00 euro` on page 5 of the seed answer


def hand_made(repairs: list[Repair], document_id: str = "doc", sha256: str = "") -> tuple[dict, list[DocumentResult]]:
    """A report's data and results as report_data would give them, for one document."""
    result = DocumentResult(document_id, {"file_name": f"{document_id}.pdf", "sha256": sha256, "status": "ok",
                                          "error": ""}, repairs=repairs)
    rows = [{"document_id": document_id, "dataset": r.dataset, "field": r.field, "page": r.page, "raw": r.raw,
             "repaired": r.repaired, "rule": r.rule} for r in repairs]
    data = {
        "pipeline": {"name": "flemish-answers", "version": "test"},
        "generated_at": "2024-01-01T00:00:00+00:00",
        "status": "pass",
        "documents": [{"document_id": document_id, "file_name": HOSTILE, "status": "ok", "error": HOSTILE,
                       "rows": {d.name: 0 for d in profile_named().published} | {"repairs": len(rows)},
                       "quarantined": {}, "checks": {"pass": 0, "warn": 1, "fail": 0}}],
        "checks": [{"document_id": document_id, "dataset": "cells", "check": "formula-like-text", "status": "warn",
                    "expected": HOSTILE, "observed": HOSTILE, "message": HOSTILE}],
        "repairs": rows,
    }
    return data, [result]


def test_text_from_the_pdf_is_escaped_not_run(tmp_path):
    repair = Repair("trainings", "organiser", 1, HOSTILE, HOSTILE.replace("\n", " "), "cell-wrap-space",
                    (10.0, 10.0, 50.0, 30.0))
    data, results = hand_made([repair])
    markup = render(html_view(data, results, {"doc": tmp_path / "missing.pdf"}))
    assert "<script>" not in markup and "<img src=x" not in markup
    tree = parse(markup)
    assert not list(tree.iter("script"))
    assert not [e for e in tree.iter() if any(name.startswith("on") for name in e.attrs)]
    assert not [img for img in tree.iter("img") if not (img.attrs.get("src") or "").startswith("data:")]
    [shown] = articles(section(tree, "repairs"), rule="cell-wrap-space")
    # Shown literally, line break included, so the auditor sees exactly what the PDF holds.
    assert field_text(shown, "raw") == HOSTILE
    assert field_text(shown, "repaired") == HOSTILE.replace("\n", " ")
    assert HOSTILE in section(tree, "summary").text()
    [warning] = articles(section(tree, "problems"), check="formula-like-text")
    assert field_text(warning, "message") == HOSTILE


def test_pictures_are_capped_per_document_and_a_value_without_a_box_gets_a_note():
    repairs = [
        Repair("subsidies", "amount_eur", 5, "525.00 euro", "525000", "amount-thousands-typo", AMOUNT_BOX),
        Repair("cells", "text", 2, "a\nb", "a b", "cell-wrap-space", None),
        Repair("subsidies", "amount_eur", 5, "1.00 euro", "1000", "amount-thousands-typo", (87.0, 400.0, 140.0, 410.0)),
    ]
    data, results = hand_made(repairs)
    pictures = [r["picture"] for r in html_view(data, results, {"doc": SEED_PDF}, max_pictures=1)["repairs"]]
    assert pictures[0].uri.startswith("data:image/png;base64,") and not pictures[0].note
    assert "no position" in pictures[1].note and not pictures[1].uri
    assert "at most 1 pictures" in pictures[2].note and not pictures[2].uri


@pytest.mark.parametrize(
    ("problem", "note"),
    [
        ("not a PDF", "the source PDF could not be rendered"),
        ("file gone", "the source PDF cannot be read (FileNotFoundError"),
        ("file changed since it was read", "the source PDF has changed since it was read"),
        ("page not in the PDF", "page 99 is not in the PDF"),
        ("source not known", "the source PDF is not known"),
    ],
)
def test_a_picture_that_cannot_be_made_is_a_note_not_an_error(tmp_path, problem, note):
    not_a_pdf = tmp_path / "doc.pdf"
    not_a_pdf.write_bytes(b"this is not a PDF")
    sources = {"not a PDF": {"doc": not_a_pdf}, "file gone": {"doc": tmp_path / "gone.pdf"},
               "file changed since it was read": {"doc": SEED_PDF}, "page not in the PDF": {"doc": SEED_PDF},
               "source not known": {}}[problem]
    page = 99 if problem == "page not in the PDF" else 5
    sha256 = "0" * 64 if problem == "file changed since it was read" else ""
    data, results = hand_made([Repair("subsidies", "amount_eur", page, "525.00 euro", "525000",
                                      "amount-thousands-typo", AMOUNT_BOX)], sha256=sha256)
    view = html_view(data, results, sources)
    [entry] = view["repairs"]
    assert entry["picture"].note.startswith(note) and not entry["picture"].uri
    assert f"No picture: {entry['picture'].note}." in parse(render(view)).text()


def render(view: dict) -> str:
    return "".join(html_chunks(view))
