"""The abstract interpretation of a journey over its step graph.

One pass in topological order: the environment entering a step is the join
of the environments on every edge arriving there, each narrowed by the branch
taken (its condition holds, and every earlier entry of the same `next` did
not). Inside a step, questions are visited in page order: a question's `when`
splits the environment in "shown" (its answer is in the type's domain, null
if it is optional) and "not shown" (its answer stays null).

Environments only hold the answers given so far (an absent answer is
unanswered) that some later expression still reads, so the work stays
proportional to the size of the journey, not to the number of its paths.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import NamedTuple

import networkx as nx

from designer.compiled import CompiledJourney, QuestionInfo
from designer.expressions.ast import BinOp, Call, Expr, Literal, Name, children, names, walk
from designer.presence import fewest_items, is_list

from .abstract import TYPE_KINDS, NameInfo, Scope, is_term, term_key
from .domains import (
    ALL3,
    DATE,
    LIST,
    NUM,
    T3,
    TEXT,
    TOP,
    AbsVal,
    Env,
    join_env,
    none_only,
)
from .intervals import Intervals
from .refine import Refiner

TRUE: T3 = frozenset([True])
NOT_TRUE: T3 = frozenset([False, None])


@dataclass(slots=True)
class BranchFact:
    """What the analysis knows of one entry of a `next` list."""

    step: str
    index: int
    target: str
    #: Whether the entry is ever tried (every earlier entry can fail).
    tried: bool
    #: Possible truth values of its condition where it is tried ({True} for a default).
    truths: T3
    #: Whether the branch can be taken at all.
    taken: bool


class QuestionFact(NamedTuple):
    """What the analysis knows of one question where it is asked (a named tuple: one is
    made per question at every check)."""

    qid: str
    #: The step is reached (abstractly) and the question's `when` is evaluated.
    evaluated: bool
    when: T3
    #: Possible truth values of `required` when the question is shown (None: not an expression).
    required: T3 | None = None

    @property
    def can_show(self) -> bool:
        """Whether some run may show the question."""
        return self.evaluated and True in self.when


@dataclass
class Facts:
    """Everything the abstract interpretation learnt about a journey."""

    order: list[str] = field(default_factory=list)
    entry: dict[str, Env | None] = field(default_factory=dict)
    questions: dict[str, QuestionFact] = field(default_factory=dict)
    branches: dict[str, list[BranchFact]] = field(default_factory=dict)
    #: For a step whose `next` has no default: the environment where every entry fails
    #: (like every environment here, it holds only the answers still read later).
    residual: dict[str, Env | None] = field(default_factory=dict)

    def reachable(self, node: str) -> bool:
        """Whether some run may reach the step or outcome (False is certain)."""
        return self.entry.get(node) is not None


def _terms(expr: Expr) -> set[str]:
    return {term_key(e) for e in walk(expr) if is_term(e)}


def build_scope(journey: CompiledJourney) -> Scope:
    """The static types of every answer and the computed values of a journey."""
    scope = Scope()
    typed = scope.names
    # Questions without options of one type have equal infos: one is made and shared.
    plain: dict[str, NameInfo] = {}
    for qid, info in journey.questions.items():
        if info.options is None:
            found = plain.get(info.type)
            if found is None:
                found = plain[info.type] = NameInfo(
                    TYPE_KINDS.get(info.type, TEXT), info.type == "integer", None)
            typed[qid] = found
            continue
        kind = TYPE_KINDS.get(info.type, TEXT)
        typed[qid] = NameInfo(kind, info.type == "integer", frozenset(info.options))
    for name, expr in journey.computed.items():
        if expr is not None:
            scope.computed[name] = expr
    return scope


class Interpreter:
    """Runs the abstract interpretation of one journey (acyclic graph required)."""

    def __init__(self, journey: CompiledJourney, scope: Scope | None = None):
        self.journey = journey
        self.scope = scope or build_scope(journey)
        self.ev = Refiner(self.scope)
        self._expanded: dict[str, frozenset[str]] = {}
        self._bounded: dict[tuple[object, ...], AbsVal] = {}
        #: During run(): the last reader of each answer (last_uses), the current node's index.
        self._last: dict[str, int] | None = None
        self._here = 0
        #: Every question of each step (repeat items included), in page order.
        self.by_step: dict[str, list[QuestionInfo]] = {}
        self.page: dict[str, list[QuestionInfo]] = {}
        self.items: dict[str, list[QuestionInfo]] = {}
        for q in journey.questions.values():
            self.by_step.setdefault(q.step, []).append(q)
            if q.repeat is None:
                self.page.setdefault(q.step, []).append(q)
            else:
                self.items.setdefault(q.repeat, []).append(q)

    # ----------------------------------------------------------------- liveness
    def expand(self, expr: Expr | None) -> frozenset[str]:
        """Answers an expression reads, through computed values."""
        if expr is None:
            return frozenset()
        out: set[str] = set()
        self._expand_into(expr, out)
        return frozenset(out)

    def _expand_into(self, expr: Expr, out: set[str]) -> None:
        """Add to `out` what :meth:`expand` gives for `expr`."""
        # One walk for both the terms and the names (the set of names is built in the
        # order `names` builds it, so that names are expanded in the same order).
        read: set[str] = set()
        stack: list[Expr] = [expr]
        while stack:  # walk()'s order (parents first, left to right), without its list
            e = stack.pop()
            kind = type(e)
            if kind is Name:
                read.add(e.id)  # type: ignore[union-attr]
            elif kind is not Literal:
                if kind is BinOp or kind is Call and is_term(e):
                    out.add(term_key(e))
                stack.extend(reversed(children(e)))
        computed = self.scope.computed
        for n in read:
            if n in computed:
                out |= self._expand_name(n, set())
            else:
                out.add(n)  # what _expand_name says of an answer

    def _expand_name(self, name: str, seen: set[str]) -> frozenset[str]:
        if name in self._expanded:
            return self._expanded[name]
        if name not in self.scope.computed:
            return frozenset([name])
        if name in seen:
            return frozenset()
        seen.add(name)
        out: set[str] = _terms(self.scope.computed[name])
        for n in names(self.scope.computed[name]):
            out |= self._expand_name(n, seen)
        result = frozenset(out)
        self._expanded[name] = result
        return result

    def step_uses(self, sid: str) -> set[str]:
        """Answers read by the step's conditions (questions, repeat items, branches)."""
        # Each expression expanded into the one set (the union of their expand()s).
        used: set[str] = set()
        into = self._expand_into
        for q in self.by_step.get(sid, ()):
            if q.when is not None:
                into(q.when, used)
            if not isinstance(q.required, bool):
                into(q.required, used)
            for bound in (q.min, q.max):
                if bound is not None and not isinstance(bound, (int, float)):
                    into(bound, used)
        for b in self.journey.branches(sid):
            if b.when is not None:
                into(b.when, used)
        return used

    def last_uses(self, order: list[str]) -> dict[str, int]:
        """For each answer (or term), the topological index of the last node that reads it.

        No node after that index can read it (every node reachable from a node comes later
        in topological order): dropping it there keeps environments small, so that an
        answer of one diamond is not carried through the hundreds that follow.
        """
        last: dict[str, int] = {}
        routed: set[str] = set()
        for entry in self.journey.routing:
            routed |= self.expand(entry.when)
        steps = self.journey.steps
        for i, node in enumerate(order):
            if node in steps:
                for name in self.step_uses(node):
                    last[name] = i
            elif routed and self.submits(node):
                # The routing reads the answers at submission: keep them to the outcome.
                for name in routed:
                    last[name] = i
        return last

    def submits(self, node: str) -> bool:
        """Whether a node is an outcome that sends a dossier (where routing is evaluated)."""
        outcome = self.journey.outcomes.get(node)
        return outcome is not None and outcome.kind == "submit"

    # ----------------------------------------------------------------- the pass
    def run(self) -> Facts:
        """Interpret the whole journey once, in topological order."""
        journey = self.journey
        facts = Facts()
        order = list(nx.topological_sort(journey.graph))
        facts.order = order
        index = {n: i for i, n in enumerate(order)}
        last = self._last = self.last_uses(order)
        incoming: dict[str, Env | None] = {n: None for n in order}
        if journey.start in incoming:
            # Nothing answered yet: an answer absent from an environment is unanswered.
            incoming[journey.start] = Env({})
        for node in order:
            env = incoming[node]
            facts.entry[node] = env
            if node not in journey.steps:
                continue
            self._here = index[node]
            out = self.step(node, env, facts)
            for branch_env, target in out:
                if branch_env is None or target not in incoming:
                    continue
                here = index[target]
                kept = Env({
                    k: v for k, v in branch_env.values.items() if last.get(k, -1) >= here
                })
                incoming[target] = join_env(incoming[target], kept)
        return facts

    def step(
        self, sid: str, env: Env | None, facts: Facts
    ) -> list[tuple[Env | None, str]]:
        """Interpret one page; the environments leaving it on each branch."""
        for q in self.page.get(sid, ()):
            env = self.question(q, env, facts)
        facts_branches: list[BranchFact] = []
        out: list[tuple[Env | None, str]] = []
        current = env
        has_default = False
        for b in self.journey.branches(sid):
            tried = current is not None
            if b.when is None or b.default:
                has_default = True
                facts_branches.append(BranchFact(sid, b.index, b.target, tried, TRUE, tried))
                out.append((current, b.target))
                current = None
                break
            if current is None:
                facts_branches.append(BranchFact(sid, b.index, b.target, False, frozenset(), False))
                continue
            truths, taken_env, current = self.split(current, b.when)
            facts_branches.append(
                BranchFact(sid, b.index, b.target, True, truths, taken_env is not None)
            )
            out.append((taken_env, b.target))
        facts.branches[sid] = facts_branches
        if not has_default:
            facts.residual[sid] = current
        return out

    def split(self, env: Env, cond: Expr) -> tuple[T3, Env | None, Env | None]:
        """Possible truth values of `cond`, and `env` where it holds / does not hold.

        Refinement may prove a case empty that plain evaluation kept (`x < 11 and
        x >= 18`): the truth values are narrowed accordingly.
        """
        ev = self.ev
        truths = ev.truths(env, cond)
        holds = ev.refine(env, cond, TRUE, truths) if True in truths else None
        fails = (ev.refine(env, cond, NOT_TRUE, truths) if False in truths or None in truths
                 else None)
        if holds is None:
            truths = truths - TRUE
        if fails is None:
            truths = truths & TRUE
        return truths, holds, fails

    def question(self, q: QuestionInfo, env: Env | None, facts: Facts) -> Env | None:
        """Interpret one question (a repeat with its items); the environment after it."""
        qid = q.id
        if env is None:
            facts.questions[qid] = QuestionFact(qid, False, frozenset())
            self._items(q, None, facts)
            return None
        if q.when is not None:
            when, shown, hidden = self.split(env, q.when)
        else:
            when, shown, hidden = TRUE, env, None
        # An answer no expression reads from here on is not recorded (as at the edges, where
        # last_uses drops it): the environments of the page stay small.
        last = self._last
        live = last is None or last.get(qid, -1) >= self._here
        answers = q.answers
        required: T3 | None = None
        if shown is not None and answers and not isinstance(q.required, bool):
            required = self.split(shown, q.required)[0]
        facts.questions[qid] = QuestionFact(qid, True, when, required)
        if shown is not None and answers:
            if required is None:
                may_be_empty = not q.required
            else:
                may_be_empty = bool(required - TRUE)
            if is_list(q.type):
                # A shown list always has a list for answer (designer.presence): "none" is
                # an empty list, never null; may_be_empty says whether it can have 0 items.
                value = self.list_domain(q, may_be_empty)
            else:
                value = self.answer_domain(q, shown, may_be_empty)
            if live:
                shown = shown.set(qid, value)
            elif value.some is None and not value.none:
                shown = None  # no answer is possible: what set() says of a bottom value
        if q.type == "repeat":
            self._items(q, shown, facts)
        if hidden is None:
            return shown  # what join_env(shown, None) gives
        if answers and live:
            info = self.scope.names.get(qid)  # its kind, as scope.domain gives it
            hidden = hidden.set(qid, none_only(info.kind if info is not None else TOP))
        return join_env(shown, hidden)

    def _items(self, repeat: QuestionInfo, env: Env | None, facts: Facts) -> None:
        """The questions of a repeat item: analysed once, for any item."""
        if repeat.type != "repeat":
            return
        for item in self.items.get(repeat.id, ()):
            env = self.question(item, env, facts)

    def answer_domain(self, q: QuestionInfo, env: Env, none: bool) -> AbsVal:
        """The values a shown question's answer can take, from its type and bounds."""
        base = self.scope.domain(q.id, none)
        if base.some is None:
            return base
        if base.kind == NUM and (q.min is not None or q.max is not None):
            lo = q.min if isinstance(q.min, (int, float)) else None
            hi = q.max if isinstance(q.max, (int, float)) else None
            integral = q.type == "integer"
            # Every question of the same type and bounds has the same domain: made once and
            # shared, which lets later joins and meets recognise it by identity.
            key = (none, base.some.integral, integral, type(lo), lo, type(hi), hi)  # type: ignore[attr-defined]
            found = self._bounded.get(key)
            if found is None:
                bounded = base.some.intersect(  # type: ignore[attr-defined]
                    Intervals.between(lo, hi, integral)
                )
                found = AbsVal(NUM, none, None if bounded.is_empty() else bounded)
                self._bounded[key] = found
            return found
        if base.kind == DATE:
            lo = self._date_bound(q.min, env, low=True)
            hi = self._date_bound(q.max, env, low=False)
            if lo is not None or hi is not None:
                bounded = base.some.intersect(Intervals.between(lo, hi, True))  # type: ignore[attr-defined]
                return AbsVal(DATE, none, None if bounded.is_empty() else bounded)
        return base

    def list_domain(self, q: QuestionInfo, optional: bool) -> AbsVal:
        """The answers a shown multichoice or repeat can have (never null): its item
        counts, as designer.presence.count_bounds accepts them."""
        base = self.scope.domain(q.id, False)
        if base.kind != LIST:
            return base  # a multichoice: which options, not how many
        hi = q.max if isinstance(q.max, int) else None
        counts = Intervals.between(fewest_items(q.min, required=True), hi, True)
        if optional:
            counts = counts.union(Intervals.point(0, True))
        return AbsVal(LIST, False, counts)

    def _date_bound(self, bound: object, env: Env, low: bool) -> int | None:
        if bound is None or isinstance(bound, (int, float, str)):
            return None
        value = self.ev.value(env, bound)  # type: ignore[arg-type]
        if value.kind != DATE or value.some is None or value.none:
            return None
        hull = value.some.hull()  # type: ignore[attr-defined]
        edge = hull.lo if low else hull.hi
        return None if edge in (float("inf"), float("-inf")) else int(edge)


def interpreter_of(journey: CompiledJourney) -> Interpreter:
    """The journey's interpreter, made once and shared by the check and the report."""
    found = journey.derived.get("interpreter")
    if found is None:
        found = journey.derived["interpreter"] = Interpreter(journey)
    return found


def interpret(journey: CompiledJourney) -> Facts:
    """The facts of the abstract interpretation of an acyclic journey (computed once)."""
    found = journey.derived.get("facts")
    if found is None:
        found = journey.derived["facts"] = interpreter_of(journey).run()
    return found


__all__ = ["ALL3", "BranchFact", "Facts", "Interpreter", "QuestionFact", "interpret"]
