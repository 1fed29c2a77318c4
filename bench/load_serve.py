"""Load test of ``parcours serve`` against a minimal Starlette floor, side by side.

Many citizens (asyncio + httpx) walk concurrently through the step round trip of a journey:
POST the answers of a page, follow the 303, GET the next page. The same load then runs
against a *floor*: a minimal Starlette app that parses the same form, writes one row and
renders the same template, the cost of the web stack without the adaptive logic. Each
server is one uvicorn process on a loopback port (SQLite, and PostgreSQL when reachable).

    .venv/bin/python bench/load_serve.py                       # 32 citizens, 10 s per run
    .venv/bin/python bench/load_serve.py --citizens 32 128 --workers 1 2 --seconds 8 --rounds 3

Every variant (the floor, then ``parcours serve`` with each number of ``--workers``) runs once
per round, for each number of ``--citizens``, rounds interleaved so that the other users of a
shared machine weigh on every variant alike. Prints requests per second, p50/p99 latencies of
the round trip (POST + GET), each variant's ratio to the first one round by round, and the
load average; results go in docs/benchmarks.md. Never run as a test (timings are not
assertions).

``--usage-cost`` measures instead what counting usage costs (renderer/usage.py): the same
application with the counters on and off, each citizen walking new drafts through the first
two pages (a page is counted the first time a draft sends it, so each round trip counts):

    .venv/bin/python bench/load_serve.py --usage-cost --citizens 32 --seconds 8 --rounds 5
"""

from __future__ import annotations

import argparse
import asyncio
import os
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parents[1]
JOURNEY = ROOT / "journeys" / "signalement-voirie.yaml"
FIRST = ("/signalement-voirie/q/urgence", {"danger": "no"})
ROUND = ("/signalement-voirie/q/probleme", {
    "_js": "1", "type_probleme": "nid_de_poule",
    "description": "Un trou profond devant le numéro 12, dangereux pour les vélos.",
})
CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')
SHOWN = re.compile(r'name="_shown" value="([^"]+)"')

SERVER = """
import sys
sys.path.insert(0, {root!r})
import uvicorn
mode, db, port = sys.argv[1], sys.argv[2], int(sys.argv[3])
if mode.startswith("parcours"):
    from renderer.app import create_app
    app = create_app([{journey!r}], db_url=db, record_usage=mode != "parcours-off")
else:
    from bench.load_serve import floor_app
    app = floor_app(db)
uvicorn.run(app, host="127.0.0.1", port=port, log_level="warning", access_log=False)
"""


def floor_app(db_url: str) -> Any:
    """The floor: parse the form, write one row, redirect, render the same step template."""
    import json
    import sqlite3
    import threading

    from jinja2 import Environment, FileSystemLoader, select_autoescape
    from starlette.applications import Starlette
    from starlette.requests import Request
    from starlette.responses import HTMLResponse, RedirectResponse
    from starlette.routing import Route

    from designer.loading import load_journey
    from designer.run import Run
    from renderer.i18n import t
    from renderer.pages import PageErrors, build_controls

    journey = load_journey(JOURNEY).journey
    assert journey is not None
    run = Run(journey, {"danger": False, "type_probleme": "nid_de_poule"},
              seen=["urgence", "probleme"])
    import datetime

    controls = build_controls(journey, run, "lieu", 0, {}, PageErrors(), "fr",
                              datetime.date.today())
    env = Environment(loader=FileSystemLoader(str(ROOT / "renderer" / "templates")),
                      autoescape=select_autoescape(default=True))
    from renderer import markdown

    env.filters["md"] = markdown.render

    def url_for(name: str, query: object = None, **params: str) -> str:
        # The floor serves this one page: the template's links need not lead anywhere.
        return f"/static/{params['path']}" if name == "static" else "/"

    env.globals["url_for"] = url_for
    template = env.get_template("step.html")
    local = threading.local()
    postgres = db_url.startswith("postgresql")

    def conn() -> Any:
        c = getattr(local, "c", None)
        if c is None:
            if postgres:
                import psycopg

                c = psycopg.connect(db_url, autocommit=True)
                c.execute("CREATE TABLE IF NOT EXISTS floor_rows (id SERIAL PRIMARY KEY, "
                          "data TEXT NOT NULL)")
            else:
                c = sqlite3.connect(db_url.removeprefix("sqlite:///"), isolation_level=None,
                                    check_same_thread=False)
                c.execute("PRAGMA journal_mode = WAL")
                c.execute("PRAGMA synchronous = NORMAL")
                c.execute("CREATE TABLE IF NOT EXISTS floor_rows (id INTEGER PRIMARY KEY, "
                          "data TEXT NOT NULL)")
            local.c = c
        return c

    mark = "%s" if postgres else "?"

    async def page(request: Request) -> HTMLResponse:
        html = template.render(
            lang="fr", t=lambda key, **kw: t(key, "fr", **kw), jt=lambda v: journey.text(v),
            csrf_field="csrf_token", csrf_token="x" * 43, switch_url="/", switch_lang="en",
            journey=journey, title="Où est le problème ?", controls=controls, errors=[],
            part=0, progress="Étape 3 sur 4", back_url="/", action="/floor/q",
            has_files=True, env_json="", today="2026-01-01", intro="",
        )
        return HTMLResponse(html)

    async def post(request: Request) -> RedirectResponse:
        form = await request.form()
        c = conn()
        c.execute("BEGIN")
        c.execute(f"INSERT INTO floor_rows (data) VALUES ({mark})",
                  (json.dumps({k: str(v) for k, v in form.items()}),))
        c.execute("COMMIT")
        return RedirectResponse("/floor/next", status_code=303)

    async def start(request: Request) -> HTMLResponse:
        return await page(request)

    return Starlette(routes=[
        Route("/floor/q", post, methods=["POST"]),
        Route("/floor/next", page),
        Route("/floor/", start),
    ])


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_server(mode: str, db: str, workdir: Path,
                 workers: int = 1) -> tuple[subprocess.Popen[bytes], str]:
    """One uvicorn process serving the app or the floor (``parcours serve --workers N`` for
    the app with several workers)."""
    script = workdir / "serve.py"
    script.write_text(SERVER.format(root=str(ROOT), journey=str(JOURNEY)), encoding="utf-8")
    port = _free_port()
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    if mode == "parcours" and workers > 1:
        # Request lines at warning level: the single-process runs log nothing either.
        env.update(PARCOURS_PURGE="false", PARCOURS_LOG_LEVEL="warning")
        command = [sys.executable, "-m", "designer.cli", "serve", str(JOURNEY), "--db", db,
                   "--port", str(port), "--workers", str(workers)]
    else:
        command = [sys.executable, str(script), mode, db, str(port)]
    proc = subprocess.Popen(command, cwd=ROOT, env=env)
    url = f"http://127.0.0.1:{port}"
    for _ in range(300):
        try:
            home = "/" if mode.startswith("parcours") else "/floor/"
            if httpx.get(url + home, timeout=1).is_success:
                return proc, url
        except httpx.HTTPError:
            time.sleep(0.1)
    proc.kill()
    raise SystemExit(f"{mode} server did not start")


async def citizen(client: httpx.AsyncClient, mode: str, until: float,
                  latencies: list[float], busy: list[float]) -> int:
    """One citizen doing round trips until the deadline; returns requests made (a round trip
    answered by the 503 "busy" page goes in ``busy``, not in ``latencies``)."""
    requests = 0
    if mode == "parcours":
        page = await client.get("/signalement-voirie/")
        token = CSRF.search(page.text).group(1)  # type: ignore[union-attr]
        await client.post("/signalement-voirie/start", data={"csrf_token": token})
        path, data = FIRST
        await client.post(path, data={"csrf_token": token, **data})
        post_path, post_data = ROUND
    else:
        token = "x"
        post_path, post_data = "/floor/q", ROUND[1]
    while time.perf_counter() < until:
        t0 = time.perf_counter()
        r = await client.post(post_path, data={"csrf_token": token, **post_data})
        requests += 1
        if r.status_code == 503:  # the busy page: counted apart, the citizen tries again
            busy.append(time.perf_counter() - t0)
            continue
        assert r.status_code == 303, (r.status_code, r.text[:500])
        r = await client.get(r.headers["location"])
        requests += 1
        if r.status_code == 503:
            busy.append(time.perf_counter() - t0)
            continue
        assert r.status_code == 200
        latencies.append(time.perf_counter() - t0)
    return requests


async def walker(client: httpx.AsyncClient, mode: str, until: float,
                 latencies: list[float], busy: list[float]) -> int:
    """One citizen opening new drafts and sending their first two pages until the deadline
    (each page sent for the first time: counted when the counters are on)."""
    requests = 0
    page = await client.get("/signalement-voirie/")
    token = CSRF.search(page.text).group(1)  # type: ignore[union-attr]
    while time.perf_counter() < until:
        r = await client.post("/signalement-voirie/start", data={"csrf_token": token})
        page = await client.get(r.headers["location"])
        requests += 2
        for path, data in (FIRST, ROUND):
            shown = SHOWN.search(page.text)
            form = {"csrf_token": token, **data, **({"_shown": shown.group(1)} if shown else {})}
            t0 = time.perf_counter()
            r = await client.post(path, data=form)
            assert r.status_code == 303, (r.status_code, r.text[:500])
            page = await client.get(r.headers["location"])
            assert page.status_code == 200
            latencies.append(time.perf_counter() - t0)
            requests += 2
    return requests


async def load(url: str, mode: str, citizens: int, seconds: float) -> dict[str, float]:
    """Run the load; return rps and latency percentiles (ms)."""
    walk = walker if mode.startswith("parcours-") else citizen
    latencies: list[float] = []
    busy: list[float] = []
    limits = httpx.Limits(max_connections=citizens)
    clients = [httpx.AsyncClient(base_url=url, limits=limits, timeout=30) for _ in range(citizens)]
    # Warm up (journey compiled, connections open), then measure.
    warm = time.perf_counter() + 1.5
    await asyncio.gather(*(walk(c, mode, warm, [], []) for c in clients[:4]))
    start = time.perf_counter()
    until = start + seconds
    counts = await asyncio.gather(*(walk(c, mode, until, latencies, busy)
                                    for c in clients))
    elapsed = time.perf_counter() - start
    for c in clients:
        await c.aclose()
    latencies.sort()
    return {
        "rps": sum(counts) / elapsed,
        "round_trips_per_s": len(latencies) / elapsed,
        "p50_ms": 1000 * statistics.median(latencies),
        "p99_ms": 1000 * latencies[int(0.99 * (len(latencies) - 1))],
        "busy_503": len(busy),
    }


def load_average() -> str:
    """The machine's load average (1, 5, 15 minutes): the figures depend on it."""
    one, five, fifteen = os.getloadavg()
    return f"load average {one:.1f} {five:.1f} {fifteen:.1f}"


def variants(usage_cost: bool, workers: list[int]) -> list[tuple[str, str, int]]:
    """(label, mode, worker processes) of each server measured; the first is the baseline
    that every other one is compared with, round by round."""
    if usage_cost:
        return [("counters off", "parcours-off", 1), ("counters on", "parcours-on", 1)]
    return [("floor", "floor", 1)] + [(f"parcours w{n}", "parcours", n) for n in workers]


def pg_schema(base: str) -> tuple[str, str] | None:
    """A fresh schema on ``base`` and the URL whose search_path is it, or None (and why,
    on stderr) when PostgreSQL cannot be reached."""
    try:
        import psycopg

        schema = f"bench_{os.getpid()}"
        with psycopg.connect(base, autocommit=True) as c:
            c.execute(f'CREATE SCHEMA "{schema}"')
    except Exception as exc:  # noqa: BLE001 - PostgreSQL is optional here
        print(f"PostgreSQL skipped: {exc}", file=sys.stderr)
        return None
    from urllib.parse import quote

    sep = "&" if "?" in base else "?"
    return schema, f"{base}{sep}options={quote(f'-csearch_path={schema}')}"


def main() -> int:
    """Run every variant on SQLite (and PostgreSQL), rounds interleaved; print a table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--citizens", type=int, nargs="+", default=[32],
                        help="concurrent citizens; several values are interleaved in each round")
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--rounds", type=int, default=3,
                        help="run every variant once per round, this many rounds; medians are "
                        "reported (the machine is shared: interleaving spreads the noise evenly)")
    parser.add_argument("--workers", type=int, nargs="+", default=[1],
                        help="worker processes of parcours serve, one variant each (the floor "
                        "keeps one)")
    parser.add_argument("--pg", default="postgresql://127.0.0.1:5432/test",
                        help="PostgreSQL URL (a fresh schema is made and dropped); '' to skip")
    parser.add_argument("--usage-cost", action="store_true",
                        help="compare the application with usage counters on and off")
    parser.add_argument("--databases", nargs="+", choices=["sqlite", "postgresql"],
                        default=["sqlite", "postgresql"])
    args = parser.parse_args()
    measured = variants(args.usage_cost, args.workers)
    print(f"start: {load_average()}", flush=True)
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        databases: list[tuple[str, str | None]] = []
        if "sqlite" in args.databases:
            databases.append(("sqlite", None))
        pg = pg_schema(args.pg) if args.pg and "postgresql" in args.databases else None
        if pg is not None:
            databases.append(("postgresql", pg[1]))
        try:
            for db_name, pg_url in databases:
                servers = {}
                try:
                    for label, mode, workers in measured:
                        db = pg_url or f"sqlite:///{work / label.replace(' ', '-')}.db"
                        servers[label] = start_server(mode, db, work, workers)
                    for citizens in args.citizens:
                        _measure(db_name, citizens, measured, servers, args)
                finally:
                    for proc, _url in servers.values():
                        proc.terminate()
                        proc.wait(timeout=10)
        finally:
            if pg is not None:
                import psycopg

                with psycopg.connect(args.pg, autocommit=True) as c:
                    c.execute(f'DROP SCHEMA "{pg[0]}" CASCADE')
    print(f"end: {load_average()}", flush=True)
    return 0


def _measure(db_name: str, citizens: int, measured: list[tuple[str, str, int]],
             servers: dict[str, tuple[subprocess.Popen[bytes], str]],
             args: argparse.Namespace) -> None:
    """The rounds of one database and one number of citizens: every variant once per round,
    then each variant's medians and its ratios to the baseline, round by round."""
    runs: dict[str, list[dict[str, float]]] = {label: [] for label, _m, _w in measured}
    for number in range(args.rounds):
        for label, mode, _workers in measured:
            runs[label].append(asyncio.run(load(servers[label][1], mode, citizens,
                                                args.seconds)))
        print(f"  {db_name} {citizens} citizens, round {number + 1}: {load_average()}",
              flush=True)
    base = measured[0][0]
    for label, _mode, _workers in measured:
        result = {k: statistics.median(r[k] for r in runs[label]) for k in runs[label][0]}
        ratios = [r["round_trips_per_s"] / b["round_trips_per_s"]
                  for r, b in zip(runs[label], runs[base], strict=True)]
        print(f"{db_name:10} {citizens:4} citizens  {label:14} {result['rps']:7.0f} req/s "
              f"{result['round_trips_per_s']:6.1f} round trips/s  p50 {result['p50_ms']:6.0f} ms"
              f"  p99 {result['p99_ms']:6.0f} ms  / {base}: median "
              f"{statistics.median(ratios):.2f} (rounds: "
              f"{', '.join(f'{x:.2f}' for x in ratios)}); "
              f"busy 503: {sum(int(r['busy_503']) for r in runs[label])}", flush=True)


if __name__ == "__main__":
    raise SystemExit(main())
