"""The PDFium reader (the default): each page's glyphs and path segments through pypdfium2's raw API.

PDFium (the PDF engine of Chromium) parses a page in C, an order of magnitude faster than
pdfminer. What it reports differently from pdfminer is evened out here, so that both readers
give the same `PageContent` (the differential test in `tests/test_readers.py` holds them to it):

- characters PDFium generates (spaces and line breaks it infers) are left out, and a hyphen it
  marks as a line-end hyphen (U+0002) is the hyphen it is;
- a ligature PDFium splits into its letters, all at one origin, is one glyph with the
  ligature's advance, as pdfminer reads it;
- characters come in content-stream order (PDFium orders its text page by its own reading
  order on some pages): stable-sorted by the text object they belong to;
- a glyph's advance is its font's width for it, not PDFium's box, which grows to the ink;
- font names come without a subset tag already, and pdfminer's are stripped of it
  (`pipeline.extract.content.font_name`); coordinates are relative to the page's MediaBox.
"""

from __future__ import annotations

import ctypes
import functools
import math
from collections.abc import Iterator
from dataclasses import dataclass
from operator import itemgetter
from types import SimpleNamespace
from typing import Any

from pipeline.errors import DocumentError
from pipeline.extract.content import Glyph, PageContent, font_name, points_box, polyline_segments

LINE_END_HYPHEN = 0x02  # what PDFium puts in place of a hyphen it takes for a line-end hyphenation
FONT_NAME_BUFFER = 256
# PDFium generates only spaces and line breaks (`CPDF_TextPage`): only these need asking.
GENERATED_CODES = frozenset((0x20, 0x0D, 0x0A))
# A space glyph is a quarter to a third of the font size wide: a gap up to this fraction of it
# between two glyphs of a line, where PDFium generates a space, is the file's own space.
GENERATED_SPACE_MAX_GAP = 0.4


class PdfiumUnreadable(Exception):
    """PDFium cannot open the file (but another parser may): the caller falls back to pdfplumber."""


def _matrix(obj: Any) -> tuple[float, float, float, float, float, float]:
    import pypdfium2.raw as pdfium_c

    m = pdfium_c.FS_MATRIX()
    if not pdfium_c.FPDFPageObj_GetMatrix(obj, m):
        return (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)
    return (m.a, m.b, m.c, m.d, m.e, m.f)


def _compose(inner: tuple[float, ...], outer: tuple[float, ...]) -> tuple[float, float, float, float, float, float]:
    """`inner` then `outer`, for PDF's row vectors."""
    a, b, c, d, e, f = inner
    A, B, C, D, E, F = outer
    return (a * A + b * C, a * B + b * D, c * A + d * C, c * B + d * D, e * A + f * C + E, e * B + f * D + F)


class PdfiumReader:
    name = "pdfium"

    def __init__(self, data: bytes) -> None:
        import pypdfium2 as pdfium

        try:
            self._pdf = pdfium.PdfDocument(data)
        except pdfium.PdfiumError as exc:
            if "password" in str(exc).lower():
                raise DocumentError("encrypted-pdf") from None
            raise PdfiumUnreadable(str(exc)) from None
        self.page_count = len(self._pdf)
        title = self._pdf.get_metadata_value("Title") if self.page_count else ""
        self.title = title or ""

    def pages(self) -> Iterator[PageContent | None]:
        """Each page's content; None for a page in the page tree that PDFium cannot load."""
        import pypdfium2 as pdfium

        for index in range(self.page_count):
            try:
                page = self._pdf[index]
            except pdfium.PdfiumError:
                yield None
                continue
            try:
                content = page_content(page, index + 1)
            except pdfium.PdfiumError:
                content = None
            finally:
                page.close()
            yield content

    def close(self) -> None:
        self._pdf.close()


def page_content(page: Any, number: int) -> PageContent:
    left, bottom, right, top = page.get_mediabox()
    order: dict[int, int] = {}  # text object's address -> its place in the content stream
    segments: list[tuple[float, float, float, float]] = []
    fills: list[tuple[float, float, float, float]] = []
    _walk_objects(page.raw, None, order, segments, fills, (left, bottom))
    textpage = page.get_textpage()
    try:
        glyphs = _glyphs(textpage.raw, order, (left, bottom))
    finally:
        textpage.close()
    return PageContent(number, float(right - left), float(top - bottom), glyphs, segments, fills)


def _walk_objects(page: Any, form: Any, order: dict[int, int], segments: list, fills: list,
                  origin: tuple[float, float], outer: tuple[float, ...] = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)) -> None:
    """Page objects in content-stream order, form XObjects included: text objects' places, paths' segments
    (and the bounding boxes of filled paths)."""
    import pypdfium2.raw as pdfium_c

    count = pdfium_c.FPDFFormObj_CountObjects(form) if form is not None else pdfium_c.FPDFPage_CountObjects(page)
    for i in range(count):
        obj = pdfium_c.FPDFFormObj_GetObject(form, i) if form is not None else pdfium_c.FPDFPage_GetObject(page, i)
        kind = pdfium_c.FPDFPageObj_GetType(obj)
        if kind == pdfium_c.FPDF_PAGEOBJ_TEXT:
            order.setdefault(ctypes.cast(obj, ctypes.c_void_p).value or 0, len(order))
        elif kind == pdfium_c.FPDF_PAGEOBJ_PATH:
            points = _path_points(obj, _compose(_matrix(obj), outer), origin)
            segments += [s for subpath in points for s in polyline_segments(subpath)]
            if points and _is_filled(obj):
                fills.append(points_box([p for subpath in points for p in subpath]))
        elif kind == pdfium_c.FPDF_PAGEOBJ_FORM:
            _walk_objects(page, obj, order, segments, fills, origin, _compose(_matrix(obj), outer))


def _is_filled(path: Any) -> bool:
    import pypdfium2.raw as pdfium_c

    fill_mode, stroke = ctypes.c_int(), ctypes.c_int()
    return bool(pdfium_c.FPDFPath_GetDrawMode(path, fill_mode, stroke)) and fill_mode.value != 0


def _path_points(path: Any, matrix: tuple[float, ...], origin: tuple[float, float]) -> list[list[tuple[float, float]]]:
    """A path's points, subpath by subpath, as pdfminer sees them: a Bézier curve counts by its end
    point, a closed subpath returns to its start."""
    import pypdfium2.raw as pdfium_c

    a, b, c, d, e, f = matrix
    x, y = ctypes.c_float(), ctypes.c_float()
    subpaths: list[list[tuple[float, float]]] = []
    bezier_points = 0
    for i in range(pdfium_c.FPDFPath_CountSegments(path)):
        segment = pdfium_c.FPDFPath_GetPathSegment(path, i)
        kind = pdfium_c.FPDFPathSegment_GetType(segment)
        if kind == pdfium_c.FPDF_SEGMENT_BEZIERTO:
            bezier_points += 1
            if bezier_points % 3:
                continue  # a control point
        else:
            bezier_points = 0
        pdfium_c.FPDFPathSegment_GetPoint(segment, x, y)
        point = (x.value * a + y.value * c + e - origin[0], x.value * b + y.value * d + f - origin[1])
        if kind == pdfium_c.FPDF_SEGMENT_MOVETO or not subpaths:
            subpaths.append([point])
        else:
            subpaths[-1].append(point)
        if pdfium_c.FPDFPathSegment_GetClose(segment) and subpaths[-1][-1] != subpaths[-1][0]:
            subpaths[-1].append(subpaths[-1][0])
    return subpaths


@functools.cache
def _text_functions() -> SimpleNamespace:
    """PDFium's per-character text functions with plain addresses for handles: a text object
    then comes back as an integer to key caches by, with no ctypes pointer made per character."""
    import pypdfium2.raw as pdfium_c

    def bind(function: Any, restype: Any, *argtypes: Any) -> Any:
        return ctypes.CFUNCTYPE(restype, *argtypes)(ctypes.cast(function, ctypes.c_void_p).value)

    handle, index = ctypes.c_void_p, ctypes.c_int
    return SimpleNamespace(
        count=bind(pdfium_c.FPDFText_CountChars, ctypes.c_int, handle),
        generated=bind(pdfium_c.FPDFText_IsGenerated, ctypes.c_int, handle, index),
        unicode=bind(pdfium_c.FPDFText_GetUnicode, ctypes.c_uint, handle, index),
        text_object=bind(pdfium_c.FPDFText_GetTextObject, ctypes.c_void_p, handle, index),
        origin=bind(pdfium_c.FPDFText_GetCharOrigin, ctypes.c_int, handle, index,
                    ctypes.POINTER(ctypes.c_double), ctypes.POINTER(ctypes.c_double)),
        size=bind(pdfium_c.FPDFText_GetFontSize, ctypes.c_double, handle, index),
        matrix=bind(pdfium_c.FPDFText_GetMatrix, ctypes.c_int, handle, index, ctypes.POINTER(pdfium_c.FS_MATRIX)),
        loose_box=bind(pdfium_c.FPDFText_GetLooseCharBox, ctypes.c_int, handle, index,
                       ctypes.POINTER(pdfium_c.FS_RECTF)),
        font=bind(pdfium_c.FPDFTextObj_GetFont, ctypes.c_void_p, handle),
        font_name=bind(pdfium_c.FPDFFont_GetBaseFontName, ctypes.c_size_t, handle, ctypes.c_char_p, ctypes.c_size_t),
        glyph_width=bind(pdfium_c.FPDFFont_GetGlyphWidth, ctypes.c_int, handle, ctypes.c_uint, ctypes.c_float,
                         ctypes.POINTER(ctypes.c_float)),
    )


@dataclass(frozen=True)
class _TextObject:
    """What every character of one text object shares."""

    place: int  # the text object's place in the content stream
    matrix: tuple[float, float, float, float]
    size: float  # the font size, as PDFium reports it
    font: int  # address of the FPDF_FONT
    font_name: str
    drawn_size: float  # the size as drawn: `size` times the matrix's scale across the line
    along: float  # the matrix's scale along the line
    advances: dict[int, float]  # code point -> advance, shared by the objects of one font and size


def _restore_space(found: list[tuple[int, Glyph]], x: float, y: float, matrix: tuple[float, float, float, float],
                   ) -> None:
    """A space PDFium reports as generated between two glyphs of a line, where the file prints one:
    Skia (Chromium) and reportlab write spaces as glyphs that PDFium re-generates. It is put back
    as pdfminer reads it, from the end of the glyph before to the start of the next, when that gap
    is no wider than a space (a wider one, between a table's cells, is no printed space)."""
    place, before = found[-1]
    end = before.x + before.advance
    upright_line = before.matrix == matrix and matrix[0] > 0 and matrix[1] == 0 and before.y == y
    if upright_line and 0 <= x - end <= GENERATED_SPACE_MAX_GAP * before.size:
        found.append((place, Glyph(" ", end, y, matrix, x - end, before.size, before.font)))


def _glyphs(textpage: Any, order: dict[int, int], origin: tuple[float, float]) -> list[Glyph]:
    import pypdfium2.raw as pdfium_c

    f = _text_functions()
    # The loop below runs once per character of the page: PDFium's functions are bound to locals.
    get_unicode, is_generated, text_object, get_origin = f.unicode, f.generated, f.text_object, f.origin
    page = ctypes.cast(textpage, ctypes.c_void_p).value
    x, y = ctypes.c_double(), ctypes.c_double()
    x_ref, y_ref = ctypes.byref(x), ctypes.byref(y)
    left, bottom = origin
    width = ctypes.c_float()
    width_ref = ctypes.byref(width)
    matrix = pdfium_c.FS_MATRIX()
    loose = pdfium_c.FS_RECTF()
    name = ctypes.create_string_buffer(FONT_NAME_BUFFER)
    objects: dict[int, _TextObject] = {}
    font_names: dict[int, str] = {}  # FPDF_FONT's address -> its name
    advances: dict[tuple[int, float], dict[int, float]] = {}  # (font, size) -> code point -> advance
    found: list[tuple[int, Glyph]] = []  # the glyph's text object's place, the glyph
    previous: tuple[int, float, float] | None = None
    generated_space = False  # PDFium generated a space right after the last glyph
    for i in range(f.count(page)):
        code = get_unicode(page, i)
        if code in GENERATED_CODES and is_generated(page, i):
            generated_space = code == 0x20 and bool(found) and not generated_space
            continue
        if code == LINE_END_HYPHEN:
            code = 0x2D
        address = text_object(page, i) or 0
        get_origin(page, i, x_ref, y_ref)
        gx, gy = x.value, y.value
        shared = objects.get(address)
        if shared is None:
            f.matrix(page, i, ctypes.byref(matrix))
            font = f.font(address) or 0 if address else 0
            if font not in font_names:
                length = f.font_name(font, name, FONT_NAME_BUFFER) if font else 0
                font_names[font] = font_name(name.value.decode("utf-8", "replace")) if length else ""
            # PDFium's font size leaves out the scale of the text's matrix (Skia draws in pixels under
            # a 0.75 CTM); pdfminer's, and so the glyph's box, is the size as drawn.
            size = float(f.size(page, i))
            shared = objects[address] = _TextObject(
                order.get(address, len(order)), (matrix.a, matrix.b, matrix.c, matrix.d), size, font,
                font_names[font], size * math.hypot(matrix.c, matrix.d), math.hypot(matrix.a, matrix.b),
                advances.setdefault((font, size), {}))
        if previous == (address, gx, gy) and found:
            # A ligature PDFium split into its letters, all at the same origin: one glyph, as
            # pdfminer reads it, with the ligature's own advance.
            f.loose_box(page, i, ctypes.byref(loose))
            place, glyph = found[-1]
            horizontal = abs(shared.matrix[0]) >= abs(shared.matrix[1])
            advance = loose.right - loose.left if horizontal else loose.top - loose.bottom
            found[-1] = (place, glyph._replace(text=glyph.text + chr(code), advance=float(advance)))
            continue
        previous = (address, gx, gy)
        if generated_space:
            _restore_space(found, gx - left, gy - bottom, shared.matrix)
            generated_space = False
        advance = shared.advances.get(code)
        if advance is None:
            ok = shared.font and f.glyph_width(shared.font, code, shared.size, width_ref)
            advance = shared.advances[code] = float(width.value) * shared.along if ok else 0.0
        found.append((shared.place, Glyph(chr(code), gx - left, gy - bottom, shared.matrix, advance,
                                          shared.drawn_size, shared.font_name)))
    found.sort(key=itemgetter(0))  # stable: within a text object, characters stay in PDFium's order
    return [glyph for _, glyph in found]
