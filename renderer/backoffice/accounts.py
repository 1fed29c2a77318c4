"""Agents: accounts with roles, argon2 passwords, throttled logins and their own sessions.

Roles: ``instructeur`` of one or more services (sees and processes their dossiers only),
``administrateur`` of the organisation (every dossier, those no routing matched included) and
``mediateur`` of a structure (a France Services desk, an association: keys journeys with
citizens under their mandate and sees only the dossiers they helped with, never the agents'
lists; :mod:`renderer.backoffice.mediation`).
Passwords are hashed with argon2id (argon2-cffi's defaults, the OWASP recommendation); an
unknown e-mail costs the same hash as a known one, so timing tells nothing.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from renderer.store import Store, now
from renderer.throttle import Throttle

INSTRUCTEUR = "instructeur"
ADMINISTRATEUR = "administrateur"
MEDIATEUR = "mediateur"
ROLES = (INSTRUCTEUR, ADMINISTRATEUR, MEDIATEUR)
#: Longest name of a mediator's structure.
MAX_STRUCTURE = 200
#: Hours an agent's session lasts (a working day); the agent logs in again after.
SESSION_HOURS = 10
MIN_PASSWORD = 12

_hasher = PasswordHasher()
#: Verified against when the e-mail is unknown, so that the answer takes as long.
_DUMMY_HASH = _hasher.hash(secrets.token_urlsafe(16))


class AccountError(ValueError):
    """A refused account change (bad role, short password, e-mail taken), said plainly."""


@dataclass
class Agent:
    """An agent: e-mail, role, the services it instructs and, for a mediator, its structure."""

    id: str
    email: str
    role: str
    services: frozenset[str] = field(default_factory=frozenset)
    structure: str | None = None

    @property
    def is_admin(self) -> bool:
        """Whether the agent administers the organisation (sees every dossier)."""
        return self.role == ADMINISTRATEUR

    @property
    def is_mediator(self) -> bool:
        """Whether the agent is a mediator (keys journeys with citizens, instructs nothing)."""
        return self.role == MEDIATEUR

    def may_see(self, service: str | None) -> bool:
        """Whether the agent may read and process a dossier of ``service`` (None: unrouted);
        never a mediator (who sees only the dossiers they helped with, elsewhere)."""
        if self.is_mediator:
            return False
        return self.is_admin or (service is not None and service in self.services)


@dataclass
class AgentSession:
    """A logged-in agent's session: its cookie carries only the signed id."""

    id: str
    agent: Agent
    csrf: str
    lang: str


class LoginRefused(Exception):
    """Why a login failed: ``throttled`` (too many attempts) or wrong credentials."""

    def __init__(self, throttled: bool) -> None:
        super().__init__("throttled" if throttled else "wrong credentials")
        self.throttled = throttled


def normalise_email(email: str) -> str:
    """E-mails compare without case or surrounding spaces."""
    return (email or "").strip().lower()


class Accounts:
    """Agents and their sessions in the store."""

    def __init__(self, store: Store, throttle: Throttle | None = None) -> None:
        """``throttle``: the server's (Redis where configured); default the database's."""
        self.store = store
        self.throttle = throttle or Throttle(store)

    def add(self, email: str, password: str, role: str, services: list[str],
            structure: str | None = None) -> Agent:
        """Create an agent; raise :class:`AccountError` on a bad role, password, e-mail or
        structure (a mediator needs one and no service; the other roles have none)."""
        email = normalise_email(email)
        structure = " ".join((structure or "").split()) or None
        if "@" not in email:
            raise AccountError(f"not an e-mail address: {email!r}")
        if role not in ROLES:
            raise AccountError(f"unknown role {role!r} (roles: {', '.join(ROLES)})")
        if role == INSTRUCTEUR and not services:
            raise AccountError("an instructeur needs at least one service (--service ID)")
        if role == MEDIATEUR and (structure is None or services):
            raise AccountError("a mediateur needs a structure (--structure NAME) and no service")
        if role != MEDIATEUR and structure is not None:
            raise AccountError("only a mediateur belongs to a structure")
        if structure is not None and len(structure) > MAX_STRUCTURE:
            raise AccountError(f"the structure's name is longer than {MAX_STRUCTURE} characters")
        if len(password) < MIN_PASSWORD:
            raise AccountError(f"the password needs at least {MIN_PASSWORD} characters")
        if self.by_email(email) is not None:
            raise AccountError(f"an agent with the e-mail {email} already exists")
        agent = Agent(secrets.token_urlsafe(12), email, role, frozenset(services), structure)
        with self.store.transaction() as conn:
            self.store._execute(
                conn,
                "INSERT INTO agents (id, email, password_hash, role, created_at, disabled, "
                "structure) VALUES (?, ?, ?, ?, ?, 0, ?)",
                (agent.id, email, _hasher.hash(password), role, now(), structure),
            )
            for service in sorted(set(services)):
                self.store._execute(
                    conn, "INSERT INTO agent_services (agent_id, service) VALUES (?, ?)",
                    (agent.id, service),
                )
        return agent

    def _services(self, agent_id: str) -> frozenset[str]:
        rows = self.store._all(
            "SELECT service FROM agent_services WHERE agent_id = ?", (agent_id,)
        )
        return frozenset(str(r[0]) for r in rows)

    def get(self, agent_id: str) -> Agent | None:
        """The enabled agent of that id, or None."""
        row = self.store._one(
            "SELECT id, email, role, structure FROM agents WHERE id = ? AND disabled = 0",
            (agent_id,),
        )
        return self._agent(row) if row else None

    def _agent(self, row: Any) -> Agent:
        return Agent(row[0], row[1], row[2], self._services(row[0]), row[3])

    def by_email(self, email: str) -> Agent | None:
        """The agent of that e-mail (enabled or not), or None."""
        row = self.store._one(
            "SELECT id, email, role, structure FROM agents WHERE email = ?",
            (normalise_email(email),),
        )
        return self._agent(row) if row else None

    def all(self) -> list[Agent]:
        """Every enabled agent, by e-mail."""
        rows = self.store._all(
            "SELECT id, email, role, structure FROM agents WHERE disabled = 0 ORDER BY email"
        )
        return [self._agent(r) for r in rows]

    def authenticate(self, email: str, password: str, address: str = "") -> Agent:
        """The agent whose credentials these are; raise :class:`LoginRefused` otherwise.

        Throttled per e-mail and per address before any hash is computed: a guesser gets
        the same refusal, right or wrong, once the limit is reached.
        """
        email = normalise_email(email)
        throttle = self.throttle
        if throttle.blocked("login", email) or throttle.blocked("login-address", address):
            raise LoginRefused(throttled=True)
        row = self.store._one(
            "SELECT id, password_hash FROM agents WHERE email = ? AND disabled = 0", (email,)
        )
        try:
            _hasher.verify(row[1] if row else _DUMMY_HASH, password)
            ok = row is not None
        except (VerificationError, InvalidHashError):
            ok = False
        if not ok:
            throttle.fail("login", email)
            throttle.fail("login-address", address)
            raise LoginRefused(throttled=False)
        throttle.clear("login", email)
        if _hasher.check_needs_rehash(row[1]):
            self.store._write("UPDATE agents SET password_hash = ? WHERE id = ?",
                              (_hasher.hash(password), row[0]))
        agent = self.get(row[0])
        assert agent is not None
        return agent

    # -- sessions ---------------------------------------------------------------------------

    def open_session(self, agent: Agent, lang: str) -> AgentSession:
        """A new session for a logged-in agent (a fresh id: no fixation)."""
        session = AgentSession(secrets.token_urlsafe(24), agent, secrets.token_urlsafe(32), lang)
        expires = (datetime.now(UTC) + timedelta(hours=SESSION_HOURS)).isoformat(
            timespec="milliseconds")
        self.store._write(
            "INSERT INTO agent_sessions (id, agent_id, csrf, lang, created_at, expires_at) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            (session.id, agent.id, session.csrf, lang, now(), expires),
        )
        return session

    def session(self, session_id: str) -> AgentSession | None:
        """The live session of that id with its (enabled) agent, or None."""
        row = self.store._one(
            "SELECT id, agent_id, csrf, lang FROM agent_sessions WHERE id = ? AND expires_at > ?",
            (session_id, now()),
        )
        if not row:
            return None
        agent = self.get(row[1])
        return AgentSession(row[0], agent, row[2], row[3]) if agent else None

    def set_lang(self, session: AgentSession, lang: str) -> None:
        """Remember the agent's language."""
        session.lang = lang
        self.store._write("UPDATE agent_sessions SET lang = ? WHERE id = ?", (lang, session.id))

    def close_session(self, session_id: str) -> None:
        """Log out: the session is deleted, its cookie worthless."""
        self.store._write("DELETE FROM agent_sessions WHERE id = ?", (session_id,))
