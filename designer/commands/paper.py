"""`parcours paper JOURNEY -o form.pdf`: the printable paper form of a journey."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Arguments of ``parcours paper``."""
    parser.add_argument("file", metavar="JOURNEY", help="the journey file")
    parser.add_argument("-o", "--output", default=None,
                        help="the file to write (default: JOURNEY-ID.pdf, or .html)")
    parser.add_argument("--lang", default=None,
                        help="the language of the form (default: the journey's first)")
    parser.add_argument("--format", choices=("pdf", "html"), default="pdf")


def run(args: argparse.Namespace) -> int:
    """Write the paper form; exit 1 when the journey has errors, 2 when it cannot run."""
    from designer.loading import load_journey
    from designer.output import as_text
    from designer.paper.layout import NotPrintable, lay_out

    if not Path(args.file).is_file():
        print(f"parcours paper: no such file: {args.file}", file=sys.stderr)
        return 2
    loaded = load_journey(args.file)
    journey = loaded.journey
    if journey is None:
        print(as_text(loaded.findings, 1), file=sys.stderr)
        return 1
    if args.lang is not None and args.lang not in journey.languages:
        print(f"parcours paper: the journey is not written in {args.lang!r} "
              f"(it is in {', '.join(journey.languages)})", file=sys.stderr)
        return 2
    try:
        form = lay_out(journey, args.lang)
    except NotPrintable as exc:
        print(f"parcours paper: {exc}", file=sys.stderr)
        return 1
    output = Path(args.output or f"{journey.id}.{args.format}")
    if args.format == "html":
        from designer.paper.pdf import to_html

        output.write_text(to_html(form), encoding="utf-8")
    else:
        try:
            from designer.paper.pdf import to_pdf

            data = to_pdf(form)
        except OSError as exc:  # WeasyPrint without the system's Pango
            print(f"parcours paper: cannot make a PDF here ({exc}); install Pango "
                  "(Debian: libpango-1.0-0) or use --format html", file=sys.stderr)
            return 2
        output.write_bytes(data)
    numbered = sum(1 for part in form.parts for q in part.questions if q.number)
    print(f"{output}: {len(form.parts)} parts, {numbered} questions", file=sys.stderr)
    return 0
