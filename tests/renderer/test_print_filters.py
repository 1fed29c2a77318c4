# ruff: noqa: F811 - the fixtures app and world are imported from their modules
"""The print queue's filters, on SQLite and PostgreSQL: by kind of letter, by dossier
reference (exact or its first characters), by the days the letters were written, alone and
combined, each compared with the same filter computed plainly in Python over every letter;
kept in the pages' links and in the batch's forms, so that printing the page prints what
it shows and nothing else; never showing another service's letters; and hostile values
(garbage or huge dates, injections, wildcards, unknown kinds) said and set aside, never a
500."""

from __future__ import annotations

import re
from datetime import date
from typing import Any
from urllib.parse import urlencode

from starlette.testclient import TestClient

from renderer.backoffice.letters import LETTER_KINDS, PRINT_BATCH
from renderer.i18n import t

from .test_agents import (  # noqa: F401 - app and world: the fixtures, shared
    agent_client,
    app,
    store_of,
    world,
)
from .test_print_batch import BATCH, QUEUE, csrf_of

Row = tuple[str, str, str, str, str]  # id, reference, kind, created_at, service


def _insert(app: Any, letters: list[tuple[str, str, str, str]]) -> None:
    """Letters to print (id, reference, kind, created_at), written as the workflow does."""
    store = store_of(app)
    with store.transaction() as conn:
        for letter_id, reference, kind, created in letters:
            store._execute(
                conn,
                "INSERT INTO dossier_letters (id, reference, kind, payload, created_at, to_print) "
                "VALUES (?, ?, ?, ?, ?, 1)",
                (letter_id, reference, kind, f'{{"reference": "{reference}", "lang": "fr"}}',
                 created),
            )


def _all_waiting(app: Any) -> list[Row]:
    """Every letter waiting, of every service, in the queue's order: the plain reference."""
    rows = store_of(app)._all(
        "SELECT l.id, l.reference, l.kind, l.created_at, d.service FROM dossier_letters l "
        "JOIN dossiers d ON d.reference = l.reference "
        "WHERE l.to_print = 1 AND l.printed_at IS NULL ORDER BY l.created_at, l.id",
        (),
    )
    return [tuple(r) for r in rows]  # type: ignore[misc]


def _expected(app: Any, service: str, /, **f: str) -> list[str]:
    """The ids a filter should show to an agent of ``service``, computed plainly (a
    ``service`` in ``f`` is another's: ignored, as the page ignores it)."""
    out = []
    for letter_id, reference, kind, created, owner in _all_waiting(app):
        day = created[:10]
        wanted = f.get("reference", "").upper()
        if (owner == service
                and (not f.get("kind") or kind == f["kind"])
                and (not wanted or (reference.startswith(wanted) if f.get("match") == "prefix"
                                    else reference == wanted))
                and (not f.get("since") or day >= f["since"])
                and (not f.get("until") or day <= f["until"])):
            out.append(letter_id)
    return out


def _shown(client: TestClient, query: dict[str, str]) -> tuple[int, list[str], str]:
    """The status, the letters listed and the page of the queue asked with ``query``."""
    r = client.get(f"{QUEUE}?{urlencode(query)}")
    return r.status_code, re.findall(r'<tr data-letter="([^"]+)"', r.text), r.text


def _seed(app: Any, world: dict[str, Any]) -> None:
    """Letters of each kind over ten days, in both services, some at a day's very edges."""
    refs = world["refs"]
    letters = []
    for n in range(40):
        reference = refs["proprete"] if n % 3 else refs["voirie"]
        day = 1 + n % 10
        clock = ("00:00:00.000", "12:30:00.000", "23:59:59.999")[n % 3]
        letters.append((f"f{n:03d}", reference, LETTER_KINDS[n % 4],
                        f"2026-05-{day:02d}T{clock}+00:00"))
    _insert(app, letters)


def test_each_filter_alone_and_combined_shows_what_the_plain_filter_keeps(
    app: Any, world: dict[str, Any]
) -> None:
    _seed(app, world)
    mine = world["refs"]["proprete"]
    proprete = agent_client(app, "proprete@tours.example")
    cases: list[dict[str, str]] = [
        {},
        *({"kind": k} for k in LETTER_KINDS),
        {"reference": mine},
        {"reference": mine.lower(), "match": "exact"},
        {"reference": mine[:3], "match": "prefix"},
        {"reference": mine[:3]},  # exact by default: a part of a reference is none
        {"since": "2026-05-04"},
        {"until": "2026-05-04"},
        {"since": "2026-05-04", "until": "2026-05-04"},  # one day, its edges included
        {"since": "2026-05-03", "until": "2026-05-07", "kind": "status"},
        {"kind": "message", "reference": mine[:1], "match": "prefix", "since": "2026-05-02"},
        {"since": "2026-06-01"},
    ]
    for query in cases:
        status, shown, page = _shown(proprete, query)
        expected = _expected(app, "proprete", **query)
        assert status == 200 and "data-error-summary" not in page, query
        assert shown == expected, query
        assert f'data-waiting="{len(expected)}"' in page, query
        # The filter is kept in the batch form (print this page), as it was read.
        for name, value in query.items():
            if name != "match" or value == "prefix":
                value = value.upper() if name == "reference" else value
                assert f'type="hidden" name="{name}" value="{value}"' in page or not shown, query
    assert _expected(app, "proprete", since="2026-05-04", until="2026-05-04")  # not vacuous
    assert len(_expected(app, "proprete", kind="status")) < len(_expected(app, "proprete"))
    # The form: labelled, grouped, in French and in English.
    page = proprete.get(QUEUE).text
    for field_id in ("q-kind", "q-reference", "q-since", "q-until", "q-match-prefix"):
        assert f'for="{field_id}"' in page and f'id="{field_id}"' in page
    assert '<legend class="pc-legend">Filtrer les courriers</legend>' in page
    assert 'method="get"' in page and "Lettre de décision" in page
    english = proprete.get(f"{QUEUE}?lang=en&kind=decision").text
    assert "Filter the letters" in english and "starts with" in english
    assert '<option value="decision" selected>Decision letter</option>' in english


def test_the_filters_are_kept_through_pages_and_the_batch_prints_only_what_is_shown(
    app: Any, world: dict[str, Any]
) -> None:
    mine = world["refs"]["proprete"]
    _insert(app, [(f"m{n:03d}", mine, "message" if n % 3 else "status",
                   f"2026-05-04T08:{n // 60:02d}:{n % 60:02d}.000+00:00") for n in range(180)])
    query = {"kind": "message", "reference": mine[:2].lower(), "match": "prefix",
             "since": "2026-05-04", "until": "2026-05-04"}
    expected = _expected(app, "proprete", **query)
    assert len(expected) == 120  # three pages
    proprete = agent_client(app, "proprete@tours.example")
    seen: list[str] = []
    page_url: str | None = f"{QUEUE}?{urlencode(query)}"
    while page_url:
        page = proprete.get(page_url).text
        assert 'data-waiting="120"' in page
        seen += re.findall(r'<tr data-letter="([^"]+)"', page)
        found = re.search(r'<a href="([^"]+)" rel="next"', page)
        page_url = found.group(1).replace("&amp;", "&") if found else None
        if page_url:
            for kept in ("kind=message", f"reference={mine[:2]}", "match=prefix",
                         "since=2026-05-04", "until=2026-05-04"):
                assert kept in page_url
    assert seen == expected
    # "Print the whole page" on the second page: the batch is that page, as it was shown.
    second = proprete.get(f"{QUEUE}?{urlencode({**query, 'page': '2'})}").text
    form = re.search(r'<form id="print-batch".*?</form>', second, re.S)
    assert form
    hidden = dict(re.findall(r'type="hidden" name="([^"]+)" value="([^"]+)"', form.group(0)))
    assert hidden == {"kind": "message", "reference": mine[:2], "match": "prefix",
                      "since": "2026-05-04", "until": "2026-05-04", "page": "2"}
    batch = proprete.get(f"{BATCH}?{urlencode({**hidden, 'tout': '1'})}").text
    chosen = re.findall(r'name="courrier" value="([^"]+)"', batch)
    assert chosen == expected[PRINT_BATCH:2 * PRINT_BATCH]
    confirm = re.search(r'<form method="post" action="[^"]*/lot/imprime">.*?</form>', batch, re.S)
    assert confirm and 'name="kind" value="message"' in confirm.group(0)
    back = re.search(r'<a href="([^"]+)">Retour', batch)
    assert back and "kind=message" in back.group(1)
    posted = {"csrf_token": csrf_of(proprete), "courrier": chosen, **hidden}
    r = proprete.post(f"{BATCH}/imprime", data=posted, follow_redirects=False)
    assert r.status_code == 303 and "kind=message" in r.headers["location"]
    assert "match=prefix" in r.headers["location"]
    # Exactly that page left the queue: the statuses and the other pages are still there.
    left = [x[0] for x in _all_waiting(app)]
    assert set(chosen).isdisjoint(left)
    assert set(expected) - set(chosen) <= set(left)
    assert all(f"m{n:03d}" in left for n in range(0, 180, 3))
    remaining = expected[:PRINT_BATCH] + expected[2 * PRINT_BATCH:]
    assert _expected(app, "proprete", **query) == remaining
    status, shown, page = _shown(proprete, query)
    assert shown == remaining[:PRINT_BATCH] and f'data-waiting="{len(remaining)}"' in page
    # One letter marked printed from the filtered queue: back to the same filtered queue.
    row = re.search(rf'<tr data-letter="{remaining[0]}">.*?</tr>', page, re.S)
    assert row and 'type="hidden" name="kind" value="message"' in row.group(0)
    r = proprete.post(f"{QUEUE}/{remaining[0]}/imprime",
                      data={"csrf_token": csrf_of(proprete), **hidden}, follow_redirects=False)
    assert r.status_code == 303 and "kind=message" in r.headers["location"]
    assert "since=2026-05-04" in r.headers["location"]
    assert _expected(app, "proprete", **query) == remaining[1:]


def test_another_services_letters_are_never_shown_whatever_the_filter(
    app: Any, world: dict[str, Any]
) -> None:
    _seed(app, world)
    theirs = world["refs"]["proprete"]
    voirie = agent_client(app, "voirie@tours.example")
    for query in ({"reference": theirs}, {"reference": theirs[:2], "match": "prefix"},
                  {"reference": theirs, "service": "proprete"}, {"kind": "receipt"},
                  {"reference": "", "match": "prefix"}):
        status, shown, page = _shown(voirie, query)
        assert status == 200 and shown == _expected(app, "voirie", **query), query
        assert f"/-/agents/dossiers/{theirs}" not in page  # not a row, not printed
    # Its whole page, filtered on the other service's reference: nothing to print.
    r = voirie.get(f"{BATCH}?{urlencode({'tout': '1', 'reference': theirs})}")
    assert r.status_code == 400 and t("bo_batch_empty", "fr") in r.text
    # An administrator sees both, filtered alike.
    admin = agent_client(app, "admin@tours.example")
    assert _shown(admin, {"reference": theirs})[1] == _expected(app, "proprete",
                                                                 reference=theirs)


def test_hostile_filters_are_said_and_set_aside_never_a_500(
    app: Any, world: dict[str, Any]
) -> None:
    _seed(app, world)
    proprete = agent_client(app, "proprete@tours.example")
    everything = _expected(app, "proprete")
    before = len(_all_waiting(app))

    def escaped(key: str, **values: Any) -> str:
        return t(key, "fr", **values).replace("'", "&#39;")

    for query, message, field_id in (
        ({"since": "2026-13-45"}, escaped("bo_queue_bad_since"), "q-since"),
        ({"since": "hier"}, escaped("bo_queue_bad_since"), "q-since"),
        ({"until": "99999-01-01"}, escaped("bo_queue_bad_until"), "q-until"),
        ({"until": "9" * 20000}, escaped("bo_queue_bad_until"), "q-until"),
        ({"since": "2026-05-09", "until": "2026-05-02"}, escaped("bo_queue_bad_range"),
         "q-until"),
        ({"kind": "'; DROP TABLE dossier_letters; --"}, escaped("bo_queue_bad_kind"), "q-kind"),
        ({"kind": "receipts"}, escaped("bo_queue_bad_kind"), "q-kind"),
        ({"reference": "A" * 5000}, escaped("bo_queue_bad_reference", size=40), "q-reference"),
    ):
        status, shown, page = _shown(proprete, query)
        assert status == 400 and message in page, query
        assert f'href="#{field_id}"' in page and "data-error-summary" in page, query
        assert re.search(rf'id="{field_id}"[^>]*aria-invalid="true"', page), query
        assert shown == everything and "Traceback" not in page, query  # set aside: unfiltered
    # A bad date sets only itself aside: the kind still applies, and the batch agrees.
    status, shown, _ = _shown(proprete, {"kind": "status", "since": "2026-02-30"})
    assert status == 400 and shown == _expected(app, "proprete", kind="status")
    batch = proprete.get(f"{BATCH}?tout=1&kind=status&since=2026-02-30").text
    assert re.findall(r'name="courrier" value="([^"]+)"', batch) == shown
    # Injections and wildcards in the reference are a reference that matches nothing.
    for reference in ("' OR '1'='1", "%", "_", "%%%%", "!", "' OR 1=1 --", "\\"):
        for match in ("exact", "prefix"):
            status, shown, page = _shown(proprete, {"reference": reference, "match": match})
            assert status == 200 and shown == [], (reference, match)
            assert 'data-waiting="0"' in page
    status, _, page = _shown(proprete, {"reference": '"><script>alert(1)</script>'})
    assert status == 200 and "<script>alert" not in page and "&lt;script&gt;alert" in page
    # The widest dates are dates: nothing overflows.
    assert _shown(proprete, {"since": date.min.isoformat(), "until": date.max.isoformat()})[1] \
        == everything
    assert _shown(proprete, {"until": date.min.isoformat()})[1] == []
    # Huge or negative pages with filters: the last or the first page.
    assert _shown(proprete, {"kind": "status", "page": "9" * 40})[0] == 200
    assert _shown(proprete, {"kind": "status", "page": "-5"})[1] == _expected(
        app, "proprete", kind="status")
    # Nothing was changed, nothing dropped; said in English too.
    assert len(_all_waiting(app)) == before
    english = proprete.get(f"{QUEUE}?lang=en&since=nope").text
    assert "The first date is not one: write it YYYY-MM-DD" in english
