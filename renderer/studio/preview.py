"""The citizen's view of the unsaved journey: one step's page drawn by the renderer's own
templates, controls and progress (:mod:`renderer.pages`, ``templates/step.html``), as a
citizen opening it would see it, in the language asked. Links and the form lead nowhere:
it is a picture of the page, not a run."""

from __future__ import annotations

import datetime
from collections.abc import Callable, Mapping
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, select_autoescape

from designer.compiled import CompiledJourney
from designer.run import Run
from renderer import markdown
from renderer.i18n import LANGUAGES, t
from renderer.pages import PageErrors, build_controls, layout, progress
from renderer.security import CSRF_FIELD

TEMPLATES = Path(__file__).resolve().parents[1] / "templates"


def _environment(static: Callable[[str], str]) -> Environment:
    env = Environment(loader=FileSystemLoader(str(TEMPLATES)),
                      autoescape=select_autoescape(default=True, default_for_string=True),
                      trim_blocks=True, lstrip_blocks=True)
    env.filters["md"] = markdown.render
    env.filters["md_inline"] = markdown.inline

    def url_for(name: str, /, query: Mapping[str, str] | None = None, **params: str) -> str:
        # Only the style sheet and scripts are real; every other link stays on the preview.
        return static(params["path"]) if name == "static" else "#"

    env.globals["url_for"] = url_for
    return env


def citizen_page(journey: CompiledJourney, step_id: str, lang: str,
                 static: Callable[[str], str], today: datetime.date | None = None) -> str:
    """The HTML of the first part of a step's page, with no answer given yet."""
    lang = lang if lang in LANGUAGES and lang in journey.languages else journey.languages[0]
    today = today or datetime.date.today()
    run = Run(journey, {}, seen=set(), today=today)
    step = journey.steps[step_id]
    controls = build_controls(journey, run, step_id, 0, {}, PageErrors.of([], lang, journey),
                              lang, today)
    title = journey.text(step.title, lang)
    context = {
        "lang": lang,
        "t": lambda key, **kw: t(key, lang, **kw),
        "jt": lambda value: journey.text(value, lang),
        "csrf_field": CSRF_FIELD,
        "csrf_token": "",
        "switch_url": "#",
        "switch_lang": "en" if lang == "fr" else "fr",
        "journey": journey,
        "step_id": step_id,
        "title": title,
        "page_title": title,
        "intro": journey.text(step.intro, lang) if step.intro else "",
        "controls": controls,
        "errors": [],
        "part": 0,
        "progress": progress(journey, run, step_id, lang),
        "back_url": None,
        "returning": False,
        "env_json": "",
        "today": today.isoformat(),
        "action": "#",
        "has_files": False,
        "show_no_js_note": layout(journey, step_id).max_depth > 0,
    }
    return _environment(static).get_template("step.html").render(context)
