"""The records the store keeps: a browser session, a draft, its resume key, a dossier sent."""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from typing import Any


@dataclass
class Session:
    """A browser session: the cookie carries only its signed id."""

    id: str
    csrf: str
    lang: str
    data: dict[str, Any] = field(default_factory=dict)

    @staticmethod
    def new_id() -> str:
        """A fresh random session id."""
        return secrets.token_urlsafe(24)


@dataclass
class Draft:
    """A citizen's answers in progress on one version of one journey."""

    id: str
    journey_id: str
    journey_hash: str
    answers: dict[str, Any]
    state: dict[str, Any]
    current_step: str | None
    version: int
    submitted: bool
    created_at: str
    updated_at: str
    #: The session that holds the draft (None for drafts of migration 1).
    owner: str | None = None


@dataclass
class ResumeKey:
    """What a citizen keeps to come back to a draft: a code to type and a link's token."""

    draft_id: str
    code: str
    token: str


@dataclass
class Submission:
    """A dossier sent: its reference, the answers kept by the final run, and its journey version."""

    reference: str
    draft_id: str
    journey_id: str
    journey_hash: str
    lang: str
    answers: dict[str, Any]
    created_at: str
