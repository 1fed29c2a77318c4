"""From a step of a journey to the controls of a web page, and from a posted form back to the
raw values that the engine's :meth:`designer.run.Run.answer_page` validates.

Field names follow the renderer's HTML contract (docs/renderer.md): question ``q`` is ``q``;
a date is ``q-day``/``q-month``/``q-year``; an address is ``q-street``/``q-postcode``/
``q-commune``; a repeat item's question is ``<repeat>-<index>-<q>`` with ``<repeat>-count``
holding the number of items; a multichoice sends ``q`` once per checked value.

Nothing here decides relevance or validity: the engine does. This module only lays out the
page (which questions go on which follow-up page without scripts, from
``QuestionInfo.depends_on_page``) and converts between HTML fields and values.
"""

from __future__ import annotations

import datetime
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from markupsafe import Markup

from designer.compiled import CompiledJourney, QuestionInfo
from designer.expressions import Expr, to_json
from renderer import markdown
from renderer.i18n import t

#: More options than this: a select instead of radios (GOV.UK advice for long lists).
SELECT_THRESHOLD = 10
#: Items of a repeat accepted from a form when the journey sets no maximum.
MAX_ITEMS = 50

# autocomplete tokens (HTML Living Standard §4.10.18.7), by concept then by type.
AUTOCOMPLETE_BY_CONCEPT = {
    "identite.nom": "family-name",
    "identite.nom_usage": "family-name",
    "identite.nom_naissance": "family-name",
    "identite.prenoms": "given-name",
    "identite.prenom": "given-name",
    "identite.date_naissance": "bday",
    "identite.sexe": "sex",
    "contact.email": "email",
    "contact.telephone": "tel",
    "adresse.domicile": "street-address",
    "adresse.code_postal": "postal-code",
    "adresse.commune": "address-level2",
    "entreprise.raison_sociale": "organization",
}
AUTOCOMPLETE_BY_TYPE = {"email": "email", "phone": "tel", "postcode": "postal-code"}
DATE_PARTS = ("day", "month", "year")
ADDRESS_PARTS = ("street", "postcode", "commune")
ADDRESS_AUTOCOMPLETE = {"street": "address-line1", "postcode": "postal-code",
                        "commune": "address-level2"}


# -- typed answers as JSON (drafts store them) -------------------------------------------------


def encode(value: Any) -> Any:
    """A typed answer as plain JSON (a date becomes ``{"$date": "YYYY-MM-DD"}``)."""
    if isinstance(value, datetime.date):
        return {"$date": value.isoformat()}
    if isinstance(value, Mapping):
        return {str(k): encode(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [encode(v) for v in value]
    return value


def decode(value: Any) -> Any:
    """The inverse of :func:`encode`."""
    if isinstance(value, dict):
        if set(value) == {"$date"}:
            return datetime.date.fromisoformat(value["$date"])
        return {k: decode(v) for k, v in value.items()}
    if isinstance(value, list):
        return [decode(v) for v in value]
    return value


def export_value(value: Any) -> Any:
    """A typed answer as the back office reads it in JSON (dates as ISO text)."""
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, Mapping):
        return {str(k): export_value(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [export_value(v) for v in value]
    return value


# -- page layout -------------------------------------------------------------------------------


def depths(journey: CompiledJourney, step_id: str) -> dict[str, int]:
    """For each question of a page (items included), the follow-up page it goes on without
    scripts: 0 for the first page, 1 + the deepest question its condition reads otherwise.
    An item question goes at least with its repeat."""
    result: dict[str, int] = {}
    questions = [q for q in journey.questions.values() if q.step == step_id]
    for q in sorted(questions, key=lambda q: q.order):
        deps = [result.get(d, 0) + 1 for d in q.depends_on_page]
        floor = result.get(q.repeat, 0) if q.repeat else 0
        result[q.id] = max([floor, *deps])
    return result


def inline_computed(tree: Expr, journey: CompiledJourney) -> dict[str, Any]:
    """The JSON tree of an expression with computed names replaced by their definitions, so
    that the browser evaluates it from answers alone."""

    def expand(node: Any, seen: frozenset[str]) -> Any:
        if isinstance(node, dict):
            if node.get("k") == "name" and node.get("id") in journey.computed:
                name = node["id"]
                definition = journey.computed[name]
                if definition is None or name in seen:
                    return {"k": "lit", "v": None}
                return expand(to_json(definition), seen | {name})
            return {k: expand(v, seen) for k, v in node.items()}
        if isinstance(node, list):
            return [expand(v, seen) for v in node]
        return node

    return expand(to_json(tree), frozenset())  # type: ignore[no-any-return]


# -- from a posted form to the engine's raw values ----------------------------------------------


def _single(form: Any, name: str) -> Any:
    values = form.getlist(name) if hasattr(form, "getlist") else [form.get(name)]
    values = [v for v in values if isinstance(v, str)]
    if not values:
        return None
    return values[0] if len(values) == 1 else values


def raw_field(form: Any, q: QuestionInfo, name: str) -> Any:
    """The raw value of one (non-repeat, non-file) question from its HTML fields."""
    if q.type == "date":
        return {part: (_single(form, f"{name}-{part}") or "") for part in DATE_PARTS}
    if q.type == "address":
        return {part: (_single(form, f"{name}-{part}") or "") for part in ADDRESS_PARTS}
    if q.type == "multichoice":
        return [v for v in form.getlist(name) if isinstance(v, str)]
    return _single(form, name)


def item_count(form: Any, q: QuestionInfo) -> int:
    """How many items of a repeat the form holds (bounded)."""
    limit = q.max if isinstance(q.max, int) else MAX_ITEMS
    text = _single(form, f"{q.id}-count")
    try:
        count = int(text) if isinstance(text, str) else 0
    except ValueError:
        count = 0
    return max(0, min(count, limit, MAX_ITEMS))


@dataclass
class Upload:
    """A file field of the form that carries a new upload."""

    field: str
    question: QuestionInfo
    filename: str
    content_type: str
    file: Any


def parse_page(
    journey: CompiledJourney,
    step_id: str,
    form: Any,
    displayed: set[str],
    base: Mapping[str, Any],
) -> tuple[dict[str, Any], list[Upload]]:
    """The engine's raw values for a page: posted fields for the ``displayed`` questions,
    ``base`` (stored or pending values) for the others. New uploads are returned apart."""
    raw: dict[str, Any] = {}
    uploads: list[Upload] = []
    for q in journey.step_questions(step_id):
        if not q.answers:
            continue
        if q.type == "repeat":
            raw[q.id] = _parse_repeat(journey, q, form, displayed, base.get(q.id), uploads)
        elif q.id not in displayed:
            if q.id in base:
                raw[q.id] = base[q.id]
        elif q.type == "file":
            raw[q.id] = base.get(q.id)
            _collect_upload(form, q, q.id, uploads)
        else:
            raw[q.id] = raw_field(form, q, q.id)
    return raw, uploads


def _collect_upload(form: Any, q: QuestionInfo, name: str, uploads: list[Upload]) -> None:
    value = form.get(name) if hasattr(form, "get") else None
    filename = getattr(value, "filename", None)
    if value is not None and not isinstance(value, str) and filename:
        uploads.append(Upload(name, q, str(filename), str(value.content_type or ""), value))


def _parse_repeat(
    journey: CompiledJourney,
    q: QuestionInfo,
    form: Any,
    displayed: set[str],
    base: Any,
    uploads: list[Upload],
) -> list[dict[str, Any]]:
    base_items = [i for i in base if isinstance(i, Mapping)] if isinstance(base, list) else []
    if q.id not in displayed:
        return [dict(i) for i in base_items]
    count = item_count(form, q)
    items: list[dict[str, Any]] = []
    inner = journey.item_questions(q.id)
    for index in range(count):
        stored = base_items[index] if index < len(base_items) else {}
        item: dict[str, Any] = {}
        for iq in inner:
            if not iq.answers:
                continue
            name = f"{q.id}-{index}-{iq.id}"
            if iq.id not in displayed:
                if iq.id in stored:
                    item[iq.id] = stored[iq.id]
            elif iq.type == "file":
                item[iq.id] = stored.get(iq.id)
                _collect_upload(form, iq, name, uploads)
            else:
                item[iq.id] = raw_field(form, iq, name)
        items.append(item)
    return items


# -- from values to the controls of a page ------------------------------------------------------


def field_text(q: QuestionInfo, value: Any, lang: str) -> Any:
    """A stored value (typed or raw) as the text of its HTML field(s)."""
    if value is None:
        return None
    if q.type == "date":
        if isinstance(value, datetime.date):
            return {"day": str(value.day), "month": str(value.month), "year": str(value.year)}
        return value if isinstance(value, Mapping) else None
    if q.type == "address":
        return value if isinstance(value, Mapping) else None
    if q.type == "yesno":
        if value is True:
            return "yes"
        if value is False:
            return "no"
        return value if isinstance(value, str) else None
    if q.type == "multichoice":
        return [str(v) for v in value] if isinstance(value, list) else []
    if q.type == "decimal" and isinstance(value, float):
        text = f"{value:.10g}" if value != int(value) else str(int(value))
        return text.replace(".", ",") if lang == "fr" else text
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list):
        return [str(v) for v in value]
    return str(value)


def display_answer(journey: CompiledJourney, q: QuestionInfo, value: Any, lang: str) -> str:
    """A typed answer as the citizen reads it on the summary and the receipt."""
    if value is None or value == "" or value == []:
        return ""
    if q.type == "yesno":
        return t("yes", lang) if value else t("no", lang)
    if q.type in ("choice", "multichoice") and q.options is not None:
        values = value if isinstance(value, list) else [value]
        return ", ".join(journey.text(q.options.get(str(v), str(v)), lang) for v in values)
    if q.type == "date" and isinstance(value, datetime.date):
        return format_date(value, lang)
    if q.type == "address" and isinstance(value, Mapping):
        return f"{value.get('street', '')}, {value.get('postcode', '')} {value.get('commune', '')}"
    if q.type == "file" and isinstance(value, Mapping):
        return str(value.get("name", ""))
    if q.type in ("integer", "decimal"):
        text = field_text(q, value, lang) or ""
        unit = getattr(q.question, "unit", None)
        return f"{text} {unit}" if unit else str(text)
    return str(value)


MONTHS = {
    "fr": ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août",
           "septembre", "octobre", "novembre", "décembre"],
    "en": ["January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December"],
}


def format_date(value: datetime.date, lang: str) -> str:
    """A date as people write it: ``27 mars 2007`` or ``27 March 2007``."""
    months = MONTHS.get(lang, MONTHS["fr"])
    return f"{value.day} {months[value.month - 1]} {value.year}"


@dataclass
class Control:
    """Everything a template needs to draw one question (or one item question)."""

    qid: str
    name: str
    type: str
    kind: str
    label: str
    hint: Markup | None = None
    error: str | None = None
    optional: bool = False
    value: Any = None
    options: list[tuple[str, str]] = field(default_factory=list)
    autocomplete: str | None = None
    input_type: str = "text"
    inputmode: str | None = None
    unit: str | None = None
    accept: str | None = None
    file_hint: str | None = None
    current_file: str | None = None
    when: str | None = None
    hidden: bool = False
    content: Markup | None = None
    items: list[Item] = field(default_factory=list)
    item_label: str = ""
    can_add: bool = False
    errors_by_part: dict[str, str] = field(default_factory=dict)
    spellcheck: bool = True
    width: str = ""
    repeat_hint: str | None = None

    @property
    def id(self) -> str:
        """The id of the first input (what an error summary link points at)."""
        if self.kind == "date":
            return f"{self.name}-day"
        if self.kind == "address":
            return f"{self.name}-{self.error_part or 'street'}"
        if self.kind in ("radios", "checkboxes"):
            return f"{self.name}-0"
        if self.kind == "repeat":
            return f"{self.name}-add" if not self.items else f"{self.name}-0"
        return self.name

    @property
    def error_part(self) -> str | None:
        """Which part of a composite field the error is about, if known."""
        return next(iter(self.errors_by_part), None)

    @property
    def describedby(self) -> str:
        """The ids of the hint and error of this control, for aria-describedby."""
        ids = []
        if self.hint or self.unit:
            ids.append(f"{self.name}-hint")
        if self.error:
            ids.append(f"{self.name}-error")
        return " ".join(ids)


@dataclass
class Item:
    """One item of a repeat on the page."""

    index: int
    legend: str
    controls: list[Control]
    removable: bool


def _kinds(accept: list[str]) -> str:
    return ", ".join(a.upper() for a in accept)


def _size_text(size: str, lang: str) -> str:
    text = size.upper().replace(" ", "")
    return text.replace("MB", " Mo").replace("KB", " ko") if lang == "fr" else text.replace(
        "MB", " MB").replace("KB", " KB")


def _accept_attribute(accept: list[str]) -> str:
    types = {"pdf": "application/pdf", "jpg": "image/jpeg", "jpeg": "image/jpeg",
             "png": "image/png", "gif": "image/gif", "webp": "image/webp"}
    parts = []
    for a in accept:
        a = a.lower().lstrip(".")
        parts.append(f".{a}")
        if a in types:
            parts.append(types[a])
    return ",".join(dict.fromkeys(parts))


class Builder:
    """Builds the controls of a page from the engine's questions, values and errors."""

    def __init__(self, journey: CompiledJourney, lang: str, today: datetime.date) -> None:
        self.journey = journey
        self.lang = lang
        self.today = today

    def text(self, value: Any) -> str:
        """A journey text in the page's language."""
        return self.journey.text(value, self.lang)

    def control(
        self,
        q: QuestionInfo,
        name: str,
        value: Any,
        errors: Mapping[str, str],
        required: bool,
        *,
        when: Expr | None = None,
        hidden: bool = False,
    ) -> Control:
        """One question's control with its value and error."""
        question = q.question
        kind = q.type
        options: list[tuple[str, str]] = []
        if q.options is not None:
            options = [(v, self.text(label)) for v, label in q.options.items()]
        if q.type == "yesno":
            kind = "radios"
            options = [("yes", t("yes", self.lang)), ("no", t("no", self.lang))]
        elif q.type == "choice":
            kind = "select" if len(options) > SELECT_THRESHOLD else "radios"
        elif q.type == "multichoice":
            kind = "checkboxes"
        elif q.type in ("textarea", "date", "address", "file", "repeat", "info"):
            kind = q.type
        else:
            kind = "input"
        control = Control(
            qid=q.id, name=name, type=q.type, kind=kind,
            label=self.text(q.label) if q.label is not None else "",
            hint=markdown.render(self.text(question.help)) if getattr(question, "help", None)
            else None,
            error=errors.get(name),
            optional=not required and q.type not in ("info", "repeat"),
            value=field_text(q, value, self.lang),
            options=options,
            hidden=hidden,
        )
        if when is not None:
            control.when = json.dumps(inline_computed(when, self.journey), ensure_ascii=False,
                                      separators=(",", ":"))
        for part in (*DATE_PARTS, *ADDRESS_PARTS):
            if f"{name}-{part}" in errors:
                control.errors_by_part[part] = errors[f"{name}-{part}"]
                control.error = control.error or errors[f"{name}-{part}"]
        self._details(control, q)
        return control

    def _details(self, control: Control, q: QuestionInfo) -> None:
        question = q.question
        concept = getattr(question, "concept", None)
        token = AUTOCOMPLETE_BY_CONCEPT.get(concept or "") or AUTOCOMPLETE_BY_TYPE.get(q.type)
        if q.type in ("integer", "decimal"):
            control.inputmode = "numeric" if q.type == "integer" else "decimal"
            control.unit = getattr(question, "unit", None)
            control.width = "pc-input--short"
            control.spellcheck = False
        elif q.type == "email":
            control.input_type = "email"
            control.spellcheck = False
        elif q.type == "phone":
            control.input_type = "tel"
            control.width = "pc-input--medium"
        elif q.type == "postcode":
            control.inputmode = "numeric"
            control.width = "pc-input--short"
        elif q.type in ("siret", "nir", "iban"):
            control.spellcheck = False
            control.width = "pc-input--medium"
            if q.type == "siret":
                control.inputmode = "numeric"
        elif q.type == "file":
            accept = list(getattr(question, "accept", []) or [])
            size = str(getattr(question, "max_size", "") or "")
            control.accept = _accept_attribute(accept)
            control.file_hint = t("file_hint", self.lang, kinds=_kinds(accept),
                                  size=_size_text(size, self.lang))
            value = control.value
            control.value = None
            stored = value if isinstance(value, Mapping) else None
            if stored is None and isinstance(value, str):
                stored = None
            control.current_file = None
        elif q.type == "info":
            control.content = markdown.render(self.text(question.content))
        if q.type == "date" and token != "bday":
            token = None
        if q.type not in ("repeat", "info", "file", "yesno", "choice", "multichoice"):
            control.autocomplete = token
        if q.type == "date" and token == "bday":
            control.autocomplete = "bday"

    def set_file(self, control: Control, value: Any) -> None:
        """Show the name of the file already attached to a file question."""
        if isinstance(value, Mapping) and value.get("name"):
            control.current_file = str(value["name"])
