"""Intermediate results of one PDF as plain data, for `python -m pipeline inspect`."""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

from pipeline.extract.layout import Table
from pipeline.extract.pdf import read_document
from pipeline.normalise import normalise
from pipeline.normalise.reading import Paragraph, document_blocks
from pipeline.normalise.tables import stitch_tables
from pipeline.normalise.text import WrapRules
from pipeline.normalise.vocabulary import document_vocabulary
from pipeline.process import document_id_for
from pipeline.settings import Settings


def inspect_stage(pdf: Path, stage: str, settings: Settings | None = None) -> Any:
    settings = settings or Settings()
    document = read_document(pdf, settings)
    if stage == "extract":
        return dataclasses.asdict(document)
    blocks = document_blocks(document, settings)
    if stage == "blocks":
        return [_block(b) for b in blocks]
    if stage == "tables":
        return [
            {
                "table_id": g.table_id,
                "pages": [f.page for f in g.fragments],
                "ruled": g.fragments[0].ruled,
                "header": list(g.header_texts) if g.has_header else None,
                "introduction": [p.raw for p in g.context],
                "rows": [{"page": r.page, "texts": list(r.texts), "raw": [v.raw for v in r.values]} for r in g.rows],
                "repairs": [dataclasses.asdict(rep) for rep in g.repairs],
            }
            for g in stitch_tables(blocks, settings, WrapRules(settings.fit_tolerance, document_vocabulary(document)))
        ]
    if stage == "result":
        return dataclasses.asdict(normalise(document, document_id_for(pdf.name), settings))
    raise ValueError(f"unknown stage {stage!r}")


def _block(block: Paragraph | Table) -> dict[str, Any]:
    if isinstance(block, Paragraph):
        return {"kind": "paragraph", "page": block.page, "list_item": block.is_list_item, "raw": block.raw}
    return {
        "kind": "table",
        "page": block.page,
        "ruled": block.ruled,
        "rows": block.n_rows,
        "columns": block.n_columns,
        "column_edges": list(block.column_edges),
        "box": dataclasses.asdict(block.box),
    }
