"""What an open-data portal ingests from a fresh run: CSV files that load without help, a
datapackage.json that `frictionless validate` accepts, DCAT-AP Vlaanderen metadata in
dcat.ttl, and the publishing settings they are made from."""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import hashlib
import io
import json
import os
import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pyarrow.parquet as pq
import pytest
import rdflib
from conftest import FIXTURES, RAW, ROOT, read_csv, run_pipeline
from frictionless import validate as frictionless_validate

from pipeline.errors import UsageError, one_line
from pipeline.profiles import profile_named
from pipeline.publish.dcat import ACCESS_RIGHTS_PUBLIC, FLANDERS, IANA_MEDIA_TYPES, LANGUAGE_DUTCH, dcat_turtle
from pipeline.publish.files import DATAPACKAGE_FILE, DCAT_FILE, EU_FILE_TYPE
from pipeline.publish.publishing import (
    DEFAULT_SETTINGS,
    FLEMISH_OPEN_DATA_KEYWORD,
    SETTINGS_ENV,
    SETTINGS_FILE,
    is_placeholder,
    load_publishing,
    parse_publishing,
    placeholders,
)
from schemas.core import DOCUMENTS

DATASETS = profile_named().published

# Plain namespaces: rdflib's predefined ones warn whenever pytest probes a module attribute.
DCAT = rdflib.Namespace("http://www.w3.org/ns/dcat#")
DCTERMS = rdflib.Namespace("http://purl.org/dc/terms/")
FOAF = rdflib.Namespace("http://xmlns.com/foaf/0.1/")
RDF = rdflib.Namespace("http://www.w3.org/1999/02/22-rdf-syntax-ns#")
RDFS = rdflib.Namespace("http://www.w3.org/2000/01/rdf-schema#")
SHACL = rdflib.Namespace("http://www.w3.org/ns/shacl#")
SKOS = rdflib.Namespace("http://www.w3.org/2004/02/skos/core#")
SPDX = rdflib.Namespace("http://spdx.org/rdf/terms#")
VCARD = rdflib.Namespace("http://www.w3.org/2006/vcard/ns#")
DATA_SUFFIXES = (".csv", ".parquet")


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def load_package(folder: Path) -> dict:
    return json.loads((folder / DATAPACKAGE_FILE).read_text(encoding="utf-8"))


def run_with_env(env: dict[str, str], *args: str | Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "pipeline", "run", *map(str, args)], cwd=ROOT,
                          capture_output=True, text=True, timeout=300, env={**os.environ, **env})


@pytest.fixture(scope="module")
def many_output(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A run on the seed answer and every fixture answer: several documents, some with failing checks."""
    raw = tmp_path_factory.mktemp("many-raw")
    for pdf in [*RAW.glob("*.pdf"), *(FIXTURES / "answers").glob("*.pdf"), *(FIXTURES / "invalid").glob("*.pdf")]:
        shutil.copy(pdf, raw / pdf.name)
    out = tmp_path_factory.mktemp("many") / "output"
    result = run_pipeline("--raw", raw, "--out", out, "--quiet")
    assert result.returncode in (0, 1), result.stderr
    return out


@pytest.fixture(params=["seed_output", "many_output"])
def output(request: pytest.FixtureRequest) -> Path:
    return request.getfixturevalue(request.param)


# --- datapackage.json -----------------------------------------------------------------------


def test_frictionless_validate_accepts_the_datapackage(output):
    report = frictionless_validate(str(output / DATAPACKAGE_FILE))
    assert report.valid, report.flatten(["type", "note"])


@pytest.mark.parametrize("name", ["documents.csv", "documents.parquet"])
def test_frictionless_validate_notices_a_changed_file(seed_output, tmp_path, name):
    copy = shutil.copytree(seed_output, tmp_path / "output")
    data = bytearray((copy / name).read_bytes())
    data[len(data) // 2] ^= 0x01  # same size, other bytes: only the hash can tell
    (copy / name).write_bytes(bytes(data))
    report = frictionless_validate(str(copy / DATAPACKAGE_FILE))
    assert not report.valid
    assert "hash-count" in {error[0] for error in report.flatten(["type"])}


def test_every_data_file_is_a_resource_with_its_size_and_hash(output):
    resources = {r["path"]: r for r in load_package(output)["resources"]}
    data_files = sorted(p.name for p in output.iterdir() if p.suffix in DATA_SUFFIXES)
    assert sorted(resources) == data_files
    assert len({r["name"] for r in resources.values()}) == len(resources)
    for path, resource in resources.items():
        assert resource["bytes"] == (output / path).stat().st_size
        assert resource["hash"] == f"sha256:{sha256(output / path)}"
        assert resource["format"] == Path(path).suffix.removeprefix(".")
    for dataset in DATASETS:
        csv_resource, parquet_resource = resources[f"{dataset.name}.csv"], resources[f"{dataset.name}.parquet"]
        assert (csv_resource["name"], csv_resource["mediatype"], csv_resource["encoding"]) == (
            dataset.name, "text/csv", "utf-8")
        assert parquet_resource["mediatype"] == "application/vnd.apache.parquet"
        assert parquet_resource["name"] != dataset.name and dataset.name in parquet_resource["description"]


def test_the_table_schemas_say_what_the_declarations_say(seed_output):
    resources = {r["name"]: r for r in load_package(seed_output)["resources"]}
    for dataset in DATASETS:
        schema = resources[dataset.name]["schema"]
        assert [f["name"] for f in schema["fields"]] == list(dataset.columns)
        for declared, field in zip(dataset.fields, schema["fields"], strict=True):
            constraints = field.get("constraints", {})
            assert field["type"] == declared.type
            assert field["description"] == declared.description
            assert field.get("title") == (declared.title_nl or None)
            assert constraints.get("required", False) == declared.required
            assert constraints.get("minimum") == declared.minimum and constraints.get("maximum") == declared.maximum
            assert constraints.get("enum") == (list(declared.enum) if declared.enum else None)
            if declared.pattern:  # Table Schema patterns are implicitly anchored
                assert f"^{constraints['pattern']}$" == declared.pattern
        assert schema.get("primaryKey", []) == list(dataset.primary_key)
        to_documents = {"fields": list(DOCUMENTS.primary_key),
                        "reference": {"resource": DOCUMENTS.name, "fields": list(DOCUMENTS.primary_key)}}
        assert schema.get("foreignKeys", []) == ([] if dataset is DOCUMENTS else [to_documents])


def test_the_datapackage_carries_the_publishing_settings_and_no_run_time(seed_output):
    package, publishing = load_package(seed_output), load_publishing()
    assert package["licenses"] == [
        {"name": publishing.licence_id, "path": publishing.licence_uri, "title": publishing.licence_title}
    ]
    assert FLEMISH_OPEN_DATA_KEYWORD in package["keywords"]
    assert package["$schema"].startswith("https://datapackage.org/profiles/")
    assert "created" not in package


# --- dcat.ttl ------------------------------------------------------------------------------------


def one(graph: rdflib.Graph, subject, predicate):
    values = list(graph.objects(subject, predicate))
    assert len(values) == 1, f"{subject} {predicate}: {values}"
    return values[0]


def languages(graph: rdflib.Graph, subject, predicate) -> set[str | None]:
    return {value.language for value in graph.objects(subject, predicate)}


def test_dcat_ttl_has_what_dcat_ap_vlaanderen_makes_mandatory(output):
    graph = rdflib.Graph().parse(output / DCAT_FILE, format="turtle")
    publishing = load_publishing()
    (catalogue,) = graph.subjects(RDF.type, DCAT.Catalog)
    (dataset,) = graph.subjects(RDF.type, DCAT.Dataset)
    assert one(graph, catalogue, DCAT.dataset) == dataset
    for resource in (catalogue, dataset):
        assert languages(graph, resource, DCTERMS.title) == {"nl", "en"}
        assert languages(graph, resource, DCTERMS.description) == {"nl", "en"}
        assert str(one(graph, resource, DCTERMS.identifier)) == str(resource)
        publisher = one(graph, resource, DCTERMS.publisher)
        assert str(publisher) == publishing.publisher_uri
        assert str(one(graph, publisher, FOAF.name)) == publishing.publisher_name
        contact = one(graph, resource, DCAT.contactPoint)
        assert str(one(graph, contact, VCARD.hasEmail)) == f"mailto:{publishing.contact_email}"
    assert one(graph, catalogue, DCTERMS.license) is not None
    assert str(one(graph, dataset, DCTERMS.accessRights)) == ACCESS_RIGHTS_PUBLIC
    assert rdflib.Literal(FLEMISH_OPEN_DATA_KEYWORD, lang="nl") in set(graph.objects(dataset, DCAT.keyword))

    published = sorted([*(p.name for p in output.iterdir() if p.suffix in DATA_SUFFIXES), DATAPACKAGE_FILE])
    distributions = list(graph.objects(dataset, DCAT.distribution))
    downloads = {str(one(graph, d, DCAT.downloadURL)): d for d in distributions}
    assert sorted(downloads) == [publishing.base_url + name for name in published]
    for name in published:
        distribution = downloads[publishing.base_url + name]
        assert (distribution, RDF.type, DCAT.Distribution) in graph
        assert str(one(graph, distribution, DCTERMS.identifier)) == str(distribution)
        assert languages(graph, distribution, DCTERMS.title) == {"nl", "en"}
        assert str(one(graph, distribution, DCAT.accessURL)) == publishing.base_url + name
        assert str(one(graph, distribution, DCTERMS.license)) == publishing.licence_uri
        assert str(one(graph, distribution, DCTERMS["format"])).startswith(EU_FILE_TYPE)
        assert str(one(graph, distribution, DCAT.mediaType)).startswith(IANA_MEDIA_TYPES)
        assert one(graph, distribution, DCAT.byteSize).toPython() == (output / name).stat().st_size
        checksum = one(graph, distribution, SPDX.checksum)
        assert one(graph, checksum, SPDX.algorithm) == SPDX.checksumAlgorithm_sha256
        assert str(one(graph, checksum, SPDX.checksumValue)) == sha256(output / name)
    formats = {Path(name).suffix: str(one(graph, downloads[publishing.base_url + name], DCTERMS["format"]))
               for name in published}
    assert formats == {".csv": EU_FILE_TYPE + "CSV", ".parquet": EU_FILE_TYPE + "PARQUET",
                       ".json": EU_FILE_TYPE + "JSON"}


def test_dcat_ttl_fills_the_recommended_properties_that_make_sense(output):
    graph = rdflib.Graph().parse(output / DCAT_FILE, format="turtle")
    (catalogue,) = graph.subjects(RDF.type, DCAT.Catalog)
    (dataset,) = graph.subjects(RDF.type, DCAT.Dataset)
    assert str(one(graph, dataset, DCTERMS.language)) == LANGUAGE_DUTCH
    assert {str(o) for o in graph.objects(catalogue, DCTERMS.language)} == {LANGUAGE_DUTCH, LANGUAGE_DUTCH[:-3] + "ENG"}
    for resource in (catalogue, dataset):
        assert str(one(graph, resource, DCTERMS.spatial)) == FLANDERS
    theme = one(graph, dataset, DCAT.theme)
    assert one(graph, theme, SKOS.inScheme) == one(graph, catalogue, DCAT.themeTaxonomy)
    licences = {one(graph, d, DCTERMS.license) for d in graph.objects(dataset, DCAT.distribution)}
    assert [str(one(graph, one(graph, licence, DCTERMS.type), SKOS.prefLabel)) for licence in licences] == [
        "Attribution"]  # CC BY 4.0, the default licence, by its ADMS type
    publisher = one(graph, dataset, DCTERMS.publisher)
    assert str(one(graph, one(graph, publisher, DCTERMS.type), SKOS.prefLabel)) == "Regional authority"
    licence_types = [one(graph, licence, DCTERMS.type) for licence in licences]
    for term in (theme, *licence_types, one(graph, dataset, DCTERMS.accessRights)):  # each names its vocabulary
        assert one(graph, term, SKOS.inScheme) is not None


def test_dcat_ttl_has_no_blank_node_so_its_bytes_are_stable(seed_output, tmp_path):
    graph = rdflib.Graph().parse(seed_output / DCAT_FILE, format="turtle")
    assert not [term for triple in graph for term in triple if isinstance(term, rdflib.BNode)]
    # Written again in fresh processes, whose hash seeds differ: the same bytes.
    code = ("import sys; from pathlib import Path; from pipeline.profiles import profile_named; "
            "from pipeline.publish.dcat import dcat_turtle; from pipeline.publish.publishing import load_publishing; "
            "sys.stdout.buffer.write(dcat_turtle(Path(sys.argv[1]), load_publishing(), "
            "profile_named().published).encode())")
    for seed in ("1", "2"):
        again = subprocess.run([sys.executable, "-c", code, str(seed_output)], cwd=ROOT, capture_output=True,
                               check=True, env={**os.environ, "PYTHONHASHSEED": seed}).stdout
        assert again == (seed_output / DCAT_FILE).read_bytes()


SHAPES = ROOT.parent / "shared" / "reference" / "dcat-ap-3.0.1-SHACL.ttl"


def shacl_results(data: rdflib.Graph) -> list[str]:
    """pyshacl's findings of `data` against SEMIC's DCAT-AP 3.0.1 shapes, one line each."""
    if not SHAPES.is_file():
        pytest.skip(f"SEMIC's DCAT-AP 3.0.1 SHACL shapes are not at {SHAPES} (../shared/reference/ of the repository)")
    import pyshacl

    shapes = rdflib.Graph().parse(SHAPES, format="turtle")
    _, results, _ = pyshacl.validate(data, shacl_graph=shapes, inference="none")
    return sorted(f"{results.value(r, SHACL.resultSeverity)} {results.value(r, SHACL.focusNode)} "
                  f"{results.value(r, SHACL.resultPath)}: {results.value(r, SHACL.resultMessage)}"
                  for r in results.subjects(RDF.type, SHACL.ValidationResult))


def test_dcat_ttl_conforms_to_the_dcat_ap_3_shacl_shapes(output):
    assert shacl_results(rdflib.Graph().parse(output / DCAT_FILE, format="turtle")) == []


def test_the_shacl_check_finds_a_vocabulary_term_without_its_class(seed_output):
    """The shapes are really read and applied: untyped file-type terms are violations."""
    graph = rdflib.Graph().parse(seed_output / DCAT_FILE, format="turtle")
    graph.remove((None, RDF.type, DCTERMS.MediaTypeOrExtent))
    findings = shacl_results(graph)
    assert len(findings) == len(list(graph.objects(None, DCTERMS["format"]))) == 17
    assert all("Violation" in f and str(DCTERMS["format"]) in f for f in findings)


UNTRUSTED = [
    'a "quoted" title',
    'ends in a backslash \\',
    "line\nbreak, carriage\rreturn and\ttab",
    '"""triple quotes""" and \'\'\'single\'\'\'',
    '" ; a <http://evil.example/x> . <http://evil.example/y> <http://evil.example/z> "',
    "\x00\x07\x1b[31m control characters \x7f\x85",
    "\u2028line separator\u2029 and emoji 😀, OCMW’s, é, ß",
    "\\u0022 an escape written out, \\n too",
    "@prefix x: <http://evil.example/> .",
]


@pytest.mark.parametrize("title", UNTRUSTED)
def test_untrusted_document_titles_stay_text_in_dcat_ttl(seed_output, tmp_path, title):
    folder = shutil.copytree(seed_output, tmp_path / "output")
    documents = read_csv(folder / "documents.csv")
    documents[0]["title"] = title
    with (folder / "documents.csv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(DOCUMENTS.columns), lineterminator="\n")
        writer.writeheader()
        writer.writerows(documents)
    turtle = dcat_turtle(folder, load_publishing(), DATASETS)
    # Plain text: no control character, no line break inside a literal, whatever the title holds.
    assert all(line.isprintable() for line in turtle.splitlines())
    reference = rdflib.Graph().parse(seed_output / DCAT_FILE, format="turtle")
    graph = rdflib.Graph().parse(data=turtle, format="turtle")
    assert len(graph) == len(reference)  # nothing injected, nothing lost
    (dataset,) = graph.subjects(RDF.type, DCAT.Dataset)
    labels = [str(label) for label in graph.objects(one(graph, dataset, DCTERMS.provenance), RDFS.label)]
    assert len(labels) == 2 and all(f"“{one_line(title)}”" in label for label in labels)


# --- publishing settings -------------------------------------------------------------------------


def leaves(settings: dict, prefix: str = "") -> list[tuple[str, object]]:
    return [item for key, value in settings.items()
            for item in (leaves(value, f"{prefix}{key}.") if isinstance(value, dict) else [(prefix + key, value)])]


def test_every_setting_and_its_default_is_documented():
    settings_file = SETTINGS_FILE.read_text(encoding="utf-8")
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("## Publishing to an open-data portal"):readme.index("## Development")]
    for key, default in leaves(DEFAULT_SETTINGS):
        written = json.dumps(default, ensure_ascii=False)
        assert f"# Default: {written}\n" in settings_file, key
        assert f"`{key}`" in section and f"`{written}`" in section, key


def test_the_committed_settings_file_is_valid():
    assert tomllib.loads(SETTINGS_FILE.read_text(encoding="utf-8"))  # not silently empty
    load_publishing(SETTINGS_FILE)


def test_without_a_settings_file_every_key_takes_its_default(monkeypatch, tmp_path):
    monkeypatch.delenv(SETTINGS_ENV, raising=False)
    monkeypatch.setattr("pipeline.publish.publishing.SETTINGS_FILE", tmp_path / "publishing.toml")
    publishing = load_publishing()
    assert publishing == parse_publishing({})
    assert publishing.base_url == DEFAULT_SETTINGS["base_url"]
    assert publishing.keywords[0] == FLEMISH_OPEN_DATA_KEYWORD


@pytest.mark.parametrize(("settings", "named"), [
    ({"base_url": "example.org/answers/"}, "base_url"),
    ({"base_url": "https://example.org/answers"}, "base_url"),
    ({"publisher": {"url": "https://example.org/"}}, "publisher.url"),
    ({"publisher": "Example"}, "publisher"),
    ({"licence": {"uri": "CC-BY-4.0"}}, "licence.uri"),
    ({"licence": {"id": "CC BY 4.0"}}, "licence.id"),
    ({"contact": {"email": "nobody"}}, "contact.email"),
    ({"contact": {"name": ""}}, "contact.name"),
    ({"keywords": "Vlaams Parlement"}, "keywords"),
    ({"publisher": {"uri": "https://example.org/a<b>"}}, "publisher.uri"),
    ({"licence": {"type": "https://example.org/a b"}}, "licence.type"),
    ({"contact": {"email": "a<b>@example.org"}}, "contact.email"),
    ({"publisher": {"name": "two\nlines"}}, "publisher.name"),
    ({"keywords": ["bell\a"]}, "keywords"),
])
def test_a_wrong_setting_is_refused_naming_the_key(settings, named):
    with pytest.raises(ValueError, match=re.escape(named)):
        parse_publishing(settings)


def test_a_settings_file_named_in_the_environment_is_used(seed_output, tmp_path):
    settings = tmp_path / "portal.toml"
    settings.write_text(
        'base_url = "https://data.example.be/vlaams-parlement/"\n'
        "[publisher]\n"
        'uri = "https://data.vlaanderen.be/id/organisatie/OVO000000"\n'
        'name = "Dienst \\"Open\\" Data — Brussel\\\\Vlaanderen"\n',
        encoding="utf-8",
    )
    out = tmp_path / "output"
    result = run_with_env({SETTINGS_ENV: str(settings)}, "--raw", RAW, "--out", out, "--quiet")
    assert result.returncode == 0, result.stderr
    graph = rdflib.Graph().parse(out / DCAT_FILE, format="turtle")
    (dataset,) = graph.subjects(RDF.type, DCAT.Dataset)
    publisher = one(graph, dataset, DCTERMS.publisher)
    assert str(one(graph, publisher, FOAF.name)) == 'Dienst "Open" Data — Brussel\\Vlaanderen'
    downloads = {str(url) for url in graph.objects(None, DCAT.downloadURL)}
    assert "https://data.example.be/vlaams-parlement/documents.csv" in downloads
    assert load_package(out)["id"] == "https://data.example.be/vlaams-parlement/dcat.ttl#dataset"
    # The data files do not depend on the settings.
    for path in out.iterdir():
        if path.suffix in DATA_SUFFIXES:
            assert sha256(path) == sha256(seed_output / path.name), path.name


def test_a_broken_settings_file_stops_the_run_with_one_line(tmp_path):
    settings = tmp_path / "portal.toml"
    settings.write_text('base_url = "not a url"\n', encoding="utf-8")
    result = run_with_env({SETTINGS_ENV: str(settings)}, "--raw", RAW, "--out", tmp_path / "output", "--quiet")
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [
        f"error: publishing settings {settings}: base_url must be an absolute http(s) URL, not 'not a url': "
        "see the comments in publishing.toml"
    ]
    assert not (tmp_path / "output").exists()
    with pytest.raises(UsageError):
        load_publishing(tmp_path / "missing.toml")


REAL_SETTINGS = (
    'base_url = "https://data.vlaanderen.be/dataset/vlaams-parlement-antwoorden/"\n'
    "[publisher]\n"
    'uri = "https://data.vlaanderen.be/id/organisatie/OVO000000"\n'
    'name = "Vlaams Parlement"\n'
    "[contact]\n"
    'name = "Dienst Open Data"\n'
    'email = "opendata@vlaamsparlement.be"\n'
)


def test_the_documented_defaults_are_the_placeholders_that_are_named():
    assert [(p.key, p.value) for p in placeholders(parse_publishing({}))] == [
        ("base_url", DEFAULT_SETTINGS["base_url"]),
        ("publisher.uri", DEFAULT_SETTINGS["publisher"]["uri"]),
        ("publisher.name", DEFAULT_SETTINGS["publisher"]["name"]),
        ("contact.name", DEFAULT_SETTINGS["contact"]["name"]),
        ("contact.email", DEFAULT_SETTINGS["contact"]["email"]),
    ]
    assert placeholders(parse_publishing(tomllib.loads(REAL_SETTINGS))) == []


@pytest.mark.parametrize(("value", "placeholder"), [
    ("https://example.org/x", True), ("https://data.example.com/", True), ("https://portal.test/", True),
    ("someone@sub.example.net", True), ("Name (placeholder)", True),
    ("https://data.vlaanderen.be/x", False), ("https://notexample.org/", False), ("a@example.org.be", False),
    ("Example Street Publishers", False),
])
def test_a_placeholder_is_a_domain_reserved_for_examples_or_says_so(value, placeholder):
    assert is_placeholder(value) == placeholder


def test_each_placeholder_is_warned_at_run_start_and_in_the_report(seed_output, tmp_path):
    result = run_with_env({}, "--raw", RAW, "--out", tmp_path / "output")
    lines = result.stderr.splitlines()
    expected = [p.message for p in placeholders(load_publishing())]
    assert expected and lines[:len(expected)] == [f"warning: {message}" for message in expected]
    assert "base_url is still a placeholder ('https://example.org/flemish-parliament-answers/')" in lines[0]
    report = json.loads((seed_output / "validation_report.json").read_text(encoding="utf-8"))
    warned = [(c["document_id"], c["status"], c["observed"], c["message"]) for c in report["checks"]
              if c["check"] == "publishing-placeholder"]
    assert warned == [("", "warn", p.value, p.message) for p in placeholders(load_publishing())]


def test_real_settings_give_no_placeholder_warning(tmp_path):
    settings = tmp_path / "portal.toml"
    settings.write_text(REAL_SETTINGS, encoding="utf-8")
    out = tmp_path / "output"
    result = run_with_env({SETTINGS_ENV: str(settings)}, "--raw", RAW, "--out", out)
    assert result.returncode == 0 and "placeholder" not in result.stderr, result.stderr
    report = json.loads((out / "validation_report.json").read_text(encoding="utf-8"))
    assert "publishing-placeholder" not in {c["check"] for c in report["checks"]}
    assert shacl_results(rdflib.Graph().parse(out / DCAT_FILE, format="turtle")) == []


# --- CSV that loaders take without help ----------------------------------------------------------

SNAKE_CASE = re.compile(r"[a-z][a-z0-9]*(_[a-z0-9]+)*")
ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def test_csv_files_load_without_help(output):
    for dataset in DATASETS:
        data = (output / f"{dataset.name}.csv").read_bytes()
        assert not data.startswith(codecs.BOM_UTF8), dataset.name
        text = data.decode("utf-8")  # strict: fails on anything that is not UTF-8
        header, _, _ = text.partition("\n")
        assert header == ",".join(dataset.columns), dataset.name  # one header row, comma, no CR
        assert all(SNAKE_CASE.fullmatch(c) and c.isascii() for c in dataset.columns)
        for row in list(csv.reader(io.StringIO(text, newline="")))[1:]:
            assert len(row) == len(dataset.columns), (dataset.name, row)
            for field, value in zip(dataset.fields, row, strict=True):
                where = (dataset.name, field.name, value)
                if value == "":
                    assert not field.required, where
                elif field.type == "integer":
                    # No sign, thousands separator or decimal mark: plain digits.
                    assert re.fullmatch(r"[0-9]+" if (field.minimum or -1) >= 0 else r"-?[0-9]+", value), where
                elif field.type == "date":
                    assert ISO_DATE.fullmatch(value) and dt.date.fromisoformat(value), where
                elif field.type == "boolean":
                    assert value in ("true", "false"), where


def parquet_as_csv_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float):  # the CSV writes a whole number without `.0` (Table Schema `number`)
        return str(int(value)) if value.is_integer() else repr(value)
    return str(value)


def test_rows_come_in_the_documented_order_and_the_same_in_csv_and_parquet(output):
    for dataset in DATASETS:
        assert dataset.order.startswith("document_id"), dataset.name
        rows = read_csv(output / f"{dataset.name}.csv")
        ids = [row["document_id"] for row in rows]
        assert ids == sorted(ids), dataset.name
        if "position" in dataset.columns:
            keys = [(row["document_id"], int(row["position"])) for row in rows]
            assert keys == sorted(set(keys)), dataset.name
        parquet = pq.read_table(output / f"{dataset.name}.parquet").to_pylist()
        assert [{k: parquet_as_csv_text(v) for k, v in row.items()} for row in parquet] == rows, dataset.name
