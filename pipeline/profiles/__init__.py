"""Topic profiles: what answers on one topic say, as data the generic stages loop over.

A `Profile` lists its topic's datasets, each with the ways an answer states their rows
(`pipeline.profiles.model`). `published` adds the datasets every run publishes
(documents, cells, repairs). The built-in profile is `dyzo` (`dyzo.py`); `load_profile`
takes a built-in's name or the path of a Python file that declares `PROFILE`, a
`Profile` built from the same vocabulary (see README, "Writing a profile").
"""

from __future__ import annotations

import hashlib
import importlib.util
from dataclasses import dataclass
from pathlib import Path

from pipeline.catalogue import REPAIR_RULES
from pipeline.errors import UsageError
from pipeline.profiles.model import DatasetProfile, ListReading, TableReading
from schemas.core import published_datasets
from schemas.spec import Dataset

DEFAULT_PROFILE = "dyzo"


@dataclass(frozen=True)
class Profile:
    name: str
    title: str
    datasets: tuple[DatasetProfile, ...]  # the topic's own datasets, in publishing order
    # What the profile's results depend on beyond the pipeline's own code (an outside file's bytes).
    fingerprint: str = ""

    @property
    def published(self) -> tuple[Dataset, ...]:
        """Every dataset a run with this profile publishes, in publishing order."""
        return published_datasets([d.dataset for d in self.datasets], REPAIR_RULES)

    def figure_check(self, dataset: str) -> str | None:
        """The check an answer's own figure for `dataset` is held against, if answers declare one."""
        for profile in self.datasets:
            if profile.dataset.name != dataset:
                continue
            for reading in profile.readings:
                if isinstance(reading, (TableReading, ListReading)) and reading.declared is not None:
                    return reading.declared.check
                if isinstance(reading, TableReading) and any(c.totalled for c in reading.columns):
                    return "declared-total"
        return None


def builtin_profiles() -> dict[str, Profile]:
    from pipeline.profiles import dyzo

    return {"dyzo": Profile("dyzo", "Dyzo and the OCMW's", dyzo.DATASETS)}


def profile_named(name: str = DEFAULT_PROFILE) -> Profile:
    return builtin_profiles()[name]


def load_profile(name_or_path: str) -> Profile:
    """A built-in profile by name, or the `PROFILE` declared in a Python file; UsageError otherwise."""
    builtins = builtin_profiles()
    if name_or_path in builtins:
        return builtins[name_or_path]
    path = Path(name_or_path)
    if path.suffix != ".py":
        raise UsageError(f"--profile {name_or_path}: not a built-in profile ({', '.join(builtins)}) nor a .py file")
    try:
        source = path.read_bytes()
    except OSError as exc:
        raise UsageError(f"--profile {path}: {exc.strerror or exc}: give a built-in profile's name or a profile file")
    spec = importlib.util.spec_from_file_location(f"pipeline_profile_{path.stem}", path)
    module = importlib.util.module_from_spec(spec)  # type: ignore[arg-type]
    try:
        spec.loader.exec_module(module)  # type: ignore[union-attr]
    except Exception as exc:  # noqa: BLE001 - a mistake in the user's profile file is a usage error
        raise UsageError(f"--profile {path}: the file fails to load ({type(exc).__name__}: {exc})") from None
    profile = getattr(module, "PROFILE", None)
    if not isinstance(profile, Profile):
        raise UsageError(f"--profile {path}: the file declares no PROFILE = Profile(...)")
    return Profile(profile.name, profile.title, profile.datasets, hashlib.sha256(source).hexdigest())
