"""Publishing settings: who publishes the output, under which licence, and where it is downloaded.

Read from `publishing.toml` at the repository root (or the file `$PIPELINE_PUBLISHING` names),
once per run and before any document is read, so that a mistake in it stops the run at once.
A wrong key or value raises `PublishingSettingsError`, a usage error (exit status 2). A value
still on a domain reserved for examples is a `Placeholder`: the run warns of each (`placeholders`,
`placeholder_checks`), since it would reach datapackage.json and dcat.ttl as the publisher's.
"""

from __future__ import annotations

import os
import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from pipeline.errors import UsageError

if TYPE_CHECKING:
    from pipeline.validate import Check


class PublishingSettingsError(UsageError):
    """publishing.toml (or the file $PIPELINE_PUBLISHING names) cannot be used as it is."""


SETTINGS_FILE = Path(__file__).resolve().parents[2] / "publishing.toml"
SETTINGS_ENV = "PIPELINE_PUBLISHING"

# The documented defaults (publishing.toml and the README list them): placeholders on
# example.org, a domain reserved for examples, so that nothing real is claimed by accident.
DEFAULT_SETTINGS: dict[str, Any] = {
    "base_url": "https://example.org/flemish-parliament-answers/",
    "keywords": ["Vlaams Parlement", "schriftelijke vragen"],
    "publisher": {
        "uri": "https://example.org/publisher",
        "name": "Example publisher (placeholder: set [publisher] in publishing.toml)",
        "type": "http://purl.org/adms/publishertype/RegionalAuthority",
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
    publisher_type: str
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
            if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() and v.isprintable()
                                                      for v in value):
                raise ValueError(f"{name} must be a list of non-empty strings, each one line of printable text")
            merged[key] = value
        elif not isinstance(value, str) or not value.strip():
            raise ValueError(f"{name} must be a non-empty string")
        elif not value.isprintable():
            raise ValueError(f"{name} must be one line of printable text, not {value!r}")
        else:
            merged[key] = value
    return merged


# Characters an IRI may not hold (RFC 3987; Turtle's IRIREF refuses them too): a setting with
# one is refused rather than written into dcat.ttl as an IRI that no reader accepts.
_NOT_IN_IRI = set('<>"{}|^`\\')


def _require_http_url(name: str, value: str) -> None:
    parts = urlsplit(value)
    if (parts.scheme not in ("http", "https") or not parts.netloc or any(c.isspace() for c in value)
            or _NOT_IN_IRI & set(value)):
        raise ValueError(f"{name} must be an absolute http(s) URL, not {value!r}")


def parse_publishing(data: Mapping[str, Any]) -> Publishing:
    """The settings as read from TOML (a missing key takes its default), checked."""
    s = merge_settings(DEFAULT_SETTINGS, data)
    publishing = Publishing(
        base_url=s["base_url"],
        keywords=tuple(dict.fromkeys([FLEMISH_OPEN_DATA_KEYWORD, *s["keywords"]])),
        publisher_uri=s["publisher"]["uri"],
        publisher_name=s["publisher"]["name"],
        publisher_type=s["publisher"]["type"],
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
                        ("publisher.type", publishing.publisher_type), ("licence.uri", publishing.licence_uri),
                        ("licence.type", publishing.licence_type)):
        _require_http_url(name, value)
    if not publishing.base_url.endswith("/"):
        raise ValueError(f"base_url must end in '/' (it is the folder of the files), not {publishing.base_url!r}")
    # The Data Package profile only accepts Open Definition style ids as a licence name.
    if not re.fullmatch(r"[-a-zA-Z0-9._]+", publishing.licence_id):
        raise ValueError(f"licence.id must be a licence identifier such as CC-BY-4.0, not {publishing.licence_id!r}")
    if not re.fullmatch(r"[^@\s]+@[^@\s]+", publishing.contact_email) or _NOT_IN_IRI & set(publishing.contact_email):
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
    path = path or settings_path()
    if not path.exists() and path == SETTINGS_FILE:
        return parse_publishing({})
    try:
        return parse_publishing(tomllib.loads(path.read_text(encoding="utf-8")))
    except OSError as exc:
        raise PublishingSettingsError(f"publishing settings {path}: {exc.strerror}: fix {SETTINGS_ENV} or create the file") from exc
    except ValueError as exc:  # also TOMLDecodeError and UnicodeDecodeError
        raise PublishingSettingsError(f"publishing settings {path}: {exc}: see the comments in publishing.toml") from exc


def dcat_iri(publishing: Publishing, fragment: str) -> str:
    """Catalogue, dataset and distributions are named inside dcat.ttl, where they are described."""
    return f"{publishing.base_url}dcat.ttl#{fragment}"


# --- placeholders --------------------------------------------------------------------------------

# Each setting's key in publishing.toml, for the Publishing field that holds it.
SETTING_KEYS = {
    "base_url": "base_url", "publisher_uri": "publisher.uri", "publisher_name": "publisher.name",
    "publisher_type": "publisher.type",
    "contact_name": "contact.name", "contact_email": "contact.email", "licence_uri": "licence.uri",
    "licence_id": "licence.id", "licence_title": "licence.title", "licence_type": "licence.type",
}
# Domains reserved for examples and tests (RFC 2606, RFC 6761): nothing real is published there.
_EXAMPLE_DOMAIN = re.compile(r"(?:^|\.)(?:example\.(?:com|net|org)|example|test|invalid|localhost)\.?$")


@dataclass(frozen=True)
class Placeholder:
    """A publishing setting that still holds a stand-in value, not the publisher's own."""

    key: str
    value: str

    @property
    def message(self) -> str:
        return (f"{self.key} is still a placeholder ({self.value!r}): set the publisher's own in "
                f"{settings_path().name} before the output goes to a portal")


def is_placeholder(value: str) -> bool:
    """A value on a domain reserved for examples (a URL's host, an e-mail address's domain), or one
    that says it is a placeholder."""
    host = urlsplit(value).hostname if "://" in value else value.rpartition("@")[2] if "@" in value else None
    return bool(host and _EXAMPLE_DOMAIN.search(host.lower())) or "placeholder" in value.lower()


def placeholders(publishing: Publishing) -> list[Placeholder]:
    """Every setting that still holds a placeholder, in the order of `SETTING_KEYS`, then keywords."""
    found = [Placeholder(key, getattr(publishing, name)) for name, key in SETTING_KEYS.items()
             if is_placeholder(getattr(publishing, name))]
    found += [Placeholder("keywords", keyword) for keyword in publishing.keywords if is_placeholder(keyword)]
    return found


def placeholder_checks(publishing: Publishing) -> list[Check]:
    """A warning in the report for each placeholder: a check of the run, so of no document."""
    from pipeline.validate import Check  # pandas, through the validate stage: only when a run writes

    return [Check("", "", "publishing-placeholder", "warn", "the publisher's own value", p.value, p.message)
            for p in placeholders(publishing)]
