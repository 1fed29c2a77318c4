"""The compiled journey: a validated model with its expressions parsed and its step graph built.

This is what the run semantics, the analyses, the reports and the renderer work on.
Expressions are parsed once here (an expression that does not parse is kept as
``None`` and reported); the step graph is a ``networkx.DiGraph`` whose nodes are
step and outcome ids.
"""

from __future__ import annotations

import copy
import hashlib
from dataclasses import dataclass, field
from typing import Any, TypedDict

import networkx as nx

from designer.check_messages import msg
from designer.expressions import Expr, ExpressionSyntaxError, Literal, parse
from designer.findings import Finding
from designer.format_types import FALC_SUFFIX, falc_variant
from designer.model import Journey, Outcome, Step
from designer.questions import RepeatQuestion
from designer.source import Document, Path

TextValue = str | dict[str, str] | None


@dataclass
class ParsedExpression:
    """An expression of the journey with where it was written."""

    text: str
    path: Path
    tree: Expr | None


@dataclass
class QuestionInfo:
    """A question with everything the engine derived about it."""

    id: str
    step: str
    question: Any
    path: Path
    type: str
    repeat: str | None
    index: int
    order: int
    when: Expr | None
    required: bool | Expr
    checks: list[tuple[Expr, TextValue]] = field(default_factory=list)
    options: dict[str, TextValue] | None = None
    min: Any = None
    max: Any = None
    #: Earlier questions of the same page (or repeat item) that its ``when`` reads:
    #: without scripts, the question goes on a follow-up page after them.
    depends_on_page: frozenset[str] = frozenset()
    #: Whose data the answer is: ``applicant`` (the person filling in) or
    #: ``person_concerned``; from the question, else its repeat, step or journey.
    about: str = "applicant"

    @property
    def label(self) -> TextValue:
        """The question's label (an info block's heading, if any)."""
        return getattr(self.question, "label", None)

    @property
    def answers(self) -> bool:
        """Whether the citizen answers it (an info block does not)."""
        return self.type != "info"


@dataclass
class BranchInfo:
    """One way out of a step: to ``target`` when ``when`` holds (``None``: always)."""

    step: str
    target: str
    when: Expr | None
    index: int
    path: Path
    default: bool


@dataclass
class Unsure:
    """What the checker could not make sense of, each reported once where it is written.

    The parts that depend on it are checked as "unknown" rather than guessed: an
    expression listed here may take any value, a name listed here may be anything, a
    step listed here may lead anywhere; findings that would only be consequences of
    it are withheld (see :mod:`designer.unsure`).
    """

    #: Answers and computed values whose definition was set aside, duplicated or broken.
    names: set[str] = field(default_factory=set)
    #: Expressions (by source path) that failed a check, or read an unsure name.
    expressions: set[Path] = field(default_factory=set)
    #: Steps some of whose ways out are unknown (a target naming nothing, an entry set aside).
    steps: set[str] = field(default_factory=set)
    #: Names the parts set aside or broken may read: never reported as unused.
    used: set[str] = field(default_factory=set)
    #: Branch targets the schema stage set aside (not reported again as unknown).
    targets: set[Path] = field(default_factory=set)
    #: Whether `start` was set aside (nothing can be said of reachability then).
    start: bool = False
    #: Whether the journey id was set aside (it takes no part in portfolio checks).
    journey_id: bool = False

    def __bool__(self) -> bool:
        return bool(self.names or self.expressions or self.steps or self.start)


@dataclass
class RouteInfo:
    """One entry of `routing`: dossiers go to ``service`` when ``when`` holds (``None``: always)."""

    service: str
    when: Expr | None
    index: int
    path: Path


@dataclass
class CompiledJourney:
    """A journey ready to be run, analysed and rendered."""

    model: Journey
    file: str
    document: Document
    digest: str
    questions: dict[str, QuestionInfo] = field(default_factory=dict)
    computed: dict[str, Expr | None] = field(default_factory=dict)
    expressions: list[ParsedExpression] = field(default_factory=list)
    _branches: dict[str, list[BranchInfo]] = field(default_factory=dict)
    #: Which service receives a dossier, tried in order at submission.
    routing: list[RouteInfo] = field(default_factory=list)
    _by_step: dict[str, list[QuestionInfo]] = field(default_factory=dict)
    _by_repeat: dict[str, list[QuestionInfo]] = field(default_factory=dict)
    graph: nx.DiGraph = field(default_factory=nx.DiGraph)
    #: What the checks could not make sense of; empty for a journey without errors.
    unsure: Unsure = field(default_factory=Unsure)
    #: What later stages derive once from this (unchanging) journey and share: the check
    #: and the report need the same abstract interpretation, computed once.
    derived: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)
    #: This is the easy-to-read view of the journey: :meth:`text` prefers FALC variants.
    falc: bool = field(default=False, compare=False)

    def easy_to_read(self) -> CompiledJourney:
        """The same journey read in its easy-to-read (FALC) version: everything shared, only
        :meth:`text` differs (made once, then kept beside the derived figures)."""
        if self.falc:
            return self
        view = self.derived.get("falc_view")
        if view is None:
            view = copy.copy(self)
            view.falc = True
            self.derived["falc_view"] = view
        return view

    @property
    def id(self) -> str:
        """The journey's slug."""
        return self.model.id

    @property
    def steps(self) -> dict[str, Step]:
        """Step id → step, in reading order."""
        return self.model.steps

    @property
    def outcomes(self) -> dict[str, Outcome]:
        """Outcome id → outcome."""
        return self.model.outcomes

    @property
    def start(self) -> str:
        """The id of the first step."""
        return self.model.start

    @property
    def languages(self) -> list[str]:
        """The journey's languages, the default first."""
        return list(self.model.languages)

    def step_questions(self, step_id: str) -> list[QuestionInfo]:
        """The questions of a page (not the questions inside its repeats), in page order."""
        return self._by_step.get(step_id, [])

    def item_questions(self, repeat_id: str) -> list[QuestionInfo]:
        """The questions asked for each item of a repeat, in page order."""
        return self._by_repeat.get(repeat_id, [])

    def branches(self, step_id: str) -> list[BranchInfo]:
        """The ways out of a step, in the order they are tried."""
        return self._branches.get(step_id, [])

    def is_outcome(self, node: str) -> bool:
        """Whether an id names an outcome."""
        return node in self.model.outcomes

    def position(self, path: Path) -> tuple[int, int]:
        """Line and column of a node of the source."""
        return self.document.position(path)

    def key_position(self, path: Path) -> tuple[int, int]:
        """Line and column of the key naming a node of the source."""
        return self.document.key_position(path)

    def text(self, value: TextValue, lang: str | None = None, falc: bool = False) -> str:
        """A text in ``lang`` (its easy-to-read variant first when ``falc``), falling back
        on the default language, then on any language (never on another's FALC variant)."""
        if value is None:
            return ""
        if isinstance(value, str):
            return value
        first = (falc_variant(lang or self.languages[0]),) if falc or self.falc else ()
        for candidate in (*first, lang, self.languages[0]):
            if candidate and candidate in value:
                return value[candidate]
        plain = [text for key, text in value.items() if not key.endswith(FALC_SUFFIX)]
        return plain[0] if plain else next(iter(value.values()), "")

    def falc_languages(self) -> list[str]:
        """The journey's languages that some text gives an easy-to-read (FALC) version of."""
        found = self.derived.get("falc_languages")
        if found is None:
            variants = {falc_variant(lang) for lang in self.languages}
            # The document knows every key of the source: when no key is a variant, no
            # mapping holds one, and the walk over every node (the dearer reading) is left out.
            if variants.isdisjoint(self.document.keys):
                keys: set[str] = set()
            else:
                keys = {k for value in _text_values(self.document.data) for k in value}
            found = [lang for lang in self.languages if falc_variant(lang) in keys]
            self.derived["falc_languages"] = found
        return list(found)


def _text_values(node: Any) -> list[dict[str, str]]:
    """Every mapping of the source whose values are all strings: the translated texts."""
    found: list[dict[str, str]] = []
    stack = [node]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            if item and all(isinstance(v, str) for v in item.values()):
                found.append(item)
            else:
                stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return found


def _options(raw: Any) -> dict[str, TextValue] | None:
    if raw is None:
        return None
    if isinstance(raw, list):
        return {str(v): str(v) for v in raw}
    return {str(k): v for k, v in raw.items()}


class _Compiler:
    def __init__(self, model: Journey, doc: Document, digest: str) -> None:
        self.journey = CompiledJourney(model=model, file=doc.file, document=doc, digest=digest)
        self.findings: list[Finding] = []
        self.order = 0

    def expression(self, value: Any, path: Path) -> Expr | None:
        """Parse an expression written at ``path``; booleans and numbers are literals."""
        if isinstance(value, bool) or isinstance(value, (int, float)):
            tree: Expr | None = Literal(value)
            self.journey.expressions.append(ParsedExpression(str(value).lower(), path, tree))
            return tree
        text = str(value)
        try:
            tree = parse(text)
        except ExpressionSyntaxError as exc:
            offset = getattr(exc, "offset", 0) or 0
            self.findings.append(
                Finding.of(
                    "expression-syntax",
                    msg("syntax.in-expression", message=exc.said, text=text),
                    self.journey.file,
                    self.journey.document.expression_position(path, offset),
                    **where(path),
                )
            )
            tree = None
            self.journey.unsure.expressions.add(path)
        self.journey.expressions.append(ParsedExpression(text, path, tree))
        return tree

    def question(
        self, qid: str, q: Any, step: str, path: Path, repeat: str | None, index: int
    ) -> None:
        when = self.expression(q.when, path + ("when",)) if q.when is not None else None
        required: bool | Expr = True
        # The fields of this question's type (a model's values live in its __dict__): looked
        # up there, as getattr on a pydantic model for a field its type lacks goes through
        # pydantic's slow __getattr__ and an exception, thousands of times on a large journey.
        fields = q.__dict__
        raw_required = fields.get("required", True)
        if isinstance(raw_required, str):
            required = self.expression(raw_required, path + ("required",)) or True
        else:
            required = bool(raw_required)
        checks: list[tuple[Expr, TextValue]] = []
        for i, check in enumerate(fields.get("checks") or []):
            tree = self.expression(check.rule, path + ("checks", i, "rule"))
            if tree is not None:
                checks.append((tree, check.message))
        qmin, qmax = fields.get("min"), fields.get("max")
        if q.type == "date":
            qmin = self.expression(qmin, path + ("min",)) if qmin is not None else None
            qmax = self.expression(qmax, path + ("max",)) if qmax is not None else None
        model = self.journey.model
        parent = self.journey.questions.get(repeat) if repeat else None
        about = (fields.get("about") or (parent.about if parent else None)
                 or model.steps[step].about or model.about)
        info = QuestionInfo(
            about=about,
            id=qid,
            step=step,
            question=q,
            path=path,
            type=q.type,
            repeat=repeat,
            index=index,
            order=self.order,
            when=when,
            required=required,
            checks=checks,
            options=_options(fields.get("options")),
            min=qmin,
            max=qmax,
        )
        self.order += 1
        # The first definition wins; duplicates are reported by the id check.
        if qid not in self.journey.questions:
            self.journey.questions[qid] = info
            if repeat is None:
                self.journey._by_step.setdefault(step, []).append(info)
            else:
                self.journey._by_repeat.setdefault(repeat, []).append(info)
        if isinstance(q, RepeatQuestion):
            for j, (item_id, item) in enumerate(q.questions.items()):
                self.question(item_id, item, step, path + ("questions", item_id), qid, j)

    def compile(self) -> CompiledJourney:
        model = self.journey.model
        for name, value in model.computed.items():
            self.journey.computed[name] = self.expression(value, ("computed", name))
        for sid, step in model.steps.items():
            for i, (qid, q) in enumerate(step.questions.items()):
                self.question(qid, q, sid, ("steps", sid, "questions", qid), None, i)
            branches: list[BranchInfo] = []
            if isinstance(step.next, str):
                branches.append(BranchInfo(sid, step.next, None, 0, ("steps", sid, "next"), True))
            else:
                for i, b in enumerate(step.next):
                    bpath = ("steps", sid, "next", i)
                    when = None
                    if b.when is not None:
                        when = self.expression(b.when, bpath + ("when",))
                    branches.append(BranchInfo(sid, b.goto, when, i, bpath, b.when is None))
            self.journey._branches[sid] = branches
        for i, route in enumerate(model.routing):
            rpath = ("routing", i)
            rwhen = self.expression(route.when, rpath + ("when",)) if route.when is not None \
                else None
            self.journey.routing.append(RouteInfo(route.service, rwhen, i, rpath))
        return self.journey


class Where(TypedDict):
    """The step and question a place of the source belongs to."""

    step: str | None
    question: str | None


def where(path: Path) -> Where:
    """The step and question that a source path belongs to (for findings)."""
    step = question = None
    if len(path) >= 2 and path[0] == "steps":
        step = str(path[1])
        rest = path[2:]
        while len(rest) >= 2 and rest[0] == "questions":
            question = str(rest[1])
            rest = rest[2:]
    return {"step": step, "question": question}


def compile_journey(model: Journey, doc: Document, text: bytes | str) -> tuple[
    CompiledJourney, list[Finding]
]:
    """Parse the expressions of a validated journey; findings for those that do not parse."""
    raw = text.encode("utf-8") if isinstance(text, str) else text
    digest = hashlib.sha256(raw).hexdigest()
    compiler = _Compiler(model, doc, digest)
    journey = compiler.compile()
    return journey, compiler.findings
