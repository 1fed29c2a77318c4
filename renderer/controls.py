"""The controls of a question page: what a template needs to draw each question (label,
hint, value as typed, error, autocomplete, the condition that shows it), built from the
engine's questions by :class:`Builder`.

The HTML field names and the text of each field are the answer codec's
(:mod:`designer.answers`); which controls a page shows is
:func:`renderer.pages.build_controls`' (from the engine's run).
"""

from __future__ import annotations

import datetime
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from markupsafe import Markup

from designer.answers import ADDRESS_PARTS, DATE_PARTS, field_text, yes_no_text
from designer.compiled import CompiledJourney, QuestionInfo
from designer.expressions import Expr, to_json
from renderer import markdown
from renderer.i18n import t

#: More options than this: a select instead of radios (GOV.UK advice for long lists).
SELECT_THRESHOLD = 10
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
ADDRESS_AUTOCOMPLETE = {"street": "address-line1", "postcode": "postal-code",
                        "commune": "address-level2"}


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

    return expand(to_json(tree), frozenset())


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


def kinds_text(accept: list[str]) -> str:
    return ", ".join(a.upper() for a in accept)


def size_text(size: str, lang: str) -> str:
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
            options = [("yes", yes_no_text(True, self.lang)),
                       ("no", yes_no_text(False, self.lang))]
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
            value=field_text(q.type, value, self.lang),
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
            control.file_hint = t("file_hint", self.lang, kinds=kinds_text(accept),
                                  size=size_text(size, self.lang))
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
