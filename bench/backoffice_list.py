"""The agents' dossier list over 100,000 dossiers, with filters, beside a bare SQL floor.

Fills a fresh database (SQLite in a temporary folder; PostgreSQL in a schema of its own,
dropped after) with N dossiers spread over 7 journeys, 9 services, the 5 statuses and a
year, then times :meth:`renderer.backoffice.dossiers.Dossiers.search` (the count and the
page the list shows) for an instructeur of two services, for each kind of filter, beside
the floor: the same page's SELECT alone, sent through the driver with no layer of ours.

    .venv/bin/python bench/backoffice_list.py            # 100,000 dossiers, SQLite + PostgreSQL
    .venv/bin/python bench/backoffice_list.py --dossiers 20000 --runs 50 --no-pg

Prints p50/p99 in milliseconds per query; results go in docs/benchmarks.md. Never run as a
test (timings are not assertions).
"""

from __future__ import annotations

import argparse
import contextlib
import datetime
import random
import secrets
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from renderer.backoffice.accounts import Agent  # noqa: E402
from renderer.backoffice.dossiers import Dossiers, Filters  # noqa: E402
from renderer.backoffice.search import fold  # noqa: E402
from renderer.backoffice.workflow import STATUSES  # noqa: E402
from renderer.store import Store, random_code  # noqa: E402

JOURNEYS = ["signalement-voirie", "acte-etat-civil", "aide-isolation", "budget-participatif",
            "inscription-cantine", "logement-social", "stationnement-residentiel"]
SERVICES = ["proprete", "eclairage", "voirie", "etat_civil", "habitat", "democratie",
            "education", "logement", "stationnement"]
STREETS = ["rue des Minimes", "place Plumereau", "boulevard Béranger", "rue Nationale",
           "avenue de Grammont", "quai Paul Bert", "rue Colbert", "rue du Commerce"]
NAMES = ["Martin", "Bernard", "Dubois", "Thomas", "Robert", "Richard", "Petit", "Durand",
         "Leroy", "Moreau", "Simon", "Laurent", "Lefebvre", "Michel", "Garcia", "Zoé"]
PG = "postgresql://127.0.0.1:5432/test"


def fill(store: Store, count: int, seed: int = 7) -> None:
    """Insert ``count`` drafts, submissions and dossiers in one transaction."""
    rng = random.Random(seed)
    digest = store.save_journey_version("bench", "parcours: 1", "bench.yaml")
    start = datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC)
    drafts, submissions, dossiers = [], [], []
    for i in range(count):
        draft_id = f"d{i}"
        reference = random_code(8) + f"-{i}"
        created = (start + datetime.timedelta(minutes=rng.randrange(365 * 24 * 60))).isoformat(
            timespec="milliseconds")
        name = rng.choice(NAMES)
        street = f"{rng.randrange(1, 200)} {rng.choice(STREETS)}"
        drafts.append((draft_id, "bench", digest, "{}", "{}", None, f"R{i}", f"T{i}", 1, 1,
                       created, created))
        submissions.append((reference, draft_id, "bench", digest, "fr", "{}", created))
        status = rng.choice(STATUSES)
        decided = created if status in ("accepte", "refuse", "classe_sans_suite") else None
        dossiers.append((reference, rng.choice(JOURNEYS), rng.choice(SERVICES), status, None,
                         "fr", created, created, decided, secrets.token_hex(16),
                         fold(f"{reference} {name} {street} 37000 Tours")))
    with store.transaction() as conn:
        cursor = conn.cursor()
        cursor.executemany(store.backend.sql(
            "INSERT INTO drafts (id, journey_id, journey_hash, answers, state, current_step, "
            "resume_code, resume_token, version, submitted, created_at, updated_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"), drafts)
        cursor.executemany(store.backend.sql(
            "INSERT INTO submissions (reference, draft_id, journey_id, journey_hash, lang, "
            "answers, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)"), submissions)
        cursor.executemany(store.backend.sql(
            "INSERT INTO dossiers (reference, journey_id, service, status, citizen_email, lang, "
            "created_at, updated_at, decided_at, follow_token_hash, search) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"), dossiers)
    store._write("ANALYZE")


AGENT = Agent("bench", "bench@tours.example", "instructeur", frozenset({"proprete", "voirie"}))
CASES: list[tuple[str, Filters, int]] = [
    ("no filter, page 1", Filters(), 1),
    ("no filter, page 40", Filters(), 40),
    ("status", Filters(status="en_instruction"), 1),
    ("journey + dates (a month)", Filters(journey="signalement-voirie",
                                          since=datetime.date(2026, 3, 1),
                                          until=datetime.date(2026, 3, 31)), 1),
    ("text (a name)", Filters(text="zoé"), 1),
    ("text (street words)", Filters(text="rue minimes"), 1),
]


def floor_query(store: Store, f: Filters, page: int) -> Callable[[], Any]:
    """The same page's SELECT sent through the driver alone (no count, no objects)."""
    where, params = Dossiers(store)._where(AGENT, f)
    sql = store.backend.sql(
        "SELECT reference, journey_id, service, status, citizen_email, lang, created_at, "
        f"updated_at, decided_at FROM dossiers WHERE {where} "
        "ORDER BY created_at DESC, reference LIMIT ? OFFSET ?")
    args = (*params, 25, (page - 1) * 25)

    def run() -> Any:
        with store.connection() as conn:  # a lease of the pool, as every store call takes
            return conn.execute(sql, args).fetchall()

    return run


def timed(fn: Callable[[], Any], runs: int) -> tuple[float, float]:
    fn()  # warm the caches once
    samples = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - t0) * 1000)
    samples.sort()
    return statistics.median(samples), samples[min(len(samples) - 1, int(0.99 * len(samples)))]


def measure(label: str, store: Store, count: int, runs: int) -> None:
    t0 = time.perf_counter()
    fill(store, count)
    print(f"\n{label}: {count:,} dossiers inserted in {time.perf_counter() - t0:.1f} s")
    print(f"{'query':32} {'rows':>7} {'p50 ms':>8} {'p99 ms':>8} "
          f"{'floor p50':>10} {'floor p99':>10}")
    dossiers = Dossiers(store)
    for name, f, page in CASES:
        total = dossiers.search(AGENT, f, page)[1]
        p50, p99 = timed(lambda f=f, page=page: dossiers.search(AGENT, f, page), runs)
        f50, f99 = timed(floor_query(store, f, page), runs)
        print(f"{name:32} {total:>7,} {p50:>8.1f} {p99:>8.1f} {f50:>10.1f} {f99:>10.1f}")
    # The list page also shows the counts per status and the median processing time.
    p50, p99 = timed(lambda: dossiers.statistics(AGENT), runs)
    print(f"{'statistics (counts, medians)':32} {'':>7} {p50:>8.1f} {p99:>8.1f}")


@contextlib.contextmanager
def pg_schema(base: str) -> Iterator[str]:
    import psycopg

    schema = f"parcours_bench_{secrets.token_hex(4)}"
    with psycopg.connect(base, autocommit=True) as conn:
        conn.execute(f'CREATE SCHEMA "{schema}"')
    try:
        yield f"{base}?options={quote(f'-csearch_path={schema}')}"
    finally:
        with psycopg.connect(base, autocommit=True) as conn:
            conn.execute(f'DROP SCHEMA "{schema}" CASCADE')


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dossiers", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=100)
    parser.add_argument("--pg", default=PG, help="PostgreSQL base URL (a schema is made)")
    parser.add_argument("--no-pg", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        store = Store(f"sqlite:///{tmp}/bench.db")
        measure("SQLite", store, args.dossiers, args.runs)
        store.close()
    if not args.no_pg:
        with pg_schema(args.pg) as url:
            store = Store(url)
            measure("PostgreSQL", store, args.dossiers, args.runs)
            store.close()


if __name__ == "__main__":
    main()
