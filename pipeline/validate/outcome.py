"""What validation yields: the rows that pass, the rows quarantined, and one list of checks."""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from pipeline.catalogue import CHECKS
from pipeline.model import Status


@dataclass(frozen=True)
class Check:
    document_id: str
    dataset: str
    check: str
    status: Status
    expected: str
    observed: str
    message: str
    page: int | None = None  # the page the checked figure or value stands on, when there is one

    def __post_init__(self) -> None:
        if self.check not in CHECKS:
            raise KeyError(f"check slug {self.check!r} is not in the catalogue")


@dataclass
class Validation:
    frames: dict[str, pd.DataFrame]  # rows that passed, per dataset, in publishing order
    quarantine: dict[str, pd.DataFrame]  # rows that failed, with `failed_checks` and `reason`
    checks: list[Check] = field(default_factory=list)

    @property
    def failed(self) -> bool:
        return any(c.status == "fail" for c in self.checks)
