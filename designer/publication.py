"""The publication workflow of a folder of journeys: draft → ready for review → published.

A folder **uses the workflow** when it holds a ``.parcours/`` folder; ``parcours serve``
then serves the published version of each journey, never the file being edited. The
state is plain files beside the journeys, made for ``git`` (docs/publication.md)::

    journeys/
      voirie.yaml                       the draft: the file designers edit
      .parcours/
        voirie.yaml                     the published version, byte for byte
        voirie.yaml.state.json          when it was published, what is in review

The state file holds the SHA-256 and the time of the published version (or the time it
was taken offline) and, while a version waits for review, the SHA-256 and time of that
version: the status is derived
from them and the draft's content, never stored apart from them (a draft edited after it
was submitted is a draft again; a draft equal to its published version is published).
Publishing (and submitting for review) is refused while ``parcours check`` finds an
error; every write is atomic (a temporary file renamed over the old one).
"""

from __future__ import annotations

import datetime
import enum
import hashlib
import json
import os
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from designer.findings import Finding, Severity
from designer.loading import Loaded

#: The folder of the workflow, beside the journeys.
WORKFLOW_DIR = ".parcours"


class Status(enum.StrEnum):
    """Where a journey stands."""

    DRAFT = "draft"
    REVIEW = "review"
    PUBLISHED = "published"


class PublicationError(Exception):
    """A transition that cannot be made; ``findings``: the errors that prevent it."""

    def __init__(self, message: str, findings: list[Finding] | None = None) -> None:
        super().__init__(message)
        self.findings = findings or []


def digest(data: bytes) -> str:
    """The version stamp of a file's content."""
    return hashlib.sha256(data).hexdigest()


def write_atomically(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` so that a reader sees the old file or the new one, never
    half of it (a temporary file in the same folder, then ``os.replace``); the file's
    permissions are kept."""
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.chmod(tmp, path.stat().st_mode & 0o777 if path.exists() else 0o644)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def folder_journeys(folder: Path) -> list[Path]:
    """The journeys of one folder, as `parcours serve` finds them (not below it)."""
    from designer.files import is_cases_file, is_organisation_file

    return sorted(
        f
        for f in folder.iterdir()
        if f.suffix in (".yaml", ".yml")
        and f.is_file()
        and not is_cases_file(f)
        and not is_organisation_file(f)
    )


def uses_workflow(folder: Path) -> bool:
    """Whether the journeys of ``folder`` go through the workflow."""
    return (folder / WORKFLOW_DIR).is_dir()


def published_copy(journey: Path) -> Path:
    """Where the published version of a journey file lies."""
    return journey.parent / WORKFLOW_DIR / journey.name


def state_file(journey: Path) -> Path:
    """The state of a journey's publication."""
    return journey.parent / WORKFLOW_DIR / f"{journey.name}.state.json"


@dataclass
class Publication:
    """A journey's place in the workflow."""

    journey: Path
    workflow: bool
    status: Status
    published_at: str | None = None
    submitted_at: str | None = None
    #: When its published version was taken offline (``unpublish``), until it is published again.
    unpublished_at: str | None = None
    #: A version was submitted, then the draft changed: the review no longer applies.
    changed_since_submitted: bool = False
    #: The draft differs from the published version (unpublished changes).
    unpublished_changes: bool = False
    state: dict[str, str] = field(default_factory=dict)

    @property
    def has_published(self) -> bool:
        """Whether a published version exists (what ``parcours serve`` serves)."""
        return published_copy(self.journey).is_file()


def _read_state(journey: Path) -> dict[str, str]:
    try:
        data = json.loads(state_file(journey).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return {k: v for k, v in data.items() if isinstance(v, str)} if isinstance(data, dict) else {}


def _write_state(journey: Path, state: dict[str, str]) -> None:
    # Sorted keys, one per line, a final newline: a change is a one- or two-line diff.
    text = json.dumps(state, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
    write_atomically(state_file(journey), text.encode("utf-8"))


def status(journey: Path) -> Publication:
    """Where ``journey`` stands (a folder without the workflow: always a draft)."""
    if not uses_workflow(journey.parent):
        return Publication(journey, False, Status.DRAFT)
    state = _read_state(journey)
    try:
        current = digest(journey.read_bytes())
    except OSError:
        current = ""
    copy = published_copy(journey)
    published = digest(copy.read_bytes()) if copy.is_file() else None
    out = Publication(
        journey,
        True,
        Status.DRAFT,
        published_at=state.get("published_at"),
        submitted_at=state.get("submitted_at"),
        unpublished_at=state.get("unpublished_at"),
        state=state,
    )
    out.unpublished_changes = published is not None and published != current
    if published == current:
        out.status = Status.PUBLISHED
    elif state.get("submitted_sha256") == current:
        out.status = Status.REVIEW
    elif "submitted_sha256" in state:
        out.changed_since_submitted = True
    return out


def _now() -> str:
    return datetime.datetime.now(datetime.UTC).replace(microsecond=0).isoformat()


def _default_check(path: Path) -> Loaded:
    from designer.loading import load_journey

    return load_journey(path)


Check = Callable[[Path], Loaded]


def _refuse_errors(journey: Path, check: Check, doing: str) -> None:
    loaded = check(journey)
    errors = [f for f in loaded.findings if f.severity is Severity.ERROR]
    if loaded.journey is None or errors:
        raise PublicationError(
            f"{journey.name}: cannot {doing}: `parcours check` finds {len(errors)} error(s)", errors
        )


def _in_workflow(journey: Path) -> None:
    if not journey.is_file():
        raise PublicationError(f"{journey}: no such journey file")
    if not uses_workflow(journey.parent):
        raise PublicationError(
            f"{journey.parent}: this folder does not use the publication workflow "
            f"(`parcours publish --adopt {journey.parent}` turns it on)"
        )


def submit(journey: Path, check: Check = _default_check) -> Publication:
    """Draft → ready for review: the journey's current text is the version to review."""
    _in_workflow(journey)
    current = status(journey)
    if current.status is not Status.DRAFT:
        raise PublicationError(f"{journey.name}: already {current.status.value}")
    _refuse_errors(journey, check, "submit it for review")
    state = dict(current.state)
    state.update(submitted_sha256=digest(journey.read_bytes()), submitted_at=_now())
    _write_state(journey, state)
    return status(journey)


def withdraw(journey: Path) -> Publication:
    """Ready for review → draft (the reviewer asks for changes, or the designer takes it
    back)."""
    _in_workflow(journey)
    state = _read_state(journey)
    if "submitted_sha256" not in state:
        raise PublicationError(f"{journey.name}: not submitted for review")
    state.pop("submitted_sha256")
    state.pop("submitted_at", None)
    _write_state(journey, state)
    return status(journey)


def publish(
    journey: Path,
    *,
    reviewed: str | None = None,
    require_review: bool = True,
    check: Check = _default_check,
) -> Publication:
    """Ready for review → published: the reviewed text becomes the served version.

    ``reviewed``: the SHA-256 of the text the reviewer saw (refused when the file changed
    since); ``require_review``: only a version submitted for review is published (the
    command line lets its user be the reviewer). Refused while `check` finds an error."""
    _in_workflow(journey)
    current = status(journey)
    data = journey.read_bytes()
    if reviewed is not None and digest(data) != reviewed:
        raise PublicationError(f"{journey.name}: the file changed since it was reviewed")
    if current.status is Status.PUBLISHED:
        raise PublicationError(f"{journey.name}: this version is already published")
    if require_review and current.status is not Status.REVIEW:
        raise PublicationError(f"{journey.name}: submit it for review first")
    # Checked again: what lies beside it (the organisation's services) may have changed.
    _refuse_errors(journey, check, "publish it")
    write_atomically(published_copy(journey), data)
    state = {
        k: v
        for k, v in current.state.items()
        if not k.startswith("submitted_") and k != "unpublished_at"
    }
    state.update(published_sha256=digest(data), published_at=_now())
    _write_state(journey, state)
    return status(journey)


def unpublish(journey: Path) -> Publication:
    """Published → offline: the published copy is removed, so that ``parcours serve`` no
    longer serves the journey (a procedure that closes, or a version to take back at once).

    The draft and a version waiting for review are kept; the state says when it was taken
    offline (``unpublished_at``) until it is published again. Citizens cannot start it any
    more, nor send a draft they started on it (docs/publication.md)."""
    _in_workflow(journey)
    copy = published_copy(journey)
    if not copy.is_file():
        raise PublicationError(f"{journey.name}: not published")
    state = {k: v for k, v in _read_state(journey).items() if not k.startswith("published_")}
    state["unpublished_at"] = _now()
    # The state first: a crash between the two leaves the journey served, as it was, and
    # `unpublish` run again finishes the job.
    _write_state(journey, state)
    copy.unlink()
    return status(journey)


def adopt(folder: Path, check: Check = _default_check) -> list[tuple[Path, list[Finding]]]:
    """Turn the workflow on in ``folder``: each of its journeys without error is
    published as it is, so that what `parcours serve` served before stays served; the
    journeys left as drafts, with their errors."""
    if uses_workflow(folder):
        raise PublicationError(f"{folder}: already uses the publication workflow")
    (folder / WORKFLOW_DIR).mkdir()
    drafts: list[tuple[Path, list[Finding]]] = []
    for journey in folder_journeys(folder):
        try:
            publish(journey, require_review=False, check=check)
        except PublicationError as exc:
            drafts.append((journey, exc.findings))
    return drafts
