"""Metadata for open-data portals: `datapackage.json` (Frictionless) and `dcat.ttl` (DCAT-AP Vlaanderen).

Both are derived from the dataset declarations in `schemas.datasets` and from the
publishing settings (`publishing.toml`: publisher, contact, licence, download URL),
and both describe the files of the output folder byte for byte (size and SHA-256),
so they are written after the data files. Neither carries a wall-clock time, so a
re-run on the same input gives identical bytes.

The Turtle is written without an RDF library, so publishing needs none; every
literal and IRI goes through `turtle_string` or `turtle_iri`, because document
titles come from untrusted PDFs and the settings from a hand-edited file.
"""

from __future__ import annotations

import csv
import hashlib
import os
import re
import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlsplit

from pipeline import __version__
from schemas.datasets import DATASETS, DOCUMENTS, REPAIRS
from schemas.spec import FIELD_TYPES, Dataset
from schemas.table_schema import table_schema

# --- publishing settings ---------------------------------------------------------------

SETTINGS_FILE = Path(__file__).resolve().parent.parent / "publishing.toml"
SETTINGS_ENV = "PIPELINE_PUBLISHING"

# The documented defaults (publishing.toml and the README list them): placeholders on
# example.org, a domain reserved for examples, so that nothing real is claimed by accident.
DEFAULT_SETTINGS: dict[str, Any] = {
    "base_url": "https://example.org/flemish-parliament-answers/",
    "keywords": ["Vlaams Parlement", "schriftelijke vragen"],
    "publisher": {
        "uri": "https://example.org/publisher",
        "name": "Example publisher (placeholder: set [publisher] in publishing.toml)",
    },
    "contact": {"name": "Open data contact (placeholder)", "email": "opendata@example.org"},
    "licence": {
        "uri": "https://creativecommons.org/licenses/by/4.0/",
        "id": "CC-BY-4.0",
        "title": "Creative Commons Attribution 4.0 International",
        "type": "http://purl.org/adms/licencetype/Attribution",
    },
}
# The Flemish open data portal only takes over datasets with this keyword (DCAT-AP VL
# handleiding, "Keyword 'Vlaamse Open data'"), so it is added whatever the settings say.
FLEMISH_OPEN_DATA_KEYWORD = "Vlaamse open data"


@dataclass(frozen=True)
class Publishing:
    """Who publishes the output, under which licence, and where its files are downloaded."""

    base_url: str
    keywords: tuple[str, ...]
    publisher_uri: str
    publisher_name: str
    contact_name: str
    contact_email: str
    licence_uri: str
    licence_id: str
    licence_title: str
    licence_type: str


def merge_settings(defaults: Mapping[str, Any], given: Mapping[str, Any], prefix: str = "") -> dict[str, Any]:
    """`given` over `defaults`, key by key; an unknown key or a value of the wrong kind is an error."""
    unknown = sorted(set(given) - set(defaults))
    if unknown:
        raise ValueError(f"unknown key {', '.join(prefix + key for key in unknown)}")
    merged: dict[str, Any] = {}
    for key, default in defaults.items():
        name, value = prefix + key, given.get(key, default)
        if isinstance(default, dict):
            if not isinstance(value, dict):
                raise ValueError(f"[{name}] must be a table")
            merged[key] = merge_settings(default, value, f"{name}.")
        elif isinstance(default, list):
            if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
                raise ValueError(f"{name} must be a list of non-empty strings")
            merged[key] = value
        elif not isinstance(value, str) or not value.strip():
            raise ValueError(f"{name} must be a non-empty string")
        else:
            merged[key] = value
    return merged


def _require_http_url(name: str, value: str) -> None:
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.netloc or any(c.isspace() for c in value):
        raise ValueError(f"{name} must be an absolute http(s) URL, not {value!r}")


def parse_publishing(data: Mapping[str, Any]) -> Publishing:
    """The settings as read from TOML (a missing key takes its default), checked."""
    s = merge_settings(DEFAULT_SETTINGS, data)
    publishing = Publishing(
        base_url=s["base_url"],
        keywords=tuple(dict.fromkeys([FLEMISH_OPEN_DATA_KEYWORD, *s["keywords"]])),
        publisher_uri=s["publisher"]["uri"],
        publisher_name=s["publisher"]["name"],
        contact_name=s["contact"]["name"],
        contact_email=s["contact"]["email"],
        licence_uri=s["licence"]["uri"],
        licence_id=s["licence"]["id"],
        licence_title=s["licence"]["title"],
        licence_type=s["licence"]["type"],
    )
    # DCAT-AP VL asks for absolute URLs only: a relative one would be read against
    # wherever a harvester happened to fetch dcat.ttl from.
    for name, value in (("base_url", publishing.base_url), ("publisher.uri", publishing.publisher_uri),
                        ("licence.uri", publishing.licence_uri), ("licence.type", publishing.licence_type)):
        _require_http_url(name, value)
    if not publishing.base_url.endswith("/"):
        raise ValueError(f"base_url must end in '/' (it is the folder of the files), not {publishing.base_url!r}")
    # The Data Package profile only accepts Open Definition style ids as a licence name.
    if not re.fullmatch(r"[-a-zA-Z0-9._]+", publishing.licence_id):
        raise ValueError(f"licence.id must be a licence identifier such as CC-BY-4.0, not {publishing.licence_id!r}")
    if not re.fullmatch(r"[^@\s]+@[^@\s]+", publishing.contact_email):
        raise ValueError(f"contact.email must be an e-mail address, not {publishing.contact_email!r}")
    return publishing


def settings_path() -> Path:
    override = os.environ.get(SETTINGS_ENV)
    return Path(override) if override else SETTINGS_FILE


def load_publishing(path: Path | None = None) -> Publishing:
    """The publishing settings from `path` (default: $PIPELINE_PUBLISHING, else publishing.toml).

    Only the default file may be missing (then every key takes its default): a path
    given on purpose that does not exist is a mistake worth stopping for.
    """
    # Imported here: pipeline.run loads the whole pipeline (pdfplumber included) and is what calls this.
    from pipeline.run import UsageError

    path = path or settings_path()
    if not path.exists() and path == SETTINGS_FILE:
        return parse_publishing({})
    try:
        return parse_publishing(tomllib.loads(path.read_text(encoding="utf-8")))
    except OSError as exc:
        raise UsageError(f"publishing settings {path}: {exc.strerror}: fix {SETTINGS_ENV} or create the file") from exc
    except ValueError as exc:  # also TOMLDecodeError and UnicodeDecodeError
        raise UsageError(f"publishing settings {path}: {exc}: see the comments in publishing.toml") from exc


# --- the published files ---------------------------------------------------------------

EU_FILE_TYPE = "http://publications.europa.eu/resource/authority/file-type/"


@dataclass(frozen=True)
class FileFormat:
    name: str  # Frictionless `format`, also the file extension
    label: str
    mediatype: str  # IANA media type
    eu_file_type: str  # EU file-type vocabulary, which DCAT-AP requires for dct:format


CSV = FileFormat("csv", "CSV", "text/csv", EU_FILE_TYPE + "CSV")
# Registered with IANA in 2024; frictionless-py's own guess, application/parquet, is not registered.
PARQUET = FileFormat("parquet", "Parquet", "application/vnd.apache.parquet", EU_FILE_TYPE + "PARQUET")
JSON = FileFormat("json", "JSON", "application/json", EU_FILE_TYPE + "JSON")

DATAPACKAGE_FILE = "datapackage.json"
DCAT_FILE = "dcat.ttl"


@dataclass(frozen=True)
class PublishedFile:
    path: str  # relative to the output folder, also relative to base_url
    format: FileFormat
    dataset: Dataset | None  # None for the datapackage


def data_files() -> list[PublishedFile]:
    """Every dataset's CSV, then every dataset's Parquet, in declaration order."""
    return [PublishedFile(f"{d.name}.{fmt.name}", fmt, d) for fmt in (CSV, PARQUET) for d in DATASETS]


@dataclass(frozen=True)
class FileFacts:
    bytes: int
    sha256: str


def file_facts(path: Path) -> FileFacts:
    data = path.read_bytes()
    return FileFacts(len(data), hashlib.sha256(data).hexdigest())


# --- datapackage.json --------------------------------------------------------------------

DATAPACKAGE_NAME = "flemish-parliament-answers"
# Data Package v1, declared the v2 way (`$schema`). v1 because the Parquet files are listed
# as plain files (see `parquet_resource`) and v2 reserves `type` for "table"; v2 readers read v1.
DATAPACKAGE_PROFILE = "https://datapackage.org/profiles/1.0/datapackage.json"

TITLE = {
    "en": "Flemish Parliament: answers to written questions",
    "nl": "Vlaams Parlement: antwoorden op schriftelijke vragen",
}
LANGUAGES = ("nl", "en")


def description(language: str) -> str:
    if language == "nl":
        tables = ", ".join(f"{d.title_nl} ({d.name})" for d in DATASETS)
        return ("Gegevens gelezen uit de antwoorden (PDF) op schriftelijke vragen in het Vlaams Parlement, "
                f"gevalideerd, met elke herstelling van de brontekst opgetekend. Tabellen: {tables}. "
                f"Elke tabel staat er als CSV en als Parquet; {DATAPACKAGE_FILE} beschrijft elke kolom.")
    tables = ", ".join(f"{d.title} ({d.name})" for d in DATASETS)
    return ("Data read from the answers (PDF) to written questions in the Flemish Parliament, validated, "
            f"with every repair to the source text recorded. Tables: {tables}. "
            f"Each table is published as CSV and as Parquet; {DATAPACKAGE_FILE} describes every column.")


def catalogue_description(language: str) -> str:
    if language == "nl":
        return f"Catalogus met één dataset, “{TITLE['nl']}”, en zijn bestanden."
    return f"Catalogue of one dataset, “{TITLE['en']}”, and its files."


def csv_resource(dataset: Dataset, facts: FileFacts) -> dict[str, Any]:
    return {
        "name": dataset.name,
        # The v1 marker of a table with a schema; v2 readers must read it as "type": "table".
        "profile": "tabular-data-resource",
        "title": dataset.title,
        "description": f"One row per {dataset.row}. Dutch: {dataset.title_nl}. Rows ordered by {dataset.order}.",
        "path": f"{dataset.name}.{CSV.name}",
        "format": CSV.name,
        "mediatype": CSV.mediatype,
        "encoding": "utf-8",
        "bytes": facts.bytes,
        # Data Resource `hash`: MD5 unless prefixed with the algorithm (v1 and v2 alike).
        "hash": f"sha256:{facts.sha256}",
        "dialect": {"delimiter": ",", "lineTerminator": "\n", "header": True},
        "schema": table_schema(dataset),
    }


def parquet_resource(dataset: Dataset, facts: FileFacts) -> dict[str, Any]:
    """The Parquet twin of a CSV resource, listed as a file whose size and hash are checked.

    Why not a table with the schema: frictionless-py 5 reads Parquet through pandas,
    so it cannot count bytes or hash the file (an error whenever `bytes`/`hash` are
    given) and turns an empty integer into NaN (a type error). Its own `type: file`
    makes `frictionless validate` check size and SHA-256 instead; under v1 `type` is
    an ordinary extra property, while v2 would only allow "table". The columns are
    those of the CSV resource, which the description names.
    """
    # Imported here: pyarrow and pandas take a third of a second to load, and a run with nothing
    # new to do needs this module (for `settings_path`) but never writes a Parquet file.
    from schemas.frames import ARROW_TYPES

    types = ", ".join(f"{t} as {ARROW_TYPES[t]}" for t in FIELD_TYPES)
    return {
        "name": f"{dataset.name}-{PARQUET.name}",
        "type": "file",
        "title": f"{dataset.title} ({PARQUET.label})",
        "description": f"The rows of resource {dataset.name} ({dataset.name}.{CSV.name}) in the same order, "
        f"as Apache Parquet with typed columns ({types}).",
        "path": f"{dataset.name}.{PARQUET.name}",
        "format": PARQUET.name,
        "mediatype": PARQUET.mediatype,
        "bytes": facts.bytes,
        "hash": f"sha256:{facts.sha256}",
    }


def datapackage(folder: Path, publishing: Publishing | None = None) -> dict[str, Any]:
    """The Frictionless Data Package describing the data files in `folder`.

    No `created`: the spec makes it a datetime, and a wall-clock time would make every
    run differ. `version` is the pipeline's version.
    """
    publishing = publishing or load_publishing()
    resources = [
        *(csv_resource(d, file_facts(folder / f"{d.name}.{CSV.name}")) for d in DATASETS),
        *(parquet_resource(d, file_facts(folder / f"{d.name}.{PARQUET.name}")) for d in DATASETS),
    ]
    return {
        "$schema": DATAPACKAGE_PROFILE,
        "name": DATAPACKAGE_NAME,
        "id": dcat_iri(publishing, "dataset"),
        "title": TITLE["en"],
        "description": description("en"),
        "version": __version__,
        "keywords": list(publishing.keywords),
        "licenses": [
            {"name": publishing.licence_id, "path": publishing.licence_uri, "title": publishing.licence_title}
        ],
        "contributors": [
            {"title": publishing.publisher_name, "path": publishing.publisher_uri, "role": "publisher"},
            {"title": publishing.contact_name, "email": publishing.contact_email, "role": "maintainer"},
        ],
        "resources": resources,
    }


# --- Turtle --------------------------------------------------------------------------------

# ECHAR escapes of the Turtle grammar; `"`, `\`, LF and CR may not stand in a quoted string.
_STRING_ESCAPES = {'"': '\\"', "\\": "\\\\", "\n": "\\n", "\r": "\\r", "\t": "\\t", "\b": "\\b", "\f": "\\f"}


def _is_control(char: str) -> bool:
    code = ord(char)
    return code < 0x20 or 0x7F <= code <= 0x9F or char in "\u2028\u2029"


def turtle_string(text: str) -> str:
    """`text` as a quoted Turtle string; other control characters as \\u escapes, so the file stays plain text."""
    escaped = "".join(
        _STRING_ESCAPES.get(c) or (f"\\u{ord(c):04X}" if _is_control(c) else c) for c in text
    )
    return f'"{escaped}"'


def turtle_literal(text: str, language: str) -> str:
    return f"{turtle_string(text)}@{language}"


def turtle_typed(text: str, datatype: str) -> str:
    return f"{turtle_string(text)}^^{datatype}"


# Characters an IRIREF may not hold (Turtle grammar: [^#x00-#x20<>"{}|^`\]), plus other
# controls, which RFC 3987 does not allow in an IRI either.
_IRI_FORBIDDEN = set('<>"{}|^`\\')


def turtle_iri(iri: str) -> str:
    """An absolute IRI as a Turtle IRIREF, characters it may not hold percent-encoded."""
    if not re.match(r"[A-Za-z][A-Za-z0-9+.-]*:", iri):
        raise ValueError(f"not an absolute IRI: {iri!r}")
    encoded = "".join(quote(c, safe="") if c in _IRI_FORBIDDEN or c.isspace() or _is_control(c) else c
                      for c in iri)
    return f"<{encoded}>"


Statements = Sequence[tuple[str, Sequence[str]]]  # (predicate, rendered objects)


def _objects(objects: Sequence[str]) -> str:
    return ",\n        ".join(objects)


def turtle_subject(subject: str, statements: Statements) -> str:
    body = " ;\n".join(f"    {predicate} {_objects(objects)}" for predicate, objects in statements if objects)
    return f"{subject}\n{body} .\n"


def turtle_blank(statements: Statements) -> str:
    return "[ " + " ; ".join(f"{predicate} {', '.join(objects)}" for predicate, objects in statements) + " ]"


# --- dcat.ttl ------------------------------------------------------------------------------

PREFIXES = {
    "dcat": "http://www.w3.org/ns/dcat#",
    "dct": "http://purl.org/dc/terms/",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "spdx": "http://spdx.org/rdf/terms#",
    "vcard": "http://www.w3.org/2006/vcard/ns#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
}
EU_AUTHORITY = "http://publications.europa.eu/resource/authority/"
# Open data is always PUBLIC in DCAT-AP VL ("Verplichte waarde voor Toegangsbeperkingen").
ACCESS_RIGHTS_PUBLIC = EU_AUTHORITY + "access-right/PUBLIC"
LANGUAGE_DUTCH = EU_AUTHORITY + "language/NLD"
THEME_GOVERNMENT = EU_AUTHORITY + "data-theme/GOVE"
IANA_MEDIA_TYPES = "https://www.iana.org/assignments/media-types/"
# DCAT-AP VL fixes the licence of a catalogue's own metadata to this CC0 declaration.
CATALOGUE_LICENCE = "https://data.vlaanderen.be/id/licentie/creative-commons-zero-verklaring/v1.0"


def dcat_iri(publishing: Publishing, fragment: str) -> str:
    """Catalogue, dataset and distributions are named inside dcat.ttl, where they are described."""
    return f"{publishing.base_url}{DCAT_FILE}#{fragment}"


def distribution_iri(publishing: Publishing, file: PublishedFile) -> str:
    return dcat_iri(publishing, "distributie-" + file.path.replace(".", "-"))


def read_documents(folder: Path) -> list[dict[str, str]]:
    with (folder / f"{DOCUMENTS.name}.{CSV.name}").open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def provenance(documents: Sequence[Mapping[str, str]], language: str) -> str:
    """Where the data comes from, naming every source document (titles are PDF text: untrusted)."""
    sources = "; ".join(f"“{d['title']}” ({d['file_name']})" if d["title"] else d["file_name"] for d in documents)
    repairs = f"{REPAIRS.name}.{CSV.name}"
    n = len(documents)
    if language == "nl":
        return (f"Gelezen door de pijplijn flemish-answers {__version__} uit {n} "
                f"{'antwoord' if n == 1 else 'antwoorden'} (PDF) op schriftelijke vragen in het Vlaams Parlement; "
                f"elke wijziging aan de brontekst is een rij van {repairs}. Bronnen: {sources}.")
    return (f"Read by the flemish-answers pipeline {__version__} from {n} {'answer' if n == 1 else 'answers'} "
            f"(PDF) to written questions in the Flemish Parliament; every change made to the source text is a row "
            f"of {repairs}. Sources: {sources}.")


def distribution_texts(file: PublishedFile) -> tuple[dict[str, str], dict[str, str]]:
    """Title and description of one distribution, per language."""
    dataset = file.dataset
    if dataset is None:
        return (
            {"nl": "Beschrijving van de tabellen (Frictionless Data Package)",
             "en": "Description of the tables (Frictionless Data Package)"},
            {"nl": "Elk bestand met zijn grootte en SHA-256, elke kolom met type, beperkingen en beschrijving, "
                   "primaire en vreemde sleutels.",
             "en": "Every file with its size and SHA-256, every column with its type, constraints and description, "
                   "primary and foreign keys."},
        )
    titles = {"nl": f"{dataset.title_nl} ({file.format.label})", "en": f"{dataset.title} ({file.format.label})"}
    if file.format == CSV:
        return titles, {
            "nl": "CSV: UTF-8 zonder BOM, komma als scheidingsteken, één kopregel, datums volgens ISO 8601.",
            "en": f"One row per {dataset.row}; rows ordered by {dataset.order}. "
                  "UTF-8 without BOM, comma-separated, one header row, ISO 8601 dates.",
        }
    csv_file = f"{dataset.name}.{CSV.name}"
    return titles, {
        "nl": f"Dezelfde rijen als {csv_file}, in dezelfde volgorde, als Apache Parquet met getypeerde kolommen.",
        "en": f"The rows of {csv_file}, in the same order, as Apache Parquet with typed columns.",
    }


def distribution(publishing: Publishing, file: PublishedFile, facts: FileFacts) -> str:
    iri = distribution_iri(publishing, file)
    url = turtle_iri(publishing.base_url + file.path)
    titles, descriptions = distribution_texts(file)
    checksum = turtle_blank([
        ("a", ["spdx:Checksum"]),
        # DCAT-AP's usage note still says only SHA-1 is supported, copied from an SPDX 1.x
        # comment; SPDX 2 defines sha256, DCAT-AP 3's SHACL shapes do not restrict the
        # algorithm, and SHA-256 is the hash datapackage.json and documents.csv use.
        ("spdx:algorithm", ["spdx:checksumAlgorithm_sha256"]),
        ("spdx:checksumValue", [turtle_typed(facts.sha256, "xsd:hexBinary")]),
    ])
    return turtle_subject(turtle_iri(iri), [
        ("a", ["dcat:Distribution"]),
        ("dct:title", [turtle_literal(titles[lang], lang) for lang in LANGUAGES]),
        ("dct:description", [turtle_literal(descriptions[lang], lang) for lang in LANGUAGES]),
        ("dct:identifier", [turtle_string(iri)]),
        # A file that is downloaded directly: access and download URL are the same.
        ("dcat:accessURL", [url]),
        ("dcat:downloadURL", [url]),
        ("dct:format", [turtle_iri(file.format.eu_file_type)]),
        ("dcat:mediaType", [turtle_iri(IANA_MEDIA_TYPES + file.format.mediatype)]),
        ("dct:conformsTo", [turtle_iri(DATAPACKAGE_PROFILE)] if file.dataset is None else []),
        ("dct:license", [turtle_iri(publishing.licence_uri)]),
        ("dcat:byteSize", [turtle_typed(str(facts.bytes), "xsd:nonNegativeInteger")]),
        ("spdx:checksum", [checksum]),
    ])


def dcat_turtle(folder: Path, publishing: Publishing | None = None) -> str:
    """DCAT-AP Vlaanderen for the files in `folder`: a catalogue with one dataset and a
    distribution per CSV, Parquet and datapackage.json (which must already be written)."""
    publishing = publishing or load_publishing()
    files = [*data_files(), PublishedFile(DATAPACKAGE_FILE, JSON, None)]
    documents = read_documents(folder)
    catalogue, dataset, contact = (dcat_iri(publishing, f) for f in ("catalogus", "dataset", "contactpunt"))
    publisher = turtle_iri(publishing.publisher_uri)
    header = "".join(f"@prefix {prefix}: {turtle_iri(iri)} .\n" for prefix, iri in PREFIXES.items())
    blocks = [
        turtle_subject(turtle_iri(catalogue), [
            ("a", ["dcat:Catalog"]),
            ("dct:title", [turtle_literal(f"{TITLE[lang]} ({'catalogus' if lang == 'nl' else 'catalogue'})", lang)
                           for lang in LANGUAGES]),
            ("dct:description", [turtle_literal(catalogue_description(lang), lang) for lang in LANGUAGES]),
            ("dct:identifier", [turtle_string(catalogue)]),
            ("dct:publisher", [publisher]),
            ("dcat:contactPoint", [turtle_iri(contact)]),
            ("dct:license", [turtle_iri(CATALOGUE_LICENCE)]),
            ("dcat:dataset", [turtle_iri(dataset)]),
        ]),
        turtle_subject(turtle_iri(dataset), [
            ("a", ["dcat:Dataset"]),
            ("dct:title", [turtle_literal(TITLE[lang], lang) for lang in LANGUAGES]),
            ("dct:description", [turtle_literal(description(lang), lang) for lang in LANGUAGES]),
            ("dct:identifier", [turtle_string(dataset)]),
            ("dct:publisher", [publisher]),
            ("dcat:contactPoint", [turtle_iri(contact)]),
            ("dct:accessRights", [turtle_iri(ACCESS_RIGHTS_PUBLIC)]),
            ("dcat:keyword", [turtle_literal(keyword, "nl") for keyword in publishing.keywords]),
            ("dcat:theme", [turtle_iri(THEME_GOVERNMENT)]),
            ("dct:language", [turtle_iri(LANGUAGE_DUTCH)]),
            ("dct:provenance", [turtle_blank([
                ("a", ["dct:ProvenanceStatement"]),
                ("rdfs:label", [turtle_literal(provenance(documents, lang), lang) for lang in LANGUAGES]),
            ])]),
            ("dcat:distribution", [turtle_iri(distribution_iri(publishing, file)) for file in files]),
        ]),
        *(distribution(publishing, file, file_facts(folder / file.path)) for file in files),
        turtle_subject(turtle_iri(contact), [
            ("a", ["vcard:Kind"]),
            ("vcard:fn", [turtle_string(publishing.contact_name)]),
            ("vcard:hasEmail", [turtle_iri(f"mailto:{publishing.contact_email}")]),
        ]),
        # Both Agent classes: DCAT-AP's shapes ask for foaf:Agent, DCAT-AP VL names dct:Agent.
        turtle_subject(publisher, [
            ("a", ["foaf:Agent", "dct:Agent"]),
            ("foaf:name", [turtle_literal(publishing.publisher_name, "nl")]),
        ]),
        # A licence other than the Flemish model licences is described with its ADMS type (DCAT-AP VL).
        turtle_subject(turtle_iri(publishing.licence_uri), [
            ("a", ["dct:LicenseDocument"]),
            ("dct:title", [turtle_string(publishing.licence_title)]),
            ("dct:type", [turtle_iri(publishing.licence_type)]),
        ]),
    ]
    comment = ("# DCAT-AP Vlaanderen description of the files in this folder, written by `python -m pipeline run`\n"
               "# from schemas/datasets.py and the publishing settings (publishing.toml). Do not edit.\n")
    return comment + header + "\n" + "\n".join(blocks)


def write_dcat(folder: Path, publishing: Publishing) -> None:
    # Bytes, not text mode: the same file on every platform.
    (folder / DCAT_FILE).write_bytes(dcat_turtle(folder, publishing).encode("utf-8"))
