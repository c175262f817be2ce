"""Every repair rule, check and document error the pipeline can report, by stable slug.

Reports, CSV files and tests refer to these slugs only, so that runs can be
filtered and diffed, and so that a rule's wording can improve without breaking
anyone who filters on it. The README's tables are generated from here (see
`python -m pipeline docs`), and a test fails if a slug is used but not listed.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Entry:
    slug: str
    title: str
    description: str


def _index(*entries: Entry) -> dict[str, Entry]:
    index = {e.slug: e for e in entries}
    if len(index) != len(entries):
        raise ValueError("duplicate slug in catalogue")
    return index


REPAIR_RULES = _index(
    Entry(
        "cell-wrap-midtoken",
        "Word broken inside a cell",
        "A cell line holding a single token that fills the cell so that not even the next line's first glyph "
        "would have fitted was broken mid-token by the layout engine: the lines are joined without a space "
        "(`13/01/201` + `4`). Not when the PDF prints a space at the line's end, when the case changes from lower "
        "to upper across the break, when the line is a whole date (a date ends with its year: `16/01/2014` + "
        "`17/01/2014`), or when the answer prints the line's token elsewhere as a whole word and never the two "
        "halves joined (`Aantal` + `deelnemers`): those are word wraps.",
    ),
    Entry(
        "cell-wrap-hyphen",
        "Cell line broken at a hyphen or slash",
        "A cell line ending in `-` or `/`, or followed by one starting with `-`, is joined without a space, "
        "keeping the mark (`Langemark-` + `Poelkapelle`, `Heusden` + `-Zolder`), unless a conjunction follows "
        "the hyphen (`OCMW-` + `en CAW`).",
    ),
    Entry(
        "cell-wrap-space",
        "Cell text wrapped between words",
        "Any other line break inside a cell was a word wrap: the lines are joined with one space "
        "(`OCMW Heusden` + `Zolder`).",
    ),
    Entry(
        "text-wrap-hyphen",
        "Running text broken at a hyphen",
        "A value taken from running text that was broken at a hyphen or slash is joined without a space, "
        "keeping the hyphen (`Sint-Pieters-` + `Leeuw`).",
    ),
    Entry(
        "text-wrap-space",
        "Running text wrapped between words",
        "A value taken from running text that spans a line break is joined with one space.",
    ),
    Entry(
        "amount-thousands-typo",
        "Amount with a two-digit thousands group",
        "In a Dutch amount `.` groups thousands, so every group after the first has three digits. An amount whose "
        "last group has two (`525.00 euro`), in an answer whose other amounts are all whole thousands, is read "
        "as a dropped zero (525000). Where the other amounts are not whole thousands the amount is rejected, "
        "not guessed.",
    ),
    Entry(
        "table-continued",
        "Table continued on the next page",
        "A table at the top of a page with the same columns (count and x-positions) as the table that ends the "
        "previous page is the same table: its rows are appended to it and keep its table_id. The raw text is "
        "the first row printed on the new page.",
    ),
    Entry(
        "table-repeated-header",
        "Repeated header row dropped",
        "A continued table that repeats the header row of its first page: the repeated header is not a data row.",
    ),
    Entry(
        "row-split-over-page",
        "Row split over a page break",
        "The last row before a page break and the first row after it are one row when one of them leaves empty "
        "a column that every other row fills, or when a cell before the break ends in a line broken mid-token or "
        "at a hyphen: their cells are joined line by line.",
    ),
    Entry(
        "control-characters",
        "Control characters removed",
        "Text that holds control characters (NUL, a bell, an escape, a carriage return or a tab: anything but a "
        "line break) is published without them, so that no CSV, terminal or spreadsheet acts on them. The raw text "
        "shows each removed character as its escape (`\\x00`).",
    ),
    Entry(
        "invalid-unicode",
        "Invalid Unicode replaced",
        "Text holding a lone surrogate (bytes that were not valid UTF-8, or a damaged character map in the PDF) has "
        "each one replaced by U+FFFD, which a UTF-8 file can hold. The raw text shows each as its escape.",
    ),
)

CHECKS = _index(
    Entry("schema", "Schema", "The dataset's rows against its pandera schema: types, required values, ranges, "
          "formats, unique keys and page numbers within the document. Failing rows go to `quarantine/`."),
    Entry("declared-row-count", "Declared number of table rows",
          "A number the answer states for a table (`met 89 lokale besturen`) against the rows read from it. "
          "A difference fails: rows may have been lost; so does a count whose table was not found at all."),
    Entry("declared-list-count", "Declared number of listed items",
          "A number the answer states for a list in its own text (`19 OCMW's ...: A, B, ...`) against the items "
          "listed. A difference is a warning: the source disagrees with itself and the listed items are kept. "
          "A count with no list found under it fails: the list was lost."),
    Entry("declared-total", "Declared total",
          "A `Totaal` row against the sum of the column's values. A difference fails."),
    Entry("municipality-known", "Municipality in the register",
          "Every municipality name found in Statbel's register for the row's reference date; unknown names "
          "are a warning and get an empty nis_code."),
    Entry("document-read", "Document read",
          "The PDF could be opened and read; otherwise the document is listed with status `error`."),
    Entry("pages-read", "Every page read",
          "Every page in the PDF's page tree was read. A page that cannot be loaded, or that the pdfplumber reader "
          "cannot reach while PDFium finds it in the page tree, is a warning naming the pages: their rows are missing."),
    Entry("table-recognised", "Tables recognised",
          "Every table of the document matched a dataset by its header words and its columns' content; an "
          "unrecognised table is a warning (naming the dataset it half-matches, if any) and its cells are still "
          "published in `cells`. A header whose column's content says otherwise is overruled by the content, "
          "with a warning."),
    Entry("announced-content", "Announced tables and lists present",
          "A sentence that announces a table (`in onderstaande tabel`) or ends in a colon is followed by a table or "
          "a list. When none follows, what it announced was lost: a failure when the sentence speaks of one of the "
          "profile's datasets, else a warning."),
    Entry("datasets-found", "Profile's datasets found",
          "The document yields rows of at least one of the profile's datasets; a document that yields none is a "
          "warning: it may be on another topic (`--profile`), or laid out in a form the pipeline does not read."),
    Entry("list-recognised", "Lists read",
          "Every list introduced by a sentence that counts its items (`de volgende drie ...:`) was read into a "
          "dataset; one that was not is a warning naming it."),
    Entry("value-parsed", "Values parsed",
          "Every date, number and yes/no value in a recognised table or sentence could be read; one that cannot "
          "is left empty and its row fails the schema."),
    Entry("formula-like-text", "Text a spreadsheet would run",
          "Cell text starting with `=`, `+`, `-` or `@` is published unchanged but would run as a formula when the "
          "CSV is opened in a spreadsheet: a warning."),
    Entry("publishing-placeholder", "Publishing setting still a placeholder",
          "A setting of `publishing.toml` that still holds a stand-in (a URL or e-mail address on a domain "
          "reserved for examples, such as `example.org`, or a value that says `placeholder`) would reach "
          "`datapackage.json` and `dcat.ttl` as if it were the publisher's: a warning of the run, for no document, "
          "also printed on stderr when the run starts."),
)

DOCUMENT_ERRORS = _index(
    Entry("unreadable-file", "File cannot be read",
          "the file cannot be read ({detail}): check that it is still there and that you may read it"),
    Entry("empty-file", "Empty file", "the file is empty: download it again"),
    Entry("not-a-pdf", "Not a PDF", "the file is not a PDF ({found}): download or export the answer as PDF"),
    Entry("damaged-pdf", "Damaged PDF", "the PDF cannot be read ({detail}): it may be truncated, download it again"),
    Entry("encrypted-pdf", "Password-protected PDF",
          "the PDF is password-protected: ask the publisher for an unprotected copy, or decrypt it first "
          "(e.g. qpdf --decrypt)"),
    Entry("no-text-layer", "No text layer", "no text layer: run OCR first, e.g. ocrmypdf"),
    Entry("content-too-large", "Content too large",
          "its compressed streams inflate to more than {limit} MB, which no answer needs: check the PDF (it may be "
          "built to exhaust memory), or raise the max_content_bytes setting"),
    Entry("page-too-large", "Page too large",
          "page {page} is {width:.0f} x {height:.0f} pt, over the {limit:.0f} pt that any paper size fits in: check "
          "the PDF's MediaBox, or raise the max_page_points setting"),
    Entry("timeout", "Took too long", "reading took longer than {seconds:g} s: check the PDF, or raise --timeout"),
    Entry("memory-limit", "Needed too much memory",
          "reading needed more than the memory limit of {megabytes} MB: check the PDF, or raise --memory-limit"),
    Entry("worker-died", "Reading process ended",
          "the process reading the PDF ended ({how}): the PDF may need more memory than --memory-limit allows, or "
          "crash the PDF library; check the PDF, or raise --memory-limit"),
    Entry("invalid-document-row", "Impossible document details",
          "what the PDF says about itself does not fit the documents dataset ({detail}): check the PDF; nothing of it "
          "is published"),
    Entry("unpublishable", "Rows cannot be published",
          "its rows could not be validated or written ({detail}): please report it with the PDF attached; the "
          "other documents are published"),
    Entry("duplicate-document-id", "Duplicate document id",
          "its document_id {document_id!r} is also that of {others}: rename the files so that their names differ "
          "in more than case, accents and punctuation"),
    Entry("internal-error", "Internal error",
          "the pipeline failed on this file ({detail}): please report it with the PDF attached"),
)
