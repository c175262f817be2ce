"""A second topic, declared as data only: recognised local service centres (lokale dienstencentra).

It proves that a topic is an addition to the pipeline, never an edit: nothing in the
generic code names it. Loaded with `--profile tests/profiles/lokale_dienstencentra.py`.
"""

from pipeline.profiles import Profile
from pipeline.profiles.model import (
    Amount,
    AmountReading,
    Cell,
    Column,
    DatasetProfile,
    Declared,
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

CENTRES = Dataset(
    name="centres",
    title="Recognised local service centres per municipality",
    title_nl="Erkende lokale dienstencentra per gemeente",
    row="municipality with recognised local service centres",
    fields=(
        document_id_field(),
        municipality_field("Official Dutch name of the municipality."),
        nis_code_field(),
        Field("centres", "integer", "Number of recognised centres.", title_nl="Aantal centra", minimum=0),
        Field("recognised_since", "integer", "Year of the first recognition.", title_nl="Erkend sinds",
              minimum=1970, maximum=2100),
        page_field("the row"),
    ),
    primary_key=("document_id", "municipality"),
    foreign_keys=TO_DOCUMENTS,
)

ACTIVITIES = Dataset(
    name="activities",
    title="Core activities",
    title_nl="Kernactiviteiten",
    row="core activity named in the answer",
    fields=(document_id_field(), position_field("activity, as listed"),
            Field("activity", "string", "The activity as listed.", title_nl="Activiteit")),
    primary_key=("document_id", "position"),
    foreign_keys=TO_DOCUMENTS,
)

FUNDING = Dataset(
    name="funding",
    title="Operating funds",
    title_nl="Werkingsmiddelen",
    row="year of operating funds",
    fields=(
        document_id_field(),
        year_field("Year the funds are for."),
        Field("amount_eur", "integer", "Funds in whole euros.", title_nl="Bedrag (euro)", minimum=1),
        Field("amount_raw", "string", "The amount exactly as printed.", title_nl="Bedrag (ruw)"),
        page_field("the sentence stating the amount"),
    ),
    primary_key=("document_id", "year"),
    foreign_keys=TO_DOCUMENTS,
)

PROFILE = Profile(
    name="lokale-dienstencentra",
    title="Local service centres",
    datasets=(
        DatasetProfile(CENTRES, (
            TableReading(
                columns=(
                    Column("municipality", ("gemeente", "stad"), content="municipality"),
                    Column("centres", ("aantal centra", "centra"), content="count", totalled=True),
                    Column("since", ("erkend sinds", "sinds"), content="year"),
                ),
                fields=(
                    ("municipality", Cell("municipality")),
                    ("nis_code", NisCode("municipality", on="intro-date")),
                    ("centres", Cell("centres")),
                    ("recognised_since", Cell("since")),
                    ("page", Page()),
                ),
                subject=("dienstencentra", "centra"),
            ),
        )),
        DatasetProfile(ACTIVITIES, (
            ListReading(
                trigger=r"activiteiten",
                fields=(("position", Position()), ("activity", Item())),
                declared=Declared(("kernactiviteiten", "activiteiten"), "declared-list-count", lookback=2),
            ),
        )),
        DatasetProfile(FUNDING, (
            AmountReading(
                trigger=r"werkingsmiddelen",
                fields=(("year", Year()), ("amount_eur", Amount()), ("amount_raw", Amount(raw=True)),
                        ("page", Page())),
            ),
        )),
    ),
)
