"""A list question whose `min` is 0 takes "nobody" for an answer, as a citizen lives it.

The citizen (tests/renderer/citizen.py) adds no item to a repeat with `min: 0`: the page is
accepted, `len(cohabitants) == 0` holds and the run goes on to the page for people living
alone; with one item, to the other page. `parcours check` finds the journey clean (the
analysis and the run read the empty answer the same way: designer/presence.py).
"""

from __future__ import annotations

import datetime
from pathlib import Path

from starlette.testclient import TestClient

from designer.answers import decode
from designer.findings import Severity
from designer.loading import load_journey
from renderer.app import create_app
from renderer.store import Store

from .citizen import Strategy, Walk, walk

JOURNEY = Path(__file__).parent / "data" / "answers" / "cohabitants.yaml"


def pages(w: Walk) -> list[str]:
    """The pages walked, each once (adding an item shows its page again)."""
    return list(dict.fromkeys(u.split("?")[0].rsplit("/", 1)[-1] for u in w.urls))


def test_the_journey_is_clean() -> None:
    loaded = load_journey(JOURNEY)
    assert [f for f in loaded.findings if f.severity is not Severity.INFO] == []


def test_nobody_is_an_answer_to_a_repeat_with_min_0(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'p.db'}"
    app = create_app([JOURNEY], db_url=url)
    today = datetime.date.today()
    with TestClient(app) as client:
        alone = walk(client, "cohab", Strategy(items=0), today)
    with TestClient(app) as client:
        together = walk(client, "cohab", Strategy(items=1), today)
    assert alone.reference and together.reference
    assert pages(alone)[:2] == ["foyer", "seul"]
    assert pages(together)[:2] == ["foyer", "accompagne"]
    sent = {s.reference: decode(s.answers)["answers"] for s in Store(url).submissions("cohab")}
    assert sent[alone.reference]["cohabitants"] == []
    assert len(sent[together.reference]["cohabitants"]) == 1
