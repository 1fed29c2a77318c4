"""The `parcours` command line: the table of its commands, and the entry point.

Exit statuses follow docs/check.md: 0 when no error, 1 when any error
finding, 2 when the command itself could not run (no such file, bad option).

Each command is a module with two functions::

    def add_arguments(parser: argparse.ArgumentParser) -> None: ...   # its options
    def run(args: argparse.Namespace) -> int: ...                      # its exit status

and one line of ``COMMANDS`` below naming that module. Only the module of the command
asked for is imported (and only its own imports are paid: keep the heavy ones — z3, the
renderer, openpyxl — inside ``run`` or in modules only that command uses), so
``parcours check`` stays fast and ``designer`` never imports ``renderer`` at start-up.

To add a command, say ``parcours purge``:

1. write ``designer/commands/purge.py`` with ``add_arguments`` and ``run`` (a command of
   the web app may live in the renderer, e.g. ``renderer/cli.py``, and name its two
   functions with ``add_arguments=``/``run=``);
2. add ``Command("purge", "one line of help", "designer.commands.purge")`` to ``COMMANDS``;
3. add it to the command table of README.md.

tests/engine/test_commands.py imports every module of the table and checks its two
functions, so a misspelt module or function fails the tests; at run time it fails loudly
(an ImportError or AttributeError), never as a quietly missing command.
"""

from __future__ import annotations

import argparse
import atexit
import gc
import importlib
import os
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import NoReturn, cast

from designer import __version__


@dataclass(frozen=True)
class Command:
    """One `parcours` command: its name, its line of help and the module that runs it."""

    name: str
    help: str
    #: The module defining it, imported only when this command runs.
    module: str
    #: The names of its two functions in that module.
    add_arguments: str = "add_arguments"
    run: str = "run"
    #: A server keeps the cyclic garbage collector; a one-shot command turns it off.
    long_running: bool = False

    def functions(self) -> tuple[Callable[[argparse.ArgumentParser], None],
                                 Callable[[argparse.Namespace], int]]:
        """Import the module; its (add_arguments, run). Raises on a mistake in the table."""
        module = importlib.import_module(self.module)
        add = getattr(module, self.add_arguments)
        run = getattr(module, self.run)
        return (cast(Callable[[argparse.ArgumentParser], None], add),
                cast(Callable[[argparse.Namespace], int], run))


#: Every command, in the order `parcours --help` lists them.
COMMANDS: tuple[Command, ...] = (
    Command("check", "check journey files and folders", "designer.commands.check"),
    Command("schema", "print the JSON Schema of the journey format", "designer.commands.schema"),
    Command("graph", "the step graph as Mermaid or DOT", "designer.commands.graph"),
    Command("serve", "serve journeys as citizen web forms", "renderer.cli",
            add_arguments="add_serve_arguments", run="run_serve", long_running=True),
    Command("export", "export submitted dossiers (CSV or JSON)", "renderer.cli",
            add_arguments="add_export_arguments", run="run_export"),
    Command("backup", "copy the live SQLite database and its files (online backup)",
            "renderer.cli", add_arguments="add_backup_arguments", run="run_backup"),
    Command("report", "journey-complexity report (HTML, JSON or text)",
            "designer.commands.report"),
    Command("diff", "compare two versions of a journey", "designer.commands.diff"),
    Command("publish", "the publication workflow: draft, ready for review, published",
            "designer.commands.publish"),
    Command("personas", "answer sets that visit every step, question and outcome",
            "designer.commands.personas"),
    Command("import", "import an XLSForm, XGov/DEFRA or DLUHC CORE form",
            "designer.commands.import_"),
    Command("paper", "the printable paper form of a journey (PDF)", "designer.commands.paper"),
    Command("test", "run a journey's test cases (x.cases.yaml beside x.yaml)",
            "designer.commands.test"),
    Command("studio", "the designers' workbench in the browser", "renderer.studio.cli",
            add_arguments="add_studio_arguments", run="run_studio", long_running=True),
    Command("agent", "create and list the back office's agents", "renderer.backoffice.cli",
            add_arguments="add_agent_arguments", run="run_agent"),
    Command("purge", "delete the dossiers past their retention and the expired drafts",
            "renderer.backoffice.cli", add_arguments="add_purge_arguments", run="run_purge"),
    Command("token", "create, list and revoke the services' API tokens", "renderer.api.cli",
            add_arguments="add_token_arguments", run="run_token"),
    Command("webhooks", "the log of the webhooks' deliveries", "renderer.api.cli",
            add_arguments="add_webhooks_arguments", run="run_webhooks"),
)

class _Parser(argparse.ArgumentParser):
    """argparse exits with 2 on a bad option, as the spec wants."""


def build_parser(only: str | None = None) -> argparse.ArgumentParser:
    """The argument parser of `parcours`, every command listed with its help.

    The options of a command need its module: only the command ``only`` gets them (every
    command when ``only`` is None, which imports every module).
    """
    parser = _Parser(
        prog="parcours",
        description="Design, check, serve and measure citizen journeys.",
    )
    parser.add_argument("--version", action="version", version=f"parcours {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for command in COMMANDS:
        p = sub.add_parser(command.name, help=command.help, description=command.help)
        if only is None or command.name == only:
            add_arguments, run = command.functions()
            add_arguments(p)
            p.set_defaults(run=run)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the `parcours` console script."""
    argv = list(sys.argv[1:] if argv is None else argv)
    command = _command(argv)
    if command is not None and not command.long_running:
        # A one-shot command on a bounded input (journeys are at most 5 MB): the cyclic
        # garbage collector would only rescan the growing tree of nodes and models, which
        # halves the speed of `parcours check` on large journeys. Reference counting still
        # frees what is dropped; the process ends with the command.
        gc.disable()
    # Without a command (`parcours`, `parcours --help`, a misspelt name) no module is
    # imported: argparse lists the commands or names the unknown one.
    parser = build_parser(only=command.name if command else "")
    args = parser.parse_args(argv)
    run: Callable[[argparse.Namespace], int] | None = getattr(args, "run", None)
    if run is None:
        parser.print_help()
        return 2
    try:
        return int(run(args) or 0)
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return 0


def _command(argv: Sequence[str]) -> Command | None:
    """The command named first in ``argv``, if any."""
    return next((c for c in COMMANDS if argv and c.name == argv[0]), None)


def entry() -> NoReturn:
    """The `parcours` console script: :func:`main`, then, after a one-shot command, the end
    of the process without the interpreter's teardown.

    The teardown frees one by one every object still alive — on a large journey millions
    of nodes, models and findings: a quarter of the CPU time of `parcours check` on the
    2,000-question journey (docs/benchmarks.md). The operating system takes the memory back
    at once. What must happen at exit still does: the functions registered with atexit
    (logging's flush, temporary folders' removal), then the flush of the output.
    """
    argv = sys.argv[1:]
    status = main(argv)
    command = _command(argv)
    if command is None or command.long_running:
        sys.exit(status)
    atexit._run_exitfuncs()
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except BrokenPipeError:  # the reader left (`parcours check … | head`): nothing to say
        pass
    os._exit(status)


if __name__ == "__main__":  # pragma: no cover
    entry()
