"""One document, start to finish: `process(path, settings) -> DocumentResult`.

This is the pure per-document function: it reads one PDF and returns plain
data, never raises for bad input, and writes nothing. Worker processes run it,
followed by the report's pictures (`process_with_pictures`), and the cache
stores what they return. What pdfminer logs about a damaged PDF never reaches
the terminal: it becomes one warning in the document's report.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from pipeline.errors import DocumentError, one_line
from pipeline.extract.pdf import read_document
from pipeline.model import DocumentResult, Finding, document_id_for, error_result
from pipeline.publish.pictures import document_pictures
from pipeline.settings import Settings


# Loggers of the PDF libraries, and of the extract stage's own scan of the file's streams:
# they complain about damaged input they read around.
PDF_LIBRARY_LOGGERS = ("pdfminer", "pdfplumber", "pipeline.extract")
QUOTED_COMPLAINTS = 3


def process(path: Path, settings: Settings) -> DocumentResult:
    document_id = document_id_for(path.name)
    try:
        from pipeline.normalise import normalise

        with pdf_library_complaints() as complaints:
            document = read_document(path, settings)
        result = normalise(document, document_id, settings, settings.profile)
        if complaints:
            result.findings.append(damage_finding(complaints))
        if document.unread_pages:
            result.findings.append(unread_pages_finding(document.unread_pages, document.n_pages))
        return result
    except DocumentError as exc:
        return error_result(path, document_id, exc)
    except MemoryError:
        raise  # the worker's memory limit: `pipeline.workers` makes it the document's error
    except Exception as exc:  # noqa: BLE001 - any failure on one input must not cost the others
        detail = f"{type(exc).__name__}: {' '.join(str(exc).split())}"[:160]
        return error_result(path, document_id, DocumentError("internal-error", detail=detail))


def process_with_pictures(path: Path, settings: Settings) -> DocumentResult:
    """`process`, and the report's pictures of what it found (unless `settings.pictures` is off): all that a
    run needs of one document, done where the document is read, so in parallel, and cached together."""
    result = process(path, settings)
    if not settings.pictures:
        return result
    # The libraries' complaints about a damaged PDF are in the result's findings already.
    with pdf_library_complaints():
        result.pictures = document_pictures(path, result)
    return result


class _Collect(logging.Handler):
    def __init__(self, into: list[str]) -> None:
        super().__init__(logging.WARNING)
        self.into = into

    def emit(self, record: logging.LogRecord) -> None:
        self.into.append(one_line(record.getMessage()))


@contextmanager
def pdf_library_complaints() -> Iterator[list[str]]:
    """The PDF libraries' warnings while reading, collected instead of printed on stderr."""
    complaints: list[str] = []
    handler = _Collect(complaints)
    saved = []
    for name in PDF_LIBRARY_LOGGERS:
        logger = logging.getLogger(name)
        saved.append((logger, logger.propagate))
        logger.addHandler(handler)
        logger.propagate = False
    try:
        yield complaints
    finally:
        for logger, propagate in saved:
            logger.removeHandler(handler)
            logger.propagate = propagate


def damage_finding(complaints: list[str]) -> Finding:
    distinct = list(dict.fromkeys(complaints))
    quoted = "; ".join(c[:100] for c in distinct[:QUOTED_COMPLAINTS])
    more = f"; and {len(distinct) - QUOTED_COMPLAINTS} more" if len(distinct) > QUOTED_COMPLAINTS else ""
    return Finding("documents", "document-read", "warn",
                   f"the PDF is damaged in places and was read around the damage, so text may be missing "
                   f"({quoted}{more}): compare the rows with the PDF, or download it again",
                   expected="no damage", observed=f"{len(complaints)} problems")


def unread_pages_finding(unread: tuple[int, ...], read: int) -> Finding:
    pages = ", ".join(map(str, unread))
    return Finding("documents", "pages-read", "warn",
                   f"page{'s' if len(unread) > 1 else ''} {pages} of the PDF could not be read, so their rows are "
                   f"missing: compare the rows with the PDF, or download it again",
                   expected=f"{read + len(unread)} pages read", observed=f"{read} pages read")
