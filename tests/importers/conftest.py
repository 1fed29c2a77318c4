"""Shared fixtures of the importer tests: the corpus folder and import-then-load."""

from __future__ import annotations

from pathlib import Path

import pytest
from sharedfolder import CORPUS, need

from designer.findings import Severity
from designer.importers import ImportResult, import_file
from designer.importers.writer import to_yaml
from designer.loading import Loaded, load_text


@pytest.fixture
def corpus() -> Path:
    """The shared corpus of real forms (skipped when absent, failed under CI)."""
    return need(CORPUS)


def load_imported(result: ImportResult, name: str = "imported.yaml") -> Loaded:
    """The imported journey written as YAML and read back by the engine (all checks)."""
    return load_text(to_yaml(result, None, source=name), name)


def errors(loaded: Loaded) -> list[str]:
    """The error findings, as readable strings."""
    return [f"{f.line}:{f.column} {f.rule} {f.message}" for f in loaded.findings
            if f.severity == Severity.ERROR]


def import_and_load(path: Path) -> tuple[ImportResult, Loaded]:
    """Import `path` and load the result; fails the test on any error finding."""
    result = import_file(path)
    loaded = load_imported(result, path.stem + ".yaml")
    assert loaded.journey is not None, errors(loaded)
    return result, loaded
