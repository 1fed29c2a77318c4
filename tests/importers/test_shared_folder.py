"""The shared folder's absence fails the tests under CI instead of skipping them."""

from __future__ import annotations

from pathlib import Path

import pytest
from sharedfolder import need


def test_missing_shared_file_fails_under_ci(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="missing"):
        need(tmp_path / "corpus")


def test_missing_shared_file_skips_on_a_developer_machine(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("CI", raising=False)
    with pytest.raises(pytest.skip.Exception):
        need(tmp_path / "corpus")


def test_present_shared_file_is_returned(tmp_path: Path) -> None:
    assert need(tmp_path) == tmp_path
