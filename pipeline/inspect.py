"""Intermediate results of one PDF, for `python -m pipeline inspect`: as plain data, or drawn on a page.

`inspect_stage` gives what one stage sees as JSON-ready data; `page_image` draws what the
pipeline found on one page over a picture of it, in the manner of pdfplumber's
`debug_tablefinder`: the tables and their cells and rows that `pipeline.extract` cut, and the
paragraphs and list items that `pipeline.normalise.reading.document_blocks` made of the rest.
A path that is not a readable PDF is a usage error (exit status 2), with the same message a run
gives the document.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pipeline.errors import DocumentError, UsageError
from pipeline.extract.layout import Box, Document, Table
from pipeline.extract.pdf import read_document
from pipeline.normalise import normalise
from pipeline.normalise.reading import Paragraph, document_blocks
from pipeline.normalise.tables import stitch_tables
from pipeline.normalise.text import WrapRules
from pipeline.normalise.vocabulary import document_vocabulary
from pipeline.process import document_id_for
from pipeline.settings import Settings

STAGES = ("extract", "blocks", "tables", "result")


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
    blocks = document_blocks(document, settings)
    if stage == "blocks":
        return [_block(b) for b in blocks]
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
        return dataclasses.asdict(normalise(document, document_id_for(pdf.name), settings))
    raise ValueError(f"unknown stage {stage!r}")


def _block(block: Paragraph | Table) -> dict[str, Any]:
    if isinstance(block, Paragraph):
        return {"kind": "paragraph", "page": block.page, "list_item": block.is_list_item, "raw": block.raw}
    return {
        "kind": "table",
        "page": block.page,
        "ruled": block.ruled,
        "rows": block.n_rows,
        "columns": block.n_columns,
        "column_edges": list(block.column_edges),
        "box": dataclasses.asdict(block.box),
    }


# --- a page with what was found on it ----------------------------------------------------------

IMAGE_DPI = 100
TRANSPARENT = (0, 0, 0, 0)


@dataclass(frozen=True)
class Style:
    colour: str  # its name, for the legend in `--help`
    stroke: tuple[int, int, int]
    width: int
    fill: tuple[int, int, int, int] = TRANSPARENT


# What is drawn, and how.
STYLES = {
    "table": Style("blue", (0, 0, 255), 3, (0, 0, 255, 20)),
    "row": Style("magenta", (255, 0, 255), 2),
    "cell": Style("light blue", (0, 160, 255), 1),
    "paragraph": Style("green", (0, 150, 0), 2),
    "list item": Style("orange", (255, 130, 0), 2, (255, 130, 0, 30)),
}
LEGEND = ", ".join(f"{kind}s {style.colour}" for kind, style in STYLES.items())


def default_image_path(pdf: Path, page: int) -> Path:
    """In the current folder, named from the document_id: a PDF's name is not trusted as a file name."""
    return Path(f"{document_id_for(pdf.name)}-page-{page}.png")


def page_shapes(document: Document, blocks: list[Paragraph | Table], page: int) -> Iterator[tuple[str, Box]]:
    """Everything found on `page`, by kind, in the order drawn: cells, rows, then each table's outline
    over them; paragraphs and list items."""
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
    for block in blocks:
        if isinstance(block, Paragraph):
            lines = [line for line in block.lines if line.page == page]
            if lines:
                yield ("list item" if block.is_list_item else "paragraph"), Box.union(line.box for line in lines)


def page_image(pdf: Path, page: int, out: Path, settings: Settings | None = None) -> dict[str, int]:
    """Write a PNG of `page` (1-based) of `pdf` to `out` with what was found drawn on it; returns
    how many of each kind were drawn."""
    import pdfplumber

    settings = settings or Settings()
    document = open_document(pdf, settings)
    if not 1 <= page <= document.n_pages:
        raise UsageError(f"--image {page}: {pdf} has pages 1 to {document.n_pages}")
    blocks = document_blocks(document, settings)
    counts = dict.fromkeys(STYLES, 0)
    with pdfplumber.open(pdf) as opened:
        image = opened.pages[page - 1].to_image(resolution=IMAGE_DPI)
        for kind, box in page_shapes(document, blocks, page):
            style = STYLES[kind]
            image.draw_rect(box.as_tuple(), fill=style.fill, stroke=style.stroke, stroke_width=style.width)
            counts[kind] += 1
        try:
            image.save(out, format="PNG")
        except OSError as exc:
            raise UsageError(f"cannot write {out}: {exc.strerror or exc}: choose another --output") from None
    return counts
