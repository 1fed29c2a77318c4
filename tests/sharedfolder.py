"""The read-only ``shared/`` folder beside the checkout: real forms and providers' test data.

Tests that read it skip on a developer's machine without it, but fail under CI (``CI`` set
in the environment): CI always lays ``shared/`` beside the clone, so a missing file there is
a broken test set-up, not a reason to pass silently.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
CORPUS = SHARED / "corpus"


def need(path: Path) -> Path:
    """``path`` when it exists; otherwise skip the test, or fail it under CI."""
    if not path.exists():
        message = f"{path} is missing (the shared folder beside the checkout)"
        if os.environ.get("CI"):
            pytest.fail(message + ": CI always lays it beside the clone", pytrace=False)
        pytest.skip(message)
    return path
