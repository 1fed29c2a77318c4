"""Rules that simplify a journey: questions asked twice or for nothing, data a provider
holds, branches that change nothing, pages too long or too short, missing translations.
"""

from __future__ import annotations

import functools
from typing import Any

from designer.check_messages import Bilingual, OneOf, msg
from designer.compiled import QuestionInfo
from designer.expressions.ast import names
from designer.findings import Finding
from designer.graph import Precedence
from designer.labels import normalise_label
from designer.prefill import FILLS

from .context import Context
from .signature import Signatures

#: Keys whose values are texts shown to citizens (a string, or language → string).
TEXT_KEYS = frozenset({
    "title", "summary", "intro", "label", "help", "purpose", "content", "body", "message", "desk",
    "error_message", "declaration",
})


def _text(ctx: Context, value: Any) -> str:
    return ctx.journey.text(value) if value is not None else ""


# --------------------------------------------------------------------------- duplicates

def duplicate_questions(ctx: Context) -> list[Finding]:
    """`duplicate-question`: same concept or same normalised label, both asked in one run."""
    journey, facts = ctx.journey, ctx.facts
    groups: dict[tuple[str, str], list[QuestionInfo]] = {}
    for q in journey.questions.values():
        if not q.answers or q.repeat is not None:
            continue
        fact = facts.questions.get(q.id)
        if fact is None or not fact.can_show:
            continue
        concept = getattr(q.question, "concept", None)
        if concept:
            # The applicant's name and the child's name are two things.
            groups.setdefault(("concept", f"{concept}@{q.about}"), []).append(q)
        label = normalise_label(_text(ctx, q.label))
        if label:
            groups.setdefault(("label", label), []).append(q)
    if not groups or all(len(g) < 2 for g in groups.values()):
        return []
    precedence = Precedence(journey)
    finder = None
    out: list[Finding] = []
    reported: set[str] = set()
    for (why, key), group in groups.items():
        group.sort(key=lambda q: q.order)
        for i, later in enumerate(group):
            if later.id in reported:
                continue
            for earlier in group[:i]:
                if not (earlier.step == later.step or precedence.before(earlier.step, later.step)):
                    continue  # on branches that exclude each other: never both asked
                if finder is None and len(journey.questions) <= ctx.config.z3_max_questions:
                    from .witness import Witnesses

                    finder = Witnesses(ctx)
                if finder is not None and _never_together(finder, earlier.id, later.id):
                    continue  # conditions on one path that exclude each other
                what = (msg("duplicate.by-concept", concept=key.partition("@")[0])
                        if why == "concept"
                        else msg("duplicate.by-label"))
                out.append(ctx.finding(
                    "duplicate-question",
                    msg("duplicate", later=later.id, earlier=earlier.id,
                        line=journey.key_position(earlier.path)[0], what=what),
                    later.path,
                    key=True,
                ))
                reported.add(later.id)
                break
    return out


def _never_together(finder: Any, a: str, b: str) -> bool:
    import z3

    try:
        return bool(finder.never_together(a, b))
    except z3.Z3Exception:
        return False


# --------------------------------------------------------------------------- unused answers

def unused_answers(ctx: Context) -> list[Finding]:
    """`unused-answer`: an answer no expression reads, from a question without `purpose`."""
    journey = ctx.journey
    # What parts set aside or broken may read counts as used (designer.unsure).
    used: set[str] = set(journey.unsure.used)
    for parsed in journey.expressions:
        if parsed.tree is None:
            continue
        found = names(parsed.tree)
        path = parsed.path
        # A question's own checks validate its answer; they do not use it for anything.
        if len(path) >= 3 and path[-3] == "checks" and "questions" in path:
            qid = _question_of(path)
            found = found - {qid} if qid else found
        used |= found
    out: list[Finding] = []
    for q in journey.questions.values():
        if not q.answers or q.id in used:
            continue
        if getattr(q.question, "purpose", None):
            continue
        if q.type == "repeat" and any(
            getattr(i.question, "purpose", None) for i in ctx.interpreter.items.get(q.id, ())
        ):
            continue  # the items say why the list is needed
        out.append(ctx.finding(
            "unused-answer",
            msg("unused-answer", question=q.id),
            q.path,
            key=True,
        ))
    return out


def _question_of(path: tuple[str | int, ...]) -> str | None:
    qid = None
    for i, part in enumerate(path[:-1]):
        if part == "questions":
            qid = str(path[i + 1])
    return qid


# --------------------------------------------------------------------------- obtainable data

@functools.lru_cache(maxsize=1)
def _shipped_catalogue() -> Any:
    from designer.concepts import load_catalogue

    return load_catalogue()


def _label(text: Any, lower: bool = True) -> Bilingual:
    """A catalogue label (French and English) as a message parameter."""
    if lower:
        return Bilingual(text.fr[:1].lower() + text.fr[1:], text.en[:1].lower() + text.en[1:])
    return Bilingual(text.fr, text.en)


def obtainable_data(ctx: Context) -> list[Finding]:
    """`obtainable-data`: a question whose concept a provider can supply.

    - The question declares a concept a provider supplies, and the journey is not
      connected to any such provider: the administration could get it without asking.
    - The question declares no concept but its label is one of a concept's labels,
      and the journey *is* connected to a provider of it (stronger): declaring the
      concept lets the renderer prefill it.
    A declared concept whose provider the journey is connected to is prefilled by the
    renderer: nothing to report.
    """
    journey = ctx.journey
    if not journey.model.prefill and not any(
        getattr(q.question, "concept", None) for q in journey.questions.values()
    ):
        return []  # nothing declared: no case of this rule can apply
    try:
        catalogue = ctx.config.catalogue or _shipped_catalogue()
    except Exception:  # noqa: BLE001 - a broken catalogue is reported by its own check
        return []
    prefill = set(journey.model.prefill)
    out: list[Finding] = []
    for q in journey.questions.values():
        if not q.answers:
            continue
        concept_id = getattr(q.question, "concept", None)
        if concept_id:
            concept = catalogue.get(concept_id)
            if concept is None or not concept.providers:
                continue
            # FranceConnect knows the person who logs in, not the child they apply for.
            providers = catalogue.providers_for(concept.id, about=q.about)
            if not providers:
                continue
            if any(p.id in prefill and concept.id in FILLS.get(p.id, {}) for p in providers):
                continue  # prefilled by the renderer
            declared = [p for p in providers if p.id in prefill]
            if declared:  # connected, but Parcours does not fill this concept from it
                out.append(ctx.finding(
                    "obtainable-data",
                    msg("obtainable.not-filled", question=q.id, what=_label(concept.label),
                        ids=", ".join(p.id for p in declared)),
                    q.path,
                    key=True,
                ))
                continue
            out.append(ctx.finding(
                "obtainable-data",
                msg("obtainable", question=q.id, what=_label(concept.label),
                    providers=OneOf(_label(p.name, lower=False) for p in providers),
                    ids=", ".join(p.id for p in providers)),
                q.path,
                key=True,
            ))
            continue
        if q.repeat is not None or not prefill or q.about != "applicant":
            continue  # an item of a repeat, or the person concerned: not the citizen's own
        concept = catalogue.find_by_label(_text(ctx, q.label))
        if concept is None or concept.question_type != q.type:
            continue
        connected = [p for p in catalogue.providers_for(concept.id)
                     if p.id in prefill and concept.id in FILLS.get(p.id, {})]
        if not connected:
            continue
        out.append(ctx.finding(
            "obtainable-data",
            msg("obtainable.by-label", question=q.id, what=_label(concept.label),
                concept=concept.id,
                providers=tuple(_label(p.name, lower=False) for p in connected)),
            q.path,
            key=True,
        ))
    return out


# --------------------------------------------------------------------------- branches

def equivalent_branches(ctx: Context) -> list[Finding]:
    """`equivalent-branches`: two entries of a `next` leading to the same content."""
    journey, facts = ctx.journey, ctx.facts
    # Whether two targets have the same content hash (signature.signatures), compared
    # lazily: most targets differ on their first question, read without hashing the rest.
    content: Signatures | None = None
    out: list[Finding] = []
    for sid in journey.steps:
        branches = journey.branches(sid)
        if len(branches) < 2 or len({b.target for b in branches}) < 2:
            continue
        if sid in ctx.withheld:
            continue
        if content is None:
            content = Signatures(ctx)
        taken = {b.index: b.taken for b in facts.branches.get(sid, [])}
        seen: list[Any] = []  # the first branch of each content met, in order
        for b in branches:
            if not taken.get(b.index, True):
                continue
            first = next((s for s in seen if content.same(s.target, b.target)), None)
            if first is not None and first.target != b.target:
                where = b.path + ("goto",) if not (b.default and b.path[-1] == "next") else b.path
                out.append(ctx.finding(
                    "equivalent-branches",
                    msg("equivalent-branches", first=first.target, second=b.target),
                    where,
                ))
            elif first is None:
                seen.append(b)
    return out


def single_options(ctx: Context) -> list[Finding]:
    """`single-option`: a choice with one option, or a `next` whose entries all go one way."""
    journey = ctx.journey
    out: list[Finding] = []
    for q in journey.questions.values():
        if q.type in ("choice", "multichoice") and q.options is not None and len(q.options) == 1:
            only = next(iter(q.options))
            out.append(ctx.finding(
                "single-option",
                msg("single-option.choice", question=q.id, option=only),
                q.path + ("options",),
                key=True,
            ))
    for sid in journey.steps:
        branches = journey.branches(sid)
        if sid in journey.unsure.steps:
            continue
        if len(branches) >= 2 and len({b.target for b in branches}) == 1:
            out.append(ctx.finding(
                "single-option",
                msg("single-option.next", target=branches[0].target),
                ("steps", sid, "next"),
                key=True,
            ))
    return out


# --------------------------------------------------------------------------- pages

def _asked(ctx: Context, sid: str) -> list[QuestionInfo]:
    return [q for q in ctx.interpreter.page.get(sid, ()) if q.answers]


def _weight(ctx: Context, sid: str) -> int:
    """Questions a page asks, a repeat counting for itself and each of its item questions."""
    return sum(
        1 + len(ctx.interpreter.items.get(q.id, ())) if q.type == "repeat" else 1
        for q in _asked(ctx, sid)
    )


def long_steps(ctx: Context) -> list[Finding]:
    """`long-step`: a page with more questions than the limit."""
    limit = ctx.config.long_step_limit
    out: list[Finding] = []
    for sid in ctx.journey.steps:
        count = len(_asked(ctx, sid))
        if count > limit:
            out.append(ctx.finding(
                "long-step",
                msg("long-step", step=sid, count=count, limit=limit),
                ("steps", sid),
                key=True,
            ))
    return out


def mergeable_steps(ctx: Context) -> list[Finding]:
    """`mergeable-steps`: a page always followed by a page only it leads to, each short."""
    journey = ctx.journey
    graph = journey.graph
    most = ctx.config.mergeable_max_questions
    out: list[Finding] = []
    for sid in journey.steps:
        branches = journey.branches(sid)
        if len(branches) != 1 or not branches[0].default:
            continue
        nxt = branches[0].target
        if nxt not in journey.steps or nxt == sid or graph.in_degree(nxt) != 1 or (
            nxt in ctx.withheld
        ):
            continue
        a, b = _weight(ctx, sid), _weight(ctx, nxt)
        if not a or not b or a > most or b > most:
            continue
        out.append(ctx.finding(
            "mergeable-steps",
            msg("mergeable-steps", step=sid, next=nxt, count=a + b),
            ("steps", nxt),
            key=True,
        ))
    return out


# --------------------------------------------------------------------------- translations

def missing_translations(ctx: Context) -> list[Finding]:
    """`missing-translation`: a text that lacks one of the journey's languages."""
    languages = ctx.journey.languages
    if len(languages) < 2:
        return []
    out: list[Finding] = []
    data = ctx.journey.document.data
    stack: list[tuple[tuple[str | int, ...], Any]] = [((), data)]
    while stack:
        path, node = stack.pop()
        if isinstance(node, dict):
            for k, v in node.items():
                child = path + (k,)
                is_text = k in TEXT_KEYS and not (path and path[-1] == "link" and k == "url")
                in_options = bool(path) and path[-1] == "options"
                if (is_text or in_options) and _is_text_value(v):
                    missing = _missing(v, languages)
                    if missing:
                        out.append(_translation_finding(ctx, child, missing))
                    continue
                if isinstance(k, str) and k.startswith("x-"):
                    continue
                stack.append((child, v))
        elif isinstance(node, list):
            for i, v in enumerate(node):
                stack.append((path + (i,), v))
    return out


def _is_text_value(v: Any) -> bool:
    return isinstance(v, str) or (
        isinstance(v, dict) and bool(v) and all(isinstance(x, str) for x in v.values())
    )


def _missing(v: Any, languages: list[str]) -> list[str]:
    if isinstance(v, str):
        return languages[1:]
    return [lang for lang in languages if lang not in v]


def _translation_finding(ctx: Context, path: tuple[str | int, ...], missing: list[str]) -> Finding:
    what = "/".join(str(p) for p in path)
    langs = ", ".join(missing)
    return ctx.finding(
        "missing-translation",
        msg("missing-translation", text=what, missing=langs,
            languages=", ".join(ctx.journey.languages)),
        path,
    )
