"""`datapackage.json`: the Frictionless Data Package describing the data files of an output folder.

Derived from the published datasets' declarations and the publishing settings, and
describing every file byte for byte (size and SHA-256), so it is written after the data
files. It carries no wall-clock time, so a re-run on the same input gives identical bytes.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from pipeline import __version__
from pipeline.publish.files import CSV, DATAPACKAGE_FILE, PARQUET, FileFacts, file_facts
from pipeline.publish.publishing import Publishing, dcat_iri
from schemas.frames import ARROW_TYPES
from schemas.spec import FIELD_TYPES, Dataset
from schemas.table_schema import table_schema

DATAPACKAGE_NAME = "flemish-parliament-answers"
# Data Package v1, declared the v2 way (`$schema`). v1 because the Parquet files are listed
# as plain files (see `parquet_resource`) and v2 reserves `type` for "table"; v2 readers read v1.
DATAPACKAGE_PROFILE = "https://datapackage.org/profiles/1.0/datapackage.json"

TITLE = {
    "en": "Flemish Parliament: answers to written questions",
    "nl": "Vlaams Parlement: antwoorden op schriftelijke vragen",
}


def description(language: str, datasets: Sequence[Dataset]) -> str:
    if language == "nl":
        tables = ", ".join(f"{d.title_nl} ({d.name})" for d in datasets)
        return ("Gegevens gelezen uit de antwoorden (PDF) op schriftelijke vragen in het Vlaams Parlement, "
                f"gevalideerd, met elke herstelling van de brontekst opgetekend. Tabellen: {tables}. "
                f"Elke tabel staat er als CSV en als Parquet; {DATAPACKAGE_FILE} beschrijft elke kolom.")
    tables = ", ".join(f"{d.title} ({d.name})" for d in datasets)
    return ("Data read from the answers (PDF) to written questions in the Flemish Parliament, validated, "
            f"with every repair to the source text recorded. Tables: {tables}. "
            f"Each table is published as CSV and as Parquet; {DATAPACKAGE_FILE} describes every column.")


def catalogue_description(language: str) -> str:
    if language == "nl":
        return f"Catalogus met één dataset, “{TITLE['nl']}”, en zijn bestanden."
    return f"Catalogue of one dataset, “{TITLE['en']}”, and its files."


def csv_resource(dataset: Dataset, facts: FileFacts) -> dict[str, Any]:
    return {
        "name": dataset.name,
        # The v1 marker of a table with a schema; v2 readers must read it as "type": "table".
        "profile": "tabular-data-resource",
        "title": dataset.title,
        "description": f"One row per {dataset.row}. Dutch: {dataset.title_nl}. Rows ordered by {dataset.order}.",
        "path": f"{dataset.name}.{CSV.name}",
        "format": CSV.name,
        "mediatype": CSV.mediatype,
        "encoding": "utf-8",
        "bytes": facts.bytes,
        # Data Resource `hash`: MD5 unless prefixed with the algorithm (v1 and v2 alike).
        "hash": f"sha256:{facts.sha256}",
        "dialect": {"delimiter": ",", "lineTerminator": "\n", "header": True},
        "schema": table_schema(dataset),
    }


def parquet_resource(dataset: Dataset, facts: FileFacts) -> dict[str, Any]:
    """The Parquet twin of a CSV resource, listed as a file whose size and hash are checked.

    Why not a table with the schema: frictionless-py 5 reads Parquet through pandas,
    so it cannot count bytes or hash the file (an error whenever `bytes`/`hash` are
    given) and turns an empty integer into NaN (a type error). Its own `type: file`
    makes `frictionless validate` check size and SHA-256 instead; under v1 `type` is
    an ordinary extra property, while v2 would only allow "table". The columns are
    those of the CSV resource, which the description names.
    """
    types = ", ".join(f"{t} as {ARROW_TYPES[t]}" for t in FIELD_TYPES)
    return {
        "name": f"{dataset.name}-{PARQUET.name}",
        "type": "file",
        "title": f"{dataset.title} ({PARQUET.label})",
        "description": f"The rows of resource {dataset.name} ({dataset.name}.{CSV.name}) in the same order, "
        f"as Apache Parquet with typed columns ({types}).",
        "path": f"{dataset.name}.{PARQUET.name}",
        "format": PARQUET.name,
        "mediatype": PARQUET.mediatype,
        "bytes": facts.bytes,
        "hash": f"sha256:{facts.sha256}",
    }


def datapackage(folder: Path, publishing: Publishing, datasets: Sequence[Dataset]) -> dict[str, Any]:
    """The Frictionless Data Package describing the data files in `folder`.

    No `created`: the spec makes it a datetime, and a wall-clock time would make every
    run differ. `version` is the pipeline's version.
    """
    resources = [
        *(csv_resource(d, file_facts(folder / f"{d.name}.{CSV.name}")) for d in datasets),
        *(parquet_resource(d, file_facts(folder / f"{d.name}.{PARQUET.name}")) for d in datasets),
    ]
    return {
        "$schema": DATAPACKAGE_PROFILE,
        "name": DATAPACKAGE_NAME,
        "id": dcat_iri(publishing, "dataset"),
        "title": TITLE["en"],
        "description": description("en", datasets),
        "version": __version__,
        "keywords": list(publishing.keywords),
        "licenses": [
            {"name": publishing.licence_id, "path": publishing.licence_uri, "title": publishing.licence_title}
        ],
        "contributors": [
            {"title": publishing.publisher_name, "path": publishing.publisher_uri, "role": "publisher"},
            {"title": publishing.contact_name, "email": publishing.contact_email, "role": "maintainer"},
        ],
        "resources": resources,
    }
