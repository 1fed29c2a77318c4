"""A citizen without scripts, driving the forms through HTTP from their HTML alone.

It reads each page as a browser without JavaScript would (controls inside ``hidden`` are not
seen), fills every visible control with a plausible answer chosen by a :class:`Strategy`, and
follows the redirects, until a confirmation (reference number) or an exit page. It knows
nothing of the journey but the renderer's HTML contract, so it also checks that contract.
"""

from __future__ import annotations

import datetime
import hashlib
import random
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64

VOID = {"input", "br", "img", "meta", "link", "hr", "area", "base", "col", "embed", "source",
        "track", "wbr"}


@dataclass
class Control:
    """A question control as read from the page (``data-question`` wrapper)."""

    question: str
    name: str
    type: str
    hidden: bool
    options: list[str] = field(default_factory=list)
    accept: str = ""
    count: int = 0


class PageParser(HTMLParser):
    """Collects the question controls, hidden inputs and error summary of a page."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, bool]] = []
        self.controls: list[Control] = []
        self.hidden_inputs: dict[str, str] = {}
        self.current: list[Control] = []
        self.errors: list[str] = []
        self.in_summary = False
        self.reference: str | None = None
        self.csrf: str | None = None
        self.has_form = False

    def _hidden(self) -> bool:
        return any(h for _, h in self.stack)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: (v or "") for k, v in attrs}
        if "data-reference" in a:
            self.reference = a["data-reference"]
        if tag == "form" and a.get("method") == "post":
            self.has_form = True
        if "data-question" in a:
            control = Control(a["data-question"], a.get("data-name", ""), a.get("data-type", ""),
                              self._hidden() or "hidden" in a)
            self.controls.append(control)
            self.current.append(control)
        if "data-error-summary" in a:
            self.in_summary = True
        if tag == "input":
            if a.get("type") == "hidden":
                if a.get("name") == "csrf_token":
                    self.csrf = a.get("value")
                elif a.get("name", "").endswith("-count") and self.current:
                    self.current[-1].count = int(a.get("value") or 0)
            if self.current and a.get("type") in ("radio", "checkbox"):
                owner = self.current[-1]
                if a.get("name") == owner.name:
                    owner.options.append(a.get("value", ""))
            if self.current and a.get("type") == "file":
                self.current[-1].accept = a.get("accept", "")
        if tag == "option" and self.current and a.get("value"):
            self.current[-1].options.append(a["value"])
        if tag not in VOID:
            self.stack.append((tag, "hidden" in a))
            if "data-question" in a:
                self.stack[-1] = (tag + "#q", "hidden" in a)

    def handle_endtag(self, tag: str) -> None:
        if tag in VOID:
            return
        while self.stack:
            name, _ = self.stack.pop()
            if name == tag + "#q":
                self.current.pop()
                break
            if name == tag:
                break
        if tag == "div" and self.in_summary and not any(
            n == "div" for n, _ in self.stack
        ):
            self.in_summary = False

    def handle_data(self, data: str) -> None:
        if self.in_summary and data.strip() and self.stack and self.stack[-1][0] == "a":
            self.errors.append(data.strip())


def parse(html: str) -> PageParser:
    """Parse a page."""
    parser = PageParser()
    parser.feed(html)
    return parser


@dataclass
class Strategy:
    """How a citizen answers: seed 0 says yes and takes first options everywhere, seed 1 no
    and last options; other seeds choose at random (deterministically per question)."""

    seed: int = 0
    items: int = 1
    overrides: dict[str, Any] = field(default_factory=dict)
    log: list[tuple[str, Any, list[Any]]] = field(default_factory=list)

    def pick(self, question: str, options: list[Any]) -> Any:
        """The option this citizen chooses for a question (an override first)."""
        if question in self.overrides and self.overrides[question] in options:
            value = self.overrides[question]
        elif self.seed in (0, 1):
            value = options[0] if self.seed == 0 else options[-1]
        else:
            digest = hashlib.sha256(f"{self.seed}-{question}".encode()).digest()
            value = random.Random(digest).choice(options)
        self.log.append((question, value, list(options)))
        return value

    @property
    def name(self) -> str:
        """A short name for test ids."""
        return f"seed{self.seed}"


def nir_example() -> str:
    """A valid French social security number (13 digits and its key)."""
    body = "1841276451089"
    return body + f"{97 - int(body) % 97:02d}"


TEXT_VALUES = {
    "email": "camille.martin@example.org",
    "phone": "06 12 34 56 78",
    "postcode": "37000",
    "siret": "73282932000074",
    "nir": nir_example(),
    "iban": "FR7630006000011234567890189",
    "textarea": ("Planter des arbres fruitiers dans le square du quartier, avec des bancs "
                 "et un panneau qui explique les espèces aux enfants."),
}
#: Answers tried in turn for a text question until one fits its pattern.
TEXT_CANDIDATES = ["Camille", "AB-123-CD", "L-04512", "12345", "A1"]
NUMBERS = ["1", "2", "30", "400", "12000"]


def fill(controls: list[Control], strategy: Strategy, today: datetime.date,
         attempts: dict[str, int]) -> tuple[
    dict[str, Any], dict[str, Any], str | None
]:
    """Form data, files and a repeat action ("add:…") for the visible controls."""
    data: dict[str, Any] = {}
    files: dict[str, Any] = {}
    action = None
    repeats = [c.name for c in controls if c.type == "repeat" and not c.hidden]
    for c in controls:
        if c.hidden:
            continue
        item = next((int(m[1]) for r in repeats if (m := re.match(rf"{re.escape(r)}-(\d+)-",
                                                                 c.name))), None)
        if item is not None and item >= strategy.items:
            continue  # an item shown but not wanted is left blank (a blank item is none)
        if c.type == "repeat":
            data[f"{c.name}-count"] = str(c.count)
            if c.count < strategy.items:
                action = f"add:{c.name}"
            continue
        tried = attempts.get(c.name, 0)
        if c.type == "yesno":
            data[c.name] = strategy.pick(c.question, ["yes", "no"])
        elif c.type == "choice" and c.options:
            data[c.name] = strategy.pick(c.question, c.options)
        elif c.type == "multichoice" and c.options:
            data[c.name] = [strategy.pick(c.question, c.options)]
        elif c.type in ("integer", "decimal"):
            choice = NUMBERS.index(strategy.pick(c.question, NUMBERS))
            data[c.name] = NUMBERS[(choice + tried) % len(NUMBERS)]
        elif c.type == "text":
            data[c.name] = TEXT_CANDIDATES[tried] if tried < len(TEXT_CANDIDATES) else ""
        elif c.type == "date":
            # A recent date, an adult's, a teenager's and an older person's birth date.
            dates = [today - datetime.timedelta(days=10), datetime.date(1985, 5, 12),
                     datetime.date(today.year - 14, 6, 1), datetime.date(1950, 3, 1)]
            first = dates.index(strategy.pick(c.question, dates))  # type: ignore[arg-type]
            d = dates[(first + tried) % len(dates)]
            data.update({f"{c.name}-day": str(d.day), f"{c.name}-month": str(d.month),
                         f"{c.name}-year": str(d.year)})
        elif c.type == "address":
            data.update({f"{c.name}-street": "1 rue Nationale", f"{c.name}-postcode": "37000",
                         f"{c.name}-commune": "Tours"})
        elif c.type == "file":
            if "pdf" in c.accept:
                files[c.name] = ("piece.pdf", PDF, "application/pdf")
            else:
                files[c.name] = ("photo.png", PNG, "image/png")
        elif c.type in TEXT_VALUES:
            data[c.name] = TEXT_VALUES[c.type]
    return data, files, action


@dataclass
class Walk:
    """What a walk went through."""

    urls: list[str] = field(default_factory=list)
    reference: str | None = None
    end: str | None = None
    statuses: list[int] = field(default_factory=list)
    #: The choices made on each page posted: (question, value, options).
    choices: list[list[tuple[str, Any, list[Any]]]] = field(default_factory=list)


def explore(run: Any, max_walks: int = 40) -> list[Walk]:
    """Walks until one sends a dossier and another ends elsewhere (or takes another path).

    ``run(strategy) -> Walk`` walks once. After a walk that ends on an exit, the next one
    changes the last choice of the last page that still has an untried option (a
    depth-first search over the citizen's choices, far faster than random answers); after
    a walk that sends, the first choice of the first page instead, to see another path.
    """
    overrides: dict[str, Any] = {}
    tried: dict[str, list[Any]] = {}
    walks: list[Walk] = []
    for attempt in range(max_walks):
        strategy = Strategy(seed=0 if attempt < max_walks // 2 else attempt,
                            overrides=dict(overrides))
        result = run(strategy)
        walks.append(result)
        ends = {(w.end, tuple(u.split("?")[0] for u in w.urls)) for w in walks}
        if any(w.reference for w in walks) and len(ends) >= 2:
            return walks
        pages = result.choices if result.reference else list(reversed(result.choices))
        candidates = [c for page in pages for c in (page if result.reference else reversed(page))]
        for question, value, options in candidates:
            seen = tried.setdefault(question, [value])
            untried = [o for o in options if o not in seen]
            if untried:
                overrides[question] = untried[0]
                seen.append(untried[0])
                break
    return walks


def walk(client: Any, journey: str, strategy: Strategy, today: datetime.date,
         max_pages: int = 40) -> Walk:
    """Walk a journey from its start page to its end, as a citizen without scripts."""
    result = Walk()
    page = client.get(f"/{journey}/")
    assert page.status_code == 200, page.text
    csrf = parse(page.text).csrf
    response = client.post(f"/{journey}/start", data={"csrf_token": csrf},
                           follow_redirects=False)
    assert response.status_code == 303
    url = response.headers["location"]
    attempts: dict[str, int] = {}
    for _ in range(max_pages):
        result.urls.append(url)
        page = client.get(url)
        assert page.status_code == 200, (url, page.status_code)
        parsed = parse(page.text)
        if "/end/" in url:
            result.end = url.rsplit("/", 1)[-1]
            return result
        if url.endswith("/check"):
            sent = client.post(f"/{journey}/check", data={"csrf_token": parsed.csrf},
                               follow_redirects=False)
            assert sent.status_code == 303
            confirmation = client.get(sent.headers["location"])
            result.reference = parse(confirmation.text).reference
            result.end = "submitted"
            return result
        before = len(strategy.log)
        data, files, action = fill(parsed.controls, strategy, today, attempts)
        page_choices = strategy.log[before:]
        data["csrf_token"] = parsed.csrf
        data["_part"] = url.split("part=")[1].split("&")[0] if "part=" in url else "0"
        if action:
            data["_action"] = action
        response = client.post(url.split("?")[0], data=data, files=files or None,
                               follow_redirects=False)
        result.statuses.append(response.status_code)
        if response.status_code == 422:
            # A sample that does not fit (a pattern, a bound): try the next candidate.
            problem = parse(response.text)
            errors = re.findall(r'<p class="pc-error-message" id="([^"]+)-error"', response.text)
            if not errors or any(attempts.get(e, 0) > len(TEXT_CANDIDATES) for e in errors):
                raise AssertionError(f"{url}: {problem.errors}")
            for e in errors:
                attempts[e] = attempts.get(e, 0) + 1
            continue
        assert response.status_code == 303, (url, response.status_code, response.text[:2000])
        if not action:
            result.choices.append(page_choices)
        url = response.headers["location"]
    raise AssertionError(f"no end after {max_pages} pages: {result.urls}")
