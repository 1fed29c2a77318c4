"""Large journeys for benchmarks: chains of branching "diamonds" with conditional questions.

    .venv/bin/python bench/generate.py --questions 2000 --out /tmp/bench

writes `diamonds-2000.yaml` (a Parcours journey) and `diamonds-2000.xlsx` (the
equivalent XLSForm: same questions, steps as groups, `when` and branches as
`relevant` expressions). Each diamond is a page that asks which way to go, two
alternative pages (only one is walked), and a page where both ways meet; some
questions are shown only under conditions on earlier answers, some of them
from the previous diamond. A journey of n diamonds has 2^n paths.
"""

from __future__ import annotations

import argparse
from dataclasses import dataclass, field
from pathlib import Path

#: Questions per diamond: 3 on the fork, 3 on each side, 3 where they meet.
PER_DIAMOND = 12


@dataclass
class Cond:
    """A condition written once, rendered in both languages."""

    parts: list[tuple[str, str, object]]  # (question, op, value), joined by `and`

    def parcours(self) -> str:
        """The condition as a Parcours expression."""
        out = []
        for name, op, value in self.parts:
            if op == "is":
                out.append(name if value else f"not {name}")
            elif isinstance(value, str):
                out.append(f'{name} {op} "{value}"')
            else:
                out.append(f"{name} {op} {value}")
        return " and ".join(out)

    def xlsform(self) -> str:
        """The condition as an XLSForm `relevant` expression."""
        out = []
        for name, op, value in self.parts:
            if op == "is":
                out.append(f"${{{name}}} = '{'yes' if value else 'no'}'")
            elif isinstance(value, str):
                out.append(f"${{{name}}} {'=' if op == '==' else op} '{value}'")
            else:
                out.append(f"${{{name}}} {'=' if op == '==' else op} {value}")
        return " and ".join(out)


@dataclass
class Q:
    id: str
    type: str  # integer | yesno | choice | text
    label: str
    when: Cond | None = None
    options: list[str] = field(default_factory=list)


@dataclass
class Page:
    id: str
    title: str
    questions: list[Q]
    next: list[tuple[str, Cond | None]]
    relevant: Cond | None = None  # for the XLSForm group: the branch that leads here


def diamonds(n: int) -> tuple[list[Page], list[str]]:
    """The pages of a chain of `n` diamonds (and the outcome ids)."""
    pages: list[Page] = []
    for i in range(n):
        p = f"d{i}"
        after = f"d{i + 1}_fourche" if i + 1 < n else "envoi"
        prev_side = f"d{i - 1}_g_nb" if i > 0 else None
        fork = [
            Q(f"{p}_voie", "choice", f"Situation {i} : quelle voie ?",
              options=["gauche", "droite"]),
            Q(f"{p}_nb", "integer", f"Nombre de personnes concernées ({i})"),
            Q(f"{p}_aide", "yesno", f"Recevez-vous déjà une aide ({i}) ?",
              when=Cond([(f"{p}_nb", ">", 2)])),
        ]
        if prev_side:
            # An answer from the previous diamond's left side: null on the right side.
            fork[2].when = Cond([(f"{p}_nb", ">", 2), (prev_side, "<", 5)])
        left = [
            Q(f"{p}_g_nb", "integer", f"Nombre d'enfants ({i})"),
            Q(f"{p}_g_ok", "yesno", f"Les enfants sont-ils scolarisés ({i}) ?",
              when=Cond([(f"{p}_g_nb", ">", 0)])),
            Q(f"{p}_g_detail", "text", f"Précisez l'établissement ({i})",
              when=Cond([(f"{p}_g_ok", "is", True)])),
        ]
        right = [
            Q(f"{p}_d_type", "choice", f"Type de logement ({i})",
              options=["maison", "appartement", "autre"]),
            Q(f"{p}_d_surface", "integer", f"Surface du logement ({i})"),
            Q(f"{p}_d_detail", "text", f"Précisez le type de logement ({i})",
              when=Cond([(f"{p}_d_type", "==", "autre")])),
        ]
        join = [
            Q(f"{p}_j_revenu", "integer", f"Revenu du foyer ({i})"),
            Q(f"{p}_j_part", "yesno", f"Vivez-vous seul ({i}) ?"),
            Q(f"{p}_j_note", "text", f"Une remarque ({i}) ?",
              when=Cond([(f"{p}_j_revenu", "<", 1000), (f"{p}_nb", ">", 1)])),
        ]
        to_left = Cond([(f"{p}_voie", "==", "gauche")])
        to_right = Cond([(f"{p}_voie", "==", "droite")])
        pages += [
            Page(f"{p}_fourche", f"Situation {i}", fork,
                 [(f"{p}_gauche", to_left), (f"{p}_droite", None)]),
            Page(f"{p}_gauche", f"Enfants {i}", left, [(f"{p}_jonction", None)], to_left),
            Page(f"{p}_droite", f"Logement {i}", right, [(f"{p}_jonction", None)], to_right),
            Page(f"{p}_jonction", f"Ressources {i}", join, [(after, None)]),
        ]
    return pages, ["envoi"]


def to_yaml(pages: list[Page], outcomes: list[str], name: str) -> str:
    """The Parcours journey."""
    out = [
        "parcours: 1", f"id: {name}", "title: Demande d'aide (banc d'essai)",
        "organisation: Banc d'essai", f"start: {pages[0].id}", "steps:",
    ]
    for page in pages:
        out += [f"  {page.id}:", f"    title: {page.title}", "    questions:"]
        for q in page.questions:
            out += [f"      {q.id}:", f"        type: {q.type}", f'        label: "{q.label}"',
                    "        purpose: Instruire la demande."]
            if q.type == "integer":
                out += ["        min: 0", "        max: 100000"]
            if q.options:
                out.append(f"        options: [{', '.join(q.options)}]")
            if q.when is not None:
                out.append(f"        when: '{q.when.parcours()}'")
        if len(page.next) == 1 and page.next[0][1] is None:
            out.append(f"    next: {page.next[0][0]}")
        else:
            out.append("    next:")
            for target, cond in page.next:
                out.append(f"      - goto: {target}")
                if cond is not None:
                    out.append(f"        when: '{cond.parcours()}'")
    out.append("outcomes:")
    for o in outcomes:
        out += [f"  {o}:", "    kind: submit", "    title: Demande prête"]
    return "\n".join(out) + "\n"


def to_xlsform(pages: list[Page], path: Path, name: str) -> None:
    """The equivalent XLSForm (survey, choices, settings sheets)."""
    from openpyxl import Workbook

    wb = Workbook()
    survey = wb.active
    survey.title = "survey"
    survey.append(["type", "name", "label", "relevant", "required", "constraint"])
    choices = wb.create_sheet("choices")
    choices.append(["list_name", "name", "label"])
    choices.append(["yesno", "yes", "Oui"])
    choices.append(["yesno", "no", "Non"])
    for page in pages:
        survey.append(["begin_group", page.id, page.title,
                       page.relevant.xlsform() if page.relevant else None, None, None])
        for q in page.questions:
            if q.type == "choice":
                kind = f"select_one {q.id}_options"
                for o in q.options:
                    choices.append([f"{q.id}_options", o, o.capitalize()])
            elif q.type == "yesno":
                kind = "select_one yesno"
            else:
                kind = q.type
            constraint = ". >= 0 and . <= 100000" if q.type == "integer" else None
            survey.append([kind, q.id, q.label, q.when.xlsform() if q.when else None, "yes",
                           constraint])
        survey.append(["end_group", None, None, None, None, None])
    settings = wb.create_sheet("settings")
    settings.append(["form_title", "form_id", "version"])
    settings.append(["Demande d'aide (banc d'essai)", name, "1"])
    wb.save(path)


def generate(questions: int, out: Path) -> tuple[Path, Path]:
    """Write the journey and the XLSForm of about `questions` questions; their paths."""
    n = max(1, round(questions / PER_DIAMOND))
    pages, outcomes = diamonds(n)
    name = f"diamonds-{questions}"
    out.mkdir(parents=True, exist_ok=True)
    yaml_path = out / f"{name}.yaml"
    yaml_path.write_text(to_yaml(pages, outcomes, name), encoding="utf-8")
    xlsx_path = out / f"{name}.xlsx"
    to_xlsform(pages, xlsx_path, name.replace("-", "_"))
    return yaml_path, xlsx_path


def main() -> int:
    """Command line: write one journey and its XLSForm."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--questions", type=int, default=2000)
    parser.add_argument("--out", type=Path, default=Path("/tmp/parcours-bench"))
    args = parser.parse_args()
    for path in generate(args.questions, args.out):
        print(path)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
