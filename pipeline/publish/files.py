"""The files of an output folder: what each is, and how dataset rows become CSV and Parquet bytes.

Data files are byte-for-byte reproducible: no timestamps, stable row order, `\\n` line
ends, Parquet without pandas metadata and with fixed compression.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
import pyarrow.parquet as pq

from schemas.frames import is_missing, to_arrow
from schemas.spec import Dataset

if TYPE_CHECKING:
    from pipeline.validate import Validation

EU_FILE_TYPE = "http://publications.europa.eu/resource/authority/file-type/"


@dataclass(frozen=True)
class FileFormat:
    name: str  # Frictionless `format`, also the file extension
    label: str
    mediatype: str  # IANA media type
    eu_file_type: str  # EU file-type vocabulary, which DCAT-AP requires for dct:format


CSV = FileFormat("csv", "CSV", "text/csv", EU_FILE_TYPE + "CSV")
# Registered with IANA in 2024; frictionless-py's own guess, application/parquet, is not registered.
PARQUET = FileFormat("parquet", "Parquet", "application/vnd.apache.parquet", EU_FILE_TYPE + "PARQUET")
JSON = FileFormat("json", "JSON", "application/json", EU_FILE_TYPE + "JSON")

DATAPACKAGE_FILE = "datapackage.json"
DCAT_FILE = "dcat.ttl"


@dataclass(frozen=True)
class PublishedFile:
    path: str  # relative to the output folder, also relative to base_url
    format: FileFormat
    dataset: Dataset | None  # None for the datapackage


def data_files(datasets: Sequence[Dataset]) -> list[PublishedFile]:
    """Every dataset's CSV, then every dataset's Parquet, in declaration order."""
    return [PublishedFile(f"{d.name}.{fmt.name}", fmt, d) for fmt in (CSV, PARQUET) for d in datasets]


@dataclass(frozen=True)
class FileFacts:
    bytes: int
    sha256: str


def file_facts(path: Path) -> FileFacts:
    data = path.read_bytes()
    return FileFacts(len(data), hashlib.sha256(data).hexdigest())


def csv_value(value: Any) -> str:
    if type(value) is str:  # most cells, so asked first
        return value
    if is_missing(value):
        return ""
    if isinstance(value, (bool, np.bool_)):
        return "true" if value else "false"
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(float(value))
    return str(value)


def csv_column(values: list[Any]) -> list[str]:
    """A column's values as CSV text (`csv_value`); a column of only text or only whole numbers in one step."""
    kinds = set(map(type, values))
    if kinds <= {str}:
        return values
    if kinds <= {int}:
        return list(map(str, values))
    return [value if type(value) is str else csv_value(value) for value in values]


def csv_bytes(frame: pd.DataFrame, columns: Sequence[str]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow(columns)
    # Column by column: a column's values come out of its array in one call, not cell by cell.
    writer.writerows(zip(*(csv_column(frame[column].tolist()) for column in columns)))
    return buffer.getvalue().encode("utf-8")


def write_dataset(folder: Path, dataset: Dataset, frame: pd.DataFrame) -> None:
    (folder / f"{dataset.name}.csv").write_bytes(csv_bytes(frame, dataset.columns))
    # No pandas index or metadata, fixed compression: identical input gives identical bytes.
    pq.write_table(to_arrow(dataset, frame), folder / f"{dataset.name}.parquet", compression="zstd",
                   store_schema=False)


def write_json(path: Path, data: Any) -> None:
    # Bytes, not text mode: `\n` line ends on every platform keep the file reproducible.
    path.write_bytes((json.dumps(data, ensure_ascii=False, indent=2) + "\n").encode("utf-8"))


def write_quarantine(folder: Path, validation: Validation, datasets: Sequence[Dataset]) -> None:
    for dataset in datasets:
        frame = validation.quarantine[dataset.name]
        if len(frame):
            (folder / "quarantine").mkdir(exist_ok=True)
            columns = [*dataset.columns, "failed_checks", "reason"]
            (folder / "quarantine" / f"{dataset.name}.csv").write_bytes(csv_bytes(frame, columns))
