"""The data files every `parcours check` reads, shipped twice: YAML to write, JSON to read.

The message catalogue (``designer/data/check_messages.yaml``) and the jargon lexicon
(``designer/data/lexicon.yaml``) are written and reviewed in YAML, which keeps comments and
long French sentences readable. Each check reads them, and libyaml takes 9 ms for the
catalogue and 5 ms for the lexicon where Python's JSON reader takes 0.3 ms and 0.1 ms
(docs/benchmarks.md, "Issue 12, section 3, third round"). So each is also shipped as its
exact translation to JSON, beside it, which the engine reads.

The YAML stays the source: after editing one, run::

    python -m designer.shipped_data

which rewrites the JSON files that changed. ``tests/engine/test_shipped_data.py`` fails
when a JSON file is not the translation of its YAML, naming this command. An
organisation's own lexicon stays YAML (``parcours check --lexicon``): it is read only when
given.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

DATA = Path(__file__).parent / "data"
#: The YAML files of designer/data/ shipped also as JSON, by name without suffix.
TRANSLATED = ("check_messages", "lexicon")


def read(name: str) -> Any:
    """The data of ``designer/data/<name>.yaml``, read from its JSON translation."""
    return json.loads((DATA / f"{name}.json").read_text("utf-8"))


def translation(name: str) -> str:
    """The JSON text ``designer/data/<name>.json`` must hold: its YAML's data, in the order
    written, one key or item a line (for readable diffs), non-ASCII letters as they are."""
    import yaml

    data = yaml.load((DATA / f"{name}.yaml").read_text("utf-8"),  # noqa: S506
                     Loader=yaml.CSafeLoader)
    return json.dumps(data, ensure_ascii=False, indent=1) + "\n"


def stale() -> list[str]:
    """The names in :data:`TRANSLATED` whose JSON file is missing or not up to date."""
    out = []
    for name in TRANSLATED:
        path = DATA / f"{name}.json"
        if not path.exists() or path.read_text("utf-8") != translation(name):
            out.append(name)
    return out


def main() -> int:
    """Rewrite the JSON translations that are stale; say which."""
    for name in stale():
        (DATA / f"{name}.json").write_text(translation(name), "utf-8")
        print(f"wrote designer/data/{name}.json", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
