"""The table of `parcours` commands: every entry names a real module and its two functions,
only the command asked for is imported, and a mistake in the table fails loudly."""

from __future__ import annotations

import argparse
import inspect
import subprocess
import sys
from pathlib import Path

import pytest

from designer import cli

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("command", cli.COMMANDS, ids=lambda c: c.name)
def test_every_command_names_its_module_and_functions(command: cli.Command) -> None:
    add_arguments, run = command.functions()
    assert list(inspect.signature(add_arguments).parameters)[0] == "parser"
    assert list(inspect.signature(run).parameters)[0] == "args"
    parser = argparse.ArgumentParser()
    add_arguments(parser)  # declares its options without error


def test_names_are_unique_and_the_readme_lists_every_command() -> None:
    names = [c.name for c in cli.COMMANDS]
    assert len(names) == len(set(names))
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for name in names:
        assert f"| `parcours {name}" in readme, name


def test_no_package_init_defines_a_command() -> None:
    for init in [*ROOT.glob("designer/**/__init__.py"), *ROOT.glob("renderer/**/__init__.py")]:
        text = init.read_text(encoding="utf-8")
        assert "argparse" not in text, init


def test_a_misspelt_module_fails_loudly(monkeypatch: pytest.MonkeyPatch) -> None:
    typo = cli.Command("chek", "a typo", "designer.commands.chek")
    with pytest.raises(ModuleNotFoundError):
        typo.functions()
    monkeypatch.setattr(cli, "COMMANDS", (*cli.COMMANDS, typo))
    with pytest.raises(ModuleNotFoundError):
        cli.main(["chek"])


def test_a_misspelt_function_fails_loudly() -> None:
    with pytest.raises(AttributeError):
        cli.Command("serve", "a typo", "renderer.cli", run="run_serv").functions()


def test_unknown_command_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_:
        cli.main(["chekc", "journeys"])
    assert exit_.value.code == 2
    assert "invalid choice: 'chekc'" in capsys.readouterr().err


def test_help_lists_every_command_without_importing_them() -> None:
    code = (
        "import sys\n"
        "from designer import cli\n"
        "try:\n"
        "    cli.main(['--help'])\n"
        "except SystemExit:\n"
        "    pass\n"
        "loaded = sorted(c.module for c in cli.COMMANDS if c.module in sys.modules)\n"
        "print('LOADED', loaded)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         cwd=ROOT, check=True).stdout
    for command in cli.COMMANDS:
        assert command.name in out and command.help in out
    assert "LOADED []" in out


def test_check_imports_only_its_own_module() -> None:
    code = (
        "import sys\n"
        "from designer import cli\n"
        "cli.main(['check', 'journeys/signalement-voirie.yaml', '--severity', 'error'])\n"
        "print('LOADED', sorted(c.module for c in cli.COMMANDS if c.module in sys.modules))\n"
        "print('RENDERER', any(m.startswith('renderer') for m in sys.modules))\n"
        "print('Z3', 'z3' in sys.modules and 'designer.personas' in sys.modules)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         cwd=ROOT).stdout
    assert "LOADED ['designer.commands.check']" in out
    assert "RENDERER False" in out
    assert "Z3 False" in out
