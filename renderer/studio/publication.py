"""The studio's publication page of a journey: its state in the workflow (draft → ready for
review → published, :mod:`designer.publication`), and for the reviewer the line diff of the
draft against the published version and the comparison of `parcours diff` between them.

Every transition is a POST with the page's CSRF token; publishing carries the SHA-256 of
the text the reviewer saw and is refused when the file changed since, or while `check`
finds an error (the errors are listed).
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from designer.loading import Loaded
from designer.publication import (
    Publication,
    PublicationError,
    adopt,
    digest,
    publish,
    published_copy,
    status,
    submit,
    unpublish,
    withdraw,
)
from designer.report.model import ComparisonReport
from renderer.studio.diagnostics import check_text, checked_file

#: A diff longer than this is cut (the reviewer can run `git diff` for the rest).
MAX_DIFF_LINES = 3000


@dataclass(frozen=True)
class DiffLine:
    """One line of the unified diff, with its kind (``add``, ``del``, ``hunk``, ``same``)."""

    kind: str
    text: str


def text_diff(old: str, new: str, old_name: str, new_name: str) -> tuple[list[DiffLine], bool]:
    """The unified diff of two texts as lines to draw; whether it was cut."""
    out: list[DiffLine] = []
    lines = difflib.unified_diff(
        old.splitlines(), new.splitlines(), old_name, new_name, lineterm="", n=3
    )
    for i, line in enumerate(lines):
        if i >= MAX_DIFF_LINES:
            return out, True
        if line.startswith(("---", "+++")) and i < 2:
            kind = "file"
        elif line.startswith("@@"):
            kind = "hunk"
        elif line.startswith("+"):
            kind = "add"
        elif line.startswith("-"):
            kind = "del"
        else:
            kind = "same"
        out.append(DiffLine(kind, line))
    return out, False


#: The published versions checked, by file and stamp (the live figures ask at each pause).
_PUBLISHED: dict[tuple[Path, int, int], Loaded] = {}


def published_loaded(journey: Path, relative: str) -> Loaded | None:
    """The published version, checked as the journey it stands for (what lies beside the
    journey, its organisation, is read there); kept until the published copy changes."""
    copy = published_copy(journey)
    try:
        st = copy.stat()
    except OSError:
        return None
    key = (copy, st.st_mtime_ns, st.st_size)
    if key not in _PUBLISHED:
        if len(_PUBLISHED) >= 32:
            _PUBLISHED.clear()
        text = copy.read_text(encoding="utf-8", errors="replace")
        _PUBLISHED[key] = check_text(text, relative, origin=journey)
    return _PUBLISHED[key]


def reference(journey: Path, relative: str, saved: Loaded | None) -> tuple[Loaded | None, str]:
    """What the live figures compare the text with: the published version when there is
    one, else the saved file; with the words of its column."""
    published = published_loaded(journey, relative)
    if published is not None:
        return published, "figures_published"
    return saved, "figures_saved"


def review(journey: Path, relative: str, draft: Loaded, lang: str) -> dict[str, Any]:
    """What the publication page shows: the state, the diff and the comparison."""
    from designer.report.comparison import comparison_of

    state = status(journey)
    raw = journey.read_bytes()
    text = raw.decode("utf-8", errors="replace")
    out: dict[str, Any] = {
        "state": state,
        "reviewed": digest(raw),
        "diff": [],
        "cut": False,
        "comparison": None,
        "errors": [f for f in draft.findings if f.severity.value == "error"],
    }
    if not state.workflow:
        return out
    old = published_loaded(journey, relative)
    old_text = (
        published_copy(journey).read_text(encoding="utf-8", errors="replace")
        if old is not None
        else ""
    )
    out["diff"], out["cut"] = text_diff(
        old_text, text, f"publié/{relative}", f"brouillon/{relative}"
    )
    if old is not None:
        try:
            out["comparison"] = comparison_of(old, draft, lang)
        except Exception:  # the comparison is a help: a report bug must not hide the diff
            out["comparison"] = None
    return out


def comparison_rows(c: ComparisonReport) -> list[tuple[str, Any, Any]]:
    """The comparison's figures, before and after, as the page's table rows."""
    o, n = c.old, c.new
    return [
        ("cmp_questions", o.questions, n.questions),
        ("cmp_documents", o.documents, n.documents),
        ("figures_paths", o.paths, n.paths),
        ("cmp_submitted_questions", o.submitted_questions_median, n.submitted_questions_median),
        ("cmp_submitted_minutes", o.submitted_minutes_median, n.submitted_minutes_median),
        ("figures_dlnuf", o.dlnuf_items, n.dlnuf_items),
        ("cmp_findings", o.findings, n.findings),
        ("col_errors", o.errors, n.errors),
    ]


def transition(journey: Path, action: str, reviewed: str) -> Publication:
    """Make the transition ``action`` asked by the page's form; :class:`PublicationError`
    when it cannot be made."""
    if action == "adopt":
        adopt(journey.parent, check=checked_file)
        return status(journey)
    if action == "submit":
        return submit(journey, check=checked_file)
    if action == "withdraw":
        return withdraw(journey)
    if action == "publish":
        return publish(journey, reviewed=reviewed, check=checked_file)
    if action == "unpublish":
        return unpublish(journey)
    raise PublicationError(f"unknown action {action!r}")
