"""The published datasets, declared once (see `schemas.spec` for what derives from this).

Column order here is the column order of the CSV and Parquet files. New columns are
appended at the end so that readers selecting columns by position keep working.
"""

from __future__ import annotations

from pipeline.catalogue import REPAIR_RULES
from schemas.spec import Dataset, Field, ForeignKey

DOCUMENT_ID_PATTERN = r"^[a-z0-9]+(-[a-z0-9]+)*$"
NIS_CODE_PATTERN = r"^[1-9][0-9]{4}$"
# Years an answer can plausibly report on: OCMWs exist since 1976, the Flemish
# Parliament since 1995; anything outside this window is a misread number.
FIRST_PLAUSIBLE_YEAR = 1970
LAST_PLAUSIBLE_YEAR = 2100


def _document_id() -> Field:
    return Field(
        "document_id",
        "string",
        "Identifier of the answer document: its file name without `.pdf`, lower-cased, reduced to [a-z0-9-].",
        title_nl="Document",
        pattern=DOCUMENT_ID_PATTERN,
    )


def _page(what: str) -> Field:
    return Field(
        "page",
        "integer",
        f"1-based page of the PDF where {what} stands.",
        title_nl="Pagina",
        minimum=1,
        is_page=True,
    )


def _year(description: str) -> Field:
    return Field(
        "year",
        "integer",
        description,
        title_nl="Jaar",
        minimum=FIRST_PLAUSIBLE_YEAR,
        maximum=LAST_PLAUSIBLE_YEAR,
    )


def _municipality(description: str) -> Field:
    return Field("municipality", "string", description, title_nl="Gemeente")


def _nis_code() -> Field:
    return Field(
        "nis_code",
        "string",
        "5-digit NIS (REFNIS) code of the municipality, as valid on the row's reference date "
        "in Statbel's register; empty when the name is not a known municipality.",
        title_nl="NIS-code",
        required=False,
        pattern=NIS_CODE_PATTERN,
    )


def _position(what: str) -> Field:
    return Field("position", "integer", f"1-based order of the {what} in the document.", title_nl="Volgorde", minimum=1)


_TO_DOCUMENTS = (ForeignKey(("document_id",), "documents", ("document_id",)),)

DOCUMENTS = Dataset(
    name="documents",
    title="Answer documents",
    title_nl="Antwoorddocumenten",
    row="input PDF file",
    fields=(
        _document_id(),
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

AGREEMENTS = Dataset(
    name="agreements",
    title="Global cooperation agreements",
    title_nl="Globale samenwerkingsakkoorden",
    row="municipality with a global cooperation agreement",
    fields=(
        _document_id(),
        _municipality("Official Dutch name of the municipality (or city) with the agreement."),
        _nis_code(),
        Field("with_consultation_day", "boolean", "True when the agreement includes a consultation day "
              "(`met zitdag`), false when it does not (`zonder zitdag`); empty when the answer says neither.",
              title_nl="Met zitdag", required=False),
        Field("agreement_raw", "string", "The agreement cell exactly as printed (line breaks as \\n).",
              title_nl="Overeenkomst (ruw)"),
        Field("reference_date", "date", "Date on which the answer states the agreements, from the sentence that "
              "introduces the table; empty when the answer gives none.", title_nl="Peildatum", required=False),
        _page("the row's first cell"),
    ),
    primary_key=("document_id", "municipality"),
    foreign_keys=_TO_DOCUMENTS,
)

PER_DOSSIER = Dataset(
    name="per_dossier",
    title="Local authorities paying per case file",
    title_nl="Lokale besturen met vergoeding per dossier",
    row="local authority that called on the service per file, for a year",
    fields=(
        _document_id(),
        _year("Year in which the local authority called on the service per file."),
        _municipality("Official Dutch name of the municipality, as listed in the answer."),
        _nis_code(),
        _page("the sentence listing the municipality"),
    ),
    primary_key=("document_id", "year", "municipality"),
    foreign_keys=_TO_DOCUMENTS,
)

TRAININGS = Dataset(
    name="trainings",
    title="Training sessions",
    title_nl="Opleidingen",
    row="training session",
    fields=(
        _document_id(),
        Field("date", "date", "Date of the session.", title_nl="Datum"),
        Field("organiser", "string", "Who organised the session (`Inrichter`).", title_nl="Inrichter"),
        Field("target_group", "string", "Audience of the session (`Doelgroep`).", title_nl="Doelgroep", required=False),
        Field("participants", "integer", "Number of participants.", title_nl="Aantal deelnemers", minimum=1),
        Field("date_raw", "string", "The date cell exactly as printed (line breaks as \\n).", title_nl="Datum (ruw)"),
        _page("the row's first cell"),
        _position("session"),
    ),
    primary_key=("document_id", "position"),
    foreign_keys=_TO_DOCUMENTS,
)

TRAINING_MODULES = Dataset(
    name="training_modules",
    title="Training modules",
    title_nl="Opleidingsmodules",
    row="module named in the answer",
    fields=(
        _document_id(),
        _position("module, as listed"),
        Field("module", "string", "Name of the module, without bullet or closing punctuation.", title_nl="Module"),
    ),
    primary_key=("document_id", "position"),
    foreign_keys=_TO_DOCUMENTS,
)

SUBSIDIES = Dataset(
    name="subsidies",
    title="Operating subsidies",
    title_nl="Werkingssubsidies",
    row="year of operating subsidy",
    fields=(
        _document_id(),
        _year("Year the subsidy is for."),
        Field("amount_eur", "integer", "Subsidy in whole euros.", title_nl="Bedrag (euro)", minimum=1),
        Field("amount_raw", "string", "The amount exactly as printed, with its currency word.", title_nl="Bedrag (ruw)"),
        _page("the sentence stating the amount"),
    ),
    primary_key=("document_id", "year"),
    foreign_keys=_TO_DOCUMENTS,
)

CELLS = Dataset(
    name="cells",
    title="Table cells",
    title_nl="Tabelcellen",
    row="cell of any table in any document",
    fields=(
        _document_id(),
        Field("table_id", "string", "Table within the document (`t1`, `t2`, ... in reading order); a table that "
              "continues over pages keeps one id.", pattern=r"^t[1-9][0-9]*$"),
        _page("the cell"),
        Field("row", "integer", "1-based row within the table, header rows included.", title_nl="Rij", minimum=1),
        Field("column", "integer", "1-based column within the table.", title_nl="Kolom", minimum=1),
        Field("header", "string", "Text of the column's header; empty when the table has no header row.",
              title_nl="Kolomkop", required=False),
        Field("text_raw", "string", "The cell exactly as printed (line breaks as \\n).", title_nl="Tekst (ruw)",
              required=False),
        Field("text", "string", "The cell with line wraps re-joined.", title_nl="Tekst", required=False),
    ),
    primary_key=("document_id", "table_id", "row", "column"),
    foreign_keys=_TO_DOCUMENTS,
)

_DATA = (DOCUMENTS, AGREEMENTS, PER_DOSSIER, TRAININGS, TRAINING_MODULES, SUBSIDIES, CELLS)

REPAIRS = Dataset(
    name="repairs",
    title="Repairs made to the source text",
    title_nl="Herstellingen",
    row="change made to source text",
    fields=(
        _document_id(),
        Field("dataset", "string", "Dataset the repaired value belongs to.", enum=tuple(d.name for d in _DATA)),
        Field("field", "string", "Column the repaired value belongs to."),
        _page("the raw text"),
        Field("raw", "string", "The text exactly as printed (line breaks as \\n).", title_nl="Ruw"),
        Field("repaired", "string", "The value after the repair; empty when the raw text was dropped "
              "(a repeated header row).", title_nl="Hersteld", required=False),
        Field("rule", "string", "Stable slug of the repair rule (see docs/reference.md).", title_nl="Regel",
              enum=tuple(REPAIR_RULES)),
    ),
    foreign_keys=_TO_DOCUMENTS,
)

DATASETS: tuple[Dataset, ...] = (*_DATA, REPAIRS)
BY_NAME: dict[str, Dataset] = {d.name: d for d in DATASETS}
