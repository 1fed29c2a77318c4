"""Background jobs (the purge, the delivery of notifications): one interface, two existing
job runners, chosen by the database URL (docs/operations.md, "Background jobs").

- SQLite, one host: :class:`InProcessRunner`, APScheduler's background scheduler in the web
  process (nothing to install or run beside the server).
- PostgreSQL, any number of processes and hosts: :class:`QueueRunner`, procrastinate's queue
  in the database (jobs as rows taken with ``FOR UPDATE SKIP LOCKED``, woken by
  ``LISTEN/NOTIFY``). Each web process runs a procrastinate worker in a thread; every process
  shares the one queue, so a deferred job runs once; a periodic job is deferred once per
  period across hosts; a job whose worker died (no heartbeat for ``stalled_after`` seconds)
  is put back in the queue and run by another worker.

A job is a named function of keyword arguments (texts, numbers: they go through JSON), added
before :meth:`Runner.start`, either periodic (``every`` seconds) or deferred on demand with
:meth:`Runner.defer`.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import threading
from collections.abc import Callable, Coroutine
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, Protocol

from renderer.api.webhooks import configured, deliver_webhooks
from renderer.backoffice.delivery import POLL_SECONDS
from renderer.backoffice.notifier import delivery_job
from renderer.config import Settings
from renderer.purge import PURGE_EVERY, purge_job
from renderer.web import Parcours

log = logging.getLogger("parcours.jobs")

#: A job's work: called with the keyword arguments given to :meth:`Runner.defer`.
Work = Callable[..., object]

#: The queue of Parcours' jobs in procrastinate's tables.
QUEUE = "parcours"


class Runner(Protocol):
    """What the application asks of a job runner."""

    def add(self, name: str, work: Work, every: int | None = None,
            first_after: float = 0) -> None:
        """Register a job (periodic when ``every`` seconds is given; the first periodic run
        ``first_after`` seconds after start with the in-process runner)."""

    def defer(self, name: str, **arguments: Any) -> None:
        """Queue one run of a registered job (runs once, soon, on some process)."""

    def start(self) -> None:
        """Start running jobs (in the background)."""

    def stop(self) -> None:
        """Stop, letting the job under way finish (bounded)."""

    def pending(self) -> int:
        """Jobs waiting to run (the queue depth of the metrics)."""


def _logged(name: str, work: Work) -> Work:
    """``work`` that logs a failure instead of ending the runner's thread with it."""

    def run(**arguments: Any) -> object:
        try:
            return work(**arguments)
        except Exception:  # noqa: BLE001 - the next run (or the retry) tries again
            log.exception("job %s failed", name)
            raise

    return run


class InProcessRunner:
    """APScheduler's background scheduler: the jobs run in threads of this process."""

    def __init__(self) -> None:
        from apscheduler.schedulers.background import BackgroundScheduler

        self.scheduler = BackgroundScheduler(timezone="UTC")
        self.work: dict[str, Work] = {}

    def add(self, name: str, work: Work, every: int | None = None,
            first_after: float = 0) -> None:
        """Register a job; periodic ones are scheduled at once."""
        self.work[name] = _logged(name, work)
        if every is not None:
            # A failure is logged (by _logged and APScheduler) and the next run retries.
            self.scheduler.add_job(
                self.work[name], "interval", seconds=every, id=name, max_instances=1,
                coalesce=True,
                next_run_time=datetime.now(UTC) + timedelta(seconds=first_after))

    def defer(self, name: str, **arguments: Any) -> None:
        """Run the job once, now, in the scheduler's threads."""
        if name not in self.work:
            raise KeyError(f"unknown job {name!r}")
        self.scheduler.add_job(self.work[name], "date", kwargs=arguments,
                               run_date=datetime.now(UTC))

    def start(self) -> None:
        """Start the scheduler's thread."""
        if not self.scheduler.running:
            self.scheduler.start()

    def stop(self) -> None:
        """Stop the scheduler (at shutdown), waiting for the jobs under way."""
        if self.scheduler.running:
            self.scheduler.shutdown(wait=True)

    def pending(self) -> int:
        """Jobs scheduled (periodic ones included)."""
        return len(self.scheduler.get_jobs())


def _cron(every: int) -> str:
    """The cron expression of a period in seconds (procrastinate's periodic tasks; a sixth
    field counts seconds)."""
    if every < 60 and 60 % every == 0:
        return f"* * * * * */{every}"
    if every % 60 == 0 and every < 3600 and 3600 % every == 0:
        return f"*/{every // 60} * * * *"
    if every % 3600 == 0 and every < 86400 and 86400 % every == 0:
        return f"0 */{every // 3600} * * *"
    raise ValueError(f"a period of {every} s is not a cron period (divide a minute, an hour "
                     "or a day)")


class QueueRunner:
    """procrastinate on PostgreSQL: one queue shared by every process and host."""

    def __init__(self, url: str, *, heartbeat: float = 10.0, stalled_after: float = 60.0,
                 requeue_every: int = 60, name: str = "parcours") -> None:
        import procrastinate

        self.url = url
        self.name = name
        self.heartbeat = heartbeat
        self.stalled_after = stalled_after
        # A small pool (the listener, the fetch and the heartbeat): every host's worker
        # shares the database's connection limit with the web threads.
        self.app = procrastinate.App(
            connector=procrastinate.PsycopgConnector(conninfo=url, min_size=1, max_size=3))
        self.tasks: dict[str, Any] = {}
        self._loop: asyncio.AbstractEventLoop | None = None
        self._task: asyncio.Task[None] | None = None
        self._thread: threading.Thread | None = None
        self._opened = False
        self._started = threading.Event()
        ensure_schema(url)
        self._periodic("requeue-stalled", self._requeue_stalled, requeue_every, is_async=True)

    async def _requeue_stalled(self) -> None:
        """Put back the jobs of workers that stopped beating (killed, host gone)."""
        manager = self.app.job_manager
        for job in await manager.get_stalled_jobs(seconds_since_heartbeat=self.stalled_after):
            log.warning("job %s (%s) of a stalled worker is retried", job.id, job.task_name)
            await manager.retry_job(job)

    def _periodic(self, name: str, work: Callable[..., Any], every: int,
                  is_async: bool = False) -> None:
        if is_async:
            async def periodic_async(timestamp: int) -> None:
                coroutine: Coroutine[Any, Any, None] = work()
                await coroutine

            function: Callable[..., Any] = periodic_async
        else:
            def periodic(timestamp: int) -> None:
                work()

            function = periodic
        task = self.app.task(name=name, queue=QUEUE)(function)
        self.app.periodic(cron=_cron(every), periodic_id=name)(task)
        self.tasks[name] = task

    def add(self, name: str, work: Work, every: int | None = None,
            first_after: float = 0) -> None:
        """Register a job (``first_after`` is the in-process runner's: periodic jobs here run
        on their cron period)."""
        logged = _logged(name, work)
        if every is not None:
            self._periodic(name, logged, every)
        else:
            self.tasks[name] = self.app.task(name=name, queue=QUEUE)(logged)

    def defer(self, name: str, **arguments: Any) -> None:
        """Add one run to the queue (a row, committed when this returns)."""
        if name not in self.tasks:
            raise KeyError(f"unknown job {name!r}")
        if not self._opened:
            self.app.open()
            self._opened = True
        self.tasks[name].defer(**arguments)

    def start(self) -> None:
        """Start a procrastinate worker in a thread with its own event loop."""
        if self._thread is None:
            self._started.clear()
            self._thread = threading.Thread(target=self._run, name="parcours-jobs",
                                            daemon=True)
            self._thread.start()
            self._started.wait(30)

    def _run(self) -> None:
        async def main() -> None:
            async with self.app.open_async():
                self._task = asyncio.current_task()
                self._started.set()
                await self.app.run_worker_async(
                    queues=[QUEUE], name=self.name, wait=True, install_signal_handlers=False,
                    delete_jobs="successful", update_heartbeat_interval=self.heartbeat,
                    stalled_worker_timeout=self.stalled_after, shutdown_graceful_timeout=10,
                    fetch_job_polling_interval=5.0)

        self._loop = asyncio.new_event_loop()
        # One job at a time, on one thread: one store connection for the jobs, not one per
        # thread of a default executor.
        self._loop.set_default_executor(ThreadPoolExecutor(max_workers=1,
                                                           thread_name_prefix="parcours-job"))
        try:
            self._loop.run_until_complete(main())
        except asyncio.CancelledError:
            pass
        except Exception:  # noqa: BLE001 - logged; the other processes go on with the queue
            log.exception("the job worker stopped")
        finally:
            self._started.set()
            self._task = None
            self._loop.close()

    def stop(self) -> None:
        """Ask the worker to stop (the job under way finishes, 10 s at most) and wait."""
        loop, task = self._loop, self._task
        if loop is not None and task is not None:
            with contextlib.suppress(RuntimeError):  # the loop ended meanwhile
                loop.call_soon_threadsafe(task.cancel)
        if self._thread is not None:
            self._thread.join(timeout=30)
            self._thread = None
        if self._opened:
            self.app.close()
            self._opened = False

    def pending(self) -> int:
        """Jobs of the queue waiting to run."""
        import psycopg

        with psycopg.connect(self.url, connect_timeout=5) as conn:
            row = conn.execute("SELECT count(*) FROM procrastinate_jobs WHERE status = 'todo' "
                               "AND queue_name = %s", (QUEUE,)).fetchone()
        return int(row[0]) if row else 0


#: A number of our own for the advisory lock that serialises creating procrastinate's tables.
_SCHEMA_LOCK = 0x70617263


def ensure_schema(url: str) -> None:
    """Create procrastinate's tables in the database's first schema unless they are there
    (one process at a time: the others wait on an advisory lock, then find them)."""
    import psycopg
    from procrastinate.schema import SchemaManager

    with psycopg.connect(url, connect_timeout=10) as conn:
        conn.execute("SELECT pg_advisory_xact_lock(%s)", (_SCHEMA_LOCK,))
        found = conn.execute("SELECT to_regclass('procrastinate_jobs')").fetchone()
        if found is None or found[0] is None:
            conn.execute(SchemaManager.get_schema())


def runner_for(database_url: str, **options: Any) -> Runner:
    """The job runner suited to the database: procrastinate's queue on PostgreSQL, the
    in-process scheduler otherwise (``options`` are :class:`QueueRunner`'s)."""
    if database_url.startswith(("postgresql://", "postgres://")):
        return QueueRunner(database_url, **options)
    return InProcessRunner()


def server_jobs(parcours: Parcours, settings: Settings | None,
                paths: str | Path | list[str | Path], *, smtp_url: str | None = None,
                mail_dir: str | Path | None = None, base_url: str | None = None,
                ) -> Runner | None:
    """The background jobs of a server process on the runner suited to its database: the
    hourly purge (when ``settings`` asks for it; with the served journeys' ``retention``),
    the delivery of notifications (when mail is configured) and of webhooks (when a service
    declares one, docs/api.md); None when there is nothing to run."""
    deliver = delivery_job(parcours.store, paths, smtp_url=smtp_url, mail_dir=mail_dir,
                           base_url=base_url)
    purge = settings is not None and settings.purge
    webhooks = configured(parcours.catalog.services)
    if deliver is None and not purge and not webhooks:
        return None
    runner = runner_for(parcours.store.url)
    # Every process registers every job it can run (procrastinate's workers take any job
    # of the queue); only a process whose settings ask for the purge schedules it.
    runner.add("purge", purge_job(parcours.store, parcours.retention),
               every=PURGE_EVERY if purge else None, first_after=60)
    if deliver is not None:
        runner.add("deliver", deliver, every=POLL_SECONDS)
    if webhooks:
        store = parcours.store
        runner.add("webhooks", lambda: deliver_webhooks(store), every=POLL_SECONDS)
    return runner
