"""The datasets every run publishes whatever the topic, and the fields topics declare theirs with.

`documents` (one row per input file), `cells` (every cell of every table) and `repairs`
(every change made to the source text) are declared here; a topic's own datasets are
declared in its profile (`pipeline.profiles`) with the field makers below, and
`published_datasets` puts them in publishing order. Column order is the column order of
the CSV and Parquet files. New columns are appended at the end, so that readers selecting
columns by position keep working.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from schemas.spec import Dataset, Field, ForeignKey

DOCUMENT_ID_PATTERN = r"^[a-z0-9]+(-[a-z0-9]+)*$"
NIS_CODE_PATTERN = r"^[1-9][0-9]{4}$"
# Years an answer can plausibly report on: OCMWs exist since 1976, the Flemish
# Parliament since 1995; anything outside this window is a misread number.
FIRST_PLAUSIBLE_YEAR = 1970
LAST_PLAUSIBLE_YEAR = 2100


def document_id_field() -> Field:
    return Field(
        "document_id",
        "string",
        "Identifier of the answer document: its file name without `.pdf`, lower-cased, reduced to [a-z0-9-].",
        title_nl="Document",
        pattern=DOCUMENT_ID_PATTERN,
    )


def page_field(what: str) -> Field:
    return Field(
        "page",
        "integer",
        f"1-based page of the PDF where {what} stands.",
        title_nl="Pagina",
        minimum=1,
        is_page=True,
    )


def year_field(description: str) -> Field:
    return Field(
        "year",
        "integer",
        description,
        title_nl="Jaar",
        minimum=FIRST_PLAUSIBLE_YEAR,
        maximum=LAST_PLAUSIBLE_YEAR,
    )


def municipality_field(description: str) -> Field:
    return Field("municipality", "string", description, title_nl="Gemeente")


def nis_code_field() -> Field:
    return Field(
        "nis_code",
        "string",
        "5-digit NIS (REFNIS) code of the municipality, as valid on the row's reference date "
        "in Statbel's register; empty when the name is not a known municipality.",
        title_nl="NIS-code",
        required=False,
        pattern=NIS_CODE_PATTERN,
    )


def position_field(what: str) -> Field:
    return Field("position", "integer", f"1-based order of the {what} in the document.", title_nl="Volgorde", minimum=1)


TO_DOCUMENTS = (ForeignKey(("document_id",), "documents", ("document_id",)),)
CELL_VALUE_TYPES = ("date", "count", "ordinal", "year", "amount", "number", "municipality", "text", "header")

DOCUMENTS = Dataset(
    name="documents",
    title="Answer documents",
    title_nl="Antwoorddocumenten",
    row="input PDF file",
    fields=(
        document_id_field(),
        Field("file_name", "string", "Name of the PDF file as it was found in the input folder.", title_nl="Bestandsnaam"),
        Field(
            "sha256",
            "string",
            "SHA-256 of the PDF file's bytes, lower-case hex; empty only when the file could not be read at all.",
            required=False,
            pattern=r"^[0-9a-f]{64}$",
        ),
        Field("pages", "integer", "Number of pages in the PDF; empty when it could not be read.", title_nl="Pagina's",
              required=False, minimum=1),
        Field("title", "string", "Title of the written question, as printed at the top of the document.",
              title_nl="Titel", required=False),
        Field("status", "string", "`ok` when the document was read, `error` when it could not be.", enum=("ok", "error")),
        Field("error", "string", "One-line description of what went wrong and what to do; empty when status is ok.",
              title_nl="Fout", required=False),
        Field("question_number", "integer", "Number of the written question, from the header `op vraag nr. N van ...`; "
              "empty when the document has no such header.", title_nl="Vraagnummer", required=False, minimum=1),
        Field("question_date", "date", "Date of the written question, from the same header; empty when absent.",
              title_nl="Datum vraag", required=False),
    ),
    primary_key=("document_id",),
    order="document_id",
)

CELLS = Dataset(
    name="cells",
    title="Table cells",
    title_nl="Tabelcellen",
    row="cell of any table in any document",
    fields=(
        document_id_field(),
        Field("table_id", "string", "Table within the document (`t1`, `t2`, ... in reading order); a table that "
              "continues over pages keeps one id.", pattern=r"^t[1-9][0-9]*$"),
        page_field("the cell"),
        Field("row", "integer", "1-based row within the table, header rows included.", title_nl="Rij", minimum=1),
        Field("column", "integer", "1-based column within the table.", title_nl="Kolom", minimum=1),
        Field("header", "string", "Text of the column's header; empty when the table has no header row.",
              title_nl="Kolomkop", required=False),
        Field("text_raw", "string", "The cell exactly as printed (line breaks as \\n).", title_nl="Tekst (ruw)",
              required=False),
        Field("text", "string", "The cell with line wraps re-joined.", title_nl="Tekst", required=False),
        Field("value_type", "string", "What the cell holds, read from its text and its column: `date`, `count` "
              "(a whole number), `ordinal` (a row number), `year`, `amount` (euro), `number` (with decimals), "
              "`municipality`, `text`, or `header` for a header row; empty for an empty cell.",
              title_nl="Soort waarde", required=False, enum=CELL_VALUE_TYPES),
        Field("number", "number", "The cell's number for a count, ordinal, year, amount (in euros) or number: Dutch "
              "notation read (`1.045` is 1045, `12,5` is 12.5).", title_nl="Getal", required=False),
        Field("date", "date", "The cell's date, for a date in any common Dutch form (`13 januari 2014`, "
              "`13/01/2014`).", title_nl="Datum", required=False),
        nis_code_field(),
    ),
    primary_key=("document_id", "table_id", "row", "column"),
    foreign_keys=TO_DOCUMENTS,
)


def repairs_dataset(dataset_names: Sequence[str], rule_slugs: Iterable[str]) -> Dataset:
    """`repairs`, whose `dataset` and `rule` columns name the run's datasets and repair rules."""
    return Dataset(
        name="repairs",
        title="Repairs made to the source text",
        title_nl="Herstellingen",
        row="change made to source text",
        fields=(
            document_id_field(),
            Field("dataset", "string", "Dataset the repaired value belongs to.", enum=tuple(dataset_names)),
            Field("field", "string", "Column the repaired value belongs to."),
            page_field("the raw text"),
            Field("raw", "string", "The text exactly as printed (line breaks as \\n).", title_nl="Ruw"),
            Field("repaired", "string", "The value after the repair; empty when the raw text was dropped "
                  "(a repeated header row).", title_nl="Hersteld", required=False),
            Field("rule", "string", "Stable slug of the repair rule (see docs/reference.md).", title_nl="Regel",
                  enum=tuple(rule_slugs)),
            Field("row_key", "string", "Key of the row the repair changed in `dataset`, as a JSON object of its "
                  "primary key's columns without document_id (`{\"position\":3}`, `{\"municipality\":\"Aalter\"}`, "
                  "`{\"table_id\":\"t1\",\"row\":5,\"column\":2}`; a repair of a whole table row names its row, "
                  "a continued table its `table_id`).", title_nl="Sleutel van de rij", required=False),
        ),
        foreign_keys=TO_DOCUMENTS,
    )


def published_datasets(topic: Sequence[Dataset], rule_slugs: Iterable[str]) -> tuple[Dataset, ...]:
    """Every dataset a run publishes, in publishing order: documents, the topic's, cells, repairs."""
    data = (DOCUMENTS, *topic, CELLS)
    return (*data, repairs_dataset([d.name for d in data], rule_slugs))
