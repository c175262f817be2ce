"""Text fit to publish: no control characters, only valid Unicode.

Text from a PDF may hold control characters (NUL, BEL, ESC, a carriage return) that a
CSV reader, a terminal or a spreadsheet would act on, and a file name or a damaged
ToUnicode map may yield lone surrogates, which no UTF-8 file can hold. Before a result
is validated, every text value of its rows loses its control characters (line breaks
stay: `*_raw` columns keep them as printed) and has each lone surrogate replaced by
U+FFFD. Each changed value is a repair (`control-characters`, `invalid-unicode`) whose
raw text shows what was removed as escapes (`\\x00`), so that repairs.csv is clean too.
A file name that is not valid UTF-8 cannot be repaired at its source: the document is
published under the replaced name, with a warning to rename the file.
"""

from __future__ import annotations

import dataclasses
import re
import unicodedata
from typing import Any

from pipeline.model import DocumentResult, Finding, Repair

KEPT_CONTROLS = frozenset("\n")
REPLACEMENT = "\ufffd"
# What `publishable` changes, in one pattern, so that the common case (nothing) is one scan in C:
# the control characters (Unicode category Cc: C0, DEL, C1) but the kept line break, and the surrogates.
UNPUBLISHABLE = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\ud800-\udfff]")


def is_removed_control(character: str) -> bool:
    return unicodedata.category(character) == "Cc" and character not in KEPT_CONTROLS


def is_surrogate(character: str) -> bool:
    return unicodedata.category(character) == "Cs"


def publishable(text: str) -> str:
    """`text` without control characters (line breaks kept), lone surrogates as U+FFFD."""
    return "".join(REPLACEMENT if is_surrogate(c) else c for c in text if not is_removed_control(c))


def escaped(text: str) -> str:
    """`text` with each control character and lone surrogate written as its Python escape (`\\x00`)."""
    return "".join(ascii(c)[1:-1] if is_removed_control(c) or is_surrogate(c) else c for c in text)


def rules_applied(text: str) -> list[str]:
    rules = []
    if any(is_removed_control(c) for c in text):
        rules.append("control-characters")
    if any(is_surrogate(c) for c in text):
        rules.append("invalid-unicode")
    return rules


def _needs_cleaning(value: Any) -> bool:
    return isinstance(value, str) and UNPUBLISHABLE.search(value) is not None


def has_unpublishable_text(result: DocumentResult) -> bool:
    """Whether any text of the result holds what `publishable` changes: one scan of all its text joined,
    since the pattern matches single characters and the joining space is none of them."""
    texts = [v for v in result.document.values() if isinstance(v, str)]
    texts += [v for rows in result.rows.values() for row in rows for v in row.values() if isinstance(v, str)]
    texts += [text for r in result.repairs for text in (r.raw, r.repaired) if isinstance(text, str)]
    return UNPUBLISHABLE.search(" ".join(texts)) is not None


def with_publishable_text(result: DocumentResult) -> DocumentResult:
    """The result with every text value publishable, each change recorded as a repair of its row."""
    if not has_unpublishable_text(result):
        return result
    # A row without a page of its own (a module, the title) is placed where normalise found it.
    pages = {(r.dataset, r.field, r.repaired): r.page for r in result.repairs}
    repairs = [dataclasses.replace(r, raw=escaped(r.raw), repaired=publishable(r.repaired)) for r in result.repairs]
    findings = list(result.findings)

    def cleaned_row(dataset: str, row: dict[str, Any]) -> dict[str, Any]:
        cleaned = {}
        for name, value in row.items():
            if _needs_cleaning(value) and not (dataset == "documents" and name == "file_name"):
                clean = publishable(value)
                page = row.get("page") if isinstance(row.get("page"), int) else pages.get((dataset, name, clean), 1)
                repairs.extend(Repair(dataset, name, page, escaped(value), clean, rule) for rule in rules_applied(value))
                value = clean
            cleaned[name] = value
        return cleaned

    document = cleaned_row("documents", result.document)
    if _needs_cleaning(document["file_name"]):
        document["file_name"] = publishable(document["file_name"])
        findings.append(Finding("documents", "document-read", "warn",
                                f"the file name {escaped(result.document['file_name'])!r} is not valid UTF-8 and is "
                                f"published as {document['file_name']!r}: rename the file",
                                expected="a UTF-8 file name", observed="undecodable bytes"))
    return dataclasses.replace(
        result,
        document=document,
        rows={dataset: [cleaned_row(dataset, row) for row in rows] for dataset, rows in result.rows.items()},
        repairs=repairs,
        findings=findings,
    )
