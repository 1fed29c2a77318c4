"""The print queue printed in one go: the CPU time of a batch of letters made one PDF,
against the same letters made one by one, and the batch downloaded through its page.

    .venv/bin/python bench/print_batch.py [--runs 5]

Sends one signalement (journeys/signalement-voirie.yaml) into a fresh SQLite database, for
a citizen who chose the post, and writes it 50 messages (50 letters in the print queue).
For 1, 10 and 50 letters, alternately: each letter made alone by the printer (no cache),
the batch made one PDF by the printer (``Printer.batch``), and the batch downloaded by an
agent (``GET /-/agents/courriers/lot.pdf``: its reads, its HTML and its PDF). Prints a
Markdown table of the median CPU time of the process (``time.process_time``: every thread,
not the wall clock of a loaded machine) and the PDF's size.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from starlette.testclient import TestClient  # noqa: E402

from bench.documents import JOURNEY, _send  # noqa: E402
from renderer.app import create_app  # noqa: E402
from renderer.backoffice.accounts import Accounts  # noqa: E402
from renderer.backoffice.dossiers import Dossiers  # noqa: E402
from renderer.backoffice.letters import PRINT_BATCH, Letters  # noqa: E402
from renderer.backoffice.paperwork import Paperwork  # noqa: E402

PASSWORD = "un mot de passe assez long"


def _cpu(work: Callable[[], bytes]) -> tuple[float, int]:
    start = time.process_time()
    size = len(work())
    return time.process_time() - start, size


def main() -> int:
    """Print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        app = create_app(
            [ROOT / "journeys" / f"{JOURNEY}.yaml"], db_url=f"sqlite:///{Path(tmp) / 'bench.db'}"
        )
        client = TestClient(app)
        reference = _send(client)
        parcours = app.state.parcours
        store = parcours.store
        store._write(
            "UPDATE dossiers SET contact_channel = 'post' WHERE reference = ?", [reference]
        )
        agent = Accounts(store).add("bench@tours.example", PASSWORD, "instructeur", ["proprete"])
        for n in range(PRINT_BATCH):
            Dossiers(store).message_from_agent(agent, reference, f"Message {n}")
        letters = Letters(store).queue(agent)
        d = Dossiers(store).get(reference)
        assert d is not None and len(letters) == PRINT_BATCH
        writer = Paperwork(parcours, "https://demarches.example.fr")
        page = client.get("/-/agents/login").text
        token = page.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]
        client.post(
            "/-/agents/login",
            data={"csrf_token": token, "email": "bench@tours.example", "password": PASSWORD},
        )
        client.get(f"/-/agents/courriers/{letters[0].id}")  # loads WeasyPrint and its fonts
        rows = []
        for count in (1, 10, PRINT_BATCH):
            chosen = letters[:count]
            htmls = [writer.letter_html(d, x) for x in chosen]
            url = "/-/agents/courriers/lot.pdf?" + urlencode([("courrier", x.id) for x in chosen])
            kinds: dict[str, list[float]] = {"alone": [], "batch": [], "http": []}
            sizes: dict[str, int] = {}
            for _ in range(args.runs):
                for kind, work in (
                    ("alone", lambda h=htmls: b"".join(parcours.printer.render(x) for x in h)),
                    ("batch", lambda h=htmls: parcours.printer.batch(h)),
                    ("http", lambda u=url: client.get(u).content),
                ):
                    spent, sizes[kind] = _cpu(work)
                    kinds[kind].append(spent)
            median = {k: statistics.median(v) * 1000 for k, v in kinds.items()}
            rows.append(
                f"| {count} | {median['alone']:.0f} | {median['batch']:.0f}"
                f" | {median['http']:.0f} | {median['batch'] / count:.0f}"
                f" | {sizes['alone']:,} | {sizes['batch']:,} |"
            )
    print(
        "| letters | one by one (ms CPU) | one batch (ms CPU) | batch by HTTP (ms CPU)"
        " | batch per letter (ms) | bytes, one by one | bytes, batch |"
    )
    print("|---:|---:|---:|---:|---:|---:|---:|")
    print("\n".join(rows))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
