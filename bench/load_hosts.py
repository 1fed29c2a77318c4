"""Throughput through HAProxy with two app hosts against one, the same citizens' load.

Two app hosts are network namespaces of this machine (``tests/deploy/hosts.py``: veth links,
HAProxy in front, the machine's PostgreSQL shared), each running ``parcours serve`` (one
process). Citizens (``bench/load_serve.py``'s load: POST a page of ``signalement-voirie``,
follow the 303, GET the next page) go either through the cluster's balancer, round robin over
both hosts, or through a second balancer that knows only the first host; the two variants
alternate, round after round, so that the other users of a shared machine weigh on both.

    sudo .venv/bin/python bench/load_hosts.py --citizens 32 --seconds 8 --rounds 3

Needs root (``ip netns``) and ``haproxy``. Prints round trips per second, p50/p99 latencies,
the ratio two hosts / one host round by round and the load average; results go in
docs/benchmarks.md. Never run as a test (timings are not assertions).
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# tests/ is no package (and a dependency installs one named so): its folder goes on the path.
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from deploy.hosts import available, balancer, cluster, start_app, wait_ready  # noqa: E402

from bench.load_serve import JOURNEY, load, load_average, pg_schema  # noqa: E402


def main() -> int:
    """Start two hosts and both balancers, alternate the variants, print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--citizens", type=int, default=32)
    parser.add_argument("--seconds", type=float, default=8.0)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--pg", default="postgresql://127.0.0.1:5432/test",
                        help="the machine's PostgreSQL (a fresh schema is made and dropped)")
    args = parser.parse_args()
    reason = available()
    if reason is not None:
        raise SystemExit(f"several hosts cannot be built here: {reason}")
    pg = pg_schema(args.pg)
    if pg is None:
        raise SystemExit("PostgreSQL is needed: the hosts share it")
    schema, pg_url = pg
    runs: dict[str, list[dict[str, float]]] = {"1 host": [], "2 hosts": []}
    print(f"start: {load_average()}", flush=True)
    try:
        from renderer.store import Store

        Store(pg_url)  # the schema, once, before the hosts start
        with tempfile.TemporaryDirectory() as tmp, cluster(2, Path(tmp)) as hosts:
            work = Path(tmp)
            for host in hosts.hosts:
                start_app(host, JOURNEY, hosts.pg_url_for(host, pg_url), work,
                          {"PARCOURS_PURGE": "false", "PARCOURS_LOG_LEVEL": "warning"})
            wait_ready(hosts)
            single, single_url = balancer(hosts.hosts[:1], work, "one")
            try:
                urls = {"1 host": single_url, "2 hosts": hosts.url}
                for number in range(args.rounds):
                    for name, url in urls.items():
                        runs[name].append(asyncio.run(
                            load(url, "parcours", args.citizens, args.seconds)))
                    print(f"  round {number + 1}: {load_average()}", flush=True)
            finally:
                single.terminate()
                single.wait(timeout=10)
    finally:
        import psycopg

        with psycopg.connect(args.pg, autocommit=True) as c:
            c.execute(f'DROP SCHEMA "{schema}" CASCADE')
    for name, results in runs.items():
        ratios = [r["round_trips_per_s"] / b["round_trips_per_s"]
                  for r, b in zip(results, runs["1 host"], strict=True)]
        print(f"{name:8} {args.citizens} citizens  "
              f"{statistics.median(r['round_trips_per_s'] for r in results):6.1f} round trips/s"
              f"  p50 {statistics.median(r['p50_ms'] for r in results):6.0f} ms"
              f"  p99 {statistics.median(r['p99_ms'] for r in results):6.0f} ms"
              f"  / 1 host: median {statistics.median(ratios):.2f} "
              f"(rounds: {', '.join(f'{x:.2f}' for x in ratios)})", flush=True)
    print(f"end: {load_average()}", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
