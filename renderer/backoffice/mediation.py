"""Assisted mode: the citizen's mandate to a mediator, and what a mediated dossier records.

A mediator (role ``mediateur`` of a structure, :mod:`renderer.backoffice.accounts`) keys a
journey with a citizen only after the citizen's consent is recorded, in the manner of Aidants
Connect's mandates: for which procedure, until when, and how it was given (read and accepted
on the mediator's screen, or a signed paper the mediator attests to keep). Each mandate is
written with its audit entry; the dossier sent under it carries ``channel = accompagne``, the
mediator and the structure, and the mandate is bound to that dossier.

Sources: Aidants Connect (https://aidantsconnect.beta.gouv.fr/), whose mandates name the
procedures, a duration (a day or up to a year) and the citizen's consent.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from renderer.store import Store, now

from . import audit
from .accounts import Agent

#: How the citizen gave their consent.
ON_SCREEN, ON_PAPER = "ecran", "papier"
CONSENTS = (ON_SCREEN, ON_PAPER)
#: The durations a mandate may last, in days (one day, a month, a year as Aidants Connect).
DURATIONS = (1, 30, 365)
#: Longest citizen's name kept on a mandate.
MAX_NAME = 200


class MandateRefused(ValueError):
    """A mandate that cannot be recorded; ``key`` is the message to show (renderer.i18n)."""

    def __init__(self, key: str) -> None:
        super().__init__(key)
        self.key = key


@dataclass
class Mandate:
    """A citizen's consent to a mediator for one procedure, until ``expires_at``."""

    id: str
    agent_id: str
    structure: str
    journey_id: str
    citizen_name: str
    consent: str
    created_at: str
    expires_at: str
    reference: str | None
    withdrawn_at: str | None = None

    def active(self, at: datetime | None = None) -> bool:
        """Whether the mandate still covers its procedure (not expired, not withdrawn, no
        dossier sent)."""
        moment = (at or datetime.now(UTC)).isoformat(timespec="milliseconds")
        return self.reference is None and self.withdrawn_at is None and moment < self.expires_at


_COLUMNS = (
    "id, agent_id, structure, journey_id, citizen_name, consent, created_at, expires_at, "
    "reference, withdrawn_at"
)


class Mandates:
    """The mandates in one store."""

    def __init__(self, store: Store) -> None:
        self.store = store

    @staticmethod
    def problems(citizen_name: str, consent: str, days: int) -> list[str]:
        """What is wrong with a mandate's fields (message keys; empty: nothing)."""
        name = " ".join(citizen_name.split())
        found = []
        if not name:
            found.append("med_name_missing")
        elif len(name) > MAX_NAME:
            found.append("med_name_long")
        if consent not in CONSENTS:
            found.append("med_consent_missing")
        if days not in DURATIONS:
            found.append("med_duration_missing")
        return found

    def record(
        self, agent: Agent, journey_id: str, citizen_name: str, consent: str, days: int
    ) -> Mandate:
        """Record a citizen's mandate to ``agent`` (a mediator), audited; raise
        :class:`MandateRefused` for anything missing or out of range."""
        if not agent.is_mediator or not agent.structure:
            raise MandateRefused("med_not_mediator")
        problems = self.problems(citizen_name, consent, days)
        if problems:
            raise MandateRefused(problems[0])
        name = " ".join(citizen_name.split())
        expires = (datetime.now(UTC) + timedelta(days=days)).isoformat(timespec="milliseconds")
        mandate = Mandate(
            secrets.token_urlsafe(16),
            agent.id,
            agent.structure,
            journey_id,
            name,
            consent,
            now(),
            expires,
            None,
        )
        with self.store.transaction(exclusive=True) as conn:
            self.store._execute(
                conn,
                f"INSERT INTO mandates ({_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, NULL, NULL)",
                (
                    mandate.id,
                    agent.id,
                    agent.structure,
                    journey_id,
                    name,
                    consent,
                    mandate.created_at,
                    expires,
                ),
            )
            audit.record(
                self.store,
                conn,
                agent.id,
                "mandate",
                None,
                None,
                {
                    "mandate": mandate.id,
                    "journey": journey_id,
                    "structure": agent.structure,
                    "consent": consent,
                    "days": days,
                    "expires_at": expires,
                },
            )
        return mandate

    def get(self, mandate_id: str) -> Mandate | None:
        """The mandate of that id, or None."""
        row = self.store._one(f"SELECT {_COLUMNS} FROM mandates WHERE id = ?", (mandate_id,))
        return Mandate(*row) if row else None

    def active_of(self, agent_id: str, limit: int = 200) -> list[Mandate]:
        """The mandates of a mediator that still cover their procedure, newest first."""
        rows = self.store._all(
            f"SELECT {_COLUMNS} FROM mandates WHERE agent_id = ? AND reference IS NULL "
            "AND withdrawn_at IS NULL AND expires_at > ? ORDER BY created_at DESC, id LIMIT ?",
            (agent_id, now(), limit),
        )
        return [Mandate(*r) for r in rows]

    def withdraw(self, agent: Agent, mandate_id: str) -> bool:
        """Withdraw a mandate of ``agent`` that still covers its procedure, audited (the
        journey keyed under it can no longer be sent); False when there is no such mandate
        (another mediator's, expired, used or withdrawn already): nothing changes."""
        stamp = now()
        with self.store.transaction(exclusive=True) as conn:
            cursor = self.store._execute(
                conn,
                "UPDATE mandates SET withdrawn_at = ? WHERE id = ? AND agent_id = ? "
                "AND reference IS NULL AND withdrawn_at IS NULL AND expires_at > ?",
                (stamp, mandate_id, agent.id, stamp),
            )
            if not cursor.rowcount:
                return False
            audit.record(
                self.store, conn, agent.id, "mandate_withdrawn", None, None,
                {"mandate": mandate_id, "structure": agent.structure},
            )
        return True

    def for_dossier(self, reference: str) -> Mandate | None:
        """The mandate a dossier was sent under, or None (not a mediated dossier)."""
        row = self.store._one(f"SELECT {_COLUMNS} FROM mandates WHERE reference = ?", (reference,))
        return Mandate(*row) if row else None

    def bind(self, conn: Any, mandate: Mandate, reference: str) -> None:
        """In the submission's transaction: the mandate is used by the dossier ``reference``
        (it covers no other one), and the audit log says who sent it for whom."""
        self.store._execute(
            conn, "UPDATE mandates SET reference = ? WHERE id = ?", (reference, mandate.id)
        )
        audit.record(
            self.store,
            conn,
            mandate.agent_id,
            "assisted_submission",
            reference,
            None,
            {"mandate": mandate.id, "structure": mandate.structure},
        )
