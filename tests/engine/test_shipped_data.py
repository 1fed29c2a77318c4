"""The JSON files the engine reads are the exact translations of the YAML written by hand."""

from __future__ import annotations

import json

import pytest
import yaml

from designer import shipped_data
from designer.check_messages import catalogue
from designer.jargon import SHIPPED, _read, _shipped


@pytest.mark.parametrize("name", shipped_data.TRANSLATED)
def test_each_json_file_is_the_translation_of_its_yaml(name: str) -> None:
    assert name not in shipped_data.stale(), (
        f"designer/data/{name}.json is stale: run `python -m designer.shipped_data`")
    written = yaml.load((shipped_data.DATA / f"{name}.yaml").read_text("utf-8"),
                        Loader=yaml.CSafeLoader)
    assert shipped_data.read(name) == written


def test_the_engine_reads_what_the_yaml_says() -> None:
    # The catalogue and the shipped lexicon as the engine holds them, against the YAML read
    # the slow way: a change to one without the other is caught here too.
    written = yaml.safe_load((shipped_data.DATA / "check_messages.yaml").read_text("utf-8"))
    assert set(catalogue()) == set(written)
    assert all(catalogue()[k] == {lang: str(t) for lang, t in v.items()}
               for k, v in written.items())
    assert list(_shipped()) == _read(SHIPPED)


def test_a_stale_translation_is_found_and_rewritten(tmp_path, monkeypatch) -> None:
    for name in shipped_data.TRANSLATED:
        (tmp_path / f"{name}.yaml").write_text(
            (shipped_data.DATA / f"{name}.yaml").read_text("utf-8"), "utf-8")
        (tmp_path / f"{name}.json").write_text(
            (shipped_data.DATA / f"{name}.json").read_text("utf-8"), "utf-8")
    monkeypatch.setattr(shipped_data, "DATA", tmp_path)
    assert shipped_data.stale() == []
    with (tmp_path / "lexicon.yaml").open("a", encoding="utf-8") as f:
        f.write("\n# a comment changes nothing\n")
    assert shipped_data.stale() == []
    (tmp_path / "check_messages.json").unlink()
    data = json.loads(shipped_data.translation("lexicon"))
    data["version"] = 999
    (tmp_path / "lexicon.json").write_text(json.dumps(data), "utf-8")
    assert shipped_data.stale() == ["check_messages", "lexicon"]
    assert shipped_data.main() == 0
    assert shipped_data.stale() == []
