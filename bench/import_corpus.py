"""Import every file of the shared corpus and tabulate what came through.

``python -m bench.import_corpus`` rewrites the corpus table of
``docs/import.md`` (between its ``corpus-table`` markers); ``--print`` only
prints it. The corpus test uses :func:`import_corpus` to assert the same
figures, so the table in the docs is what the tests check. A maintainer's script, not
part of the installed package; run it from the repository's root.
"""

from __future__ import annotations

import argparse
import collections
import sys
from dataclasses import dataclass, field
from pathlib import Path

from designer.findings import Severity
from designer.importers import ImportRefused, import_file
from designer.importers.writer import to_yaml

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "corpus"
DOC = ROOT / "docs" / "import.md"
#: The two broken forms of pyxform's tests: they must be refused, cleanly.
EXPECTED_REFUSALS = {"bad_calc.xlsx", "duplicate_columns.xlsx"}
_SUFFIXES = {".json", ".yaml", ".yml", ".xlsx"}
START, END = "<!-- corpus-table:start -->", "<!-- corpus-table:end -->"


@dataclass
class CorpusRow:
    """What importing one corpus file gave."""

    file: str
    format: str = ""
    questions: int = 0
    conditions: int = 0
    translated: int = 0
    #: Of the translated: conditions carried by another that they imply (see ImportStats).
    merged: int = 0
    computed: int = 0
    computed_translated: int = 0
    notes: int = 0
    errors: list[str] = field(default_factory=list)
    warnings: collections.Counter[str] = field(default_factory=collections.Counter)
    refused: str | None = None


def corpus_files(root: Path = CORPUS) -> list[Path]:
    """The form definitions of the corpus (not its JSON schema nor the expected XForms)."""
    return sorted(
        p for p in root.rglob("*")
        if p.suffix.lower() in _SUFFIXES and p.is_file() and p.parent.name != "schema"
    )


def import_corpus(root: Path = CORPUS, check: bool = True) -> list[CorpusRow]:
    """Import (and, with `check`, load with every engine check) each corpus file."""
    from designer.loading import load_text

    rows: list[CorpusRow] = []
    for path in corpus_files(root):
        row = CorpusRow(str(path.relative_to(root)))
        try:
            result = import_file(path)
        except ImportRefused as exc:
            row.refused = str(exc)
            rows.append(row)
            continue
        stats = result.stats
        row.format = result.source_format
        row.questions = stats.questions
        row.conditions = stats.conditions
        row.translated = stats.conditions_translated
        row.merged = stats.conditions_merged
        row.computed = stats.computed
        row.computed_translated = stats.computed_translated
        row.notes = len(result.notes)
        if check:
            loaded = load_text(to_yaml(result, None, source=path.name), path.stem + ".yaml")
            for finding in loaded.findings:
                if finding.severity == Severity.ERROR:
                    row.errors.append(f"{finding.line}:{finding.column} {finding.rule} "
                                      f"{finding.message}")
                else:
                    row.warnings[finding.rule] += 1
        rows.append(row)
    return rows


def totals(rows: list[CorpusRow]) -> tuple[int, int]:
    """(translated, counted) conditions over the imported files."""
    return sum(r.translated for r in rows), sum(r.conditions for r in rows)


def table(rows: list[CorpusRow]) -> str:
    """The Markdown table of the docs."""
    lines = [
        "| file | format | questions | conditions translated | of which merged | calculations "
        "| import notes | errors | main warnings |",
        "|---|---|---:|---:|---:|---:|---:|---:|---|",
    ]
    for r in rows:
        if r.refused is not None:
            lines.append(f"| {r.file} | refused | | | | | | | {r.refused} |")
            continue
        warnings = ", ".join(f"{k} {v}" for k, v in r.warnings.most_common(3))
        calcs = f"{r.computed_translated}/{r.computed}" if r.computed else ""
        lines.append(
            f"| {r.file} | {r.format} | {r.questions} | {r.translated}/{r.conditions} | "
            f"{r.merged or ''} | {calcs} | {r.notes} | {len(r.errors)} | {warnings} |"
        )
    done, counted = totals(rows)
    merged = sum(r.merged for r in rows)
    imported = [r for r in rows if r.refused is None]
    share = 100 * done / counted if counted else 100.0
    lines.append("")
    lines.append(
        f"**{len(imported)} files imported, {len(rows) - len(imported)} refused; "
        f"{sum(r.questions for r in imported)} questions; conditions translated: "
        f"{done}/{counted} ({share:.1f} %)**, every condition of the sources counted, those of "
        f"the constructs not imported too. {merged} of the translated conditions are carried "
        f"by another one that they imply (CORE's repeated soft validations, asked once where "
        f"all their answers are known); counting those as not translated: "
        f"{done - merged}/{counted} ({100 * (done - merged) / counted if counted else 100.0:.1f} "
        f"%)."
    )
    warned: collections.Counter[str] = collections.Counter()
    for r in imported:
        warned.update(r.warnings)
    lines.append("")
    lines.append("Warnings and advice of `parcours check` over the imported corpus: " + ", ".join(
        f"{k} {v}" for k, v in warned.most_common()) + ".")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """Regenerate the corpus table of docs/import.md (or print it with --print)."""
    parser = argparse.ArgumentParser(prog="python -m bench.import_corpus")
    parser.add_argument("--corpus", type=Path, default=CORPUS)
    parser.add_argument("--print", action="store_true", help="print the table only")
    args = parser.parse_args(argv)
    if not args.corpus.is_dir():
        print(f"no corpus at {args.corpus}", file=sys.stderr)
        return 1
    text = table(import_corpus(args.corpus))
    if args.print:
        print(text)
        return 0
    doc = DOC.read_text(encoding="utf-8")
    if START not in doc or END not in doc:
        print(f"{DOC} has no {START} … {END} markers", file=sys.stderr)
        return 1
    head, rest = doc.split(START, 1)
    _, tail = rest.split(END, 1)
    DOC.write_text(f"{head}{START}\n{text}\n{END}{tail}", encoding="utf-8")
    print(f"updated {DOC}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
