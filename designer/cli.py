"""The `parcours` command line.

Exit statuses follow ../shared/spec/checks.md: 0 when no error, 1 when any error
finding, 2 when the command itself could not run (no such file, bad option).
Commands that live in other packages (serve, export, report, import, personas)
are imported only when used, so `parcours check` stays fast and `designer`
never imports `renderer` at start-up.
"""

from __future__ import annotations

import argparse
import gc
import importlib
import json
import sys
from collections.abc import Callable, Sequence

from designer import __version__
from designer.findings import has_errors


def _version() -> str:
    # A constant, not importlib.metadata: scanning installed packages costs a fifth of a
    # second at every start of `parcours check`.
    return __version__


class _Parser(argparse.ArgumentParser):
    """argparse exits with 2 on a bad option, as the spec wants; keep its message short."""


def _cmd_check(args: argparse.Namespace) -> int:
    from designer.check import NoSuchPath, check_paths
    from designer.output import render

    try:
        portfolio = check_paths(args.paths)
    except NoSuchPath as exc:
        print(f"parcours check: no such file or folder: {exc}", file=sys.stderr)
        return 2
    findings = portfolio.all_findings
    if args.severity != "info":
        keep = {"error"} if args.severity == "error" else {"error", "warning"}
        shown = [f for f in findings if f.severity.value in keep]
    else:
        shown = findings
    if args.rule:
        shown = [f for f in shown if f.rule in args.rule]
    files = len(portfolio.loaded)
    if files == 0:
        print("parcours check: no journey file (*.yaml) found", file=sys.stderr)
        return 2
    print(render(shown, files, args.format, _version()))
    return 1 if has_errors(findings) else 0


def _cmd_schema(args: argparse.Namespace) -> int:
    from designer.model import journey_schema

    print(json.dumps(journey_schema(), ensure_ascii=False, indent=2))
    return 0


def _cmd_graph(args: argparse.Namespace) -> int:
    from pathlib import Path

    from designer.diagram import to_dot, to_mermaid
    from designer.loading import load_journey
    from designer.output import as_text

    if not Path(args.file).is_file():
        print(f"parcours graph: no such file: {args.file}", file=sys.stderr)
        return 2
    loaded = load_journey(args.file)
    if loaded.journey is None:
        print(as_text(loaded.findings, 1), file=sys.stderr)
        return 1
    journey = loaded.journey
    text = to_dot(journey, args.lang) if args.format == "dot" else to_mermaid(journey, args.lang)
    if args.output:
        with open(args.output, "w", encoding="utf-8") as out:
            out.write(text)
    else:
        sys.stdout.write(text)
    return 0


#: Commands provided by other modules: name → (module, add_arguments, run, help).
_PLUGGED: dict[str, tuple[str, str, str, str]] = {
    "serve": ("renderer.cli", "add_serve_arguments", "run_serve",
              "serve journeys as citizen web forms"),
    "export": ("renderer.cli", "add_export_arguments", "run_export",
               "export submitted dossiers (CSV or JSON)"),
    "report": ("designer.report", "add_report_arguments", "run_report",
               "journey-complexity report (HTML, JSON or text)"),
    "diff": ("designer.report", "add_diff_arguments", "run_diff",
             "compare two versions of a journey"),
    "personas": ("designer.personas", "add_personas_arguments", "run_personas",
                 "answer sets that visit every step, question and outcome"),
    "import": ("designer.importers", "add_import_arguments", "run_import",
               "import an XLSForm, XGov/DEFRA or DLUHC CORE form"),
}


def build_parser(only: str | None = None) -> argparse.ArgumentParser:
    """The argument parser of every subcommand.

    With ``only``, the modules of the other plugged commands are not imported (each
    costs start-up time: the renderer, z3 for personas…); their help stays listed.
    """
    parser = _Parser(
        prog="parcours",
        description="Design, check, serve and measure citizen journeys.",
    )
    parser.add_argument("--version", action="version", version=f"parcours {_version()}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    check = sub.add_parser("check", help="check journey files and folders")
    check.add_argument("paths", nargs="+", metavar="PATH", help="journey files or folders")
    check.add_argument("--format", choices=("text", "json", "sarif", "github"), default="text")
    check.add_argument("--severity", choices=("error", "warning", "info"), default="info",
                       help="least severity shown (the exit status still counts every error)")
    check.add_argument("--rule", action="append", metavar="SLUG",
                       help="show only this rule (repeatable)")
    check.set_defaults(func=_cmd_check)

    schema = sub.add_parser("schema", help="print the JSON Schema of the journey format")
    schema.set_defaults(func=_cmd_schema)

    graph = sub.add_parser("graph", help="the step graph as Mermaid or DOT")
    graph.add_argument("file", metavar="FILE")
    graph.add_argument("--format", choices=("mermaid", "dot"), default="mermaid")
    graph.add_argument("--lang", default=None, help="language of the labels")
    graph.add_argument("-o", "--output", default=None, help="write to this file")
    graph.set_defaults(func=_cmd_graph)

    for name, (module, add_args, run, help_text) in _PLUGGED.items():
        p = sub.add_parser(name, help=help_text)
        p.set_defaults(func=_plugged(module, run), _module=module)
        if only is not None and name != only:
            continue
        try:
            mod = importlib.import_module(module)
            getattr(mod, add_args)(p)
        except (ImportError, AttributeError):
            p.set_defaults(func=_unavailable(name))
    return parser


def _plugged(module: str, run: str) -> Callable[[argparse.Namespace], int]:
    def call(args: argparse.Namespace) -> int:
        return int(getattr(importlib.import_module(module), run)(args) or 0)

    return call


def _unavailable(name: str) -> Callable[[argparse.Namespace], int]:
    def call(args: argparse.Namespace) -> int:
        print(f"parcours {name}: this command is not available in this build", file=sys.stderr)
        return 2

    return call


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the `parcours` console script."""
    argv = list(sys.argv[1:] if argv is None else argv)
    # Only import the plugged command that is asked for (keeps `check` fast).
    if argv and argv[0] in _PLUGGED:
        parser = build_parser(only=argv[0])
    elif _needs_plugins(argv):
        parser = build_parser()
    else:
        parser = _core_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return 2
    if args.command != "serve":
        # A one-shot command on a bounded input (journeys are at most 5 MB): the cyclic
        # garbage collector would only rescan the growing tree of nodes and models, which
        # halves the speed of `parcours check` on large journeys. Reference counting still
        # frees what is dropped; the process ends with the command.
        gc.disable()
    try:
        return args.func(args)
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return 0


def _needs_plugins(argv: list[str]) -> bool:
    return not argv or any(a in _PLUGGED or a in ("-h", "--help") for a in argv[:1])


def _core_parser() -> argparse.ArgumentParser:
    saved = dict(_PLUGGED)
    _PLUGGED.clear()
    try:
        return build_parser()
    finally:
        _PLUGGED.update(saved)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
