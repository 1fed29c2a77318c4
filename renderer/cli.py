"""The renderer's commands: ``parcours serve`` and ``parcours export``.

``designer/cli.py`` wires them lazily (the designer never imports the renderer at start-up):
``add_serve_arguments(parser)`` / ``run_serve(namespace)`` and ``add_export_arguments(parser)``
/ ``run_export(namespace)``. Both return a process exit code.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import os
import sys
from pathlib import Path
from typing import Any, TextIO

DEFAULT_DB = "sqlite:///parcours.db"


def add_serve_arguments(parser: argparse.ArgumentParser) -> None:
    """Arguments of ``parcours serve [PATH] --host --port --db --reload``."""
    parser.add_argument("path", nargs="?", default="journeys",
                        help="a folder of journeys or one journey file (default: journeys)")
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on")
    parser.add_argument("--port", type=int, default=8000, help="port to listen on")
    parser.add_argument("--db", default=DEFAULT_DB,
                        help="sqlite:///FILE (default) or postgresql://HOST/DB")
    parser.add_argument("--reload", action="store_true",
                        help="re-read the journey files on each request (while editing them)")
    parser.add_argument("--smtp", default=None, metavar="URL",
                        help="send e-mails through smtp://HOST:PORT (default: PARCOURS_SMTP_URL; "
                        "without one, .eml files are written to PARCOURS_MAIL_DIR or "
                        "./parcours-mail)")


def _app_or_error(path: str, db: str, reload: bool, err: TextIO,
                  smtp: str | None = None, base_url: str | None = None) -> Any:
    from renderer.app import create_app
    from renderer.backoffice.delivery import BadSmtpUrl
    from renderer.store import StoreError

    if not Path(path).exists():
        print(f"parcours serve: {path}: no such file or folder", file=err)
        return None
    try:
        app = create_app(path, db_url=db, reload=reload, smtp_url=smtp, base_url=base_url,
                         mail_dir=os.environ.get("PARCOURS_MAIL_DIR") or "parcours-mail")
    except (StoreError, BadSmtpUrl) as exc:
        print(f"parcours serve: {exc}", file=err)
        return None
    return app


def run_serve(args: argparse.Namespace, err: TextIO | None = None) -> int:
    """Serve every valid journey of ``args.path``; say which are not served and why."""
    import uvicorn

    err = err or sys.stderr
    # Links in e-mails: the public address behind a proxy, else where this process listens.
    base_url = os.environ.get("PARCOURS_BASE_URL") or f"http://{args.host}:{args.port}"
    app = _app_or_error(args.path, args.db, args.reload, err, getattr(args, "smtp", None),
                        base_url)
    if app is None:
        return 2
    catalog = app.state.parcours.catalog
    for refused in catalog.refused:
        print(f"not served: {refused.file}", file=err)
        for reason in refused.reasons[:10]:
            print(f"  {reason}", file=err)
    if not catalog.entries:
        print("parcours serve: no valid journey to serve", file=err)
        return 1
    for entry in catalog.entries.values():
        print(f"serving /{entry.id}/ ({entry.file})", file=err)
    print(f"Parcours on http://{args.host}:{args.port}/ (database {_safe_url(args.db)})",
          file=err)
    uvicorn.run(app, host=args.host, port=args.port, log_level="warning",
                proxy_headers=True)
    return 0


def _safe_url(url: str) -> str:
    """A database URL without its password, for messages."""
    if "@" in url and "://" in url:
        scheme, rest = url.split("://", 1)
        return f"{scheme}://…@{rest.split('@', 1)[1]}"
    return url


def add_export_arguments(parser: argparse.ArgumentParser) -> None:
    """Arguments of ``parcours export --journey ID --format csv|json``."""
    parser.add_argument("--journey", required=True, help="the journey id whose dossiers to export")
    parser.add_argument("--format", choices=["csv", "json"], default="json")
    parser.add_argument("--db", default=DEFAULT_DB,
                        help="sqlite:///FILE (default) or postgresql://HOST/DB")
    parser.add_argument("--output", "-o", default="-", help="file to write (default: stdout)")


def export_rows(db: str, journey_id: str) -> list[dict[str, Any]]:
    """The dossiers of a journey as plain dicts (reference, date, version, answers)."""
    from renderer.forms import decode, export_value
    from renderer.store import Store

    store = Store(db)
    rows = []
    for s in store.submissions(journey_id):
        payload = decode(s.answers)
        rows.append({
            "reference": s.reference,
            "submitted_at": s.created_at,
            "journey": s.journey_id,
            "journey_version": s.journey_hash,
            "language": s.lang,
            "outcome": payload.get("outcome"),
            "answers": export_value(payload.get("answers", {})),
        })
    store.close()
    return rows


def _flatten(prefix: str, value: Any, out: dict[str, str]) -> None:
    if isinstance(value, dict):
        for k, v in value.items():
            _flatten(f"{prefix}.{k}" if prefix else str(k), v, out)
    elif isinstance(value, list):
        if all(not isinstance(v, dict | list) for v in value):
            out[prefix] = ";".join("" if v is None else str(v) for v in value)
        else:
            for i, v in enumerate(value):
                _flatten(f"{prefix}.{i}", v, out)
    elif isinstance(value, bool):
        out[prefix] = "true" if value else "false"
    else:
        out[prefix] = "" if value is None else str(value)


def to_csv(rows: list[dict[str, Any]]) -> str:
    """One line per dossier; one column per answer (``enfants.0.prenom`` for repeat items)."""
    flat = []
    for row in rows:
        line = {k: str(v) for k, v in row.items() if k != "answers"}
        answers: dict[str, str] = {}
        _flatten("", row["answers"], answers)
        line.update(answers)
        flat.append(line)
    columns: list[str] = []
    for line in flat:
        for key in line:
            if key not in columns:
                columns.append(key)
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=columns, lineterminator="\n")
    writer.writeheader()
    for line in flat:
        # A cell starting with = + - @ would be a formula in a spreadsheet: defuse it.
        writer.writerow({k: ("'" + v if v[:1] in ("=", "+", "-", "@") else v)
                         for k, v in line.items()})
    return buffer.getvalue()


def run_export(args: argparse.Namespace, out: TextIO | None = None,
               err: TextIO | None = None) -> int:
    """Write the dossiers of a journey as CSV or JSON."""
    from renderer.store import StoreError

    err = err or sys.stderr
    try:
        rows = export_rows(args.db, args.journey)
    except StoreError as exc:
        print(f"parcours export: {exc}", file=err)
        return 2
    text = to_csv(rows) if args.format == "csv" else json.dumps(
        rows, ensure_ascii=False, indent=2) + "\n"
    if args.output == "-":
        (out or sys.stdout).write(text)
    else:
        Path(args.output).write_text(text, encoding="utf-8")
        print(f"{len(rows)} dossier(s) written to {args.output}", file=err)
    return 0


def serve(args: list[str] | None = None) -> int:
    """``python -m renderer.cli [PATH] ...``: serve without the designer's command line."""
    parser = argparse.ArgumentParser(prog="parcours serve")
    add_serve_arguments(parser)
    return run_serve(parser.parse_args(args))


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(serve())
