"""Domain errors: a usage mistake, and errors that end the reading of one document (with a catalogue slug).

`UsageError` is a mistake in how the pipeline was called or set up (exit status 2);
`OutputError` an output folder that could not be written (exit status 1).
Each stage raises `DocumentError` for what is wrong with the *input*; the
per-document entry point (`pipeline.process`) turns it, and any unexpected
exception, into a `status=error` row. Nothing here ever reaches the user as a
traceback, and every message is one printable line.
"""

from __future__ import annotations

from pipeline.catalogue import DOCUMENT_ERRORS


class UsageError(Exception):
    """A run cannot start as asked: the user's mistake, exit status 2, nothing written."""


class OutputError(Exception):
    """The output folder could not be written (a full disk, a read-only folder): exit status 1, the
    previous output left as it was. The message names the folder and says what to do."""

    def __init__(self, out: object, error: OSError) -> None:
        import errno

        where = f" ({error.filename})" if error.filename else ""
        if error.errno == errno.ENOSPC:
            advice = "free some space, or choose an --out on another disk"
        elif error.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
            advice = "choose an --out you may write"
        else:
            advice = "check the folder and the disk"
        super().__init__(one_line(f"cannot write the output to {out}: {error.strerror or error}{where}: {advice}; "
                                  f"the previous output was left as it was"))


class DocumentError(Exception):
    """What is wrong with one input document, with a stable slug and a one-line message."""

    def __init__(self, slug: str, **params: object) -> None:
        if slug not in DOCUMENT_ERRORS:
            raise KeyError(f"unknown document error slug {slug!r}")
        self.slug = slug
        self.params = params
        message = DOCUMENT_ERRORS[slug].description.format(**params)
        super().__init__(one_line(message))

    @property
    def message(self) -> str:
        return str(self)


def one_line(text: str) -> str:
    """Whitespace runs as one space, other control characters escaped: the message quotes text
    from the file (pdfminer's complaints), which must not break the line or drive the terminal."""
    return "".join(c if c.isprintable() else repr(c)[1:-1] for c in " ".join(text.split()))
