"""Small random journeys and a brute-force reference of what their runs can do.

The generator draws a few steps in a DAG, questions with tiny domains (yes/no,
a choice of three, an integer from 0 to 3), and random `when`, `required` and
branch conditions over answers given earlier. The reference enumerates every
combination of answers from those domains and replays each with the engine's
own run semantics (`designer.run.Run`): the domains are exact (integers are
bounded to 0..3), so the reference knows the truth.
"""

from __future__ import annotations

import datetime
import itertools
from dataclasses import dataclass, field
from typing import Any

from hypothesis import strategies as st

from designer.compiled import CompiledJourney
from designer.presence import shown_value
from designer.run import Run

TODAY = datetime.date(2026, 1, 15)
CHOICES = ("a", "b", "c")
INT_MAX = 3


@dataclass
class QSpec:
    id: str
    type: str  # yesno | choice | integer
    when: str | None = None
    required: str | bool = True
    #: `min` of a list question (None: not written).
    min: int | None = None


@dataclass
class StepSpec:
    id: str
    questions: list[QSpec] = field(default_factory=list)
    branches: list[tuple[str, str | None]] = field(default_factory=list)


def _atom(draw: st.DrawFn, q: QSpec) -> str:
    if q.type == "yesno":
        return draw(st.sampled_from([q.id, f"not {q.id}", f"{q.id} == null", f"answered({q.id})"]))
    if q.type == "choice":
        c = draw(st.sampled_from(CHOICES))
        d = draw(st.sampled_from(CHOICES))
        return draw(st.sampled_from([
            f'{q.id} == "{c}"', f'{q.id} != "{c}"', f'{q.id} in ["{c}", "{d}"]',
            f'{q.id} not in ["{c}"]', f"answered({q.id})",
        ]))
    if q.type == "decimal":
        return draw(st.sampled_from([
            f"{q.id} > 2.5", f"{q.id} * 2 >= 5", f"{q.id} / 2 < 1", f"-{q.id} < -5",
            f"{q.id} == null", f"{q.id} - 1 <= 1.5",
        ]))
    if q.type == "date":
        return draw(st.sampled_from([
            f'{q.id} > date("2010-01-01")', f"age({q.id}) >= 18", f"age({q.id}) < 11",
            f"days_between({q.id}, today()) < 30", f"answered({q.id})",
            f'years_between({q.id}, date("2020-01-01")) >= 5',
        ]))
    if q.type == "multichoice":
        c = draw(st.sampled_from(CHOICES))
        return draw(st.sampled_from([
            f'"{c}" in {q.id}', f'"{c}" not in {q.id}', f"len({q.id}) >= 2",
            f"answered({q.id})", f"{q.id} == null",
        ]))
    if q.type == "repeat":
        n = draw(st.integers(0, 2))
        return draw(st.sampled_from([
            f"len({q.id}) == 0", f"len({q.id}) >= {n}", f"len({q.id}) < {n}",
            f"answered({q.id})", f"{q.id} == null", f"{q.id} != null",
        ]))
    if q.type == "text":
        return draw(st.sampled_from([
            f'{q.id} == "autre"', f"answered({q.id})", f'{q.id} != "x"',
        ]))
    n = draw(st.integers(0, INT_MAX))
    m = draw(st.integers(0, INT_MAX))
    return draw(st.sampled_from([
        f"{q.id} > {n}", f"{q.id} <= {n}", f"{q.id} == {n}", f"{q.id} != {n}",
        f"{min(n, m)} <= {q.id} < {max(n, m)}", f"{q.id} >= {n}", f"{q.id} + {n} > {m}",
        f"{q.id} == null",
    ]))


def _condition(draw: st.DrawFn, available: list[QSpec]) -> str:
    if not available:
        return draw(st.sampled_from(["true", "false"]))
    atoms = [_atom(draw, draw(st.sampled_from(available))) for _ in range(draw(st.integers(1, 2)))]
    if len(atoms) == 1:
        return atoms[0]
    op = draw(st.sampled_from(["and", "or"]))
    return f"({atoms[0]}) {op} ({atoms[1]})"


BASIC = ["yesno", "choice", "integer"]
RICH = BASIC + ["decimal", "date", "multichoice", "text"]
#: Lists that may be left empty (repeats with `min: 0`, optional multichoices) among
#: simple types: every domain is exact (a repeat has at most 2 items).
LISTS = ["yesno", "integer", "repeat", "multichoice"]


@st.composite
def journeys(
    draw: st.DrawFn, max_steps: int = 4, max_questions: int = 4, types: list[str] = BASIC
) -> str:
    """The YAML text of a small random journey (it may have structural errors: skip those).

    With the BASIC types the brute force is exact; RICH adds types whose domains the
    brute force only samples (soundness can still be refuted by a sampled run)."""
    n_steps = draw(st.integers(1, max_steps))
    steps = [StepSpec(f"s{i}") for i in range(n_steps)]
    outcomes = ["fin", "exit"]
    preds: dict[int, set[int]] = {i: set() for i in range(n_steps)}
    total = 0
    for i, step in enumerate(steps):
        ancestors: set[int] = set()
        stack = list(preds[i])
        while stack:
            j = stack.pop()
            if j not in ancestors:
                ancestors.add(j)
                stack.extend(preds[j])
        earlier = [q for j in sorted(ancestors) for q in steps[j].questions]
        for k in range(draw(st.integers(0, 2))):
            if total >= max_questions:
                break
            total += 1
            q = QSpec(f"q{i}{k}", draw(st.sampled_from(types)))
            if q.type in ("repeat", "multichoice"):
                q.min = draw(st.sampled_from([0, None, 0, 1]))
            if draw(st.booleans()):
                q.when = _condition(draw, earlier + step.questions)
            r = draw(st.integers(0, 4))
            if r == 0:
                q.required = False
            elif r == 1 and (earlier + step.questions):
                q.required = _condition(draw, earlier + step.questions)
            step.questions.append(q)
        visible = earlier + step.questions
        targets = [f"s{j}" for j in range(i + 1, n_steps)] + outcomes
        for _ in range(draw(st.integers(0, 2))):
            t = draw(st.sampled_from(targets))
            step.branches.append((t, _condition(draw, visible)))
        if draw(st.integers(0, 3)) > 0 or not step.branches:
            step.branches.append((draw(st.sampled_from(targets)), None))
        following = f"s{i + 1}"
        if i + 1 < n_steps and not preds[i + 1] and all(t != following for t, _ in step.branches):
            # Keep every step linked (an unlinked one is a structural error, not our business).
            k = draw(st.integers(0, len(step.branches) - 1))
            step.branches[k] = (following, step.branches[k][1])
        for t, _ in step.branches:
            if t not in outcomes:
                preds[int(t[1:])].add(i)
    used = [o for o in outcomes if any(t == o for step in steps for t, _ in step.branches)]
    return render(steps, used)


def render(steps: list[StepSpec], outcomes: list[str]) -> str:
    """A journey's YAML text from its specification."""
    out = ["parcours: 1", "id: hasard", "title: Hasard", "organisation: Test", "start: s0",
           "steps:"]
    for step in steps:
        out += [f"  {step.id}:", f"    title: Page {step.id}", "    questions:" if
                step.questions else "    questions: {}"]
        for q in step.questions:
            out += [f"      {q.id}:", f"        type: {q.type}", f"        label: Question {q.id}",
                    "        purpose: Tester."]
            if q.type in ("choice", "multichoice"):
                out.append(f"        options: [{', '.join(CHOICES)}]")
            if q.type == "decimal":
                out += ["        min: 0", "        max: 10"]
            if q.type == "date":
                out.append("        max: today()")
            if q.type == "integer":
                out += ["        min: 0", f"        max: {INT_MAX}"]
            if q.type == "repeat":
                out += ["        max: 2", "        questions: {}"]
            if q.min is not None:
                out.append(f"        min: {q.min}")
            if q.when is not None:
                out.append(f"        when: '{q.when}'")
            if q.required is not True:
                req = q.required if isinstance(q.required, str) else "false"
                out.append(f"        required: '{req}'" if isinstance(q.required, str)
                           else f"        required: {req}")
        out.append("    next:")
        for target, cond in step.branches:
            out.append(f"      - goto: {target}")
            if cond is not None:
                out.append(f"        when: '{cond}'")
    out.append("outcomes:")
    for o in outcomes:
        out.append(f"  {o}: {{kind: submit, title: Fin {o}}}")
    return "\n".join(out) + "\n"


DOMAINS: dict[str, tuple[Any, ...]] = {
    "yesno": (True, False),
    "choice": CHOICES,
    "integer": tuple(range(INT_MAX + 1)),
    # Samples only (these domains are infinite):
    "decimal": (0.0, 2.5, 3.0, 10.0),
    "date": (TODAY - datetime.timedelta(days=10), datetime.date(2000, 1, 1),
             datetime.date(2015, 6, 15)),
    # Exact: every subset of the options, none included; every count of items allowed.
    "multichoice": tuple(
        [c for j, c in enumerate(CHOICES) if mask >> j & 1] for mask in range(8)
    ),
    "repeat": ([], [{}], [{}, {}]),
    "text": ("autre", "x"),
}


@dataclass
class Truth:
    """What brute force saw over every valid run."""

    reached: set[str] = field(default_factory=set)
    shown: set[str] = field(default_factory=set)
    required_held: set[str] = field(default_factory=set)
    taken: set[tuple[str, int]] = field(default_factory=set)
    stuck: set[str] = field(default_factory=set)


def brute_force(journey: CompiledJourney) -> Truth:
    """Enumerate every combination of answers; replay each run with the engine."""
    from designer.expressions.evaluator import evaluate

    questions = [q for q in journey.questions.values() if q.answers]
    domains = []
    for q in questions:
        values: tuple[Any, ...] = DOMAINS[q.type]
        if q.required is not True:
            values = values + (None,)
        domains.append(values)
    truth = Truth()
    seen_paths: set[tuple[Any, ...]] = set()
    for combo in itertools.product(*domains):
        answers = {q.id: v for q, v in zip(questions, combo, strict=True) if v is not None}
        run = Run(journey, answers, today=TODAY)
        pages = run.pages()
        current = run.current
        if current is not None and not journey.is_outcome(current):
            continue  # a page left incomplete: not a run a citizen can finish
        key = tuple((p.step, tuple(q.id for q in p.questions)) for p in pages) + (
            tuple(sorted((k, repr(v)) for k, v in run.kept_answers().items())),
        )
        if key in seen_paths:
            continue
        seen_paths.add(key)
        for page in pages:
            truth.reached.add(page.step)
            env = dict(page.before)
            for q in page.questions:
                truth.shown.add(q.id)
                if not isinstance(q.required, bool) and evaluate(
                    q.required, env, today=TODAY
                ) is True:
                    truth.required_held.add(q.id)
                value = shown_value(q.type, answers.get(q.id))  # one meaning for all
                if value is not None:
                    env[q.id] = value
            values = dict(env)
            taken = None
            for b in journey.branches(page.step):
                if b.when is None or evaluate(b.when, values, today=TODAY) is True:
                    taken = b.index
                    break
            if taken is None:
                truth.stuck.add(page.step)
            else:
                truth.taken.add((page.step, taken))
        if current is not None:
            truth.reached.add(current)
    return truth
