"""The printable paper form of each served journey, made once per version and kept.

``parcours paper`` writes a journey's paper form to a file (designer/paper, docs/paper.md);
the start page of a served journey links to the same form at ``/{journey}/formulaire.pdf``
(renderer/citizens/paper.py). Making one takes WeasyPrint a second or more: the
:class:`PaperShelf` keeps each PDF per (journey version, language, easy-to-read or not),
the 32 most recently asked for, and builds each one once even when several citizens ask at
the same moment. A journey reloaded with new content has a new digest, hence a new form.
Its methods block: call them in a thread.
"""

from __future__ import annotations

from designer.compiled import CompiledJourney
from designer.paper.layout import NotPrintable, lay_out
from renderer.printing import Printer
from renderer.reports import Shelf

#: PDFs kept (each some tens of kilobytes): every served journey in both languages, and more.
PDFS_KEPT = 32


class PaperShelf:
    """The served journeys' paper forms as PDF, kept per version, language and reading."""

    def __init__(self, printer: Printer, size: int = PDFS_KEPT) -> None:
        self.printer = printer
        self._pdfs: Shelf[bytes | None] = Shelf(size)

    def pdf(self, journey: CompiledJourney, lang: str) -> bytes | None:
        """The paper form of ``journey`` (or of its easy-to-read view) in ``lang``; None
        when it cannot be printed (a cycle: served journeys have none). Raises OSError when
        the system lacks Pango, which WeasyPrint needs."""
        key = (journey.id, journey.digest, lang, journey.falc)
        return self._pdfs.get(key, lambda: self._make(journey, lang))

    def __len__(self) -> int:
        return len(self._pdfs)

    def _make(self, journey: CompiledJourney, lang: str) -> bytes | None:
        # Kept here by version, so made by the printer without its own copy by content.
        from designer.paper.pdf import to_html  # WeasyPrint is heavy: imported when needed

        try:
            form = lay_out(journey, lang)
        except NotPrintable:
            return None
        return self.printer.render(to_html(form))
