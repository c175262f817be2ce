"""The validation report an auditor reads: self-contained, problem documents first, every repair with its picture.

The seed tests read the report of a real run on raw/; the archive test runs 30 answers of mixed
layout and holds the report to its size and completeness; the unit tests build a report by hand
(no PDF processing) to show that hostile text is escaped and that a picture that cannot be made
becomes a note, never an exception. Pictures are checked pixel by pixel where it matters: the
outline of a quoted sentence on every one of its lines, and the bound on a page's pixels.
"""

from __future__ import annotations

import base64
import io
import json
import shutil
import subprocess
import tempfile
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

import pytest
from conftest import FIXTURES, RAW, ROOT, SEED_ID, SEED_PDF, read_csv, run_pipeline
from PIL import Image

from pipeline.catalogue import REPAIR_RULES
from pipeline.model import Declaration, DocumentResult, Repair, TablePlace
from pipeline.process import process
from pipeline.profiles import profile_named
from pipeline.publish import pictures
from pipeline.publish.report import html_chunks, html_view, marked_lines
from pipeline.settings import Settings

VOID_ELEMENTS = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


@dataclass
class Node:
    tag: str
    attrs: dict[str, str | None]
    children: list[Node | str] = field(default_factory=list)

    def text(self) -> str:
        return "".join(c if isinstance(c, str) else c.text() for c in self.children)

    def iter(self, tag: str | None = None) -> Iterator[Node]:
        for child in self.children:
            if isinstance(child, Node):
                if tag is None or child.tag == tag:
                    yield child
                yield from child.iter(tag)

    def find(self, tag: str, **attrs: str) -> list[Node]:
        """Descendants `tag` whose data-* attributes have the given values (`data_rule="x"` is data-rule)."""
        wanted = {k.replace("_", "-"): v for k, v in attrs.items()}
        return [n for n in self.iter(tag) if all(n.attrs.get(k) == v for k, v in wanted.items())]

    def by_id(self, element_id: str) -> Node:
        [node] = [n for n in self.iter() if n.attrs.get("id") == element_id]
        return node


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


def document(report: Node, document_id: str) -> Node:
    [node] = report.find("details", data_document=document_id)
    return node


def field_text(article: Node, term: str) -> str:
    """Text of the <dd> that follows the <dt> named `term` in the article's first list."""
    terms = list(next(article.iter("dl")).children)
    for i, child in enumerate(terms):
        if isinstance(child, Node) and child.tag == "dt" and child.text() == term:
            return next(c for c in terms[i + 1:] if isinstance(c, Node) and c.tag == "dd").text()
    raise AssertionError(f"no {term!r} in the article")


def terms(article: Node) -> list[str]:
    return [dt.text() for dt in next(article.iter("dl")).iter("dt")]


def repair_rows(node: Node, rule: str | None = None) -> list[list[str]]:
    """Each repair row's cells' text (#, page, value, printed, published): of `node` if it is a rule's group,
    else of the groups in it (of one rule, if given)."""
    if rule:
        groups = node.find("details", data_rule=rule)
    elif "data-rule" in node.attrs:
        groups = [node]
    else:
        groups = [d for d in node.iter("details") if "data-rule" in d.attrs]
    return [[td.text() for td in tr.iter("td")] for group in groups for tr in group.iter("tr") if tr.attrs.get("data-page")]


def decoded(img: Node) -> Image.Image:
    prefix = "data:image/png;base64,"
    src = img.attrs["src"] or ""
    assert src.startswith(prefix)
    png = base64.b64decode(src[len(prefix):], validate=True)
    assert png.startswith(PNG_SIGNATURE)
    picture = Image.open(io.BytesIO(png))
    picture.load()
    assert picture.format == "PNG" and picture.size == (int(img.attrs["width"]), int(img.attrs["height"]))
    return picture.convert("RGB")


def is_red(colour: tuple[int, int, int]) -> bool:
    r, g, b = colour
    return r > 180 and g < 60 and b < 60


def has_red(picture: Image.Image) -> bool:
    return any(is_red(colour) for _, colour in picture.getcolors(1 << 16))


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


def test_every_link_in_the_report_leads_to_something_in_it(report):
    ids = {n.attrs["id"] for n in report.iter() if n.attrs.get("id")}
    targets = {(a.attrs.get("href") or "")[1:] for a in report.iter("a")}
    assert targets and targets <= ids


def test_summary_comes_first_with_one_line_per_document(report):
    # The default publishing.toml holds placeholders: the run's own checks come between.
    assert [s.attrs.get("id") for s in report.iter("section")] == ["summary", "run", "documents"]
    [run] = [s for s in report.iter("section") if s.attrs.get("id") == "run"]
    assert {a.attrs.get("data-check") for a in run.iter("article")} == {"publishing-placeholder"}
    # A check of no dataset names none: its heading has no empty place for it.
    assert not [a for a in run.iter("article") if "· ·" in " ".join(next(a.iter("p")).text().split())]
    [line] = [tr for tr in section(report, "summary").iter("tr") if tr.attrs.get("data-status")]
    cells = [td.text() for td in line.iter("td")]
    assert cells[0] == SEED_ID and cells[1] == "warn"
    assert "89 agreements" in cells[2] and "43 trainings" in cells[2] and "40 repairs" in cells[2]


def test_repairs_are_grouped_by_rule_with_counts_and_collapsed(seed_output, report):
    rows = read_csv(seed_output / "repairs.csv")
    per_rule = Counter(r["rule"] for r in rows)
    groups = [d for d in document(report, SEED_ID).iter("details") if "data-rule" in d.attrs]
    assert {g.attrs["data-rule"]: len(repair_rows(g)) for g in groups} == per_rule
    for group in groups:
        assert "open" not in group.attrs
        summary = next(group.iter("summary")).text()
        assert REPAIR_RULES[group.attrs["data-rule"]].title in summary
        assert f"({per_rule[group.attrs['data-rule']]})" in summary


def test_thousands_typo_repair_links_to_the_picture_of_page_5_where_it_is_outlined(report):
    seed = document(report, SEED_ID)
    [row] = repair_rows(seed, "amount-thousands-typo")
    number, page, value, printed, published = row
    assert (page, value, printed, published) == ("5", "subsidies.amount_eur", "525.00 euro", "525000")
    [link] = [tr for g in seed.find("details", data_rule="amount-thousands-typo") for tr in g.iter("a")]
    region = report.by_id(link.attrs["href"][1:])
    assert region.attrs["data-page"] == "5"
    [img] = list(region.iter("img"))
    assert has_red(decoded(img))
    # The caption names the repairs outlined in the picture, this one among them.
    assert number in next(region.iter("figcaption")).text()


def test_hyphen_wrap_repair_shows_both_printed_lines(report):
    rows = repair_rows(document(report, SEED_ID), "cell-wrap-hyphen")
    [row] = [r for r in rows if "Langemark" in r[3]]
    assert row[3].split("\n") == ["Langemark-", "Poelkapelle"]
    assert row[4] == "Langemark-Poelkapelle"


def test_json_repairs_are_the_rows_of_repairs_csv(seed_output):
    data = json.loads((seed_output / "validation_report.json").read_text(encoding="utf-8"))
    rows = read_csv(seed_output / "repairs.csv")
    assert [{k: str(v) for k, v in r.items()} for r in data["repairs"]] == rows
    assert rows


def test_each_table_is_pictured_beside_the_rows_read_from_it(seed_output, report):
    seed = document(report, SEED_ID)
    shown = {(div.attrs["data-dataset"], div.attrs["data-table"], page): div for div in seed.iter("div")
             if "data-table" in div.attrs for page in [div.attrs["data-page"]]}
    trainings = read_csv(seed_output / "trainings.csv")
    agreements = read_csv(seed_output / "agreements.csv")
    # Every row of the tables is beside the picture of the page it was read from, as published.
    shown_trainings = [tr for (dataset, _, _), div in shown.items() if dataset == "trainings"
                       for tr in div.iter("tr") if list(tr.iter("td"))]
    assert len(shown_trainings) == len(trainings) == 43
    shown_names = [next(tr.iter("td")).text() for (dataset, _, _), div in shown.items() if dataset == "agreements"
                   for tr in div.iter("tr") if list(tr.iter("td"))]
    assert shown_names == [row["municipality"] for row in agreements]
    assert {page for _, _, page in shown} == {"2", "3", "4", "5"}
    for (_, table_id, page), div in shown.items():
        region = next(r for r in seed.iter("div") if r.attrs.get("class") == "region"
                      and any(inner is div for inner in r.iter("div")))
        assert region.attrs["data-page"] == page and f"table {table_id}" in next(region.iter("figcaption")).text()


def test_declared_list_count_warning_is_listed_with_its_quote_page_and_picture(report):
    [warning] = document(report, SEED_ID).find("article", data_check="declared-list-count", data_status="warn")
    assert field_text(warning, "expected") == "19"
    assert field_text(warning, "observed") == "18"
    assert warning.attrs["data-pages"] == "2"
    declared = field_text(warning, "declared")
    assert declared.startswith("1. In 2016 besloten 19 OCMW") and declared.endswith("en Zottegem.")
    [img] = list(warning.iter("img"))
    assert has_red(decoded(img))


def test_a_quoted_sentence_is_outlined_on_every_line_it_runs_over():
    result = process(SEED_PDF, Settings())
    [declaration] = [d for d in result.declarations if d.dataset == "per_dossier"]
    lines = declaration.boxes
    assert [page for page, _ in lines] == [2, 2, 2, 2]  # "In 2016 besloten 19 OCMW's ... en Zottegem." is 4 lines
    number = pictures.document_marks(result)[len(result.repairs) + result.declarations.index(declaration)].number
    [region] = [r for r in pictures.document_pictures(SEED_PDF, result) if number in r.marks]
    picture = Image.open(io.BytesIO(region.picture.png)).convert("RGB")
    scale = picture.width / (region.bbox[2] - region.bbox[0])
    left, upper = region.bbox[0] * scale, region.bbox[1] * scale
    for _, (x0, top, x1, bottom) in lines:
        # Each line's outline: red down its left and right edges (to a pixel), all along the line's height.
        rows = range(round(top * scale - upper) + 2, round(bottom * scale - upper) - 1)
        for x in (x0 - pictures.OUTLINE_PADDING, x1 + pictures.OUTLINE_PADDING):
            column = round(x * scale - left)
            assert all(any(is_red(picture.getpixel((c, y))) for c in (column - 1, column, column + 1)) for y in rows), \
                f"line at {top:.0f} pt not outlined at {x:.0f} pt"
    # One box per line, not one around all: the last, short line's box ends where its text does.
    last_right = round((lines[-1][1][2] + pictures.OUTLINE_PADDING) * scale - left)
    middle = round((lines[-1][1][1] + lines[-1][1][3]) / 2 * scale - upper)
    assert not any(is_red(picture.getpixel((x, middle))) for x in range(last_right + 3, picture.width))


def test_one_picture_per_region_holds_all_its_repairs_numbered():
    result = process(SEED_PDF, Settings())
    regions = pictures.document_pictures(SEED_PDF, result)
    outlined = [n for r in regions for n in r.marks]
    boxed = [m.number for m in pictures.document_marks(result) if m.boxes]
    assert sorted(set(outlined)) == boxed  # every mark with a position is in a picture
    assert len(regions) < len(result.repairs) / 3  # 40 repairs share a handful of pictures
    # The trainings table on page 4 is one picture with all its repairs in it.
    [page_4] = [r for r in regions if r.page == 4]
    repairs_on_4 = [i + 1 for i, r in enumerate(result.repairs) if r.page == 4 and r.bbox]
    assert set(repairs_on_4) <= set(page_4.marks) and len(repairs_on_4) > 20


# --- at the scale of an archive ------------------------------------------------------------

ARCHIVE_SIZE = 30
MAX_REPORT_BYTES_PER_DOCUMENT = 60 * 1024


def mixed_corpus(folder: Path, count: int) -> Path:
    """`count` answers of mixed layout, each a distinct file: raw/ and the layout fixtures copied
    round-robin, each copy made distinct by a comment after %%EOF (which readers ignore)."""
    sources = [*sorted(RAW.glob("*.pdf")), *sorted((FIXTURES / "answers").glob("*.pdf"))]
    folder.mkdir(parents=True)
    for number in range(count):
        source = sources[number % len(sources)]
        data = source.read_bytes()
        (folder / f"{source.stem}-{number:03d}.pdf").write_bytes(data + f"\n%copy-{number}\n".encode())
    return folder


@pytest.fixture(scope="module")
def archive(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("archive")
    raw = mixed_corpus(folder / "raw", ARCHIVE_SIZE)
    (folder / "raw" / "empty.pdf").write_bytes(b"")  # an unreadable one, too: it must come first
    result = run_pipeline("--raw", raw, "--out", folder / "out", "--quiet", "--no-cache")
    assert result.returncode == 1, result.stderr  # the empty file
    return folder / "out"


def test_archive_report_averages_at_most_60_kb_per_document_pictures_included(archive):
    size = (archive / "validation_report.html").stat().st_size
    documents = len(read_csv(archive / "documents.csv"))
    assert documents == ARCHIVE_SIZE + 1
    assert size / documents <= MAX_REPORT_BYTES_PER_DOCUMENT, f"{size / documents / 1024:.0f} KB per document"


def test_archive_report_shows_every_repair_and_every_problem_with_its_page(archive):
    report = parse((archive / "validation_report.html").read_text(encoding="utf-8"))
    repairs = read_csv(archive / "repairs.csv")
    shown = [(d.attrs["data-document"], row[1], row[3], row[4]) for d in report.find("details")
             if "data-document" in d.attrs for row in repair_rows(d)]
    assert Counter(shown) == Counter((r["document_id"], r["page"], r["raw"], r["repaired"]) for r in repairs)
    checks = json.loads((archive / "validation_report.json").read_text(encoding="utf-8"))["checks"]
    problems = [c for c in checks if c["status"] != "pass"]
    articles = list(report.iter("article"))
    assert len(articles) == len(problems) > ARCHIVE_SIZE / 6
    for article in articles:
        has_picture = bool(list(article.iter("img"))) or "Picture:" in article.text()
        if article.attrs["data-check"] == "document-read":
            assert "No picture: the document could not be read." in article.text()
        elif article.attrs["data-check"] == "publishing-placeholder":  # a check of the run: no page
            assert "No picture: a check of the run's settings" in article.text()
        else:
            assert article.attrs["data-pages"], article.text()
            assert has_picture or "No picture:" in article.text()
    # Problem documents first: the unreadable one, then those with warnings.
    order = [tr.attrs["data-status"] for tr in section(report, "summary").iter("tr") if tr.attrs.get("data-status")]
    assert order[0] == "error" and order == sorted(order, key=["error", "fail", "warn", "pass"].index)


def test_a_failure_without_a_position_shows_its_page_and_the_table_it_came_from(tmp_path):
    raw = tmp_path / "raw"
    raw.mkdir()
    shutil.copy(FIXTURES / "invalid" / "participant-text.pdf", raw)
    run_pipeline("--raw", raw, "--out", tmp_path / "out", "--quiet", "--no-cache")
    report = parse((tmp_path / "out" / "validation_report.html").read_text(encoding="utf-8"))
    [schema] = report.find("article", data_check="schema", data_status="fail")
    [parsed] = report.find("article", data_check="value-parsed", data_status="fail")
    [quarantined] = read_csv(tmp_path / "out" / "quarantine" / "trainings.csv")
    assert schema.attrs["data-pages"] == parsed.attrs["data-pages"] == quarantined["page"] == "2"
    # The schema failure shows the picture of the trainings table, and the value that could not be
    # read points to that same picture.
    [region] = [r for r in schema.iter("div") if r.attrs.get("class") == "region"]
    [trainings] = region.find("div", data_dataset="trainings")
    assert list(region.iter("img"))
    # Beside the picture, the row whose participants could not be read is marked, with the printed text.
    [marked] = [tr for tr in trainings.iter("tr") if tr.attrs.get("class") == "problem"]
    assert "participants left empty" in marked.attrs["title"] and "'ca. twintig'" in marked.attrs["title"]
    [link] = list(parsed.iter("a"))
    assert link.attrs["href"] == f"#{region.attrs['id']}"


def test_no_pictures_run_says_so_and_publishes_the_same_data(seed_output, tmp_path):
    cache = tmp_path / "cache"
    result = run_pipeline("--raw", RAW, "--out", tmp_path / "out", "--quiet", "--no-pictures", "--cache-dir", cache)
    assert result.returncode == 0, result.stderr
    markup = (tmp_path / "out" / "validation_report.html").read_text(encoding="utf-8")
    assert "<img" not in markup and "they were not drawn in this run (--no-pictures)" in markup
    for name in ("trainings.csv", "repairs.csv", "agreements.csv"):
        assert (tmp_path / "out" / name).read_bytes() == (seed_output / name).read_bytes()
    # The cache it filled has no pictures: a run that wants them reads the PDF again and draws them.
    again = run_pipeline("--raw", RAW, "--out", tmp_path / "again", "--quiet", "--cache-dir", cache)
    assert again.returncode == 0
    assert "<img" in (tmp_path / "again" / "validation_report.html").read_text(encoding="utf-8")


# --- pictures: bounded, cheap, never an exception -------------------------------------------


@pytest.mark.parametrize(("width", "height"), [(595, 842), (14_400, 14_400), (14_400, 200), (3, 14_400)])
def test_a_page_is_rendered_at_a_bounded_number_of_pixels_whatever_its_size(width, height):
    import pypdfium2

    document = pypdfium2.PdfDocument.new()
    document.new_page(width, height)
    rendered = pictures.render_page(document[0])
    pixels = rendered.image.width * rendered.image.height
    assert pixels <= pictures.MAX_PAGE_PIXELS
    if width * height * (pictures.PICTURE_DPI / 72) ** 2 <= pictures.MAX_PAGE_PIXELS:
        assert rendered.scale == pictures.PICTURE_DPI / 72  # a normal page: full resolution
    assert rendered.image.mode == "P" and len(rendered.image.getpalette()) == 3 * (pictures.GREYS + 1)


# --- hand-made reports: no PDF processing --------------------------------------------------

HOSTILE = '<script>alert(1)</script>\n"><img src=x onerror=alert(1)>'
AMOUNT_BOX = (87.59, 346.5, 143.69, 356.5)  # `525.00 euro` on page 5 of the seed answer


def hand_made(repairs: list[Repair], document_id: str = "doc", sha256: str = "",
              declarations: tuple[Declaration, ...] = ()) -> tuple[dict, list[DocumentResult]]:
    """A report's data and results as report_data would give them, for one document."""
    result = DocumentResult(document_id, {"file_name": f"{document_id}.pdf", "sha256": sha256, "status": "ok",
                                          "error": ""}, repairs=repairs, declarations=list(declarations))
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


def render(view: dict) -> str:
    return "".join(html_chunks(view))


def test_text_from_the_pdf_is_escaped_not_run():
    repair = Repair("trainings", "organiser", 1, HOSTILE, HOSTILE.replace("\n", " "), "cell-wrap-space",
                    (10.0, 10.0, 50.0, 30.0))
    data, results = hand_made([repair])
    markup = render(html_view(data, results))
    assert "<script>" not in markup and "<img src=x" not in markup
    tree = parse(markup)
    assert not list(tree.iter("script"))
    assert not [e for e in tree.iter() if any(name.startswith("on") for name in e.attrs)]
    assert not [img for img in tree.iter("img") if not (img.attrs.get("src") or "").startswith("data:")]
    [row] = repair_rows(tree, "cell-wrap-space")
    # Shown literally, line break included, so the auditor sees exactly what the PDF holds.
    assert row[3] == HOSTILE and row[4] == HOSTILE.replace("\n", " ")
    assert HOSTILE in tree.text()
    [warning] = tree.find("article", data_check="formula-like-text")
    assert field_text(warning, "message") == HOSTILE


def test_empty_expected_and_observed_are_left_out():
    data, results = hand_made([])
    data["checks"][0] |= {"expected": "", "observed": ""}
    [warning] = parse(render(html_view(data, results))).find("article", data_check="formula-like-text")
    assert terms(warning) == ["message"]


def test_the_page_is_streamed_a_piece_at_a_time():
    data, [result] = hand_made([])
    documents = [{**data["documents"][0], "document_id": f"doc-{n}"} for n in range(40)]
    results = [DocumentResult(d["document_id"], result.document) for d in documents]
    view = html_view({**data, "documents": documents}, results)
    assert isinstance(view["document_views"], Iterator)  # each document's view is made when it is written
    chunks = list(html_chunks(view))
    assert len(chunks) > 40 and max(map(len, chunks)) < len("".join(chunks)) / 10


def test_an_unreadable_document_comes_first_with_its_error():
    data, results = hand_made([])
    error = "the file is empty: download it again"
    broken = DocumentResult("zzz-broken", {"file_name": "zzz-broken.pdf", "status": "error", "error": error},
                            error_slug="empty-file")
    data["documents"].append({**data["documents"][0], "document_id": "zzz-broken", "file_name": "zzz-broken.pdf",
                              "status": "error", "error": error})
    tree = parse(render(html_view(data, [*results, broken])))
    ids = [d.attrs["data-document"] for d in tree.find("details") if "data-document" in d.attrs]
    assert ids == ["zzz-broken", "doc"]
    assert "the file is empty: download it again" in document(tree, "zzz-broken").text()


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
    source = {"not a PDF": not_a_pdf, "file gone": tmp_path / "gone.pdf", "file changed since it was read": SEED_PDF,
              "page not in the PDF": SEED_PDF, "source not known": None}[problem]
    page = 99 if problem == "page not in the PDF" else 5
    sha256 = "0" * 64 if problem == "file changed since it was read" else ""
    data, [result] = hand_made([Repair("subsidies", "amount_eur", page, "525.00 euro", "525000",
                                       "amount-thousands-typo", AMOUNT_BOX)], sha256=sha256)
    result.pictures = pictures.document_pictures(source, result)
    [region] = result.pictures
    assert region.picture.note.startswith(note) and not region.picture.png
    assert f"{region.picture.note}." in parse(render(html_view(data, [result]))).text()


def test_a_table_without_marks_is_pictured_and_past_the_cap_regions_get_a_note():
    repairs = [Repair("subsidies", "amount_eur", 5, "525.00 euro", "525000", "amount-thousands-typo", AMOUNT_BOX),
               Repair("cells", "text", 2, "a\nb", "a b", "cell-wrap-space", None)]
    _, [result] = hand_made(repairs)
    result.tables = [TablePlace("t1", 2, (66.0, 176.0, 338.0, 763.0), "agreements")]
    regions = pictures.document_pictures(SEED_PDF, result, max_regions=1)
    assert [(r.page, r.table_ids, r.marks) for r in regions] == [(2, ("t1",), ()), (5, (), (1,))]
    assert regions[0].picture.png.startswith(PNG_SIGNATURE)
    assert regions[1].picture.note == "left out, at most 1 pictures are drawn per document"


# --- in a real browser ------------------------------------------------------------------------


@pytest.mark.skipif(not any(map(shutil.which, ("chromium", "chromium-browser"))), reason="no Chromium installed")
def test_chromium_shows_the_pictures_under_the_reports_own_policy(seed_output):
    import importlib.util

    spec = importlib.util.spec_from_file_location("report_screenshot", ROOT / "benchmarks" / "report_screenshot.py")
    script = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(script)
    with tempfile.TemporaryDirectory() as folder:
        png = Path(folder) / "report.png"
        try:
            script.screenshot(script.find_browser(), seed_output / "validation_report.html", png, 1400, 2000)
        except subprocess.SubprocessError as exc:
            pytest.skip(f"Chromium did not run here: {exc}")
        shot = Image.open(png).convert("RGB")
    # The outlines' red is only in the pictures: seen on screen, the data URIs were let through.
    assert shot.size == (1400, 2000) and has_red(shot)


def test_source_text_is_escaped_line_by_line_and_each_line_break_marked():
    assert str(marked_lines('OCMW <Gent>\n"Oost" & co')) == 'OCMW &lt;Gent&gt;<i class="nl"></i>\n&#34;Oost&#34; &amp; co'
    assert str(marked_lines("")) == "" and str(marked_lines("\n")) == '<i class="nl"></i>\n'
