"""`parcours personas FILE`: answer sets that visit every step, question and outcome."""

from __future__ import annotations

import argparse
import datetime
import json
import sys
from pathlib import Path


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """`parcours personas FILE [--format json|text] [--today YYYY-MM-DD] [--save-cases]`."""
    parser.add_argument("file", help="the journey file (YAML)")
    parser.add_argument("--format", choices=["json", "text"], default="text",
                        help="output format (default: text)")
    parser.add_argument("--today", default=None,
                        help="the date the runs happen on, YYYY-MM-DD (default: today)")
    parser.add_argument("--save-cases", action="store_true",
                        help="also add the personas as test cases to FILE's x.cases.yaml "
                             "(`parcours test` runs them; cases already named are kept)")


def run(args: argparse.Namespace) -> int:
    """Print the personas of a journey; 1 when the journey has errors, 2 on bad usage."""
    # designer.personas brings z3: imported only once the arguments are known good.
    from designer.findings import has_errors
    from designer.loading import load_journey
    from designer.output import as_text as findings_text

    if not Path(args.file).is_file():
        print(f"parcours personas: no such file: {args.file}", file=sys.stderr)
        return 2
    today = None
    if args.today:
        try:
            today = datetime.date.fromisoformat(args.today)
        except ValueError:
            print(f"parcours personas: --today wants YYYY-MM-DD, not {args.today!r}",
                  file=sys.stderr)
            return 2
    from designer.personas import as_json, as_text, find_personas

    # The path analysis's own errors (an impossible branch…) do not stop personas: they
    # are listed as impossible. Structural errors (cycles, unknown names…) do.
    loaded = load_journey(args.file, analyses=[])
    if loaded.journey is None or has_errors(loaded.findings):
        print(findings_text(loaded.findings, 1), file=sys.stderr)
        return 1
    result = find_personas(loaded.journey, today)
    if args.format == "json":
        print(json.dumps(as_json(result), ensure_ascii=False, indent=2))
    else:
        sys.stdout.write(as_text(result))
    if args.save_cases:
        from designer.cases import append_cases, case_entry, cases_path

        target = cases_path(args.file)
        entries = [case_entry(f"{p.name}: {p.goal}", p.answers, p.outcome, p.path, p.shown)
                   for p in result.personas]
        added = append_cases(target, entries, today)
        print(f"parcours personas: {added} case(s) added to {target}", file=sys.stderr)
    return 0
