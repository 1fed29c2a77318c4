"""Keying a paper form at the desk: the fields of every page of a journey posted at once,
validated by the run as the online pages are, in the paper form's numbering.

The paper form (:mod:`designer.paper.layout`) numbers the questions in reading order; the
keying screen shows them in that order under those numbers. What is kept is decided by the
engine alone: the run is walked page by page from the start (:meth:`designer.run.Run.
answer_page` on each page it reaches, with the fields of that page parsed by the answer
codec, :func:`designer.answers.parse_page`), so an answer written on the paper to a question
its routing skips is never stored, and an error stops the walk at its question, as it would
stop the citizen online. File questions, in a repeat's blocks too, are ticked "joint" when the
document is in the scan of the paper form, whose stored file then answers them; a tick for a
block the post does not hold (:func:`stray_ticks`) refuses the whole post, and a tick for a
question the run does not ask is unticked and shown to the agent (:func:`untick_unasked`).
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from designer.answers import item_count, parse_page, without_blank_items
from designer.compiled import CompiledJourney, QuestionInfo
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


def _ticked(form: Any, name: str, scan: Mapping[str, Any] | None) -> dict[str, Any] | None:
    """A file question's answer from its box ``name``: the scan when ticked, else none."""
    return dict(scan) if scan is not None and form.get(name) == ATTACHED else None


def _page_fields(
    journey: CompiledJourney, step: str, form: Any, scan: Mapping[str, Any] | None
) -> dict[str, Any]:
    raw, _uploads = parse_page(journey, step, form)
    for q in journey.step_questions(step):
        if q.type == "file":
            raw[q.id] = _ticked(form, q.id, scan)
        elif q.type == "repeat" and isinstance(raw.get(q.id), list):
            # The codec's items, one per block posted; each block's own boxes.
            for index, item in enumerate(raw[q.id]):
                for iq in _files(journey, q):
                    item[iq.id] = _ticked(form, f"{q.id}-{index}-{iq.id}", scan)
    return raw


def _files(journey: CompiledJourney, repeat: QuestionInfo) -> list[QuestionInfo]:
    return [iq for iq in journey.item_questions(repeat.id) if iq.type == "file"]


@dataclass
class StrayTick:
    """A posted box of a file question in a repeat's block that the post does not hold."""

    field: str
    repeat: str
    question: str


def stray_ticks(journey: CompiledJourney, form: Any) -> list[StrayTick]:
    """The boxes of file questions in repeats posted for no block of the screen: the blocks
    are the items the codec reads from every other field (:func:`designer.answers.item_count`:
    the screen's ``<repeat>-count`` and the blocks typed in), so that a tick can neither make
    a block of its own (``membres-7-piece`` on a screen of 3) nor be dropped unseen (an index
    past the limit, or spelt ``01``). The screen never posts one."""
    names = [k for k in form.keys() if isinstance(k, str)]
    found: list[StrayTick] = []
    for q in journey.questions.values():
        files = {iq.id for iq in _files(journey, q)} if q.type == "repeat" else set()
        if not files:
            continue
        prefix = f"{q.id}-"
        ticks: dict[str, tuple[str, str]] = {}
        for name in names:
            for tail in files:
                suffix = f"-{tail}"
                if name.startswith(prefix) and name.endswith(suffix):
                    if len(name) >= len(prefix) + len(suffix):
                        ticks[name] = (name[len(prefix) : len(name) - len(suffix)], tail)
        if not ticks:
            continue
        blocks = item_count(_without(form, ticks), q)
        for name, (head, tail) in ticks.items():
            index = _index(head)
            if index is None or index >= blocks:
                found.append(StrayTick(name, q.id, tail))
    return found


def _index(head: str) -> int | None:
    """A block's index as the screen spells it (``0``, ``12``: ASCII digits, no leading
    zero, not so long that reading it costs anything), else None."""
    if not head or len(head) > 9 or not head.isascii() or not head.isdigit():
        return None
    return None if head != "0" and head.startswith("0") else int(head)


def _without(form: Any, names: Mapping[str, Any]) -> dict[str, Any]:
    """The posted fields but ``names``, as the codec reads a mapping (name -> values)."""
    getlist = getattr(form, "getlist", None)
    return {
        k: getlist(k) if getlist is not None else form.get(k) for k in form.keys() if k not in names
    }


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
        # Shown again as validated: a blank block dropped, the errors' item numbers match.
        keyed.raw.update(raw)
        result = run.answer_page(step, raw)
        if result.errors:
            keyed.errors = result.errors
            break
        if run.current == step:  # pragma: no cover - an accepted page is complete
            break
    return keyed


@dataclass
class UnaskedTick:
    """A box ticked for a file question that the run, given the answers keyed, does not ask
    (its condition is false, or the routing skips its page); in a repeat, with its block."""

    question: str
    repeat: str | None = None
    index: int = 0


def untick_unasked(journey: CompiledJourney, keyed: Keyed) -> list[UnaskedTick]:
    """The boxes ticked for file questions that the completed run does not ask, unticked in
    what the screen shows again. Such a box says a document is in the scan that would answer
    nothing, and is most often an answer keyed wrong ("Non" at "majeur" for an adult whose
    document is attached): the agent checks it before the dossier is made, where an answer
    typed to a skipped question is simply not kept."""
    kept = keyed.run.kept_answers()
    found: list[UnaskedTick] = []
    for q in journey.questions.values():
        if q.repeat is not None:
            continue
        if q.type == "file" and keyed.raw.get(q.id) and q.id not in kept:
            keyed.raw[q.id] = None
            found.append(UnaskedTick(q.id))
        elif q.type == "repeat":
            items, asked = keyed.raw.get(q.id), kept.get(q.id)
            asked_items = asked if isinstance(asked, list) else []
            for index, item in enumerate(items if isinstance(items, list) else []):
                for iq in _files(journey, q):
                    if item.get(iq.id) and not (
                        index < len(asked_items) and iq.id in asked_items[index]
                    ):
                        item[iq.id] = None
                        found.append(UnaskedTick(iq.id, q.id, index))
    return found
