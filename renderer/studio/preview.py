"""The citizen's view of the unsaved journey: one step's page drawn by the renderer's own
templates, controls and progress (:mod:`renderer.pages`, ``templates/step.html``), as a
citizen opening it would see it, in the language asked. Links and the form lead nowhere:
it is a picture of the page, not a run. With a test case's answers (the personas saved as
cases by ``parcours personas --save-cases`` among them), or those of a citizen the solver
computes on the fly to reach the step, the page is drawn as that citizen reaches it: their
earlier answers decide what is shown, the step's own are filled in."""

from __future__ import annotations

import datetime
import hashlib
import threading
from collections import OrderedDict
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, select_autoescape

from designer.cases import Case, cases_path, load_cases
from designer.compiled import CompiledJourney
from designer.run import Run
from designer.testing import play
from renderer import markdown
from renderer.i18n import LANGUAGES, t
from renderer.pages import PageErrors, build_controls, layout, progress
from renderer.security import CSRF_FIELD
from renderer.studio.access import OutsideFolder, resolve_journey

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


#: The preview's choice of a citizen computed on the fly (never a case's name: those are
#: written by designers, and a name cannot be only this character).
COMPUTED_CASE = "*"
#: Citizens computed for the preview, by (text, step): the view follows the cursor and asks
#: again for the same step of the same text, which the solver then need not search again.
_COMPUTED: OrderedDict[tuple[str, str], dict[str, Any] | None] = OrderedDict()
_COMPUTED_KEPT = 32
_COMPUTED_LOCK = threading.Lock()


def computed_citizen(journey: CompiledJourney, text: str, step_id: str,
                     today: datetime.date | None = None) -> dict[str, Any] | None:
    """A citizen's answers reaching ``step_id`` found by the solver (at most 3 s: the
    preview then says none was found), remembered for this text and step."""
    from designer.personas import persona_reaching

    key = (hashlib.sha256(text.encode("utf-8")).hexdigest(), step_id)
    with _COMPUTED_LOCK:
        if key in _COMPUTED:
            _COMPUTED.move_to_end(key)
            return _COMPUTED[key]
    answers = persona_reaching(journey, step_id, today, budget_ms=3_000)
    with _COMPUTED_LOCK:
        _COMPUTED[key] = answers
        while len(_COMPUTED) > _COMPUTED_KEPT:
            _COMPUTED.popitem(last=False)
    return answers


def preview_cases(root: Path, relative: str) -> dict[str, Case]:
    """The test cases beside a journey of the folder, by name, to preview its pages as each
    of those citizens reaches them (none when it has no readable cases file)."""
    try:
        path = cases_path(resolve_journey(root, relative))
    except OutsideFolder:
        return {}
    if not path.is_file():
        return {}
    return {case.name: case for case in load_cases(path).cases}


def reached(journey: CompiledJourney, answers: Mapping[str, Any], step_id: str,
            today: datetime.date) -> Run | None:
    """The run of a citizen giving ``answers`` (a test case's, or a persona's saved as one)
    page by page with the engine's semantics, when it reaches ``step_id``; None when those
    answers never lead there. The run holds every answer given, the step's own included."""
    played = play(journey, dict(answers), today)
    if step_id not in played.path:
        return None
    run = Run(journey, {}, seen=set(), today=today)
    for _ in range(len(played.path) + 1):
        node = run.current
        if node is None or journey.is_outcome(node):
            break
        form = {q.id: answers[q.id] for q in journey.step_questions(node) if q.id in answers}
        if not run.answer_page(node, form).ok or run.current == node:
            break
    return run


def citizen_page(journey: CompiledJourney, step_id: str, lang: str,
                 static: Callable[[str], str], today: datetime.date | None = None,
                 answers: Mapping[str, Any] | None = None) -> str | None:
    """The HTML of the first part of a step's page: with no answer given yet, or as the
    citizen who gives ``answers`` reaches it (their answers filled in); None when those
    answers never lead to the step."""
    lang = lang if lang in LANGUAGES and lang in journey.languages else journey.languages[0]
    today = today or datetime.date.today()
    run: Run | None = Run(journey, {}, seen=set(), today=today)
    if answers is not None:
        run = reached(journey, answers, step_id, today)
        if run is None:
            return None
    assert run is not None
    step = journey.steps[step_id]
    # The step's stored answers, as a citizen coming back to the page sees them.
    ids = {q.id for q in journey.step_questions(step_id)}
    raw = {k: v for k, v in run.answers.items() if k in ids}
    controls = build_controls(journey, run, step_id, 0, raw, PageErrors.of([], lang, journey),
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
