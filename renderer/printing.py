"""Every PDF the server makes, bounded: a few at a time, and each document made once.

WeasyPrint takes 0.1–0.5 s of CPU per document (receipts, letters, paper forms): without a
bound, a burst of downloads would each start one and starve every other page of the process.
The :class:`Printer` lets ``renders`` documents be made at once; a request that waits longer
than the busy timeout for its turn gets the 503 page (:class:`PrinterBusy`), as one waiting
too long for the database does. Documents are kept by the hash of their HTML, so that the
same acknowledgement downloaded twice is made once (a document's HTML says everything it
shows: another text, another document).
"""

from __future__ import annotations

import hashlib
import threading

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

        if not self._slots.acquire(timeout=self.wait_ms / 1000):
            raise PrinterBusy(f"{self.renders} documents already being made")
        try:
            with self._count:
                self.made += 1
            return html_to_pdf(html)
        finally:
            self._slots.release()
