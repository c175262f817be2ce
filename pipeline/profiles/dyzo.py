"""The built-in topic: Dyzo's cooperation with the OCMW's (local welfare centres).

Which datasets the answers on this topic yield, declared once (columns, keys,
descriptions), and how an answer states their rows: the header words and content of
each table column, the sentences that introduce a list or state an amount, and the
nouns a declared count counts. Everything generic (documents, cells, repairs) is in
`schemas.core`; the vocabulary of this file is `pipeline.profiles.model`.
"""

from __future__ import annotations

from pipeline.profiles.model import (
    Amount,
    AmountReading,
    Cell,
    Choice,
    Column,
    DatasetProfile,
    Declared,
    IntroDate,
    IntroYear,
    Item,
    ListReading,
    NisCode,
    Page,
    Position,
    TableReading,
    Year,
)
from schemas.core import (
    TO_DOCUMENTS,
    document_id_field,
    municipality_field,
    nis_code_field,
    page_field,
    position_field,
    year_field,
)
from schemas.spec import Dataset, Field

AGREEMENTS = Dataset(
    name="agreements",
    title="Global cooperation agreements",
    title_nl="Globale samenwerkingsakkoorden",
    row="municipality with a global cooperation agreement",
    fields=(
        document_id_field(),
        municipality_field("Official Dutch name of the municipality (or city) with the agreement."),
        nis_code_field(),
        Field("with_consultation_day", "boolean", "True when the agreement includes a consultation day "
              "(`met zitdag`), false when it does not (`zonder zitdag`); empty when the answer says neither.",
              title_nl="Met zitdag", required=False),
        Field("agreement_raw", "string", "The agreement cell exactly as printed (line breaks as \\n).",
              title_nl="Overeenkomst (ruw)"),
        Field("reference_date", "date", "Date on which the answer states the agreements, from the sentence that "
              "introduces the table; empty when the answer gives none.", title_nl="Peildatum", required=False),
        page_field("the row's first cell"),
    ),
    primary_key=("document_id", "municipality"),
    foreign_keys=TO_DOCUMENTS,
)

PER_DOSSIER = Dataset(
    name="per_dossier",
    title="Local authorities paying per case file",
    title_nl="Lokale besturen met vergoeding per dossier",
    row="local authority that called on the service per file, for a year",
    fields=(
        document_id_field(),
        year_field("Year in which the local authority called on the service per file."),
        municipality_field("Official Dutch name of the municipality, as listed in the answer."),
        nis_code_field(),
        page_field("the sentence listing the municipality"),
    ),
    primary_key=("document_id", "year", "municipality"),
    foreign_keys=TO_DOCUMENTS,
)

TRAININGS = Dataset(
    name="trainings",
    title="Training sessions",
    title_nl="Opleidingen",
    row="training session",
    fields=(
        document_id_field(),
        Field("date", "date", "Date of the session.", title_nl="Datum"),
        Field("organiser", "string", "Who organised the session (`Inrichter`).", title_nl="Inrichter"),
        Field("target_group", "string", "Audience of the session (`Doelgroep`).", title_nl="Doelgroep", required=False),
        Field("participants", "integer", "Number of participants.", title_nl="Aantal deelnemers", minimum=1),
        Field("date_raw", "string", "The date cell exactly as printed (line breaks as \\n).", title_nl="Datum (ruw)"),
        page_field("the row's first cell"),
        position_field("session"),
    ),
    primary_key=("document_id", "position"),
    foreign_keys=TO_DOCUMENTS,
)

TRAINING_MODULES = Dataset(
    name="training_modules",
    title="Training modules",
    title_nl="Opleidingsmodules",
    row="module named in the answer",
    fields=(
        document_id_field(),
        position_field("module, as listed"),
        Field("module", "string", "Name of the module, without bullet or closing punctuation.", title_nl="Module"),
    ),
    primary_key=("document_id", "position"),
    foreign_keys=TO_DOCUMENTS,
)

SUBSIDIES = Dataset(
    name="subsidies",
    title="Operating subsidies",
    title_nl="Werkingssubsidies",
    row="year of operating subsidy",
    fields=(
        document_id_field(),
        year_field("Year the subsidy is for."),
        Field("amount_eur", "integer", "Subsidy in whole euros.", title_nl="Bedrag (euro)", minimum=1),
        Field("amount_raw", "string", "The amount exactly as printed, with its currency word.", title_nl="Bedrag (ruw)"),
        page_field("the sentence stating the amount"),
    ),
    primary_key=("document_id", "year"),
    foreign_keys=TO_DOCUMENTS,
)

# Nouns a declared count of local authorities counts ("met 89 lokale besturen", "19 OCMW's").
AUTHORITY_NOUNS = ("besturen", "gemeenten", "steden", "ocmw's", "ocmw-besturen", "ocmws", "ocmw’s")
MUNICIPALITY_SYNONYMS = ("gemeente", "stad", "gemeenten", "lokaal bestuur", "lokale besturen", "bestuur", "ocmw",
                         "ocmw's")
SUBSIDY_TRIGGER = r"subsidie|toelage|dotatie|financiële steun|financiering|werkingsmiddelen"

DATASETS = (
    DatasetProfile(AGREEMENTS, (
        TableReading(
            columns=(
                Column("municipality", MUNICIPALITY_SYNONYMS, content="municipality"),
                Column("agreement", ("overeenkomst", "type overeenkomst", "soort overeenkomst", "type",
                                     "samenwerkingsakkoord", "samenwerkingsovereenkomst", "akkoord", "samenwerking")),
            ),
            fields=(
                ("municipality", Cell("municipality")),
                ("nis_code", NisCode("municipality", on="intro-date")),
                # No word boundary before "met": a wrap misread as mid-token ("Overeenkomstmet zitdag") must
                # not lose the answer; the misread join is in repairs for review.
                ("with_consultation_day", Choice("agreement", r"(met|zonder)\s+zitdag", true=("met",),
                                                 false=("zonder",))),
                ("agreement_raw", Cell("agreement", raw=True)),
                ("reference_date", IntroDate()),
                ("page", Page()),
            ),
            subject=("akkoord", "overeenkomst", "samenwerkingsverband"),
            declared=Declared(AUTHORITY_NOUNS, "declared-row-count"),
        ),
    )),
    DatasetProfile(PER_DOSSIER, (
        ListReading(
            trigger=r"per[\s-]+dossier",
            fields=(
                ("year", IntroYear()),
                ("municipality", Item()),
                ("nis_code", NisCode("municipality", on="year-end")),
                ("page", Page()),
            ),
            declared=Declared(AUTHORITY_NOUNS, "declared-list-count"),
        ),
    )),
    DatasetProfile(TRAININGS, (
        TableReading(
            columns=(
                Column("date", ("datum", "data", "opleidingsdatum", "datum opleiding", "datum sessie"), content="date"),
                Column("organiser", ("inrichter", "organisator", "organisatie", "georganiseerd door",
                                     "organiserende instantie", "inrichtende organisatie", "inrichtend bestuur",
                                     "aanvrager")),
                Column("target_group", ("doelgroep", "publiek", "voor wie", "deelnemersprofiel"), required=False),
                Column("participants", ("deelnemers", "aantal deelnemers", "aanwezigen", "aantal aanwezigen",
                                        "deelnemersaantal", "aantal personen"), content="count", totalled=True),
            ),
            fields=(
                ("date", Cell("date")),
                ("organiser", Cell("organiser")),
                ("target_group", Cell("target_group")),
                ("participants", Cell("participants")),
                ("date_raw", Cell("date", raw=True)),
                ("page", Page()),
                ("position", Position()),
            ),
            subject=("opleiding", "opleidingen", "sessie", "sessies", "vorming", "vormingen"),
        ),
    )),
    DatasetProfile(TRAINING_MODULES, (
        ListReading(
            trigger=r"\bmodules?\b",
            fields=(("position", Position()), ("module", Item())),
            declared=Declared(("module", "modules", "opleidingsmodules"), "declared-list-count", lookback=2),
        ),
    )),
    DatasetProfile(SUBSIDIES, (
        AmountReading(
            trigger=SUBSIDY_TRIGGER,
            fields=(("year", Year()), ("amount_eur", Amount()), ("amount_raw", Amount(raw=True)), ("page", Page())),
        ),
    )),
)
