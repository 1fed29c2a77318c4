"""`parcours check`: journeys read from files and folders, checked alone and as a portfolio."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from designer.check_messages import msg
from designer.files import is_cases_file, is_organisation_file
from designer.findings import Finding, sort_findings
from designer.loading import Analysis, Loaded, load_journey


class NoSuchPath(Exception):
    """A path given on the command line does not exist."""


def journey_files(paths: Iterable[str | Path]) -> list[Path]:
    """The journey files named, folders expanded to every ``*.yaml``/``*.yml`` below them
    (organisation files and test cases, ``*.cases.yaml``, are not journeys)."""
    return [f for f in yaml_files(paths) if not is_organisation_file(f)]


def yaml_files(paths: Iterable[str | Path]) -> list[Path]:
    """The files named, folders expanded to every ``*.yaml``/``*.yml`` below them but
    test cases."""
    files: list[Path] = []
    for raw in paths:
        p = Path(raw)
        if p.is_dir():
            files.extend(sorted(
                f for f in p.rglob("*")
                if f.suffix in (".yaml", ".yml") and f.is_file() and not is_cases_file(f)
                # Not what hidden folders hold: the published copies of .parcours/
                # (designer/publication.py) are not journeys of their own.
                and not any(part.startswith(".") for part in f.relative_to(p).parts[:-1])
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


def check_paths(
    paths: Iterable[str | Path], analyses: list[Analysis] | None = None
) -> Portfolio:
    """Check journey files and folders; journey ids must be unique across them.

    ``analyses``: those run after the structural checks (default_analyses())."""
    portfolio = Portfolio()
    owners: dict[str, Loaded] = {}
    organisations = None
    for file in yaml_files(paths):
        if is_organisation_file(file):
            if organisations is None:
                # Imported here: a journey without an organisation file needs none of it.
                from designer.organisation import OrganisationCache

                organisations = OrganisationCache()
            portfolio.organisations += 1
            portfolio.findings.extend(organisations.load(file).findings)
            continue
        loaded = load_journey(file, analyses=analyses)
        portfolio.loaded.append(loaded)
        if loaded.journey is None or loaded.journey.unsure.journey_id:
            continue  # an id that failed the schema takes no part (it is reported)
        jid = loaded.journey.id
        if jid in owners:
            first = owners[jid]
            portfolio.findings.append(
                Finding.of(
                    "duplicate-id",
                    msg("duplicate-id.journey", id=jid, file=first.file),
                    loaded.file,
                    loaded.journey.position(("id",)),
                )
            )
        else:
            owners[jid] = loaded
    portfolio.findings += journey_links(portfolio.loaded, set(owners))
    return portfolio


def journey_links(loaded: Iterable[Loaded], served: set[str]) -> list[Finding]:
    """`unknown-target` for an outcome's link to a journey that is not among ``served``
    (the journeys checked, or served, together)."""
    findings: list[Finding] = []
    for item in loaded:
        journey = item.journey
        if journey is None:
            continue
        for oid, outcome in journey.outcomes.items():
            target = outcome.link.journey if outcome.link else None
            if target is None or target in served:
                continue
            findings.append(
                Finding.of(
                    "unknown-target",
                    msg("target.journey", id=target, served=", ".join(sorted(served))),
                    item.file,
                    journey.position(("outcomes", oid, "link", "journey")),
                )
            )
    return findings
