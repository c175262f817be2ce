"""Topic profiles: what answers on one topic say, as data the generic stages loop over.

A `Profile` names a topic's datasets; `published` adds the datasets every run publishes
(documents, cells, repairs). The built-in profile is `dyzo`; `profile_named` finds one by name.
"""

from __future__ import annotations

from dataclasses import dataclass

from pipeline.catalogue import REPAIR_RULES
from schemas.core import published_datasets
from schemas.spec import Dataset


@dataclass(frozen=True)
class Profile:
    name: str
    title: str
    datasets: tuple[Dataset, ...]  # the topic's own datasets, in publishing order

    @property
    def published(self) -> tuple[Dataset, ...]:
        """Every dataset a run with this profile publishes, in publishing order."""
        return published_datasets(self.datasets, REPAIR_RULES)

    def dataset(self, name: str) -> Dataset:
        for dataset in self.published:
            if dataset.name == name:
                return dataset
        raise KeyError(f"profile {self.name} has no dataset {name!r}")


def builtin_profiles() -> dict[str, Profile]:
    from pipeline.profiles import dyzo

    return {"dyzo": Profile("dyzo", "Dyzo and the OCMW's", dyzo.DATASETS)}


DEFAULT_PROFILE = "dyzo"


def profile_named(name: str = DEFAULT_PROFILE) -> Profile:
    profiles = builtin_profiles()
    if name not in profiles:
        raise KeyError(name)
    return profiles[name]
