"""The dossiers' PDF documents: how long WeasyPrint takes to write an acknowledgement of
receipt and a decision letter, in-process, through the HTTP handlers.

    .venv/bin/python bench/documents.py [--runs 20]

Sends one signalement (journeys/signalement-voirie.yaml) into a fresh SQLite database,
decides it, then downloads its receipt and its decision letter ``--runs`` times each
(the first download, which loads WeasyPrint and its fonts, is timed apart). Prints a
Markdown table: first, median, best and worst milliseconds, and the PDF's size.
"""

from __future__ import annotations

import argparse
import re
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from starlette.testclient import TestClient  # noqa: E402

from renderer.app import create_app  # noqa: E402
from renderer.backoffice.accounts import Accounts  # noqa: E402
from renderer.backoffice.dossiers import Dossiers  # noqa: E402
from renderer.backoffice.letters import Letters  # noqa: E402

JOURNEY = "signalement-voirie"


def _send(client: TestClient) -> str:
    page = client.get(f"/{JOURNEY}/").text
    found = re.search(r'name="csrf_token" value="([^"]+)"', page)
    assert found
    token = found.group(1)
    client.post(f"/{JOURNEY}/start", data={"csrf_token": token})
    for step, data in (
        ("urgence", {"danger": "no"}),
        ("probleme", {"type_probleme": "tag", "description": "Un grand tag bleu"}),
        (
            "lieu",
            {
                "adresse-street": "1 rue des Minimes",
                "adresse-postcode": "37000",
                "adresse-commune": "Tours",
                "repere": "",
            },
        ),
        ("suivi", {"etre_informe": "yes", "email": "zoe@example.fr"}),
    ):
        client.post(f"/{JOURNEY}/q/{step}", data={"csrf_token": token, "_js": "1", **data})
    sent = client.post(f"/{JOURNEY}/check", data={"csrf_token": token}).text
    reference = re.search(r'data-reference="([^"]+)"', sent)
    assert reference
    return reference.group(1)


def _time(get: Callable[[], bytes], runs: int) -> tuple[float, list[float], int]:
    start = time.perf_counter()
    size = len(get())
    first = time.perf_counter() - start
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        get()
        times.append(time.perf_counter() - start)
    return first, times, size


def main() -> int:
    """Print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        app = create_app(
            [ROOT / "journeys" / f"{JOURNEY}.yaml"], db_url=f"sqlite:///{Path(tmp) / 'bench.db'}"
        )
        client = TestClient(app)
        reference = _send(client)
        store = app.state.parcours.store
        agent = Accounts(store).add(
            "bench@tours.example", "un mot de passe assez long", "instructeur", ["proprete"]
        )
        Dossiers(store).change_status(agent, reference, "en_instruction")
        Dossiers(store).change_status(agent, reference, "refuse", "Propriété privée.")
        letter = Letters(store).of_dossier(reference)[0]
        token = Dossiers(store).follow_token(reference)
        rows = []
        for name, path in (
            ("acknowledgement of receipt", f"/{JOURNEY}/accuse-reception.pdf"),
            ("decision letter", f"/-/suivi/{token}/courriers/{letter.id}"),
        ):
            first, times, size = _time(lambda p=path: client.get(p).content, args.runs)
            rows.append(
                f"| {name} | {first * 1000:.0f} | {statistics.median(times) * 1000:.0f}"
                f" | {min(times) * 1000:.0f} | {max(times) * 1000:.0f} | {size:,} |"
            )
    print("| document | first (ms) | median (ms) | best (ms) | worst (ms) | bytes |")
    print("|---|---:|---:|---:|---:|---:|")
    print("\n".join(rows))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
