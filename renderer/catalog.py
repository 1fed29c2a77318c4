"""The journeys a server offers: loaded once, checked by the engine, and every version kept.

A journey with an error finding is not served; :class:`Catalog` keeps the reason so that the
command line can say which file and why. Each served journey's source text is recorded in the
store under its content hash, so that a draft started on an older version keeps running on it
after the file changes (:meth:`Catalog.version`).
"""

from __future__ import annotations

import logging
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from designer.compiled import CompiledJourney
from designer.files import is_cases_file, is_organisation_file
from designer.findings import Finding, Severity
from designer.loading import load_text
from designer.organisation import OrganisationCache, Service
from designer.publication import published_copy, status, uses_workflow
from renderer.store import Store, content_hash

MAX_VERSIONS_CACHED = 64
log = logging.getLogger("parcours.renderer")


@dataclass
class Entry:
    """A served journey: its current compiled version, its source and its findings."""

    journey: CompiledJourney
    source: str
    file: str
    hash: str
    #: The warnings and infos of `parcours check` on this version (its auditor's report
    #: lists them; a served journey has no error).
    findings: list[Finding] = field(default_factory=list)
    #: Served from the published version of the file (the folder uses the workflow).
    published: bool = False

    @property
    def id(self) -> str:
        """The journey's slug, as in its URLs."""
        return self.journey.id


@dataclass
class Refused:
    """A journey file that is not served, and why."""

    file: str
    reasons: list[str]


@dataclass
class Catalog:
    """Served journeys by id, refused files, and a cache of compiled versions by hash."""

    entries: dict[str, Entry] = field(default_factory=dict)
    refused: list[Refused] = field(default_factory=list)
    #: The services of the organisation files beside the served journeys, by id.
    services: dict[str, Service] = field(default_factory=dict)
    _versions: dict[str, CompiledJourney] = field(default_factory=dict)

    def get(self, journey_id: str) -> Entry | None:
        """The served journey of that id, or None."""
        return self.entries.get(journey_id)

    def version(self, store: Store, journey_id: str, digest: str) -> CompiledJourney | None:
        """The compiled journey of that exact version (current, cached, or from the store)."""
        entry = self.entries.get(journey_id)
        if entry is not None and entry.hash == digest:
            return entry.journey
        cached = self._versions.get(digest)
        if cached is not None:
            return cached
        stored = store.journey_version(digest)
        if stored is None:
            return None
        source, file = stored
        # Already checked when it was served: skip the costly analyses.
        loaded = load_text(source, file, analyses=[])
        if loaded.journey is None:
            return None
        if len(self._versions) >= MAX_VERSIONS_CACHED:
            self._versions.pop(next(iter(self._versions)))
        self._versions[digest] = loaded.journey
        return loaded.journey


def journey_files(paths: str | Path | list[str | Path]) -> list[Path]:
    """The journey files named: a folder gives its *.yaml and *.yml files, sorted (not its
    test cases, *.cases.yaml)."""
    items = paths if isinstance(paths, list) else [paths]
    files: list[Path] = []
    for item in items:
        p = Path(item)
        if p.is_dir():
            files += sorted(x for x in p.iterdir() if x.suffix in (".yaml", ".yml")
                           and x.is_file() and not is_cases_file(x)
                           and not is_organisation_file(x))
        elif not is_organisation_file(p):
            files.append(p)
    return files


def _error_lines(findings: list[Finding]) -> list[str]:
    return [
        f"{f.file}:{f.line}:{f.column}: {f.rule}: {f.message}"
        for f in findings
        if f.severity == Severity.ERROR
    ]


#: Journey ids whose URL the server itself uses (/-/ cannot be an id: slugs start with a
#: letter or digit).
RESERVED_IDS = {"static": "the style sheets and scripts"}


def load_catalog(paths: str | Path | list[str | Path], store: Store) -> Catalog:
    """Load every journey file named, serve the valid ones, record their versions in the store."""
    catalog = Catalog()
    organisations = OrganisationCache()
    for file in journey_files(paths):
        # A folder using the publication workflow serves each journey's published version,
        # never the draft being edited (designer/publication.py, docs/publication.md).
        served = published_copy(file) if uses_workflow(file.parent) else file
        if not served.is_file():
            offline = status(file).unpublished_at
            reason = (f"{file}: unpublished on {offline} (parcours publish {file} publishes "
                      f"it again)" if offline else
                      f"{file}: not published yet (this folder uses the publication workflow: "
                      f"parcours publish {file})")
            catalog.refused.append(Refused(str(file), [reason]))
            continue
        try:
            raw = served.read_bytes()
            source = raw.decode("utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            catalog.refused.append(Refused(str(file), [f"{served}: cannot read the file: {exc}"]))
            continue
        loaded = _load_cached(source, str(file))
        findings = list(loaded.findings)
        organisation = organisations.beside(file)
        if organisation is not None and organisation.organisation is not None:
            catalog.services.update(organisation.organisation.services)
        errors = _error_lines(findings)
        if loaded.journey is None or errors:
            catalog.refused.append(Refused(str(file), errors or [f"{file}: not a journey"]))
            continue
        journey = loaded.journey
        if journey.id in RESERVED_IDS:
            catalog.refused.append(
                Refused(
                    str(file),
                    [
                        f"{file}: id '{journey.id}' is reserved by the server "
                        f"(/{journey.id}/ serves {RESERVED_IDS[journey.id]}): rename the journey"
                    ],
                )
            )
            continue
        if journey.id in catalog.entries:
            other = catalog.entries[journey.id].file
            catalog.refused.append(
                Refused(str(file), [f"{file}: id '{journey.id}' is already served by {other}"])
            )
            continue
        digest = store.save_journey_version(journey.id, source, str(file))
        catalog.entries[journey.id] = Entry(journey, source, str(file), digest, loaded.findings,
                                            published=served != file)
    return catalog


# Loading runs the analyses (seconds for a large journey): the same text is loaded once per
# process, which keeps the test suite and --reload fast.
_LOADED: dict[str, Any] = {}


def _load_cached(source: str, file: str) -> Any:
    key = content_hash(source) + "\0" + file
    if key not in _LOADED:
        if len(_LOADED) > 256:
            _LOADED.clear()
        try:
            _LOADED[key] = load_text(source, file)
        except Exception:  # noqa: BLE001 - a crashing analysis must not stop the service
            log.exception("the analyses failed on %s; serving it with the structural checks", file)
            _LOADED[key] = load_text(source, file, analyses=[])
    return _LOADED[key]


def fold(text: str) -> str:
    """Lower case without accents, for searching (``Écoles`` finds ``ecole``)."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))
