"""Intermediate results of one PDF as plain data, for `python -m pipeline inspect`.

`extract`: pages, lines and table cells with their geometry; `blocks`: the answer model
(paragraphs, enumerations in any form, tables) in reading order; `tables`: the stitched
tables with header and rows; `result`: the rows, repairs and findings of the document.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

from pipeline.extract.pdf import read_document
from pipeline.normalise import normalise
from pipeline.normalise.answer import AnswerBlock, Enumeration, read_answer
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
        rules = WrapRules(settings.fit_tolerance, document_vocabulary(document))
        return [_block(b) for b in read_answer(blocks, stitch_tables(blocks, settings, rules)).blocks]
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
        return dataclasses.asdict(normalise(document, document_id_for(pdf.name), settings, settings.profile))
    raise ValueError(f"unknown stage {stage!r}")


def _block(block: AnswerBlock) -> dict[str, Any]:
    if isinstance(block, Paragraph):
        return {"kind": "paragraph", "page": block.page, "raw": block.raw}
    if isinstance(block, Enumeration):
        return {"kind": "enumeration", "form": block.form, "page": block.page,
                "introduction": block.intro.text if block.intro else None, "items": [i.text for i in block.items]}
    first = block.fragments[0]
    return {
        "kind": "table",
        "table_id": block.table_id,
        "pages": [f.page for f in block.fragments],
        "ruled": first.ruled,
        "rows": len(block.rows),
        "columns": block.n_columns,
        "column_edges": list(first.column_edges),
        "box": dataclasses.asdict(first.box),
    }
