"""The imported DLUHC CORE form is served by the citizen's application (`parcours serve`)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from designer.importers import import_file
from designer.importers.writer import to_yaml

from .conftest import CORPUS


def _hidden(html: str) -> dict[str, Any]:
    return dict(re.findall(r'<input[^>]*type="hidden"[^>]*name="([^"]+)"[^>]*value="([^"]*)"',
                           html))


def test_core_import_renders_and_routes(tmp_path: Path) -> None:
    source = CORPUS / "dluhc-core" / "2022_2023.json"
    if not source.is_file():
        pytest.skip("the shared corpus is not available")
    pytest.importorskip("renderer.app")
    from starlette.testclient import TestClient

    from renderer.app import create_app

    journey = tmp_path / "core.yaml"
    journey.write_text(to_yaml(import_file(source), journey), encoding="utf-8")
    client = TestClient(create_app([journey], db_url=f"sqlite:///{tmp_path / 'serve.db'}"))
    home = client.get("/")
    assert home.status_code == 200 and "CORE lettings log" in home.text
    start = client.get("/core-lettings-2022-2023/")
    assert start.status_code == 200
    page = client.post("/core-lettings-2022-2023/start", data=_hidden(start.text))
    assert page.status_code == 200 and page.url.path.endswith("/q/setup")
    data = _hidden(page.text) | {"renewal": "0", "needstype": "1",
                                 "owning_organisation_provider_type": "LA"}
    after = client.post(str(page.url), data=data)
    assert after.status_code == 200
    assert after.url.path.endswith("/q/property_postcode")
    assert "postcode" in after.text
