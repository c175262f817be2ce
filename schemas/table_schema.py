"""Frictionless Table Schemas (v1) derived from dataset declarations (`schemas.spec`).

Used by `pipeline.publish.datapackage` for the CSV resources of `datapackage.json`; the descriptors
say what `pipeline.publish.files` writes (true/false, empty string for missing, ISO dates).
"""

from __future__ import annotations

from typing import Any

from schemas.spec import Dataset, Field

# How the CSV files write values (see pipeline.publish.files): booleans as true/false,
# missing values as the empty string.
TRUE_VALUES = ["true"]
FALSE_VALUES = ["false"]
MISSING_VALUES = [""]


def field_descriptor(field: Field) -> dict[str, Any]:
    descriptor: dict[str, Any] = {"name": field.name, "type": field.type}
    if field.type == "date":
        descriptor["format"] = "default"  # ISO 8601, YYYY-MM-DD
    if field.title_nl:
        descriptor["title"] = field.title_nl
    descriptor["description"] = field.description
    if field.type == "boolean":
        descriptor["trueValues"] = TRUE_VALUES
        descriptor["falseValues"] = FALSE_VALUES
    constraints: dict[str, Any] = {}
    if field.required:
        constraints["required"] = True
    if field.pattern is not None:
        # Table Schema patterns are XML Schema regular expressions, anchored by definition:
        # there ^ and $ would be literal characters.
        constraints["pattern"] = field.pattern.removeprefix("^").removesuffix("$")
    if field.enum is not None:
        constraints["enum"] = list(field.enum)
    if field.minimum is not None:
        constraints["minimum"] = field.minimum
    if field.maximum is not None:
        constraints["maximum"] = field.maximum
    if constraints:
        descriptor["constraints"] = constraints
    return descriptor


def table_schema(dataset: Dataset) -> dict[str, Any]:
    schema: dict[str, Any] = {
        "fields": [field_descriptor(f) for f in dataset.fields],
        "missingValues": MISSING_VALUES,
    }
    if dataset.primary_key:
        schema["primaryKey"] = list(dataset.primary_key)
    if dataset.foreign_keys:
        schema["foreignKeys"] = [
            {"fields": list(fk.fields), "reference": {"resource": fk.resource, "fields": list(fk.reference_fields)}}
            for fk in dataset.foreign_keys
        ]
    return schema
