"""Metadata for open-data portals: the Frictionless data package, derived from the schema source."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

from pipeline import __version__
from schemas.datasets import DATASETS
from schemas.table_schema import table_schema

DATAPACKAGE_NAME = "flemish-parliament-answers"


def file_facts(path: Path) -> dict[str, Any]:
    data = path.read_bytes()
    return {"bytes": len(data), "hash": "sha256:" + hashlib.sha256(data).hexdigest()}


def datapackage(folder: Path) -> dict[str, Any]:
    resources = []
    for dataset in DATASETS:
        resources.append(
            {
                "name": dataset.name,
                "title": dataset.title,
                "description": f"One row per {dataset.row}. Dutch: {dataset.title_nl}. Rows ordered by {dataset.order}.",
                "path": f"{dataset.name}.csv",
                "scheme": "file",
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                **file_facts(folder / f"{dataset.name}.csv"),
                "dialect": {"delimiter": ",", "lineTerminator": "\n", "header": True},
                "schema": table_schema(dataset),
            }
        )
    return {
        "name": DATAPACKAGE_NAME,
        "title": "Flemish Parliament written answers as open data",
        "description": "Datasets read from answers to written questions in the Flemish Parliament, "
        "with every repair to the source text recorded.",
        "version": __version__,
        "licenses": [{"name": "CC-BY-4.0", "path": "https://creativecommons.org/licenses/by/4.0/",
                      "title": "Creative Commons Attribution 4.0"}],
        "resources": resources,
    }


