"""Small PDFs made on the spot: pages of Helvetica text at given positions, each holding exactly the
values a test needs (a number past 64 bits, a control character, a column left empty).

The font maps codes 0-127 to the same Unicode code points (a ToUnicode CMap), so a control character
written into the text (`\\x07`, `\\x00`) is what pdfminer reads back, as from a PDF whose character
map says so; other characters are WinAnsi.
"""

from __future__ import annotations

import zlib

LINE_PITCH = 14
PAGE_TOP = 800
IDENTITY_TO_UNICODE = b"""/CIDInit /ProcSet findresource begin 12 dict begin begincmap
/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def
/CMapName /Adobe-Identity-UCS def /CMapType 2 def
1 begincodespacerange <00> <FF> endcodespacerange
1 beginbfrange <00> <7F> <0000> endbfrange
endcmap CMapName currentdict /CMap defineresource pop end end"""

Line = list[tuple[int, str]]  # the texts of one printed line, each at its x position


def _literal(text: str) -> bytes:
    """A PDF string literal's bytes: backslash and parentheses escaped, anything below 32 as an octal escape."""
    out = bytearray()
    for byte in text.encode("cp1252", "replace"):
        if byte in b"\\()":
            out += b"\\" + bytes([byte])
        elif byte < 32:
            out += b"\\%03o" % byte
        else:
            out.append(byte)
    return bytes(out)


def _stream(data: bytes) -> bytes:
    packed = zlib.compress(data)
    return b"<< /Length %d /Filter /FlateDecode >>\nstream\n%s\nendstream" % (len(packed), packed)


def text_pdf(pages: list[list[Line]]) -> bytes:
    """A4 pages, each a list of lines from the top, in Helvetica 10 pt."""
    font = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding /ToUnicode 3 0 R >>"
    page_numbers = [4 + 2 * i for i in range(len(pages))]
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [%s] /Count %d >>" % (b" ".join(b"%d 0 R" % n for n in page_numbers), len(pages)),
        _stream(IDENTITY_TO_UNICODE),
    ]
    for number, lines in zip(page_numbers, pages):
        content = b"\n".join(b"BT /F1 10 Tf %d %d Td (%s) Tj ET" % (x, PAGE_TOP - LINE_PITCH * row, _literal(text))
                             for row, line in enumerate(lines) for x, text in line)
        objects.append(b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents %d 0 R "
                       b"/Resources << /Font << /F1 %s >> >> >>" % (number + 1, font))
        objects.append(_stream(content))
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


TRAINING_COLUMNS = (50, 150, 300, 450)
TRAINING_HEADER = ["Datum", "Inrichter", "Doelgroep", "Aantal deelnemers"]


def trainings_answer(question_number: str, rows: list[list[str]], continued: list[list[str]] = ()) -> bytes:
    """An answer with an `ANTWOORD` header block and a borderless table of trainings; `continued` rows
    are printed at the top of a second page."""
    first = [[(50, "ANTWOORD")], [(50, f"op vraag nr. {question_number} van 12 januari 2017")], [],
             [(50, "Dyzo organiseerde de volgende opleidingen:")],
             *[[(x, text) for x, text in zip(TRAINING_COLUMNS, row) if text] for row in [TRAINING_HEADER, *rows]]]
    pages = [first]
    if continued:
        pages.append([[(x, text) for x, text in zip(TRAINING_COLUMNS, row) if text] for row in continued])
    return text_pdf(pages)
