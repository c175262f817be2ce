"""`dcat.ttl`: DCAT-AP Vlaanderen for the files of an output folder.

A catalogue with one dataset and a distribution per CSV, Parquet and `datapackage.json`
file, each with its size and SHA-256, so it is written last. Every literal and IRI goes
through `turtle_string` or `turtle_iri`: document titles come from untrusted PDFs and the
settings from a hand-edited file.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Mapping, Sequence
from pathlib import Path
from urllib.parse import quote

from pipeline import __version__
from pipeline.publish.datapackage import DATAPACKAGE_PROFILE, TITLE, catalogue_description, description
from pipeline.publish.files import (
    CSV,
    DATAPACKAGE_FILE,
    DCAT_FILE,
    JSON,
    FileFacts,
    PublishedFile,
    data_files,
    file_facts,
)
from pipeline.publish.publishing import Publishing, dcat_iri
from schemas.spec import Dataset

LANGUAGES = ("nl", "en")


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


def distribution_iri(publishing: Publishing, file: PublishedFile) -> str:
    return dcat_iri(publishing, "distributie-" + file.path.replace(".", "-"))


def read_documents(folder: Path) -> list[dict[str, str]]:
    with (folder / f"documents.{CSV.name}").open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def provenance(documents: Sequence[Mapping[str, str]], language: str) -> str:
    """Where the data comes from, naming every source document (titles are PDF text: untrusted)."""
    sources = "; ".join(f"“{d['title']}” ({d['file_name']})" if d["title"] else d["file_name"] for d in documents)
    repairs = f"repairs.{CSV.name}"
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


def dcat_turtle(folder: Path, publishing: Publishing, datasets: Sequence[Dataset]) -> str:
    """DCAT-AP Vlaanderen for the files in `folder`: a catalogue with one dataset and a
    distribution per CSV, Parquet and datapackage.json (which must already be written)."""
    files = [*data_files(datasets), PublishedFile(DATAPACKAGE_FILE, JSON, None)]
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
            ("dct:description", [turtle_literal(description(lang, datasets), lang) for lang in LANGUAGES]),
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
               "# from the datasets' declarations and the publishing settings (publishing.toml). Do not edit.\n")
    return comment + header + "\n" + "\n".join(blocks)


def write_dcat(folder: Path, publishing: Publishing, datasets: Sequence[Dataset]) -> None:
    # Bytes, not text mode: the same file on every platform.
    (folder / DCAT_FILE).write_bytes(dcat_turtle(folder, publishing, datasets).encode("utf-8"))
