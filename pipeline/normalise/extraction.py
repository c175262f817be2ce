"""The common shape of what every reader in normalise returns."""

from __future__ import annotations

import dataclasses
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
    key: tuple[str, ...] = ()  # the dataset's primary key columns without document_id: the key of a repaired row
    rows: list[dict[str, Any]] = field(default_factory=list)
    repairs: list[Repair] = field(default_factory=list)
    declarations: list[Declaration] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    problems: list[RowProblem] = field(default_factory=list)

    def add(self, row: dict[str, Any], repairs_from: int) -> None:
        """Append `row`; the repairs made since index `repairs_from` changed it, so they carry its key."""
        key = tuple((column, row.get(column)) for column in self.key)
        self.repairs[repairs_from:] = [dataclasses.replace(r, row_key=key) for r in self.repairs[repairs_from:]]
        self.rows.append(row)

    def problem(self, field_name: str, raw: str, message: str) -> None:
        """Note that `field_name` of the row about to be appended could not be read."""
        self.problems.append(RowProblem(self.dataset, len(self.rows), field_name, raw, message))
