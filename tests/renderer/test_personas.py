"""The analysis's personas, replayed as citizens through HTTP (scripts on: one post per page).

Each persona of `parcours personas` (designer/personas.py) says which pages it sees and what
it types; the renderer must lead it through exactly that path to the same outcome, and a
submitted dossier must hold the persona's answers (files aside: the renderer stores its own
reference to the bytes).
"""

from __future__ import annotations

import datetime
import json
from typing import Any

import pytest
from starlette.testclient import TestClient

from designer.answers import decode, to_fields, to_json
from designer.run import Run
from renderer.app import create_app

from .citizen import PDF, PNG, parse
from .conftest import JOURNEYS, served_journeys

personas = pytest.importorskip("designer.personas")


def _files(journey: Any, q: Any, name: str, form: Any, files: dict[str, Any]) -> None:
    """An upload for each file question the persona answers (items included): the codec
    posts no bytes, a browser would."""
    if form is None:
        return
    if q.type == "file":
        pdf = "pdf" in getattr(q.question, "accept", ["pdf"])
        files[name] = ("piece.pdf", PDF, "application/pdf") if pdf else (
            "photo.png", PNG, "image/png")
    elif q.type == "repeat":
        for index, item in enumerate(form if isinstance(form, list) else []):
            for iq in journey.item_questions(q.id):
                if iq.id in item:
                    _files(journey, iq, f"{name}-{index}-{iq.id}", item[iq.id], files)


def _engine_accepts(journey: Any, persona: dict[str, Any], today: datetime.date) -> bool:
    run = Run(journey, today=today, seen=[])
    for page in persona["pages"]:
        raw = {q["id"]: q.get("form") for q in page["questions"]}
        if not run.answer_page(page["step"], raw).ok:
            return False
    return run.path() == persona["path"]


@pytest.mark.parametrize("journey_id", served_journeys())
def test_personas_replayed_through_http(journey_id: str, sqlite_url: str) -> None:
    app = create_app(JOURNEYS, db_url=sqlite_url)
    entry = app.state.parcours.catalog.get(journey_id)
    assert entry is not None
    journey = entry.journey
    today = datetime.date.today()
    found = personas.as_json(personas.find_personas(journey, today))
    assert found["personas"]
    # Every persona's answers must be ones the engine accepts page by page (bounds, lengths
    # and patterns included), and the renderer must agree with the engine on each of them.
    refused = [p["path"] for p in found["personas"] if not _engine_accepts(journey, p, today)]
    assert refused == [], f"the engine refuses these personas of {journey_id}: {refused}"
    for persona in found["personas"]:
        with TestClient(app) as client:
            start = client.get(f"/{journey_id}/")
            r = client.post(f"/{journey_id}/start", data={"csrf_token": parse(start.text).csrf},
                            follow_redirects=False)
            walked: list[str] = []
            for page in persona["pages"]:
                url = r.headers["location"]
                assert url == f"/{journey_id}/q/{page['step']}", (persona["name"], url)
                walked.append(page["step"])
                token = parse(client.get(url).text).csrf
                data: dict[str, Any] = {"csrf_token": token, "_js": "1"}
                files: dict[str, Any] = {}
                for q in page["questions"]:
                    # The persona's `form` is what a citizen types; the codec names its fields.
                    question = journey.questions[q["id"]]
                    data.update(to_fields(journey, question, q.get("form")))
                    _files(journey, question, q["id"], q.get("form"), files)
                r = client.post(url, data=data, files=files or None, follow_redirects=False)
                assert r.status_code == 303, (persona["name"], page["step"], r.text[:3000])
            outcome = persona["outcome"]
            assert walked + [outcome] == persona["path"]
            end = r.headers["location"]
            if journey.outcomes[outcome].kind == "exit":
                assert end == f"/{journey_id}/end/{outcome}"
                continue
            assert end == f"/{journey_id}/check"
            token = parse(client.get(end).text).csrf
            client.post(end, data={"csrf_token": token})
            reference = parse(client.get(f"/{journey_id}/confirmation").text).reference
            assert reference
    sent = app.state.parcours.store.submissions(journey_id)
    expected = [p for p in found["personas"] if journey.outcomes[p["outcome"]].kind == "submit"]
    assert len(sent) == len(expected)
    files = {q.id for q in journey.questions.values() if q.type == "file"}

    def without_files(value: Any) -> Any:
        if isinstance(value, dict):
            return {k: without_files(v) for k, v in value.items() if k not in files}
        if isinstance(value, list):
            return [without_files(v) for v in value]
        return value

    for dossier, persona in zip(sent, expected, strict=True):
        stored = to_json(decode(dossier.answers)["answers"])
        assert json.dumps(without_files(stored), sort_keys=True) == json.dumps(
            without_files(persona["answers"]), sort_keys=True)
