"""Static checks of a journey's expressions: names, order of answers, types, options.

For every expression we know where it is evaluated (a question's `when` on its
page, a `next` after its page, a computed value wherever it is used…), so each
name it reads can be resolved to a question that is answered before that point
(an earlier step on some path, or an earlier question of the same page), or
reported as a forward reference.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

from designer.check_messages import Message, msg
from designer.compiled import CompiledJourney, QuestionInfo, where
from designer.expressions import Expr, names
from designer.expressions.checker import check
from designer.expressions.types import Symbol, ValueType
from designer.findings import Finding
from designer.graph import Precedence
from designer.source import Path

TYPES: dict[str, ValueType] = {
    "yesno": ValueType.BOOLEAN,
    "integer": ValueType.NUMBER,
    "decimal": ValueType.NUMBER,
    "choice": ValueType.STRING,
    "multichoice": ValueType.LIST,
    "date": ValueType.DATE,
    "repeat": ValueType.ITEMS,
    "address": ValueType.OPAQUE,
    "file": ValueType.OPAQUE,
}


def value_type(question_type: str) -> ValueType:
    """The type a question's answer has in expressions."""
    return TYPES.get(question_type, ValueType.STRING)


class Place:
    """Where an expression is evaluated: on a step, before question ``index`` (inclusive
    when ``include_self``), inside a repeat item or not; ``None`` step: a computed value.

    A plain slotted class (never changed once made): one is made for each expression of
    the journey at every check, and a frozen dataclass costs a call per field."""

    __slots__ = ("step", "index", "repeat", "include_self")

    def __init__(
        self, step: str | None, index: float, repeat: str | None = None,
        include_self: bool = False,
    ) -> None:
        self.step = step
        self.index = index
        self.repeat = repeat
        self.include_self = include_self


class _Candidates:
    """The names an expression at a place may use, listed when first read: the checker
    only reads them to suggest a fix for an unknown name (most expressions have none)."""

    __slots__ = ("checker", "place")

    def __init__(self, checker: ScopeChecker, place: Place) -> None:
        self.checker = checker
        self.place = place

    def __iter__(self) -> Iterator[str]:
        return iter(self.checker._candidates(self.place))


class ScopeChecker:
    """Resolves names for each place of evaluation and collects findings."""

    def __init__(self, journey: CompiledJourney, precedence: Precedence | None) -> None:
        self.journey = journey
        self.precedence = precedence
        self.findings: list[Finding] = []
        self.computed_types: dict[str, ValueType] = {}
        self.computed_deps: dict[str, set[str]] = {}
        self._candidate_lists: dict[str | None, list[str]] = {}
        #: The symbol of each question by (id, available), made when first read: a
        #: question has the same type and options wherever it is read.
        self._symbols: dict[tuple[str, bool], Symbol] = {}

    # -- availability ---------------------------------------------------------------------

    def _answered_before(self, q: QuestionInfo, place: Place) -> bool:
        if place.step is None:
            return q.repeat is None
        if q.repeat is not None:
            if place.repeat != q.repeat:
                return False
            return q.index < place.index or (place.include_self and q.index == place.index)
        if q.step == place.step:
            if place.repeat is not None:
                # Inside an item, the page's questions before the repeat are answered.
                rq = self.journey.questions[place.repeat]
                return q.index < rq.index
            return q.index < place.index or (place.include_self and q.index == place.index)
        if self.precedence is None:
            return True  # a cyclic graph: order is meaningless, the cycle is reported
        return self.precedence.before(q.step, place.step)

    def _computed_missing(self, name: str, place: Place) -> str | None:
        """The first question a computed value needs that is not answered at ``place``."""
        for dep in sorted(self.computed_deps.get(name, set())):
            q = self.journey.questions.get(dep)
            if q is not None and not self._answered_before(q, place):
                return dep
        return None

    def lookup_for(self, place: Place) -> Callable[[str], Symbol | None]:
        """The name resolver of the expression checker, for one place of evaluation."""

        unsure = self.journey.unsure.names
        computed = self.journey.model.computed
        questions = self.journey.questions
        symbols = self._symbols

        def lookup(name: str) -> Symbol | None:
            if name in unsure:
                # Its definition failed a check (reported there): anything goes here.
                return Symbol(name, ValueType.ANY)
            if name in computed:
                if place.step is None and name not in self.computed_types:
                    return Symbol(name, ValueType.ANY, available=False)
                available = self._computed_missing(name, place) is None
                return Symbol(name, self.computed_types.get(name, ValueType.ANY),
                              available=available)
            q = questions.get(name)
            if q is None or not q.answers:
                return None
            if q.repeat is not None and place.repeat != q.repeat:
                return None
            key = (name, self._answered_before(q, place))
            symbol = symbols.get(key)
            if symbol is None:
                symbol = symbols[key] = Symbol(
                    name,
                    value_type(q.type),
                    options=frozenset(q.options) if q.options is not None else None,
                    available=key[1],
                )
            return symbol

        return lookup

    def _candidates(self, place: Place) -> list[str]:
        """Names an expression at ``place`` may use (to suggest a fix); built once per repeat."""
        cached = self._candidate_lists.get(place.repeat)
        if cached is not None:
            return cached
        out = list(self.journey.model.computed)
        for q in self.journey.questions.values():
            if q.answers and (q.repeat is None or q.repeat == place.repeat):
                out.append(q.id)
        self._candidate_lists[place.repeat] = out
        return out

    # -- checking -----------------------------------------------------------------------

    def check(
        self, tree: Expr | None, path: Path, place: Place, expect: ValueType | None
    ) -> ValueType:
        """Check one expression and record its problems as findings at their YAML place."""
        if tree is None:
            return ValueType.ANY
        result = check(tree, self.lookup_for(place), expect=expect,
                       candidates=_Candidates(self, place))
        if result.problems:
            self.journey.unsure.expressions.add(path)
        for problem in result.problems:
            message = problem.said
            if problem.rule == "unknown-name":
                message = self._explain_unknown(tree, place) or message
            if problem.rule == "forward-reference":
                message = self._explain_forward(message, tree, place)
            self.findings.append(
                Finding.of(
                    problem.rule,
                    message,
                    self.journey.file,
                    self.journey.document.expression_position(path, problem.offset),
                    **where(path),
                )
            )
        return result.type

    def _explain_unknown(self, tree: Expr, place: Place) -> Message | None:
        for name in names(tree):
            q = self.journey.questions.get(name)
            if q is None:
                continue
            if q.repeat is not None and place.repeat != q.repeat:
                return msg("name.in-repeat", name=name, repeat=q.repeat)
            if not q.answers:
                return msg("name.info", name=name)
        return None

    def _explain_forward(self, message: Message, tree: Expr, place: Place) -> Message:
        for name in names(tree):
            if name in self.journey.model.computed:
                missing = self._computed_missing(name, place)
                if missing:
                    return msg("name.later.computed", message=message, name=name,
                               missing=missing)
        return message


def check_expressions(journey: CompiledJourney, precedence: Precedence | None) -> list[Finding]:
    """Check every expression of a journey where it is evaluated."""
    checker = ScopeChecker(journey, precedence)
    # Computed values: in order, each may use questions and earlier computed values.
    for name, tree in journey.computed.items():
        deps: set[str] = set()
        if tree is not None:
            for n in names(tree):
                deps |= checker.computed_deps.get(n, {n} if n in journey.questions else set())
        checker.computed_deps[name] = deps
        checker.computed_types[name] = checker.check(
            tree, ("computed", name), Place(None, float("inf")), None
        )
        if ("computed", name) in journey.unsure.expressions:
            journey.unsure.names.add(name)  # its users are not reported again
    for q in journey.questions.values():
        # Most questions have no expression at all: their places and paths are made only
        # for the expressions they have (checking None finds nothing).
        required = q.required
        dated = q.type == "date" and (q.min is not None or q.max is not None)
        if q.when is None and type(required) is bool and not q.checks and not dated:
            continue
        inside = q.repeat
        place = Place(q.step, q.index, inside)
        if q.when is not None:
            checker.check(q.when, q.path + ("when",), place, ValueType.BOOLEAN)
        if not isinstance(required, bool):
            checker.check(required, q.path + ("required",), place, ValueType.BOOLEAN)
        if q.checks:
            self_place = Place(q.step, q.index, inside, include_self=True)
            for i, (rule, _message) in enumerate(q.checks):
                checker.check(rule, q.path + ("checks", i, "rule"), self_place,
                              ValueType.BOOLEAN)
        if dated:
            for bound in ("min", "max"):
                tree = getattr(q, bound)
                if tree is not None:
                    checker.check(tree, q.path + (bound,), place, ValueType.DATE)
    for sid in journey.steps:
        after_page: Place | None = None
        for branch in journey.branches(sid):
            if branch.when is None:
                continue  # a default: nothing to check
            if after_page is None:
                after_page = Place(sid, float("inf"))
            checker.check(branch.when, branch.path + ("when",), after_page, ValueType.BOOLEAN)
    for route in journey.routing:
        # Evaluated at submission: every answer of the path may be read (unanswered: null).
        checker.check(route.when, route.path + ("when",), Place(None, float("inf")),
                      ValueType.BOOLEAN)
    return checker.findings

