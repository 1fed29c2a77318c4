"""`parcours import FILE`: a form made with another tool (XLSForm, XGov/DEFRA, DLUHC CORE)
as a journey, with notes on what could not be carried over.

The module is ``import_`` because ``import`` is a Python keyword; the command is
``parcours import``.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from designer.importers import FORMATS, ImportRefused, import_file


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """`parcours import FILE [-o FILE] [--from FORMAT]`."""
    parser.add_argument("file", type=Path, help="the form to import (.xlsx, .md, .json, .yaml)")
    parser.add_argument(
        "-o", "--output", type=Path, default=None,
        help="where to write the journey (default: print it)",
    )
    parser.add_argument(
        "--from", dest="source_format", choices=FORMATS, default=None,
        help="the source format (default: detected)",
    )


def run(args: argparse.Namespace) -> int:
    """Run `parcours import`: 0 when imported, 1 when refused, 2 on a usage error."""
    from designer.importers.writer import to_yaml

    path: Path = args.file
    output: Path | None = getattr(args, "output", None)
    fmt: str | None = getattr(args, "source_format", None)
    if fmt is not None and fmt not in FORMATS:
        print(f"parcours import: unknown format {fmt!r} (use {', '.join(FORMATS)})",
              file=sys.stderr)
        return 2
    try:
        result = import_file(path, fmt)
    except ImportRefused as exc:
        print(f"parcours import: refused: {exc}", file=sys.stderr)
        return 1
    except (OSError, UnicodeDecodeError) as exc:
        print(f"parcours import: cannot read {path}: {exc}", file=sys.stderr)
        return 1
    except Exception as exc:  # noqa: BLE001 - bad input is expected input: never a traceback
        print(
            f"parcours import: refused: {path.name} has a shape the importer does not expect "
            f"({type(exc).__name__}: {exc}); check --from, or report the file",
            file=sys.stderr,
        )
        return 1
    text = to_yaml(result, output, source=path.name)
    if output is None:
        sys.stdout.write(text)
    else:
        try:
            output.write_text(text, encoding="utf-8")
        except OSError as exc:
            print(f"parcours import: cannot write {output}: {exc}", file=sys.stderr)
            return 1
    stats = result.stats
    print(
        f"{path.name} ({result.source_format}): {stats.questions} questions, "
        f"{stats.conditions_translated}/{stats.conditions} conditions translated, "
        f"{stats.computed_translated}/{stats.computed} calculations, "
        f"{len(result.notes)} import notes",
        file=sys.stderr,
    )
    for note in result.notes:
        print(f"  {note.source_ref}: {note.what} — {note.reason}", file=sys.stderr)
    return 0
