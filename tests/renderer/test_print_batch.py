# ruff: noqa: F811 - the fixtures app and world are imported from their modules
"""The print queue printed in one go, on SQLite and PostgreSQL: a batch of letters (the
letters ticked, or the whole page) made ONE PDF, read back with pypdf (each letter from a
new page, in the order of the queue, exactly as downloaded alone), marked printed only by
the agent's POST with the session's CSRF token (each letter audited), never by a GET; the
queue by pages with its count, so that letter 201 and beyond are reachable; another
service's agent neither sees nor prints them; hostile posts (unknown ids, another service's,
thousands of ids, none) change nothing and say why."""

from __future__ import annotations

import io
import re
from typing import Any
from urllib.parse import urlencode

from pypdf import PdfReader
from starlette.testclient import TestClient

from renderer.backoffice import audit
from renderer.backoffice.letters import PRINT_BATCH, Letters
from renderer.i18n import t

from .citizen import parse
from .test_agents import (  # noqa: F401 - app and world: the fixtures, shared
    agent_client,
    app,
    signal,
    store_of,
    world,
)
from .test_letters import _agent

QUEUE = "/-/agents/courriers"
BATCH = "/-/agents/courriers/lot"


def pages_of(data: bytes) -> list[str]:
    """The text of each page of a PDF, its whitespace folded."""
    assert data.startswith(b"%PDF-")
    return [" ".join((p.extract_text() or "").split()) for p in PdfReader(io.BytesIO(data)).pages]


def by_post(app: Any, nature: str) -> str:
    """A citizen who chose the post sends a signalement (its receipt: a letter to print)."""
    return parse(signal(TestClient(app), nature, sent={"contact_channel": "post"})).reference


def waiting(app: Any, email: str) -> list[str]:
    """The ids of the letters waiting in the queue of an agent, in the queue's order."""
    return [x.id for x in Letters(store_of(app)).queue(_agent(store_of(app), email), limit=999)]


def csrf_of(client: TestClient) -> str:
    token = parse(client.get(QUEUE).text).csrf
    assert token
    return token


def query(*ids: str, **more: str) -> str:
    return urlencode([*(("courrier", i) for i in ids), *more.items()])


def test_letters_are_printed_in_one_pdf_and_marked_printed_on_confirmation(
    app: Any, world: dict[str, Any]
) -> None:
    first, second = by_post(app, "tag"), by_post(app, "depot")
    by_post(app, "trottoir")  # the roads' letter, not cleaning's
    proprete = agent_client(app, "proprete@tours.example")
    csrf = csrf_of(proprete)
    base = f"/-/agents/dossiers/{first}"
    proprete.post(f"{base}/messages", data={"csrf_token": csrf, "body": "Une photo ?"})
    ids = waiting(app, "proprete@tours.example")
    letters = Letters(store_of(app))
    assert [letters.get(i).reference for i in ids] == [first, second, first]  # type: ignore[union-attr]
    queue = proprete.get(QUEUE).text
    assert 'data-waiting="3"' in queue and "3 courrier(s) à imprimer" in queue
    assert f'data-batch-limit="{PRINT_BATCH}"' in queue
    assert f"Un lot compte au plus {PRINT_BATCH} courriers" in queue
    assert "Imprimer toute la page (3 courriers)" in queue and "Imprimer la sélection" in queue
    for i in ids:
        assert f'form="print-batch" name="courrier" value="{i}"' in queue
    # The selection, ticked in any order: the batch keeps the order of the queue.
    chosen = [ids[2], ids[0]]
    page = proprete.get(f"{BATCH}?{query(*chosen)}").text
    assert "Lot de 2 courrier(s) à imprimer" in page
    assert re.findall(r'data-batch-letter="([^"]+)"', page) == [ids[0], ids[2]]
    assert re.findall(r'name="courrier" value="([^"]+)"', page) == [ids[0], ids[2]]
    pdf_url = re.search(r'href="([^"]+)" class="pc-button" data-batch-pdf', page)
    assert pdf_url
    r = proprete.get(pdf_url.group(1).replace("&amp;", "&"))
    assert r.status_code == 200 and r.headers["content-type"] == "application/pdf"
    assert r.headers["cache-control"] == "no-store"
    batch = pages_of(r.content)
    # Each letter from a new page, exactly as it reads downloaded alone, in the queue's order.
    alone = [pages_of(proprete.get(f"{QUEUE}/{i}").content) for i in (ids[0], ids[2])]
    assert batch == alone[0] + alone[1]
    assert first in " ".join(alone[0]) and alone[0][-1].endswith(
        f"Page {len(alone[0])} / {len(alone[0])}"
    )
    assert "Un nouveau message sur votre dossier" in " ".join(alone[1])
    # The whole page: every letter of the queue, oldest first.
    page = proprete.get(f"{BATCH}?tout=1&page=1").text
    assert re.findall(r'data-batch-letter="([^"]+)"', page) == ids
    # Nothing changed by these GETs.
    assert waiting(app, "proprete@tours.example") == ids
    # The confirmation: a POST with the session's CSRF token only.
    printed = f"{BATCH}/imprime"
    assert proprete.get(printed).status_code == 405
    forged = proprete.post(printed, data={"csrf_token": "forged", "courrier": ids})
    assert forged.status_code == 403 and waiting(app, "proprete@tours.example") == ids
    r = proprete.post(
        printed,
        data={"csrf_token": csrf, "courrier": [ids[0], ids[2]], "service": "proprete"},
        follow_redirects=False,
    )
    assert r.status_code == 303 and r.headers["location"].endswith(f"{QUEUE}?service=proprete")
    assert waiting(app, "proprete@tours.example") == [ids[1]]
    queue = proprete.get(QUEUE).text
    assert 'data-waiting="1"' in queue
    assert f'data-printed="{ids[0]}"' in queue and f'data-printed="{ids[2]}"' in queue
    # Confirmed twice (a double click): nothing more; each letter audited once.
    again = proprete.post(printed, data={"csrf_token": csrf, "courrier": [ids[0], ids[2]]})
    assert again.status_code == 200
    trail = audit.entries(store_of(app), first)
    assert [e.action for e in trail].count("letter_printed") == 2
    agent = _agent(store_of(app), "proprete@tours.example")
    assert all(letters.get(i).printed_by == agent.id for i in (ids[0], ids[2]))  # type: ignore[union-attr]
    # A batch already printed may be printed again (a paper jam), and is listed as printed.
    page = proprete.get(f"{BATCH}?{query(ids[0])}").text
    assert "imprimé le" in page
    # In English.
    english = proprete.get(f"{QUEUE}?lang=en").text
    assert "Print the selection" in english and "1 letter(s) to print" in english
    assert f"A batch holds at most {PRINT_BATCH} letters" in english


def test_another_service_and_hostile_batches_change_nothing_and_say_why(
    app: Any, world: dict[str, Any]
) -> None:
    by_post(app, "tag")
    by_post(app, "trottoir")
    cleaning = waiting(app, "proprete@tours.example")
    roads = waiting(app, "voirie@tours.example")
    assert len(cleaning) == len(roads) == 1
    voirie = agent_client(app, "voirie@tours.example")
    csrf = csrf_of(voirie)
    # Another service's letters: neither listed, nor counted, nor shown, nor printed.
    queue = voirie.get(QUEUE).text
    assert cleaning[0] not in queue and 'data-waiting="1"' in queue
    unknown = t("bo_batch_unknown", "fr").replace("'", "&#39;")
    for asked in (f"{BATCH}?{query(cleaning[0])}", f"{BATCH}.pdf?{query(cleaning[0])}"):
        r = voirie.get(asked)
        assert r.status_code == 400 and unknown in r.text, asked
        assert not r.content.startswith(b"%PDF") and "data-batch-letter" not in r.text
    # Hostile posts: unknown ids, another service's among its own, thousands, none.
    too_many = t("bo_batch_too_many", "fr", batch=PRINT_BATCH).replace("'", "&#39;")
    empty = t("bo_batch_empty", "fr")
    for posted, message in (
        (["nope"], unknown),
        ([roads[0], cleaning[0]], unknown),
        ([roads[0], "x" * 5000], unknown),
        ([f"id{n}" for n in range(3000)], too_many),
        ([roads[0]] * (PRINT_BATCH + 1), too_many),
        ([], empty),
    ):
        r = voirie.post(f"{BATCH}/imprime", data={"csrf_token": csrf, "courrier": posted})
        assert r.status_code == 400 and message in r.text, posted[:3]
        assert "data-batch-error" in r.text and "Traceback" not in r.text
    assert waiting(app, "voirie@tours.example") == roads
    assert waiting(app, "proprete@tours.example") == cleaning
    assert [e for e in audit.entries(store_of(app)) if e.action == "letter_printed"] == []
    # Asking a batch of thousands, or none, on the page or as a PDF: the same messages.
    many = query(*(f"id{n}" for n in range(PRINT_BATCH + 1)))
    assert too_many in voirie.get(f"{BATCH}?{many}").text
    assert voirie.get(f"{BATCH}.pdf?{many}").status_code == 400
    assert empty in voirie.get(BATCH).text
    # Without a session: the login page, nothing printed.
    nobody = TestClient(app)
    for r in (
        nobody.get(f"{BATCH}?{query(*roads)}", follow_redirects=False),
        nobody.get(f"{BATCH}.pdf?{query(*roads)}", follow_redirects=False),
        nobody.post(f"{BATCH}/imprime", data={"courrier": roads}, follow_redirects=False),
    ):
        assert r.status_code == 303 and r.headers["location"].endswith("/login")
    # An administrator prints anyone's.
    admin = agent_client(app, "admin@tours.example")
    r = admin.post(
        f"{BATCH}/imprime",
        data={"csrf_token": csrf_of(admin), "courrier": [*roads, *cleaning]},
        follow_redirects=False,
    )
    assert r.status_code == 303 and waiting(app, "admin@tours.example") == []


def _add_letters(app: Any, reference: str, count: int) -> list[str]:
    """``count`` letters to print of one dossier, one a second apart (so their order is
    known), written as the workflow writes them."""
    store = store_of(app)
    ids = [f"lettre-{n:04d}" for n in range(count)]
    with store.transaction() as conn:
        for n, letter_id in enumerate(ids):
            store._execute(
                conn,
                "INSERT INTO dossier_letters (id, reference, kind, payload, created_at, to_print) "
                "VALUES (?, ?, 'message', ?, ?, 1)",
                (
                    letter_id,
                    reference,
                    f'{{"reference": "{reference}", "lang": "fr"}}',
                    f"2026-05-04T{7 + n // 3600:02d}:{n // 60 % 60:02d}:{n % 60:02d}.000+00:00",
                ),
            )
    return ids


def test_the_queue_is_paged_so_that_letter_201_and_beyond_are_reached(
    app: Any, world: dict[str, Any]
) -> None:
    reference = by_post(app, "tag")
    ids = _add_letters(app, reference, 250)  # older than the receipt: they come first
    receipt = next(
        x.id for x in Letters(store_of(app)).of_dossier(reference) if x.kind == "receipt"
    )
    everything = [*ids, receipt]
    assert waiting(app, "proprete@tours.example") == everything
    proprete = agent_client(app, "proprete@tours.example")
    seen: list[str] = []
    page_url: str | None = f"{QUEUE}?service=proprete"
    while page_url:
        page = proprete.get(page_url).text
        assert 'data-waiting="251"' in page and "251 courrier(s) à imprimer" in page
        rows = re.findall(r'<tr data-letter="([^"]+)"', page)
        assert 1 <= len(rows) <= PRINT_BATCH
        seen += rows
        found = re.search(r'<a href="([^"]+)" rel="next"', page)
        page_url = found.group(1).replace("&amp;", "&") if found else None
        if page_url:
            assert "service=proprete" in page_url
    assert seen == everything  # every letter once, in order: 201st and beyond included
    fifth = proprete.get(f"{QUEUE}?page=5").text
    assert "Page 5 sur 6" in fifth and f'data-letter="{everything[200]}"' in fifth
    assert re.search(r'href="[^"]*page=4" rel="prev"', fifth)
    # A page past the last is the last; a page that is not a number is the first.
    assert f'data-letter="{receipt}"' in proprete.get(f"{QUEUE}?page=99").text
    assert f'data-letter="{ids[0]}"' in proprete.get(f"{QUEUE}?page=abc").text
    # Another service's agent sees none of them, not even their number.
    voirie = agent_client(app, "voirie@tours.example")
    assert 'data-waiting="0"' in voirie.get(QUEUE).text
    assert 'data-waiting="251"' in agent_client(app, "admin@tours.example").get(QUEUE).text
    # The whole fifth page printed at once (confirmed without downloading: a GET changes
    # nothing, the POST does); the sixth page becomes the fifth.
    batch = proprete.get(f"{BATCH}?tout=1&page=5&service=proprete").text
    chosen = re.findall(r'name="courrier" value="([^"]+)"', batch)
    assert chosen == everything[200:250]
    r = proprete.post(
        f"{BATCH}/imprime",
        data={"csrf_token": csrf_of(proprete), "courrier": chosen},
        follow_redirects=False,
    )
    assert r.status_code == 303
    assert waiting(app, "proprete@tours.example") == everything[:200] + [receipt]
    assert 'data-waiting="201"' in proprete.get(QUEUE).text
