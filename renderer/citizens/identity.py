"""Signing in with FranceConnect, signing out, and asking the data providers (with the
citizen's consent) to fill in their answers.

- ``POST /J/franceconnect`` (``franceconnect_login``, CSRF): open a draft if none, keep a
  pending sign-in (``state``, ``nonce``) in the server-side session, send the browser to
  FranceConnect;
- ``GET /-/franceconnect/callback`` (``franceconnect_callback``): the pending sign-in is
  taken out of the session (it serves once), the answer verified
  (:mod:`renderer.providers.franceconnect`), the session **renewed** (new id and CSRF token:
  no fixation), the identity and tokens kept in the session row (never in the browser), the
  draft filled (:func:`renderer.prefill.fill`);
- ``POST /J/franceconnect/logout`` (``franceconnect_logout``, CSRF): the identity leaves the
  session and the browser goes through FranceConnect's end-session endpoint, which comes
  back to ``GET /-/franceconnect/logged-out`` (``franceconnect_logged_out``).

A refused sign-in stores nothing and says so; the citizen can go on without FranceConnect.
"""

from __future__ import annotations

import json
import logging
import secrets
import time
from collections.abc import Mapping
from typing import Any

from anyio import from_thread
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from designer.answers import answer_text, decode, to_json
from designer.prefill import ENDPOINTS, FILLS, KEYED_BY, concept_of, connected
from renderer.citizens.drafts import Context, draft_context
from renderer.i18n import t
from renderer.prefill import (
    asked,
    certified,
    consent_text,
    data_providers,
    fill,
    provider_name,
    source_text,
)
from renderer.providers.apis import ProviderAnswer
from renderer.providers.connected import Providers
from renderer.providers.franceconnect import PendingSignIn, SignedIn, SignInRefused
from renderer.store import Session, Store
from renderer.web import (
    Citizen,
    checked_post,
    citizen,
    parcours,
    redirect,
    render,
    set_cookie,
    url,
)

log = logging.getLogger("parcours.providers")

SESSION_KEY = "franceconnect"
PENDING_KEY = "franceconnect_pending"
LOGOUT_KEY = "franceconnect_logout"


def providers(request: Request) -> Providers:
    """The providers this server is configured for."""
    found: Providers = parcours(request).providers
    return found


def signed_in(who: Citizen | None) -> dict[str, Any] | None:
    """The FranceConnect identity of the session (claims, tokens), or None."""
    if who is None:
        return None
    found = who.session.data.get(SESSION_KEY)
    return found if isinstance(found, dict) else None


def _base(request: Request) -> str:
    return str(request.base_url).rstrip("/")


def _refused(request: Request, who: Citizen | None, status: int = 400) -> Response:
    # Nothing was stored; the journey's start page still offers to go on without.
    lang = who.lang if who is not None else "fr"
    return render(request, "error.html", {
        "title": t("fc_refused_title", lang), "body": t("fc_refused_body", lang),
    }, status=status, who=None)


def login(request: Request) -> Response:
    """Start a FranceConnect sign-in for this journey (a POST: it changes the session)."""
    posted = checked_post(request)
    if isinstance(posted, Response):
        return posted
    entry, who, _form = posted
    client = providers(request).franceconnect(_base(request))
    if client is None or "franceconnect" not in entry.journey.model.prefill:
        return _refused(request, who, status=404)
    app = parcours(request)
    if draft_context(request, entry, who) is None:
        draft = app.store.create_draft(entry.id, entry.hash, entry.journey.start)
        who.session.data.setdefault("drafts", {})[entry.id] = draft.id
    pending = client.start()
    who.session.data[PENDING_KEY] = {"state": pending.state, "nonce": pending.nonce,
                                     "created": pending.created, "journey": entry.id}
    app.store.save_session(who.session)
    try:
        target = from_thread.run(client.authorization_url, pending)
    except Exception as exc:  # noqa: BLE001 - FranceConnect down: say so, go on without
        log.warning("franceconnect unavailable: %s", exc)
        return _refused(request, who, status=503)
    response = RedirectResponse(target, status_code=303)
    if who.new:
        set_cookie(request, response, who)
    return response


def callback(request: Request) -> Response:
    """FranceConnect's answer: verified, or refused with nothing stored."""
    who = citizen(request, create=False)
    if who is None:
        return _refused(request, None)
    app = parcours(request)
    raw = who.session.data.pop(PENDING_KEY, None)
    app.store.save_session(who.session)  # the pending sign-in serves once, whatever happens
    journey_id = raw.get("journey") if isinstance(raw, dict) else None
    entry = app.catalog.get(journey_id) if isinstance(journey_id, str) else None
    client = providers(request).franceconnect(_base(request))
    if entry is None or client is None or not isinstance(raw, dict):
        return _refused(request, who)
    pending = PendingSignIn(str(raw.get("state")), str(raw.get("nonce")),
                            float(raw.get("created") or 0))
    params = {k: v for k, v in request.query_params.items()}
    try:
        signed: SignedIn = from_thread.run(client.finish, pending, params)
    except SignInRefused as exc:
        log.warning("franceconnect sign-in refused: %s", exc)
        return _refused(request, who)
    except Exception as exc:  # noqa: BLE001 - the provider down or answering nonsense
        log.warning("franceconnect sign-in failed: %s", exc)
        return _refused(request, who, status=503)
    session = renew(app.store, who.session)
    session.data[SESSION_KEY] = {
        "sub": signed.sub, "claims": signed.claims, "id_token": signed.id_token,
        "access_token": signed.access_token, "at": time.time(),
    }
    renewed = Citizen(session, True, session.lang)
    ctx = draft_context(request, entry, renewed)
    if ctx is not None and not ctx.draft.submitted:
        fill(ctx.journey, ctx.draft, "franceconnect", signed.claims)
        app.store.save_draft(ctx.draft)
    app.store.save_session(session)
    return redirect(request, url(request, "step", journey=entry.id, step=entry.journey.start),
                    renewed)


def logout(request: Request) -> Response:
    """Leave FranceConnect: the identity leaves the session, then FranceConnect's own."""
    posted = checked_post(request)
    if isinstance(posted, Response):
        return posted
    entry, who, _form = posted
    identity = who.session.data.pop(SESSION_KEY, None)
    client = providers(request).franceconnect(_base(request))
    if not isinstance(identity, dict) or client is None:
        parcours(request).store.save_session(who.session)
        return redirect(request, url(request, "start_page", journey=entry.id), who)
    state = secrets.token_urlsafe(24)
    who.session.data[LOGOUT_KEY] = {"state": state, "journey": entry.id}
    parcours(request).store.save_session(who.session)
    signed = SignedIn(str(identity.get("sub")), {}, str(identity.get("id_token")), "")
    try:
        target = from_thread.run(client.logout_url, signed, state)
    except Exception as exc:  # noqa: BLE001 - signed out here in any case
        log.warning("franceconnect logout unavailable: %s", exc)
        return redirect(request, url(request, "start_page", journey=entry.id), who)
    return RedirectResponse(target, status_code=303)


def logged_out(request: Request) -> Response:
    """Back from FranceConnect's end session: to the journey's start page."""
    who = citizen(request, create=False)
    pending = who.session.data.pop(LOGOUT_KEY, None) if who is not None else None
    if who is None or not isinstance(pending, dict):
        return redirect(request, url(request, "front"))
    parcours(request).store.save_session(who.session)
    journey_id = str(pending.get("journey"))
    if parcours(request).catalog.get(journey_id) is None:
        return redirect(request, url(request, "front"), who)
    return redirect(request, url(request, "start_page", journey=journey_id), who)


def renew(store: Store, session: Session) -> Session:
    """The same session under a new id and CSRF token, the old one emptied (at sign-in: an
    id known before signing in, perhaps planted by someone else, is worth nothing after)."""
    renewed = store.create_session(session.lang)
    renewed.data = dict(session.data)
    store.save_session(renewed)
    session.data = {}
    store.save_session(session)
    return renewed


# -- data providers -------------------------------------------------------------------------


def typed(ctx: Context, page: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """Concept -> what the citizen typed for it (their answers, and ``page``: the typed
    values of the page being sent)."""
    found: dict[str, Any] = {}
    answers = {**ctx.run.answers, **(page or {})}
    for q in ctx.journey.questions.values():
        concept = concept_of(q)
        if concept and q.id in answers and answers[q.id] is not None:
            value = decode(answers[q.id])
            found[concept] = value.isoformat() if hasattr(value, "isoformat") else value
    return found


def typed_identity(ctx: Context, page: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """The identity the citizen typed, under FranceConnect's claim names, for a call by
    civility."""
    claims = {FILLS["franceconnect"][c]: v for c, v in typed(ctx, page).items()
              if c in FILLS["franceconnect"]}
    if claims.get("gender") not in (None, "female", "male"):
        text = str(claims["gender"]).casefold()
        claims["gender"] = "female" if text.startswith("f") else "male"
    return claims


async def _ask_entreprise(request: Request, ctx: Context, provider: str,
                          page: Mapping[str, Any] | None) -> ProviderAnswer:
    """API Entreprise, by the key the citizen typed (a SIRET)."""
    client = providers(request).entreprise
    if client is None:
        return ProviderAnswer("refused", detail="provider not connected")
    key = str(typed(ctx, page).get(KEYED_BY[provider]) or "").replace(" ", "")
    return await client.etablissement(key, ctx.journey.text(ctx.journey.model.title, "fr"))


async def ask_provider(request: Request, ctx: Context, who: Citizen, provider: str,
                       page: Mapping[str, Any] | None = None) -> tuple[ProviderAnswer, list[str]]:
    """Call a data provider for this citizen (they consented by asking), server-side: with
    their FranceConnect token when they signed in, else (or when the token has expired)
    with their identity. Fills the draft on success; records what it answered."""
    client = providers(request).particulier
    endpoints = ENDPOINTS.get(provider)
    available = providers(request).available()
    if provider not in connected(ctx.journey, available) or (
            provider not in KEYED_BY and (client is None or endpoints is None)):
        # Not a provider of this journey (a crafted action): nothing asked, nothing kept.
        return ProviderAnswer("refused", detail="provider not connected"), []
    answer = ProviderAnswer("refused", detail="no identity")
    if provider in KEYED_BY:
        answer = await _ask_entreprise(request, ctx, provider, page)
    elif client is not None and endpoints is not None:
        identity = signed_in(who)
        token = identity.get("access_token") if identity else None
        if token:
            answer = await client.fetch(endpoints, franceconnect_token=str(token))
        if answer.status == "refused":
            claims = (dict(identity.get("claims") or {}) if identity
                      else typed_identity(ctx, page))
            if claims:
                answer = await client.fetch(endpoints, identity=claims)
    filled: list[str] = []
    if answer.status == "ok" and answer.data is not None:
        filled = fill(ctx.journey, ctx.draft, provider, answer.data)
    else:
        log.info("%s answered %s: %s", provider, answer.status, answer.detail)
    asked(ctx.draft)[provider] = {"status": answer.status, "at": time.time(),
                                  "reason": answer.reason(provider_name(provider, "fr"), "fr"),
                                  "reason_en": answer.reason(provider_name(provider, "en"),
                                                             "en")}
    return answer, filled


# -- what a question page shows -------------------------------------------------------------


def page_prefill(request: Request, ctx: Context, step_id: str, lang: str) -> dict[str, Any]:
    """The certified answers of a page (field name -> value text, source, JSON value for
    the scripts) and its data providers' boxes (consent before asking, or why it asks)."""
    j = ctx.journey
    prefilled: dict[str, dict[str, str]] = {}
    here = {q.id for q in j.step_questions(step_id)}
    for qid, info in certified(ctx.draft).items():
        if qid not in here or qid not in ctx.run.answers:
            continue
        value = ctx.run.answers[qid]
        prefilled[qid] = {
            "text": answer_text(j, j.questions[qid], value, lang),
            "source": source_text(str(info.get("provider")), lang),
            "json": json.dumps(to_json(value), ensure_ascii=False),
        }
    boxes = []
    organisation = j.text(j.model.organisation, lang)
    done = asked(ctx.draft)
    for provider in data_providers(j, step_id, connected(j, providers(request).available())):
        answered = done.get(provider)
        if answered is None:
            boxes.append({"provider": provider, "reason": "",
                          "text": consent_text(provider, organisation, lang)})
        elif answered.get("status") != "ok":
            reason = answered.get("reason_en" if lang == "en" else "reason") or ""
            boxes.append({"provider": provider, "reason": reason, "text": ""})
    return {"prefilled": prefilled, "consents": boxes}
