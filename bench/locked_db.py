"""How `parcours serve` answers while another writer holds the SQLite database.

Starts one server on a fresh SQLite file, opens a draft, then holds a write lock
(``BEGIN IMMEDIATE`` from another connection) for ``--hold`` seconds. Meanwhile one citizen
posts a page (it needs the lock) and another client keeps fetching a static file, a start
page and the health check. Prints the latency of those reads during the lock and what the
post got, and when. ``--root`` runs another checkout of the project (to compare versions).

    .venv/bin/python bench/locked_db.py --hold 3
    git archive OLD | tar -x -C /tmp/old && .venv/bin/python bench/locked_db.py --root /tmp/old

Results go in docs/benchmarks.md; never run as a test.
"""

from __future__ import annotations

import argparse
import os
import re
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import httpx

HERE = Path(__file__).resolve().parents[1]
CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')
SERVER = """
import sys
sys.path.insert(0, sys.argv[1])
import uvicorn
from renderer.app import create_app
app = create_app([sys.argv[2]], db_url=sys.argv[3])
uvicorn.run(app, host="127.0.0.1", port=int(sys.argv[4]), log_level="warning")
"""


def main() -> int:
    """Run the measurement once and print it."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--hold", type=float, default=3.0, help="seconds the lock is held")
    parser.add_argument("--root", default=str(HERE), help="the checkout to serve")
    args = parser.parse_args()
    root = Path(args.root)
    journey = root / "journeys" / "signalement-voirie.yaml"
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "p.db"
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        script = Path(tmp) / "serve.py"
        script.write_text(SERVER, encoding="utf-8")
        proc = subprocess.Popen([sys.executable, str(script), str(root), str(journey),
                                 f"sqlite:///{db}", str(port)], cwd=tmp,
                                env={**os.environ, "PYTHONPATH": str(root)})
        url = f"http://127.0.0.1:{port}"
        try:
            for _ in range(300):
                try:
                    if httpx.get(url + "/", timeout=1).status_code == 200:
                        break
                except httpx.HTTPError:
                    time.sleep(0.1)
            citizen = httpx.Client(base_url=url, timeout=60)
            page = citizen.get("/signalement-voirie/")
            token = CSRF.search(page.text)[1]  # type: ignore[index]
            citizen.post("/signalement-voirie/start", data={"csrf_token": token})
            token = CSRF.search(citizen.get("/signalement-voirie/q/urgence").text)[1]  # type: ignore[index]
            lock = sqlite3.connect(db, isolation_level=None)
            lock.execute("BEGIN IMMEDIATE")
            started = time.perf_counter()
            post: dict[str, object] = {}

            def send() -> None:
                t0 = time.perf_counter()
                try:
                    r = citizen.post("/signalement-voirie/q/urgence",
                                     data={"csrf_token": token, "danger": "no"})
                    post.update(status=r.status_code)
                except httpx.HTTPError as exc:
                    post.update(status=type(exc).__name__)
                post.update(seconds=time.perf_counter() - t0)

            writer = threading.Thread(target=send)
            writer.start()
            reads: list[float] = []
            failed: list[str] = []
            other = httpx.Client(base_url=url, timeout=60)
            while time.perf_counter() - started < args.hold:
                for path in ("/static/parcours.css", "/signalement-voirie/", "/"):
                    t0 = time.perf_counter()
                    try:
                        status = other.get(path).status_code
                    except httpx.HTTPError as exc:
                        status = 0
                        other = httpx.Client(base_url=url, timeout=60)
                        failed.append(f"{path}: {type(exc).__name__}")
                    if status >= 500:
                        failed.append(f"{path}: {status}")
                    reads.append(time.perf_counter() - t0)
            lock.execute("ROLLBACK")
            lock.close()
            writer.join()
        finally:
            proc.terminate()
            proc.wait(10)
    print(f"lock held {args.hold:.1f} s: {len(reads)} reads, median "
          f"{1000 * statistics.median(reads):.1f} ms, max {1000 * max(reads):.0f} ms; "
          f"{len(failed)} failed ({', '.join(sorted(set(failed))) or 'none'}); "
          f"the post got {post.get('status')} after {float(post.get('seconds', 0)):.2f} s")  # type: ignore[arg-type]
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
