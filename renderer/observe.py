"""What an operator sees of a running server: health, readiness, metrics and logs.

- ``/-/health``: the process answers (no database call): for the load balancer's liveness.
- ``/-/ready``: the database answers within its timeout: 200, else 503 (take the host out).
- ``/-/metrics``: Prometheus text (``prometheus-client``): requests by route and status,
  latency histograms, dossiers sent, errors, database busy answers, the purge's counts and
  the background jobs waiting. With several worker processes the counts of every worker are
  summed through ``PROMETHEUS_MULTIPROC_DIR`` (set by ``parcours serve --workers``).
- :class:`RequestLog`: every request gets an id (``X-Request-ID`` when the proxy sent a sane
  one, otherwise a new one), returned in the response, carried by every log line of the
  request, and one JSON line per request (:class:`JsonFormatter`).
"""

from __future__ import annotations

import contextvars
import ipaddress
import json
import logging
import os
import re
import time
import uuid
from typing import Any

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
)
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Route

from renderer.security import client_address

log = logging.getLogger("parcours.requests")

REQUEST_ID: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="-")
_SANE_ID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")

REQUESTS = Counter("parcours_requests_total", "HTTP requests answered",
                   ["method", "route", "status"])
LATENCY = Histogram("parcours_request_seconds", "Time to answer a request", ["route"],
                    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10))
SUBMISSIONS = Counter("parcours_submissions_total", "Dossiers sent", ["journey"])
ERRORS = Counter("parcours_errors_total", "Requests answered 500")
BUSY = Counter("parcours_database_busy_total", "Requests answered 503: the database was busy")
PURGED = Counter("parcours_purged_total", "Rows and files deleted by the purge", ["kind"])
JOBS = Gauge("parcours_jobs_pending", "Background jobs scheduled and not yet run",
             multiprocess_mode="livesum")


def purged(counts: dict[str, int]) -> None:
    """Count what a purge deleted (rows and files, by kind)."""
    for kind, count in counts.items():
        PURGED.labels(kind).inc(count)


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, message, request id, and extras."""

    _PLAIN = set(logging.LogRecord("", 0, "", 0, "", (), None).__dict__) | {"message"}

    def format(self, record: logging.LogRecord) -> str:
        """The record as one line of JSON."""
        data: dict[str, Any] = {
            "time": time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(record.created))
            + f".{int(record.msecs):03d}Z",
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": REQUEST_ID.get(),
        }
        for key, value in record.__dict__.items():
            if key not in self._PLAIN and not key.startswith("_"):
                data[key] = value
        if record.exc_info:
            data["exception"] = self.formatException(record.exc_info)
        return json.dumps(data, ensure_ascii=False, default=str)


def configure_logging(level: str = "info", json_logs: bool = True) -> None:
    """Send the parcours loggers to stderr, as JSON lines (or plain text for a terminal)."""
    handler = logging.StreamHandler()
    handler.setFormatter(JsonFormatter() if json_logs else logging.Formatter(
        "%(asctime)s %(levelname)s %(name)s %(message)s"))
    root = logging.getLogger("parcours")
    root.handlers[:] = [handler]
    root.setLevel(level.upper())
    root.propagate = False


class RequestLog:
    """ASGI middleware: request id, one JSON log line per request, and the metrics."""

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        given = dict(scope.get("headers", [])).get(b"x-request-id", b"").decode("latin-1")
        request_id = given if _SANE_ID.match(given) else uuid.uuid4().hex
        token = REQUEST_ID.set(request_id)
        started = time.perf_counter()
        status = 500

        async def send_with_id(message: dict[str, Any]) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                message["headers"] = list(message.get("headers", [])) + [
                    (b"x-request-id", request_id.encode())]
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        finally:
            elapsed = time.perf_counter() - started
            route = getattr(scope.get("route"), "path", None) or "other"
            REQUESTS.labels(scope["method"], route, str(status)).inc()
            LATENCY.labels(route).observe(elapsed)
            if status >= 500:
                (BUSY if status == 503 else ERRORS).inc()
            log.info("request", extra={
                "method": scope["method"], "path": scope["path"], "route": route,
                "status": status, "ms": round(elapsed * 1000, 1),
                "client": (scope.get("client") or ("-",))[0],
            })
            REQUEST_ID.reset(token)


async def health(request: Request) -> Response:
    """The process answers."""
    return PlainTextResponse("ok\n", headers={"cache-control": "no-store"})


async def ready(request: Request) -> Response:
    """The database answers (within its busy timeout): 200; otherwise 503."""
    store = request.app.state.parcours.store
    try:
        await run_in_threadpool(store.ping)
    except Exception as exc:  # noqa: BLE001 - any failure means not ready
        log.warning("not ready", extra={"reason": str(exc)})
        return PlainTextResponse("database unavailable\n", status_code=503,
                                 headers={"cache-control": "no-store"})
    return PlainTextResponse("ready\n", headers={"cache-control": "no-store"})


def _allowed(address: str, networks: list[str]) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in ipaddress.ip_network(n, strict=False) for n in networks)


async def metrics(request: Request) -> Response:
    """Prometheus text exposition (every worker's counts when several processes serve),
    only for the networks of the ``metrics_allow`` setting (a 404 for others)."""
    allow = request.app.state.parcours.settings.metrics_allow
    if not _allowed(client_address(request), allow):
        return PlainTextResponse("not found\n", status_code=404)
    jobs = getattr(request.app.state, "jobs", None)
    if jobs is not None:
        # procrastinate's queue is counted in the database: off the event loop.
        JOBS.set(await run_in_threadpool(jobs.pending))
    registry: Any = None
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
    body = generate_latest(registry) if registry is not None else generate_latest()
    return Response(body, media_type=CONTENT_TYPE_LATEST,
                    headers={"cache-control": "no-store"})


ROUTES = [
    Route("/-/health", health, methods=["GET"]),
    Route("/-/ready", ready, methods=["GET"]),
    Route("/-/metrics", metrics, methods=["GET"]),
]
