"""Flemish Parliament written answers (PDF) to validated open data.

Stages, one module each: `extract` (pdfplumber → geometry), `normalise`
(repairs, tables, facts), `validate` (pandera and declared figures), `publish`
(CSV, Parquet, datapackage, reports). `process` runs the first two on one
document; `run` runs everything on a folder; `cli` only wires options to `run`.
"""

__version__ = "0.1.0"
