"""Words from a page's characters, and lines from words: the text every table strategy and reading works on."""

from __future__ import annotations

from typing import Any

from pipeline.extract.layout import Box, Line, Word
from pipeline.settings import Settings

BOLD_FONT_MARKERS = ("bold", "black", "heavy", "semibold")


def page_words(page_chars: list[dict[str, Any]]) -> list[Word]:
    """Words as pdfplumber's `extract_words` makes them from the page's characters (upright ones only)."""
    from pdfplumber.utils.text import WordExtractor

    extractor = WordExtractor(extra_attrs=["size", "fontname"])
    space_starts = _space_starts(page_chars)
    words = []
    for w in extractor.extract_words(page_chars, return_chars=True):
        if not w["upright"]:
            continue  # rotated text (stamps, margin notes) is not part of the answer's body
        first = w["chars"][0]
        words.append(
            Word(
                text=w["text"],
                box=Box(float(w["x0"]), float(w["top"]), float(w["x1"]), float(w["bottom"])),
                size=float(w["size"]),
                bold=any(marker in w["fontname"].lower() for marker in BOLD_FONT_MARKERS),
                first_glyph_width=float(first["x1"] - first["x0"]),
                space_after=_space_follows(space_starts, w),
            )
        )
    return words


def _space_starts(chars: list[dict[str, Any]]) -> dict[int, list[float]]:
    """x-positions of printed space glyphs, by rounded baseline position."""
    starts: dict[int, list[float]] = {}
    for char in chars:
        if char["text"] in (" ", "\u00a0"):
            starts.setdefault(round(char["top"]), []).append(float(char["x0"]))
    return starts


def _space_follows(space_starts: dict[int, list[float]], word: dict[str, Any]) -> bool:
    row = round(word["top"])
    candidates = space_starts.get(row, []) + space_starts.get(row - 1, []) + space_starts.get(row + 1, [])
    return any(abs(x - word["x1"]) < 1.0 for x in candidates)


def group_lines(page: int, words: list[Word], settings: Settings) -> list[Line]:
    """Words sharing a baseline become one line; lines come out top to bottom."""
    lines: list[list[Word]] = []
    for word in sorted(words, key=lambda w: (w.box.center_y, w.box.x0)):
        if lines:
            current = lines[-1]
            reference = current[0]
            tolerance = settings.line_tolerance * max(reference.size, word.size)
            if abs(word.box.center_y - reference.box.center_y) <= tolerance:
                current.append(word)
                continue
        lines.append([word])
    return [Line(page, tuple(sorted(ws, key=lambda w: w.box.x0))) for ws in lines]
