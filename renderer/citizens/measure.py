"""What the citizens' pages count (:mod:`renderer.usage`): one call per page event, each
adding to aggregate counters, never to a row about a person.

A draft remembers which of its pages were already counted (``state["usage"]``, inside the
draft that already holds the answers, deleted with it), so that going back, reloading or
resending a page does not count its citizen twice; the time spent on pages adds up there too,
to give the minutes from start to outcome.
"""

from __future__ import annotations

from collections import Counter
from typing import Any, Protocol

from starlette.requests import Request

from designer.compiled import CompiledJourney
from designer.run import FieldError, Run
from renderer.backoffice.dossiers import ACCOMPAGNE, EN_LIGNE
from renderer.store import Draft
from renderer.usage import Key, Recorder, event
from renderer.web import Citizen, journey_lang, parcours

#: What ``_shown`` says of a page time is capped: a page left open for hours is not work.
PAGE_CAP = 3600.0

LEVELS = ("good", "average", "bad")


class Context(Protocol):
    """A draft's context (:class:`renderer.citizens.drafts.Context`, which imports this
    module: named by shape here, not imported)."""

    journey: CompiledJourney
    draft: Draft
    run: Run

    @property
    def id(self) -> str: ...


def recorder(request: Request) -> Recorder:
    """The application's usage recorder."""
    return parcours(request).usage


def channel(who: Citizen) -> str:
    """How the citizen does the procedure, in the dossiers' words (``channel`` of
    renderer.backoffice.dossiers): ``en_ligne`` alone, ``accompagne`` when a mediator's
    session says so (the mediators' pages set ``channel`` in the session)."""
    value = who.session.data.get("channel")
    return ACCOMPAGNE if value == ACCOMPAGNE else EN_LIGNE


def _key(ctx: Context, who: Citizen, step: str, kind: str, detail: str = "",
         seconds: float | None = None) -> Key:
    return event(ctx.id, ctx.draft.journey_hash, step, kind, journey_lang(ctx.journey, who.lang),
                 channel(who), detail, seconds)


def _state(ctx: Context) -> dict[str, Any]:
    state = ctx.draft.state.setdefault("usage", {})
    if not isinstance(state, dict):
        state = ctx.draft.state["usage"] = {}
    state.setdefault("sent", [])
    state.setdefault("seconds", 0.0)
    return state


def viewed(request: Request, journey_id: str, version: str, lang: str) -> None:
    """A start page shown: a page load, not a person (no session exists yet)."""
    recorder(request).record(Counter([event(journey_id, version, "", "view", lang, EN_LIGNE)]))


def started(request: Request, journey_id: str, version: str, first_step: str,
            who: Citizen) -> None:
    """A draft opened."""
    lang = who.lang if who.lang in ("fr", "en") else "fr"
    recorder(request).record(Counter([event(journey_id, version, first_step, "start", lang,
                                            channel(who))]))


def page_sent(request: Request, ctx: Context, who: Citizen, step_id: str, form: Any) -> None:
    """A page sent without error (before the draft is saved): the first time, count it, its
    time and where it leads."""
    rec = recorder(request)
    if not rec.enabled:
        return
    state = _state(ctx)
    if step_id in state["sent"]:
        return
    state["sent"].append(step_id)
    events: Counter[Key] = Counter([_key(ctx, who, step_id, "sent")])
    seconds = rec.seconds_since(form.get("_shown"))
    if seconds is not None:
        seconds = min(seconds, PAGE_CAP)
        state["seconds"] = float(state["seconds"]) + seconds
        events[_key(ctx, who, step_id, "time", seconds=seconds)] += 1
    target = ctx.run.next(step_id)
    if target is not None:
        events[_key(ctx, who, step_id, "branch", target)] += 1
        outcome = ctx.journey.outcomes.get(target)
        if outcome is not None and outcome.kind == "exit":
            events[_key(ctx, who, target, "duration", seconds=state["seconds"])] += 1
    rec.record(events)


def page_refused(request: Request, ctx: Context, who: Citizen, step_id: str,
                 errors: list[FieldError]) -> None:
    """A page sent with errors: count each (question, rule) with the message shown."""
    rec = recorder(request)
    if not rec.enabled:
        return
    lang = journey_lang(ctx.journey, who.lang)
    events: Counter[Key] = Counter()
    for e in errors:
        code = e.error.code if e.error is not None else "custom"
        detail = f"{e.question}\t{code}\t{e.message(lang, ctx.journey)}"
        events[_key(ctx, who, step_id, "error", detail)] += 1
    rec.record(events)


def counted(request: Request, ctx: Context, who: Citizen, kind: str) -> None:
    """A save for later or a resume, at the draft's current page."""
    step = ctx.draft.current_step or ctx.journey.start
    recorder(request).record(Counter([_key(ctx, who, step, kind)]))


def submitted(request: Request, ctx: Context, who: Citizen, outcome: str) -> None:
    """An application sent: the count and the minutes its pages took."""
    seconds = float(_state(ctx)["seconds"])
    recorder(request).record(Counter([
        _key(ctx, who, outcome, "submit"), _key(ctx, who, outcome, "duration", seconds=seconds),
    ]))


def satisfaction(request: Request, ctx: Context, who: Citizen, outcome: str,
                 form: Any) -> bool:
    """The end-of-journey question: counted once per draft; False when nothing valid."""
    level, helped = form.get("satisfaction"), form.get("help")
    state = _state(ctx)
    if state.get("feedback") or (level not in LEVELS and helped not in ("yes", "no")):
        return False
    state["feedback"] = True
    events: Counter[Key] = Counter()
    if level in LEVELS:
        events[_key(ctx, who, outcome, "satisfaction", str(level))] += 1
    if helped in ("yes", "no"):
        events[_key(ctx, who, outcome, "help", str(helped))] += 1
    recorder(request).record(events)
    return True
