"""Keying a paper form at the desk: the fields of every page of a journey posted at once,
validated by the run as the online pages are, in the paper form's numbering.

The paper form (:mod:`designer.paper.layout`) numbers the questions in reading order; the
keying screen shows them in that order under those numbers. What is kept is decided by the
engine alone: the run is walked page by page from the start (:meth:`designer.run.Run.
answer_page` on each page it reaches, with the fields of that page parsed by the answer
codec, :func:`designer.answers.parse_page`), so an answer written on the paper to a question
its routing skips is never stored, and an error stops the walk at its question, as it would
stop the citizen online. File questions are ticked "joint" when the document is in the scan
of the paper form, whose stored file then answers them.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from designer.answers import parse_page, without_blank_items
from designer.compiled import CompiledJourney
from designer.paper.layout import PaperForm
from designer.run import FieldError, Run

#: The value of a file question's box when the document is in the scan.
ATTACHED = "joint"


@dataclass
class Keyed:
    """What the run made of a keyed paper form: the answers it keeps and its end, or the
    errors that stopped it (each with the paper's number of its question)."""

    run: Run
    errors: list[FieldError] = field(default_factory=list)
    #: Every page's fields as typed (parsed by the codec), to show the screen again.
    raw: dict[str, Any] = field(default_factory=dict)

    @property
    def outcome(self) -> str | None:
        """The end the answers lead to (None: stopped by an error)."""
        return None if self.errors else self.run.outcome


def numbers(paper: PaperForm) -> dict[str, str]:
    """Each question's number on the paper (``"7"``, ``"7.2"`` in a repeat's block)."""
    found: dict[str, str] = {}
    for part in paper.parts:
        for pq in part.questions:
            for printed in (pq, *pq.items):
                if printed.number:
                    found[printed.info.id] = printed.number
    return found


def _page_fields(
    journey: CompiledJourney, step: str, form: Any, scan: Mapping[str, Any] | None
) -> dict[str, Any]:
    raw, _uploads = parse_page(journey, step, form)
    for q in journey.step_questions(step):
        if q.type == "file":
            raw[q.id] = dict(scan) if scan is not None and form.get(q.id) == ATTACHED else None
    return raw


def key(
    journey: CompiledJourney, form: Any, today: datetime.date, scan: Mapping[str, Any] | None = None
) -> Keyed:
    """Walk the run over the posted fields of every page; ``scan``: the stored file's
    reference answering the file questions ticked as attached (None before it is stored:
    validation only)."""
    run = Run(journey, {}, today=today)
    keyed = Keyed(run)
    for step in journey.steps:
        keyed.raw.update(_page_fields(journey, step, form, scan))
    for _ in range(len(journey.steps) + 1):  # each page once at most: the graph is acyclic
        current = run.current
        if current is None or current not in journey.steps:
            break
        step = current
        raw = _page_fields(journey, step, form, scan)
        without_blank_items(journey, step, raw, {})
        result = run.answer_page(step, raw)
        if result.errors:
            keyed.errors = result.errors
            break
        if run.current == step:  # pragma: no cover - an accepted page is complete
            break
    return keyed
