"""Pictures of the source PDF for the validation report: one per page region, every mark in it numbered.

The report (`pipeline.publish.report`) puts each repair, each declared figure and each table
next to a picture of the page it comes from, so that an auditor can judge every change against
the source itself. A page's marks (`document_marks`: the boxes of the repairs and of the
declared figures, numbered per document) are gathered into bands across the page
(`plan_regions`): a table fragment is one band, and marks whose context overlaps join one band,
so that thirty repaired cells of a table share one picture instead of making thirty.

Drawing is per-document work, done in the worker right after `process`
(`document_pictures`): each page with a band is rendered once, in grey, by PDFium (the engine
pdfplumber renders with), mapped to a fixed palette of three greys by a lookup table (no
quantising), and every band is cut from that one image, outlined, numbered and encoded as a
PNG at once. The pixels a page is rendered at are bounded whatever its size. The PNG bytes
travel and are cached with the document's result; the report only places them.

A picture that cannot be made (no position recorded, PDF unreadable) becomes a short note,
never an exception: the pictures must not cost the document its rows.
"""

from __future__ import annotations

import functools
import hashlib
import io
import math
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from pipeline.model import BBox, DocumentResult, Picture, Place, Region

if TYPE_CHECKING:
    import PIL.Image

# Enough resolution to read 10-pt text in three greys (a point a pixel), little enough to keep the
# report light: 90 dpi made the pictures 40% larger, four greys at four bits per pixel 35% larger.
PICTURE_DPI = 72
# A page is rendered at no more pixels than this, whatever its size: an A4 page at PICTURE_DPI
# is 0.5 million; a 14,400-pt poster page is rendered at a lower resolution instead of 5 GB.
MAX_PAGE_PIXELS = 2_000_000
# Context above and below a mark, in points: about two lines of body text, enough to read the
# sentence or table row around the value. Bands span the page's full width.
CONTEXT_ABOVE_BELOW = 24.0
TABLE_MARGIN = 3.0  # around a table fragment's box: less than the gap to the next line of text
# The outline is drawn this far (points) outside the box: a line through the text would hide it.
OUTLINE_PADDING = 1.5
# A picture is trimmed to what is drawn in its band, outlines and numbers included, plus this (pixels).
TRIM_MARGIN = 4
# A document with more bands than this gets notes for the rest: an answer full of scattered
# repairs cannot make the report grow without bound. The seed answer has 9.
MAX_REGIONS_PER_DOCUMENT = 40

# The fixed palette: three greys for the page (a lookup table maps each grey to the nearest),
# red for the outlines and the numbers' labels: four colours, two bits per pixel.
GREYS = 3
BLACK, WHITE, RED = 0, GREYS - 1, GREYS
PALETTE = [round(i * 255 / (GREYS - 1)) for i in range(GREYS) for _ in range(3)] + [220, 0, 0]
GREY_LEVEL = [round(v * (GREYS - 1) / 255) for v in range(256)]
INK = [0 if index == WHITE else 255 for index in range(256)]  # palette index to mask: anything but white
LABEL_FONT_SIZE = 9


@dataclass(frozen=True)
class Mark:
    """A value the report points at on the page: a repair's raw text or a declared figure's quote."""

    number: int  # per document: the repairs 1..R in order, then the declarations
    kind: Literal["repair", "declaration"]
    index: int  # into the result's repairs or declarations
    boxes: tuple[Place, ...]  # one per printed line, each with its page; empty when no position is known


def document_marks(result: DocumentResult) -> list[Mark]:
    """Every repair and declared figure of the document, numbered as the report and its pictures show them."""
    marks = [Mark(i + 1, "repair", i, _boxes(r.boxes, r.page, r.bbox)) for i, r in enumerate(result.repairs)]
    first = len(marks) + 1
    marks += [Mark(first + j, "declaration", j, _boxes(d.boxes, d.page, d.bbox))
              for j, d in enumerate(result.declarations)]
    return marks


def _boxes(lines: tuple[Place, ...], page: int, bbox: BBox | None) -> tuple[Place, ...]:
    if lines:
        return lines
    return ((page, bbox),) if bbox else ()


@dataclass(frozen=True)
class Band:
    """A region to picture before it is drawn: its page, its vertical extent, what stands in it."""

    page: int
    top: float
    bottom: float
    marks: tuple[int, ...]
    table_ids: tuple[str, ...]


def plan_regions(result: DocumentResult, marks: Sequence[Mark]) -> list[Band]:
    """The bands to picture, page by page and top to bottom: each table fragment with the marks in it,
    and the other marks, those whose context overlaps gathered into one band."""
    items: dict[int, list[tuple[float, float, tuple[int, ...], tuple[str, ...]]]] = defaultdict(list)
    for table in result.tables:
        _, top, _, bottom = table.bbox
        items[table.page].append((top - TABLE_MARGIN, bottom + TABLE_MARGIN, (), (table.table_id,)))
    for mark in marks:
        for page, (_, top, _, bottom) in mark.boxes:
            items[page].append((top - CONTEXT_ABOVE_BELOW, bottom + CONTEXT_ABOVE_BELOW, (mark.number,), ()))
    bands = []
    for page in sorted(items):
        current: list | None = None
        for top, bottom, numbers, tables in sorted(items[page], key=lambda item: (item[0], item[1])):
            if current is not None and top <= current[1]:
                current = [current[0], max(current[1], bottom), current[2] + numbers, current[3] + tables]
                continue
            if current is not None:
                bands.append(_band(page, current))
            current = [top, bottom, numbers, tables]
        if current is not None:
            bands.append(_band(page, current))
    return bands


def _band(page: int, item: list) -> Band:
    return Band(page, item[0], item[1], tuple(sorted(set(item[2]))), tuple(dict.fromkeys(item[3])))


def document_pictures(
    source: Path | None, result: DocumentResult, max_regions: int = MAX_REGIONS_PER_DOCUMENT
) -> list[Region]:
    """Every band of `result` (`plan_regions`) with its picture, or a note saying why there is none,
    drawn from `source` if it holds the very bytes that were read."""
    marks = document_marks(result)
    bands = plan_regions(result, marks)
    if not bands:
        return []
    drawn, left_out = bands[:max_regions], bands[max_regions:]
    note = Picture(note=f"left out, at most {max_regions} pictures are drawn per document")
    regions = [Region(b.page, (0.0, b.top, 0.0, b.bottom), b.marks, b.table_ids, note) for b in left_out]
    pdf, problem = read_source(source, result.document.get("sha256"))
    if pdf is None:
        return [Region(b.page, (0.0, b.top, 0.0, b.bottom), b.marks, b.table_ids, Picture(note=problem))
                for b in drawn] + regions
    return draw_regions(pdf, drawn, marks) + regions


def read_source(source: Path | None, sha256: str | None) -> tuple[bytes | None, str]:
    """The PDF's bytes if they are the very bytes that were read for the data, else why not.

    A picture of another file than the one the rows came from would mislead the
    auditor, so the bytes are checked against the document's recorded SHA-256 and
    the pictures are drawn from these same bytes.
    """
    if source is None:
        return None, "the source PDF is not known"
    try:
        data = source.read_bytes()
    except OSError as exc:
        return None, f"the source PDF cannot be read ({_brief(exc)})"
    if sha256 and hashlib.sha256(data).hexdigest() != sha256:
        return None, "the source PDF has changed since it was read"
    return data, ""


@dataclass(frozen=True)
class RenderedPage:
    """A page rendered once, in the palette, with what maps its points to the image's pixels."""

    image: PIL.Image.Image
    box: BBox  # the rendered area (the crop box), in the top-left points the boxes are given in
    scale: float  # pixels per point


def draw_regions(pdf: bytes, bands: Sequence[Band], marks: Sequence[Mark]) -> list[Region]:
    """A picture per band, rendering each page that has bands exactly once.

    Anything that goes wrong with the PDF (damaged, odd geometry) becomes a note
    on the affected bands: the report is written whatever the PDF holds.
    """
    import pypdfium2

    boxes_by_mark = {m.number: m.boxes for m in marks}
    by_page: dict[int, list[Band]] = defaultdict(list)
    for band in bands:
        by_page[band.page].append(band)
    regions: dict[Band, Region] = {}
    try:
        document = pypdfium2.PdfDocument(pdf)
    except Exception as exc:  # an unreadable PDF loses its pictures, not the report
        note = Picture(note=f"the source PDF could not be rendered ({_brief(exc)})")
        return [_unplaced(b, note) for b in bands]
    try:
        for number, on_page in sorted(by_page.items()):
            if not 1 <= number <= len(document):
                regions |= {b: _unplaced(b, Picture(note=f"page {number} is not in the PDF")) for b in on_page}
                continue
            try:
                rendered = render_page(document[number - 1])
                regions |= {b: cut_region(rendered, b, boxes_by_mark) for b in on_page}
            except Exception as exc:  # a page that cannot be drawn loses its pictures only
                note = Picture(note=f"page {number} could not be rendered ({_brief(exc)})")
                regions |= {b: _unplaced(b, note) for b in on_page}
    finally:
        document.close()
    return [regions[b] for b in bands]


def _unplaced(band: Band, picture: Picture) -> Region:
    return Region(band.page, (0.0, band.top, 0.0, band.bottom), band.marks, band.table_ids, picture)


def page_box(page) -> BBox:
    """The page's crop box in top-left points, as pdfplumber gives every position (a rotated page: its size)."""
    width, height = page.get_size()
    if page.get_rotation() % 360:
        return (0.0, 0.0, float(width), float(height))
    left, _, _, top = page.get_cropbox()
    _, media_bottom, _, media_top = page.get_mediabox()
    crop_top = (media_top - media_bottom) - top  # pdfplumber measures from the media box's height down
    return (float(left), float(crop_top), float(left + width), float(crop_top + height))


def render_scale(width: float, height: float, dpi: float = PICTURE_DPI, max_pixels: int = MAX_PAGE_PIXELS) -> float:
    """Pixels per point: `dpi`, or less so that the page has at most `max_pixels`, each side rounded up."""
    if width <= 0 or height <= 0:
        raise ValueError(f"the page has no area ({width:g} x {height:g} pt)")
    # The largest s with (width·s + 1)(height·s + 1) <= max_pixels: a root of the quadratic.
    area, sides = width * height, width + height
    bounded = (math.sqrt(sides * sides + 4 * area * (max_pixels - 1)) - sides) / (2 * area)
    return min(dpi / 72, bounded)


def render_page(page) -> RenderedPage:
    """The page rendered once, in grey, then mapped to the fixed palette by a lookup table."""
    box = page_box(page)
    scale = render_scale(box[2] - box[0], box[3] - box[1])
    grey = page.render(scale=scale, grayscale=True, may_draw_forms=False).to_pil()
    if grey.mode != "L":
        grey = grey.convert("L")
    image = grey.point(GREY_LEVEL)
    image.putpalette(PALETTE)  # an L image with a palette is a P image: each grey level is its index
    return RenderedPage(image, box, scale)


def cut_region(rendered: RenderedPage, band: Band, boxes_by_mark: dict[int, tuple[Place, ...]]) -> Region:
    """The band cut from the rendered page and trimmed to what is drawn in it, its marks outlined and
    numbered, encoded as a PNG."""
    from PIL import ImageDraw

    page_x0, page_top, _, page_bottom = rendered.box
    top, bottom = max(page_top, band.top), min(page_bottom, band.bottom)
    if bottom <= top:
        return _unplaced(band, Picture(note="the recorded position lies outside the page"))
    scale, page_image = rendered.scale, rendered.image

    def pixels(box: BBox) -> tuple[int, int, int, int]:
        """The outline of `box` in the page image's pixels."""
        bx0, btop, bx1, bbottom = box
        return (round((bx0 - OUTLINE_PADDING - page_x0) * scale), round((btop - OUTLINE_PADDING - page_top) * scale),
                round((bx1 + OUTLINE_PADDING - page_x0) * scale), round((bbottom + OUTLINE_PADDING - page_top) * scale))

    font = label_font()
    outlines = [(number, [pixels(box) for page, box in boxes_by_mark.get(number, ()) if page == band.page])
                for number in band.marks]
    labels = [(number, label_box(rects[0], round(font.getlength(str(number))) + 3))
              for number, rects in outlines if rects]
    band_box = (0, round((top - page_top) * scale), page_image.width,
                min(page_image.height, max(round((top - page_top) * scale) + 1, round((bottom - page_top) * scale))))
    crop = trimmed(page_image, band_box, [r for _, rects in outlines for r in rects] + [b for _, b in labels])
    image = page_image.crop(crop)
    draw = ImageDraw.Draw(image)
    left, upper = crop[0], crop[1]
    for _, rects in outlines:
        for x0, y0, x1, y1 in rects:
            draw.rectangle((x0 - left, y0 - upper, x1 - left, y1 - upper), outline=RED, width=1)
    for number, (x0, y0, x1, y1) in labels:  # after every outline, so that no outline crosses a number
        draw.rectangle((x0 - left, y0 - upper, x1 - left, y1 - upper), fill=RED)
        draw.text((x0 - left + 2, y0 - upper + 1), str(number), fill=WHITE, font=font)
    box = (page_x0 + crop[0] / scale, page_top + crop[1] / scale, page_x0 + crop[2] / scale, page_top + crop[3] / scale)
    return Region(band.page, box, band.marks, band.table_ids, png_picture(image))


@functools.cache
def label_font():
    """Pillow's built-in font at the labels' size: loaded once per process, not once per picture."""
    from PIL import ImageFont

    return ImageFont.load_default(size=LABEL_FONT_SIZE)


def label_box(outline: tuple[int, int, int, int], width: int) -> tuple[int, int, int, int]:
    """Where a mark's number stands: a small tag left of its outline's top-left corner (inside the page)."""
    x0, y0 = max(0, outline[0] - width), max(0, outline[1] - 5)
    return (x0, y0, x0 + width, y0 + LABEL_FONT_SIZE + 1)


def trimmed(image: PIL.Image.Image, band: tuple[int, int, int, int],
            drawn: Sequence[tuple[int, int, int, int]]) -> tuple[int, int, int, int]:
    """The part of `band` (pixels) that holds anything: the page's ink and what will be drawn on it."""
    ink = image.crop(band).point(INK, "L").getbbox()
    boxes = list(drawn) + ([(band[0] + ink[0], band[1] + ink[1], band[0] + ink[2], band[1] + ink[3])] if ink else [])
    if not boxes:
        return band
    return (max(band[0], min(b[0] for b in boxes) - TRIM_MARGIN), max(band[1], min(b[1] for b in boxes) - TRIM_MARGIN),
            min(band[2], max(b[2] for b in boxes) + TRIM_MARGIN + 1),
            min(band[3], max(b[3] for b in boxes) + TRIM_MARGIN + 1))


def png_picture(image: PIL.Image.Image) -> Picture:
    buffer = io.BytesIO()
    # Two bits per pixel for the four colours; zlib's default level (optimize=True is slower for 5% less).
    image.save(buffer, format="PNG", bits=2)
    return Picture(png=buffer.getvalue(), width=image.width, height=image.height)


def _brief(exc: Exception) -> str:
    detail = " ".join(str(exc).split())
    return f"{type(exc).__name__}: {detail[:120]}" if detail else type(exc).__name__
