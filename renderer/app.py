"""The web application: ``create_app(journeys) -> Starlette``, and its route table.

The process keeps no state between requests: several processes on one database serve the
same citizens. Every route has a name; links, form actions and redirects are made from it
(``url_for`` in templates, :func:`renderer.web.url` in Python), never written by hand.

Modules (docs/renderer.md, "Code map"):

- :mod:`renderer.web`: what every page shares (application state, session cookie, CSRF,
  rendering, redirects, URLs of named routes);
- :mod:`renderer.citizens`: the citizen's pages, by job (``front``, ``drafts``, ``steps``,
  ``submission``);
- :mod:`renderer.auditors`: the auditors' read-only report pages;
- :mod:`renderer.errors`: the error pages (400, 404, 405, 413, 500, 503).

Pages for other audiences (agents' back office, mediators) go in their own sub-package beside
``citizens`` and ``auditors``, with their routes added to the table below.

Routes (``J`` a journey id, ``S`` a step id, ``O`` an outcome id, ``T`` a resume token), with
their names:

- ``/`` (``?q=words``), ``front``: every journey, search, themes;
- ``/J/``, ``start_page``: the start page; ``POST /J/start``, ``start``: open a draft;
- ``POST /J/franceconnect``, ``franceconnect_login``; ``POST /J/franceconnect/logout``,
  ``franceconnect_logout``; ``/-/franceconnect/callback``, ``franceconnect_callback``;
  ``/-/franceconnect/logged-out``, ``franceconnect_logged_out``: FranceConnect sign-in;
- ``/J/q/S`` (``?part=N``, ``?change=1``), ``step`` and ``step_post``: a question page;
- ``/J/check``, ``check`` and ``submit``: check your answers, send the dossier;
- ``/J/confirmation``, ``confirmation``; ``POST /J/feedback``, ``feedback``: the optional
  satisfaction question; ``/J/receipt``, ``receipt``; ``/J/accuse-reception.pdf``,
  ``receipt_pdf``: the acknowledgement of receipt;
- ``/J/end/O``, ``exit``: an exit outcome;
- ``POST /J/save``, ``save``; ``/J/saved``, ``saved``: save and come back later;
- ``/J/resume``, ``resume`` and ``resume_post``; ``/J/resume/T``, ``resume_link`` (a page
  whose button POSTs, ``resume_link_post``);
- ``/-/reports`` and ``/-/reports/J``, ``portfolio_report`` and ``journey_report`` (and
  ``portfolio_report_json``, ``journey_report_json`` for ``.json``): the auditors' reports;
- ``/-/agents/…``, ``agents_*``: the agents' back office (login, dossier list, a dossier and
  its actions, its files, its acknowledgement of receipt and letters; ``/-/agents/courriers``,
  the print queue, and ``…/courriers/lot``, a batch of its letters printed as one PDF);
  ``/-/agents/saisie/…``, ``agents_keying*``: keying a paper form; ``/-/agents/webhooks``,
  ``agents_webhooks``: the webhooks' deliveries, for administrators, and their retry;
- ``/-/agents/mediation/…``, ``mediators_*``: the mediators' pages (their dossiers, the
  citizen's mandate that starts an assisted journey and its receipt, a dossier's handover
  sheet);
- ``/-/suivi/T``, ``follow`` and ``follow_post``: the citizen's follow-up of a dossier
  (``follow_file``, ``follow_receipt``, ``follow_letter``: its documents);
- ``/-/suivi``, ``follow_code`` and ``follow_code_post``: the same follow-up reached by the
  dossier's number and follow-up code (the handover sheet's);
- ``/-/mandat`` (``mandate_code``, ``mandate_code_post``) and ``/-/mandat/CODE``
  (``mandate_withdraw``, ``mandate_withdraw_post``): the citizen withdraws the mandate given
  to a mediator, by its receipt's code or link;
- ``/api/v1/…``, ``api_*``: the services' JSON API (:mod:`renderer.api`, docs/api.md),
  authenticated by service tokens; its errors are problem documents;
- ``/static/…``, ``static``: the CSS and the two scripts;
- ``/-/health``, ``/-/ready``, ``/-/metrics``: for the operators (:mod:`renderer.observe`).
"""

from __future__ import annotations

import contextlib
import datetime
from collections.abc import AsyncIterator
from pathlib import Path

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from renderer.agents import keying, letters, webhooks
from renderer.agents.dossiers import (
    annotate_post,
    dossier_list,
    dossier_page,
    file_download,
    message_post,
    reassign_post,
    status_post,
)
from renderer.agents.login import login_page, login_post, logout
from renderer.api import views as api
from renderer.api.problems import ApiProblem, api_problem
from renderer.auditors.reports import journey_report, portfolio_report
from renderer.citizens import identity
from renderer.citizens.drafts import start
from renderer.citizens.follow import (
    follow_file,
    follow_letter,
    follow_page,
    follow_post,
    follow_receipt,
)
from renderer.citizens.follow_code import follow_code_page, follow_code_post
from renderer.citizens.front import front_door, start_page
from renderer.citizens.mandate_withdrawal import (
    mandate_code_page,
    mandate_code_post,
    mandate_page,
    mandate_post,
)
from renderer.citizens.paper import paper_form
from renderer.citizens.resume import (
    resume_link,
    resume_link_post,
    resume_page,
    resume_post,
    save_post,
    saved_page,
)
from renderer.citizens.steps import step_page, step_post
from renderer.citizens.submission import (
    check_page,
    confirmation,
    exit_page,
    feedback,
    receipt,
    receipt_pdf,
    submit,
)
from renderer.config import Settings
from renderer.databases import StoreBusy
from renderer.errors import bad_host_page, busy, not_found, server_error, too_large_page
from renderer.jobs import server_jobs
from renderer.mediators import pages as mediators
from renderer.mediators import receipt as mandate_receipt
from renderer.observe import RequestLog, health, metrics, ready
from renderer.providers.connected import CALLBACK_PATH, LOGGED_OUT_PATH, Providers
from renderer.security import HostCheck, SecurityMiddleware
from renderer.web import HERE, Parcours


def create_app(
    journeys_dir_or_paths: str | Path | list[str | Path],
    db_url: str = "sqlite:///parcours.db",
    secret: str | None = None,
    reload: bool = False,
    *,
    max_body: int | None = None,
    today: datetime.date | None = None,
    settings: Settings | None = None,
    smtp_url: str | None = None,
    mail_dir: str | Path | None = None,
    base_url: str | None = None,
    providers: Providers | None = None,
    record_usage: bool = True,
    usage_threshold: int = 5,
) -> Starlette:
    """The citizen's application for the journeys of a folder (or a list of files).

    ``db_url``: ``sqlite:///FILE`` or ``postgresql://…``. ``secret`` signs the session
    cookie (default: a random secret kept in the database, shared by every process on it).
    ``reload`` re-reads the journey files on each request (designers editing them).
    ``max_body`` bounds request bodies (default: 1 MB plus the largest file a journey accepts).
    ``providers``: the identity and data providers (default: those of ``settings``,
    :mod:`renderer.providers.connected`).
    ``settings`` (:mod:`renderer.config`, docs/operations.md): public URL, trusted hosts,
    files folder, timeouts, the purge job; when given, its ``database_url`` is the database.
    While it serves, a worker delivers the notifications: over ``smtp_url`` (default
    ``PARCOURS_SMTP_URL``), else as ``.eml`` files in ``mail_dir`` (default
    ``PARCOURS_MAIL_DIR``; with neither, they wait in the outbox); their links start with
    ``base_url`` (default ``PARCOURS_BASE_URL``).
    ``record_usage``: count aggregate page events (renderer/usage.py); off to measure their cost.
    ``usage_threshold``: counts under it are never shown in the served reports.
    """
    if settings is not None:
        db_url = settings.database_url
        smtp_url = smtp_url or settings.smtp_url or None
        base_url = base_url or settings.public_url or None
    parcours = Parcours(journeys_dir_or_paths, db_url, secret, reload, max_body, today,
                        settings, providers, record_usage=record_usage,
                        usage_threshold=usage_threshold)
    jobs = server_jobs(parcours, settings, journeys_dir_or_paths, smtp_url=smtp_url,
                       mail_dir=mail_dir, base_url=base_url)

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        if jobs is not None:
            await run_in_threadpool(jobs.start)
        try:
            yield
        finally:
            if jobs is not None:
                await run_in_threadpool(jobs.stop)
            # The counts still in memory are written while the database is surely there.
            await run_in_threadpool(parcours.usage.flush)

    routes = [
        Route("/", front_door, methods=["GET"], name="front"),
        # For the operators (docs/operations.md); a journey id never starts with "-".
        Route("/-/health", health, methods=["GET"], name="health"),
        Route("/-/ready", ready, methods=["GET"], name="ready"),
        Route("/-/metrics", metrics, methods=["GET"], name="metrics"),
        Mount("/static", StaticFiles(directory=str(HERE / "static")), name="static"),
        # The auditors' reports, read-only (GET and HEAD): every other method gets the 405
        # page. A journey id never starts with "-": no journey can shadow them.
        Route("/-/reports", portfolio_report, methods=["GET"], name="portfolio_report"),
        Route("/-/reports.json", portfolio_report, methods=["GET"],
              name="portfolio_report_json"),
        Route("/-/reports/{journey}.json", journey_report, methods=["GET"],
              name="journey_report_json"),
        Route("/-/reports/{journey}", journey_report, methods=["GET"], name="journey_report"),
        # The agents' back office (renderer.agents): every page checks the agent's session
        # and rights on the server.
        Route("/-/agents/login", login_page, methods=["GET"], name="agents_login"),
        Route("/-/agents/login", login_post, methods=["POST"], name="agents_login_post"),
        Route("/-/agents/logout", logout, methods=["POST"], name="agents_logout"),
        Route("/-/agents/", dossier_list, methods=["GET"], name="agents_dossiers"),
        Route("/-/agents/dossiers/{reference}", dossier_page, methods=["GET"],
              name="agents_dossier"),
        Route("/-/agents/dossiers/{reference}/status", status_post, methods=["POST"],
              name="agents_status"),
        Route("/-/agents/dossiers/{reference}/service", reassign_post, methods=["POST"],
              name="agents_reassign"),
        Route("/-/agents/dossiers/{reference}/annotations", annotate_post, methods=["POST"],
              name="agents_annotate"),
        Route("/-/agents/dossiers/{reference}/messages", message_post, methods=["POST"],
              name="agents_message"),
        Route("/-/agents/dossiers/{reference}/files/{file}", file_download, methods=["GET"],
              name="agents_file"),
        Route("/-/agents/dossiers/{reference}/accuse-reception.pdf", letters.receipt_pdf,
              methods=["GET"], name="agents_receipt"),
        Route("/-/agents/courriers", letters.print_queue, methods=["GET"],
              name="agents_print_queue"),
        # A batch of letters printed at once; before ``courriers/{letter}``, which would
        # take ``lot`` for a letter's id.
        Route("/-/agents/courriers/lot", letters.batch_page, methods=["GET"],
              name="agents_batch"),
        Route("/-/agents/courriers/lot.pdf", letters.batch_pdf, methods=["GET"],
              name="agents_batch_pdf"),
        Route("/-/agents/courriers/lot/imprime", letters.batch_printed_post, methods=["POST"],
              name="agents_batch_printed"),
        Route("/-/agents/courriers/{letter}", letters.letter_pdf, methods=["GET"],
              name="agents_letter"),
        Route("/-/agents/courriers/{letter}/imprime", letters.printed_post, methods=["POST"],
              name="agents_letter_printed"),
        # The webhooks' deliveries, administrators only (renderer.agents.webhooks).
        Route("/-/agents/webhooks", webhooks.deliveries_page, methods=["GET"],
              name="agents_webhooks"),
        Route("/-/agents/webhooks/{delivery}/relance", webhooks.retry_post, methods=["POST"],
              name="agents_webhook_retry"),
        # The services' JSON API (renderer.api, docs/api.md): a service token in the
        # Authorization header, never a cookie; described by its OpenAPI document.
        Route("/api/v1/openapi.json", api.openapi_document, methods=["GET"],
              name="api_openapi"),
        Route("/api/v1/dossiers", api.dossiers, methods=["GET"], name="api_dossiers"),
        Route("/api/v1/dossiers/{reference}", api.dossier, methods=["GET"], name="api_dossier"),
        Route("/api/v1/dossiers/{reference}/files/{file}", api.file, methods=["GET"],
              name="api_file"),
        Route("/api/v1/dossiers/{reference}/status", api.status_post, methods=["POST"],
              name="api_status"),
        Route("/api/v1/dossiers/{reference}/messages", api.messages, methods=["GET"],
              name="api_messages"),
        Route("/api/v1/dossiers/{reference}/messages", api.message_post, methods=["POST"],
              name="api_message"),
        Route("/api/v1/dossiers/{reference}/annotations", api.annotation_list, methods=["GET"],
              name="api_annotations"),
        Route("/api/v1/dossiers/{reference}/annotations", api.annotation_post,
              methods=["POST"], name="api_annotation"),
        Route("/api/v1/dossiers/{reference}/service", api.service_post, methods=["POST"],
              name="api_reassign"),
        # Keying a paper form at the desk (renderer.agents.keying).
        Route("/-/agents/saisie/", keying.journeys, methods=["GET"], name="agents_keying_list"),
        Route("/-/agents/saisie/{journey}", keying.keying_page, methods=["GET"],
              name="agents_keying"),
        Route("/-/agents/saisie/{journey}", keying.keying_post, methods=["POST"],
              name="agents_keying_post"),
        # The mediators' pages (renderer.mediators), under the agents' cookie path: every
        # page checks the mediator's session and role on the server.
        Route("/-/agents/mediation/", mediators.home, methods=["GET"], name="mediators_home"),
        Route("/-/agents/mediation/mandat", mediators.mandate_page, methods=["GET"],
              name="mediators_mandate"),
        Route("/-/agents/mediation/mandat", mediators.mandate_post, methods=["POST"],
              name="mediators_mandate_post"),
        Route("/-/agents/mediation/dossiers/{reference}", mediators.handover, methods=["GET"],
              name="mediators_handover"),
        Route("/-/agents/mediation/dossiers/{reference}/fiche.pdf", mediators.handover_pdf,
              methods=["GET"], name="mediators_handover_pdf"),
        Route("/-/agents/mediation/mandats/{mandate}", mandate_receipt.receipt, methods=["GET"],
              name="mediators_mandate_receipt"),
        Route("/-/agents/mediation/mandats/{mandate}/recepisse.pdf", mandate_receipt.receipt_pdf,
              methods=["GET"], name="mediators_mandate_receipt_pdf"),
        Route("/-/agents/mediation/mandats/{mandate}/retrait", mediators.withdraw,
              methods=["POST"], name="mediators_withdraw"),
        Route("/-/agents/mediation/fin", mediators.finish, methods=["POST"],
              name="mediators_finish"),
        # The citizen withdraws a mandate given to a mediator (citizens.mandate_withdrawal).
        Route("/-/mandat", mandate_code_page, methods=["GET"], name="mandate_code"),
        Route("/-/mandat", mandate_code_post, methods=["POST"], name="mandate_code_post"),
        Route("/-/mandat/{code}", mandate_page, methods=["GET"], name="mandate_withdraw"),
        Route("/-/mandat/{code}", mandate_post, methods=["POST"], name="mandate_withdraw_post"),
        # The citizen's follow-up by the dossier's number and follow-up code (no link).
        Route("/-/suivi", follow_code_page, methods=["GET"], name="follow_code"),
        Route("/-/suivi", follow_code_post, methods=["POST"], name="follow_code_post"),
        # The citizen's follow-up of a sent dossier, by its secret token.
        Route("/-/suivi/{token}", follow_page, methods=["GET"], name="follow"),
        Route("/-/suivi/{token}", follow_post, methods=["POST"], name="follow_post"),
        Route("/-/suivi/{token}/files/{file}", follow_file, methods=["GET"],
              name="follow_file"),
        Route("/-/suivi/{token}/accuse-reception.pdf", follow_receipt, methods=["GET"],
              name="follow_receipt"),
        Route("/-/suivi/{token}/courriers/{letter}", follow_letter, methods=["GET"],
              name="follow_letter"),
        # FranceConnect's callback and return from logout (registered with FranceConnect).
        Route(CALLBACK_PATH, identity.callback, methods=["GET"],
              name="franceconnect_callback"),
        Route(LOGGED_OUT_PATH, identity.logged_out, methods=["GET"],
              name="franceconnect_logged_out"),
        # The citizen's pages.
        Route("/{journey}/", start_page, methods=["GET"], name="start_page"),
        Route("/{journey}/start", start, methods=["POST"], name="start"),
        Route("/{journey}/formulaire.pdf", paper_form, methods=["GET"], name="paper_form"),
        Route("/{journey}/franceconnect", identity.login, methods=["POST"],
              name="franceconnect_login"),
        Route("/{journey}/franceconnect/logout", identity.logout, methods=["POST"],
              name="franceconnect_logout"),
        Route("/{journey}/q/{step}", step_page, methods=["GET"], name="step"),
        Route("/{journey}/q/{step}", step_post, methods=["POST"], name="step_post"),
        Route("/{journey}/check", check_page, methods=["GET"], name="check"),
        Route("/{journey}/check", submit, methods=["POST"], name="submit"),
        Route("/{journey}/confirmation", confirmation, methods=["GET"], name="confirmation"),
        Route("/{journey}/feedback", feedback, methods=["POST"], name="feedback"),
        Route("/{journey}/receipt", receipt, methods=["GET"], name="receipt"),
        Route("/{journey}/accuse-reception.pdf", receipt_pdf, methods=["GET"],
              name="receipt_pdf"),
        Route("/{journey}/end/{outcome}", exit_page, methods=["GET"], name="exit"),
        Route("/{journey}/save", save_post, methods=["POST"], name="save"),
        Route("/{journey}/saved", saved_page, methods=["GET"], name="saved"),
        Route("/{journey}/resume", resume_page, methods=["GET"], name="resume"),
        Route("/{journey}/resume", resume_post, methods=["POST"], name="resume_post"),
        Route("/{journey}/resume/{token}", resume_link, methods=["GET"], name="resume_link"),
        Route("/{journey}/resume/{token}", resume_link_post, methods=["POST"],
              name="resume_link_post"),
    ]
    app = Starlette(
        routes=routes,
        exception_handlers={HTTPException: not_found, 404: not_found, 405: not_found,
                            ApiProblem: api_problem, StoreBusy: busy, 500: server_error,
                            Exception: server_error},
        lifespan=lifespan,
    )
    app.state.parcours = parcours
    app.state.jobs = jobs
    parcours.router = app.router
    app.add_middleware(SecurityMiddleware, max_body=parcours.max_body,
                       too_large=too_large_page(parcours))
    app.add_middleware(HostCheck, hosts=parcours.settings.hosts(),
                       refused=bad_host_page(parcours))
    app.add_middleware(RequestLog)
    return app

