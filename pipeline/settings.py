"""Settings that change what the pipeline reads out of a PDF.

Everything here is part of the cache key: change a value and every document is
read again. Settings that only change how a run is carried out (jobs, output
folder, progress display) are command-line options, not settings.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field

from pipeline.profiles import Profile, profile_named

# Words belong to one line when their vertical centres are within this fraction
# of the font size: baselines of one line differ by rounding only, while the next
# line is at least a full line height (about 1.15 x size) away.
DEFAULT_LINE_TOLERANCE = 0.5
# Two table fragments on consecutive pages are one table when every column edge
# lies within this many points: Word and LibreOffice repeat a table's grid exactly.
DEFAULT_COLUMN_EDGE_TOLERANCE = 2.0
# A line counts as filling its cell when the next glyph would come within this
# many points of the cell's text edge: absorbs rounding in the layout engine and
# in the estimate of the cell's inner margins (seen: up to 0.4 pt).
DEFAULT_FIT_TOLERANCE = 1.0
# Running text at most this far into the top or bottom of a page (fraction of the
# page height) that is only a page number is page furniture, not content.
DEFAULT_MARGIN_FRACTION = 0.08
# Borderless tables: at least this many consecutive lines that split into the same
# columns, with gutters at least this wide (points).
DEFAULT_BORDERLESS_MIN_ROWS = 3
DEFAULT_BORDERLESS_MIN_GUTTER = 8.0
# The PDF parser: "pdfium" (pypdfium2, several times faster) or "pdfplumber" (pdfminer). They give the
# same datasets on every fixture, LibreOffice-, Chromium- and reportlab-made (tests/test_readers.py).
DEFAULT_READER = "pdfium"
READERS = ("pdfium", "pdfplumber")
# A document whose Flate streams inflate to more than this is not read: a content-stream bomb
# (a megabyte of zeros compressed a thousandfold) would otherwise take gigabytes. Answers,
# embedded fonts and all, inflate to a few megabytes.
DEFAULT_MAX_CONTENT_BYTES = 256 * 1024 * 1024
# A page wider or higher than this (points) is not read: A0 is 3370 pt high, PDF's own limit
# is 14,400 pt (200 in), and a page that size takes gigabytes to draw for the report.
DEFAULT_MAX_PAGE_POINTS = 5000.0


@dataclass(frozen=True)
class Settings:
    line_tolerance: float = DEFAULT_LINE_TOLERANCE
    column_edge_tolerance: float = DEFAULT_COLUMN_EDGE_TOLERANCE
    fit_tolerance: float = DEFAULT_FIT_TOLERANCE
    margin_fraction: float = DEFAULT_MARGIN_FRACTION
    borderless_min_rows: int = DEFAULT_BORDERLESS_MIN_ROWS
    borderless_min_gutter: float = DEFAULT_BORDERLESS_MIN_GUTTER
    reader: str = DEFAULT_READER
    max_content_bytes: int = DEFAULT_MAX_CONTENT_BYTES
    max_page_points: float = DEFAULT_MAX_PAGE_POINTS
    # The topic: which datasets to read, and how answers state them (`pipeline.profiles`).
    profile: Profile = field(default_factory=profile_named)
    # Draw the report's pictures of the source pages where each document is read (`--no-pictures`: not).
    # Not part of the cache key: a result cached with pictures serves a run without (`run.read_all`).
    pictures: bool = True

    def __post_init__(self) -> None:
        if self.reader not in READERS:
            raise ValueError(f"setting reader must be one of {', '.join(READERS)}, not {self.reader!r}")
        for f in dataclasses.fields(self):
            if f.name in ("reader", "profile", "pictures"):
                continue
            value = getattr(self, f.name)
            if not isinstance(value, (int, float)) or isinstance(value, bool) or value < 0:
                raise ValueError(f"setting {f.name} must be a non-negative number, not {value!r}")
        if not 0 < self.line_tolerance < 1:
            raise ValueError("setting line_tolerance must lie between 0 and 1 (a fraction of the font size)")
        if not 0 <= self.margin_fraction < 0.5:
            raise ValueError("setting margin_fraction must lie between 0 and 0.5")
        if self.borderless_min_rows < 2:
            raise ValueError("setting borderless_min_rows must be at least 2")

    def key(self) -> str:
        """A stable text form for the cache key (a profile by its name and its file's fingerprint)."""
        values = [f"{f.name}={getattr(self, f.name)!r}" for f in dataclasses.fields(self)
                  if f.name not in ("profile", "pictures")]
        return ",".join([*values, f"profile={self.profile.name}:{self.profile.fingerprint}"])
