"""The imported DLUHC CORE form is served by the citizen's application (`parcours serve`)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from sharedfolder import need

from designer.importers import import_file
from designer.importers.writer import to_yaml

from .conftest import CORPUS, load_imported


def _hidden(html: str) -> dict[str, Any]:
    return dict(re.findall(r'<input[^>]*type="hidden"[^>]*name="([^"]+)"[^>]*value="([^"]*)"',
                           html))


def test_core_import_renders_and_routes(tmp_path: Path) -> None:
    """Setup, the first pages, and a soft validation: shown, refusing No, accepting Yes."""
    source = CORPUS / "dluhc-core" / "2022_2023.json"
    need(source)
    pytest.importorskip("renderer.app")
    from starlette.testclient import TestClient

    from renderer.app import create_app

    journey = tmp_path / "core.yaml"
    result = import_file(source)
    journey.write_text(to_yaml(result, journey), encoding="utf-8")
    client = TestClient(create_app([journey], db_url=f"sqlite:///{tmp_path / 'serve.db'}"))
    home = client.get("/")
    assert home.status_code == 200 and "CORE lettings log" in home.text
    start = client.get("/core-lettings-2022-2023/")
    assert start.status_code == 200
    page = client.post("/core-lettings-2022-2023/start", data=_hidden(start.text))
    assert page.status_code == 200 and page.url.path.endswith("/q/setup")
    data = _hidden(page.text) | {"renewal": "0", "needstype": "1",
                                 "owning_organisation_provider_type": "LA",
                                 "startdate-day": "1", "startdate-month": "6",
                                 "startdate-year": "2022"}
    after = client.post(str(page.url), data=data)
    assert after.status_code == 200
    assert after.url.path.endswith("/q/property_postcode")
    assert "postcode" in after.text

    # On to the void date: two years and more before the start date asks "are you sure?".
    journey_model = load_imported(result).journey
    assert journey_model is not None
    wanted = {"first_time_property_let_as_social_housing": "0", "rsnvac": "5",
              "voiddate": ("1", "1", "2018")}
    page = after
    for _ in range(30):
        step = page.url.path.rsplit("/", 1)[-1]
        if step == "void_date_value_check_page":
            break
        data = _hidden(page.text)
        for q in journey_model.step_questions(step):
            value = wanted.get(q.id)
            if q.type == "date":
                day, month, year = value or ("1", "1", "2022")
                data |= {f"{q.id}-day": day, f"{q.id}-month": month, f"{q.id}-year": year}
            elif q.options:
                data[q.id] = value or next(iter(q.options))
            elif q.type in ("integer", "decimal"):
                data[q.id] = str(q.min if q.min is not None else 1)
            else:
                data[q.id] = "x"
        moved = client.post(str(page.url), data=data)
        assert moved.status_code == 200 and moved.url != page.url or "part=" in str(moved.url)
        page = moved
    assert page.url.path.endswith("/q/void_date_value_check_page"), page.url
    assert "Are you sure the property has been vacant for this long?" in page.text
    assert "Void date" in page.text and "Tenancy start date" in page.text
    refused = client.post(str(page.url), data=_hidden(page.text) | {"void_date_value_check": "1"})
    assert refused.url.path.endswith("/q/void_date_value_check_page")
    assert "Go back and change the answers listed on this page" in refused.text
    confirmed = client.post(str(page.url),
                            data=_hidden(page.text) | {"void_date_value_check": "0"})
    assert confirmed.url.path.endswith("/q/property_major_repairs")
