"""tests/conftest.py: under CI a skip fails, elsewhere it stays a skip."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

SKIPPING = '''
import pytest

def test_needs_a_part():
    pytest.skip("the part is absent")

@pytest.mark.xfail(reason="known")
def test_expected_to_fail():
    assert False

def test_passes():
    assert True
'''

MODULE_SKIP = '''
import pytest
pytest.skip("the module's part is absent", allow_module_level=True)

def test_never_collected():
    assert True
'''


def _run(tmp_path: Path, ci: str | None,
         module: str = SKIPPING) -> subprocess.CompletedProcess[str]:
    shutil.copy(ROOT / "tests" / "conftest.py", tmp_path / "conftest.py")
    (tmp_path / "test_example.py").write_text(module, "utf-8")
    env = {"PATH": "/usr/bin:/bin", "PYTHONDONTWRITEBYTECODE": "1"}
    if ci is not None:
        env["CI"] = ci
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-p", "no:xdist",
         "-p", "no:cov", "-rA", "-o", "addopts=", str(tmp_path)],
        capture_output=True, text=True, cwd=tmp_path, env=env, timeout=120)


def test_a_skip_fails_under_ci(tmp_path: Path) -> None:
    done = _run(tmp_path, "true")
    assert done.returncode == 1, done.stdout
    assert "skipped under CI (the part is absent)" in done.stdout
    # An expected failure stays one; a passing test passes.
    assert "XFAIL" in done.stdout and "PASSED" in done.stdout


def test_a_module_skipped_at_collection_fails_under_ci(tmp_path: Path) -> None:
    done = _run(tmp_path, "true", MODULE_SKIP)
    assert done.returncode != 0, done.stdout
    assert "skipped under CI (the module's part is absent)" in done.stdout


@pytest.mark.parametrize("module", [SKIPPING, MODULE_SKIP])
def test_a_skip_stays_a_skip_elsewhere(tmp_path: Path, module: str) -> None:
    done = _run(tmp_path, None, module)
    # (5: pytest collected no test, the module being skipped whole.)
    assert done.returncode in (0, 5), done.stdout
    assert "SKIPPED" in done.stdout and "skipped under CI" not in done.stdout


def test_an_empty_ci_variable_is_not_ci(tmp_path: Path) -> None:
    assert _run(tmp_path, "").returncode == 0
