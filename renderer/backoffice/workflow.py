"""The status workflow of a dossier, as French procedures name it (démarches-simplifiées).

``en construction`` (sent; the citizen may still complete it) → ``en instruction`` →
``accepté`` / ``refusé`` / ``classé sans suite``. A refusal and a closing without action
need a reason, which the citizen reads. An instructing agent may send a dossier back to
``en construction`` to ask the citizen for more; a decision is final.
"""

from __future__ import annotations

EN_CONSTRUCTION = "en_construction"
EN_INSTRUCTION = "en_instruction"
ACCEPTE = "accepte"
REFUSE = "refuse"
CLASSE_SANS_SUITE = "classe_sans_suite"

#: Every status, in the order of the workflow.
STATUSES = (EN_CONSTRUCTION, EN_INSTRUCTION, ACCEPTE, REFUSE, CLASSE_SANS_SUITE)
#: The statuses that end the processing.
DECIDED = frozenset({ACCEPTE, REFUSE, CLASSE_SANS_SUITE})
#: Decisions the citizen must be given a reason for.
NEEDS_REASON = frozenset({REFUSE, CLASSE_SANS_SUITE})

TRANSITIONS: dict[str, frozenset[str]] = {
    EN_CONSTRUCTION: frozenset({EN_INSTRUCTION}),
    EN_INSTRUCTION: frozenset({EN_CONSTRUCTION, ACCEPTE, REFUSE, CLASSE_SANS_SUITE}),
    ACCEPTE: frozenset(),
    REFUSE: frozenset(),
    CLASSE_SANS_SUITE: frozenset(),
}


class WorkflowError(ValueError):
    """A change the workflow does not allow (a status, a service); its key says why, in the
    i18n catalogue, for the agent or the program."""

    def __init__(self, key: str, **params: str) -> None:
        super().__init__(key)
        self.key = key
        self.params = params


def check_transition(before: str, after: str, reason: str | None) -> None:
    """Raise :class:`WorkflowError` unless ``before`` → ``after`` is allowed with ``reason``."""
    if after not in TRANSITIONS:
        raise WorkflowError("bo_unknown_status")
    if after not in TRANSITIONS.get(before, frozenset()):
        raise WorkflowError("bo_transition_refused")
    if after in NEEDS_REASON and not (reason or "").strip():
        raise WorkflowError("bo_reason_required")


def next_statuses(status: str) -> list[str]:
    """The statuses a dossier may go to from ``status``, in workflow order."""
    allowed = TRANSITIONS.get(status, frozenset())
    return [s for s in STATUSES if s in allowed]
