"""The back office's data on SQLite and PostgreSQL: dossiers routed and opened with the
submission, the status workflow, messages, annotations, the audit log, agents and their
throttled logins, and `parcours agent`."""

from __future__ import annotations

import argparse
import datetime
import io
from pathlib import Path
from typing import Any

import pytest

from designer.loading import load_journey
from designer.organisation import load_organisation
from renderer.backoffice import audit, outbox
from renderer.backoffice.accounts import (
    ADMINISTRATEUR,
    AccountError,
    Accounts,
    Agent,
    LoginRefused,
)
from renderer.backoffice.cli import add_agent_arguments, run_agent
from renderer.backoffice.dossiers import Dossiers, Filters
from renderer.backoffice.intake import citizen_email, opener
from renderer.backoffice.workflow import WorkflowError
from renderer.store import Store

ROOT = Path(__file__).resolve().parents[2]
SIGNALEMENT = load_journey(ROOT / "journeys" / "signalement-voirie.yaml", analyses=[]).journey
ORGANISATION = load_organisation(ROOT / "journeys" / "organisation.yaml").organisation
ADDRESS = {"street": "1 rue des Minimes", "postcode": "37000", "commune": "Tours"}
PASSWORD = "un mot de passe assez long"


@pytest.fixture
def store(db_url: str) -> Any:
    s = Store(db_url)
    yield s
    s.close()


def send(store: Store, nature: str, email: str | None = "zoe@example.fr") -> str:
    """A citizen's signalement submitted through the store, as the citizens' pages do."""
    assert SIGNALEMENT is not None and ORGANISATION is not None
    digest = store.save_journey_version(SIGNALEMENT.id, "source", "signalement-voirie.yaml")
    draft = store.create_draft(SIGNALEMENT.id, digest, "urgence")
    answers: dict[str, Any] = {
        "danger": False, "type_probleme": nature, "adresse": ADDRESS,
        "etre_informe": email is not None,
    }
    if email:
        answers["email"] = email
    then = opener(store, ORGANISATION.services, SIGNALEMENT, answers, "fr")
    reference, created = store.submit(draft, {"outcome": "envoi", "answers": answers}, "fr",
                                      then=then)
    assert created
    return reference


def agent(store: Store, email: str, *services: str, role: str = "instructeur") -> Agent:
    return Accounts(store).add(email, PASSWORD, role, list(services))


def test_a_submission_opens_a_dossier_routed_to_its_service(store: Store) -> None:
    reference = send(store, "tag")
    d = Dossiers(store).get(reference)
    assert d is not None
    assert (d.service, d.status, d.citizen_email) == ("proprete", "en_construction",
                                                      "zoe@example.fr")
    assert [h.kind for h in Dossiers(store).history(reference)] == ["created"]
    queued = {(k, r) for k, r, *_ in outbox.pending(store)}
    assert queued == {("receipt", "zoe@example.fr"), ("new_dossier", "proprete@tours.example")}
    assert Dossiers(store).get(send(store, "feu")).service == "eclairage"  # type: ignore[union-attr]
    assert Dossiers(store).get(send(store, "trottoir")).service == "voirie"  # type: ignore[union-attr]


def test_a_replayed_submission_opens_nothing_twice(store: Store) -> None:
    reference = send(store, "tag")
    submission = store.submission(reference)
    assert submission is not None
    draft = store.get_draft(submission.draft_id)
    assert draft is not None
    calls: list[str] = []
    again, created = store.submit(draft, {}, "fr", then=lambda conn, ref: calls.append(ref))
    assert (again, created, calls) == (reference, False, [])


def test_a_failing_opening_leaves_no_half_dossier(store: Store) -> None:
    digest = store.save_journey_version("demo", "x", "demo.yaml")
    draft = store.create_draft("demo", digest, "a")

    def broken(conn: Any, reference: str) -> None:
        raise RuntimeError("disk full")

    with pytest.raises(RuntimeError):
        store.submit(draft, {"answers": {}}, "fr", then=broken)
    assert store.submission_for_draft(draft.id) is None
    assert outbox.pending(store) == []


def test_the_status_workflow(store: Store) -> None:
    reference = send(store, "tag")
    camille = agent(store, "camille@tours.example", "proprete")
    dossiers = Dossiers(store)
    with pytest.raises(WorkflowError) as refused:
        dossiers.change_status(camille, reference, "accepte")
    assert refused.value.key == "bo_transition_refused"
    dossiers.change_status(camille, reference, "en_instruction")
    with pytest.raises(WorkflowError) as no_reason:
        dossiers.change_status(camille, reference, "refuse", reason="  ")
    assert no_reason.value.key == "bo_reason_required"
    d = dossiers.change_status(camille, reference, "classe_sans_suite", reason="Doublon")
    assert d.status == "classe_sans_suite" and d.decided_at is not None
    with pytest.raises(WorkflowError):
        dossiers.change_status(camille, reference, "en_instruction")  # a decision is final
    history = dossiers.history(reference)
    assert [(h.kind, h.before, h.after, h.note) for h in history] == [
        ("created", None, "en_construction", None),
        ("status", "en_construction", "en_instruction", None),
        ("status", "en_instruction", "classe_sans_suite", "Doublon"),
    ]
    statuses = [k for k, *_ in outbox.pending(store) if k == "status"]
    assert len(statuses) == 2
    stats = dossiers.statistics(camille)
    assert stats["signalement-voirie"]["counts"] == {"classe_sans_suite": 1}
    assert stats["signalement-voirie"]["median_days"] == 0.0


def test_an_agent_lists_only_its_services(store: Store) -> None:
    refs = {n: send(store, n) for n in ("tag", "depot", "feu", "trottoir")}
    camille = agent(store, "camille@tours.example", "proprete")
    admin = agent(store, "admin@tours.example", role=ADMINISTRATEUR)
    dossiers = Dossiers(store)
    mine, total = dossiers.search(camille, Filters())
    assert total == 2 and {d.reference for d in mine} == {refs["tag"], refs["depot"]}
    everything, total = dossiers.search(admin, Filters())
    assert total == 4
    assert dossiers.search(admin, Filters(service="eclairage"))[1] == 1
    assert dossiers.search(camille, Filters(service="eclairage"))[1] == 0
    nobody = Agent("x", "x@x", "instructeur", frozenset())
    assert dossiers.search(nobody, Filters()) == ([], 0)


def test_filters_and_pagination(store: Store) -> None:
    refs = [send(store, "tag", email=f"p{i}@example.fr") for i in range(7)]
    admin = agent(store, "admin@tours.example", role=ADMINISTRATEUR)
    dossiers = Dossiers(store)
    page1, total = dossiers.search(admin, Filters(), page=1, per_page=3)
    page3, _ = dossiers.search(admin, Filters(), page=3, per_page=3)
    assert total == 7 and len(page1) == 3 and len(page3) == 1
    seen = {d.reference for p in (1, 2, 3) for d in dossiers.search(admin, Filters(), p, 3)[0]}
    assert seen == set(refs)
    # Text search: accents and case folded, every word must match.
    assert dossiers.search(admin, Filters(text="P3@EXAMPLE"))[1] == 1
    assert dossiers.search(admin, Filters(text="rue des minimes"))[1] == 7
    assert dossiers.search(admin, Filters(text=refs[0]))[0][0].reference == refs[0]
    assert dossiers.search(admin, Filters(text="100%"))[1] == 0
    assert dossiers.search(admin, Filters(text="3@"))[1] == 1  # shorter than a trigram: found
    # The trigram index follows the table: a deleted dossier is no longer found.
    with store.transaction() as conn:
        for table in ("dossier_history", "dossiers"):
            store._execute(conn, f"DELETE FROM {table} WHERE reference = ?", (refs[6],))
    assert dossiers.search(admin, Filters(text="p6@example"))[1] == 0
    assert dossiers.search(admin, Filters(text="rue des minimes"))[1] == 6
    refs.pop()
    assert dossiers.search(admin, Filters(journey="autre"))[1] == 0
    dossiers.change_status(admin, refs[0], "en_instruction")
    assert dossiers.search(admin, Filters(status="en_instruction"))[1] == 1
    today = datetime.datetime.now(datetime.UTC).date()
    assert dossiers.search(admin, Filters(since=today, until=today))[1] == 6
    assert dossiers.search(admin, Filters(until=today - datetime.timedelta(days=1)))[1] == 0
    # The last day a date can hold has no next day: no upper bound, not an OverflowError.
    assert dossiers.search(admin, Filters(until=datetime.date.max))[1] == 6


def test_the_count_stops_at_its_cap_and_the_statistics_sum_the_services(
        store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    from renderer.backoffice import dossiers as module

    for nature in ("tag", "tag", "tag", "feu"):
        send(store, nature)
    admin = agent(store, "admin@tours.example", role=ADMINISTRATEUR)
    dossiers = Dossiers(store)
    monkeypatch.setattr(module, "COUNT_CAP", 2)
    found, total = dossiers.search(admin, Filters(), per_page=10)
    assert total == 3 and len(found) == 4  # "more than 2"; the page itself is whole
    assert dossiers.search(admin, Filters(service="eclairage"))[1] == 1
    # Counted per service first (the covering index's order), summed per journey.
    counts = dossiers.statistics(admin)["signalement-voirie"]["counts"]
    assert counts == {"en_construction": 4}


def test_messages_annotations_and_reassignment(store: Store) -> None:
    reference = send(store, "tag")
    camille = agent(store, "camille@tours.example", "proprete")
    dossiers = Dossiers(store)
    dossiers.message_from_agent(camille, reference, "Pouvez-vous envoyer une photo ?")
    dossiers.annotate(camille, reference, "Voir avec l'équipe de nuit")
    dossiers.message_from_citizen(reference, "Voici la photo", None, "proprete@tours.example")
    assert [(m.author, m.body) for m in dossiers.messages(reference)] == [
        ("agent", "Pouvez-vous envoyer une photo ?"), ("citizen", "Voici la photo"),
    ]
    assert [a.body for a in dossiers.annotations(reference)] == ["Voir avec l'équipe de nuit"]
    d = Dossiers(store, ORGANISATION.services).reassign(  # type: ignore[union-attr]
        camille, reference, "voirie", "C'est un trou, pas un tag")
    assert d.service == "voirie"
    kinds = [k for k, *_ in outbox.pending(store)]
    assert kinds.count("message") == 1 and kinds.count("citizen_message") == 1
    assert kinds.count("new_dossier") == 2


def test_the_audit_log_records_every_action_and_shows_tampering(store: Store) -> None:
    reference = send(store, "tag")
    camille = agent(store, "camille@tours.example", "proprete")
    dossiers = Dossiers(store)
    dossiers.change_status(camille, reference, "en_instruction")
    dossiers.annotate(camille, reference, "note")
    dossiers.message_from_agent(camille, reference, "question")
    Dossiers(store, ORGANISATION.services).reassign(  # type: ignore[union-attr]
        camille, reference, "voirie", "")
    entries = audit.entries(store, reference)
    assert [e.action for e in entries] == ["status", "annotate", "message", "reassign"]
    assert entries[0].before == {"status": "en_construction"}
    assert all(e.agent_id == camille.id for e in entries)
    assert audit.verify(store) == []
    store._write("UPDATE audit_log SET after = ? WHERE action = 'annotate'", ('{"body": "x"}',))
    assert any("changed" in p for p in audit.verify(store))


def test_agents_and_throttled_logins(store: Store) -> None:
    accounts = Accounts(store)
    camille = agent(store, "Camille@Tours.example", "proprete", "voirie")
    assert camille.email == "camille@tours.example"
    assert camille.may_see("voirie") and not camille.may_see("eclairage")
    assert not camille.may_see(None)
    assert accounts.authenticate(" CAMILLE@tours.example", PASSWORD, "10.0.0.1").id == camille.id
    stored = store._one("SELECT password_hash FROM agents WHERE id = ?", (camille.id,))[0]
    assert stored.startswith("$argon2id$") and PASSWORD not in stored
    for _ in range(5):
        with pytest.raises(LoginRefused) as wrong:
            accounts.authenticate("camille@tours.example", "mauvais", "10.0.0.2")
        assert not wrong.value.throttled
    with pytest.raises(LoginRefused) as throttled:
        accounts.authenticate("camille@tours.example", PASSWORD, "10.0.0.3")
    assert throttled.value.throttled  # even the right password, once throttled
    with pytest.raises(LoginRefused):
        accounts.authenticate("personne@tours.example", PASSWORD, "10.0.0.4")
    for bad in [("x", PASSWORD, "instructeur", ["voirie"]),
                ("a@b.fr", "court", "instructeur", ["voirie"]),
                ("a@b.fr", PASSWORD, "chef", ["voirie"]),
                ("a@b.fr", PASSWORD, "instructeur", []),
                ("camille@tours.example", PASSWORD, "instructeur", ["voirie"])]:
        with pytest.raises(AccountError):
            accounts.add(*bad)


def test_agent_sessions(store: Store) -> None:
    accounts = Accounts(store)
    camille = agent(store, "camille@tours.example", "proprete")
    session = accounts.open_session(camille, "fr")
    found = accounts.session(session.id)
    assert found is not None and found.agent.id == camille.id and found.csrf == session.csrf
    assert accounts.session("forged") is None
    store._write("UPDATE agent_sessions SET expires_at = ? WHERE id = ?",
                 ("2020-01-01T00:00:00.000+00:00", session.id))
    assert accounts.session(session.id) is None
    other = accounts.open_session(camille, "en")
    accounts.close_session(other.id)
    assert accounts.session(other.id) is None
    # A citizen's session id is not an agent's.
    assert accounts.session(store.create_session("fr").id) is None


def test_citizen_email_prefers_the_contact_concept() -> None:
    assert SIGNALEMENT is not None
    assert citizen_email(SIGNALEMENT, {"email": "a@b.fr"}) == "a@b.fr"
    assert citizen_email(SIGNALEMENT, {}) is None


def _agent_args(*argv: str) -> argparse.Namespace:
    parser = argparse.ArgumentParser()
    add_agent_arguments(parser)
    return parser.parse_args(list(argv))


def test_parcours_agent_add_reads_the_password_from_stdin(db_url: str) -> None:
    out, err = io.StringIO(), io.StringIO()
    args = _agent_args("add", "camille@tours.example", "--service", "voirie", "--db", db_url,
                       "--journeys", str(ROOT / "journeys"))
    assert run_agent(args, io.StringIO(PASSWORD + "\n"), out, err) == 0, err.getvalue()
    assert "camille@tours.example" in out.getvalue()
    store = Store(db_url)
    assert Accounts(store).authenticate("camille@tours.example", PASSWORD).services == {"voirie"}
    unknown = _agent_args("add", "b@tours.example", "--service", "espaces_verts", "--db", db_url,
                          "--journeys", str(ROOT / "journeys"))
    assert run_agent(unknown, io.StringIO(PASSWORD + "\n"), out, err) == 1
    assert "espaces_verts" in err.getvalue()
    short = _agent_args("add", "c@tours.example", "--service", "voirie", "--db", db_url)
    assert run_agent(short, io.StringIO("court\n"), out, err) == 1
    listing = io.StringIO()
    assert run_agent(_agent_args("list", "--db", db_url), io.StringIO(), listing, err) == 0
    assert listing.getvalue() == "camille@tours.example\tinstructeur\tvoirie\n"


def test_purge_deletes_what_is_past_its_retention(store: Store, db_url: str) -> None:
    from renderer.backoffice.cli import add_purge_arguments, run_purge

    old, recent, pending = send(store, "tag"), send(store, "tag"), send(store, "tag")
    camille = agent(store, "camille@tours.example", "proprete")
    dossiers = Dossiers(store)
    for ref in (old, recent):
        dossiers.change_status(camille, ref, "en_instruction")
        dossiers.change_status(camille, ref, "accepte")
    submission = store.submission(old)
    assert submission is not None
    photo = store.save_file(submission.draft_id, "photo", "photo.png", "image/png", b"\x89PNG")
    photo_path = store._one("SELECT path FROM files WHERE id = ?", (photo.id,))[0]
    store._write("UPDATE dossiers SET decided_at = '2023-01-01T00:00:00.000+00:00', "
                 "created_at = '2022-12-01T00:00:00.000+00:00' WHERE reference = ?", (old,))
    store._write("UPDATE dossiers SET created_at = '2020-01-01T00:00:00.000+00:00' "
                 "WHERE reference = ?", (pending,))
    digest = store.save_journey_version("demo", "x", "demo.yaml")
    abandoned = store.create_draft("demo", digest, "a")
    kept = store.create_draft("demo", digest, "a")
    store._write("UPDATE drafts SET updated_at = '2020-01-01T00:00:00.000+00:00' WHERE id = ?",
                 (abandoned.id,))
    parser = argparse.ArgumentParser()
    add_purge_arguments(parser)
    out = io.StringIO()
    args = parser.parse_args([str(ROOT / "journeys"), "--db", db_url, "--dry-run"])
    assert run_purge(args, out, io.StringIO()) == 0
    assert f"would delete dossier {old} (signalement-voirie, decided 2023-01-01)" in out.getvalue()
    assert "1 dossier(s), 1 expired draft(s), 1 file(s)" in out.getvalue()
    assert dossiers.get(old) is not None  # a dry run deletes nothing
    out = io.StringIO()
    args = parser.parse_args([str(ROOT / "journeys"), "--db", db_url])
    assert run_purge(args, out, io.StringIO()) == 0
    assert "deleted 1 dossier(s), 1 expired draft(s), 1 file(s)" in out.getvalue()
    assert dossiers.get(old) is None and store.submission(old) is None
    assert store.get_draft(submission.draft_id) is None
    assert store._one("SELECT COUNT(*) FROM files WHERE draft_id = ?",
                      (submission.draft_id,))[0] == 0
    assert dossiers.history(old) == []
    if photo_path:  # the bytes went with the row (in the database on PostgreSQL)
        assert store.files_dir is not None and not (store.files_dir / photo_path).exists()
    # Kept: decided within its retention, still being processed however old, a live draft.
    assert dossiers.get(recent) is not None and dossiers.get(pending) is not None
    assert store.get_draft(kept.id) is not None and store.get_draft(abandoned.id) is None
    purged = [e for e in audit.entries(store, old) if e.action == "purge"]
    assert len(purged) == 1 and purged[0].before["status"] == "accepte"
    assert "zoe" not in str(purged[0].before)
    assert audit.verify(store) == []
