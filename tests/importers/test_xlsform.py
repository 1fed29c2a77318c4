"""XLSForm import: structure, texts, checks, and fidelity of `relevant` under the run semantics."""

from __future__ import annotations

import datetime
import random
import re
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from designer.importers import ImportRefused, import_file
from designer.run import Run

from .conftest import errors, import_and_load, load_imported
from .xpath_reference import holds

FORM = Path(__file__).parent / "data" / "pets.md"


@pytest.fixture
def form(tmp_path: Path) -> Path:
    # A copy: the written YAML goes next to it.
    path = tmp_path / "pets.md"
    path.write_text(FORM.read_text(encoding="utf-8"), encoding="utf-8")
    return path


def test_markdown_form_maps_groups_relevant_constraints_and_languages(form: Path) -> None:
    result, loaded = import_and_load(form)
    assert errors(loaded) == []
    journey = result.journey
    assert journey["id"] == "pets-form"
    assert journey["languages"] == ["en", "fr"]
    steps = journey["steps"]
    assert list(steps) == ["page_adult", "details", "kids_step", "page_phone"]
    details = steps["details"]["questions"]
    assert steps["details"]["title"] == {"en": "Details", "fr": "Détails"}
    assert details["age"]["when"] == 'adult == "yes"'
    assert details["age"]["checks"] == [{"rule": "age >= 18", "message": "Too young"}]
    assert details["age"]["required"] is True
    assert details["pets"]["required"] is False  # XLSForm questions are optional by default
    assert details["dog_name"]["when"] == 'adult == "yes" and "dog" in pets'
    assert journey["computed"] == {"double": "age * 2"}
    assert steps["kids_step"]["questions"]["kids"]["type"] == "repeat"
    assert steps["page_phone"]["questions"]["phone"]["pattern"] == "^[0-9]{10}$"
    assert steps["page_adult"]["questions"]["adult"]["options"] == {
        "yes": {"en": "Yes", "fr": "Oui"}, "no": {"en": "No", "fr": "Non"}}
    assert any("geopoint" in n.what for n in result.notes)
    assert result.stats.conditions == result.stats.conditions_translated == 4
    comments = result.comments
    assert comments[("steps", "details", "questions", "age")].startswith("survey row ")


def test_markdown_form_runs_as_the_source_would(form: Path) -> None:
    _, loaded = import_and_load(form)
    assert loaded.journey is not None
    minor = Run(loaded.journey, {"adult": "no", "phone": "0123456789"})
    shown = {q.id for page in minor.pages() for q in page.questions}
    assert "age" not in shown and "dog_name" not in shown
    owner = Run(loaded.journey, {"adult": "yes", "age": 30, "pets": ["dog"]})
    assert [q.id for q in owner.visible_questions("details")] == ["age", "pets", "dog_name"]
    cat = Run(loaded.journey, {"adult": "yes", "age": 30, "pets": ["cat"]})
    assert [q.id for q in cat.visible_questions("details")] == ["age", "pets"]


def test_written_yaml_carries_schema_line_comments_and_notes(form: Path) -> None:
    from designer.importers.writer import to_yaml

    text = to_yaml(import_file(form), form.with_suffix(".yaml"), source=form.name)
    assert text.startswith("# yaml-language-server: $schema=")
    assert "journey.schema.json" in text.splitlines()[0]
    assert re.search(r"^ +# survey row \d+: integer age$", text, re.MULTILINE)
    assert "x-import-notes:" in text
    assert "geopoint" in text


@pytest.mark.parametrize(
    ("survey", "message"),
    [
        ("| | begin group | g | G |\n| | text | a | A |\n", "never closed"),
        ("| | text | a | A |\n| | end group | | |\n", "does not close"),
        ("| | calculate | c | | \n", ""),
    ],
)
def test_broken_structures_are_refused_with_a_message(tmp_path: Path, survey: str,
                                                      message: str) -> None:
    path = tmp_path / "broken.md"
    header = "| survey |\n| | type | name | label |\n"
    if message:
        path.write_text(header + survey, encoding="utf-8")
        with pytest.raises(ImportRefused, match=message):
            import_file(path)
    else:
        path.write_text(header + "| | calculate | c | x |\n| | text | t | T |\n", "utf-8")
        bad = tmp_path / "bad.md"
        bad.write_text("| survey |\n| | type | name | calculation |\n"
                       "| | calculate | c | 1 + 'oops |\n", encoding="utf-8")
        with pytest.raises(ImportRefused, match="not valid XPath"):
            import_file(bad)


def test_corpus_broken_forms_are_refused(corpus: Path) -> None:
    with pytest.raises(ImportRefused, match="Duplicate column header: label"):
        import_file(corpus / "xlsform/bug_example_xls/duplicate_columns.xlsx")
    with pytest.raises(ImportRefused, match="calculation .* is not valid XPath"):
        import_file(corpus / "xlsform/example_xls/bad_calc.xlsx")


# ---------------------------------------------------------------------------
# Fidelity on the corpus: random answers, source visibility computed from the workbook


def _survey(path: Path) -> list[dict[str, Any]]:
    workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    sheet = next(ws for ws in workbook.worksheets if ws.title.lower() == "survey")
    rows = sheet.iter_rows(values_only=True)
    header = [str(h).strip().lower() if h is not None else "" for h in next(rows)]
    out = []
    for number, values in enumerate(rows, start=2):
        cells = {h: v for h, v in zip(header, values, strict=False) if h and v is not None}
        if cells.get("type"):
            cells["_row"] = number
            out.append(cells)
        if number > 400:
            break
    return out


def _value(info: Any, rng: random.Random) -> Any:
    if info.type == "choice":
        return rng.choice(list(info.options))
    if info.type == "multichoice":
        least = 1 if info.required is True else 0
        return rng.sample(list(info.options), rng.randint(least, len(info.options)))
    if info.type == "integer":
        return rng.choice([0, 5, 17, 18, 150, 250])
    if info.type == "decimal":
        return rng.choice([0.5, 3.0, 20.0])
    if info.type == "yesno":
        return rng.choice([True, False])
    if info.type == "date":
        return datetime.date(2020, 1, 1)
    if info.type == "repeat":
        return [{} for _ in range(info.min or 0)]
    if info.type in ("text", "textarea"):
        return rng.choice(["x", "other", "a@b.org"])
    return "file.jpg"


def _source_text(value: Any) -> str:
    if isinstance(value, list):
        return " ".join(value)
    if isinstance(value, bool):
        return "OK" if value else ""
    return str(value)


@pytest.mark.parametrize(
    "name",
    ["example_xls/xlsform_spec_test.xlsx", "example_xls/flat_xlsform_test.xlsx",
     "bug_example_xls/UCL_Biomass_Plot_Form.xlsx", "example_xls/attribute_columns_test.xlsx"],
)
def test_corpus_relevance_matches_the_xlsform(corpus: Path, name: str) -> None:
    path = corpus / "xlsform" / name
    result = import_file(path)
    loaded = load_imported(result)
    journey = loaded.journey
    assert journey is not None
    by_row: dict[int, str] = {}
    for key, text in result.comments.items():
        if key[0] == "steps" and len(key) == 4:
            by_row[int(text.split(":")[0].split()[-1])] = key[3]
    untranslated = {n.source_ref for n in result.notes if n.what.startswith("relevant")}
    rows = _survey(path)
    rng = random.Random(name)
    checked = 0
    for _ in range(25):
        answers = {qid: _value(info, rng) for qid, info in journey.questions.items()
                   if info.repeat is None and info.type != "info"}
        run = Run(journey, answers, today=datetime.date(2024, 6, 1))
        assert run.finished, run.path()
        shown = {q.id for page in run.pages() for q in page.questions}
        # The source: groups' and own relevant, with the answers of shown questions only.
        env: dict[str, str] = {}
        stack: list[tuple[str, Any, bool]] = []  # (kind, relevant, trusted)
        for row in rows:
            kind = str(row["type"]).strip().lower()
            relevant = row.get("relevant")
            trusted = f"survey row {row['_row']}" not in untranslated
            if kind.startswith(("begin ", "begin_")):
                stack.append((kind, relevant, trusted))
                continue
            if kind.startswith(("end ", "end_")):
                stack.pop()
                continue
            qid = by_row.get(row["_row"])
            if qid is None or any("repeat" in k for k, _, _ in stack):
                continue
            conditions = [r for _, r, _ in stack if r is not None] + (
                [relevant] if relevant is not None else [])
            if not all(t for _, _, t in stack) or not trusted:
                continue
            visible = all(
                holds(str(c).replace("\u2018", "'").replace("\u2019", "'"), env)
                if not isinstance(c, bool | int) else bool(c)
                for c in conditions
            )
            if visible:
                env[str(row["name"])] = _source_text(answers.get(qid, ""))
            assert (qid in shown) == visible, (qid, conditions, env)
            checked += 1
    assert checked > 0


def test_or_other_adds_the_free_text_question_pyxform_adds(corpus: Path) -> None:
    expected = (corpus / "xlsform/expected_output/or_other.xml").read_text(encoding="utf-8")
    # pyxform's own output: the free text is relevant when 'other' is selected.
    assert re.search(r'nodeset="/or_other/fav_color_other" relevant="selected\(../fav_color, '
                     r"'other'\)\"", expected)
    result, loaded = import_and_load(corpus / "xlsform/example_xls/or_other.xlsx")
    questions = next(iter(result.journey["steps"].values()))["questions"]
    assert questions["fav_color"]["options"]["other"] == "Other"
    assert questions["fav_color_other"]["when"] == 'fav_color == "other"'
    assert loaded.journey is not None
    assert [q.id for q in Run(loaded.journey, {"fav_color": "other"})
            .visible_questions(next(iter(result.journey["steps"])))][:2] == [
        "fav_color", "fav_color_other"]


@pytest.mark.parametrize(
    ("name", "sheet", "cascade"),
    [
        # (form, sheet of the choices, [(question, its list, {filter column: question}))])
        ("example_xls/choice_filter_test.xlsx", "choices",
         [("county", "counties", {"cf": "state"}), ("city", "cities", {"cf": "county"})]),
        ("example_xls_removed/select_one_external.xlsx", "external_choices",
         [("county", "counties", {"state": "state"}),
          ("city", "cities", {"state": "state", "county": "county"})]),
    ],
)
def test_cascading_choice_filters_offer_the_options_odk_offers(
        corpus: Path, name: str, sheet: str,
        cascade: list[tuple[str, str, dict[str, str]]]) -> None:
    path = corpus / "xlsform" / name
    result, loaded = import_and_load(path)
    journey = loaded.journey
    assert journey is not None
    workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    rows = list(workbook[sheet].iter_rows(values_only=True))
    header = [str(h).strip().lower() if h else "" for h in rows[0]]
    choices = [dict(zip(header, r, strict=False)) for r in rows[1:] if r and r[0]]
    step = next(iter(result.journey["steps"]))
    for state in [str(r["name"]) for r in choices if r["list_name"] == "states"]:
        answers: dict[str, Any] = {"state": state}
        chosen = {"state": state}
        for question, list_name, filters in cascade:
            # What ODK offers: the rows of the list whose filter columns equal the answers.
            expected = {str(r["name"]) for r in choices if r["list_name"] == list_name
                        and all(str(r.get(col)) == chosen[q] for col, q in filters.items())}
            shown = [q for q in Run(journey, answers).visible_questions(step, answers)
                     if q.id.startswith(question)]
            offered = {o for q in shown for o in (q.options or {})}
            assert offered == expected, (state, question, [q.id for q in shown])
            if not expected:
                break
            chosen[question] = sorted(expected)[0]
            answers[shown[0].id] = chosen[question]
