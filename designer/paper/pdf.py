"""The paper form printed: HTML from one template, made a PDF by WeasyPrint (A4).

WeasyPrint needs Pango from the system (Debian's ``libpango-1.0-0``), installed by
``.ci/run``; it is imported only when a PDF is asked for.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, select_autoescape

from designer.answers import yes_no_text
from designer.paper.layout import PaperForm

HERE = Path(__file__).parent

#: How many blank blocks a repeat gets on paper.
BLOCKS = 3

_TEXTS = {
    "fr": {
        "page": "Page", "part": "Partie",
        "yes": yes_no_text(True, "fr"), "no": yes_no_text(False, "fr"),
        "one": "Cochez une seule case.", "several": "Cochez toutes les cases qui conviennent.",
        "date_hint": "(jour / mois / année)", "postcode": "Code postal", "commune": "Commune",
        "attached": "Je joins ce document.",
        "repeat_note": "Remplissez un cadre par personne ou par élément ; joignez une feuille "
                       "si besoin.",
        "item": "Élément", "howto_title": "Comment remplir ce formulaire",
        "howto_order": "Répondez aux questions dans l'ordre, en suivant les flèches ➜ à la fin "
                       "de chaque partie : elles vous disent où aller ensuite.",
        "howto_jumps": "Vous n'avez pas à répondre aux questions que les flèches vous font "
                       "passer, ni à celles marquées « Répondez seulement si … » quand ce "
                       "n'est pas votre cas.",
        "howto_capitals": "Écrivez en lettres capitales, une lettre ou un chiffre par case.",
        "end_title": "Pour finir", "documents": "Documents à joindre :",
        "question": "question", "only_when": "seulement si",
        "declaration": "Je déclare sur l'honneur que les renseignements de ce formulaire sont "
                       "exacts.",
        "date": "Date :", "signature": "Signature :", "send": "Où envoyer ou déposer ce "
                                                              "formulaire :",
    },
    "en": {
        "page": "Page", "part": "Part",
        "yes": yes_no_text(True, "en"), "no": yes_no_text(False, "en"),
        "one": "Tick one box only.", "several": "Tick every box that applies.",
        "date_hint": "(day / month / year)", "postcode": "Postcode", "commune": "Town",
        "attached": "I attach this document.",
        "repeat_note": "Fill in one frame per person or item; attach a sheet if needed.",
        "item": "Item", "howto_title": "How to fill in this form",
        "howto_order": "Answer the questions in order, following the arrows ➜ at the end of "
                       "each part: they tell you where to go next.",
        "howto_jumps": "You do not answer the questions the arrows make you skip, nor those "
                       "marked “Answer only if …” when that is not your case.",
        "howto_capitals": "Write in capital letters, one letter or digit per box.",
        "end_title": "To finish", "documents": "Documents to attach:",
        "question": "question", "only_when": "only if",
        "declaration": "I declare on my honour that the information in this form is correct.",
        "date": "Date:", "signature": "Signature:", "send": "Where to send or bring this form:",
    },
}


def to_html(form: PaperForm) -> str:
    """The paper form as one printable HTML page."""
    journey = form.journey
    lang = form.lang
    env = Environment(loader=FileSystemLoader(HERE / "templates"),
                      autoescape=select_autoescape(["html"]))

    def text(value: Any) -> str:
        return journey.text(value, lang)

    contact = []
    c = journey.model.contact
    if c is not None:
        if c.desk:
            contact.append(text(c.desk))
        for value in (c.phone, c.email, c.url):
            if value:
                contact.append(value)
    return env.get_template("paper.html").render(
        form=form, lang=lang, t=_TEXTS.get(lang, _TEXTS["fr"]), text=text,
        title=text(journey.model.title), organisation=journey.model.organisation,
        contact=contact, blocks=BLOCKS,
    )


def _no_fetch(url: str, *args: Any, **kwargs: Any) -> dict[str, Any]:
    """WeasyPrint's resource fetcher: nothing is fetched (no file, no network), so that
    no text of a document can make the server read a file or call an address."""
    raise ValueError(f"not fetched: {url[:80]}")


def html_to_pdf(html: str) -> bytes:
    """An HTML page (with its styles inline) as a PDF: the one way Parcours prints, used by
    the paper form and the renderer's documents (receipts, letters)."""
    from weasyprint import HTML

    return bytes(HTML(string=html, url_fetcher=_no_fetch).write_pdf())


def htmls_to_pdf(pages: Sequence[str]) -> bytes:
    """Several HTML documents as one PDF, each starting on a new page and keeping its own
    page numbers (each is laid out alone, then their pages are put together): a batch of
    letters printed at once. Fetches nothing, as :func:`html_to_pdf`."""
    from weasyprint import HTML

    if not pages:
        raise ValueError("no document to print")
    documents = [HTML(string=page, url_fetcher=_no_fetch).render() for page in pages]
    return bytes(documents[0].copy([p for d in documents for p in d.pages]).write_pdf())


def to_pdf(form: PaperForm) -> bytes:
    """The paper form as an A4 PDF."""
    return html_to_pdf(to_html(form))
