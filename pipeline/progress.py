"""Progress on stderr while documents are read: a bar on a terminal, nothing otherwise."""

from __future__ import annotations

import sys
from typing import Any

from pipeline.model import DocumentResult


class Progress:
    """A tqdm bar for runs that read several documents; silent when disabled, when stderr is not a
    terminal, or when at most one document is read. Documents taken from the cache count as done
    from the start (tqdm's rate and ETA leave them out) and are named in the bar's label."""

    def __init__(self, enabled: bool = True) -> None:
        self.enabled = enabled and sys.stderr.isatty()
        self._bar: Any = None

    def __enter__(self) -> Progress:
        return self

    def __exit__(self, *exc: object) -> None:
        if self._bar is not None:
            self._bar.close()

    def start(self, total: int, cached: int) -> None:
        if self.enabled and total - cached > 1:
            from tqdm import tqdm

            label = f"reading ({cached} cached)" if cached else "reading"
            self._bar = tqdm(total=total, initial=cached, unit="doc", desc=label, file=sys.stderr, leave=False)

    def advance(self, result: DocumentResult) -> None:
        if self._bar is not None:
            self._bar.set_postfix_str(result.document_id[-30:], refresh=False)
            self._bar.update(1)
