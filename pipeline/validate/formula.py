"""Text a spreadsheet would run as a formula: published unchanged, with a warning per document."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from pipeline.validate.outcome import Check, Validation
from schemas.spec import Dataset

FORMULA_STARTS = ("=", "+", "-", "@")
FORMULA_CELLS_LISTED = 10


def looks_like_formula(text: str) -> bool:
    """Would a spreadsheet opening the CSV run this text? `=` and `@` always start a formula; a sign
    does unless the text is a plain signed number (`-5`, `+1.250,50`) or signs only (`-`, `+/-`)."""
    if not text.startswith(FORMULA_STARTS):
        return False
    if text[0] in "=@":
        return True
    rest = text[1:].replace(".", "").replace(",", "")
    plain_number = rest.isascii() and rest.isdigit()
    return not plain_number and text.strip("+-/ ") != ""


def _rows_starting_like_a_formula(frame: pd.DataFrame, columns: Sequence[str]) -> pd.DataFrame:
    """The rows with a value in `columns` that starts with a formula's first character, in order:
    one vectorised pass, so that only these few rows are looked at value by value."""
    starts = pd.Series(False, index=frame.index)
    for column in columns:
        starts |= frame[column].str.startswith(FORMULA_STARTS).fillna(False).astype(bool)
    return frame[starts]


def formula_like_text_checks(validation: Validation, datasets: Sequence[Dataset]) -> list[Check]:
    """One warning per document and dataset listing the published values that start like a formula.

    The values stay as the PDF has them (the data is what the answer says); the warning tells
    whoever opens the CSV in a spreadsheet to import those columns as text.
    """
    found: dict[tuple[str, str], dict[tuple[str, int | None], list[str]]] = {}
    for dataset in datasets:
        columns = [f.name for f in dataset.fields if f.type == "string" and f.name != "document_id"]
        for frame in (validation.frames[dataset.name], validation.quarantine[dataset.name]):
            for row in _rows_starting_like_a_formula(frame, columns).to_dict(orient="records"):
                for column in columns:
                    value = row.get(column)
                    if isinstance(value, str) and looks_like_formula(value):
                        page = row.get("page")
                        page = None if page is None or pd.isna(page) else int(page)
                        cells = found.setdefault((row["document_id"], dataset.name), {})
                        cells.setdefault((value, page), []).append(column)
    checks = []
    for (document_id, dataset), cells in sorted(found.items()):
        listed = [
            f"{value[:60]!r} in {', '.join(columns)}" + (f" (page {page})" if page is not None else "")
            for (value, page), columns in list(cells.items())[:FORMULA_CELLS_LISTED]
        ]
        more = f", and {len(cells) - FORMULA_CELLS_LISTED} more" if len(cells) > FORMULA_CELLS_LISTED else ""
        checks.append(Check(document_id, dataset, "formula-like-text", "warn", "no value starting with =, +, - or @",
                            f"{len(cells)} values",
                            f"{len(cells)} value{'s' if len(cells) != 1 else ''} a spreadsheet would run as a "
                            f"formula, published unchanged: {'; '.join(listed)}{more}: import the CSV with these "
                            f"columns as text"))
    return checks
