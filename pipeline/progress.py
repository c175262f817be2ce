"""Progress on stderr while documents are read: a bar on a terminal, nothing otherwise."""

from __future__ import annotations

import sys
from typing import Any

from pipeline.model import DocumentResult


class Progress:
    """A tqdm bar for multi-document runs; silent when disabled, when stderr is not a terminal, or for one file."""

    def __init__(self, enabled: bool = True) -> None:
        self.enabled = enabled and sys.stderr.isatty()
        self._bar: Any = None

    def __enter__(self) -> Progress:
        return self

    def __exit__(self, *exc: object) -> None:
        if self._bar is not None:
            self._bar.close()

    def start(self, total: int) -> None:
        if self.enabled and total > 1:
            from tqdm import tqdm

            self._bar = tqdm(total=total, unit="doc", desc="reading", file=sys.stderr, leave=False)

    def advance(self, result: DocumentResult) -> None:
        if self._bar is not None:
            self._bar.set_postfix_str(result.document_id[-30:], refresh=False)
            self._bar.update(1)
