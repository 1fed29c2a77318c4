"""A few answer sets that together visit the whole journey (`parcours personas FILE`).

Each persona is a set of typed answers with the path it takes. Together they
visit every step, every outcome and every question that can be shown (one
persona per reachable outcome at least). They are found by the analysis's
SMT encoding of the journey (`designer.analysis.witness`) and every one is
**replayed** with the engine's run semantics before it is kept: the path
printed is the path the renderer will walk. JSON output feeds tests and the
renderer's end-to-end tests: each page lists its shown questions with the typed
`value` and the `form` value a citizen would type (`designer.values.coerce` turns it
back into the value).

JSON shape (`--format json`)::

    {"journey": id, "file": path, "today": "YYYY-MM-DD",
     "personas": [{"name": "persona-1", "goal": "outcome envoi", "outcome": "envoi",
                   "path": [step ids…, outcome id], "answers": {id: typed value as JSON},
                   "shown": [question ids shown, repeat items included],
                   "pages": [{"step": id, "questions": [{"id", "type", "value", "form"}]}]}],
     "coverage": {"steps": [...], "outcomes": [...], "questions": [...]},
     "impossible": {"steps": [...], "outcomes": [...], "questions": [...]},
     "missing": {"steps": [...], "outcomes": [...], "questions": [...]}}

`impossible` lists what the analysis proves no run reaches; `missing` what is
reachable but got no persona within the time budget (normally empty).
"""

from __future__ import annotations

import datetime
import json
from dataclasses import dataclass, field
from typing import Any

import z3

from designer.analysis.context import AnalysisConfig, Context
from designer.analysis.witness import Replayed, Witnesses, replay
from designer.answers import field_text, to_json
from designer.compiled import CompiledJourney

#: The language of the `form` values (a decimal's mark): any is read back the same.
FORM_LANGUAGE = "en"


@dataclass
class Persona:
    """One citizen's answers and the way they go through the journey."""

    name: str
    goal: str
    answers: dict[str, Any]
    path: list[str]
    shown: list[str]

    @property
    def outcome(self) -> str | None:
        """The outcome the persona reaches (the last node of its path)."""
        return self.path[-1] if self.path else None


@dataclass
class Personas:
    """The personas of a journey and what they cover."""

    journey: CompiledJourney
    today: datetime.date
    personas: list[Persona] = field(default_factory=list)
    #: Steps, outcomes and questions no run can reach (proved by the analysis).
    impossible: dict[str, list[str]] = field(default_factory=dict)
    #: Reachable (not proved impossible) but no persona found in the time budget.
    missing: dict[str, list[str]] = field(default_factory=dict)

    def covered(self) -> dict[str, set[str]]:
        """Steps, outcomes and questions visited by at least one persona."""
        steps: set[str] = set()
        outcomes: set[str] = set()
        questions: set[str] = set()
        for p in self.personas:
            for node in p.path:
                (outcomes if self.journey.is_outcome(node) else steps).add(node)
            questions |= set(p.shown)
        return {"steps": steps, "outcomes": outcomes, "questions": questions}


def find_personas(
    journey: CompiledJourney,
    today: datetime.date | None = None,
    *,
    budget_ms: int = 20_000,
    timeout_ms: int = 2_000,
    extend_tries: int = 120,
    extend_timeout_ms: int = 200,
) -> Personas:
    """Personas covering every reachable step, outcome and showable question."""
    from designer.analysis.conditions import prove

    today = today or datetime.date.today()
    config = AnalysisConfig(z3_timeout_ms=timeout_ms, z3_budget_ms=budget_ms)
    ctx = Context(journey, config)
    proofs = prove(ctx)
    result = Personas(journey, today)
    w = Witnesses(ctx, today)
    enc = w.encoder
    questions = [q for q in journey.questions.values() if q.repeat is None]
    impossible_q = {
        q.id for q in questions if q.id in proofs.never_shown or q.step in proofs.unreachable
    }
    result.impossible = {
        "steps": [s for s in journey.steps if s in proofs.unreachable],
        "outcomes": [o for o in journey.outcomes if o in proofs.unreachable],
        "questions": [q.id for q in questions if q.id in impossible_q],
    }
    finished = z3.Or([enc.reach[o] for o in journey.outcomes if o in enc.reach])
    everything = [enc.enforce(s) for s in journey.steps] + [enc.fixed_today]

    def extended(goal: z3.BoolRef) -> z3.ModelRef | None:
        """A run reaching `goal` and an outcome, greedily made to visit as many places
        not yet covered as possible (fewer personas)."""
        kept = [goal, finished]
        status, model = w._check(z3.And(kept), everything)
        if status != z3.sat or model is None:
            return None
        covered = result.covered()
        extras = [enc.reach[s] for s in journey.steps
                  if s in enc.reach and s not in covered["steps"] and s not in proofs.unreachable]
        extras += [enc.shown[q.id] for q in questions
                   if q.id in enc.shown and q.id not in covered["questions"]
                   and q.id not in impossible_q]
        tries = 0
        for lit in extras:
            if z3.is_true(model.evaluate(lit, model_completion=True)):
                kept.append(lit)  # already visited: keep it so
                continue
            if tries >= extend_tries or w.budget <= 0:
                continue
            tries += 1
            status, bigger = w._check(z3.And([*kept, lit]), everything, extend_timeout_ms)
            if status == z3.sat and bigger is not None:
                kept.append(lit)
                model = bigger
        return model

    def attempt(goal: z3.BoolRef, node: str, label: str, check: Any) -> bool:
        # First a run that also finishes at an outcome, then any run reaching the goal.
        for full in (True, False):
            if w.budget <= 0:
                return False
            try:
                if full:
                    model = extended(goal)
                    answers = enc.answers(model) if model is not None else None
                else:
                    answers = w.solve(goal, node)
            except z3.Z3Exception:
                answers = None
            if answers is None:
                continue
            got = replay(ctx, answers, today)
            if got.valid and check(got):
                _keep(result, got, label, answers)
                return True
        return False

    for oid in journey.outcomes:
        if oid in proofs.unreachable or oid not in enc.reach:
            continue
        attempt(enc.reach[oid], oid, f"outcome {oid}", lambda got, o=oid: got.path[-1:] == [o])
    covered = result.covered()
    for sid in journey.steps:
        if sid in proofs.unreachable or sid in covered["steps"] or sid not in enc.reach:
            continue
        if attempt(enc.reach[sid], sid, f"step {sid}", lambda got, s=sid: s in got.path):
            covered = result.covered()
    for q in questions:
        if q.id in impossible_q or q.id in covered["questions"] or q.id not in enc.shown:
            continue
        if attempt(enc.shown[q.id], q.step, f"question {q.id}",
                   lambda got, i=q.id: i in got.shown):
            covered = result.covered()
    _prune(result)
    covered = result.covered()
    result.missing = {
        "steps": [s for s in journey.steps
                  if s not in covered["steps"] and s not in proofs.unreachable],
        "outcomes": [o for o in journey.outcomes
                     if o not in covered["outcomes"] and o not in proofs.unreachable],
        "questions": [q.id for q in questions
                      if q.id not in covered["questions"] and q.id not in impossible_q],
    }
    for i, p in enumerate(result.personas, 1):
        p.name = f"persona-{i}"
    return result


def persona_reaching(
    journey: CompiledJourney,
    step_id: str,
    today: datetime.date | None = None,
    *,
    budget_ms: int = 3_000,
    timeout_ms: int = 1_500,
) -> dict[str, Any] | None:
    """The answers of one citizen whose run reaches ``step_id``, in the shape of a test
    case's (what ``--save-cases`` writes): found by the solver within ``budget_ms``, then
    played with the engine's run semantics up to the step (answers for later pages may be
    anything). None when none is found in time, or when the step cannot be reached (the
    check says which)."""
    today = today or datetime.date.today()
    ctx = Context(journey, AnalysisConfig(z3_timeout_ms=timeout_ms, z3_budget_ms=budget_ms))
    witnesses = Witnesses(ctx, today)
    goal = witnesses.encoder.reach.get(step_id)
    if goal is None:
        return None
    try:
        answers = witnesses.solve(goal, step_id)
    except z3.Z3Exception:
        return None
    if answers is None:
        return None
    # The solver settles the pages up to the step; what it gives for later ones is left
    # unchecked (a preview stops at the step): the case is kept when the engine, playing it
    # page by page, does reach the step.
    from designer.testing import play

    case = dict(to_json(answers))
    return case if step_id in play(journey, case, today).path else None


def _keep(result: Personas, got: Replayed, goal: str, answers: dict[str, Any]) -> None:
    kept = {k: v for k, v in got.answers.items()}
    result.personas.append(Persona("", goal, kept, got.path, got.shown))


def _prune(result: Personas) -> None:
    """Drop personas whose coverage the others already give (keeping one per outcome)."""
    personas = result.personas
    i = len(personas) - 1
    while i >= 0:
        p = personas[i]
        others = personas[:i] + personas[i + 1:]
        if others:
            seen_nodes = {n for o in others for n in o.path}
            seen_q = {q for o in others for q in o.shown}
            if set(p.path) <= seen_nodes and set(p.shown) <= seen_q:
                del personas[i]
        i -= 1


# --------------------------------------------------------------------------- output

def _form(journey: CompiledJourney, qtype: str, qid: str, value: Any) -> Any:
    """What a citizen would type for a typed answer, in the shape
    `designer.values.coerce(qtype, raw)` takes back (dates as day/month/year parts, yes/no
    as "yes"/"no", a repeat as one such mapping per item)."""
    if qtype != "repeat":
        return field_text(qtype, value, FORM_LANGUAGE)
    if not isinstance(value, list):
        return None
    types = {q.id: q.type for q in journey.item_questions(qid)}
    return [
        {k: field_text(types.get(k, "text"), v, FORM_LANGUAGE) for k, v in item.items()}
        for item in value if isinstance(item, dict)
    ]


def as_json(result: Personas) -> dict[str, Any]:
    """The JSON document of `parcours personas --format json`."""
    journey = result.journey
    covered = result.covered()
    personas = []
    for p in result.personas:
        pages = []
        for node in p.path:
            if journey.is_outcome(node):
                continue
            pages.append({
                "step": node,
                "questions": [
                    {
                        "id": q.id,
                        "type": q.type,
                        "value": to_json(p.answers.get(q.id)),
                        "form": _form(journey, q.type, q.id, p.answers.get(q.id)),
                    }
                    for q in journey.step_questions(node)
                    if q.id in p.shown and q.answers
                ],
            })
        personas.append({
            "name": p.name,
            "goal": p.goal,
            "outcome": p.outcome,
            "path": p.path,
            "answers": to_json(p.answers),
            "shown": p.shown,
            "pages": pages,
        })
    return {
        "journey": journey.id,
        "file": journey.file,
        "today": result.today.isoformat(),
        "personas": personas,
        "coverage": {k: sorted(v) for k, v in covered.items()},
        "impossible": result.impossible,
        "missing": result.missing,
    }


def as_text(result: Personas) -> str:
    """A readable listing: each persona's path and answers, then what is not covered."""
    lines = [f"{result.journey.file}: {len(result.personas)} persona(s)"]
    for p in result.personas:
        lines.append("")
        lines.append(f"{p.name} → {p.outcome}")
        lines.append("  path: " + " → ".join(p.path))
        for k, v in p.answers.items():
            lines.append(f"  {k} = {json.dumps(to_json(v), ensure_ascii=False)}")
    for title, data in (("never reachable (proved)", result.impossible),
                        ("not covered (no persona found in time)", result.missing)):
        items = [f"{kind}: {', '.join(ids)}" for kind, ids in data.items() if ids]
        if items:
            lines.append("")
            lines.append(title + ":")
            lines.extend("  " + i for i in items)
    return "\n".join(lines) + "\n"
