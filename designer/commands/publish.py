"""`parcours publish`: the publication workflow from the command line (docs/publication.md).

::

    parcours publish --adopt DIR        turn the workflow on (the clean journeys are published)
    parcours publish --status PATH      where each journey stands
    parcours publish --submit JOURNEY   draft → ready for review
    parcours publish --withdraw JOURNEY ready for review → draft
    parcours publish --unpublish JOURNEY take the published version offline
    parcours publish JOURNEY            publish (its user is the reviewer)

Publishing and submitting are refused, with the errors listed, while `parcours check`
finds an error (exit status 1).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from designer.commands.report import CANNOT_RUN, HAS_ERRORS, OK


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """`parcours publish [--adopt | --status | --submit | --withdraw] PATH`."""
    parser.add_argument(
        "path", metavar="PATH", help="a journey file (a folder for --adopt and --status)"
    )
    action = parser.add_mutually_exclusive_group()
    action.add_argument(
        "--adopt",
        action="store_true",
        help="turn the workflow on in the folder PATH: each journey without "
        "error is published as it is",
    )
    action.add_argument(
        "--status", action="store_true", help="say where each journey of PATH stands"
    )
    action.add_argument("--submit", action="store_true", help="mark the journey ready for review")
    action.add_argument(
        "--withdraw", action="store_true", help="take the journey back from review (a draft again)"
    )
    action.add_argument(
        "--unpublish",
        action="store_true",
        help="take the published version offline: parcours serve no longer serves the journey "
        "(the draft is kept)",
    )


def _files(path: Path) -> list[Path]:
    from designer.publication import folder_journeys

    return [path] if path.is_file() else folder_journeys(path)


def _say_status(files: list[Path]) -> None:
    from designer.publication import status

    for file in files:
        p = status(file)
        if not p.workflow:
            print(f"{file}: the folder does not use the publication workflow")
            continue
        words = {"draft": "draft", "review": "ready for review", "published": "published"}
        line = f"{file}: {words[p.status.value]}"
        if p.changed_since_submitted:
            line += " (changed since it was submitted for review)"
        if p.has_published:
            line += f"; published version of {p.published_at or '?'}"
            if p.unpublished_changes:
                line += ", with unpublished changes"
        elif p.unpublished_at:
            line += f"; offline since {p.unpublished_at} (unpublished)"
        else:
            line += "; never published"
        print(line)


def run(args: argparse.Namespace) -> int:
    """0 done, 1 refused (errors, or a transition that does not apply), 2 cannot run."""
    from designer.publication import (
        PublicationError,
        adopt,
        publish,
        submit,
        unpublish,
        withdraw,
    )

    path = Path(args.path)
    if not path.exists():
        print(f"parcours publish: no such file or folder: {path}", file=sys.stderr)
        return CANNOT_RUN
    if (args.adopt or args.status) != path.is_dir():
        what = "a folder" if args.adopt or args.status else "a journey file"
        print(f"parcours publish: {path}: expected {what}", file=sys.stderr)
        return CANNOT_RUN
    try:
        if args.status:
            _say_status(_files(path))
            return OK
        if args.adopt:
            drafts = adopt(path)
            print(f"{path}: uses the publication workflow now")
            for file, errors in drafts:
                print(f"  {file}: not published ({len(errors)} error(s)); a draft")
            _say_status(_files(path))
            return OK
        if args.submit:
            submit(path)
        elif args.withdraw:
            withdraw(path)
        elif args.unpublish:
            unpublish(path)
        else:
            publish(path, require_review=False)
    except PublicationError as exc:
        print(f"parcours publish: {exc}", file=sys.stderr)
        for f in exc.findings:
            print(f"  {f.file}:{f.line}:{f.column}: {f.rule}: {f.message}", file=sys.stderr)
        return HAS_ERRORS
    _say_status([path])
    return OK
