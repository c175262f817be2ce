"""Municipality names to NIS codes, from Statbel's register, as valid on a given date.

The register (`pipeline/reference/be_municipalities_refnis.csv`, see its
SOURCES.md) labels homonyms with their arrondissement (`Tielt (Tielt)`), and a
name can carry different codes over time (mergers of 2019 and 2025), so a name
is looked up on a date.
"""

from __future__ import annotations

import csv
import datetime as dt
import functools
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

REGISTER_PATH = Path(__file__).resolve().parent.parent / "reference" / "be_municipalities_refnis.csv"
ARRONDISSEMENT_SUFFIX = re.compile(r"\s*\([^)]*\)$")


@dataclass(frozen=True)
class Municipality:
    nis_code: str
    name_nl: str
    valid_from: dt.date
    valid_to: dt.date

    def valid_on(self, day: dt.date) -> bool:
        return self.valid_from <= day <= self.valid_to


def name_key(name: str) -> str:
    """A spelling-tolerant key: case, accents, dash and apostrophe variants and spacing ignored."""
    name = ARRONDISSEMENT_SUFFIX.sub("", name)
    name = unicodedata.normalize("NFKD", name)
    name = "".join(c for c in name if not unicodedata.combining(c))
    name = name.casefold().replace("’", "'").replace("‘", "'")
    name = re.sub(r"\s*[-‐‑–]\s*", "-", name)
    return " ".join(name.split())


class Register:
    def __init__(self, municipalities: list[Municipality]) -> None:
        self._by_key: dict[str, list[Municipality]] = {}
        for m in municipalities:
            self._by_key.setdefault(name_key(m.name_nl), []).append(m)

    def knows(self, name: str) -> bool:
        """Whether `name` is a municipality's name on any date."""
        return name_key(name) in self._by_key

    def code(self, name: str, on: dt.date | None) -> str | None:
        """The NIS code of `name` valid on `on`; without a date, the code if the name only ever had one."""
        candidates = self._by_key.get(name_key(name), [])
        if on is not None:
            candidates = [m for m in candidates if m.valid_on(on)]
        codes = {m.nis_code for m in candidates}
        return codes.pop() if len(codes) == 1 else None


@functools.lru_cache(maxsize=4)
def load_register(path: Path = REGISTER_PATH) -> Register:
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    return Register(
        [
            Municipality(
                row["nis_code"],
                row["name_nl"],
                dt.date.fromisoformat(row["valid_from"]),
                dt.date.fromisoformat(row["valid_to"]),
            )
            for row in rows
        ]
    )
