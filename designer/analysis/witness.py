"""Concrete answers that drive a run somewhere: found with z3, confirmed by replaying them.

The journey is encoded once as constraints linear in its size
(:mod:`designer.analysis.encoding`; answers no constraint decides come from
:mod:`designer.analysis.samples`). A query ("reach this outcome",
"get stuck after this page") is solved under a time limit; the model becomes
typed answers, and the answers are **replayed** with the engine's own run
semantics (`designer.run.Run`) and validated like a page would be. Only a
replayed witness counts: whatever z3 could not encode exactly (today's date,
repeats, lengths) is caught by the replay, so a witness is never wrong.
"""

from __future__ import annotations

import datetime
import time
from dataclasses import dataclass
from typing import Any

import networkx as nx
import z3

from designer.compiled import QuestionInfo
from designer.expressions.evaluator import evaluate
from designer.presence import count_bounds
from designer.run import Run
from designer.values import check_option
from designer.values.bounds import check_bounds

from .context import Context
from .encoding import Encoder


@dataclass
class Replayed:
    """A replay of answers: the path walked, the questions shown, and whether it is valid."""

    path: list[str]
    shown: list[str]
    stuck: bool
    valid: bool
    answers: dict[str, Any]


def replay(ctx: Context, answers: dict[str, Any], today: datetime.date) -> Replayed:
    """Walk the journey with `answers` using the engine's run, validating every shown answer."""
    run = Run(ctx.journey, answers, today=today)
    pages = run.pages()
    current = run.current
    shown: list[str] = []
    valid = True
    for page in pages:
        env = dict(page.before)
        for q in page.questions:
            shown.append(q.id)
            if not q.answers:
                continue
            value = answers.get(q.id)
            if value is not None:
                if not _valid(q, value, env, today):
                    valid = False
                env[q.id] = value
            if q.type == "repeat" and isinstance(value, list):
                for item in value:
                    shown.extend(
                        iq.id for iq in run.item_visible_questions(q.id, item)
                        if iq.id not in shown
                    )
    path = [p.step for p in pages]
    if current is not None and ctx.journey.is_outcome(current):
        path.append(current)
    stuck = current is None
    kept = run.kept_answers()
    return Replayed(path, shown, stuck, valid, kept)


def _valid(q: QuestionInfo, value: Any, env: dict[str, Any], today: datetime.date) -> bool:
    """The checks a page would make on a typed answer (options, bounds, rules)."""
    if q.options is not None and q.type in ("choice", "multichoice"):
        if check_option(value, q.options) is not None:
            return False
    if q.type in ("integer", "decimal"):
        if check_bounds(q.type, value, min=q.min, max=q.max) is not None:
            return False
    if q.type == "multichoice" and isinstance(value, list):
        required = q.required if isinstance(q.required, bool) else evaluate(
            q.required, env, today=today) is True
        low, high = count_bounds(q.min, q.max, required=required, count=len(value))
        if check_bounds(q.type, value, min=low, max=high) is not None:
            return False
    if q.type == "date":
        lo = evaluate(q.min, env, today=today) if q.min is not None else None
        hi = evaluate(q.max, env, today=today) if q.max is not None else None
        lo = lo if isinstance(lo, datetime.date) else None
        hi = hi if isinstance(hi, datetime.date) else None
        if check_bounds("date", value, min=lo, max=hi) is not None:
            return False
    with_answer = dict(env)
    with_answer[q.id] = value
    return all(evaluate(rule, with_answer, today=today) is not False for rule, _m in q.checks)


class Witnesses:
    """Answers that reach a given place, found by z3 within a time budget and replayed."""

    def __init__(
        self,
        ctx: Context,
        today: datetime.date | None = None,
        *,
        timeout_ms: int | None = None,
        budget_ms: int | None = None,
    ):
        self.ctx = ctx
        self.today = today or datetime.date.today()
        self.budget = (budget_ms or ctx.config.z3_budget_ms) / 1000.0
        self.timeout = timeout_ms or ctx.config.z3_timeout_ms
        self._encoder: Encoder | None = None
        self._solver: z3.Solver | None = None

    @property
    def encoder(self) -> Encoder:
        """The encoding of the journey, built on first use."""
        if self._encoder is None:
            self._encoder = Encoder(self.ctx, self.today)
            solver = z3.Solver()
            solver.add(self._encoder.constraints)
            self._solver = solver
        return self._encoder

    def _check(
        self, goal: z3.BoolRef, assumptions: list[z3.BoolRef], timeout_ms: int | None = None
    ) -> tuple[z3.CheckSatResult, z3.ModelRef | None]:
        solver = self._solver
        assert solver is not None
        solver.set("timeout", timeout_ms or self.timeout)
        started = time.perf_counter()
        solver.push()
        try:
            solver.add(goal)
            result = solver.check(*assumptions)
            return result, solver.model() if result == z3.sat else None
        finally:
            solver.pop()
            self.budget -= time.perf_counter() - started

    def before(self, node: str, itself: bool = False) -> list[z3.BoolRef]:
        """Pages completed by any run reaching `node` (and `node` itself when `itself`):
        only their answers must be valid; a page after may be impossible to complete
        without changing what happens before it."""
        pages = nx.ancestors(self.ctx.journey.graph, node)
        if itself:
            pages.add(node)
        enc = self.encoder
        return [enc.enforce(s) for s in pages if s in self.ctx.journey.steps]

    def before_question(self, qid: str) -> list[z3.BoolRef]:
        """What is valid when a question is shown: the pages before it, and the answers
        given above it on its own page (it is revealed as they are answered)."""
        q = self.ctx.journey.questions[qid]
        enc = self.encoder
        above = [
            enc.valid(p.id) for p in self.ctx.interpreter.page.get(q.step, ())
            if p.order < q.order and p.id in enc.values
        ]
        return self.before(q.step) + above

    def solve(
        self, goal: z3.BoolRef, node: str, timeout_ms: int | None = None
    ) -> dict[str, Any] | None:
        """Answers reaching `node` (its page completed) and satisfying `goal`, or None."""
        if self.budget <= 0:
            return None
        enc = self.encoder
        assumptions = [*self.before(node, itself=True), enc.fixed_today]
        result, model = self._check(goal, assumptions, timeout_ms)
        if result != z3.sat or model is None:
            return None
        return enc.answers(model)

    def proves_never(self, goal: z3.BoolRef, valid: list[z3.BoolRef]) -> bool:
        """Whether z3 proves that no run whose pages `valid` are completed satisfies `goal`."""
        if self.budget <= 0:
            return False
        self.encoder  # noqa: B018 - built on first use
        result, _ = self._check(goal, valid)
        return result == z3.unsat

    def never_together(self, a: str, b: str) -> bool:
        """Whether z3 proves that questions `a` and `b` are never both shown in one run."""
        enc = self.encoder
        if a not in enc.shown or b not in enc.shown or self.budget <= 0:
            return False
        return self.proves_never(
            z3.And(enc.shown[a], enc.shown[b]), self.before_question(a) + self.before_question(b)
        )

    def stuck_at(self, step: str) -> dict[str, Any] | None:
        """Answers with which a run gets stuck after `step` (replayed), or None."""
        enc = self.encoder
        goal = enc.stuck.get(step)
        if goal is None:
            return None
        answers = self.solve(goal, step)
        if answers is None:
            return None
        got = replay(self.ctx, answers, self.today)
        if got.valid and got.stuck and got.path and got.path[-1] == step:
            return {k: v for k, v in got.answers.items()}
        return None
