"""Generated documentation stays in step with the schemas and the catalogue."""

from __future__ import annotations

import re

from conftest import ROOT

from pipeline.catalogue import CHECKS, DOCUMENT_ERRORS, REPAIR_RULES
from pipeline.docs import REFERENCE_PATH, reference_markdown


def test_reference_md_is_up_to_date():
    assert REFERENCE_PATH.read_text(encoding="utf-8") == reference_markdown(), (
        "docs/reference.md is out of date: run `python -m pipeline docs`"
    )


def test_every_slug_the_code_uses_is_in_the_catalogue():
    known = set(REPAIR_RULES) | set(CHECKS) | set(DOCUMENT_ERRORS)
    source = "\n".join(p.read_text(encoding="utf-8") for p in (ROOT / "pipeline").rglob("*.py"))
    used = set(re.findall(r'"([a-z]+(?:-[a-z]+)+)"', source))
    slug_like = {s for s in used if s.split("-")[0] in {"cell", "text", "amount", "table", "row", "declared",
                                                         "municipality", "document", "value", "formula", "schema",
                                                         "empty", "not", "damaged", "encrypted", "no", "timeout",
                                                         "duplicate", "internal"}}
    assert slug_like - known == set()


def test_the_readme_links_the_contract_and_the_reference():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "docs/CONTRACT.md" in readme and "docs/reference.md" in readme
