"""The pdfplumber reader (`--reader pdfplumber`): pdfminer's parse of each page as `PageContent`.

Slower than PDFium (`pipeline.extract.pdfium`), and the fallback for a file PDFium cannot open.
pdfminer's coordinates already carry a page's `/Rotate`; `pipeline.extract.content` turns the
page to its reading orientation from there.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from pipeline.errors import DocumentError
from pipeline.extract.content import Glyph, PageContent, font_name, points_box, polyline_segments


def open_error(exc: Exception) -> DocumentError:
    from pdfminer.pdfdocument import PDFEncryptionError
    from pdfplumber.utils.exceptions import PdfminerException

    cause = exc.args[0] if isinstance(exc, PdfminerException) and exc.args else exc
    if isinstance(cause, PDFEncryptionError):  # a wrong (empty) password, or an unknown method
        return DocumentError("encrypted-pdf")
    detail = " ".join(str(cause).split()) or type(cause).__name__
    return DocumentError("damaged-pdf", detail=detail if len(detail) <= 80 else detail[:79] + "…")


@contextmanager
def parsing() -> Iterator[None]:
    """pdfplumber parsing the file's bytes: whatever it raises is about the input, not a bug here.

    pdfplumber wraps pdfminer's errors in `PdfminerException`, but not its own: a page box
    holding text raises `MalformedPDFException`, and other nonsense values other exceptions.
    """
    try:
        yield
    except Exception as exc:  # noqa: BLE001 - any parse failure means an unreadable PDF
        raise open_error(exc) from None


class PlumberReader:
    name = "pdfplumber"

    def __init__(self, data: bytes) -> None:
        import pdfplumber

        self._stream = io.BytesIO(data)
        with parsing():
            self._pdf = pdfplumber.open(self._stream)
            metadata = self._pdf.metadata
            self.title = str(metadata.get("Title") or "") if isinstance(metadata, dict) else ""
            self._pages = self._pdf.pages
        self.page_count = len(self._pages)

    def pages(self) -> Iterator[PageContent | None]:
        for pdf_page in self._pages:
            try:
                with parsing():
                    pdf_page.objects  # parses the page's content stream: damage to it shows here
                yield page_content(pdf_page)
            finally:
                # Release the page's parsed objects now: memory stays flat on long documents.
                pdf_page.close()

    def close(self) -> None:
        self._pdf.close()
        self._stream.close()


def page_content(pdf_page: Any) -> PageContent:
    height = float(pdf_page.height)
    glyphs = []
    for char in pdf_page.chars:
        a, b, c, d, e, f = map(float, char["matrix"])
        advance, size = float(char["x1"] - char["x0"]), float(char["bottom"] - char["top"])
        if abs(a) < abs(b):  # written up or down the page: pdfminer's size is then the advance
            advance, size = size, advance
        glyphs.append(Glyph(char["text"], e, f, (a, b, c, d), advance=advance, size=size,
                            font=font_name(str(char["fontname"]))))
    segments = []
    fills = []
    for obj in pdf_page.objects.get("line", []) + pdf_page.objects.get("curve", []):
        points = [(float(x), height - float(top)) for x, top in obj["pts"]]
        segments += polyline_segments(points)
        if obj.get("fill") and points:
            fills.append(points_box(points))
    for rect in pdf_page.objects.get("rect", []):
        x0, x1 = float(rect["x0"]), float(rect["x1"])
        y0, y1 = height - float(rect["bottom"]), height - float(rect["top"])
        segments += polyline_segments([(x0, y0), (x1, y0), (x1, y1), (x0, y1), (x0, y0)])
        if rect.get("fill"):
            fills.append((x0, y0, x1, y1))
    return PageContent(pdf_page.page_number, float(pdf_page.width), height, glyphs, segments, fills,
                       frame_turns=int(pdf_page.rotation or 0) // 90 % 4)
