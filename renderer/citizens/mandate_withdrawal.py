"""The citizen withdraws the mandate they gave a mediator, as easily as they gave it
(docs/mediation.md, "The citizen withdraws"): by the link printed on the mandate's receipt
(``/-/mandat/CODE``), or by typing its withdrawal code on ``/-/mandat``.

The page shows the mandate (the structure, the procedure, until when), never the citizen's
name, and a "Retirer mon accord" button: a POST with the page's CSRF token; a GET changes
nothing. A mandate already used, expired or withdrawn says so and changes nothing. A wrong
code (typed or in a link) gets the same answer whatever mandates exist, and counts in the
one throttle (:mod:`renderer.throttle`, kind ``mandate``, per client address): with 60-bit
codes, guessing is blind and slow.
"""

from __future__ import annotations

from anyio import from_thread
from starlette.requests import Request
from starlette.responses import Response

from renderer.backoffice.mediation import BY_CITIZEN, Mandate, Mandates
from renderer.backoffice.paperwork import when
from renderer.i18n import t
from renderer.security import client_address
from renderer.store import normalise_code
from renderer.web import Citizen, citizen, csrf_refused, parcours, read_form, redirect, render, url


def _form(request: Request, who: Citizen, error: str | None = None, status: int = 200) -> Response:
    lang = who.lang
    return render(
        request,
        "mandate_code.html",
        {
            "title": t("mw_code_title", lang),
            "error": error,
            # Answered in the language the form was read in (as /-/suivi's form).
            "action": url(request, "mandate_code_post", {"lang": lang}),
        },
        who=who,
        status=status,
    )


def _throttled(request: Request, who: Citizen) -> Response:
    return render(
        request,
        "error.html",
        {
            "title": t("follow_throttled_title", who.lang),
            "body": t("follow_throttled_body", who.lang),
        },
        who=who,
        status=429,
    )


def _find(request: Request, who: Citizen, code: str) -> Mandate | Response:
    """The mandate of the withdrawal ``code``, or the page that says nothing about it (a
    failure counted per address), or the throttled page."""
    app = parcours(request)
    address = client_address(request)
    if app.throttle.blocked("mandate", address):
        return _throttled(request, who)
    mandate = Mandates(app.store).by_code(code)
    if mandate is None:
        app.throttle.fail("mandate", address)
        lang = who.lang
        return render(
            request,
            "error.html",
            {"title": t("mw_link_wrong_title", lang), "body": t("mw_link_wrong_body", lang)},
            who=who,
            status=404,
        )
    return mandate


def _page(request: Request, who: Citizen, mandate: Mandate, status: int = 200) -> Response:
    app = parcours(request)
    lang = who.lang
    entry = app.catalog.get(mandate.journey_id)
    structure = mandate.structure
    if mandate.active():
        state = None
    elif mandate.reference is not None:
        state = t("mw_used", lang)
    elif mandate.withdrawn_at is not None:
        withdrawn = when(mandate.withdrawn_at, lang)
        done = mandate.withdrawn_by == BY_CITIZEN and request.query_params.get("retire") == "1"
        state = (
            t("mw_done", lang, structure=structure)
            if done
            else t("mw_withdrawn", lang, date=withdrawn)
        )
    else:
        state = t("mw_expired", lang, date=when(mandate.expires_at, lang))
    code = normalise_code(request.path_params["code"][:40])
    return render(
        request,
        "mandate_withdrawal.html",
        {
            "title": t("mw_title", lang, structure=structure),
            "structure": structure,
            "journey_title": entry.journey.text(entry.journey.model.title, lang)
            if entry
            else mandate.journey_id,
            "given_on": when(mandate.created_at, lang),
            "until": when(mandate.expires_at, lang),
            "state": state,
            "action": url(request, "mandate_withdraw_post", {"lang": lang}, code=code),
        },
        who=who,
        status=status,
    )


def mandate_code_page(request: Request) -> Response:
    """The form where the withdrawal code is typed (nothing changes on GET)."""
    who = citizen(request)
    assert who is not None
    return _form(request, who)


def mandate_code_post(request: Request) -> Response:
    """Check the code typed: its mandate's page when it is one, the same refusal otherwise
    (throttled per address)."""
    who = citizen(request)
    assert who is not None
    form = from_thread.run(read_form, request)
    if (refused := csrf_refused(request, who, form)) is not None:
        return refused
    app = parcours(request)
    address = client_address(request)
    if app.throttle.blocked("mandate", address):
        return _form(request, who, t("follow_throttled_body", who.lang), status=429)
    code = normalise_code(str(form.get("code") or "")[:40])
    mandate = Mandates(app.store).by_code(code) if code else None
    if mandate is None:
        app.throttle.fail("mandate", address)
        return _form(request, who, t("mw_code_wrong", who.lang), status=422)
    return redirect(request, url(request, "mandate_withdraw", code=code), who)


def mandate_page(request: Request) -> Response:
    """The mandate of the code in the link, and the button that withdraws it."""
    who = citizen(request)
    assert who is not None
    got = _find(request, who, request.path_params["code"][:40])
    if isinstance(got, Response):
        return got
    return _page(request, who, got)


def mandate_post(request: Request) -> Response:
    """Withdraw the mandate (audited, as the mediator's withdrawal but by the citizen); a
    mandate that no longer covers anything is shown as it is, unchanged (409)."""
    who = citizen(request)
    assert who is not None
    form = from_thread.run(read_form, request)
    if (refused := csrf_refused(request, who, form)) is not None:
        return refused
    got = _find(request, who, request.path_params["code"][:40])
    if isinstance(got, Response):
        return got
    mandates = Mandates(parcours(request).store)
    if not mandates.withdraw_by_citizen(got):
        return _page(request, who, mandates.get(got.id) or got, status=409)
    code = normalise_code(request.path_params["code"][:40])
    return redirect(request, url(request, "mandate_withdraw", {"retire": "1"}, code=code), who)
