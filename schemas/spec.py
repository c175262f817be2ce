"""The vocabulary in which every dataset is declared once.

A `Dataset` lists its `Field`s with their type, constraints and descriptions.
Everything else is derived from these declarations: the pandera schemas
(`schemas.pandera_schemas`), the Frictionless Table Schemas of the datapackage
(`schemas.table_schema`), the Arrow types of the Parquet files and the column
documentation (`pipeline.docs`). Nothing downstream repeats a column name or a
type by hand, so the four cannot drift apart.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

FieldType = Literal["string", "integer", "number", "boolean", "date"]
FIELD_TYPES: tuple[str, ...] = ("string", "integer", "number", "boolean", "date")


@dataclass(frozen=True)
class Field:
    """One column of a published dataset."""

    name: str
    type: FieldType
    description: str
    title_nl: str = ""
    required: bool = True
    pattern: str | None = None
    minimum: int | None = None
    maximum: int | None = None
    enum: tuple[str, ...] | None = None
    # A page number that must lie within the document named by `document_id`;
    # checked against `documents.pages`, so it cannot be a static constraint.
    is_page: bool = False

    def __post_init__(self) -> None:
        if self.type not in FIELD_TYPES:
            raise ValueError(f"{self.name}: unknown field type {self.type!r}")
        if not self.name.isascii() or not self.name.replace("_", "").isalnum() or self.name.lower() != self.name:
            raise ValueError(f"{self.name}: column names are ASCII snake_case")
        if (self.minimum is not None or self.maximum is not None) and self.type != "integer":
            raise ValueError(f"{self.name}: minimum/maximum only apply to integer fields")
        if (self.pattern is not None or self.enum is not None) and self.type != "string":
            raise ValueError(f"{self.name}: pattern/enum only apply to string fields")


@dataclass(frozen=True)
class ForeignKey:
    fields: tuple[str, ...]
    resource: str
    reference_fields: tuple[str, ...]


@dataclass(frozen=True)
class Dataset:
    """A published table: `output/<name>.csv` and `output/<name>.parquet`."""

    name: str
    title: str
    title_nl: str
    row: str  # what one row stands for, in plain words
    fields: tuple[Field, ...]
    primary_key: tuple[str, ...] = ()
    foreign_keys: tuple[ForeignKey, ...] = ()
    order: str = "document_id, then order of appearance in the document"

    def __post_init__(self) -> None:
        names = [f.name for f in self.fields]
        if len(set(names)) != len(names):
            raise ValueError(f"{self.name}: duplicate column names")
        for key in self.primary_key:
            if key not in names:
                raise ValueError(f"{self.name}: primary key column {key!r} is not a field")
        for fk in self.foreign_keys:
            for column in fk.fields:
                if column not in names:
                    raise ValueError(f"{self.name}: foreign key column {column!r} is not a field")

    @property
    def columns(self) -> tuple[str, ...]:
        return tuple(f.name for f in self.fields)

    def field(self, name: str) -> Field:
        for f in self.fields:
            if f.name == name:
                return f
        raise KeyError(f"{self.name} has no field {name!r}")
