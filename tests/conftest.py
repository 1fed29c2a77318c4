"""Under CI, a skipped test is a failed one.

Tests skip on a developer's machine that lacks a part of this machine kind (Chromium,
axe-core, PostgreSQL, Redis, graphviz, network namespaces, the shared folder). CI runs on a
machine that has them all, installed by `.ci/run`: there a skip means a part went missing
or a test set-up broke, and a suite that passes by skipping proves nothing. So with ``CI``
set in the environment (`.ci/run` sets it), every skip — in a test, or of a whole module
at collection — is reported as a failure that says why it skipped.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

import pytest

#: What a skipped test's failure says under CI.
UNDER_CI = ("skipped under CI ({reason}): CI's machine has every part the tests use "
            "(.ci/run installs the rest), so a skip there hides a broken set-up")


def _reason(longrepr: Any) -> str:
    if isinstance(longrepr, tuple) and len(longrepr) == 3:
        return str(longrepr[2]).removeprefix("Skipped: ")
    return str(longrepr)


def _strict() -> bool:
    return bool(os.environ.get("CI"))


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Iterator[None]:
    outcome = yield
    report = outcome.get_result()  # type: ignore[attr-defined]
    if report.skipped and _strict() and not hasattr(report, "wasxfail"):
        report.outcome = "failed"
        report.longrepr = UNDER_CI.format(reason=_reason(report.longrepr))


@pytest.hookimpl(hookwrapper=True)
def pytest_make_collect_report(collector: pytest.Collector) -> Iterator[None]:
    outcome = yield
    report = outcome.get_result()  # type: ignore[attr-defined]
    if report.skipped and _strict():
        report.outcome = "failed"
        report.longrepr = UNDER_CI.format(reason=_reason(report.longrepr))
