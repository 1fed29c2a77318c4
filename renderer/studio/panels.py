"""The editor's form panels: what each one's fields become in the journey's text (through
:mod:`designer.editing`, which keeps the rest of the file as written)."""

from __future__ import annotations

from designer.editing import EditError, add_branch, add_question, add_step, set_question


def panel_edit(text: str, panel: str, fields: dict[str, str]) -> str:
    """The text with the form panel's addition (through ruamel.yaml: the rest is kept)."""
    def get(key: str) -> str:
        return fields.get(key, "").strip()

    if panel == "branch":
        return add_branch(text, get("b_step"), get("b_goto"), get("b_when") or None)
    if panel == "step":
        titles = {"fr": get("s_title_fr"), "en": get("s_title_en")}
        if not any(titles.values()):
            raise EditError("a step needs a title")
        return add_step(text, get("s_id"), titles, after=get("s_after") or None,
                        goto=get("s_goto") or None)
    if panel == "change":
        changes: dict[str, object] = {}
        new_label = {lang: get(f"c_label_{lang}") for lang in ("fr", "en")
                     if get(f"c_label_{lang}")}
        if new_label:
            changes["label"] = new_label
        for key in ("when", "purpose"):
            if get(f"c_{key}"):
                changes[key] = get(f"c_{key}")
        if not changes:
            raise EditError("fill in at least one field to change")
        return set_question(text, get("c_question"), changes)
    options: dict[str, str] = {}
    for line in get("q_options").splitlines():
        if line.strip():
            oid, _, label = line.partition(":")
            options[oid.strip()] = label.strip() or oid.strip()
    labels = {"fr": get("q_label_fr"), "en": get("q_label_en")}
    if not any(labels.values()):
        raise EditError("a question needs a label")
    return add_question(text, get("q_step"), get("q_id"), get("q_type") or "text", labels,
                        options=options or None, when=get("q_when") or None,
                        purpose=get("q_purpose") or None)
