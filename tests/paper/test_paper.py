"""The paper form asks exactly what the online run asks: a reader following its printed
instructions answers the same questions and reaches the same end, on every example
journey and on random journeys; and the PDF holds the numbered questions and the routing
sentences."""

from __future__ import annotations

import datetime
import itertools
from io import BytesIO
from pathlib import Path
from typing import Any

import pytest
from analysis.randomjourneys import DOMAINS, TODAY, journeys
from hypothesis import HealthCheck, given, settings

from designer.compiled import CompiledJourney
from designer.loading import load_journey, load_text
from designer.organisation import journey_files
from designer.paper.layout import lay_out
from designer.paper.pdf import to_pdf
from designer.paper.walk import follow
from designer.personas import find_personas
from designer.run import Run

JOURNEYS = journey_files([Path(__file__).resolve().parents[2] / "journeys"])


def online(journey: CompiledJourney, answers: dict[str, Any],
           today: datetime.date = TODAY) -> tuple[list[str], str | None]:
    """The questions the online run shows (in order) and the outcome it reaches."""
    run = Run(journey, answers, today=today)
    shown = [q.id for page in run.pages() for q in page.questions if q.answers]
    current = run.current
    return shown, current if current is not None and journey.is_outcome(current) else None


def assert_same(journey: CompiledJourney, answers: dict[str, Any],
                today: datetime.date = TODAY) -> None:
    shown, outcome = online(journey, answers, today)
    if outcome is None:
        return  # a run left incomplete (a required answer missing): no paper to compare
    paper = follow(lay_out(journey), answers, today)
    assert (paper.answered, paper.outcome) == (shown, outcome), answers


@pytest.mark.parametrize("path", JOURNEYS, ids=lambda p: p.stem)
def test_the_paper_routes_every_persona_as_the_run_does(path: Path) -> None:
    """Personas visit every step, question and outcome of the journey."""
    journey = load_journey(str(path)).journey
    assert journey is not None
    found = find_personas(journey, TODAY)
    assert found.personas
    for persona in found.personas:
        shown, outcome = online(journey, persona.answers)
        assert outcome == persona.outcome
        assert_same(journey, persona.answers)


@settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
@given(journeys())
def test_the_paper_routes_random_journeys_as_the_run_does(text: str) -> None:
    loaded = load_text(text, "random.yaml")
    journey = loaded.journey
    if journey is None:
        return
    questions = [q for q in journey.questions.values() if q.answers]
    domains = [(*DOMAINS[q.type], None) for q in questions]
    for combo in itertools.islice(itertools.product(*domains), 400):
        answers = {q.id: v for q, v in zip(questions, combo, strict=True) if v is not None}
        assert_same(journey, answers)


@pytest.mark.parametrize("path", JOURNEYS, ids=lambda p: p.stem)
def test_every_example_journey_prints(path: Path) -> None:
    from pypdf import PdfReader

    journey = load_journey(str(path)).journey
    assert journey is not None
    form = lay_out(journey)
    text = "\n".join(page.extract_text() for page in PdfReader(BytesIO(to_pdf(form))).pages)
    flat = " ".join(text.split())
    numbered = [q for part in form.parts for q in part.questions if q.number]
    assert numbered, "a paper form asks questions"
    for q in numbered[:3] + numbered[-2:]:
        label = journey.text(q.info.label, form.lang).split()[0]
        assert f"{q.number} {label}" in flat
    for part in form.parts:
        assert f"Partie {part.number}" in flat
    sentences = [j.text for part in form.parts for j in part.jumps if j.when is not None]
    for sentence in sentences[:5]:
        assert " ".join(sentence.split())[:40] in flat
