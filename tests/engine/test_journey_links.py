"""An outcome's link may lead to a journey served by the same service, by its id."""

from __future__ import annotations

from pathlib import Path

from designer.check import check_paths
from designer.loading import load_text

JOURNEY = """\
parcours: 1
id: {id}
title: Essai
organisation: Ville
start: a
steps:
  a:
    title: A
    questions:
      pour_moi: {{type: yesno, label: La demande est-elle pour vous ?}}
    next:
      - goto: autre
        when: not pour_moi
      - goto: fin
outcomes:
  fin: {{kind: submit, title: Fin}}
  autre:
    kind: exit
    title: Recommencez pour un proche
    link:
      label: Faire la demande pour un proche
{link}
"""


def write(folder: Path, jid: str, link: str) -> Path:
    path = folder / f"{jid}.yaml"
    path.write_text(JOURNEY.format(id=jid, link=link), encoding="utf-8")
    return path


def test_a_link_to_this_or_another_served_journey(tmp_path: Path) -> None:
    write(tmp_path, "un", "      journey: deux")
    write(tmp_path, "deux", "      journey: deux")  # its own start page
    assert check_paths([tmp_path]).all_findings == []


def test_a_link_to_a_journey_not_served_with_it(tmp_path: Path) -> None:
    path = write(tmp_path, "un", "      journey: trois")
    found = check_paths([tmp_path]).all_findings
    assert [(f.rule, f.line) for f in found] == [("unknown-target", 22)]
    assert found[0].file == str(path)
    assert "'trois'" in found[0].message
    assert "« trois »" in found[0].text("fr")


def test_a_link_leads_to_one_place() -> None:
    both = JOURNEY.format(id="un", link="      journey: un\n      url: https://example.fr")
    found = load_text(both, "un.yaml").findings
    assert [f.rule for f in found] == ["schema"]
    assert found[0].message == "'link': a link leads to one place: give `url` or `journey`"
    assert found[0].text("fr").startswith("« link » : un lien mène à un seul endroit")
    neither = JOURNEY.format(id="un", link="")
    assert [f.rule for f in load_text(neither, "un.yaml").findings] == ["schema"]
