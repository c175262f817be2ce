"""One document, start to finish: `process(path, settings) -> DocumentResult`.

This is the pure per-document function: it reads one PDF and returns plain
data, never raises for bad input, and writes nothing. Worker processes run it
and the cache stores what it returns.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from pathlib import Path

from pipeline.errors import DocumentError
from pipeline.extract import read_document
from pipeline.model import DocumentResult
from pipeline.settings import Settings


def document_id_for(file_name: str) -> str:
    """The file name without `.pdf`, lower-cased, accents dropped, reduced to [a-z0-9-]."""
    stem = re.sub(r"\.pdf$", "", Path(file_name).name, flags=re.IGNORECASE)
    ascii_stem = unicodedata.normalize("NFKD", stem).encode("ascii", "ignore").decode("ascii")
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_stem.lower()).strip("-")
    return slug or "document"


def process(path: Path, settings: Settings) -> DocumentResult:
    document_id = document_id_for(path.name)
    try:
        from pipeline.normalise import normalise

        document = read_document(path, settings)
        return normalise(document, document_id, settings)
    except DocumentError as exc:
        return error_result(path, document_id, exc)
    except (KeyboardInterrupt, SystemExit):
        raise
    except Exception as exc:  # noqa: BLE001 - any failure on one input must not cost the others
        detail = f"{type(exc).__name__}: {' '.join(str(exc).split())}"[:160]
        return error_result(path, document_id, DocumentError("internal-error", detail=detail))


def error_result(path: Path, document_id: str, error: DocumentError) -> DocumentResult:
    try:
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        digest = None
    return DocumentResult(
        document_id=document_id,
        document={
            "document_id": document_id,
            "file_name": path.name,
            "sha256": digest,
            "pages": None,
            "title": None,
            "status": "error",
            "error": error.message,
            "question_number": None,
            "question_date": None,
        },
        error_slug=error.slug,
    )
