"""The publication workflow (designer/publication.py) and `parcours publish`: the state
transitions draft → ready for review → published, the refusal while `check` finds an
error, the files beside the journeys, and `parcours check` leaving the published copies
alone."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from designer.cli import main
from designer.publication import (
    PublicationError,
    Status,
    adopt,
    digest,
    publish,
    published_copy,
    state_file,
    status,
    submit,
    unpublish,
    withdraw,
)

ROOT = Path(__file__).resolve().parents[2]
VOIRIE = ROOT / "journeys" / "signalement-voirie.yaml"
QUESTION = "Quel est le problème ?"


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    root = tmp_path / "journeys"
    root.mkdir()
    shutil.copy(VOIRIE, root / "voirie.yaml")
    shutil.copy(VOIRIE.parent / "organisation.yaml", root / "organisation.yaml")
    return root


def _edit(journey: Path, old: str, new: str) -> None:
    text = journey.read_text(encoding="utf-8")
    assert old in text
    journey.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_a_folder_without_the_workflow_is_all_drafts_and_refuses_transitions(folder: Path) -> None:
    journey = folder / "voirie.yaml"
    p = status(journey)
    assert (p.workflow, p.status, p.has_published) == (False, Status.DRAFT, False)
    for transition in (submit, withdraw, publish):
        with pytest.raises(PublicationError, match="does not use the publication workflow"):
            transition(journey)
    assert not (folder / ".parcours").exists()


def test_adopting_publishes_the_clean_journeys_as_they_are(folder: Path) -> None:
    (folder / "cassee.yaml").write_text("parcours: 1\nid: [\n", encoding="utf-8")
    drafts = adopt(folder)
    assert [(f.name, [e.rule for e in errors]) for f, errors in drafts] == [
        ("cassee.yaml", ["yaml-syntax"])
    ]
    journey = folder / "voirie.yaml"
    assert published_copy(journey).read_bytes() == journey.read_bytes()
    assert status(journey).status is Status.PUBLISHED
    assert status(folder / "cassee.yaml").status is Status.DRAFT
    assert not published_copy(folder / "cassee.yaml").exists()
    with pytest.raises(PublicationError, match="already uses"):
        adopt(folder)


def test_draft_then_review_then_published(folder: Path) -> None:
    journey = folder / "voirie.yaml"
    adopt(folder)
    before = published_copy(journey).read_bytes()
    _edit(journey, QUESTION, "Quel est le souci ?")
    p = status(journey)
    assert (p.status, p.unpublished_changes) == (Status.DRAFT, True)
    with pytest.raises(PublicationError, match="submit it for review first"):
        publish(journey)
    p = submit(journey)
    assert p.status is Status.REVIEW and p.submitted_at
    with pytest.raises(PublicationError, match="already review"):
        submit(journey)
    state = json.loads(state_file(journey).read_text(encoding="utf-8"))
    assert state["submitted_sha256"] == digest(journey.read_bytes())
    # The published copy is untouched until the reviewer publishes.
    assert published_copy(journey).read_bytes() == before
    # The reviewer saw another text: refused.
    with pytest.raises(PublicationError, match="changed since it was reviewed"):
        publish(journey, reviewed=digest(b"another text"))
    p = publish(journey, reviewed=digest(journey.read_bytes()))
    assert (p.status, p.unpublished_changes) == (Status.PUBLISHED, False)
    assert published_copy(journey).read_bytes() == journey.read_bytes()
    state = json.loads(state_file(journey).read_text(encoding="utf-8"))
    assert sorted(state) == ["published_at", "published_sha256"]
    with pytest.raises(PublicationError, match="already published"):
        publish(journey)


def test_an_edit_after_submission_makes_a_draft_again_and_withdraw_goes_back(folder: Path) -> None:
    journey = folder / "voirie.yaml"
    adopt(folder)
    _edit(journey, QUESTION, "Quel est le souci ?")
    submit(journey)
    _edit(journey, "Quel est le souci ?", "Quel est le gros souci ?")
    p = status(journey)
    assert (p.status, p.changed_since_submitted) == (Status.DRAFT, True)
    with pytest.raises(PublicationError, match="submit it for review first"):
        publish(journey)
    p = submit(journey)
    assert p.status is Status.REVIEW
    p = withdraw(journey)
    assert (p.status, p.changed_since_submitted) == (Status.DRAFT, False)
    with pytest.raises(PublicationError, match="not submitted"):
        withdraw(journey)


def test_publishing_and_submitting_are_refused_with_the_errors(folder: Path) -> None:
    journey = folder / "voirie.yaml"
    adopt(folder)
    published = published_copy(journey).read_bytes()
    _edit(journey, "- goto: probleme", "- goto: problme")
    for transition in (submit, lambda j: publish(j, require_review=False)):
        with pytest.raises(PublicationError, match=r"finds 1 error\(s\)") as refused:
            transition(journey)
        [error] = refused.value.findings
        assert error.rule == "unknown-target" and "problme" in error.message
    assert published_copy(journey).read_bytes() == published
    assert status(journey).status is Status.DRAFT


def test_a_change_beside_the_journey_after_review_is_checked_again(folder: Path) -> None:
    journey = folder / "voirie.yaml"
    adopt(folder)
    _edit(journey, QUESTION, "Quel est le souci ?")
    submit(journey)
    # The organisation loses a service the journey's routing names.
    _edit(folder / "organisation.yaml", "  eclairage:", "  eclairage_public:")
    with pytest.raises(PublicationError) as refused:
        publish(journey)
    assert {f.rule for f in refused.value.findings} == {"unknown-service"}
    assert status(journey).status is Status.REVIEW


def test_the_command_line_walks_the_workflow(
    folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    journey = folder / "voirie.yaml"
    assert main(["publish", str(journey)]) == 1
    assert "publish --adopt" in capsys.readouterr().err
    assert main(["publish", "--adopt", str(journey)]) == 2  # a folder is expected
    assert main(["publish", "--adopt", str(folder)]) == 0
    assert "uses the publication workflow now" in capsys.readouterr().out
    _edit(journey, QUESTION, "Quel est le souci ?")
    assert main(["publish", "--status", str(folder)]) == 0
    assert (
        capsys.readouterr()
        .out.strip()
        .endswith(
            f"draft; published version of {status(journey).published_at}, with unpublished changes"
        )
    )
    assert main(["publish", "--submit", str(journey)]) == 0
    assert ": ready for review;" in capsys.readouterr().out
    assert main(["publish", "--withdraw", str(journey)]) == 0
    assert ": draft;" in capsys.readouterr().out
    _edit(journey, "- goto: probleme", "- goto: problme")
    assert main(["publish", str(journey)]) == 1
    err = capsys.readouterr().err
    assert "cannot publish it: `parcours check` finds 1 error(s)" in err
    assert ": unknown-target: 'problme' is neither a step nor an outcome" in err
    assert QUESTION in published_copy(journey).read_text(encoding="utf-8")
    _edit(journey, "- goto: problme", "- goto: probleme")
    # The command's user is the reviewer: it publishes a draft directly.
    assert main(["publish", str(journey)]) == 0
    assert ": published;" in capsys.readouterr().out
    assert "Quel est le souci ?" in published_copy(journey).read_text(encoding="utf-8")
    assert main(["publish", str(folder / "nothing.yaml")]) == 2


def test_check_leaves_the_published_copies_alone(
    folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    adopt(folder)
    assert main(["check", str(folder)]) == 0
    out = capsys.readouterr().out
    # The journey and its organisation file, not the copy (no duplicate id with it).
    assert "2 file(s) checked (journeys and organisation)" in out
    assert ".parcours" not in out and "duplicate-id" not in out


def test_unpublishing_takes_the_journey_offline_and_keeps_the_draft(
    folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    journey = folder / "voirie.yaml"
    with pytest.raises(PublicationError, match="does not use the publication workflow"):
        unpublish(journey)
    adopt(folder)
    _edit(journey, QUESTION, "Quel est le souci ?")
    submit(journey)
    draft = journey.read_bytes()
    after = unpublish(journey)
    assert not published_copy(journey).exists()
    assert not after.has_published and after.unpublished_at is not None
    # The draft and the version waiting for review are kept.
    assert journey.read_bytes() == draft and after.status is Status.REVIEW
    state = json.loads(state_file(journey).read_text(encoding="utf-8"))
    assert set(state) == {"submitted_at", "submitted_sha256", "unpublished_at"}
    with pytest.raises(PublicationError, match="not published"):
        unpublish(journey)
    # Published again: online, and the state no longer says it was taken offline.
    again = publish(journey)
    assert again.status is Status.PUBLISHED and again.unpublished_at is None
    assert "unpublished_at" not in json.loads(state_file(journey).read_text(encoding="utf-8"))
    # From the command line.
    assert main(["publish", "--unpublish", str(journey)]) == 0
    assert f"; offline since {status(journey).unpublished_at} (unpublished)" in (
        capsys.readouterr().out
    )
    assert main(["publish", "--unpublish", str(journey)]) == 1
    assert "not published" in capsys.readouterr().err
    assert main(["publish", "--unpublish", str(folder)]) == 2  # a journey file is expected
