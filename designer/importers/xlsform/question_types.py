"""What journey question an XLSForm survey row becomes: its type and type-specific keys.

``select_one list`` becomes a ``choice`` with the list's options, ``integer`` an
``integer``, ``note`` an ``info`` text…; a type with no equivalent becomes the nearest one,
with a note, or nothing (None: metadata, locations, hidden fields, which the converter
notes).
"""

from __future__ import annotations

import re
from typing import Any

from ..common import Collector
from .sheets import Form, Row
from .texts import Languages

#: File types by media question, as ``accept`` lists.
MEDIA = {"image": ["jpg", "png"], "audio": ["mp3", "wav", "m4a"], "video": ["mp4", "mov"],
          "file": ["pdf", "jpg", "png"]}


def question_type(row: Row, form: Form, languages: Languages,
                  out: Collector) -> tuple[str | None, dict[str, Any]]:
    """The journey type of a row and extra keys (options...), or None when not a question."""
    raw = re.sub(r"\s+", " ", row.get("type").strip())
    kind = raw.lower()
    appearance = row.get("appearance").lower()
    match = re.match(
        r"^(select_one|select_multiple|select one|select all that apply|select_one_from_file|"
        r"select_multiple_from_file|select_one_external|rank)(?: from)? (\S+)(.*)$",
        raw,
        re.IGNORECASE,
    )
    if match:
        select = match.group(1).lower().replace(" ", "_")
        list_name, rest = match.group(2), match.group(3).strip().lower()
        if select == "select_one_external" and list_name in form.external:
            # Its choices are the form's external_choices sheet (ODK's itemsets.csv).
            select, rows_of_list = "select_one", form.external[list_name]
        else:
            rows_of_list = form.choices.get(list_name) or []
        if select in ("select_one_from_file", "select_multiple_from_file",
                      "select_one_external"):
            out.note(
                row.ref,
                f"{select} {list_name} ({row.get('name')})",
                "its choices live in a file or sheet outside the form: imported as a text "
                "question",
            )
            return "text", {}
        if select == "rank":
            out.note(row.ref, f"rank {list_name}", "ranking has no equivalent: imported "
                          "as a multiple choice")
        choices = rows_of_list
        if not choices:
            out.note(row.ref, f"{raw}", f"the choice list {list_name!r} is missing: "
                          "imported as a text question")
            return "text", {}
        options: dict[str, Any] = {}
        for choice in choices:
            value = choice.get("name")
            if not value:
                continue
            label = languages.text(choice, "label") or value
            if value in options:
                out.note(f"choices row {choice.number}", f"duplicate choice {value!r}",
                              "kept once")
                continue
            options[value] = label
        single = select in ("select_one", "select_one_")
        keys: dict[str, Any] = {"options": options, "_rows": [
            c for c in choices if c.get("name")]}
        if "or_other" in rest or "or specify other" in rest:
            options.setdefault("other", "Other")
            keys["_or_other"] = True
        return ("choice" if single else "multichoice"), keys
    if kind in ("integer", "int"):
        return "integer", {}
    if kind in ("decimal",):
        return "decimal", {}
    if kind == "range":
        params = row.get("parameters")
        extra: dict[str, Any] = {}
        for key in ("start", "end"):
            found = re.search(rf"{key}\s*=\s*(-?[0-9.]+)", params)
            if found:
                extra["min" if key == "start" else "max"] = float(found.group(1))
        return "decimal", extra
    if kind == "text":
        return ("textarea" if "multiline" in appearance else "text"), {}
    if kind == "date":
        return "date", {}
    if kind in ("note",):
        return "info", {}
    if kind in ("acknowledge", "trigger"):
        out.note(row.ref, f"{kind} {row.get('name')}", "imported as a yes/no question")
        return "yesno", {}
    if kind in MEDIA:
        return "file", {"accept": MEDIA[kind]}
    if kind in ("time", "datetime", "barcode"):
        out.note(row.ref, f"{kind} {row.get('name')}", f"no {kind} type in the format: "
                      "imported as a text question")
        return "text", {}
    return None, {}
