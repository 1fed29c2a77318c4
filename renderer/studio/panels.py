"""The editor's form panels: what each one's fields become in the journey's text (through
:mod:`designer.editing`, which keeps the rest of the file as written)."""

from __future__ import annotations

from typing import Any

from designer.editing import (
    EditError,
    add_branch,
    add_question,
    add_step,
    remove_branch,
    remove_question,
    remove_step,
    set_question,
)
from designer.loading import Loaded
from designer.questions import RepeatQuestion
from renderer.studio.texts import t


def removal_choices(loaded: Loaded, lang: str) -> list[tuple[str, str]]:
    """What the "remove" panel offers: each step, question and branch of the journey (a
    step's only branch is not offered: a step always leads somewhere), as (value, label)."""
    journey = loaded.journey
    if journey is None:
        return []
    choices: list[tuple[str, str]] = []
    for sid, step in journey.steps.items():
        choices.append((f"step:{sid}", t("remove_step_choice", lang, id=sid)))
        for qid, question in step.questions.items():
            choices.append((f"question:{qid}", t("remove_question_choice", lang, id=qid)))
            if isinstance(question, RepeatQuestion):
                for item in question.questions:
                    choices.append((f"question:{item}",
                                    t("remove_question_choice", lang, id=item)))
        branches: Any = step.next
        if isinstance(branches, list) and len(branches) > 1:
            for i, branch in enumerate(branches):
                when = f" ({branch.when})" if branch.when is not None else ""
                choices.append((f"branch:{sid}:{i}", t("remove_branch_choice", lang, n=i + 1,
                                                       step=sid, goto=branch.goto) + when))
    return choices


def panel_edit(text: str, panel: str, fields: dict[str, str]) -> str:
    """The text with the form panel's addition, change or removal (through ruamel.yaml: the
    rest is kept)."""
    def get(key: str) -> str:
        return fields.get(key, "").strip()

    if panel == "remove":
        kind, _, what = get("r_what").partition(":")
        if kind == "step":
            return remove_step(text, what)
        if kind == "question":
            return remove_question(text, what)
        step, _, index = what.rpartition(":")
        if kind == "branch" and index.isdigit():
            return remove_branch(text, step, int(index))
        raise EditError("choose what to remove")
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
