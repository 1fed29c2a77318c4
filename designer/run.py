"""Run semantics: a citizen's way through a journey, from the answers given so far.

A :class:`Run` answers the questions a form asks of the engine — which questions
does this page show? are these answers acceptable? where next? how far has the
citizen got? what is kept when they send? — from a compiled journey and the
answers given so far. It is pure Python with no web, used alike by the renderer,
the analyses, the personas and the tests.

Relevance is recomputed from the start every time: an answer counts only while
the question it answers is shown on the path the answers lead to, so a change
that leaves a branch makes the answers given there disappear from the run (and
from what is kept at submission).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from designer.compiled import CompiledJourney, QuestionInfo, TextValue
from designer.expressions import Expr
from designer.expressions.evaluator import evaluate
from designer.messages import REQUIRED_CODES, required_message
from designer.presence import count_bounds, fewest_items, is_answered, is_list, shown_value
from designer.values import check_option, coerce, required_error
from designer.values.bounds import check_bounds
from designer.values.results import InvalidAnswer

#: A run never walks more pages than this (a cyclic journey is never served, but be safe).
MAX_PAGES = 10_000


@dataclass
class FieldError:
    """Why the answer to one input of a page is refused."""

    field: str
    question: str
    error: InvalidAnswer | None = None
    text: TextValue = None

    def message(self, lang: str = "fr", journey: CompiledJourney | None = None) -> str:
        """The message the citizen reads beside the field; for a field left empty, one that
        names it (the question's `error_message`, or one derived from its label)."""
        if self.error is not None and self.error.code in REQUIRED_CODES and journey:
            q = journey.questions.get(self.question)
            if q is not None:
                own = getattr(q.question, "error_message", None)
                if own is not None:
                    return journey.text(own, lang)
                return required_message(journey.text(q.label, lang), q.type, lang)
        if self.error is not None:
            return self.error.message(lang)
        if isinstance(self.text, dict):
            return self.text.get(lang) or next(iter(self.text.values()), "")
        return self.text or ""


@dataclass
class PageResult:
    """The outcome of posting a page: the errors, or the typed answers it gave."""

    step: str
    errors: list[FieldError] = field(default_factory=list)
    answers: dict[str, Any] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        """Whether the page was accepted."""
        return not self.errors


@dataclass
class PageView:
    """One page of the path: the step and the questions it shows."""

    step: str
    questions: list[QuestionInfo]
    #: The answers shown on the path before this page (what its conditions see first).
    before: dict[str, Any] = field(default_factory=dict, repr=False)


class Environment(Mapping[str, Any]):
    """The values an expression sees: answers of shown questions, then computed values."""

    def __init__(self, run: Run, values: dict[str, Any]) -> None:
        self._run = run
        self._values = values
        self._computing: set[str] = set()

    def __getitem__(self, name: str) -> Any:
        if name in self._values:
            return self._values[name]
        tree = self._run.journey.computed.get(name)
        if tree is None or name in self._computing:
            return None
        self._computing.add(name)
        try:
            return evaluate(tree, self, today=self._run.today)
        finally:
            self._computing.discard(name)

    def __iter__(self) -> Iterator[str]:
        return iter(self._values)

    def __len__(self) -> int:
        return len(self._values)

    def get(self, name: str, default: Any = None) -> Any:
        """The value of ``name``, or ``default`` when it is neither answered nor computed."""
        value = self[name]
        return default if value is None else value

    @property
    def answers(self) -> dict[str, Any]:
        """The answers this environment holds (computed values are not included).

        Not `values`: that is Mapping's own method, which this class keeps."""
        return dict(self._values)

    def with_values(self, values: Mapping[str, Any]) -> Environment:
        """This environment seen from inside a repeat item: the item's answers first."""
        merged = dict(self._values)
        merged.update(values)
        return Environment(self._run, merged)


def holds(tree: Expr | None, env: Mapping[str, Any], today: datetime.date) -> bool:
    """Whether a condition holds; no condition always holds, unknown counts as false."""
    if tree is None:
        return True
    return evaluate(tree, env, today=today) is True


class Run:
    """A citizen's run through a journey, given the answers so far.

    ``answers`` maps question ids to typed values (a repeat: a list of dicts of typed
    values). ``seen`` is the set of steps whose page the citizen has sent; when it is
    ``None`` every step counts as sent, which is how analyses and tests replay a set
    of answers. ``today`` is injectable for tests.
    """

    def __init__(
        self,
        journey: CompiledJourney,
        answers: Mapping[str, Any] | None = None,
        *,
        seen: Iterable[str] | None = None,
        today: datetime.date | None = None,
    ) -> None:
        self.journey = journey
        self.answers: dict[str, Any] = dict(answers or {})
        self.seen: set[str] | None = set(seen) if seen is not None else None
        self.today = today or datetime.date.today()

    # -- relevance ---------------------------------------------------------------------

    def _show(self, q: QuestionInfo, env: Mapping[str, Any]) -> bool:
        return holds(q.when, env, self.today)

    def _visible(
        self, step_id: str, env_values: dict[str, Any], source: Mapping[str, Any]
    ) -> list[QuestionInfo]:
        """Shown questions of a page in order; their answers from ``source`` join the env."""
        shown: list[QuestionInfo] = []
        for q in self.journey.step_questions(step_id):
            env = Environment(self, env_values)
            if not self._show(q, env):
                continue
            shown.append(q)
            if not q.answers:
                continue
            # What a shown question answers, as designer.presence says (a list: maybe none).
            value = shown_value(q.type, source.get(q.id))
            if q.type == "repeat" and isinstance(value, list):
                value = [self._visible_item(q.id, item, env) for item in value]
            if value is not None:
                env_values[q.id] = value
        return shown

    def _visible_item(
        self, repeat_id: str, item: Mapping[str, Any], env: Environment
    ) -> dict[str, Any]:
        """The answers of one repeat item to the item questions it shows."""
        kept: dict[str, Any] = {}
        for q in self.journey.item_questions(repeat_id):
            if not self._show(q, env.with_values(kept)):
                continue
            value = shown_value(q.type, item.get(q.id)) if q.answers else None
            if value is not None:
                kept[q.id] = value
        return kept

    def item_visible_questions(
        self, repeat_id: str, item: Mapping[str, Any], env: Mapping[str, Any] | None = None
    ) -> list[QuestionInfo]:
        """The questions one item of a repeat shows, given that item's answers."""
        base = env if isinstance(env, Environment) else self.environment_before(
            self.journey.questions[repeat_id].step
        )
        kept: dict[str, Any] = {}
        shown = []
        for q in self.journey.item_questions(repeat_id):
            if not self._show(q, base.with_values(kept)):
                continue
            shown.append(q)
            if q.answers and item.get(q.id) is not None:
                kept[q.id] = item[q.id]
        return shown

    def _walk(self) -> tuple[list[PageView], str | None, dict[str, Any]]:
        """Pages of the path, the node the citizen is on, and the env of shown answers."""
        env_values: dict[str, Any] = {}
        pages: list[PageView] = []
        node: str | None = self.journey.start
        while node is not None and node in self.journey.steps and len(pages) < MAX_PAGES:
            before = dict(env_values)
            shown = self._visible(node, env_values, self.answers)
            pages.append(PageView(node, shown, before))
            if not self._complete(node, shown, env_values):
                return pages, node, env_values
            node = self._next_from(node, Environment(self, env_values))
        return pages, node, env_values

    def _complete(self, step_id: str, shown: list[QuestionInfo], env: dict[str, Any]) -> bool:
        if self.seen is not None and step_id not in self.seen:
            # A page whose every question is hidden by the answers so far is passed over:
            # the citizen never sees an empty page. (A page written with no question at all
            # is an information page, and is shown.)
            if shown or not self.journey.step_questions(step_id):
                return False
        for q in shown:
            if not q.answers:
                continue
            required = self.is_required(q, Environment(self, env))
            value = env.get(q.id)
            if is_list(q.type):
                count = len(value) if isinstance(value, list) else 0
                if count < fewest_items(q.min, required=required):
                    return False
            elif required and not is_answered(value):
                return False
        return True

    def is_required(self, q: QuestionInfo, env: Mapping[str, Any]) -> bool:
        """Whether a shown question needs an answer, given the answers ``env`` holds."""
        if isinstance(q.required, bool):
            return q.required
        return holds(q.required, env, self.today)


    def _next_from(self, step_id: str, env: Mapping[str, Any]) -> str | None:
        for branch in self.journey.branches(step_id):
            if holds(branch.when, env, self.today):
                return branch.target
        return None

    # -- what a citizen asks ---------------------------------------------------------------

    def environment_before(self, step_id: str) -> Environment:
        """The answers a page's conditions see: those shown on the path before it."""
        pages, _, env_values = self._walk()
        for page in pages:
            if page.step == step_id:
                return Environment(self, dict(page.before))
        return Environment(self, dict(env_values))

    def visible_questions(self, step_id: str, answers: Mapping[str, Any] | None = None) -> list[
        QuestionInfo
    ]:
        """The questions the page of ``step_id`` shows, with the answers so far.

        ``answers`` (typed values) may stand in for the stored answers of this page, to
        see what a page would reveal as the citizen fills it in.
        """
        env = self.environment_before(step_id)
        source = dict(self.answers)
        if answers is not None:
            source.update(answers)
        return self._visible(step_id, dict(env._values), source)

    def pages(self) -> list[PageView]:
        """The pages of the path walked so far, the current one last."""
        return self._walk()[0]

    def path(self) -> list[str]:
        """Step ids walked from the start, then the outcome once one is reached."""
        pages, node, _ = self._walk()
        ids = [p.step for p in pages]
        if node is not None and self.journey.is_outcome(node):
            ids.append(node)
        return ids

    @property
    def current(self) -> str | None:
        """The page the citizen is on, or the outcome reached (None: stuck, no branch)."""
        return self._walk()[1]

    @property
    def outcome(self) -> str | None:
        """The outcome reached, if the run is over."""
        node = self.current
        return node if node is not None and self.journey.is_outcome(node) else None

    @property
    def finished(self) -> bool:
        """Whether every page is answered and an outcome is reached."""
        return self.outcome is not None

    def can_visit(self, step_id: str) -> bool:
        """Whether a page is on the path so far (a page not reached cannot be answered)."""
        return any(p.step == step_id for p in self.pages())

    def next(self, step_id: str) -> str | None:
        """Where the citizen goes after ``step_id``, given the answers (None: no branch holds)."""
        env = self.environment_before(step_id)
        values = dict(env._values)
        self._visible(step_id, values, self.answers)
        return self._next_from(step_id, Environment(self, values))

    def kept_answers(self) -> dict[str, Any]:
        """The answers kept at submission: only those to questions shown in the final run."""
        _, _, env_values = self._walk()
        return {k: v for k, v in env_values.items() if k in self.journey.questions}

    def review(self) -> list[tuple[str, list[tuple[QuestionInfo, Any]]]]:
        """Check-your-answers: for each page of the path, its shown questions and answers."""
        kept = self.kept_answers()
        groups = [
            (p.step, [(q, kept.get(q.id)) for q in p.questions if q.answers])
            for p in self.pages()
        ]
        return [(step, answers) for step, answers in groups if answers]

    # -- answering a page --------------------------------------------------------------

    def answer_page(
        self,
        step_id: str,
        form: Mapping[str, Any],
        *,
        only: Iterable[str] | None = None,
    ) -> PageResult:
        """Validate what the citizen sent for a page and, when it is all valid, keep it.

        ``form`` maps question ids to raw values as :func:`designer.values.coerce` takes
        them (a repeat: a list of mappings, one per item; a file: the stored file's
        reference, or None). Answers to questions the page does not show are ignored
        and any earlier answer to them is dropped. ``only`` restricts validation to some
        questions of the page (a follow-up page of the same step without scripts).
        """
        result = PageResult(step_id)
        env = self.environment_before(step_id)
        values: dict[str, Any] = dict(env._values)
        subset = set(only) if only is not None else None
        shown_ids: list[str] = []
        for q in self.journey.step_questions(step_id):
            here = Environment(self, values)
            if not self._show(q, here):
                continue
            shown_ids.append(q.id)
            if not q.answers:
                continue
            if subset is not None and q.id not in subset:
                value = self.answers.get(q.id)
                if value is not None:
                    values[q.id] = value
                continue
            value = self._validate(q, form.get(q.id), here, q.id, result)
            if value is not None:
                values[q.id] = value
                result.answers[q.id] = value
        if result.errors:
            return result
        page_ids = {q.id for q in self.journey.step_questions(step_id)}
        for qid in page_ids:
            if qid in result.answers:
                self.answers[qid] = result.answers[qid]
            elif qid not in shown_ids or subset is None or qid in subset:
                # Hidden now, or left empty: an earlier answer must not linger.
                self.answers.pop(qid, None)
        if self.seen is not None:
            self.seen.add(step_id)
        return result

    def _validate(
        self, q: QuestionInfo, raw: Any, env: Environment, field_name: str, result: PageResult
    ) -> Any:
        if q.type == "repeat":
            return self._validate_repeat(q, raw, env, result)
        if q.type == "file":
            value = raw if is_answered(raw) else None
        else:
            coerced = coerce(q.type, raw)
            if coerced.error is not None:
                result.errors.append(FieldError(field_name, q.id, coerced.error))
                return None
            value = coerced.value
        if q.type == "multichoice" and (value is None or value == []):
            # Nothing ticked: "none" is the answer when the question allows it.
            if fewest_items(q.min, required=self.is_required(q, env)) > 0:
                result.errors.append(FieldError(field_name, q.id, required_error(q.type)))
                return None
            return []
        if value is None:
            if self.is_required(q, env):
                result.errors.append(FieldError(field_name, q.id, required_error(q.type)))
            return None
        error = self._check_value(q, value, env)
        if error is not None:
            error.field = field_name
            result.errors.append(error)
            return None
        return value

    def _check_value(self, q: QuestionInfo, value: Any, env: Environment) -> FieldError | None:
        question = q.question
        if q.options is not None:
            bad = check_option(value, q.options)
            if bad is not None:
                return FieldError(q.id, q.id, bad)
        low, high = q.min, q.max
        if q.type == "multichoice":
            low, high = count_bounds(low, high, required=self.is_required(q, env),
                                     count=len(value))
        if q.type == "date":
            low = self._date_bound(low, env)
            high = self._date_bound(high, env)
        if q.type in ("integer", "decimal", "date", "multichoice"):
            bad = check_bounds(q.type, value, min=low, max=high)
        elif q.type in ("text", "textarea"):
            bad = check_bounds(
                q.type,
                value,
                min_length=question.min_length,
                max_length=question.max_length,
                pattern=question.pattern,
            )
        else:
            bad = None
        if bad is not None:
            return FieldError(q.id, q.id, bad)
        with_answer = env.with_values({q.id: value})
        for rule, message in q.checks:
            if evaluate(rule, with_answer, today=self.today) is False:
                return FieldError(q.id, q.id, None, message)
        return None

    def _date_bound(self, bound: Any, env: Mapping[str, Any]) -> datetime.date | None:
        if bound is None:
            return None
        value = evaluate(bound, env, today=self.today)
        return value if isinstance(value, datetime.date) else None

    def _validate_repeat(
        self, q: QuestionInfo, raw: Any, env: Environment, result: PageResult
    ) -> list[dict[str, Any]] | None:
        items_raw = raw if isinstance(raw, list) else []
        items: list[dict[str, Any]] = []
        failed = False
        for i, item_raw in enumerate(items_raw):
            if not isinstance(item_raw, Mapping):
                continue
            item: dict[str, Any] = {}
            for iq in self.journey.item_questions(q.id):
                here = env.with_values(item)
                if not self._show(iq, here) or not iq.answers:
                    continue
                before = len(result.errors)
                value = self._validate(iq, item_raw.get(iq.id), here, f"{q.id}-{i}-{iq.id}",
                                       result)
                if len(result.errors) > before:
                    failed = True
                if value is not None:
                    item[iq.id] = value
            items.append(item)
        if failed:
            return None
        low, high = count_bounds(q.min, q.max, required=self.is_required(q, env),
                                 count=len(items))
        count_error = check_bounds("repeat", items, min=low, max=high)
        if count_error is not None:
            result.errors.append(FieldError(q.id, q.id, count_error))
            return None
        return items  # possibly none: an answer when the bounds allow it
