"""Following a paper form's instructions, as a citizen holding it would.

Part by part: answer each question in order unless it says "Répondez seulement si …"
and that does not hold for what is written so far; at the end of the part, follow the
first instruction that applies. What this reads is the paper's own structure (its
order, its numbers, its jumps): the tests compare it with the online run.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from designer.paper.layout import PaperForm
from designer.run import Environment, Run, holds


@dataclass
class PaperRun:
    """The questions a reader of the paper answered, in order, and the end reached."""

    answered: list[str] = field(default_factory=list)
    outcome: str | None = None


def follow(form: PaperForm, answers: Mapping[str, Any],
           today: datetime.date | None = None) -> PaperRun:
    """Walk ``form`` with ``answers`` (typed values, as a run takes them)."""
    run = Run(form.journey, {}, today=today)
    written: dict[str, Any] = {}
    result = PaperRun()
    part = form.parts[0] if form.parts else None
    if part is not None and part.step != form.journey.start:
        part = form.part_of(form.journey.start)
    while part is not None:
        for pq in part.questions:
            if not pq.info.answers:
                continue
            if pq.info.when is not None and not holds(
                    pq.info.when, Environment(run, dict(written)), run.today):
                continue
            result.answered.append(pq.info.id)
            if pq.info.id in answers and answers[pq.info.id] is not None:
                written[pq.info.id] = answers[pq.info.id]
        env = Environment(run, dict(written))
        jump = next((j for j in part.jumps if holds(j.when, env, run.today)), None)
        if jump is None:
            return result  # stuck, as the run would be
        if jump.outcome is not None:
            result.outcome = jump.outcome
            return result
        assert jump.part is not None and jump.part > part.number
        part = form.parts[jump.part - 1]
    return result
