"""The renderer's commands: ``parcours serve``, ``parcours export`` and ``parcours backup``.

``designer/cli.py`` wires them lazily (the designer never imports the renderer at start-up):
``add_serve_arguments(parser)`` / ``run_serve(namespace)``, ``add_export_arguments`` /
``run_export`` and ``add_backup_arguments`` / ``run_backup``. Each returns an exit code.

``serve`` reads its settings from ``--config FILE`` (or ``$PARCOURS_CONFIG``), then the
``PARCOURS_*`` environment variables, then its options (docs/operations.md). It binds the
port before it says anything is served, and with ``--workers N`` runs N processes on that
one socket (uvicorn's supervisor), each building the app from the same settings.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import os
import socket
import sys
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

if TYPE_CHECKING:
    from renderer.config import Settings

DEFAULT_DB = "sqlite:///parcours.db"


def add_serve_arguments(parser: argparse.ArgumentParser) -> None:
    """Arguments of ``parcours serve [PATH] --host --port --db --workers --config --reload``
    (each one overrides the file and the environment; docs/operations.md lists them all)."""
    parser.add_argument("path", nargs="?", default=None,
                        help="a folder of journeys or one journey file "
                             "(default: $PARCOURS_JOURNEYS, or journeys)")
    parser.add_argument("--host", default=None, help="address to listen on (127.0.0.1)")
    parser.add_argument("--port", type=int, default=None, help="port to listen on (8000)")
    parser.add_argument("--db", default=None,
                        help="sqlite:///FILE (default sqlite:///parcours.db) or "
                             "postgresql://HOST/DB")
    parser.add_argument("--workers", type=int, default=None,
                        help="web processes sharing the port (1)")
    parser.add_argument("--public-url", default=None,
                        help="the address citizens use, e.g. https://demarches.example.fr")
    parser.add_argument("--config", default=None,
                        help="a TOML file of settings (default: $PARCOURS_CONFIG)")
    parser.add_argument("--reload", action="store_true",
                        help="re-read the journey files on each request (while editing them)")
    parser.add_argument("--smtp", default=None, metavar="URL",
                        help="send e-mails through smtp://HOST:PORT (default: PARCOURS_SMTP_URL; "
                        "without one, .eml files are written to PARCOURS_MAIL_DIR or "
                        "./parcours-mail)")
    parser.add_argument("--dev-providers", action="store_true", default=None,
                        help="start the FranceConnect and API Particulier/Entreprise stand-ins "
                             "with the server and connect to them (test data; never in "
                             "production)")


def _settings(args: argparse.Namespace, err: TextIO) -> Settings | None:
    from renderer.config import ConfigError, load

    try:
        return load(args.config, overrides={
            "journeys": args.path, "host": args.host, "port": args.port,
            "database_url": args.db, "workers": args.workers, "public_url": args.public_url,
            "reload": args.reload or None, "smtp_url": getattr(args, "smtp", None),
            "dev_providers": getattr(args, "dev_providers", None),
        })
    except ConfigError as exc:
        print(f"parcours serve: {exc}", file=err)
        return None


def _app_or_error(settings: Settings, err: TextIO) -> Any:
    from renderer.app import create_app
    from renderer.backoffice.delivery import BadSmtpUrl
    from renderer.store import StoreError

    if not Path(settings.journeys).exists():
        print(f"parcours serve: {settings.journeys}: no such file or folder", file=err)
        return None
    try:
        app = create_app(settings.journeys, reload=settings.reload, settings=settings,
                         mail_dir=mail_dir())
    except (StoreError, BadSmtpUrl) as exc:
        print(f"parcours serve: {exc}", file=err)
        return None
    return app


def app_from_environment() -> Any:
    """The app of one worker process of ``serve --workers N`` (settings from PARCOURS_*)."""
    from renderer.app import create_app
    from renderer.config import load

    settings = load()
    return create_app(settings.journeys, reload=settings.reload, settings=settings,
                      mail_dir=mail_dir())


def mail_dir() -> str:
    """Where `parcours serve` writes the notifications as .eml files when no SMTP server is
    configured, so that the main command works on a fresh machine."""
    return os.environ.get("PARCOURS_MAIL_DIR") or "parcours-mail"


def _bind(host: str, port: int) -> socket.socket:
    """The listening socket, bound before anything says the server is there."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    # No SO_REUSEADDR trick beyond the usual: a port that another server holds is refused.
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError:
        sock.close()
        raise
    sock.listen(2048)
    sock.set_inheritable(True)
    return sock


def _dev_providers(settings: Settings, port: int, err: TextIO) -> tuple[Settings, Any]:
    """``settings`` connected to the stand-ins started for a server on ``port`` (their
    callbacks registered under 127.0.0.1, localhost and the public URL), and the running
    stand-ins; (``settings``, None) when ``--dev-providers`` is off."""
    if not settings.dev_providers:
        return settings, None
    from renderer.providers.dev import start_dev_providers

    urls = [f"http://127.0.0.1:{port}", f"http://localhost:{port}"]
    if settings.public_url:
        urls.append(settings.public_url)
    dev = start_dev_providers(urls)
    print(f"FranceConnect stand-in on {dev.values['franceconnect_issuer']} (sign in as "
          f"test / 123), API Particulier/Entreprise stand-in on "
          f"{dev.values['api_particulier_url']}", file=err)
    return dev.connect(settings), dev


def run_serve(args: argparse.Namespace, err: TextIO | None = None) -> int:
    """Serve every valid journey of the journeys folder; say which are not served and why."""
    err = err or sys.stderr
    settings = _settings(args, err)
    if settings is None:
        return 2
    try:
        sock = _bind(settings.host, settings.port)
    except OSError as exc:
        print(f"parcours serve: cannot listen on {settings.host}:{settings.port}: "
              f"{exc.strerror or exc}", file=err)
        return 2
    # Port 0 asks the system for a free one: the address said below is the one bound.
    port = int(sock.getsockname()[1])
    try:
        settings, dev = _dev_providers(settings, port, err)
    except FileNotFoundError as exc:
        print(f"parcours serve: --dev-providers: {exc}", file=err)
        sock.close()
        return 2
    try:
        return _serve(settings, sock, port, err)
    finally:
        if dev is not None:
            dev.stop()


def _serve(settings: Settings, sock: socket.socket, port: int, err: TextIO) -> int:
    """Serve on the bound socket until stopped (``--workers N``: N processes on it)."""
    import uvicorn

    from renderer.observe import configure_logging

    configure_logging(settings.log_level, settings.json_logs)
    if settings.workers > 1:
        # Set before the workers start (they import prometheus_client afresh).
        os.environ.setdefault("PROMETHEUS_MULTIPROC_DIR",
                              tempfile.mkdtemp(prefix="parcours-metrics-"))
    app = _app_or_error(settings, err)
    if app is None:
        sock.close()
        return 2
    catalog = app.state.parcours.catalog
    for refused in catalog.refused:
        print(f"not served: {refused.file}", file=err)
        for reason in refused.reasons[:10]:
            print(f"  {reason}", file=err)
    if not catalog.entries:
        print("parcours serve: no valid journey to serve", file=err)
        sock.close()
        return 1
    for entry in catalog.entries.values():
        print(f"serving /{entry.id}/ ({entry.file}"
              f"{', its published version' if entry.published else ''})", file=err)
    address = settings.public_url or f"http://{settings.host}:{port}"
    print(f"Parcours on {address}/ (database {_safe_url(settings.database_url)}, "
          f"{settings.workers} worker(s))", file=err, flush=True)
    common: dict[str, Any] = {
        "log_level": "warning", "proxy_headers": True,
        "forwarded_allow_ips": ",".join(settings.trusted_proxies),
        "access_log": False, "lifespan": "on",
    }
    if settings.workers == 1:
        server = uvicorn.Server(uvicorn.Config(app, **common))
        server.run(sockets=[sock])
        return 0
    from uvicorn.supervisors import Multiprocess

    app.state.parcours.store.close()
    os.environ.update(settings.environment())
    config = uvicorn.Config("renderer.cli:app_from_environment", factory=True,
                            workers=settings.workers, **common)
    Multiprocess(config, sockets=[sock]).run()
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
    from renderer.answers import exported
    from renderer.store import Store

    store = Store(db)
    rows = [exported(s) for s in store.submissions(journey_id)]
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


def add_backup_arguments(parser: argparse.ArgumentParser) -> None:
    """Arguments of ``parcours backup OUTPUT --db``."""
    parser.add_argument("output", help="the new SQLite file to write (its files beside it)")
    parser.add_argument("--db", default=None,
                        help="sqlite:///FILE (default: $PARCOURS_DATABASE_URL, or "
                             "sqlite:///parcours.db)")
    parser.add_argument("--config", default=None, help="a TOML file of settings")


def run_backup(args: argparse.Namespace, err: TextIO | None = None) -> int:
    """Copy the live SQLite store (online backup API) and its files; restore = put it back."""
    from renderer.config import ConfigError, load
    from renderer.maintenance import backup
    from renderer.store import StoreError

    err = err or sys.stderr
    try:
        settings = load(args.config, overrides={"database_url": args.db})
        copied = backup(settings.database_url, args.output, settings.files_dir or None)
    except (ConfigError, StoreError) as exc:
        print(f"parcours backup: {exc}", file=err)
        return 2
    print(f"backup written to {args.output} ({copied} file(s) beside it)", file=err)
    return 0


def serve(args: list[str] | None = None) -> int:
    """``python -m renderer.cli [PATH] ...``: serve without the designer's command line."""
    parser = argparse.ArgumentParser(prog="parcours serve")
    add_serve_arguments(parser)
    return run_serve(parser.parse_args(args))


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(serve())
