"""Background jobs on the runner suited to the store (renderer/jobs.py): on SQLite and
PostgreSQL the same interface runs periodic and deferred jobs; on PostgreSQL, procrastinate's
queue is shared by worker processes: two workers run N jobs, each exactly once, and the job
of a worker killed mid-run is retried by the other."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest

from renderer.jobs import InProcessRunner, QueueRunner, _cron, runner_for

ROOT = Path(__file__).resolve().parents[2]
WORKER = Path(__file__).with_name("jobworker.py")


def wait_for(predicate, seconds: float = 30.0) -> bool:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.05)
    return False


def test_one_interface_chosen_by_the_database_url(db_url: str) -> None:
    runner = runner_for(db_url)
    assert isinstance(runner, QueueRunner if db_url.startswith("postgresql") else
                      InProcessRunner)
    ran: list[str] = []
    lock = threading.Lock()

    def record(key: str) -> None:
        with lock:
            ran.append(key)

    runner.add("record", record)
    runner.add("tick", lambda: record("tick"), every=1, first_after=0)
    with pytest.raises(KeyError):
        runner.defer("nothing-of-that-name")
    for i in range(10):
        runner.defer("record", key=str(i))
    runner.start()
    try:
        assert wait_for(lambda: len(set(ran) - {"tick"}) == 10 and "tick" in ran)
        time.sleep(0.5)
    finally:
        runner.stop()
    counts = Counter(k for k in ran if k != "tick")
    assert counts == Counter(str(i) for i in range(10))  # each deferred job once


def test_cron_periods() -> None:
    assert _cron(2) == "* * * * * */2"
    assert _cron(300) == "*/5 * * * *"
    assert _cron(3600) == "0 */1 * * *"
    with pytest.raises(ValueError, match="not a cron period"):
        _cron(7)


# -- several worker processes on one PostgreSQL queue -------------------------------------------


@pytest.fixture
def queue() -> Iterator[str]:
    from pgschema import pg_schema

    with pg_schema("ops_jobs") as url:
        import psycopg

        with psycopg.connect(url, autocommit=True) as conn:
            conn.execute("CREATE TABLE ran (key TEXT, worker TEXT, phase TEXT)")
        yield url


class Workers:
    """Worker processes (tests/renderer/jobworker.py) on one queue."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.procs: dict[str, subprocess.Popen[str]] = {}

    def start(self, name: str, hold: float = 0) -> None:
        env = {**os.environ, "PYTHONPATH": str(ROOT)}
        proc = subprocess.Popen([sys.executable, str(WORKER), self.url, name, str(hold)],
                                env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                text=True)
        assert proc.stdout is not None
        line = proc.stdout.readline()
        assert line.strip() == "ready", proc.stderr.read() if proc.stderr else line
        self.procs[name] = proc

    def stop(self) -> None:
        for proc in self.procs.values():
            if proc.poll() is None:
                proc.send_signal(signal.SIGTERM)
        for proc in self.procs.values():
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()

    def rows(self) -> list[tuple[str, str, str]]:
        import psycopg

        with psycopg.connect(self.url) as conn:
            return [tuple(r) for r in conn.execute("SELECT key, worker, phase FROM ran")]

    def deferrer(self) -> QueueRunner:
        runner = QueueRunner(self.url)
        runner.add("record", lambda key: None)  # run by the worker processes, not here
        return runner


@pytest.fixture
def workers(queue: str) -> Iterator[Workers]:
    w = Workers(queue)
    try:
        yield w
    finally:
        w.stop()


N = 60


@pytest.mark.postgres
def test_two_workers_run_each_job_exactly_once(workers: Workers) -> None:
    workers.start("alpha")
    workers.start("beta")
    deferrer = workers.deferrer()
    try:
        for i in range(N):
            deferrer.defer("record", key=f"job-{i}")
    finally:
        deferrer.stop()
    assert wait_for(lambda: sum(1 for r in workers.rows() if r[2] == "end") >= N)
    time.sleep(1.0)  # a duplicate, if any, would show by now
    rows = workers.rows()
    begun = Counter(key for key, _, phase in rows if phase == "begin")
    assert begun == Counter(f"job-{i}" for i in range(N))  # every job, each exactly once
    by_worker = Counter(worker for _, worker, phase in rows if phase == "end")
    assert set(by_worker) == {"alpha", "beta"}, by_worker  # both took jobs from the queue
    assert deferrer.pending() == 0


@pytest.mark.postgres
def test_the_job_of_a_killed_worker_is_retried(workers: Workers) -> None:
    workers.start("doomed", hold=120)
    deferrer = workers.deferrer()
    try:
        deferrer.defer("record", key="slow")
    finally:
        deferrer.stop()
    assert wait_for(lambda: ("slow", "doomed", "begin") in workers.rows())
    workers.procs["doomed"].kill()  # SIGKILL mid-job: no goodbye, no heartbeat any more
    workers.procs["doomed"].wait()
    workers.start("heir")
    assert wait_for(lambda: ("slow", "heir", "end") in workers.rows(), 60), workers.rows()
    rows = workers.rows()
    assert ("slow", "doomed", "end") not in rows
    assert [r for r in rows if r[1] == "heir" and r[2] == "begin"] == [
        ("slow", "heir", "begin")]  # retried once, by the survivor
    assert deferrer.pending() == 0
