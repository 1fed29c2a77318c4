"""The auditor's side, served: each served journey's complexity report, read-only.

``parcours report`` writes a report to a file; ``parcours serve`` shows the same reports at
stable URLs, so that a quality officer can look without the command line:

=================================  ===============================================
``/-/reports``                     the portfolio of every served journey (HTML)
``/-/reports.json``                the same portfolio as JSON
``/-/reports/J``                   journey J's report (HTML)
``/-/reports/J.json``              journey J's report as JSON (schemas/report.schema.json)
=================================  ===============================================

A journey id is a slug (``[a-z0-9]+(-[a-z0-9]+)*``): it never starts with ``-``, so no
journey can shadow these URLs, whatever it is called (``reports`` included), and no valid
journey has to be refused for its name.

A report is of the version being served (the entry's content hash). Building one takes up
to a second on a large journey: :class:`ReportShelf` keeps each report per (journey id,
hash, language), and each rendered page, so that a page view costs a lookup and a journey
reloaded with new content gets a new report. Its methods block: call them in a thread.

When the server has recorded use (``renderer/usage.py``), the pages show it beside the
predictions: those are rendered at each request from the kept report, as the counts move.
"""

from __future__ import annotations

import base64
import hashlib
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass
from html.parser import HTMLParser
from typing import Generic, Literal, TypeVar

from designer.compiled import CompiledJourney
from designer.loading import Loaded
from designer.report.build import journey_report
from designer.report.formats import render
from designer.report.model import JourneyReport, PortfolioReport
from designer.report.observed import with_usage
from designer.report.portfolio import portfolio_of
from designer.report.response import DossierTimes
from designer.report.usage import Count
from designer.report.versions import Framed, Version, version_report
from renderer.catalog import Entry

Format = Literal["html", "json"]
T = TypeVar("T")


def report_lang(journey: CompiledJourney, lang: str) -> str:
    """The language a report quotes the journey's texts in: the one asked for when the
    journey has it, else the journey's first language (as `parcours report` does)."""
    return lang if lang in journey.languages else journey.languages[0]


class Shelf(Generic[T]):
    """A bounded, least-recently-used map whose values are built once per key, even when
    several threads ask for the same missing key at the same time."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._items: OrderedDict[Hashable, T] = OrderedDict()
        self._lock = threading.Lock()
        self._building: dict[Hashable, threading.Lock] = {}

    def get(self, key: Hashable, build: Callable[[], T]) -> T:
        """The value of ``key``, built by ``build()`` when it is not kept."""
        with self._lock:
            if key in self._items:
                self._items.move_to_end(key)
                return self._items[key]
            gate = self._building.setdefault(key, threading.Lock())
        with gate:  # a second request for the same report waits for the first one
            with self._lock:
                if key in self._items:
                    self._items.move_to_end(key)
                    return self._items[key]
            value = build()
            with self._lock:
                self._items[key] = value
                while len(self._items) > self.size:
                    self._items.popitem(last=False)
                self._building.pop(key, None)
        return value

    def __len__(self) -> int:
        return len(self._items)


@dataclass(frozen=True)
class Page:
    """A rendered report: the body and, for HTML, the Content-Security-Policy it needs."""

    body: str
    csp: str | None


class ReportShelf:
    """The served journeys' reports and rendered pages, kept per version and language."""

    def __init__(self, size: int = 64) -> None:
        self._reports: Shelf[JourneyReport] = Shelf(size)
        self._portfolios: Shelf[PortfolioReport] = Shelf(8)
        self._pages: Shelf[Page] = Shelf(size)
        self._versions: Shelf[Framed | None] = Shelf(size)

    def report(self, entry: Entry, lang: str) -> JourneyReport:
        """The report of the version of ``entry`` being served (built once)."""
        lang = report_lang(entry.journey, lang)
        # The catalog already checked this version: its findings are reused, not recomputed.
        loaded = Loaded(entry.file, entry.journey, list(entry.findings))
        return self._reports.get(
            (entry.id, entry.hash, lang), lambda: journey_report(loaded, lang)
        )

    def version_report(self, journey_id: str, version: Version, lang: str) -> Framed | None:
        """An earlier version of a journey (its kept text) with its report, built once: its
        predictions, beside its own observed use."""
        return self._versions.get((journey_id, version.hash, lang),
                                  lambda: version_report(version, lang))

    def _with_usage(self, entry: Entry, lang: str, counts: list[Count], threshold: int,
                    channels: dict[str, int] | None, versions: Sequence[Version],
                    responses: Sequence[DossierTimes] | None) -> JourneyReport:
        lang = report_lang(entry.journey, lang)
        return with_usage(entry.journey, self.report(entry, lang), counts, threshold, channels,
                          versions, lambda v: self.version_report(entry.id, v, lang),
                          responses)

    def portfolio(self, folder: str, entries: Sequence[Entry], lang: str) -> PortfolioReport:
        """The portfolio of the served journeys, from their kept reports."""
        key = (folder, tuple((e.id, e.hash) for e in entries), lang)
        return self._portfolios.get(key, lambda: portfolio_of(
            folder, [self.report(e, lang) for e in entries], [e.journey for e in entries]
        ))

    def journey_page(self, entry: Entry, lang: str, fmt: Format) -> Page:
        """Journey ``entry``'s report, rendered as HTML or JSON."""
        lang = report_lang(entry.journey, lang)
        key = ("journey", entry.id, entry.hash, lang, fmt)
        return self._pages.get(key, lambda: _page(self.report(entry, lang), fmt))

    def observed_page(self, entry: Entry, lang: str, fmt: Format, counts: list[Count],
                      threshold: int, channels: dict[str, int] | None = None,
                      versions: Sequence[Version] = (),
                      responses: Sequence[DossierTimes] | None = None) -> Page:
        """Journey ``entry``'s report with its observed use (all versions, and each of
        ``versions`` apart), its dossiers' channels and response times: rendered at each
        call (the counts move), from the kept reports."""
        return _page(self._with_usage(entry, lang, counts, threshold, channels, versions,
                                      responses), fmt)

    def observed_portfolio_page(
        self, folder: str, entries: Sequence[Entry], lang: str, fmt: Format, link: str,
        counts_of: Callable[[str], list[Count]], threshold: int,
        channels_of: Callable[[str], dict[str, int]] | None = None,
        versions_of: Callable[[str], list[Version]] | None = None,
        responses_of: Callable[[str], list[DossierTimes]] | None = None,
    ) -> Page:
        """The portfolio with each journey's observed use, its dossiers' channels and the
        Observatoire's indicators."""
        reports = [self._with_usage(e, lang, counts_of(e.id), threshold,
                                    channels_of(e.id) if channels_of else None,
                                    versions_of(e.id) if versions_of else (),
                                    responses_of(e.id) if responses_of else None)
                   for e in entries]
        portfolio = portfolio_of(folder, reports, [e.journey for e in entries])
        return _page(portfolio, fmt, journey_link=link)

    def portfolio_page(
        self, folder: str, entries: Sequence[Entry], lang: str, fmt: Format, link: str
    ) -> Page:
        """The portfolio of the served journeys, rendered as HTML or JSON; ``link`` is the
        URL of a journey's report, ``{id}`` standing for the journey id."""
        key = ("portfolio", folder, tuple((e.id, e.hash) for e in entries), lang, fmt, link)
        return self._pages.get(
            key, lambda: _page(self.portfolio(folder, entries, lang), fmt, journey_link=link)
        )


def _page(
    report: JourneyReport | PortfolioReport, fmt: Format, journey_link: str | None = None
) -> Page:
    body = render(report, fmt, journey_link=journey_link)
    return Page(body, report_csp(body) if fmt == "html" else None)


# -- Content-Security-Policy of a report page ----------------------------------------------


class _InlineStyles(HTMLParser):
    """The text of every <style> element and the value of every style attribute."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[str] = []
        self.attributes: list[str] = []
        self._in_style = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name == "style" and value is not None:
                self.attributes.append(value)
        if tag == "style":
            self._in_style = True
            self.elements.append("")

    def handle_endtag(self, tag: str) -> None:
        if tag == "style":
            self._in_style = False

    def handle_data(self, data: str) -> None:
        if self._in_style:
            self.elements[-1] += data


def _sha256(text: str) -> str:
    digest = hashlib.sha256(text.encode("utf-8")).digest()
    return f"'sha256-{base64.b64encode(digest).decode('ascii')}'"


def report_csp(html: str) -> str:
    """The Content-Security-Policy of one served HTML report.

    The report is one self-contained page (it is also a file sent by e-mail): its styles are
    an inline ``<style>`` element and a few ``style`` attributes, which the citizen pages'
    policy (``style-src 'self'``) would block. Rather than ``'unsafe-inline'``, the policy
    allows exactly the inline styles of this very page, by their SHA-256 (the attributes
    need ``'unsafe-hashes'`` for that): a style that an escaping bug let in would not apply.
    Nothing else is needed, so nothing else is allowed: no script at all (``script-src
    'none'``), no form, no frame, no plug-in, no connection.
    """
    found = _InlineStyles()
    found.feed(html)
    found.close()
    elements = sorted({_sha256(s) for s in found.elements})
    attributes = sorted({_sha256(s) for s in found.attributes})
    styles = " ".join(
        elements + (["'unsafe-hashes'", *attributes] if attributes else [])
    ) or "'none'"
    return (
        f"default-src 'none'; script-src 'none'; style-src {styles}; img-src 'self'; "
        "form-action 'none'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'"
    )
