"""Small pieces of the renderer: Markdown subset, messages, exports, field names."""

from __future__ import annotations

import argparse
import csv
import io
import json
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from renderer import markdown
from renderer.app import create_app
from renderer.cli import add_export_arguments, add_serve_arguments, run_export, to_csv
from renderer.i18n import LANGUAGES, MESSAGES

from .test_app import DEMO, Citizen


@pytest.mark.parametrize(
    ("text", "html"),
    [
        ("**gras** et *penché*", "<p><strong>gras</strong> et <em>penché</em></p>"),
        ("[site](https://a.example/x?y=1&z=2)",
         '<p><a href="https://a.example/x?y=1&amp;z=2">site</a></p>'),
        ("[mail](mailto:a@b.example)", '<p><a href="mailto:a@b.example">mail</a></p>'),
        ("[danger](javascript:alert`1`)", "<p>danger</p>"),
        ('[x](https://a.example/"onmouseover=alert(1))',
         '<p><a href="https://a.example/&#34;onmouseover=alert(1">x</a>)</p>'),
        ("<script>alert(1)</script>", "<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>"),
        ("- un\n- deux\n\nfin", "<ul><li>un</li><li>deux</li></ul><p>fin</p>"),
        ("1. a\n2. b", "<ol><li>a</li><li>b</li></ol>"),
        ("snake_case_name", "<p>snake_case_name</p>"),
    ],
)
def test_markdown_subset_is_safe(text: str, html: str) -> None:
    assert str(markdown.render(text)) == html


def test_every_message_in_both_languages() -> None:
    for key, entry in MESSAGES.items():
        for lang in LANGUAGES:
            assert entry.get(lang), f"{key} has no {lang}"
        placeholders = {
            lang: sorted(p.split("}")[0] for p in entry[lang].split("{")[1:]) for lang in LANGUAGES
        }
        assert placeholders["fr"] == placeholders["en"], key


def test_cli_arguments() -> None:
    parser = argparse.ArgumentParser()
    add_serve_arguments(parser)
    args = parser.parse_args(["journeys", "--port", "9000", "--db", "sqlite:///x.db", "--reload",
                              "--workers", "3"])
    # Options left out are None: the file and the environment (renderer.config) decide.
    assert (args.path, args.port, args.db, args.reload, args.host, args.workers) == (
        "journeys", 9000, "sqlite:///x.db", True, None, 3)


def test_export_csv_and_json(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'p.db'}"
    app = create_app([DEMO], db_url=url)
    citizen = Citizen(TestClient(app))
    citizen.start()
    citizen.identity()
    citizen.details(**{"personnes-0-prenom": "=HYPERLINK(\"http://evil\")"})
    token = citizen.csrf("/demo/check")
    citizen.client.post("/demo/check", data={"csrf_token": token})
    parser = argparse.ArgumentParser()
    add_export_arguments(parser)
    out = io.StringIO()
    assert run_export(parser.parse_args(["--journey", "demo", "--db", url]), out=out) == 0
    rows = json.loads(out.getvalue())
    assert len(rows) == 1 and rows[0]["answers"]["naissance"] == "1985-05-12"
    assert rows[0]["outcome"] == "envoi" and len(rows[0]["reference"]) == 9
    out = io.StringIO()
    assert run_export(parser.parse_args(["--journey", "demo", "--db", url, "--format", "csv"]),
                      out=out) == 0
    table = list(csv.DictReader(io.StringIO(out.getvalue())))
    assert table[0]["nom"] == "Martin" and table[0]["besoins"] == "aide;conseil"
    assert table[0]["adresse.commune"] == "Paris"
    assert table[0]["personnes.0.prenom"].startswith("'=")  # no formula in a spreadsheet
    err = io.StringIO()
    assert run_export(parser.parse_args(["--journey", "demo", "--db", "mysql://x"]),
                      err=err) == 2
    assert "unsupported database URL" in err.getvalue()


def test_csv_of_nothing() -> None:
    assert to_csv([]) == "\n" or to_csv([]) == ""


def test_refused_journeys_are_reported(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("parcours: 1\nid: bad\n", encoding="utf-8")
    app = create_app([DEMO, bad], db_url=f"sqlite:///{tmp_path / 'p.db'}")
    catalog = app.state.parcours.catalog
    assert list(catalog.entries) == ["demo"]
    assert catalog.refused and catalog.refused[0].file == str(bad)
    assert any("bad.yaml" in reason for reason in catalog.refused[0].reasons)


def test_a_journey_named_like_a_server_path_is_refused_with_the_reason(tmp_path: Path) -> None:
    # /static/ serves the assets: a journey with that id could never be reached.
    clash = tmp_path / "static.yaml"
    clash.write_text(DEMO.read_text(encoding="utf-8").replace("id: demo", "id: static", 1),
                     encoding="utf-8")  # fmt: skip
    app = create_app([DEMO, clash], db_url=f"sqlite:///{tmp_path / 'p.db'}")
    catalog = app.state.parcours.catalog
    assert list(catalog.entries) == ["demo"]
    assert [r.file for r in catalog.refused] == [str(clash)]
    assert "id 'static' is reserved by the server" in catalog.refused[0].reasons[0]
