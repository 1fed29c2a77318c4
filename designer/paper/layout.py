"""A journey laid out as a paper form: parts in an order where every jump goes forward,
questions numbered in reading order, conditions and routing written as sentences.

One part per step. Parts are printed in a topological order of the step graph (ties in
the journey's own order), so "passez à la question N" always sends the reader forward. A
question shown only in some situations says so ("Répondez seulement si …"); the end of a
part says where to go next, branch by branch, in the run's order (the first instruction
that applies is the one to follow, as the first branch whose condition holds is taken).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import networkx as nx

from designer.answers import yes_no_text
from designer.compiled import CompiledJourney, QuestionInfo
from designer.expressions import Compare, Expr, Literal, Name, Unary
from designer.report.words import describe


class NotPrintable(Exception):
    """A journey that cannot be printed (its step graph has a cycle)."""


@dataclass
class PaperQuestion:
    """A numbered question ("7", or "7.2" for the second question of a repeat's block); an
    information block has no number."""

    number: str
    info: QuestionInfo
    only_if: str = ""
    items: list[PaperQuestion] = field(default_factory=list)


@dataclass
class Jump:
    """Where to go at the end of a part: to a later part, or to an end of the journey."""

    when: Expr | None
    part: int | None
    outcome: str | None
    text: str


@dataclass
class Part:
    """One step on paper."""

    number: int
    step: str
    title: str
    intro: str
    questions: list[PaperQuestion]
    jumps: list[Jump] = field(default_factory=list)

    @property
    def first_question(self) -> str | None:
        """The number of its first question, if it asks any."""
        return next((q.number for q in self.questions if q.number), None)


@dataclass
class Document:
    """A file to attach, and when it is needed ("" when always)."""

    number: str
    label: str
    when: str


@dataclass
class PaperForm:
    """The whole printed form."""

    journey: CompiledJourney
    lang: str
    parts: list[Part]
    documents: list[Document]

    def part_of(self, step: str) -> Part:
        """The part that prints ``step``."""
        return next(p for p in self.parts if p.step == step)


_WORDS = {
    "fr": {
        "yes": yes_no_text(True, "fr"), "no": yes_no_text(False, "fr"),
        "question": "la question {n}", "part": "la partie {n}",
        "answered_yes": "vous avez répondu Oui à la question {n}",
        "answered_no": "vous avez répondu Non à la question {n}",
        "answered_option": "vous avez répondu « {option} » à la question {n}",
        "answer_to": "la réponse à la question {n}",
        "only_if": "Répondez seulement si {cond}.",
        "if": "Si {cond}, {action}", "otherwise": "Sinon, {action}", "always": "{action}",
        "go_question": "passez à la question {n} (partie {p}).",
        "go_part": "passez à la partie {p}.",
        "continue_question": "continuez à la question {n} (partie {p}).",
        "submit": "allez à la fin du formulaire : vérifiez, signez et envoyez-le.",
        "exit": "cette démarche ne vous concerne pas : {title}",
        "given_here": "donnée à la question {n}",
    },
    "en": {
        "yes": yes_no_text(True, "en"), "no": yes_no_text(False, "en"),
        "question": "question {n}", "part": "part {n}",
        "answered_yes": "you answered Yes to question {n}",
        "answered_no": "you answered No to question {n}",
        "answered_option": "you answered “{option}” to question {n}",
        "answer_to": "the answer to question {n}",
        "only_if": "Answer only if {cond}.",
        "if": "If {cond}, {action}", "otherwise": "Otherwise, {action}", "always": "{action}",
        "go_question": "go to question {n} (part {p}).",
        "go_part": "go to part {p}.",
        "continue_question": "go on to question {n} (part {p}).",
        "submit": "go to the end of the form: check, sign and send it.",
        "exit": "this procedure is not for you: {title}",
        "given_here": "given at question {n}",
    },
}


def words(lang: str) -> dict[str, str]:
    """The sentences of the paper form in ``lang`` (French for any other language)."""
    return _WORDS.get(lang, _WORDS["fr"])


def reading_order(journey: CompiledJourney) -> list[str]:
    """The steps in an order where every branch goes forward (the journey's order where it
    can), or :class:`NotPrintable` when the graph has a cycle."""
    position = {s: i for i, s in enumerate(journey.steps)}
    graph = journey.graph.subgraph(journey.steps)
    try:
        return list(nx.lexicographical_topological_sort(graph, key=lambda s: position[s]))
    except nx.NetworkXUnfeasible as exc:
        raise NotPrintable("the step graph has a cycle: a paper form cannot loop") from exc


def _condition(expr: Expr | None, journey: CompiledJourney, numbers: dict[str, str],
               lang: str) -> str:
    """A condition in words, naming questions by their number on the paper."""
    w = words(lang)

    def label(name: str) -> str:
        return w["answer_to"].format(n=numbers[name]) if name in numbers else name

    q_of: Callable[[str], QuestionInfo | None] = journey.questions.get
    if isinstance(expr, Name) and expr.id in numbers and (q := q_of(expr.id)) is not None \
            and q.type == "yesno":
        return w["answered_yes"].format(n=numbers[expr.id])
    if isinstance(expr, Unary) and expr.op == "not" and isinstance(expr.operand, Name):
        q = q_of(expr.operand.id)
        if q is not None and q.type == "yesno" and expr.operand.id in numbers:
            return w["answered_no"].format(n=numbers[expr.operand.id])
    if (isinstance(expr, Compare) and len(expr.ops) == 1 and expr.ops[0] == "=="
            and isinstance(expr.left, Name) and isinstance(expr.comparators[0], Literal)):
        q = q_of(expr.left.id)
        value = expr.comparators[0].value
        if q is not None and q.options and isinstance(value, str) and value in q.options \
                and expr.left.id in numbers:
            option = journey.text(q.options[value], lang)
            return w["answered_option"].format(option=option, n=numbers[expr.left.id])
    return describe(expr, journey, lang, label=label)


def lay_out(journey: CompiledJourney, lang: str | None = None) -> PaperForm:
    """The paper form of ``journey`` in ``lang`` (the journey's first language by default)."""
    lang = lang or journey.languages[0]
    w = words(lang)
    order = reading_order(journey)
    numbers: dict[str, str] = {}
    parts: list[Part] = []
    counter = 0
    for index, step_id in enumerate(order, start=1):
        step = journey.steps[step_id]
        questions: list[PaperQuestion] = []
        for q in journey.step_questions(step_id):
            if not q.answers:  # an information block: printed, not numbered
                questions.append(PaperQuestion("", q))
                continue
            counter += 1
            numbers[q.id] = str(counter)
            pq = PaperQuestion(str(counter), q)
            if q.type == "repeat":
                for k, item in enumerate(journey.item_questions(q.id), start=1):
                    if item.answers:
                        numbers[item.id] = f"{counter}.{k}"
                        pq.items.append(PaperQuestion(f"{counter}.{k}", item))
            questions.append(pq)
        parts.append(Part(index, step_id, journey.text(step.title, lang),
                          journey.text(step.intro, lang) if step.intro else "", questions))
    # Conditions read questions by number: number everything first, then write them.
    for part in parts:
        for pq in part.questions:
            for printed in [pq, *pq.items]:
                if printed.info.when is not None:
                    printed.only_if = w["only_if"].format(
                        cond=_condition(printed.info.when, journey, numbers, lang))
    by_step = {p.step: p for p in parts}
    for part in parts:
        for branch in journey.branches(part.step):
            if journey.is_outcome(branch.target):
                outcome = journey.outcomes[branch.target]
                action = w["submit"] if outcome.kind == "submit" else w["exit"].format(
                    title=journey.text(outcome.title, lang))
                jump = Jump(branch.when, None, branch.target, "")
            else:
                target = by_step[branch.target]
                if target.number <= part.number:  # pragma: no cover - reading_order forbids it
                    raise NotPrintable(f"{part.step} jumps back to {target.step}")
                first = target.first_question
                action = (w["go_part"].format(p=target.number) if first is None
                          else w["go_question"].format(n=first, p=target.number))
                jump = Jump(branch.when, target.number, None, "")
            if branch.when is None:
                jump.text = (w["otherwise"] if part.jumps else w["always"]).format(
                    action=action)
                jump.text = jump.text[0].upper() + jump.text[1:]
            else:
                jump.text = w["if"].format(
                    cond=_condition(branch.when, journey, numbers, lang), action=action)
            part.jumps.append(jump)
    documents = [
        Document(numbers[q.id], journey.text(q.label, lang),
                 _condition(q.when, journey, numbers, lang) if q.when is not None else "")
        for part in parts for pq in part.questions for q in [pq.info, *(i.info for i in pq.items)]
        if q.type == "file"
    ]
    return PaperForm(journey, lang, parts, documents)
