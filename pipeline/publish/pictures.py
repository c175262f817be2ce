"""Pictures of the source PDF around the values the validation report shows.

The report (`pipeline.publish.report`) puts every repair and every declared figure next to
a picture of the page around it, so that an auditor can judge each change against
the source itself. Drawing those pictures costs about half as much as reading the
document, so it is per-document work: `document_pictures` runs in the worker
process right after `process`, and its pictures travel and are cached with the
document's result. The report then only places them, and a re-run draws nothing
for a document it has read before.

A picture that cannot be made (no position recorded, PDF unreadable) becomes a
short note, never an exception: the pictures must not cost the document its rows.
"""

from __future__ import annotations

import base64
import hashlib
import io
from collections import defaultdict
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from pipeline.model import BBox, DocumentResult, Picture, Place

if TYPE_CHECKING:
    import pdfplumber.page
    import PIL.Image

# Pictures: enough resolution to read 10-pt text, little enough to keep the page light.
PICTURE_DPI = 110
# Context around the value, in PDF points: about three lines of body text above and
# below. Pictures span the page's full width: a value is judged by its whole table row
# or sentence (the amount `525.00` next to the `470.000` that makes it a typo).
CONTEXT_ABOVE_BELOW = 36.0
# Black text, grey rules and the red outline need few colours; a 16-colour palette
# halves the PNGs' size against full colour.
PICTURE_COLOURS = 16
OUTLINE = (220, 0, 0)
# The outline is drawn this far (points) outside the box: pdfplumber's boxes can sit a
# little above the glyphs as drawn, and a line through the text would hide what it marks.
OUTLINE_PADDING = 2.5
# A picture costs about 3 ms and 5 kB. Past this many in one document, the rest of its
# places are listed with their text only, so that an answer full of repairs cannot make
# the report dominate the run or grow to many megabytes. The seed answer has 41.
MAX_PICTURES_PER_DOCUMENT = 100


def document_pictures(
    source: Path | None, result: DocumentResult, max_pictures: int = MAX_PICTURES_PER_DOCUMENT
) -> dict[Place, Picture]:
    """A picture (or a note saying why there is none) of every place the report may show for `result`,
    drawn from `source` if it holds the very bytes that were read."""
    places = report_places(result, max_pictures)
    if not places:
        return {}
    pdf, problem = read_source(source, result.document.get("sha256"))
    if pdf is None:
        return {place: Picture(note=problem) for place in places}
    return page_pictures(pdf, places)


def report_places(result: DocumentResult, max_pictures: int) -> list[Place]:
    """The places the report may picture: every declared figure's, because whether a check on it fails
    or warns (and so is shown) is only known after validation; and the first `max_pictures` repairs',
    because the report shows no more than that many pictures per document."""
    declared = [(d.page, d.bbox) for d in result.declarations if d.bbox]
    repaired = [(r.page, r.bbox) for r in result.repairs if r.bbox][:max_pictures]
    return list(dict.fromkeys([*declared, *repaired]))


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


def page_pictures(pdf: bytes, places: Sequence[Place]) -> dict[Place, Picture]:
    """A picture per place, rendering each page of the PDF that has places exactly once.

    Anything that goes wrong with the PDF (damaged, odd geometry) becomes a note
    on the affected places: the report is written whatever the PDF holds.
    """
    if not places:
        return {}
    import pdfplumber

    pages: dict[int, list[Place]] = defaultdict(list)
    for place in dict.fromkeys(places):
        pages[place[0]].append(place)
    pictures: dict[Place, Picture] = {}
    try:
        with pdfplumber.open(io.BytesIO(pdf)) as document:
            for number, on_page in sorted(pages.items()):
                if not 1 <= number <= len(document.pages):
                    pictures |= {p: Picture(note=f"page {number} is not in the PDF") for p in on_page}
                    continue
                page = document.pages[number - 1]
                try:
                    rendered = page.to_image(resolution=PICTURE_DPI).original
                    pictures |= {p: crop_picture(page, rendered, p[1]) for p in on_page}
                except Exception as exc:  # a page that cannot be drawn loses its pictures only
                    pictures |= {p: Picture(note=f"page {number} could not be rendered ({_brief(exc)})")
                                 for p in on_page}
                page.close()
    except Exception as exc:  # an unreadable PDF loses its pictures, not the report
        note = Picture(note=f"the source PDF could not be rendered ({_brief(exc)})")
        return {p: pictures.get(p, note) for p in places}
    return pictures


def crop_picture(page: pdfplumber.page.Page, rendered: PIL.Image.Image, bbox: BBox) -> Picture:
    """The value's box outlined, with a few lines of context across the page, cut from the rendered page."""
    from pdfplumber.display import PageImage

    region = context_box(bbox, page.cropbox)
    if region is None:
        return Picture(note="the recorded position lies outside the page")
    # PageImage with `original` crops the page already rendered instead of rendering it again.
    image = PageImage(page.crop(region), original=rendered, resolution=PICTURE_DPI)
    x0, top, x1, bottom = bbox
    outline = (x0 - OUTLINE_PADDING, top - OUTLINE_PADDING, x1 + OUTLINE_PADDING, bottom + OUTLINE_PADDING)
    image.draw_rect(outline, fill=OUTLINE + (0,), stroke=OUTLINE, stroke_width=2)
    return Picture(uri=png_data_uri(image.annotated), width=image.annotated.width, height=image.annotated.height)


def context_box(bbox: BBox, page_box: BBox) -> BBox | None:
    """The page's width, from a few lines above `bbox` to a few below; None when `bbox` is off the page."""
    x0, top, x1, bottom = bbox
    page_x0, page_top, page_x1, page_bottom = page_box
    if x1 <= page_x0 or x0 >= page_x1 or bottom <= page_top or top >= page_bottom:
        return None
    return (page_x0, max(page_top, top - CONTEXT_ABOVE_BELOW), page_x1, min(page_bottom, bottom + CONTEXT_ABOVE_BELOW))


def png_data_uri(image: PIL.Image.Image) -> str:
    from PIL import Image

    buffer = io.BytesIO()
    # zlib's default level: `optimize=True` made the pictures 5% smaller and the report three times slower.
    image.quantize(PICTURE_COLOURS, method=Image.Quantize.FASTOCTREE).save(buffer, format="PNG")
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")


def _brief(exc: Exception) -> str:
    detail = " ".join(str(exc).split())
    return f"{type(exc).__name__}: {detail[:120]}" if detail else type(exc).__name__
