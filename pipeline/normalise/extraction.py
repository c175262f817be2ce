"""The common shape of what every reader in normalise returns."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from pipeline.model import Declaration, Finding, Repair, RowProblem


@dataclass
class Extraction:
    """Rows for one dataset and the record of how they were read.

    `problems` index into `rows`; `merge_into` shifts them when rows from several
    readers end up in one dataset.
    """

    dataset: str
    rows: list[dict[str, Any]] = field(default_factory=list)
    repairs: list[Repair] = field(default_factory=list)
    declarations: list[Declaration] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    problems: list[RowProblem] = field(default_factory=list)

    def problem(self, field_name: str, raw: str, message: str) -> None:
        """Note that `field_name` of the row about to be appended could not be read."""
        self.problems.append(RowProblem(self.dataset, len(self.rows), field_name, raw, message))
