"""Every PDF the server makes, bounded: a few at a time, and each document made once.

WeasyPrint takes 0.1–0.5 s of CPU per document (receipts, letters, paper forms): without a
bound, a burst of downloads would each start one and starve every other page of the process.
The :class:`Printer` lets ``renders`` documents be made at once; a request that waits longer
than the busy timeout for its turn gets the 503 page (:class:`PrinterBusy`), as one waiting
too long for the database does. Documents are kept by the hash of their HTML, so that the
same acknowledgement downloaded twice is made once (a document's HTML says everything it
shows: another text, another document). A batch of documents made one PDF (the agents'
letters printed at once, :meth:`Printer.batch`) takes one slot for all of them, is bounded
by its caller (``PRINT_BATCH`` letters, renderer/backoffice/letters.py), and is not kept.
"""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager

from renderer.databases import BUSY_TIMEOUT_MS, StoreBusy
from renderer.reports import Shelf

#: Documents made at the same time by one process (each keeps a core busy).
PDF_RENDERS = 2
#: Documents kept (each some tens of kilobytes).
PDFS_KEPT = 64


class PrinterBusy(StoreBusy):
    """Every printing slot stayed taken for the busy timeout: the request is answered 503
    (the server's busy page), as when the database does not answer in time."""


class Printer:
    """Makes PDFs from HTML, ``renders`` at a time, keeping the last ``kept`` documents."""

    def __init__(self, renders: int = PDF_RENDERS, wait_ms: int = BUSY_TIMEOUT_MS,
                 kept: int = PDFS_KEPT) -> None:
        self.renders = renders
        self.wait_ms = wait_ms
        self._slots = threading.BoundedSemaphore(renders)
        self._kept: Shelf[bytes] = Shelf(kept)
        self._count = threading.Lock()
        #: Documents actually made since the start (the cache's hits are not).
        self.made = 0

    def pdf(self, html: str) -> bytes:
        """The PDF of an HTML page (styles inline), made once per content."""
        digest = hashlib.sha256(html.encode("utf-8")).hexdigest()
        return self._kept.get(digest, lambda: self.render(html))

    def render(self, html: str) -> bytes:
        """Make the PDF of an HTML page now, when a slot is free within the wait; raises
        :class:`PrinterBusy` otherwise. Blocks: call it in a thread."""
        from designer.paper.pdf import html_to_pdf  # WeasyPrint is heavy: imported when used

        with self._slot(1):
            return html_to_pdf(html)

    def batch(self, htmls: Sequence[str]) -> bytes:
        """One PDF of several HTML pages, each starting on a new page, made now in one slot
        (the caller bounds their number); not kept, since a batch is rarely asked twice.
        Raises :class:`PrinterBusy` as :meth:`render`. Blocks: call it in a thread."""
        from designer.paper.pdf import htmls_to_pdf

        with self._slot(len(htmls)):
            return htmls_to_pdf(htmls)

    @contextmanager
    def _slot(self, documents: int) -> Iterator[None]:
        """Hold one of the ``renders`` slots, counting the ``documents`` made in it."""
        if not self._slots.acquire(timeout=self.wait_ms / 1000):
            raise PrinterBusy(f"{self.renders} documents already being made")
        try:
            with self._count:
                self.made += documents
            yield
        finally:
            self._slots.release()
