"""`dcat.ttl`: DCAT-AP (Vlaanderen) for the files of an output folder, as an rdflib graph.

A catalogue with one dataset and a distribution per CSV, Parquet and `datapackage.json`
file, each with its size and SHA-256, so it is written last. The graph is built from
triples and serialised by rdflib, which quotes every literal (document titles come from
untrusted PDFs, the settings from a hand-edited file). It conforms to SEMIC's DCAT-AP 3.0.1
SHACL shapes: every node a shape constrains by class is typed (the vocabulary terms too),
and every node has an IRI, no blank node, so the Turtle rdflib writes (subjects, predicates
and objects sorted) is the same bytes for the same graph.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path

from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.term import Node

from pipeline import __version__
from pipeline.errors import one_line
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

# Plain namespaces, not rdflib's predefined ones: those warn on any attribute they do not define.
DCAT = Namespace("http://www.w3.org/ns/dcat#")
DCT = Namespace("http://purl.org/dc/terms/")
FOAF = Namespace("http://xmlns.com/foaf/0.1/")
RDF = Namespace("http://www.w3.org/1999/02/22-rdf-syntax-ns#")
RDFS = Namespace("http://www.w3.org/2000/01/rdf-schema#")
SKOS = Namespace("http://www.w3.org/2004/02/skos/core#")
SPDX = Namespace("http://spdx.org/rdf/terms#")
VCARD = Namespace("http://www.w3.org/2006/vcard/ns#")
XSD = Namespace("http://www.w3.org/2001/XMLSchema#")
PREFIXES = {"dcat": DCAT, "dct": DCT, "foaf": FOAF, "rdf": RDF, "rdfs": RDFS, "skos": SKOS, "spdx": SPDX,
            "vcard": VCARD, "xsd": XSD}

EU_AUTHORITY = "http://publications.europa.eu/resource/authority/"
ADMS = "http://purl.org/adms/"
# Open data is always PUBLIC in DCAT-AP VL ("Verplichte waarde voor Toegangsbeperkingen").
ACCESS_RIGHTS_PUBLIC = EU_AUTHORITY + "access-right/PUBLIC"
LANGUAGE_DUTCH = EU_AUTHORITY + "language/NLD"
LANGUAGE_ENGLISH = EU_AUTHORITY + "language/ENG"
DATA_THEMES = EU_AUTHORITY + "data-theme"
THEME_GOVERNMENT = DATA_THEMES + "/GOVE"
# The Flemish Region (NUTS 1 BE2): what the Flemish Parliament's answers are about.
FLANDERS = "http://data.europa.eu/nuts/code/BE2"
IANA_MEDIA_TYPES = "https://www.iana.org/assignments/media-types/"
SHA256 = SPDX.checksumAlgorithm_sha256
# DCAT-AP VL fixes the licence of a catalogue's own metadata to this CC0 declaration.
CATALOGUE_LICENCE = "https://data.vlaanderen.be/id/licentie/creative-commons-zero-verklaring/v1.0"
CATALOGUE_LICENCE_TYPE = "http://purl.org/adms/licencetype/PublicDomain"

# The labels of the vocabulary terms used, as their vocabularies give them (in English).
TERM_LABELS = {
    ACCESS_RIGHTS_PUBLIC: "public",
    LANGUAGE_DUTCH: "Dutch",
    LANGUAGE_ENGLISH: "English",
    THEME_GOVERNMENT: "Government and public sector",
}

Triple = tuple[Node, Node, Node]


def distribution_iri(publishing: Publishing, file: PublishedFile) -> str:
    return dcat_iri(publishing, "distributie-" + file.path.replace(".", "-"))


def read_documents(folder: Path) -> list[dict[str, str]]:
    with (folder / f"documents.{CSV.name}").open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def provenance(documents: Sequence[Mapping[str, str]], language: str) -> str:
    """Where the data comes from, naming every source document. Titles and file names come from outside:
    as one line each, control characters escaped, so the label stays one line of plain text."""
    sources = "; ".join(f"“{one_line(d['title'])}” ({one_line(d['file_name'])})" if d["title"]
                        else one_line(d["file_name"]) for d in documents)
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


def label_from_iri(iri: str) -> str:
    """A label for a vocabulary term named by the setting's IRI alone: its last segment, words split
    (`.../licencetype/PublicDomain` → `Public domain`). SKOS asks every concept for a label."""
    last = re.split(r"[/#]", iri.rstrip("/#"))[-1]
    words = re.sub(r"(?<=[a-z0-9])(?=[A-Z])", " ", last).replace("_", " ").replace("-", " ").split()
    return " ".join([words[0], *(w.lower() for w in words[1:])]) if words else iri


def texts(subject: URIRef, predicate: URIRef, by_language: Mapping[str, str]) -> Iterator[Triple]:
    for language in LANGUAGES:
        yield subject, predicate, Literal(by_language[language], lang=language)


def vocabulary_of(iri: str) -> str | None:
    """The concept scheme a term of the EU authority tables or of ADMS belongs to, by its IRI
    (`.../authority/file-type/CSV` → `.../authority/file-type`, `.../adms/licencetype/X` →
    `.../adms/licencetype/1.0`); None for another vocabulary."""
    parent = iri.rsplit("/", 1)[0]
    if iri.startswith(EU_AUTHORITY):
        return parent
    if iri.startswith(ADMS):
        return parent + "/1.0"
    return None


def in_vocabulary(node: URIRef) -> Iterator[Triple]:
    scheme = vocabulary_of(str(node))
    if scheme:
        yield node, SKOS.inScheme, URIRef(scheme)


def concept(iri: str, label: str) -> Iterator[Triple]:
    """A SKOS concept of a controlled vocabulary, with the label the shapes ask every concept for."""
    node = URIRef(iri)
    yield node, RDF.type, SKOS.Concept
    yield node, SKOS.prefLabel, Literal(label, lang="en")
    yield from in_vocabulary(node)


def typed_term(iri: str, cls: URIRef) -> Iterator[Triple]:
    """A vocabulary term with the class DCAT-AP's shapes expect of it, its label and its vocabulary."""
    node = URIRef(iri)
    yield node, RDF.type, cls
    if iri in TERM_LABELS:
        yield node, RDFS.label, Literal(TERM_LABELS[iri], lang="en")
    yield from in_vocabulary(node)


def licence(iri: str, title: str, licence_type: str) -> Iterator[Triple]:
    node = URIRef(iri)
    yield node, RDF.type, DCT.LicenseDocument
    yield node, DCT.title, Literal(title)
    # A licence other than the Flemish model licences is described with its ADMS type (DCAT-AP VL).
    yield node, DCT.type, URIRef(licence_type)
    yield from concept(licence_type, label_from_iri(licence_type))


def publisher_agent(publishing: Publishing) -> Iterator[Triple]:
    node = URIRef(publishing.publisher_uri)
    # Both Agent classes: DCAT-AP's shapes ask for foaf:Agent, DCAT-AP VL names dct:Agent.
    yield node, RDF.type, FOAF.Agent
    yield node, RDF.type, DCT.Agent
    yield node, FOAF.name, Literal(publishing.publisher_name, lang="nl")
    yield node, DCT.type, URIRef(publishing.publisher_type)
    yield from concept(publishing.publisher_type, label_from_iri(publishing.publisher_type))


def distribution(publishing: Publishing, file: PublishedFile, facts: FileFacts) -> Iterator[Triple]:
    iri = distribution_iri(publishing, file)
    node, url = URIRef(iri), URIRef(publishing.base_url + file.path)
    titles, descriptions = distribution_texts(file)
    yield node, RDF.type, DCAT.Distribution
    yield from texts(node, DCT.title, titles)
    yield from texts(node, DCT.description, descriptions)
    yield node, DCT.identifier, Literal(iri)
    # A file that is downloaded directly: access and download URL are the same.
    yield node, DCAT.accessURL, url
    yield node, DCAT.downloadURL, url
    yield node, DCT["format"], URIRef(file.format.eu_file_type)
    yield from typed_term(file.format.eu_file_type, DCT.MediaTypeOrExtent)
    media_type = IANA_MEDIA_TYPES + file.format.mediatype
    yield node, DCAT.mediaType, URIRef(media_type)
    yield from typed_term(media_type, DCT.MediaType)
    if file.dataset is None:
        yield node, DCT.conformsTo, URIRef(DATAPACKAGE_PROFILE)
        yield from typed_term(DATAPACKAGE_PROFILE, DCT.Standard)
    yield node, DCT.license, URIRef(publishing.licence_uri)
    yield node, DCAT.byteSize, Literal(str(facts.bytes), datatype=XSD.nonNegativeInteger)
    # A named checksum node rather than a blank one: the same file gives the same bytes.
    # DCAT-AP's usage note still says only SHA-1 is supported, copied from an SPDX 1.x comment;
    # SPDX 2 defines sha256, DCAT-AP 3's shapes do not restrict the algorithm, and SHA-256 is
    # the hash datapackage.json and documents.csv use.
    checksum = URIRef(dcat_iri(publishing, "checksum-" + file.path.replace(".", "-")))
    yield node, SPDX.checksum, checksum
    yield checksum, RDF.type, SPDX.Checksum
    yield checksum, SPDX.algorithm, SHA256
    yield checksum, SPDX.checksumValue, Literal(facts.sha256, datatype=XSD.hexBinary)


def dcat_graph(folder: Path, publishing: Publishing, datasets: Sequence[Dataset]) -> Graph:
    """DCAT-AP for the files in `folder`: a catalogue with one dataset and a distribution per CSV,
    Parquet and datapackage.json (which must already be written)."""
    files = [*data_files(datasets), PublishedFile(DATAPACKAGE_FILE, JSON, None)]
    documents = read_documents(folder)
    catalogue, dataset, contact, origin = (URIRef(dcat_iri(publishing, f))
                                           for f in ("catalogus", "dataset", "contactpunt", "herkomst"))
    publisher = URIRef(publishing.publisher_uri)
    graph = Graph(bind_namespaces="none")
    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, namespace)
    add = graph.add

    add((catalogue, RDF.type, DCAT.Catalog))
    for triple in texts(catalogue, DCT.title, {lang: f"{TITLE[lang]} ({'catalogus' if lang == 'nl' else 'catalogue'})"
                                               for lang in LANGUAGES}):
        add(triple)
    for triple in texts(catalogue, DCT.description, {lang: catalogue_description(lang) for lang in LANGUAGES}):
        add(triple)
    add((catalogue, DCT.identifier, Literal(str(catalogue))))
    add((catalogue, DCT.publisher, publisher))
    add((catalogue, DCAT.contactPoint, contact))
    add((catalogue, DCT.license, URIRef(CATALOGUE_LICENCE)))
    for language in (LANGUAGE_DUTCH, LANGUAGE_ENGLISH):  # the metadata is written in both
        add((catalogue, DCT.language, URIRef(language)))
    add((catalogue, DCT.spatial, URIRef(FLANDERS)))
    add((catalogue, DCAT.themeTaxonomy, URIRef(DATA_THEMES)))
    add((catalogue, DCAT.dataset, dataset))

    add((dataset, RDF.type, DCAT.Dataset))
    for triple in texts(dataset, DCT.title, TITLE):
        add(triple)
    for triple in texts(dataset, DCT.description, {lang: description(lang, datasets) for lang in LANGUAGES}):
        add(triple)
    add((dataset, DCT.identifier, Literal(str(dataset))))
    add((dataset, DCT.publisher, publisher))
    add((dataset, DCAT.contactPoint, contact))
    add((dataset, DCT.accessRights, URIRef(ACCESS_RIGHTS_PUBLIC)))
    for keyword in publishing.keywords:
        add((dataset, DCAT.keyword, Literal(keyword, lang="nl")))
    add((dataset, DCAT.theme, URIRef(THEME_GOVERNMENT)))
    add((dataset, DCT.language, URIRef(LANGUAGE_DUTCH)))
    add((dataset, DCT.spatial, URIRef(FLANDERS)))
    add((dataset, DCT.provenance, origin))
    add((origin, RDF.type, DCT.ProvenanceStatement))
    for triple in texts(origin, RDFS.label, {lang: provenance(documents, lang) for lang in LANGUAGES}):
        add(triple)
    for file in files:
        add((dataset, DCAT.distribution, URIRef(distribution_iri(publishing, file))))
        for triple in distribution(publishing, file, file_facts(folder / file.path)):
            add(triple)

    # The terms of controlled vocabularies, with the classes the shapes expect of them.
    for triple in (
        *typed_term(ACCESS_RIGHTS_PUBLIC, DCT.RightsStatement),
        *typed_term(LANGUAGE_DUTCH, DCT.LinguisticSystem),
        *typed_term(LANGUAGE_ENGLISH, DCT.LinguisticSystem),
        *concept(THEME_GOVERNMENT, TERM_LABELS[THEME_GOVERNMENT]),
        (URIRef(DATA_THEMES), RDF.type, SKOS.ConceptScheme),
        (URIRef(DATA_THEMES), DCT.title, Literal("Data theme", lang="en")),
        (URIRef(FLANDERS), RDF.type, DCT.Location),
        (URIRef(FLANDERS), SKOS.prefLabel, Literal("Vlaams Gewest", lang="nl")),
        (URIRef(SHA256), RDF.type, SPDX.ChecksumAlgorithm),
        *licence(CATALOGUE_LICENCE, "Creative Commons Zero verklaring", CATALOGUE_LICENCE_TYPE),
        *licence(publishing.licence_uri, publishing.licence_title, publishing.licence_type),
    ):
        add(triple)

    add((contact, RDF.type, VCARD.Kind))
    add((contact, VCARD.fn, Literal(publishing.contact_name)))
    add((contact, VCARD.hasEmail, URIRef(f"mailto:{publishing.contact_email}")))
    for triple in publisher_agent(publishing):
        add(triple)
    return graph


COMMENT = ("# DCAT-AP Vlaanderen description of the files in this folder, written by `python -m pipeline run`\n"
           "# from the datasets' declarations and the publishing settings (publishing.toml). Do not edit.\n")


def dcat_turtle(folder: Path, publishing: Publishing, datasets: Sequence[Dataset]) -> str:
    """dcat.ttl's text: rdflib's Turtle of `dcat_graph`, which sorts subjects, predicates and objects."""
    return COMMENT + dcat_graph(folder, publishing, datasets).serialize(format="turtle")


def write_dcat(folder: Path, publishing: Publishing, datasets: Sequence[Dataset]) -> None:
    # Bytes, not text mode: the same file on every platform.
    (folder / DCAT_FILE).write_bytes(dcat_turtle(folder, publishing, datasets).encode("utf-8"))
