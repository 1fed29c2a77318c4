"""The documents Parcours writes for a dossier, as PDF: the acknowledgement of receipt
(accusé de réception), the decision letters and the letters that replace the e-mails of a
citizen who chose the post.

Each is an HTML template (Jinja2, ``renderer/templates/documents/``) made a PDF by the
process's :class:`renderer.printing.Printer` (WeasyPrint, a few at a time, the same document
made once). A journeys folder may override any of them as the e-mails are overridden:
``documents/JOURNEY/KIND.LANG.html``, ``documents/JOURNEY/KIND.html``,
``documents/KIND.LANG.html`` or ``documents/KIND.html`` beside the journeys (KIND:
``receipt``, ``decision``, ``letter``, ``handover``: the mediator's handover sheet,
``mandate``: the receipt of a citizen's mandate, whose JOURNEY is the mandate's). A
letter by post says what the e-mail would have said: its subject and body come from the
e-mail's template (:meth:`renderer.backoffice.delivery.Mailer.text`).
"""

from __future__ import annotations

import datetime
from pathlib import Path
from typing import Any

from jinja2 import ChoiceLoader, Environment, FileSystemLoader, TemplateNotFound, select_autoescape
from starlette.requests import Request
from starlette.responses import Response

from designer.answers import answer_text, date_text, decode
from designer.compiled import CompiledJourney
from renderer.answers import sent_sections
from renderer.i18n import LANGUAGES, t
from renderer.records import Submission
from renderer.web import Parcours, parcours, url

from .delivery import Mailer
from .dossiers import Dossier, Dossiers
from .letters import DECISION, Letter
from .notifier import mail_overrides

TEMPLATES = Path(__file__).resolve().parents[1] / "templates" / "documents"
#: The concepts whose answers address a letter (the citizen's name and home address).
ADDRESSEE = ("identite.prenoms", "identite.nom")
HOME = "adresse.domicile"


def when(stamp: str, lang: str) -> str:
    """A stored time as a document writes it: "6 décembre 2026 10:01 UTC"."""
    moment = datetime.datetime.fromisoformat(stamp)
    return date_text(moment.date(), lang) + moment.strftime(" %H:%M UTC")


def overrides(app: Parcours) -> Path:
    """Where a journeys folder overrides the documents: ``documents/`` beside ``mail/``."""
    return mail_overrides(app.paths).parent / "documents"


def paperwork(request: Request) -> Paperwork:
    """The documents' writer of a request's application, its links starting with the
    public address (or this request's)."""
    app = parcours(request)
    return Paperwork(app, app.public_url or str(request.base_url))


def pdf(data: bytes, name: str) -> Response:
    """A generated PDF as a download, never kept by a shared cache."""
    return Response(
        data,
        media_type="application/pdf",
        headers={
            "content-disposition": f'attachment; filename="{name}"',
            "cache-control": "no-store",
        },
    )


def letter_rows(
    request: Request, letters: list[Letter], lang: str, route: str, **params: str
) -> list[dict[str, str]]:
    """The letters as the pages list them: what, when, and the link to the PDF."""
    return [
        {
            "id": x.id,
            "reference": x.reference,
            "kind": x.kind,
            "name": t(f"doc_kind_{x.kind}", lang),
            "at": when(x.created_at, lang),
            "printed": t("bo_letter_printed", lang, date=when(x.printed_at, lang))
            if x.printed_at
            else (t("bo_letter_to_print", lang) if x.to_print else ""),
            "url": url(request, route, None, letter=x.id, **params),
        }
        for x in letters
    ]


class Paperwork:
    """Writes a dossier's documents for one application (its journeys, templates, URL)."""

    def __init__(self, app: Parcours, base_url: str) -> None:
        self.app = app
        self.base_url = base_url.rstrip("/")
        loaders: list[Any] = []
        folder = overrides(app)
        if folder.is_dir():
            loaders.append(FileSystemLoader(str(folder)))
        loaders.append(FileSystemLoader(str(TEMPLATES)))
        self.env = Environment(
            loader=ChoiceLoader(loaders),
            autoescape=select_autoescape(default=True, default_for_string=True),
            trim_blocks=True,
            lstrip_blocks=True,
        )

    def _pdf(self, kind: str, lang: str, d: Dossier, context: dict[str, Any]) -> bytes:
        """A document of the dossier made a PDF by the process's printer."""
        return self.app.printer.pdf(self._html(kind, lang, d, context))

    def _html(self, kind: str, lang: str, d: Dossier, context: dict[str, Any]) -> str:
        return str(self._template(kind, lang, d.journey_id).render(context))

    def _template(self, kind: str, lang: str, journey_id: str) -> Any:
        names = [
            f"{journey_id}/{kind}.{lang}.html",
            f"{journey_id}/{kind}.html",
            f"{kind}.{lang}.html",
            f"{kind}.html",
        ]
        for name in names:
            try:
                return self.env.get_template(name)
            except TemplateNotFound:
                continue
        raise TemplateNotFound(names[-1])  # pragma: no cover - the built-ins exist

    def _sent(self, reference: str) -> tuple[Submission, CompiledJourney | None]:
        submission = self.app.store.submission(reference)
        assert submission is not None, reference
        return submission, self.app.catalog.version(
            self.app.store, submission.journey_id, submission.journey_hash
        )

    def service_name(self, service: str | None, lang: str) -> str:
        """The service as the documents and the back office name it."""
        return service_name(self.app, service, lang)

    def _context(
        self, d: Dossier, journey: CompiledJourney | None, lang: str, answers: dict[str, Any]
    ) -> dict[str, Any]:
        title = journey.text(journey.model.title, lang) if journey else d.journey_id
        return {
            "lang": lang,
            "t": lambda key, **kw: t(key, lang, **kw),
            "reference": d.reference,
            "journey_title": title,
            "organisation": journey.model.organisation if journey else "",
            "service": self.service_name(d.service, lang),
            "addressee": addressee(journey, answers, lang) if journey else [],
            "follow_url": f"{self.base_url}/-/suivi/{self._token(d)}",
            "today": date_text(self.app.today(), lang),
        }

    def _token(self, d: Dossier) -> str:
        return Dossiers(self.app.store).follow_token(d.reference)

    def receipt(self, d: Dossier, reissued: bool = False) -> bytes:
        """The acknowledgement of receipt: reference, date, service and the answers exactly
        as the citizen's summary showed them (``reissued``: marked re-issued today)."""
        submission, journey = self._sent(d.reference)
        lang = _lang(d.lang)
        answers = decode(submission.answers).get("answers", {})
        context = self._context(d, journey, lang, answers)
        context.update(
            sent_on=when(submission.created_at, lang),
            reissued=reissued,
            sections=sent_sections(journey, submission, lang, self.app.today()) if journey else [],
        )
        return self._pdf("receipt", lang, d, context)

    def handover(self, d: Dossier, code: str) -> bytes:
        """The handover sheet a mediator gives the citizen: the dossier's number, the
        follow-up address, the follow-up ``code`` and where to type it without the link."""
        submission, journey = self._sent(d.reference)
        lang = _lang(d.lang)
        context = self._context(d, journey, lang, {})
        context.update(
            sent_on=when(submission.created_at, lang),
            structure=d.mediator_structure or "",
            code=code,
            by_code_url=f"{self.base_url}/-/suivi",
        )
        return self._pdf("handover", lang, d, context)

    def mandate_receipt(self, journey_id: str, lang: str, facts: dict[str, Any]) -> bytes:
        """The receipt of a citizen's mandate to a mediator: who, which procedure, until
        when, how consent was given, and how to withdraw it (``facts``, made by
        :func:`renderer.mediators.receipt.facts`, the same as the page's)."""
        lang = _lang(lang)
        context = {"lang": lang, "t": lambda key, **kw: t(key, lang, **kw), **facts}
        html = str(self._template("mandate", lang, journey_id).render(context))
        return self.app.printer.pdf(html)

    def letter(self, d: Dossier, letter: Letter) -> bytes:
        """A letter of the dossier: its decision letter, or a notification by post (the
        e-mail's subject and body on paper)."""
        return self.app.printer.pdf(self.letter_html(d, letter))

    def letters(self, letters: list[tuple[Dossier, Letter]]) -> bytes:
        """Letters printed at once: one PDF, each letter starting on a new page with its own
        page numbers, in the order given (the caller bounds their number)."""
        return self.app.printer.batch([self.letter_html(d, x) for d, x in letters])

    def letter_html(self, d: Dossier, letter: Letter) -> str:
        """The HTML of a letter of the dossier (made a PDF by :meth:`letter`)."""
        submission, journey = self._sent(d.reference)
        p = letter.payload
        lang = _lang(str(p.get("lang") or d.lang))
        context = self._context(d, journey, lang, decode(submission.answers).get("answers", {}))
        # A letter is dated by its day, as letters are.
        context["dated"] = date_text(
            datetime.datetime.fromisoformat(letter.created_at).date(), lang
        )
        if letter.kind == DECISION:
            context.update(status=str(p.get("status")), reason=p.get("reason") or "")
            return self._html("decision", lang, d, context)
        mailer = Mailer(
            "",
            self.base_url,
            overrides=mail_overrides(self.app.paths),
            organisation=str(context["organisation"]),
        )
        _lang_used, subject, body = mailer.text(letter.kind, {**p, "lang": lang})
        context.update(
            subject=subject, paragraphs=[b.strip() for b in body.split("\n\n") if b.strip()]
        )
        return self._html("letter", lang, d, context)


def service_name(app: Parcours, service: str | None, lang: str) -> str:
    """A service's name in ``lang`` ("no service" for an unrouted dossier; its id when it is
    no longer declared)."""
    if service is None:
        return t("bo_no_service", lang)
    declared = app.catalog.services.get(service)
    if declared is None:
        return service
    name = declared.name
    return name if isinstance(name, str) else (name.get(lang) or next(iter(name.values())))


def _lang(lang: str) -> str:
    return lang if lang in LANGUAGES else "fr"


def addressee(journey: CompiledJourney, answers: dict[str, Any], lang: str) -> list[str]:
    """The lines a letter is addressed with: the citizen's name and home address when the
    journey asks them (by their concepts), else nothing (the agents address it)."""
    by_concept = {
        getattr(q.question, "concept", None): q
        for q in journey.questions.values()
        if q.repeat is None
    }
    name = " ".join(
        str(answers[q.id])
        for c in ADDRESSEE
        if (q := by_concept.get(c)) is not None and answers.get(q.id)
    )
    lines = [name] if name else []
    home = by_concept.get(HOME)
    if home is not None and answers.get(home.id):
        lines += [
            part.strip() for part in answer_text(journey, home, answers[home.id], lang).split(",")
        ]
    return lines


def filename(kind: str, reference: str) -> str:
    """The name a downloaded document is saved under."""
    return f"{kind}-{reference}.pdf"
