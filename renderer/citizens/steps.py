"""The question pages: ``GET`` shows a step (or a follow-up part of it, without scripts),
``POST`` hands the answers to the engine and goes on, or shows the errors (422).

What is shown, valid and next is the engine's (:class:`designer.run.Run`); this module lays
the page out (:mod:`renderer.pages`), converts the posted fields (:mod:`designer.answers`) and
keeps the uploads.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from anyio import from_thread
from starlette.requests import Request
from starlette.responses import Response

from designer.answers import (
    Upload,
    decode,
    encode,
    item_limit,
    parse_page,
    to_json,
    without_blank_items,
)
from designer.compiled import CompiledJourney
from designer.run import FieldError
from designer.values.results import InvalidAnswer
from designer.values.uploads import check_file, parse_size, sniff_kind
from renderer.citizens import measure
from renderer.citizens.drafts import (
    Context,
    draft_page,
    draft_post,
    keep_pending,
    node_url,
    save,
)
from renderer.citizens.identity import ask_provider, page_prefill
from renderer.filestore import QuotaExceeded
from renderer.i18n import t
from renderer.pages import (
    PageErrors,
    build_controls,
    error_links,
    layout,
    preview,
    progress,
)
from renderer.prefill import certified, declare, protect
from renderer.web import (
    Citizen,
    Parcours,
    journey_lang,
    parcours,
    reading,
    redirect,
    render,
    url,
)


def _part(value: Any) -> int:
    try:
        return max(0, min(int(value), 50))
    except (TypeError, ValueError):
        return 0


def _pending(ctx: Context, step_id: str) -> dict[str, Any] | None:
    pending = ctx.draft.state.get("pending", {}).get(step_id)
    return decode(pending) if isinstance(pending, dict) else None


def _stored(ctx: Context, step_id: str) -> dict[str, Any]:
    """The stored answers of a page's questions (what the page shows when revisited)."""
    ids = {q.id for q in ctx.journey.step_questions(step_id)}
    return {k: v for k, v in ctx.run.answers.items() if k in ids}


def step_url(
    request: Request, ctx: Context, step_id: str, part: int = 0, returning: bool = False
) -> str:
    """A step's page: ``?part=N`` a follow-up part, ``?change=1`` from check your answers."""
    query = {"part": str(part)} if part else {}
    if returning:
        query["change"] = "1"
    return url(request, "step", query, journey=ctx.id, step=step_id)


def step_response(
    request: Request,
    ctx: Context,
    who: Citizen,
    step_id: str,
    part: int,
    raw: Mapping[str, Any],
    errors: list[FieldError],
    *,
    status: int = 200,
    returning: bool = False,
) -> Response:
    """Render a question page (part ``part`` of step ``step_id``)."""
    j = reading(ctx.journey, who)
    lang = journey_lang(j, who.lang)
    step = j.steps[step_id]
    today = parcours(request).today()
    page_errors = PageErrors.of(errors, lang, j)
    controls = build_controls(j, ctx.run, step_id, part, raw, page_errors, lang, today)
    if part > 0 and not controls:
        return redirect(request, step_url(request, ctx, step_id), who)
    env = {}
    if part == 0 and any(c.hidden or any(ic.hidden for i in c.items for ic in i.controls)
                         for c in controls):
        env = _client_env(ctx, step_id)
    title = j.text(step.title, lang)
    prefix = t("error_title_prefix", lang) + t("colon", lang) + " " if errors else ""
    return render(request, "step.html", {
        "lang": lang,
        "step_id": step_id,
        "title": title,
        "page_title": prefix + title,
        "intro": j.text(step.intro, lang) if step.intro else "",
        "controls": controls,
        "errors": error_links(page_errors, controls),
        "part": part,
        "progress": progress(j, ctx.run, step_id, lang),
        "back_url": _back_url(request, ctx, step_id, part, returning),
        "returning": returning,
        "env_json": _json(env) if env else "",
        "today": today.isoformat(),
        "action": url(request, "step", journey=ctx.id, step=step_id),
        "shown": parcours(request).usage.stamp(),
        "has_files": any(_has_file(c) for c in controls),
        "show_no_js_note": layout(j, step_id).max_depth > part,
        **page_prefill(request, ctx, step_id, lang),
    }, who=who, status=status, journey=j)


def _has_file(control: Any) -> bool:
    return control.kind == "file" or any(_has_file(c) for i in control.items for c in i.controls)


def _json(value: Any) -> str:
    return json.dumps(to_json(value), ensure_ascii=False, separators=(",", ":"))


def _client_env(ctx: Context, step_id: str) -> dict[str, Any]:
    """The answers of earlier pages that this page's conditions read (for the script)."""
    return ctx.run.environment_before(step_id).answers


def _back_url(request: Request, ctx: Context, step_id: str, part: int, returning: bool) -> str:
    if returning:
        return url(request, "check", journey=ctx.id)
    if part > 0:
        return step_url(request, ctx, step_id, part - 1)
    pages = [p.step for p in ctx.run.pages()]
    if step_id in pages and pages.index(step_id) > 0:
        return step_url(request, ctx, pages[pages.index(step_id) - 1])
    return url(request, "start_page", journey=ctx.id)


def step_page(request: Request) -> Response:
    """GET a question page: refused (redirected) when the run has not reached it."""
    got = draft_page(request)
    if isinstance(got, Response):
        return got
    who, ctx = got
    if ctx.draft.submitted:
        return redirect(request, url(request, "confirmation", journey=ctx.id), who)
    step_id = request.path_params["step"]
    if step_id not in ctx.journey.steps or not ctx.run.can_visit(step_id):
        return redirect(request, node_url(request, ctx, ctx.run.current), who)
    part = _part(request.query_params.get("part"))
    raw = _pending(ctx, step_id)
    if raw is None:
        raw = _stored(ctx, step_id)
    return step_response(request, ctx, who, step_id, part, raw, [],
                         returning=request.query_params.get("change") == "1")


def step_post(request: Request) -> Response:
    """POST a question page: the engine validates; 303 onwards, or 422 with the errors."""
    got = draft_post(request)
    if isinstance(got, Response):
        return got
    who, ctx, form = got
    if ctx.draft.submitted:
        return redirect(request, url(request, "confirmation", journey=ctx.id), who)
    step_id = request.path_params["step"]
    if step_id not in ctx.journey.steps or not ctx.run.can_visit(step_id):
        return redirect(request, node_url(request, ctx, ctx.run.current), who)
    j = ctx.journey
    part = _part(form.get("_part"))
    # The script reveals in place only on a step's first part: a follow-up part (reached
    # without scripts) holds only its own questions, whatever the browser can do now.
    scripted = form.get("_js") == "1" and part == 0
    returning = form.get("_return") == "check"
    lay = layout(j, step_id)
    base = _pending(ctx, step_id)
    if base is None:
        base = _stored(ctx, step_id)
    displayed = lay.displayed(None if scripted else part, j)
    raw, uploads = parse_page(j, step_id, form, displayed, base)
    # A certified answer is the provider's: whatever was posted for it is ignored.
    protect(ctx.draft, ctx.run.answers, raw)
    file_errors = _store_uploads(parcours(request), ctx, uploads, raw)
    action = str(form.get("_action") or "")
    if action.startswith(("correct:", "fetch:")):
        kind, _, name = action.partition(":")
        if kind == "correct":
            declare(ctx.draft, name)
        else:  # the citizen consented: ask the provider, show what it gave (or why not)
            # Page functions run in the thread pool; the call itself on the event loop.
            _answer, filled = from_thread.run(ask_provider, request, ctx, who, name,
                                              preview(j, step_id, raw))
            raw.update({qid: decode(ctx.draft.answers[qid]) for qid in filled})
        if (conflict := keep_pending(request, ctx, who, step_id, raw)) is not None:
            return conflict
        return redirect(request, step_url(request, ctx, step_id, part, returning), who)
    if action.startswith(("add:", "remove:")):
        _repeat_action(j, raw, action)
        if (conflict := keep_pending(request, ctx, who, step_id, raw)) is not None:
            return conflict
        return redirect(request, step_url(request, ctx, step_id, part, returning), who)
    if action == "save":
        measure.counted(request, ctx, who, "save")
        if (conflict := keep_pending(request, ctx, who, step_id, raw)) is not None:
            return conflict
        # The citizen asked to save: only now is a resume code made.
        parcours(request).store.issue_resume_key(ctx.draft)
        return redirect(request, url(request, "saved", journey=ctx.id), who)
    without_blank_items(j, step_id, raw, _items_needed(ctx, step_id, raw))
    result = ctx.run.answer_page(step_id, raw)
    errors = _merge_errors(result.errors, file_errors)
    for error in errors:  # a provider's value this journey refuses: the citizen types it
        if error.question in certified(ctx.draft):
            declare(ctx.draft, error.question)
    if not errors:
        ctx.draft.answers = encode(ctx.run.answers)
        ctx.draft.state["seen"] = sorted(ctx.run.seen or [])
        ctx.draft.state.get("pending", {}).pop(step_id, None)
        ctx.draft.current_step = ctx.run.current
        measure.page_sent(request, ctx, who, step_id, form)
        if (conflict := save(request, ctx, who)) is not None:
            return conflict
        later = _next_part(ctx, step_id, part, {}) if not scripted else None
        if later is not None:
            return redirect(request, step_url(request, ctx, step_id, later, returning), who)
        if returning:
            return redirect(request, node_url(request, ctx, ctx.run.current), who)
        target = ctx.run.next(step_id)
        if target in j.steps and ctx.run.can_visit(target):
            return redirect(request, node_url(request, ctx, target), who)
        return redirect(request, node_url(request, ctx, ctx.run.current), who)
    measure.page_refused(request, ctx, who, step_id, errors)
    # Keep what was typed (and uploaded) so that the page shows it again.
    if (conflict := keep_pending(request, ctx, who, step_id, raw)) is not None:
        return conflict
    if not scripted:
        depth_of = lay.depth
        error_depths = [depth_of.get(e.question, 0) for e in errors]
        seen_here = [d for d in error_depths if d <= part]
        if not seen_here:
            # Only questions this page did not show yet: the follow-up part shows them.
            later = _next_part(ctx, step_id, part, raw) or min(error_depths)
            return redirect(request, step_url(request, ctx, step_id, later, returning), who)
        part = min(seen_here)
    return step_response(request, ctx, who, step_id, part, raw, errors, status=422,
                         returning=returning)


def _next_part(ctx: Context, step_id: str, part: int, raw: Mapping[str, Any]) -> int | None:
    """The next follow-up part of a step that shows a question, given the answers."""
    j = ctx.journey
    lay = layout(j, step_id)
    if part >= lay.max_depth:
        return None
    typed = preview(j, step_id, raw) if raw else {}
    visible = ctx.run.visible_questions(step_id, answers=typed or None)
    shown = {q.id for q in visible}
    for q in visible:
        if q.type == "repeat":
            items = (typed.get(q.id) if typed else ctx.run.answers.get(q.id)) or []
            env = ctx.run.environment_before(step_id)
            for item in items if isinstance(items, list) else []:
                shown |= {iq.id for iq in ctx.run.item_visible_questions(q.id, item, env)}
    depths = sorted({lay.depth.get(qid, 0) for qid in shown if lay.depth.get(qid, 0) > part})
    return depths[0] if depths else None


def _merge_errors(errors: list[FieldError], file_errors: list[FieldError]) -> list[FieldError]:
    fields = {e.field for e in file_errors}
    return file_errors + [e for e in errors if e.field not in fields]


def _store_uploads(
    app: Parcours, ctx: Context, uploads: list[Upload], raw: dict[str, Any]
) -> list[FieldError]:
    """Check each new upload by size and sniffed kind; store the good ones in the draft."""
    errors: list[FieldError] = []
    for up in uploads:
        question = up.question.question
        max_size = str(getattr(question, "max_size", "10MB"))
        try:
            limit = parse_size(max_size)
        except ValueError:
            limit = 10_000_000
        data = up.file.file.read(limit + 1)
        size = len(data) if len(data) <= limit else limit + 1
        bad: InvalidAnswer | None = check_file(
            data[:64], size, accept=getattr(question, "accept", None), max_size=max_size
        )
        if bad is not None:
            errors.append(FieldError(up.field, up.question.id, bad))
            continue
        kind = sniff_kind(data[:64]) or "bin"
        content_type = {"pdf": "application/pdf", "png": "image/png", "jpeg": "image/jpeg",
                        "gif": "image/gif", "webp": "image/webp",
                        "zip": "application/zip"}.get(kind, "application/octet-stream")
        name = Path(up.filename.replace("\\", "/")).name[:200] or "file"
        try:
            stored = app.store.save_file(ctx.draft.id, up.question.id, name, content_type,
                                         data)
        except QuotaExceeded:
            errors.append(FieldError(up.field, up.question.id, text=QUOTA_MESSAGE))
            continue
        reference = {"file": stored.id, "name": name, "size": stored.size,
                     "content_type": content_type, "sha256": stored.sha256}
        _set_field(raw, up, reference)
    return errors


QUOTA_MESSAGE = {
    "fr": "Les fichiers joints à cette demande dépassent la taille permise : retirez-en un",
    "en": "The files attached to this application are too large in total: remove one",
}


def _set_field(raw: dict[str, Any], up: Upload, value: Any) -> None:
    q = up.question
    if q.repeat is None:
        raw[q.id] = value
        return
    index = int(up.field.split("-")[1])
    items = raw.get(q.repeat)
    if isinstance(items, list) and index < len(items) and isinstance(items[index], dict):
        items[index][q.id] = value


def _items_needed(ctx: Context, step_id: str, raw: Mapping[str, Any]) -> dict[str, int]:
    """How many items each repeat of the page needs: its `min`, or one when required."""
    env = ctx.run.environment_before(step_id).with_values(preview(ctx.journey, step_id, raw))
    needed = {}
    for q in ctx.journey.step_questions(step_id):
        if q.type == "repeat":
            required = ctx.run.is_required(q, env)
            # `min: 0` says "nobody" is an answer (designer/presence.py): no item needed.
            needed[q.id] = q.min if isinstance(q.min, int) else int(required)
    return needed


def _repeat_action(journey: CompiledJourney, raw: dict[str, Any], action: str) -> None:
    """"Add another" and "Remove" of a repeat, done on the server (no script needed)."""
    parts = action.split(":")
    rid = parts[1] if len(parts) > 1 else ""
    q = journey.questions.get(rid)
    if q is None or q.type != "repeat":
        return
    found = raw.get(rid)
    items: list[Any] = found if isinstance(found, list) else []
    if parts[0] == "add":
        if len(items) < item_limit(q):
            items.append({})
    elif parts[0] == "remove" and len(parts) == 3 and parts[2].isascii() and parts[2].isdigit():
        index = int(parts[2])
        if index < len(items):
            items.pop(index)
    raw[rid] = items
