"""Words from a page's characters, and lines from words: the text every table strategy and reading works on."""

from __future__ import annotations

import bisect
import itertools
from collections.abc import Iterator, Sequence
from operator import itemgetter
from typing import Any

from pipeline.extract.layout import Box, Line, Word
from pipeline.settings import Settings

BOLD_FONT_MARKERS = ("bold", "black", "heavy", "semibold")
# pdfplumber's `extract_words` defaults, which every table algorithm here was tuned with: a char
# more than this many points right of the one before, or its top this far off, starts a new word.
X_TOLERANCE = 3.0
Y_TOLERANCE = 3.0
LIGATURES = {"\ufb00": "ff", "\ufb03": "ffi", "\ufb04": "ffl", "\ufb01": "fi", "\ufb02": "fl", "\ufb06": "st",
             "\ufb05": "st"}


def page_words(page_chars: list[dict[str, Any]]) -> list[Word]:
    """The page's upright words, exactly as pdfplumber's `extract_words()` (default settings) makes
    them from the same characters (`tests/test_words.py` holds the two to it), in a fraction
    of its time: the runs of characters that share a font and size, each cut into lines by
    its characters' tops, each line into words by the gaps between characters.
    """
    space_starts = _space_starts(page_chars)
    words = []
    for (upright, size, font), run in itertools.groupby(page_chars, key=itemgetter("upright", "size", "fontname")):
        if not upright:
            continue  # rotated text (stamps, margin notes) is not part of the answer's body
        bold = any(marker in font.lower() for marker in BOLD_FONT_MARKERS)
        for line in _lines(list(run)):
            for chars in _words(line):
                words.append(_word(chars, float(size), bold, space_starts))
    return words


def _lines(run: list[dict[str, Any]]) -> Iterator[list[dict[str, Any]]]:
    """The run's characters line by line, top to bottom, each line left to right: tops chained
    within `Y_TOLERANCE` of the next distinct top are one line (pdfplumber's `cluster_objects`)."""
    tops = sorted({c["top"] for c in run})
    line_of: dict[float, int] = {}
    line = 0
    for previous, top in zip([None, *tops], tops):
        if previous is not None and top > previous + Y_TOLERANCE:
            line += 1
        line_of[top] = line
    by_line = sorted(run, key=lambda c: line_of[c["top"]])  # stable: content order within a line
    for _, chars in itertools.groupby(by_line, key=lambda c: line_of[c["top"]]):
        yield sorted(chars, key=itemgetter("x0"))


def _words(line: Sequence[dict[str, Any]]) -> Iterator[list[dict[str, Any]]]:
    """A line's characters cut into words: at a space (left out), and before a character that
    starts left of the one before, more than `X_TOLERANCE` right of its end, or on another top."""
    word: list[dict[str, Any]] = []
    for char in line:
        text = char["text"]
        if text.isspace():
            if word:
                yield word
            word = []
        elif not text:  # pdfplumber makes a character without text a word of its own
            if word:
                yield word
            yield [char]
            word = []
        elif word and (char["x0"] < word[-1]["x0"] or char["x0"] > word[-1]["x1"] + X_TOLERANCE
                       or abs(char["top"] - word[-1]["top"]) > Y_TOLERANCE):
            yield word
            word = [char]
        else:
            word.append(char)
    if word:
        yield word


def _word(chars: Sequence[dict[str, Any]], size: float, bold: bool, space_starts: dict[int, list[float]]) -> Word:
    first = chars[0]  # the leftmost: a line's characters are sorted by x0, and a word never goes back
    x1, top, bottom = first["x1"], first["top"], first["bottom"]
    for c in chars:
        x1, top, bottom = max(x1, c["x1"]), min(top, c["top"]), max(bottom, c["bottom"])
    return Word(
        text="".join(LIGATURES.get(c["text"], c["text"]) for c in chars),
        box=Box(float(first["x0"]), float(top), float(x1), float(bottom)),
        size=size,
        bold=bold,
        first_glyph_width=float(first["x1"] - first["x0"]),
        space_after=_space_follows(space_starts, top, x1),
    )


def _space_starts(chars: list[dict[str, Any]]) -> dict[int, list[float]]:
    """x-positions of printed space glyphs, sorted, by rounded top."""
    starts: dict[int, list[float]] = {}
    for char in chars:
        if char["text"] in (" ", "\u00a0"):
            starts.setdefault(round(char["top"]), []).append(float(char["x0"]))
    return {row: sorted(xs) for row, xs in starts.items()}


def _space_follows(space_starts: dict[int, list[float]], top: float, x1: float) -> bool:
    """Whether a space glyph starts within a point of `x1` on this line (its top rounded, give or take one)."""
    row = round(top)
    for xs in (space_starts.get(row - 1), space_starts.get(row), space_starts.get(row + 1)):
        if xs:
            nearest = bisect.bisect_right(xs, x1 - 1.0)  # the first start past x1 - 1
            if nearest < len(xs) and xs[nearest] < x1 + 1.0:
                return True
    return False


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
