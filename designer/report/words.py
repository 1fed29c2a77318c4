"""Conditions written in words for the graph picture: `not proprietaire` → "si non à « Êtes-vous
propriétaire ? »".

The wording is deliberately literal (it quotes the question the citizen read) so that an
auditor who does not read expressions can follow a branch. Anything it cannot word well
falls back on the expression as written.
"""

from __future__ import annotations

from collections.abc import Callable

from designer.compiled import CompiledJourney
from designer.expressions import BoolOp, Call, Compare, Expr, Literal, Name, Unary, unparse

#: How a question is named in a condition (default: its label in quotes; the paper form
#: names it by its number).
Label = Callable[[str], str]

_OPS_FR = {
    "==": "est",
    "!=": "n'est pas",
    "<": "est inférieur à",
    "<=": "est au plus",
    ">": "est supérieur à",
    ">=": "est au moins",
    "in": "fait partie de",
    "not in": "ne fait pas partie de",
}
_OPS_EN = {
    "==": "is",
    "!=": "is not",
    "<": "is less than",
    "<=": "is at most",
    ">": "is more than",
    ">=": "is at least",
    "in": "is one of",
    "not in": "is not one of",
}


def _quote(text: str, lang: str) -> str:
    """Quotation marks of the language: « » in French, “ ” in English."""
    return f"« {text} »" if lang == "fr" else f"“{text}”"


def _label(journey: CompiledJourney, name: str, lang: str, label: Label | None = None) -> str:
    if label is not None:
        return label(name)
    q = journey.questions.get(name)
    if q is None:
        return name  # a computed value: its id is the best name we have
    text = journey.text(q.label, lang).strip()
    return _quote(text, lang) if text else name


def _value(journey: CompiledJourney, subject: Expr, value: Expr, lang: str) -> str:
    if isinstance(value, Literal):
        if isinstance(subject, Name) and isinstance(value.value, str):
            q = journey.questions.get(subject.id)
            if q is not None and q.options and value.value in q.options:
                return _quote(journey.text(q.options[value.value], lang), lang)
        if isinstance(subject, Name) and isinstance(value.value, str):
            return _quote(value.value, lang)
        if value.value is True:
            return "oui" if lang == "fr" else "yes"
        if value.value is False:
            return "non" if lang == "fr" else "no"
    if isinstance(subject, Name) and isinstance(value, Literal) and isinstance(value.value, str):
        return _quote(value.value, lang)
    return unparse(value)


def describe(
    expr: Expr | None, journey: CompiledJourney, lang: str = "fr", label: Label | None = None
) -> str:
    """A condition in words, without the leading "si"/"if"; ``label`` names questions."""
    if expr is None:
        return "sinon" if lang == "fr" else "otherwise"
    fr = lang == "fr"
    if isinstance(expr, Name):
        q = journey.questions.get(expr.id)
        if q is not None and q.type == "yesno":
            return ("oui à " if fr else "yes to ") + _label(journey, expr.id, lang, label)
        if q is not None:
            return ("réponse à " if fr else "answer to ") + _label(journey, expr.id, lang, label)
        return expr.id
    if isinstance(expr, Unary) and expr.op == "not":
        inner = expr.operand
        if isinstance(inner, Name):
            q = journey.questions.get(inner.id)
            if q is not None and q.type == "yesno":
                return ("non à " if fr else "no to ") + _label(journey, inner.id, lang, label)
            return ("pas " if fr else "not ") + inner.id
        return ("pas : " if fr else "not: ") + describe(inner, journey, lang, label)
    if isinstance(expr, BoolOp):
        joiner = {"and": " et ", "or": " ou "} if fr else {"and": " and ", "or": " or "}
        parts = []
        for operand in expr.operands:
            text = describe(operand, journey, lang, label)
            parts.append(f"({text})" if isinstance(operand, BoolOp) else text)
        return joiner[expr.op].join(parts)
    if isinstance(expr, Compare):
        ops = _OPS_FR if fr else _OPS_EN
        parts = []
        left = expr.left
        for op, right in zip(expr.ops, expr.comparators, strict=True):
            subject = _subject(journey, left, lang, label)
            parts.append(f"{subject} {ops.get(op, op)} {_value(journey, left, right, lang)}")
            left = right
        return (" et " if fr else " and ").join(parts)
    if isinstance(expr, Call) and expr.func == "answered" and expr.args:
        arg = expr.args[0]
        if isinstance(arg, Name):
            named = _label(journey, arg.id, lang, label)
            return ("réponse donnée à " if fr else "answered ") + named
    return unparse(expr)


def _subject(journey: CompiledJourney, expr: Expr, lang: str, label: Label | None = None) -> str:
    if isinstance(expr, Name):
        return _label(journey, expr.id, lang, label)
    if isinstance(expr, Call) and expr.func == "age" and expr.args:
        arg = expr.args[0]
        if isinstance(arg, Name):
            named = _label(journey, arg.id, lang, label)
            return ("l'âge selon " if lang == "fr" else "the age from ") + named
    if isinstance(expr, Call) and expr.func == "len" and expr.args:
        arg = expr.args[0]
        if isinstance(arg, Name):
            named = _label(journey, arg.id, lang, label)
            return ("le nombre de " if lang == "fr" else "the number of ") + named
    return unparse(expr)


def condition_in_words(expr: Expr | None, journey: CompiledJourney, lang: str = "fr") -> str:
    """A branch condition in words, starting with "si"/"if" ("sinon"/"otherwise" for a
    default branch)."""
    if expr is None:
        return "sinon" if lang == "fr" else "otherwise"
    return ("si " if lang == "fr" else "if ") + describe(expr, journey, lang)


def asked_when(journey: CompiledJourney, question: str, lang: str = "fr") -> str | None:
    """When a question is asked, in words ("si oui à « Allergie ? »"), or None when every
    run that sends an application asks it: its own `when`, its repeat's, and the branch
    into its page when the page is not on every such run. A page reached in several
    conditional ways says "dans certains cas" ("in some cases")."""
    q = journey.questions.get(question)
    if q is None:
        return None
    parts: list[str] = []
    for info in (q, journey.questions.get(q.repeat) if q.repeat else None):
        if info is not None and info.when is not None:
            parts.append(describe(info.when, journey, lang))
    step = _step_condition(journey, q.step, lang)
    if step == "":
        if not parts:
            return "dans certains cas" if lang == "fr" else "in some cases"
    elif step is not None:
        parts.insert(0, step)
    if not parts:
        return None
    joined = (" et " if lang == "fr" else " and ").join(dict.fromkeys(parts))
    return ("si " if lang == "fr" else "if ") + joined


def _step_condition(journey: CompiledJourney, step: str, lang: str) -> str | None:
    """The condition of the page in words; None when every sending run reaches it, ""
    when it is reached in several conditional ways."""
    import networkx as nx

    graph = journey.graph
    if graph is None or step not in graph or step == journey.start:
        return None
    submits = {o for o, x in journey.outcomes.items() if x.kind == "submit"}
    without = graph.subgraph(n for n in graph.nodes if n != step)
    if journey.start in without and not (nx.descendants(without, journey.start) & submits):
        return None  # every run that sends an application goes through the page
    into = [(source, data) for source, _, data in graph.in_edges(step, data=True)]
    if len(into) == 1 and into[0][1].get("when") is not None:
        return describe(into[0][1]["when"], journey, lang)
    return ""  # reached in several conditional ways: no single condition to quote
