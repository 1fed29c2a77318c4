"""Form-builder components → journey questions: what each component type becomes.

Input components become questions of the nearest type (a type the format checks in a
French way — phone, address — becomes text, with a note); content components (Para,
Html, Markdown, Details…) become ``info`` blocks.
"""

from __future__ import annotations

import re
from typing import Any

from ..common import Collector, option_value
from ..html_text import html_to_text

CONTENT = {"Para", "Html", "Markdown", "Details", "InsetText", "NotificationBanner", "List",
            "FlashCard", "WarningText"}
SIMPLE = {
    "TextField": "text",
    "MultilineTextField": "textarea",
    "EmailAddressField": "email",
    "DatePartsField": "date",
    "DateField": "date",
    "YesNoField": "yesno",
    "FileUploadField": "file",
}
CHOICE = {"RadiosField": "choice", "SelectField": "choice", "AutocompleteField": "choice",
           "CheckboxesField": "multichoice"}
# Types kept as text because the format's own type checks French data, or has no such kind.
AS_TEXT = {
    "TelephoneNumberField": "the format's phone type checks French numbers: imported as text",
    "UkAddressField": "the format's address type is French (postcode, commune): imported as a "
                      "multi-line text",
    "TimeField": "no time type in the format: imported as text",
    "DateTimeField": "no date-and-time type in the format: imported as text",
    "DateTimePartsField": "no date-and-time type in the format: imported as text",
    "EastingNorthingField": "no grid reference type: imported as text",
    "OsGridRefField": "no grid reference type: imported as text",
    "NationalGridFieldNumberField": "no grid reference type: imported as text",
    "LatLongField": "no location type: imported as text",
    "MonthYearField": "no month-and-year type: imported as text",
}


def options(component: dict[str, Any], ref: str, lists: dict[str, dict[str, Any]],
            out: Collector) -> dict[str, str] | None:
    """The options of a choice component, from its list or its own values."""
    name = component.get("list")
    items: list[Any] = []
    if name and str(name) in lists:
        items = lists[str(name)].get("items") or []
    elif isinstance(component.get("values"), dict):
        items = component["values"].get("items") or []
    found: dict[str, str] = {}
    for item in items:
        if not isinstance(item, dict) or "value" not in item:
            continue
        found.setdefault(option_value(item["value"]), str(item.get("text") or item["value"]))
        if item.get("condition"):
            out.note(ref, f"option {item.get('text')!r} shown when {item['condition']}",
                     "options shown conditionally have no equivalent: always offered")
    return found or None


def question(component: dict[str, Any], ref: str, lists: dict[str, dict[str, Any]],
             out: Collector) -> dict[str, Any] | None:
    """The journey question (or info block) of a component, or None when it has none."""
    kind = str(component.get("type"))
    title = component.get("title") or component.get("name") or kind
    raw_options, raw_schema = component.get("options"), component.get("schema")
    opts: dict[str, Any] = raw_options if isinstance(raw_options, dict) else {}
    schema: dict[str, Any] = raw_schema if isinstance(raw_schema, dict) else {}
    question: dict[str, Any]
    if kind in CONTENT:
        content = component.get("content")
        if kind == "List":
            items = (lists.get(str(component.get("list"))) or {}).get("items") or []
            content = "\n".join(f"- {i.get('text')}" for i in items if isinstance(i, dict))
        text = html_to_text(str(content or "")) if content else ""
        if not text:
            text = str(component.get("title") or "—")
        question = {"type": "info", "content": text}
        if kind == "Details" and component.get("title"):
            question["label"] = str(component["title"])
        return question
    if kind in SIMPLE:
        question = {"type": SIMPLE[kind], "label": str(title)}
    elif kind in CHOICE:
        offered = options(component, ref, lists, out)
        if not offered:
            out.note(ref, f"{kind} {component.get('name')}", "its list of options is "
                     "missing: imported as a text question")
            question = {"type": "text", "label": str(title)}
        else:
            question = {"type": CHOICE[kind], "label": str(title), "options": offered}
    elif kind == "NumberField":
        precision = schema.get("precision")
        question = {"type": "integer" if precision in (None, 0) else "decimal",
                    "label": str(title)}
        for bound in ("min", "max"):
            if isinstance(schema.get(bound), int | float) and not isinstance(
                    schema.get(bound), bool):
                question[bound] = schema[bound]
    elif kind in AS_TEXT:
        out.note(ref, f"{kind} {component.get('name')}", AS_TEXT[kind])
        question = {"type": "textarea" if kind == "UkAddressField" else "text",
                    "label": str(title)}
    elif kind == "DeclarationField":
        question = {"type": "yesno", "label": str(title),
                    "checks": [{"rule": "__self__", "message": "You must confirm to continue"}]}
        out.note(ref, f"{kind} {component.get('name')}", "a declaration becomes a yes/no "
                 "question that must be answered yes")
    else:
        out.note(ref, f"{kind} {component.get('name')}", "no equivalent question type: "
                 "not imported")
        return None
    hint = component.get("hint")
    if hint:
        question["help"] = html_to_text(str(hint))
    if opts.get("required") is False:
        question["required"] = False
    if question["type"] in ("text", "textarea"):
        for source_key, key in (("max", "max_length"), ("min", "min_length")):
            value = schema.get(source_key)
            if isinstance(value, int) and not isinstance(value, bool) and value >= (
                    1 if key == "max_length" else 0):
                question[key] = value
        if schema.get("regex"):
            question["pattern"] = str(schema["regex"])
    return question


def readable_name(component: dict[str, Any]) -> str:
    """The id source of a component: its name, unless the builder generated it (``YgJRFo``).

    Form-builder editors name components with six random letters; an id made of
    those tells a designer nothing, so the short description or title is used
    instead (the source name stays in the comment above the question).
    """
    name = str(component.get("name") or "")
    generated = (
        len(name) == 6 and name.isalpha() and any(c.isupper() for c in name[1:])
        and not re.fullmatch(r"[a-z]+[A-Z][a-z]+", name)
    )
    if not generated:
        return name
    text = str(component.get("shortDescription") or component.get("title") or name)
    words = re.findall(r"[A-Za-z0-9]+", text.lower())
    kept: list[str] = []
    for word in words:
        if len("_".join([*kept, word])) > 40:
            break
        kept.append(word)
    return "_".join(kept) or name
