"""Intermediate results of one PDF, for `python -m pipeline inspect`: as plain data, or drawn on a page.

`inspect_stage` gives what one stage sees as JSON-ready data (`extract`: pages, lines and
table cells with their geometry; `blocks`: the answer model — paragraphs, enumerations in any
form, tables — in reading order; `tables`: the stitched tables with header and rows;
`result`: the rows, repairs and findings of the document). `page_image` draws what the
pipeline found on one page over a picture of it, in the manner of pdfplumber's
`debug_tablefinder`: the tables and their cells and rows that `pipeline.extract` cut, and the
paragraphs and enumeration items of the answer model. A path that is not a readable PDF is a
usage error (exit status 2), with the same message a run gives the document.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from pipeline.errors import DocumentError, UsageError
from pipeline.extract.layout import Box, Document
from pipeline.extract.pdf import read_document
from pipeline.inspect_view import IMAGE_DPI, STYLES
from pipeline.model import document_id_for
from pipeline.normalise import normalise
from pipeline.normalise.answer import Answer, AnswerBlock, Enumeration, read_answer
from pipeline.normalise.reading import Paragraph, document_blocks
from pipeline.normalise.tables import stitch_tables
from pipeline.normalise.text import WrapRules
from pipeline.normalise.vocabulary import document_vocabulary
from pipeline.settings import Settings


def open_document(pdf: Path, settings: Settings) -> Document:
    """The PDF read as a run reads it; what is wrong with the file is the user's to fix (UsageError)."""
    if not pdf.exists():
        raise UsageError(f"{pdf} does not exist: give the path of an answer PDF")
    if not pdf.is_file():
        raise UsageError(f"{pdf} is not a file: give the path of an answer PDF")
    try:
        return read_document(pdf, settings)
    except DocumentError as exc:
        raise UsageError(f"{pdf}: {exc.message}") from None


def inspect_stage(pdf: Path, stage: str, settings: Settings | None = None) -> Any:
    settings = settings or Settings()
    document = open_document(pdf, settings)
    if stage == "extract":
        return dataclasses.asdict(document)
    if stage == "blocks":
        return [_block(b) for b in answer_of(document, settings).blocks]
    blocks = document_blocks(document, settings)
    if stage == "tables":
        return [
            {
                "table_id": g.table_id,
                "pages": [f.page for f in g.fragments],
                "ruled": g.fragments[0].ruled,
                "header": list(g.header_texts) if g.has_header else None,
                "introduction": [p.raw for p in g.context],
                "rows": [{"page": r.page, "texts": list(r.texts), "raw": [v.raw for v in r.values]} for r in g.rows],
                "repairs": [dataclasses.asdict(rep) for rep in g.repairs],
            }
            for g in stitch_tables(blocks, settings, WrapRules(settings.fit_tolerance, document_vocabulary(document)))
        ]
    if stage == "result":
        return dataclasses.asdict(normalise(document, document_id_for(pdf.name), settings, settings.profile))
    raise ValueError(f"unknown stage {stage!r}")


def _block(block: AnswerBlock) -> dict[str, Any]:
    if isinstance(block, Paragraph):
        return {"kind": "paragraph", "page": block.page, "raw": block.raw}
    if isinstance(block, Enumeration):
        return {"kind": "enumeration", "form": block.form, "page": block.page,
                "introduction": block.intro.text if block.intro else None, "items": [i.text for i in block.items]}
    first = block.fragments[0]
    return {
        "kind": "table",
        "table_id": block.table_id,
        "pages": [f.page for f in block.fragments],
        "ruled": first.ruled,
        "rows": len(block.rows),
        "columns": block.n_columns,
        "column_edges": list(first.column_edges),
        "box": dataclasses.asdict(first.box),
    }


# --- a page with what was found on it ----------------------------------------------------------


def default_image_path(pdf: Path, page: int) -> Path:
    """In the current folder, named from the document_id: a PDF's name is not trusted as a file name."""
    return Path(f"{document_id_for(pdf.name)}-page-{page}.png")


def page_shapes(document: Document, answer: Answer, page: int) -> Iterator[tuple[str, Box]]:
    """Everything found on `page`, by kind, in the order drawn: cells, rows, then each table's outline
    over them; paragraphs and the items of enumerations."""
    tables = document.pages[page - 1].tables
    for table in tables:
        for cell in table.cells:
            yield "cell", cell.box
    for table in tables:
        for row in range(table.n_rows):
            cells = table.row(row)
            if cells:
                yield "row", Box.union(c.box for c in cells)
    for table in tables:
        yield "table", table.box
    for block in answer.blocks:
        if isinstance(block, Paragraph):
            lines = [line for line in block.lines if line.page == page]
            if lines:
                yield "paragraph", Box.union(line.box for line in lines)
        elif isinstance(block, Enumeration) and block.form != "table":
            for item in block.items:
                if item.page == page and item.box is not None:
                    yield "list item", Box(*item.box)


def answer_of(document: Document, settings: Settings) -> Answer:
    blocks = document_blocks(document, settings)
    rules = WrapRules(settings.fit_tolerance, document_vocabulary(document))
    return read_answer(blocks, stitch_tables(blocks, settings, rules))


def page_image(pdf: Path, page: int, out: Path, settings: Settings | None = None) -> dict[str, int]:
    """Write a PNG of `page` (1-based) of `pdf` to `out` with what was found drawn on it; returns
    how many of each kind were drawn."""
    import pdfplumber

    settings = settings or Settings()
    document = open_document(pdf, settings)
    if not 1 <= page <= document.n_pages:
        raise UsageError(f"--image {page}: {pdf} has pages 1 to {document.n_pages}")
    answer = answer_of(document, settings)
    counts = dict.fromkeys(STYLES, 0)
    with pdfplumber.open(pdf) as opened:
        image = opened.pages[page - 1].to_image(resolution=IMAGE_DPI)
        for kind, box in page_shapes(document, answer, page):
            style = STYLES[kind]
            image.draw_rect(box.as_tuple(), fill=style.fill, stroke=style.stroke, stroke_width=style.width)
            counts[kind] += 1
        try:
            image.save(out, format="PNG")
        except OSError as exc:
            raise UsageError(f"cannot write {out}: {exc.strerror or exc}: choose another --output") from None
    return counts
