"""Following a dossier without its link: the follow-up code printed beside the dossier's
number (on the mediator's handover sheet), and the page where a citizen types both.

The code is an HMAC of the reference with the store's secret (nothing more is stored), 12
characters of the resume codes' unambiguous alphabet (:data:`renderer.store.ALPHABET`, 60
bits), grouped by four, typed in any case, with or without spaces. The page answers the
same for a wrong number and a wrong code, and counts each failure per client address (kind
``follow``, shared with the follow-up links) and per number typed (kind
``follow-reference``, whether that dossier exists or not), so that guessing is blind and
slow. A right pair leads to the ordinary follow-up page (``/-/suivi/TOKEN``).
"""

from __future__ import annotations

import hashlib
import hmac

from anyio import from_thread
from starlette.requests import Request
from starlette.responses import Response

from renderer.backoffice.dossiers import Dossier, Dossiers
from renderer.i18n import t
from renderer.security import client_address
from renderer.store import ALPHABET, CODE_LENGTH, Store, normalise_code
from renderer.web import Citizen, citizen, csrf_refused, parcours, read_form, redirect, render, url


def follow_code(store: Store, reference: str) -> str:
    """The follow-up code of a dossier: ``XXXX-XXXX-XXXX`` in the unambiguous alphabet."""
    mac = hmac.new(store.secret().encode("utf-8"), f"follow-code:{reference}".encode(),
                   hashlib.sha256).digest()
    number = int.from_bytes(mac[:8], "big")
    raw = "".join(ALPHABET[(number >> (5 * i)) & 31] for i in range(CODE_LENGTH))
    return "-".join(raw[i : i + 4] for i in range(0, CODE_LENGTH, 4))


def by_code(store: Store, reference: str, code: str) -> Dossier | None:
    """The dossier of ``reference`` if ``code`` is its follow-up code (both as typed by a
    citizen); None otherwise, the same for a number that exists and one that does not."""
    expected = follow_code(store, reference)
    if not hmac.compare_digest(expected, normalise_code(code)):
        return None
    return Dossiers(store).get(reference)


def _form(request: Request, who: Citizen, values: dict[str, str], error: str | None = None,
          status: int = 200) -> Response:
    lang = who.lang
    return render(request, "follow_code.html", {
        "title": t("follow_code_title", lang), "values": values, "error": error,
        # The answer to the form in the language it was read in (a first visit's session
        # is not stored before the form is checked).
        "action": url(request, "follow_code_post", {"lang": lang}),
    }, who=who, status=status)


def follow_code_page(request: Request) -> Response:
    """The form: the dossier's number and its follow-up code (nothing changes on GET)."""
    who = citizen(request)
    assert who is not None
    return _form(request, who, {"reference": "", "code": ""})


def follow_code_post(request: Request) -> Response:
    """Check the number and the code; the follow-up page when they match, the same refusal
    otherwise (throttled per address and per number)."""
    who = citizen(request)
    assert who is not None
    form = from_thread.run(read_form, request)
    if (refused := csrf_refused(request, who, form)) is not None:
        return refused
    app = parcours(request)
    lang = who.lang
    reference = normalise_code(str(form.get("reference") or "")[:40])
    code = str(form.get("code") or "")[:40]
    values = {"reference": reference, "code": ""}
    address = client_address(request)
    if app.throttle.blocked("follow", address) or app.throttle.blocked(
            "follow-reference", reference):
        return _form(request, who, values, t("follow_throttled_body", lang), status=429)
    dossier = by_code(app.store, reference, code) if reference else None
    if dossier is None:
        app.throttle.fail("follow", address)
        app.throttle.fail("follow-reference", reference)
        return _form(request, who, values, t("follow_code_wrong", lang), status=422)
    token = Dossiers(app.store).follow_token(dossier.reference)
    return redirect(request, url(request, "follow", token=token), who)
