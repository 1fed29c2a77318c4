"""Reading a server's usage counters, read-only, for ``parcours report --usage DB_URL``.

The renderer writes the table ``usage_counts`` (``renderer/migrations/004_usage.sql``,
``renderer/usage.py``); the designer never imports the renderer, so the report reads the
table itself with the one query both use (:data:`SELECT_COUNTS`), the versions it kept
(:data:`SELECT_VERSIONS`), the dossiers' submission channels (:data:`SELECT_CHANNELS`) and
their response times (:data:`SELECT_RESPONSES`),
opening SQLite read-only and PostgreSQL in a read-only transaction: a report never writes
to a server's database.
"""

from __future__ import annotations

import sqlite3
from functools import partial
from pathlib import Path
from typing import Any

from designer.report.response import DossierTimes, dossier_times
from designer.report.usage import Count
from designer.report.versions import Version

#: The counters of one journey, every version (the renderer's reader uses it too).
SELECT_COUNTS = (
    "SELECT journey_hash, step, kind, detail, lang, channel, bucket, count "
    "FROM usage_counts WHERE journey_id = ?"
)


#: The versions of one journey the server kept, with when each was first served; and the
#: text of one (for its own predictions and pages), read only for the versions detailed.
SELECT_VERSIONS = "SELECT hash, created_at FROM journey_versions WHERE journey_id = ?"
SELECT_VERSION_TEXT = "SELECT source, file FROM journey_versions WHERE hash = ?"


#: The dossiers of one journey by submission channel (``en_ligne``, ``accompagne``, ``papier``).
SELECT_CHANNELS = "SELECT channel, COUNT(*) FROM dossiers WHERE journey_id = ? GROUP BY channel"


#: Each dossier of one journey: the journey version it was sent on, when it was sent (or
#: keyed), decided, first changed by an agent (status, service) and first written to by an
#: agent — times only (:mod:`designer.report.response`).
SELECT_RESPONSES = (
    "SELECT s.journey_hash, d.created_at, d.decided_at, "
    "(SELECT MIN(h.at) FROM dossier_history h WHERE h.reference = d.reference "
    "AND h.agent_id IS NOT NULL AND h.kind <> 'created'), "
    "(SELECT MIN(m.at) FROM dossier_messages m WHERE m.reference = d.reference "
    "AND m.author = 'agent') "
    "FROM dossiers d JOIN submissions s ON s.reference = d.reference WHERE d.journey_id = ?"
)


class CountsError(Exception):
    """The database cannot be read (bad URL, missing file, no usage table): said plainly."""


def sqlite_path(url: str) -> str:
    """The file of a ``sqlite:///FILE`` URL (``sqlite:////abs.db`` is absolute)."""
    path = url[len("sqlite://"):]
    return path[1:] if path.startswith("/") else path


def read_counts(db_url: str, journey_id: str) -> list[Count]:
    """Every counter of a journey in a server's database."""
    return [Count(*row) for row in _rows(db_url, SELECT_COUNTS, journey_id)]


def read_versions(db_url: str, journey_id: str) -> list[Version]:
    """The versions of a journey a server kept (their texts read when asked)."""
    def text(digest: str) -> tuple[str, str] | None:
        rows = _rows(db_url, SELECT_VERSION_TEXT, digest)
        return (str(rows[0][0]), str(rows[0][1])) if rows else None

    return [Version(str(h), str(at), partial(text, str(h)))
            for h, at in _rows(db_url, SELECT_VERSIONS, journey_id)]


def read_responses(db_url: str, journey_id: str) -> list[DossierTimes]:
    """The moments of each of a journey's dossiers (sent, first agent action, decided)."""
    return dossier_times(_rows(db_url, SELECT_RESPONSES, journey_id))


def read_channels(db_url: str, journey_id: str) -> dict[str, int]:
    """How many of a journey's dossiers came in by each channel, in a server's database."""
    return {str(channel): int(n) for channel, n in _rows(db_url, SELECT_CHANNELS, journey_id)}


def _rows(db_url: str, query: str, journey_id: str) -> list[tuple[Any, ...]]:
    if db_url.startswith("sqlite://"):
        path = sqlite_path(db_url)
        if not path or not Path(path).is_file():
            raise CountsError(f"no such database: {path or db_url}")
        try:
            conn = sqlite3.connect(f"{Path(path).resolve().as_uri()}?mode=ro", uri=True)
            try:
                rows = conn.execute(query, (journey_id,)).fetchall()
            finally:
                conn.close()
        except sqlite3.Error as exc:
            raise CountsError(f"cannot read usage from {path}: {exc}") from exc
        return rows
    if db_url.startswith(("postgresql://", "postgres://")):
        return _postgres(db_url, query, journey_id)
    raise CountsError(f"unsupported database URL {db_url!r}: use sqlite:///FILE or "
                      "postgresql://HOST/DB")


def _postgres(db_url: str, query: str, journey_id: str) -> list[tuple[Any, ...]]:
    try:
        import psycopg
    except ImportError as exc:
        raise CountsError(
            "PostgreSQL needs the psycopg package: pip install 'parcours[postgres]'"
        ) from exc
    try:
        with psycopg.connect(db_url) as conn:
            conn.read_only = True
            rows = conn.execute(query.replace("?", "%s"), (journey_id,)).fetchall()
    except psycopg.Error as exc:
        raise CountsError(f"cannot read usage from PostgreSQL: {exc}") from exc
    return rows
