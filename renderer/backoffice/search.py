"""What the agents' list and the API's list narrow the dossiers to: the filters, the folded
text a search matches (written with each dossier), and the SQL condition they make for an
agent (their services only, unless an administrator)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from .accounts import Agent


@dataclass
class Filters:
    """What the agents' list is narrowed to."""

    journey: str | None = None
    status: str | None = None
    since: date | None = None
    until: date | None = None
    text: str | None = None
    service: str | None = None
    #: Changed at or after this instant (the store's ISO text, UTC): the API's sync filter.
    updated_since: str | None = None


def fold(text: str) -> str:
    """Lower case without accents: the search column and the searched words alike."""
    from renderer.catalog import fold as catalog_fold

    return catalog_fold(text)


def search_text(reference: str, answers: Mapping[str, Any]) -> str:
    """The folded words a text search matches: the reference and every answer."""
    parts: list[str] = [reference]

    def visit(value: Any) -> None:
        if isinstance(value, Mapping):
            for v in value.values():
                visit(v)
        elif isinstance(value, list):
            for v in value:
                visit(v)
        elif value is not None and not isinstance(value, bool):
            parts.append(str(value))

    visit(answers)
    return fold(" ".join(parts))[:4000]




#: The longest day a filter reads (AAAA-MM-JJ): anything longer is refused unparsed.
MAX_DAY = 10


def read_day(value: str) -> date | None:
    """A day typed in a filter, written AAAA-MM-JJ; None when it is not one."""
    if len(value) > MAX_DAY:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        return None

def days(column: str, since: date | None, until: date | None) -> tuple[list[str], list[Any]]:
    """The SQL conditions (and parameters) of a range of days, both included, on a column of
    ISO times in UTC (they compare as text): for the dossiers' list and the print queue."""
    clauses: list[str] = []
    params: list[Any] = []
    if since:
        clauses.append(f"{column} >= ?")
        params.append(since.isoformat())
    if until and until < date.max:  # the last day has no next day: no upper bound
        clauses.append(f"{column} < ?")
        params.append((until + timedelta(days=1)).isoformat())
    return clauses, params

def where(agent: Agent, f: Filters, dialect: str) -> tuple[str, list[Any]]:
    """The SQL condition (and its parameters) of the dossiers ``agent`` may see that match
    ``f``, on a store of that ``dialect``."""
    clauses: list[str] = []
    params: list[Any] = []
    if not agent.is_admin:
        services = sorted(agent.services)
        if not services:
            return "1 = 0", []
        clauses.append(f"service IN ({', '.join('?' for _ in services)})")
        params += services
    if f.service:
        clauses.append("service = ?")
        params.append(f.service)
    if f.journey:
        clauses.append("journey_id = ?")
        params.append(f.journey)
    if f.status:
        clauses.append("status = ?")
        params.append(f.status)
    if f.updated_since:
        clauses.append("updated_at >= ?")
        params.append(f.updated_since)
    more, values = days("created_at", f.since, f.until)
    clauses += more
    params += values
    # Each word anywhere in the folded text, through the trigram index of migration 010
    # (SQLite's FTS5 table beside the dossiers; PostgreSQL's pg_trgm on the column).
    like = ("rowid IN (SELECT rowid FROM dossiers_search WHERE search LIKE ?)"
            if dialect == "sqlite" else "search LIKE ?")
    for word in fold(f.text or "").split()[:8]:
        clauses.append(like)
        params.append("%" + word.replace("%", "").replace("_", "") + "%")
    return " AND ".join(clauses) or "1 = 1", params
