"""What a question page shows: its controls for one part, its progress, its back link.

A step is one page when scripts run; without scripts, a question whose condition reads an
earlier answer of the same page goes on a follow-up part of the same step (part 1, 2…), as
laid out by :func:`depths`. Relevance always comes from the engine's
:class:`designer.run.Run`; this module only arranges what the run says is shown.
"""

from __future__ import annotations

import datetime
import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import networkx as nx

from designer.answers import item_limit
from designer.compiled import CompiledJourney, QuestionInfo
from designer.run import FieldError, Run
from designer.values import coerce
from renderer.controls import Builder, Control, Item, kinds_text, size_text
from renderer.i18n import t


def depths(journey: CompiledJourney, step_id: str) -> dict[str, int]:
    """For each question of a page (items included), the follow-up page it goes on without
    scripts: 0 for the first page, 1 + the deepest question its condition reads otherwise.
    An item question goes at least with its repeat."""
    result: dict[str, int] = {}
    questions = [q for q in journey.questions.values() if q.step == step_id]
    for q in sorted(questions, key=lambda q: q.order):
        deps = [result.get(d, 0) + 1 for d in q.depends_on_page]
        floor = result.get(q.repeat, 0) if q.repeat else 0
        result[q.id] = max([floor, *deps])
    return result


@dataclass
class PageLayout:
    """The questions of a step by part, and which fields a post of each part carries."""

    step: str
    depth: dict[str, int]
    max_depth: int

    def displayed(self, part: int | None, journey: CompiledJourney) -> set[str]:
        """Question ids whose fields a post of ``part`` carries (None: the whole page)."""
        ids: set[str] = set()
        for q in journey.questions.values():
            if q.step != self.step:
                continue
            if part is None or self.depth.get(q.id, 0) == part:
                ids.add(q.id)
                if q.repeat:
                    ids.add(q.repeat)
        return ids


_LAYOUTS: dict[tuple[str, str], PageLayout] = {}


def layout(journey: CompiledJourney, step_id: str) -> PageLayout:
    """The part of every question of a step (cached per journey version)."""
    key = (journey.digest, step_id)
    if key not in _LAYOUTS:
        d = depths(journey, step_id)
        _LAYOUTS[key] = PageLayout(step_id, d, max(d.values(), default=0))
    return _LAYOUTS[key]


def preview(journey: CompiledJourney, step_id: str, raw: Mapping[str, Any]) -> dict[str, Any]:
    """Typed values of a page's raw (possibly invalid) values, to see what they reveal.

    Only the engine's type conversion is used (:func:`designer.values.coerce`): an invalid
    value reveals nothing, exactly as an unanswered one.
    """
    typed: dict[str, Any] = {}
    for q in journey.step_questions(step_id):
        if q.id not in raw:
            continue
        typed_value = _typed(journey, q, raw[q.id])
        if typed_value is not None:
            typed[q.id] = typed_value
    return typed


def _typed(journey: CompiledJourney, q: QuestionInfo, value: Any) -> Any:
    if q.type == "repeat":
        if not isinstance(value, list):
            return None
        items = []
        for item in value:
            if not isinstance(item, Mapping):
                continue
            typed_item = {}
            for iq in journey.item_questions(q.id):
                if iq.id in item:
                    v = _typed(journey, iq, item[iq.id])
                    if v is not None:
                        typed_item[iq.id] = v
            items.append(typed_item)
        return items
    if q.type == "file":
        return value if isinstance(value, Mapping) else None
    if q.type == "info":
        return None
    coerced = coerce(q.type, value)
    return coerced.value if coerced.ok else None


@dataclass
class PageErrors:
    """Errors of a page by HTML field name: message and the part of a composite field."""

    by_field: dict[str, str] = field(default_factory=dict)
    order: list[tuple[str, str, str]] = field(default_factory=list)  # (field, question, msg)

    @classmethod
    def of(cls, errors: list[FieldError], lang: str, journey: CompiledJourney) -> PageErrors:
        """Messages in ``lang`` for the engine's field errors (first error per field)."""
        result = cls()
        for e in errors:
            name = e.field
            part = e.error.params.get("part") if e.error is not None else None
            if part:
                name = f"{e.field}-{part}"
            if name in result.by_field or e.field in result.by_field:
                continue
            message = e.message(lang, journey)
            result.by_field[name] = message
            result.order.append((name, e.question, message))
        return result


def error_links(
    errors: PageErrors,
    controls: list[Control],
    word: Callable[[str, str, str], str] | None = None,
) -> list[tuple[str, str]]:
    """(anchor id, message) for the error summary, in the errors' order: each links to its
    control's first input; ``word(field, question, message)`` words the message (the keying
    screen names the paper's question number)."""
    ids: dict[str, str] = {}

    def visit(c: Control) -> None:
        ids[c.name] = c.id
        for item in c.items:
            for ic in item.controls:
                visit(ic)

    for c in controls:
        visit(c)
    links = []
    for name, question, message in errors.order:
        # A part of a date or an address (``adresse-postcode``) is its own input's id.
        anchor = ids.get(name, name)
        links.append((anchor, word(name, question, message) if word else message))
    return links


def build_controls(
    journey: CompiledJourney,
    run: Run,
    step_id: str,
    part: int,
    raw: Mapping[str, Any],
    errors: PageErrors,
    lang: str,
    today: datetime.date,
) -> list[Control]:
    """The controls of ``part`` of a step, with values and errors.

    Part 0 carries the questions revealed in place by scripts too (``hidden`` until the
    script shows them); a later part carries only what the answers so far reveal.
    """
    lay = layout(journey, step_id)
    builder = Builder(journey, lang, today)
    typed = preview(journey, step_id, raw)
    visible = {q.id for q in run.visible_questions(step_id, answers=typed)}
    env = run.environment_before(step_id)
    controls: list[Control] = []
    for q in journey.step_questions(step_id):
        depth = lay.depth.get(q.id, 0)
        if q.type == "repeat":
            if part == 0 or depth == part:
                # The repeat itself is on this page (revealed in place by scripts if deeper).
                if part == 0 and depth == 0 and q.id not in visible:
                    continue
                c = _repeat(builder, run, q, depth, raw, typed, errors, env, lay,
                            hidden=part == 0 and depth > 0,
                            when=q.when if part == 0 and depth > 0 else None)
                controls.append(c)
            elif depth < part and q.id in visible:
                c = _repeat(builder, run, q, part, raw, typed, errors, env, lay, hidden=False,
                            follow_up=True)
                if c.items:
                    controls.append(c)
            continue
        if part == 0:
            if depth == 0 and q.id not in visible:
                continue
            hidden = depth > 0
            when = q.when if depth > 0 else None
        else:
            if depth != part or q.id not in visible:
                continue
            hidden, when = False, None
        required = _required(run, q, env.with_values(typed))
        c = builder.control(q, q.id, raw.get(q.id), errors.by_field, required, when=when,
                            hidden=hidden)
        if q.type == "file":
            builder.set_file(c, raw.get(q.id))
        controls.append(c)
    return controls


def _required(run: Run, q: QuestionInfo, env: Any) -> bool:
    return run.is_required(q, env)  # the engine's own reading of `required`


def _repeat(
    builder: Builder,
    run: Run,
    q: QuestionInfo,
    part: int,
    raw: Mapping[str, Any],
    typed: Mapping[str, Any],
    errors: PageErrors,
    env: Any,
    lay: PageLayout,
    *,
    hidden: bool,
    when: Any = None,
    follow_up: bool = False,
) -> Control:
    """A repeat and its items. On its own page (``part`` = its depth), each item shows the
    item questions of that depth, the deeper ones hidden until scripts reveal them; on a
    follow-up part, only the item questions of that part that the answers reveal."""
    journey = builder.journey
    control = builder.control(q, q.id, None, errors.by_field, True, hidden=hidden, when=when)
    found, found_typed = raw.get(q.id), typed.get(q.id)
    raw_items: list[Any] = found if isinstance(found, list) else []
    if q.id not in raw and not follow_up:
        # Never answered: show the first item to fill, as the "add another" pattern does
        # (a repeat revealed in place with no item showed a heading and a button only).
        # An item left wholly blank is no item (designer/answers.py, without_blank_items).
        raw_items = [{}]
    typed_items: list[Any] = found_typed if isinstance(found_typed, list) else []
    label = builder.text(q.label)
    control.item_label = label
    control.value = len(raw_items)  # the number of items, posted back as <repeat>-count
    control.can_add = not follow_up and len(raw_items) < item_limit(q)
    if q.min or q.max:
        control.repeat_hint = t("repeat_limits", builder.lang, min=q.min or 0,
                                max=q.max or "∞")
    for index, item in enumerate(raw_items):
        item = item if isinstance(item, Mapping) else {}
        typed_item = typed_items[index] if index < len(typed_items) else {}
        item_env = env.with_values(typed)
        shown = {iq.id for iq in run.item_visible_questions(q.id, typed_item, item_env)}
        controls = []
        for iq in journey.item_questions(q.id):
            depth = lay.depth.get(iq.id, 0)
            name = f"{q.id}-{index}-{iq.id}"
            if follow_up or depth == part:
                if depth != part or iq.id not in shown:
                    continue
                hidden_item, item_when = False, None
            else:
                hidden_item, item_when = True, iq.when
            required = _required(run, iq, item_env.with_values(typed_item))
            c = builder.control(iq, name, item.get(iq.id), errors.by_field, required,
                                when=item_when, hidden=hidden_item)
            if iq.type == "file":
                builder.set_file(c, item.get(iq.id))
            controls.append(c)
        if follow_up and not controls:
            continue
        control.items.append(Item(
            index, t("item", builder.lang, label=label, n=index + 1), controls,
            removable=not follow_up,
        ))
    return control


# -- progress ----------------------------------------------------------------------------------


_REMAINING: dict[str, dict[str, tuple[int, int]]] = {}


def _remaining(journey: CompiledJourney) -> dict[str, tuple[int, int]]:
    """For each step: fewest steps to a submit outcome (or any outcome) and most steps to any
    outcome, the step itself included (cached per journey version)."""
    if journey.digest not in _REMAINING:
        _REMAINING[journey.digest] = _count_remaining(journey)
    return _REMAINING[journey.digest]


def _count_remaining(journey: CompiledJourney) -> dict[str, tuple[int, int]]:
    graph: nx.DiGraph = journey.graph
    submits = {o for o, x in journey.outcomes.items() if x.kind == "submit"}
    result: dict[str, tuple[int, int]] = {}
    try:
        order = list(reversed(list(nx.topological_sort(graph))))
    except nx.NetworkXUnfeasible:  # a cyclic journey is never served; be safe anyway
        return {}
    fewest_submit: dict[str, float] = {}
    fewest_any: dict[str, float] = {}
    most: dict[str, int] = {}
    for node in order:
        if node in journey.outcomes:
            fewest_submit[node] = 0 if node in submits else math.inf
            fewest_any[node] = 0
            most[node] = 0
            continue
        succ = list(graph.successors(node))
        fewest_submit[node] = 1 + min((fewest_submit[s] for s in succ), default=math.inf)
        fewest_any[node] = 1 + min((fewest_any[s] for s in succ), default=0)
        most[node] = 1 + max((most[s] for s in succ), default=0)
        low = fewest_submit[node] if fewest_submit[node] != math.inf else fewest_any[node]
        result[node] = (int(low), most[node])
    return result


def progress(journey: CompiledJourney, run: Run, step_id: str, lang: str) -> str:
    """"Step 2 of 4", or "Step 2 of 3 to 5, depending on your answers": never a lie."""
    pages = [p.step for p in run.pages()]
    current = pages.index(step_id) + 1 if step_id in pages else 1
    low, high = _remaining(journey).get(step_id, (1, 1))
    low, high = current - 1 + low, current - 1 + high
    if low == high:
        return t("progress", lang, current=current, total=high)
    return t("progress_range", lang, current=current, low=low, high=high)


# -- the start page ----------------------------------------------------------------------------


@dataclass
class Preparation:
    """What a citizen should have at hand: documents to upload and numbers to look up."""

    documents: list[str]
    numbers: list[str]


def preparation(journey: CompiledJourney, lang: str) -> Preparation:
    """The file questions and identity numbers (SIRET, NIR, IBAN) of a journey, each with
    when it is asked ("si oui à « … »") and, in a repeat, for what ("pour chaque enfant")."""
    from designer.report.words import asked_when

    documents, numbers = [], []
    for q in sorted(journey.questions.values(), key=lambda q: q.order):
        if q.type not in ("file", "siret", "nir", "iban"):
            continue
        label = journey.text(q.label, lang)
        if q.repeat is not None:
            item = journey.text(journey.questions[q.repeat].label, lang).strip()
            label = t("need_each", lang, label=label, item=item[:1].lower() + item[1:])
        when = asked_when(journey, q.id, lang)
        if when:
            label = t("need_when", lang, label=label, when=when)
        if q.type == "file":
            accept = list(getattr(q.question, "accept", []) or [])
            size = str(getattr(q.question, "max_size", "") or "")
            documents.append(t("need_document", lang, label=label,
                               kinds=kinds_text(accept), size=size_text(size, lang)))
        else:
            numbers.append(label)
    return Preparation(list(dict.fromkeys(documents)), list(dict.fromkeys(numbers)))


def minutes(journey: CompiledJourney, lang: str) -> int:
    """Estimated minutes to complete the journey up to sending it: the estimate the
    `stated-duration` check compares with the summary (designer/duration.py)."""
    from designer.duration import estimated_minutes

    return estimated_minutes(journey, lang)
