"""`parcours check`: journeys read from files and folders, checked alone and as a portfolio."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from designer.findings import Finding, sort_findings
from designer.loading import Loaded, load_journey
from designer.organisation import OrganisationCache, is_organisation_file


class NoSuchPath(Exception):
    """A path given on the command line does not exist."""


def journey_files(paths: Iterable[str | Path]) -> list[Path]:
    """The journey files named, folders expanded to every ``*.yaml``/``*.yml`` below them
    (organisation files excepted)."""
    return [f for f in yaml_files(paths) if not is_organisation_file(f)]


def yaml_files(paths: Iterable[str | Path]) -> list[Path]:
    """The files named, folders expanded to every ``*.yaml``/``*.yml`` below them."""
    files: list[Path] = []
    for raw in paths:
        p = Path(raw)
        if p.is_dir():
            files.extend(sorted(
                f for f in p.rglob("*") if f.suffix in (".yaml", ".yml") and f.is_file()
            ))
        elif p.exists():
            files.append(p)
        else:
            raise NoSuchPath(str(raw))
    return files


@dataclass
class Portfolio:
    """Journeys checked together: each one's result plus the portfolio's own findings
    (and those of the organisation files among them)."""

    loaded: list[Loaded] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    organisations: int = 0

    @property
    def all_findings(self) -> list[Finding]:
        """Every finding of every journey and of the portfolio, by file and line."""
        out = list(self.findings)
        for item in self.loaded:
            out.extend(item.findings)
        return sort_findings(out)


def check_paths(paths: Iterable[str | Path]) -> Portfolio:
    """Check journey files and folders; journey ids must be unique across them."""
    portfolio = Portfolio()
    owners: dict[str, Loaded] = {}
    organisations = OrganisationCache()
    for file in yaml_files(paths):
        if is_organisation_file(file):
            portfolio.organisations += 1
            portfolio.findings.extend(organisations.load(file).findings)
            continue
        loaded = load_journey(file)
        portfolio.loaded.append(loaded)
        if loaded.journey is None:
            continue
        jid = loaded.journey.id
        if jid in owners:
            first = owners[jid]
            portfolio.findings.append(
                Finding.of(
                    "duplicate-id",
                    f"the journey id '{jid}' is already used by {first.file}: "
                    "journeys served together need distinct ids",
                    loaded.file,
                    loaded.journey.position(("id",)),
                )
            )
        else:
            owners[jid] = loaded
    return portfolio
