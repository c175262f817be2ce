"""What a PDF reader hands over for one page, and how it is turned to its reading orientation.

Both readers (`pipeline.extract.plumber`, `pipeline.extract.pdfium`) describe a page the same
way: glyphs with their origin on the baseline, the linear part of their text matrix, advance
and font size, and the straight segments of the page's paths, all in PDF user space (y up,
origin at the page box's lower left corner). Everything after that is shared, so the two
readers can only differ in what they see, never in how it is interpreted.

A glyph's box is its advance from the origin and its font size above the baseline: pdfminer's
box with the font's descent left out. The descent is what PDFium and pdfminer disagree on
(pdfminer takes it from the font descriptor, and uses 0 for Type0 fonts), and a box on the
baseline is the same for every font of a line.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, NamedTuple

# Text in a PDF's font names before `+` is the tag of a font subset: PDFium drops it.
SUBSET_TAG_LENGTH = 6


class Glyph(NamedTuple):
    """One character as drawn (a tuple: pages hold tens of thousands, made in the readers' inner loop)."""

    text: str
    x: float  # origin on the baseline, user space relative to the page box
    y: float
    matrix: tuple[float, float, float, float]  # a, b, c, d of the text rendering matrix
    advance: float  # points along the writing direction
    size: float  # font size in points, as drawn
    font: str  # font name without the subset tag


@dataclass(frozen=True)
class PageContent:
    number: int  # 1-based
    width: float  # the page box, in points
    height: float
    glyphs: Sequence[Glyph]  # in content-stream order
    segments: Sequence[tuple[float, float, float, float]]  # straight pieces of paths: x0, y0, x1, y1
    # Bounding boxes of filled paths (x0, y0, x1, y1): shading, and bullets drawn as shapes.
    fills: Sequence[tuple[float, float, float, float]] = ()
    # Clockwise quarter turns from the page's own user space (its MediaBox, `/Rotate` ignored) to
    # the frame the reader reports in: 0 for PDFium, the page's `/Rotate` for pdfminer.
    frame_turns: int = 0


def font_name(name: str) -> str:
    """The font's name without a subset tag (`BAAAAA+LiberationSans-Bold` -> `LiberationSans-Bold`)."""
    tag, plus, rest = name.partition("+")
    return rest if plus and len(tag) == SUBSET_TAG_LENGTH and tag.isalpha() and tag.isupper() else name


# --- reading orientation ----------------------------------------------------------------


def _rotated(matrix: tuple[float, float, float, float], quarter_turns: int) -> tuple[float, float, float, float]:
    """The matrix followed by a clockwise rotation of the page by `quarter_turns` x 90 degrees."""
    a, b, c, d = matrix
    for _ in range(quarter_turns % 4):
        a, b, c, d = b, -a, d, -c
    return a, b, c, d


def is_upright(matrix: tuple[float, float, float, float]) -> bool:
    """pdfminer's test for text written left to right, the right way up."""
    a, b, c, d = matrix
    return a * d > 0 and b * c <= 0


def reads_left_to_right(matrix: tuple[float, float, float, float]) -> bool:
    """Written along +x with its top up: stricter than `is_upright`, which takes text upside down too."""
    a, b, c, d = matrix
    return a > abs(b) and d > abs(c)


def reading_turns(glyphs: Sequence[Glyph]) -> int:
    """Clockwise quarter turns that put most of the page's text the right way up (0 on a tie).

    A page with `/Rotate 90` over upright text, and a landscape table drawn sideways on a
    portrait page, are both read in the orientation in which their text reads.
    """
    counts = [0, 0, 0, 0]
    # A page has few distinct matrices: each is turned once, however many glyphs share it.
    for matrix, glyph_count in Counter(g.matrix for g in glyphs if not g.text.isspace()).items():
        for turns in range(4):
            if reads_left_to_right(_rotated(matrix, turns)):
                counts[turns] += glyph_count
                break
    return max(range(4), key=lambda turns: (counts[turns], -turns))


def _turn_point(x: float, y: float, width: float, height: float, turns: int) -> tuple[float, float]:
    for _ in range(turns % 4):
        x, y = y, width - x  # clockwise, in a y-up frame; the page becomes height x width
        width, height = height, width
    return x, y


def page_size(content: PageContent, turns: int) -> tuple[float, float]:
    return (content.height, content.width) if turns % 2 else (content.width, content.height)


def chars(content: PageContent, turns: int) -> list[dict[str, Any]]:
    """Glyphs as pdfplumber's char dicts (`top` from the top of the page), in the reading orientation."""
    _, height = page_size(content, turns)
    out = []
    turned: dict[tuple[float, float, float, float], tuple[tuple[float, float, float, float], bool]] = {}
    for glyph in content.glyphs:
        x, y = _turn_point(glyph.x, glyph.y, content.width, content.height, turns) if turns else (glyph.x, glyph.y)
        if glyph.matrix not in turned:
            rotated = _rotated(glyph.matrix, turns)
            turned[glyph.matrix] = (rotated, is_upright(rotated))
        matrix, upright = turned[glyph.matrix]
        bottom = height - y
        if upright:
            x0, x1, top = x, x + glyph.advance, bottom - glyph.size
        else:  # sideways text is left out of the answer's body; its box only needs to be sound
            a, b = matrix[0], matrix[1]
            norm = math.hypot(a, b) or 1.0
            ex, ey = x + glyph.advance * a / norm, height - (y + glyph.advance * b / norm)
            x0, x1, top, bottom = min(x, ex), max(x, ex), min(bottom, ey), max(bottom, ey)
        out.append({
            "text": glyph.text, "x0": x0, "x1": x1, "top": top, "bottom": bottom, "doctop": top,
            "width": x1 - x0, "height": bottom - top, "upright": upright, "size": glyph.size,
            "fontname": glyph.font,
        })
    return out


def edges(content: PageContent, turns: int) -> list[dict[str, Any]]:
    """Horizontal and vertical path segments as pdfplumber's edge dicts, in the reading orientation."""
    _, height = page_size(content, turns)
    out = []
    for x0, y0, x1, y1 in content.segments:
        ax, ay = _turn_point(x0, y0, content.width, content.height, turns)
        bx, by = _turn_point(x1, y1, content.width, content.height, turns)
        orientation = "v" if ax == bx else "h" if ay == by else None
        if orientation is None:
            continue  # a diagonal is no table rule
        top, bottom = height - max(ay, by), height - min(ay, by)
        out.append({
            "object_type": "curve_edge", "orientation": orientation, "x0": min(ax, bx), "x1": max(ax, bx),
            "top": top, "bottom": bottom, "doctop": top, "width": abs(ax - bx), "height": bottom - top,
        })
    return out


def fill_boxes(content: PageContent, turns: int) -> list[dict[str, float]]:
    """The filled paths' bounding boxes (`x0`, `top`, `x1`, `bottom`), in the reading orientation."""
    _, height = page_size(content, turns)
    out = []
    for x0, y0, x1, y1 in content.fills:
        ax, ay = _turn_point(x0, y0, content.width, content.height, turns)
        bx, by = _turn_point(x1, y1, content.width, content.height, turns)
        out.append({"x0": min(ax, bx), "x1": max(ax, bx), "top": height - max(ay, by), "bottom": height - min(ay, by)})
    return out


def points_box(points: Sequence[tuple[float, float]]) -> tuple[float, float, float, float]:
    xs, ys = [p[0] for p in points], [p[1] for p in points]
    return min(xs), min(ys), max(xs), max(ys)


def polyline_segments(points: Sequence[tuple[float, float]]) -> list[tuple[float, float, float, float]]:
    return [(p[0], p[1], q[0], q[1]) for p, q in zip(points, points[1:])]
