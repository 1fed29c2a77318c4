"""Every example journey walked as a citizen lives it, through HTTP, on SQLite and PostgreSQL.

The citizen (tests/renderer/citizen.py) reads only the HTML, as a browser without scripts,
and answers with several strategies until it has sent a dossier and seen at least two
different situations (two different paths or ends).
"""

from __future__ import annotations

import datetime

import pytest
from starlette.testclient import TestClient

from designer.answers import decode
from renderer.app import create_app
from renderer.store import Store

from .citizen import Strategy, Walk, explore, walk
from .conftest import JOURNEYS, served_journeys


@pytest.mark.parametrize("journey", served_journeys())
def test_citizen_walks_journey(journey: str, db_url: str) -> None:
    app = create_app(JOURNEYS, db_url=db_url)
    if journey not in app.state.parcours.catalog.entries:
        pytest.fail(f"{journey} is not served: {app.state.parcours.catalog.refused}")
    today = datetime.date.today()

    def once(strategy: Strategy) -> Walk:
        with TestClient(app) as client:  # one event loop thread: one database connection
            return walk(client, journey, strategy, today)

    walks = explore(once)
    references = [w.reference for w in walks if w.reference]
    situations = {(w.end, *(u.split("?")[0] for u in w.urls)) for w in walks}
    assert references, f"no strategy sent a dossier for {journey}"
    assert len(situations) >= 2, f"only one situation reached for {journey}"
    store = Store(db_url)
    sent = store.submissions(journey)
    assert [s.reference for s in sent] == references
    payload = decode(sent[0].answers)
    assert payload["answers"], "a dossier holds the answers kept by the final run"
    assert sent[0].journey_hash == app.state.parcours.catalog.get(journey).hash
