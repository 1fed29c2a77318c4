"""Routing: which service of the organisation receives a submitted dossier.

A journey's `routing` is a list of {service, when} entries tried in order on the
answers kept at submission (the first whose condition holds wins), like a `next`
list. :func:`route` is the one implementation of that choice, used by the renderer
when a dossier is sent; :func:`service_findings` checks the service ids against the
organisation file. The path-sensitive checks (a submission that reaches no
service, a route never taken) live with the analysis (`designer.analysis.routing`).
"""

from __future__ import annotations

import datetime
import difflib
from collections.abc import Mapping
from typing import Any

from designer.check_messages import msg
from designer.compiled import CompiledJourney
from designer.files import ORGANISATION_FILE
from designer.findings import Finding
from designer.organisation import LoadedOrganisation
from designer.run import Environment, Run, holds


def route(
    journey: CompiledJourney, answers: Mapping[str, Any], today: datetime.date | None = None
) -> str | None:
    """The service that receives a dossier with these answers (None: no entry matches).

    Conditions see what a `next` at the end of the journey would see: the answers of the
    questions shown on the final path, and the computed values.
    """
    if not journey.routing:
        return None
    run = Run(journey, answers, today=today)
    env = Environment(run, run.kept_answers())
    for entry in journey.routing:
        if holds(entry.when, env, run.today):
            return entry.service
    return None


def service_findings(
    journey: CompiledJourney, organisation: LoadedOrganisation | None
) -> list[Finding]:
    """`unknown-service` findings: routing entries naming no service of the organisation."""
    if not journey.routing:
        return []
    if organisation is None:
        return [Finding.of(
            "unknown-service",
            msg("unknown-service.no-organisation", file=ORGANISATION_FILE),
            journey.file,
            journey.key_position(("routing",)),
        )]
    if organisation.organisation is None:
        return [Finding.of(
            "unknown-service",
            msg("unknown-service.invalid-organisation", file=organisation.file),
            journey.file,
            journey.key_position(("routing",)),
        )]
    known = list(organisation.organisation.services)
    out: list[Finding] = []
    for entry in journey.routing:
        if entry.service in known:
            continue
        close = difflib.get_close_matches(entry.service, known, n=1, cutoff=0.6)
        message = (
            msg("unknown-service.close", service=entry.service, file=organisation.file,
                close=close[0]) if close else
            msg("unknown-service.known", service=entry.service, file=organisation.file,
                known=", ".join(known))
        )
        out.append(Finding.of(
            "unknown-service",
            message,
            journey.file,
            journey.position(entry.path + ("service",)),
        ))
    return out
