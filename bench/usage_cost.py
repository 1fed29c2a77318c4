"""CPU time of a step round trip with the usage counters on and off, in one process.

``bench/load_serve.py --usage-cost`` measures the same thing under load, in wall-clock time;
on a shared machine its noise (other processes) can exceed the effect. Here the application
runs in-process (Starlette's test client) and each round trip (POST a page, GET the next)
is timed in CPU time of this process, which other processes do not inflate. Rounds
alternate off and on; medians are compared. Each citizen opens a new draft and sends its
first two pages (a page is counted the first time its draft sends it):

    .venv/bin/python bench/usage_cost.py --rounds 7 --drafts 40

Never run as a test (timings are not assertions); results go in docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.load_serve import CSRF, FIRST, JOURNEY, ROUND, SHOWN  # noqa: E402

SIGNALEMENT = "/signalement-voirie"


def per_round_trip(on: bool, drafts: int) -> float:
    """Milliseconds of CPU per step round trip, over ``drafts`` new drafts."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from starlette.testclient import TestClient
    from renderer.app import create_app

    with tempfile.TemporaryDirectory() as tmp:
        client = TestClient(create_app([JOURNEY], db_url=f"sqlite:///{Path(tmp) / 'p.db'}",
                                       record_usage=on))
        token = CSRF.search(client.get(f"{SIGNALEMENT}/").text).group(1)  # type: ignore[union-attr]
        spent = 0.0
        for _ in range(drafts):
            r = client.post(f"{SIGNALEMENT}/start", data={"csrf_token": token},
                            follow_redirects=False)
            page = client.get(r.headers["location"])
            for path, data in (FIRST, ROUND):
                shown = SHOWN.search(page.text)
                form = {"csrf_token": token, **data,
                        **({"_shown": shown.group(1)} if shown else {})}
                t0 = time.process_time()
                r = client.post(path, data=form, follow_redirects=False)
                assert r.status_code == 303, r.text[:300]
                page = client.get(r.headers["location"])
                spent += time.process_time() - t0
        return 1000 * spent / (2 * drafts)


def main() -> int:
    """Alternate off and on; print the medians and their ratio."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--drafts", type=int, default=40)
    args = parser.parse_args()
    per_round_trip(True, 5)  # warm up: imports, templates
    runs: dict[bool, list[float]] = {False: [], True: []}
    for _ in range(args.rounds):
        for on in (False, True):
            runs[on].append(per_round_trip(on, args.drafts))
    off, on = statistics.median(runs[False]), statistics.median(runs[True])
    for name, values in (("off", runs[False]), ("on", runs[True])):
        print(f"counters {name:3}: {statistics.median(values):6.2f} ms CPU per round trip "
              f"({', '.join(f'{v:.2f}' for v in values)})")
    print(f"on/off: {on / off:.3f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
