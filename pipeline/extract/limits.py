"""Limits a PDF must keep to before it is read: decompressed stream size, and page size.

A few kilobytes of PDF can make a parser hold gigabytes: a stream of zeros compresses about a
thousandfold, and a page of 200 x 200 inches drawn for the report is 50 times an A4 page. Both
are that document's error (`content-too-large`, `page-too-large`), found before the memory is spent.
Inflating every stream once also finds the damaged ones, whichever reader reads the file next
(PDFium reads around damage without a word): each is logged, and becomes the document's
`document-read` warning (`pipeline.process`).
"""

from __future__ import annotations

import logging
import re
import zlib

from pipeline.errors import DocumentError
from pipeline.extract.content import PageContent

# Streams start after the `stream` keyword and its end of line (PDF 32000-1, 7.3.8.1).
STREAM_START = re.compile(rb"(?<!end)stream(?:\r\n|\n|\r)")
# An encrypted file's streams are ciphertext until the reader decrypts them: they are not measured.
ENCRYPTED = re.compile(rb"/Encrypt(?![A-Za-z0-9])")
ENDSTREAM = b"endstream"
# The stream's dictionary stands between the object's `obj` keyword and `stream`.
DICTIONARY_WINDOW = 4096
# Flate as the stream's only or first filter: what the stored bytes are.
FLATE = re.compile(rb"/Filter\s*(?:\[\s*)?/(?:FlateDecode|Fl)(?![A-Za-z0-9])")
LOGGER = logging.getLogger(__name__)
INPUT_PIECE = 1 << 16  # compressed bytes fed to zlib at a time
OUTPUT_PIECE = 1 << 20  # decompressed bytes produced at a time, then counted and dropped
MEBIBYTE = 1 << 20


def check_content_size(data: bytes, limit: int) -> None:
    """Every Flate stream's decompressed size, summed, up to `limit` bytes; never more is held than
    a piece at a time. Streams with other filters, or none, are not counted (no filter: the file's
    own size bounds them)."""
    if ENCRYPTED.search(data):
        return
    total = 0
    view = memoryview(data)
    position = 0
    while match := STREAM_START.search(data, position):
        start = match.end()
        end = data.find(ENDSTREAM, start)
        end = end if end >= 0 else len(data)
        position = end  # the next stream starts after this one: its bytes are never taken for a keyword
        header_start = data.rfind(b"obj", max(0, match.start() - DICTIONARY_WINDOW), match.start())
        if not FLATE.search(data, max(0, header_start), match.start()):
            continue
        total += _inflated_size(view[start:end], limit - total, start)
        if total > limit:
            raise DocumentError("content-too-large", limit=limit // MEBIBYTE)


def _inflated_size(stream: memoryview, allowance: int, offset: int) -> int:
    """The stream's size inflated, counting no further than just past `allowance`."""
    inflater = zlib.decompressobj()
    size = 0
    try:
        for piece in range(0, len(stream), INPUT_PIECE):
            pending = bytes(stream[piece:piece + INPUT_PIECE])
            while pending and not inflater.eof:
                size += len(inflater.decompress(pending, OUTPUT_PIECE))
                if size > allowance:
                    return size
                pending = inflater.unconsumed_tail
            if inflater.eof:
                break
    except zlib.error as exc:
        # zlib's message after its prefix: "Error -3 while decompressing data: incorrect data check"
        LOGGER.warning("the compressed stream at byte %d is damaged: %s", offset, str(exc).rpartition(": ")[2])
    return size


def check_page_size(content: PageContent, limit: float) -> None:
    if not (content.width > 0 and content.height > 0):
        raise DocumentError("damaged-pdf", detail=f"page {content.number} has no area: its box is "
                            f"{content.width:.0f} x {content.height:.0f} pt")
    if content.width > limit or content.height > limit:
        raise DocumentError("page-too-large", page=content.number, width=content.width, height=content.height,
                            limit=limit)
