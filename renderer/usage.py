"""Aggregate usage counts of the served journeys, without tracking anyone.

Each event adds one to a counter keyed by (journey, version, step, kind, detail, language,
channel, time bucket): no session id, no IP, no answer, no free text, no new cookie, no
script. Time on a page comes from a signed timestamp in the page's form (``_shown``), read
back when the page is sent: nothing is kept between the two requests. The kinds and their
meaning are :mod:`designer.report.usage`'s, which turns the counts into the report's
observed figures; this module only writes and reads them.
"""

from __future__ import annotations

import atexit
import logging
import threading
import time
import weakref
from collections import Counter
from functools import partial
from typing import Any

from itsdangerous import BadSignature, Signer

from designer.report.counts import (
    SELECT_CHANNELS,
    SELECT_COUNTS,
    SELECT_RESPONSES,
    SELECT_VERSIONS,
)
from designer.report.response import DossierTimes, dossier_times
from designer.report.usage import DEFAULT_THRESHOLD, Count, bucket_of
from designer.report.versions import Version
from renderer.store import Store

#: (journey id, version, step, kind, detail, lang, channel, bucket)
Key = tuple[str, str, str, str, str, str, str, int]

#: Seconds the counts of a process wait in memory before one upsert writes them all, and
#: how many different counters may wait: a request only adds to a dict.
FLUSH_SECONDS = 1.0
MAX_PENDING = 500
#: Seconds before counts whose write failed (a locked or unreachable database) are tried again.
RETRY_SECONDS = 2.0

log = logging.getLogger(__name__)

#: Details longer than this are cut (an error message is the longest detail).
MAX_DETAIL = 300

UPSERT = (
    "INSERT INTO usage_counts (journey_id, journey_hash, step, kind, detail, lang, channel, "
    "bucket, count) VALUES {values} ON CONFLICT (journey_id, journey_hash, step, kind, detail, "
    "lang, channel, bucket) DO UPDATE SET count = usage_counts.count + excluded.count"
)


#: Every recorder of this process that counts, so that what they hold in memory is written
#: when the process stops, and before a database they write to goes away (flush_all).
_RECORDERS: weakref.WeakSet[Recorder] = weakref.WeakSet()


def flush_all() -> None:
    """Write what every recorder of this process still holds in memory: at exit, and
    before a database they write to is dropped (the tests' PostgreSQL schemas)."""
    for recorder in list(_RECORDERS):
        recorder.flush()


atexit.register(flush_all)


class Recorder:
    """Adds events to the counters (kept a second in memory, then one upsert for all);
    reads them for the served reports."""

    def __init__(self, store: Store, secret: str, enabled: bool = True,
                 threshold: int = DEFAULT_THRESHOLD) -> None:
        self.store = store
        self.enabled = enabled
        #: Counts under this are never shown in the served reports.
        self.threshold = threshold
        self._signer = Signer(secret, salt="parcours-usage-shown")
        self._lock = threading.Lock()
        self._pending: Counter[Key] = Counter()
        #: Seconds counts may wait in memory before they are written (0: at once).
        self.flush_seconds = FLUSH_SECONDS
        self._due = time.monotonic() + self.flush_seconds
        #: The counts are written by one background thread, woken when they are due: a
        #: citizen's request only adds to a dictionary, and never waits for the database
        #: (which may be locked by a long transaction: the write then waits, not the page).
        self._wake = threading.Event()
        self._writer: threading.Thread | None = None
        if enabled:
            # What is still in memory when the process stops is written then (flush_all).
            _RECORDERS.add(self)

    # -- time on page ------------------------------------------------------------------------

    def stamp(self) -> str:
        """The signed time a page is shown at (a hidden field of its form)."""
        return self._signer.sign(str(int(time.time()))).decode("ascii") if self.enabled else ""

    def seconds_since(self, stamp: Any) -> float | None:
        """Seconds since a page's signed stamp; None when absent, forged or absurd."""
        if not isinstance(stamp, str) or not stamp or len(stamp) > 100:
            return None
        try:
            shown = int(self._signer.unsign(stamp).decode("ascii"))
        except (BadSignature, ValueError, UnicodeDecodeError):
            return None
        seconds = time.time() - shown
        return seconds if 0 <= seconds <= 86400 else None

    # -- counters ----------------------------------------------------------------------------

    def record(self, events: Counter[Key]) -> None:
        """Add the events of one request to the counters: kept in memory, written with the
        others at most :attr:`flush_seconds` later (one statement for them all), by the
        background writer: the request itself never waits for the database."""
        if not self.enabled or not events:
            return
        with self._lock:
            self._pending.update(events)
            due = time.monotonic() >= self._due or len(self._pending) >= MAX_PENDING
            if due and (self._writer is None or not self._writer.is_alive()):
                self._writer = threading.Thread(target=self._write_when_woken,
                                                name="parcours-usage", daemon=True)
                self._writer.start()
        if due:
            self._wake.set()

    def _write_when_woken(self) -> None:
        while True:
            with self._lock:
                waiting = bool(self._pending)  # a failed write is tried again, later
            self._wake.wait(timeout=RETRY_SECONDS if waiting else None)
            self._wake.clear()
            self.flush()

    def flush(self) -> None:
        """Write the counts kept in memory (one upsert); a failure keeps them for the next
        time and never fails the citizen's page."""
        with self._lock:
            pending, self._pending = self._pending, Counter()
            self._due = time.monotonic() + self.flush_seconds
        if not pending:
            return
        try:
            self._write(pending)
        except Exception:  # noqa: BLE001 - statistics must not break a citizen's page
            log.warning("usage counts not written yet", exc_info=True)
            with self._lock:
                self._pending.update(pending)

    def _write(self, pending: Counter[Key]) -> None:
        rows = [(*k[:4], k[4][:MAX_DETAIL], *k[5:], n) for k, n in pending.items()]
        values = ", ".join(["(?, ?, ?, ?, ?, ?, ?, ?, ?)"] * len(rows))
        params = [v for row in rows for v in row]
        query = UPSERT.format(values=values)
        if self.store.backend.dialect == "postgresql":
            # Counts are statistics, not records: their commit does not wait for the disk (a
            # crash may lose the last few, never a draft nor a dossier). On a connection of
            # the store's pool, so that they open none of their own.
            with self.store.transaction() as conn:
                conn.execute("SET LOCAL synchronous_commit TO OFF")
                self.store._execute(conn, query, params)
        else:
            # One statement in autocommit: atomic on its own, no BEGIN … COMMIT round trips.
            self.store._write(query, params)

    def counts(self, journey_id: str) -> list[Count]:
        """Every counter of a journey, all versions (for the report)."""
        self.flush()
        with self.store.transaction() as conn:
            rows = conn.execute(self.store.backend.sql(SELECT_COUNTS), (journey_id,)).fetchall()
        return [Count(*row) for row in rows]

    def channels(self, journey_id: str) -> dict[str, int]:
        """How many of a journey's dossiers came in by each channel (the same query as
        ``parcours report --usage``), for the served reports."""
        with self.store.transaction() as conn:
            rows = conn.execute(self.store.backend.sql(SELECT_CHANNELS),
                                (journey_id,)).fetchall()
        return {str(channel): int(n) for channel, n in rows}

    def responses(self, journey_id: str) -> list[DossierTimes]:
        """When each of a journey's dossiers was sent, first acted on by an agent and
        decided (the same query as ``parcours report --usage``)."""
        with self.store.transaction() as conn:
            rows = conn.execute(self.store.backend.sql(SELECT_RESPONSES),
                                (journey_id,)).fetchall()
        return dossier_times(rows)

    def versions(self, journey_id: str) -> list[Version]:
        """The versions of a journey this server kept (the same query as ``parcours report
        --usage``), so that each version's use sits beside its own predictions; a version's
        text is read only when its report is built."""
        with self.store.transaction() as conn:
            rows = conn.execute(self.store.backend.sql(SELECT_VERSIONS),
                                (journey_id,)).fetchall()
        return [Version(str(h), str(at), partial(self.store.journey_version, str(h)))
                for h, at in rows]

    def has_counts(self) -> bool:
        """Whether anything was recorded at all (the served reports show use only then)."""
        self.flush()
        with self.store.transaction() as conn:
            row = conn.execute("SELECT 1 FROM usage_counts LIMIT 1").fetchone()
        return row is not None


def event(journey_id: str, version: str, step: str, kind: str, lang: str, channel: str,
          detail: str = "", seconds: float | None = None) -> Key:
    """The key of one event (a time is put in its bucket)."""
    return (journey_id, version, step, kind, detail, lang, channel,
            bucket_of(seconds) if seconds is not None else 0)

