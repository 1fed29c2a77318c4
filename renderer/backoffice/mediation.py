"""Assisted mode: the citizen's mandate to a mediator, and what a mediated dossier records.

A mediator (role ``mediateur`` of a structure, :mod:`renderer.backoffice.accounts`) keys a
journey with a citizen only after the citizen's consent is recorded, in the manner of Aidants
Connect's mandates: for which procedure, until when, and how it was given (read and accepted
on the mediator's screen, or a signed paper the mediator attests to keep). Each mandate is
written with its audit entry; the dossier sent under it carries ``channel = accompagne``, the
mediator and the structure, and the mandate is bound to that dossier. Its mediator or the
citizen may withdraw it before then: the citizen with the withdrawal code printed on the
mandate's receipt (:func:`withdrawal_code`, of which only a hash is stored).

Sources: Aidants Connect (https://aidantsconnect.beta.gouv.fr/), whose mandates name the
procedures, a duration (a day or up to a year) and the citizen's consent.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from renderer.store import ALPHABET, CODE_LENGTH, Store, normalise_code, now

from . import audit
from .accounts import Agent

#: How the citizen gave their consent.
ON_SCREEN, ON_PAPER = "ecran", "papier"
CONSENTS = (ON_SCREEN, ON_PAPER)
#: The durations a mandate may last, in days (one day, a month, a year as Aidants Connect).
DURATIONS = (1, 30, 365)
#: Longest citizen's name kept on a mandate.
MAX_NAME = 200
#: Who withdrew a mandate (``mandates.withdrawn_by``).
BY_MEDIATOR, BY_CITIZEN = "mediateur", "citoyen"


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
    withdrawn_by: str | None = None

    def active(self, at: datetime | None = None) -> bool:
        """Whether the mandate still covers its procedure (not expired, not withdrawn, no
        dossier sent)."""
        moment = (at or datetime.now(UTC)).isoformat(timespec="milliseconds")
        return self.reference is None and self.withdrawn_at is None and moment < self.expires_at


_COLUMNS = (
    "id, agent_id, structure, journey_id, citizen_name, consent, created_at, expires_at, "
    "reference, withdrawn_at, withdrawn_by"
)


def withdrawal_code(store: Store, mandate_id: str) -> str:
    """The code printed on a mandate's receipt, with which the citizen withdraws it:
    ``XXXX-XXXX-XXXX`` in the resume codes' unambiguous alphabet (60 bits), an HMAC of the
    mandate's id with the server's secret, as the follow-up codes are
    (:mod:`renderer.citizens.follow_code`): the receipt can be printed again, and only its
    hash is stored (:func:`code_hash`)."""
    return _code(store.secret(), mandate_id)


def _code(secret: str, mandate_id: str) -> str:
    mac = hmac.new(
        secret.encode("utf-8"), f"mandate-code:{mandate_id}".encode(), hashlib.sha256
    ).digest()
    number = int.from_bytes(mac[:8], "big")
    raw = "".join(ALPHABET[(number >> (5 * i)) & 31] for i in range(CODE_LENGTH))
    return "-".join(raw[i : i + 4] for i in range(0, CODE_LENGTH, 4))


def code_hash(code: str) -> str:
    """What the store keeps of a withdrawal code (as typed: any case, dashes or not)."""
    return hashlib.sha256(f"mandate-code:{normalise_code(code)}".encode()).hexdigest()


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
        secret = self.store.secret()  # read (or made) before the transaction
        with self.store.transaction(exclusive=True) as conn:
            digest = code_hash(_code(secret, mandate.id))
            # Two mandates never share a withdrawal code (60 bits: a clash is not expected
            # before a billion mandates, but a code must find one mandate only).
            while self.store._execute(
                conn, "SELECT 1 FROM mandates WHERE withdrawal_hash = ?", (digest,)
            ).fetchone():
                mandate.id = secrets.token_urlsafe(16)
                digest = code_hash(_code(secret, mandate.id))
            self.store._execute(
                conn,
                f"INSERT INTO mandates ({_COLUMNS}, withdrawal_hash) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, NULL, NULL, NULL, ?)",
                (
                    mandate.id,
                    agent.id,
                    agent.structure,
                    journey_id,
                    name,
                    consent,
                    mandate.created_at,
                    expires,
                    digest,
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

    def in_view_of(self, agent_id: str, limit: int = 200) -> list[Mandate]:
        """The mandates a mediator's home lists, newest first: those still in force, and
        those the citizen withdrew before their end (the mediator learns of it there)."""
        rows = self.store._all(
            f"SELECT {_COLUMNS} FROM mandates WHERE agent_id = ? AND reference IS NULL "
            "AND expires_at > ? AND (withdrawn_at IS NULL OR withdrawn_by = ?) "
            "ORDER BY created_at DESC, id LIMIT ?",
            (agent_id, now(), BY_CITIZEN, limit),
        )
        return [Mandate(*r) for r in rows]

    def withdraw(self, agent: Agent, mandate_id: str) -> bool:
        """Withdraw a mandate of ``agent`` that still covers its procedure, audited (the
        journey keyed under it can no longer be sent); False when there is no such mandate
        (another mediator's, expired, used or withdrawn already): nothing changes."""
        return self._withdraw(mandate_id, agent.id, BY_MEDIATOR, agent.structure or "")

    def withdraw_by_citizen(self, mandate: Mandate) -> bool:
        """The citizen withdraws their mandate (with its code): the same state and audit
        entry as the mediator's withdrawal, with nobody's agent id and ``by: citoyen``;
        False when it no longer covers anything (used, expired, withdrawn already)."""
        return self._withdraw(mandate.id, None, BY_CITIZEN, mandate.structure)

    def _withdraw(self, mandate_id: str, agent_id: str | None, by: str, structure: str) -> bool:
        stamp = now()
        mine = "" if agent_id is None else " AND agent_id = ?"
        with self.store.transaction(exclusive=True) as conn:
            cursor = self.store._execute(
                conn,
                "UPDATE mandates SET withdrawn_at = ?, withdrawn_by = ? WHERE id = ?"
                f"{mine} AND reference IS NULL AND withdrawn_at IS NULL AND expires_at > ?",
                (stamp, by, mandate_id, *([agent_id] if agent_id else []), stamp),
            )
            if not cursor.rowcount:
                return False
            entry: dict[str, str] = {"mandate": mandate_id, "structure": structure}
            if agent_id is None:
                entry["by"] = BY_CITIZEN
            audit.record(self.store, conn, agent_id, "mandate_withdrawn", None, None, entry)
        return True

    def by_code(self, code: str) -> Mandate | None:
        """The mandate whose withdrawal code this is (as typed by a citizen), or None."""
        normalised = normalise_code(code)
        if len(normalised.replace("-", "")) != CODE_LENGTH:
            return None
        row = self.store._one(
            f"SELECT {_COLUMNS} FROM mandates WHERE withdrawal_hash = ?", (code_hash(code),)
        )
        if row is None:
            return None
        mandate = Mandate(*row)
        # The hash found it; the HMAC says it is this mandate's code (never another's).
        expected = withdrawal_code(self.store, mandate.id)
        return mandate if hmac.compare_digest(expected, normalised) else None

    def receipt_code(self, mandate: Mandate) -> str:
        """The withdrawal code of ``mandate`` for its receipt; its hash is stored first when
        the mandate was recorded before codes were (migration 013)."""
        code = withdrawal_code(self.store, mandate.id)
        row = self.store._one("SELECT withdrawal_hash FROM mandates WHERE id = ?", (mandate.id,))
        if row is not None and row[0] is None:
            self.store._write(
                "UPDATE mandates SET withdrawal_hash = ? WHERE id = ? AND withdrawal_hash IS NULL",
                (code_hash(code), mandate.id),
            )
        return code

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
