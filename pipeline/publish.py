"""Stage 4, publish: datasets as CSV and Parquet, the datapackage, the reports, written atomically.

Everything is written into a staging folder beside `--out` and swapped in only
when complete, so an interrupted run leaves the previous output as it was.
Data files are byte-for-byte reproducible: no timestamps, stable row order,
Parquet without pandas metadata. Only the reports carry the run's time.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import os
import shutil
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow.parquet as pq

from pipeline.metadata import Publishing, datapackage, write_dcat
from pipeline.model import DocumentResult
from pipeline.validate import Validation
from schemas.datasets import DATASETS, Dataset
from schemas.frames import to_arrow

STAGING_PREFIX = ".staging-"
PREVIOUS_PREFIX = ".previous-"


def csv_value(value: Any) -> str:
    if value is None or value is pd.NA or (isinstance(value, float) and value != value):
        return ""
    if isinstance(value, (bool, np.bool_)):
        return "true" if value else "false"
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def csv_bytes(frame: pd.DataFrame, columns: Sequence[str]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow(columns)
    for row in frame[list(columns)].itertuples(index=False, name=None):
        writer.writerow([csv_value(v) for v in row])
    return buffer.getvalue().encode("utf-8")


def write_dataset(folder: Path, dataset: Dataset, frame: pd.DataFrame) -> None:
    (folder / f"{dataset.name}.csv").write_bytes(csv_bytes(frame, dataset.columns))
    # No pandas index or metadata, fixed compression: identical input gives identical bytes.
    pq.write_table(to_arrow(dataset, frame), folder / f"{dataset.name}.parquet", compression="zstd",
                   store_schema=False)


def write_json(path: Path, data: Any) -> None:
    # Bytes, not text mode: `\n` line ends on every platform keep the file reproducible.
    path.write_bytes((json.dumps(data, ensure_ascii=False, indent=2) + "\n").encode("utf-8"))


def write_quarantine(folder: Path, validation: Validation) -> None:
    for dataset in DATASETS:
        frame = validation.quarantine[dataset.name]
        if len(frame):
            (folder / "quarantine").mkdir(exist_ok=True)
            columns = [*dataset.columns, "failed_checks", "reason"]
            (folder / "quarantine" / f"{dataset.name}.csv").write_bytes(csv_bytes(frame, columns))


ReportWriter = Callable[[Path, Validation, Sequence[DocumentResult], Mapping[str, Path]], None]


def write_output(
    folder: Path,
    validation: Validation,
    results: Sequence[DocumentResult],
    sources: Mapping[str, Path],
    publishing: Publishing,
    report_writer: ReportWriter,
) -> None:
    """Every output file into `folder`; `sources` maps document_id to its PDF (for the report's pictures)."""
    for dataset in DATASETS:
        write_dataset(folder, dataset, validation.frames[dataset.name])
    write_quarantine(folder, validation)
    write_json(folder / "datapackage.json", datapackage(folder, publishing))
    write_dcat(folder, publishing)  # after datapackage.json, whose size and hash it lists
    report_writer(folder, validation, results, sources)


def publish(out: Path, write: Callable[[Path], None]) -> None:
    """Run `write(staging_folder)` and swap the result in as `out`; on any failure `out` is untouched."""
    out = out.resolve()
    out.parent.mkdir(parents=True, exist_ok=True)
    recover_interrupted(out)
    staging = out.with_name(f".{out.name}{STAGING_PREFIX}{os.getpid()}")
    if staging.exists():
        shutil.rmtree(staging)
    staging.mkdir()
    try:
        write(staging)
        swap_in(staging, out)
    finally:
        if staging.exists():
            shutil.rmtree(staging, ignore_errors=True)


def swap_in(staging: Path, out: Path) -> None:
    previous = out.with_name(f".{out.name}{PREVIOUS_PREFIX}{os.getpid()}")
    if out.exists():
        os.rename(out, previous)
    # Between these two renames `out` is briefly absent: an exception puts `previous` back at
    # once, and if the process dies right there `recover_interrupted` does on the next run.
    try:
        os.rename(staging, out)
    except BaseException:
        if previous.exists() and not out.exists():
            os.rename(previous, out)
        raise
    if previous.exists():
        shutil.rmtree(previous, ignore_errors=True)


def recover_interrupted(out: Path) -> None:
    """Restore the last complete output if a run died mid-swap; remove stale staging folders.

    Called before this process makes a folder of its own, so a leftover named after this very
    process id is an earlier process's that had the same id.
    """
    leftovers = {
        prefix: [p for p in out.parent.iterdir() if p.name.startswith(f".{out.name}{prefix}") and _owner_is_gone(p)]
        for prefix in (PREVIOUS_PREFIX, STAGING_PREFIX)
    }
    previous = leftovers[PREVIOUS_PREFIX]
    if not out.exists() and previous:
        # Normally there is one; should there be more, the newest is the last complete output.
        newest = max(previous, key=lambda p: p.stat().st_mtime_ns)
        os.rename(newest, out)
        previous.remove(newest)
    for stale in [*previous, *leftovers[STAGING_PREFIX]]:
        shutil.rmtree(stale, ignore_errors=True)


def _owner_is_gone(folder: Path) -> bool:
    """A staging folder of a run that is still going must not be removed by another run."""
    suffix = folder.name.rsplit("-", 1)[-1]
    if not suffix.isdigit() or int(suffix) == os.getpid():
        return True
    try:
        os.kill(int(suffix), 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False
    return False
