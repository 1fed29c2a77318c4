"""The organisation file: the services that receive dossiers, declared beside the journeys.

``organisation.yaml`` sits in the folder of the journeys it serves; a journey's
`routing` names its services by id. The pydantic models here are the single source
of truth of the file's format; ``schemas/organisation.schema.json`` is generated
from them (``parcours schema --organisation``), like the journey schema.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, StringConstraints

from designer.check_messages import msg
from designer.files import ORGANISATION_FILE, is_cases_file, is_organisation_file
from designer.findings import Finding, has_errors, sort_findings
from designer.format_types import Element, Text, described
from designer.model import SERVICE_ID
from designer.source import MAX_BYTES, Document, load_document
from designer.source import Path as SourcePath
from designer.validation import validate_as

EMAIL = r"^[^@\s]+@[^@\s]+\.[^@\s]+$"
#: Where a webhook is posted: an http(s) URL (https outside a test bench; docs/api.md).
WEBHOOK_URL = r"^https?://[^\s/?#]+[^\s]*$"
#: The name of the environment variable holding a webhook's secret (never the secret itself:
#: the organisation file is committed, the secret is not).
ENV_NAME = r"^[A-Z_][A-Z0-9_]*$"


class Webhook(Element):
    """Where a service's system is told of its dossiers' events, signed with a secret."""

    url: Annotated[str, StringConstraints(pattern=WEBHOOK_URL, max_length=2000)] = described(
        "URL",
        "Where each event is POSTed as JSON, e.g. https://sig.ville.example/parcours.",
    )
    secret_env: Annotated[str, StringConstraints(pattern=ENV_NAME)] = described(
        "Secret's variable",
        "The environment variable holding the signing secret, e.g. PARCOURS_WEBHOOK_PROPRETE.",
    )


class Service(Element):
    """A team of the organisation that receives and processes dossiers."""

    name: Text = described("Name", "The service's name, as agents and citizens read it.")
    email: Annotated[str, StringConstraints(pattern=EMAIL)] = described(
        "Contact e-mail",
        "Where the service is told of new dossiers, e.g. proprete@ville.example.",
    )
    webhook: Webhook | None = described(
        "Webhook",
        "Optional: the service's system is sent the events dossier.created and "
        "dossier.status_changed, signed with HMAC-SHA256 (docs/api.md).",
        default=None,
    )


class Organisation(Element):
    """The organisation that runs the journeys of a folder, and its services."""

    model_config = ConfigDict(
        extra="forbid",
        title="Parcours organisation",
        json_schema_extra={
            "patternProperties": {"^x-": {}},
            "$id": "https://parcours.example/schemas/organisation.schema.json",
        },
    )

    parcours: Literal[1] = described("Format version", "The version of the format: 1.")
    name: str = described("Name", "The organisation's name, e.g. Ville de Tours.")
    services: dict[Annotated[str, StringConstraints(pattern=SERVICE_ID)], Service] = described(
        "Services",
        "Service id → service. Journeys name these ids in their `routing`.",
        min_length=1,
    )

    @classmethod
    def model_at(cls, path: SourcePath) -> type[BaseModel] | None:
        """The model of the mapping at ``path`` (for "did you mean" on a misspelt key)."""
        if path == ():
            return cls
        if len(path) == 2 and path[0] == "services":
            return Service
        if len(path) == 3 and path[0] == "services" and path[2] == "webhook":
            return Webhook
        return None


def organisation_schema() -> dict[str, Any]:
    """The JSON Schema of the organisation file, as committed in ``schemas/``."""
    schema = Organisation.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["description"] = (
        "A Parcours organisation file (organisation.yaml): the services that receive the "
        "dossiers of the journeys beside it. Format version 1."
    )
    return schema


@dataclass
class LoadedOrganisation:
    """An organisation file read and validated: the model (None if invalid) and findings."""

    file: str
    organisation: Organisation | None
    document: Document | None = None
    findings: list[Finding] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """Whether the file is valid."""
        return self.organisation is not None and not has_errors(self.findings)


def load_organisation(path: str | Path) -> LoadedOrganisation:
    """Read and validate an organisation file; problems are findings, never exceptions."""
    name = str(path)
    try:
        p = Path(path)
        if p.stat().st_size > MAX_BYTES:
            return LoadedOrganisation(name, None, None, [
                Finding.of("yaml-syntax", msg("organisation.too-large"), name, (1, 1))])
        raw = p.read_bytes()
    except OSError as exc:
        return LoadedOrganisation(name, None, None, [
            Finding.of("yaml-syntax", msg("yaml.cannot-read", reason=exc.strerror),
                       name, (1, 1))])
    doc, findings = load_document(raw, name)
    if doc is None:
        return LoadedOrganisation(name, None, None, sort_findings(findings))
    model, findings = validate_as(doc, Organisation)
    org = model if isinstance(model, Organisation) else None
    return LoadedOrganisation(name, org, doc, sort_findings(findings))


def organisation_beside(journey_file: str | Path) -> Path | None:
    """The organisation file in the folder of a journey file, if there is one."""
    candidate = Path(journey_file).parent / ORGANISATION_FILE
    return candidate if candidate.is_file() else None


class OrganisationCache:
    """Organisation files loaded once per folder (a portfolio reads one per folder)."""

    def __init__(self) -> None:
        self._by_folder: dict[Path, LoadedOrganisation | None] = {}

    def beside(self, journey_file: str | Path) -> LoadedOrganisation | None:
        """The organisation file beside a journey, loaded (None: there is none)."""
        folder = Path(journey_file).resolve().parent
        if folder not in self._by_folder:
            found = organisation_beside(journey_file)
            self._by_folder[folder] = load_organisation(found) if found is not None else None
        return self._by_folder[folder]

    def load(self, path: str | Path) -> LoadedOrganisation:
        """An organisation file named directly (loaded once)."""
        folder = Path(path).resolve().parent
        got = self._by_folder.get(folder)
        if got is None:
            got = self._by_folder[folder] = load_organisation(path)
        return got


def journey_files(folders: list[Path]) -> list[Path]:
    """The journey files directly in these folders (``*.yaml``; organisation files and
    test cases, ``*.cases.yaml``, are not journeys)."""
    return [
        p for folder in folders for p in sorted(folder.glob("*.yaml"))
        if not is_organisation_file(p) and not is_cases_file(p)
    ]
