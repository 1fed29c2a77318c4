"""Dossiers as the back office processes them: service, status, history, messages, annotations.

A dossier is opened in the transaction that writes the submission (:meth:`Dossiers.open`),
with its service (from the journey's routing), its status ``en construction`` and the hash
of the citizen's follow-up token. Every change goes through one method that checks the
workflow, writes the history, the audit entry and the notifications in one exclusive
transaction. Authorisation is the caller's (the agents' pages ask :meth:`Agent.may_see`
first); these methods only take an agent to record who acted (an API token acts as an
instructeur of its service, renderer/api/tokens.py). Given the organisation's services,
opening, status changes, reassignments and the citizens' messages also queue the services'
webhook events (renderer/api/events.py).
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import statistics
from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any

from designer.organisation import Service
from designer.report.response import days_between
from renderer.api import events
from renderer.store import Store, now

from . import audit, outbox
from .accounts import Agent
from .letters import DECISION, POST, add_letter, tell_citizen
from .search import Filters, search_text
from .search import where as condition
from .workflow import DECIDED, EN_CONSTRUCTION, NEEDS_REASON, WorkflowError, check_transition

#: Dossiers per page of the agents' list.
PAGE_SIZE = 25
#: The list counts matching dossiers up to this many, then says "more than": an exact
#: count over every visible dossier would cost a pass over all of them at every page.
COUNT_CAP = 5000
#: How a dossier came in: the citizen alone online, keyed with a mediator, keyed from paper.
EN_LIGNE, ACCOMPAGNE, PAPIER = "en_ligne", "accompagne", "papier"
CHANNELS = (EN_LIGNE, ACCOMPAGNE, PAPIER)


@dataclass
class Dossier:
    """One dossier's processing state (its answers are the submission's)."""

    reference: str
    journey_id: str
    service: str | None
    status: str
    citizen_email: str | None
    lang: str
    created_at: str
    updated_at: str
    decided_at: str | None
    channel: str = EN_LIGNE
    #: The mediator who keyed it with the citizen (an agent id) and their structure.
    mediator_id: str | None = None
    mediator_structure: str | None = None
    #: How the citizen is told: ``email`` or ``post`` (:mod:`renderer.backoffice.letters`).
    contact_channel: str = "email"


@dataclass
class HistoryEntry:
    """A change of a dossier: created, status or service, with its note and document."""

    at: str
    agent_id: str | None
    kind: str
    before: str | None
    after: str | None
    note: str | None
    file_id: str | None


@dataclass
class Message:
    """A message between the agents and the citizen."""

    id: str
    at: str
    author: str
    agent_id: str | None
    body: str
    file_id: str | None


@dataclass
class Annotation:
    """A private note of an agent on a dossier."""

    id: str
    at: str
    agent_id: str
    body: str


_COLUMNS = ("reference, journey_id, service, status, citizen_email, lang, created_at, "
            "updated_at, decided_at, channel, mediator_id, mediator_structure, contact_channel")


def _next(table: str) -> str:
    """The SQL of the next number of a dossier's entries in ``table`` (one more parameter:
    the reference); run in the exclusive transaction that writes the entry."""
    return f"(SELECT COALESCE(MAX(seq), 0) + 1 FROM {table} WHERE reference = ?)"


def _dossier(row: Any) -> Dossier | None:
    return Dossier(*row) if row else None


def token_hash(token: str) -> str:
    """What the database keeps of a follow-up token: its SHA-256 (a leak reveals no link)."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


class Dossiers:
    """The back office's view of the dossiers in one store."""

    def __init__(self, store: Store, services: Mapping[str, Service] | None = None) -> None:
        self.store = store
        #: The organisation's services, for their webhooks (none given: no webhook events).
        self.services = services or {}

    def _event(self, conn: Any, d: Dossier, event: str, to: str | None = None,
               **extra: Any) -> None:
        """Queue ``event`` for the webhook of the dossier's service (``to``: another's)."""
        receiver = to or d.service
        declared = self.services.get(receiver) if receiver else None
        events.emit(self.store, conn, declared.webhook if declared else None, receiver, event,
                    {"reference": d.reference, "journey": d.journey_id, "service": d.service,
                     "status": d.status, "updated_at": d.updated_at, **extra})

    # -- the follow-up token ------------------------------------------------------------------

    def follow_token(self, reference: str) -> str:
        """The citizen's secret follow-up token of a dossier: an HMAC of its reference with
        the store's secret, so that the confirmation page and the e-mail can give it again
        without the database keeping it."""
        mac = hmac.new(self.store.secret().encode("utf-8"), f"follow:{reference}".encode(),
                       hashlib.sha256)
        return mac.hexdigest()[:40]

    # -- opening -------------------------------------------------------------------------------

    def open(self, conn: Any, reference: str, journey_id: str, service: str | None,
             answers: Mapping[str, Any], lang: str, citizen_email: str | None,
             service_email: str | None, journey_title: str, channel: str = EN_LIGNE,
             mediator: tuple[str, str] | None = None,
             keyed: tuple[str, str] | None = None,
             contact_channel: str = "email") -> None:
        """Open the dossier of a submission, inside the transaction that writes it, with the
        receipt to the citizen (an e-mail, or a letter to print when they chose the post)
        and the new-dossier notice to the service in the outbox.
        ``mediator``: (agent id, structure) of the mediator who keyed it with the citizen;
        ``keyed``: (agent id, file id of the scan) of a paper form keyed at the desk;
        ``contact_channel``: how the citizen is told (``email`` or ``post``)."""
        stamp = now()
        assert channel in CHANNELS, channel
        self.store._execute(
            conn,
            f"INSERT INTO dossiers ({_COLUMNS}, follow_token_hash, search) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, NULL, ?, ?, ?, ?, ?, ?)",
            (reference, journey_id, service, EN_CONSTRUCTION, citizen_email, lang, stamp,
             stamp, channel, mediator[0] if mediator else None,
             mediator[1] if mediator else None, contact_channel,
             token_hash(self.follow_token(reference)),
             search_text(reference, answers)),
        )
        self._history(conn, reference, keyed[0] if keyed else None, "created", None,
                      EN_CONSTRUCTION, None, keyed[1] if keyed else None)
        if keyed is not None:
            audit.record(self.store, conn, keyed[0], "paper_keyed", reference, None,
                         {"scan": keyed[1]})
        common = {"reference": reference, "journey": journey_title, "journey_id": journey_id,
                  "service": service}
        tell_citizen(self.store, conn, contact_channel, citizen_email, "receipt",
                     {**common, "lang": lang, "token": self.follow_token(reference)})
        outbox.enqueue(self.store, conn, "new_dossier", service_email, {**common, "lang": "fr"})
        self._event(conn, Dossier(reference, journey_id, service, EN_CONSTRUCTION, citizen_email,
                                  lang, stamp, stamp, None), events.CREATED)

    def _history(self, conn: Any, reference: str, agent_id: str | None, kind: str,
                 before: str | None, after: str | None, note: str | None,
                 file_id: str | None = None) -> None:
        self.store._execute(
            conn,
            "INSERT INTO dossier_history (id, reference, seq, at, agent_id, kind, before, after, "
            f"note, file_id) VALUES (?, ?, {_next('dossier_history')}, ?, ?, ?, ?, ?, ?, ?)",
            (secrets.token_urlsafe(12), reference, reference, now(), agent_id, kind, before,
             after, note, file_id),
        )

    # -- reading -------------------------------------------------------------------------------

    def get(self, reference: str) -> Dossier | None:
        """The dossier of that reference, or None."""
        return _dossier(self.store._one(
            f"SELECT {_COLUMNS} FROM dossiers WHERE reference = ?", (reference,)))

    def by_token(self, token: str) -> Dossier | None:
        """The dossier whose follow-up token this is, or None."""
        return _dossier(self.store._one(
            f"SELECT {_COLUMNS} FROM dossiers WHERE follow_token_hash = ?", (token_hash(token),)))

    def _where(self, agent: Agent, f: Filters) -> tuple[str, list[Any]]:
        return condition(agent, f, self.store.backend.dialect)

    def search(self, agent: Agent, f: Filters, page: int = 1,
               per_page: int = PAGE_SIZE) -> tuple[list[Dossier], int]:
        """The dossiers the agent may see that match, newest first: one page and the count,
        counted up to COUNT_CAP + 1 (a count above COUNT_CAP means "more than COUNT_CAP")."""
        where, params = self._where(agent, f)
        total = int(self.store._one(
            f"SELECT COUNT(*) FROM (SELECT 1 FROM dossiers WHERE {where} LIMIT ?) AS counted",
            [*params, COUNT_CAP + 1])[0])
        rows = self.store._all(
            f"SELECT {_COLUMNS} FROM dossiers WHERE {where} "
            "ORDER BY created_at DESC, reference LIMIT ? OFFSET ?",
            [*params, per_page, max(page - 1, 0) * per_page],
        )
        return [d for d in (_dossier(r) for r in rows) if d is not None], total

    def changed(self, agent: Agent, f: Filters, after: tuple[str, str] | None,
                limit: int) -> list[Dossier]:
        """The dossiers the agent may see that match, in the order they last changed, from
        just after the cursor ``after`` (``updated_at``, reference): a page of a keyset
        pagination that neither skips nor repeats a dossier while others are added."""
        where, params = self._where(agent, f)
        if after is not None:
            where += " AND (updated_at > ? OR (updated_at = ? AND reference > ?))"
            params += [after[0], after[0], after[1]]
        rows = self.store._all(
            f"SELECT {_COLUMNS} FROM dossiers WHERE {where} "
            "ORDER BY updated_at, reference LIMIT ?", [*params, limit])
        return [d for d in (_dossier(r) for r in rows) if d is not None]

    def helped_by(self, mediator_id: str, limit: int = 200) -> list[Dossier]:
        """The dossiers a mediator keyed with citizens, newest first (all they may see)."""
        rows = self.store._all(
            f"SELECT {_COLUMNS} FROM dossiers WHERE mediator_id = ? "
            "ORDER BY created_at DESC, reference LIMIT ?", (mediator_id, limit))
        return [d for d in (_dossier(r) for r in rows) if d is not None]

    def channels(self, agent: Agent) -> dict[str, int]:
        """How many of the dossiers the agent may see came in by each channel."""
        where, params = self._where(agent, Filters())
        counts = dict.fromkeys(CHANNELS, 0)
        # Grouped by service first, in the order of the index dossiers_service_channel,
        # which answers alone (the list stays fast over many dossiers); summed here.
        for channel, count in self.store._all(
            f"SELECT channel, COUNT(*) FROM dossiers WHERE {where} GROUP BY service, channel",
            params,
        ):
            counts[str(channel)] = counts.get(str(channel), 0) + int(count)
        return counts

    def history(self, reference: str) -> list[HistoryEntry]:
        """The dossier's changes, oldest first."""
        rows = self.store._all(
            "SELECT at, agent_id, kind, before, after, note, file_id FROM dossier_history "
            "WHERE reference = ? ORDER BY seq", (reference,))
        return [HistoryEntry(*r) for r in rows]

    def messages(self, reference: str) -> list[Message]:
        """The messages of a dossier, oldest first."""
        rows = self.store._all(
            "SELECT id, at, author, agent_id, body, file_id FROM dossier_messages "
            "WHERE reference = ? ORDER BY seq", (reference,))
        return [Message(*r) for r in rows]

    def annotations(self, reference: str) -> list[Annotation]:
        """The agents' private notes on a dossier, oldest first."""
        rows = self.store._all(
            "SELECT id, at, agent_id, body FROM dossier_annotations WHERE reference = ? "
            "ORDER BY seq", (reference,))
        return [Annotation(*r) for r in rows]

    def statistics(self, agent: Agent) -> dict[str, dict[str, Any]]:
        """Per journey the agent may see: the count of dossiers per status and per contact
        channel, and the median processing time in days (sent → decided) of the decided
        ones."""
        where, params = self._where(agent, Filters())
        out: dict[str, dict[str, Any]] = {}
        # Grouped by service first, in the order of the index dossiers_service_journey,
        # which then answers alone; the services are summed here.
        for journey_id, status, count in self.store._all(
            f"SELECT journey_id, status, COUNT(*) FROM dossiers WHERE {where} "
            "GROUP BY service, journey_id, status", params,
        ):
            counts = out.setdefault(journey_id, {"counts": {}, "median_days": None})["counts"]
            counts[status] = counts.get(status, 0) + int(count)
        for journey_id, contact, count in self.store._all(
            f"SELECT journey_id, contact_channel, COUNT(*) FROM dossiers WHERE {where} "
            "GROUP BY journey_id, contact_channel", params,
        ):
            out[journey_id].setdefault("contacts", {})[contact] = int(count)
        for journey_id, created, decided in self.store._all(
            f"SELECT journey_id, created_at, decided_at FROM dossiers WHERE {where} "
            "AND decided_at IS NOT NULL", params,
        ):
            # The same processing time as the auditors' report (designer/report/response.py).
            out[journey_id].setdefault("_days", []).append(days_between(created, decided))
        for stats in out.values():
            days = stats.pop("_days", None)
            if days:
                stats["median_days"] = round(statistics.median(days), 1)
        return out

    # -- changes -------------------------------------------------------------------------------

    def _locked(self, conn: Any, reference: str) -> Dossier:
        found = _dossier(self.store._execute(
            conn, f"SELECT {_COLUMNS} FROM dossiers WHERE reference = ?", (reference,)
        ).fetchone())
        if found is None:
            raise KeyError(reference)
        return found

    def change_status(self, agent: Agent, reference: str, status: str,
                      reason: str | None = None, file_id: str | None = None) -> Dossier:
        """Move a dossier along the workflow (raise ``WorkflowError`` when not allowed); the
        citizen is told by e-mail."""
        reason = (reason or "").strip() or None
        with self.store.transaction(exclusive=True) as conn:
            d = self._locked(conn, reference)
            check_transition(d.status, status, reason)
            stamp = now()
            decided = stamp if status in DECIDED else None
            self.store._execute(
                conn, "UPDATE dossiers SET status = ?, updated_at = ?, decided_at = ? "
                "WHERE reference = ?", (status, stamp, decided, reference))
            self._history(conn, reference, agent.id, "status", d.status, status,
                          reason if status in NEEDS_REASON or reason else None, file_id)
            audit.record(self.store, conn, agent.id, "status", reference,
                         {"status": d.status}, {"status": status, "reason": reason})
            told = {"reference": reference, "status": status, "reason": reason, "lang": d.lang,
                    "journey_id": d.journey_id, "token": self.follow_token(reference),
                    "service": d.service, "at": stamp}
            if status in DECIDED:
                # The decision letter; by post it is the letter the citizen gets.
                add_letter(self.store, conn, reference, DECISION, told,
                           to_print=d.contact_channel == POST)
            if not (status in DECIDED and d.contact_channel == POST):
                tell_citizen(self.store, conn, d.contact_channel, d.citizen_email, "status",
                             told)
            changed = replace(d, status=status, updated_at=stamp, decided_at=decided)
            self._event(conn, changed, events.STATUS_CHANGED, previous_status=d.status,
                        reason=reason)
        got = self.get(reference)
        assert got is not None
        return got

    def reassign(self, agent: Agent, reference: str, service: str, note: str) -> Dossier:
        """Send a dossier to another of the organisation's services, with a note the agents
        read (raise ``WorkflowError`` for a service not declared, or the dossier's own); the
        new service is e-mailed, and the webhooks of the new service and of the one it
        leaves are told (``dossier.reassigned``)."""
        declared = self.services.get(service)
        if declared is None:
            raise WorkflowError("bo_unknown_service")
        with self.store.transaction(exclusive=True) as conn:
            d = self._locked(conn, reference)
            if service == d.service:
                raise WorkflowError("bo_same_service")
            stamp = now()
            self.store._execute(conn, "UPDATE dossiers SET service = ?, updated_at = ? "
                                "WHERE reference = ?", (service, stamp, reference))
            self._history(conn, reference, agent.id, "service", d.service, service,
                          note.strip() or None)
            audit.record(self.store, conn, agent.id, "reassign", reference,
                         {"service": d.service}, {"service": service, "note": note})
            outbox.enqueue(self.store, conn, "new_dossier", declared.email, {
                "reference": reference, "service": service, "journey": d.journey_id,
                "journey_id": d.journey_id, "lang": "fr"})
            moved = replace(d, service=service, updated_at=stamp)
            for receiver in dict.fromkeys(s for s in (service, d.service) if s):
                self._event(conn, moved, events.REASSIGNED, to=receiver,
                            previous_service=d.service)
        got = self.get(reference)
        assert got is not None
        return got

    def annotate(self, agent: Agent, reference: str, body: str) -> str:
        """Add a private note (agents only, never the citizen); its id."""
        annotation_id = secrets.token_urlsafe(12)
        with self.store.transaction(exclusive=True) as conn:
            self._locked(conn, reference)
            self.store._execute(
                conn, "INSERT INTO dossier_annotations (id, reference, seq, at, agent_id, body) "
                f"VALUES (?, ?, {_next('dossier_annotations')}, ?, ?, ?)",
                (annotation_id, reference, reference, now(), agent.id, body.strip()))
            audit.record(self.store, conn, agent.id, "annotate", reference, None,
                         {"body": body.strip()})
        return annotation_id

    def message_from_agent(self, agent: Agent, reference: str, body: str,
                           file_id: str | None = None) -> str:
        """A message to the citizen (a question, a request for a document), e-mailed or
        printed as they chose; its id."""
        with self.store.transaction(exclusive=True) as conn:
            d = self._locked(conn, reference)
            message_id = self._message(conn, reference, "agent", agent.id, body, file_id)
            audit.record(self.store, conn, agent.id, "message", reference, None,
                         {"body": body.strip(), "file": file_id})
            tell_citizen(self.store, conn, d.contact_channel, d.citizen_email, "message", {
                "reference": reference, "lang": d.lang, "journey_id": d.journey_id,
                "token": self.follow_token(reference)})
        return message_id

    def message_from_citizen(self, reference: str, body: str, file_id: str | None,
                             service_email: str | None) -> str:
        """The citizen's answer (with a document, maybe); the service is told by e-mail and
        by its webhook (``dossier.message_received``); its id."""
        with self.store.transaction(exclusive=True) as conn:
            d = self._locked(conn, reference)
            message_id = self._message(conn, reference, "citizen", None, body, file_id)
            stamp = now()
            self.store._execute(conn, "UPDATE dossiers SET updated_at = ? WHERE reference = ?",
                                (stamp, reference))
            outbox.enqueue(self.store, conn, "citizen_message", service_email, {
                "reference": reference, "service": d.service, "journey_id": d.journey_id,
                "lang": "fr"})
            self._event(conn, replace(d, updated_at=stamp), events.MESSAGE_RECEIVED,
                        message_id=message_id)
        return message_id

    def _message(self, conn: Any, reference: str, author: str, agent_id: str | None,
                 body: str, file_id: str | None) -> str:
        message_id = secrets.token_urlsafe(12)
        self.store._execute(
            conn, "INSERT INTO dossier_messages (id, reference, seq, at, author, agent_id, body, "
            f"file_id) VALUES (?, ?, {_next('dossier_messages')}, ?, ?, ?, ?, ?)",
            (message_id, reference, reference, now(), author, agent_id, body.strip(), file_id))
        return message_id
