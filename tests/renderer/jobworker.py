"""A process running the job runner of PostgreSQL (procrastinate's worker), for the
several-workers tests of tests/renderer/test_jobs.py.

``python jobworker.py URL NAME HOLD``: runs the job ``record`` (key), which writes
(key, NAME, 'begin') then (key, NAME, 'end') in the table ``ran``, holding ``HOLD`` seconds
between the two when the key is ``slow``; prints ``ready`` once its worker runs; stops on
SIGTERM.
"""

from __future__ import annotations

import signal
import sys
import threading
import time
from collections.abc import Callable

import psycopg

from renderer.jobs import QueueRunner

#: Short heartbeats, so that a killed worker is found stalled within seconds.
HEARTBEAT, STALLED_AFTER, REQUEUE_EVERY = 0.5, 2.0, 1


def record(url: str, name: str, hold: float) -> Callable[[str], None]:
    def work(key: str) -> None:
        with psycopg.connect(url, autocommit=True) as conn:
            conn.execute("INSERT INTO ran (key, worker, phase) VALUES (%s, %s, 'begin')",
                         (key, name))
            time.sleep(hold if key == "slow" else 0.02)
            conn.execute("INSERT INTO ran (key, worker, phase) VALUES (%s, %s, 'end')",
                         (key, name))

    return work


def main(url: str, name: str, hold: float) -> None:
    runner = QueueRunner(url, name=name, heartbeat=HEARTBEAT, stalled_after=STALLED_AFTER,
                         requeue_every=REQUEUE_EVERY)
    runner.add("record", record(url, name, hold))
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    runner.start()
    print("ready", flush=True)
    stop.wait()
    runner.stop()


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], float(sys.argv[3]))
