"""Every file of an output folder, written in the order their descriptions need."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from pipeline.model import DocumentResult
from pipeline.publish.datapackage import datapackage
from pipeline.publish.dcat import write_dcat
from pipeline.publish.files import DATAPACKAGE_FILE, write_dataset, write_json, write_quarantine
from pipeline.publish.publishing import Publishing
from pipeline.publish.report import write_reports
from pipeline.validate import Validation
from schemas.spec import Dataset


def write_output(
    folder: Path,
    validation: Validation,
    results: Sequence[DocumentResult],
    publishing: Publishing,
    datasets: Sequence[Dataset],
) -> None:
    """Every output file into `folder`."""
    for dataset in datasets:
        write_dataset(folder, dataset, validation.frames[dataset.name])
    write_quarantine(folder, validation, datasets)
    write_json(folder / DATAPACKAGE_FILE, datapackage(folder, publishing, datasets))
    write_dcat(folder, publishing, datasets)  # after datapackage.json, whose size and hash it lists
    write_reports(folder, validation, results, datasets)
