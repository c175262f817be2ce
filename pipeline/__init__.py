"""Flemish Parliament written answers (PDF) to validated open data.

Stages, one package each: `extract` (PDF → geometry), `normalise` (repairs, tables,
facts), `validate` (pandera and declared figures), `publish` (CSV, Parquet,
datapackage, DCAT, reports). The topic's knowledge is in `profiles`. `process` runs
the first two (and the report's pictures) on one document; `run` runs everything on
a folder; `cli` only wires options to `run`.
"""

__version__ = "0.1.0"
