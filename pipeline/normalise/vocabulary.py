"""The words an answer prints whole: the tie-breaker for ambiguous line wraps.

A word is "printed whole" when it stands somewhere in the document away from a
line break: in running text, or inside a cell but not at the end of a wrapped
line nor at the start of its continuation. The last row of a table fragment and
the first row of one count as wrapped: a page break may have split that row. A single-token cell line that is
followed by different words in different cells ("Overeenkomst" + "met ...",
"Overeenkomst" + "zonder ...") is a whole word too: a token broken by the
layout engine always continues with the same letters.
"""

from __future__ import annotations

from pipeline.extract.layout import Document
from pipeline.normalise.text import WORD_BREAK_MARKS, Vocabulary, vocabulary_key


def document_vocabulary(document: Document) -> Vocabulary:
    words: set[str] = set()
    continuations: dict[str, set[str]] = {}
    for page in document.pages:
        for line in page.lines:
            words.update(vocabulary_key(w.text) for w in line.words if not w.text.endswith(WORD_BREAK_MARKS))
        for table in page.tables:
            for cell in table.cells:
                lines = cell.lines
                # A borderless table holds one text line per row at this stage:
                # any of its lines may be part of a wrapped cell.
                split_after = cell.row == table.n_rows - 1 or not table.ruled
                split_before = cell.row == 0 or not table.ruled
                for i, line in enumerate(lines):
                    wrapped_after = i < len(lines) - 1
                    wrapped_before = i > 0 or split_before
                    for j, word in enumerate(line.words):
                        at_break = (j == len(line.words) - 1 and (wrapped_after or split_after)) or (
                            j == 0 and wrapped_before
                        )
                        if not at_break:
                            words.add(vocabulary_key(word.text))
                    if wrapped_after and len(line.words) == 1:
                        following = lines[i + 1].words[0].text
                        if following.isalpha():
                            continuations.setdefault(vocabulary_key(line.words[0].text), set()).add(
                                vocabulary_key(following)
                            )
    words.update(head for head, tails in continuations.items() if len(tails) >= 2)
    words.discard("")
    return Vocabulary(frozenset(words))
