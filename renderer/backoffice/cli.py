"""``parcours agent``: create and list the back office's agents.

``parcours agent add EMAIL --service ID [--service ID…] [--role instructeur|administrateur]``
(or ``--role mediateur --structure NAME`` for a mediator of a France Services desk, an
association…) reads the password from standard input (one line; asked twice, hidden, on a
terminal), so that it never appears in the shell's history or the process list. Service ids
are checked against the organisation file of the journeys folder.
"""

from __future__ import annotations

import argparse
import getpass
import sys
from pathlib import Path
from typing import TextIO

from renderer.cli import DEFAULT_DB

from .accounts import INSTRUCTEUR, ROLES, AccountError, Accounts


def add_agent_arguments(parser: argparse.ArgumentParser) -> None:
    """Arguments of ``parcours agent add|list``."""
    sub = parser.add_subparsers(dest="action", metavar="ACTION")
    add = sub.add_parser("add", help="create an agent (password read from standard input)")
    add.add_argument("email", metavar="EMAIL")
    add.add_argument("--service", action="append", default=[], metavar="ID",
                     help="a service the agent instructs (repeatable)")
    add.add_argument("--role", choices=ROLES, default=INSTRUCTEUR)
    add.add_argument("--structure", metavar="NAME", default=None,
                     help="a mediateur's structure (e.g. \"France Services Tours Nord\")")
    add.add_argument("--journeys", default="journeys",
                     help="the journeys folder whose organisation.yaml declares the services")
    add.add_argument("--db", default=DEFAULT_DB,
                     help="sqlite:///FILE (default) or postgresql://HOST/DB")
    listing = sub.add_parser("list", help="list the agents")
    listing.add_argument("--db", default=DEFAULT_DB,
                         help="sqlite:///FILE (default) or postgresql://HOST/DB")


def _password(stdin: TextIO, err: TextIO) -> str | None:
    if stdin.isatty():
        first = getpass.getpass("Mot de passe / Password: ")
        if getpass.getpass("Encore une fois / Again: ") != first:
            print("parcours agent: the two passwords differ", file=err)
            return None
        return first
    return stdin.readline().rstrip("\r\n")


def unknown_services(services: list[str], journeys: str) -> tuple[list[str], str | None]:
    """Services not declared by the organisation file of ``journeys`` and the file (or the
    reason it cannot say)."""
    from designer.files import ORGANISATION_FILE
    from designer.organisation import load_organisation

    folder = Path(journeys)
    file = folder / ORGANISATION_FILE if folder.is_dir() else folder.parent / ORGANISATION_FILE
    if not file.is_file():
        return [], None
    loaded = load_organisation(file)
    if loaded.organisation is None:
        return list(services), f"{file}, which is not valid: run `parcours check {file}`"
    known = loaded.organisation.services
    return [s for s in services if s not in known], str(file)


def run_agent(args: argparse.Namespace, stdin: TextIO | None = None,
              out: TextIO | None = None, err: TextIO | None = None) -> int:
    """Run ``parcours agent``; 0 on success, 1 when refused, 2 when it cannot run."""
    from renderer.store import Store, StoreError

    stdin, out, err = stdin or sys.stdin, out or sys.stdout, err or sys.stderr
    if args.action is None:
        print("parcours agent: say add or list (parcours agent add EMAIL --service ID)",
              file=err)
        return 2
    try:
        store = Store(args.db)
    except StoreError as exc:
        print(f"parcours agent: {exc}", file=err)
        return 2
    accounts = Accounts(store)
    if args.action == "list":
        for agent in accounts.all():
            scope = agent.structure or ",".join(sorted(agent.services))
            print(f"{agent.email}\t{agent.role}\t{scope}", file=out)
        return 0
    unknown, where = unknown_services(args.service, args.journeys)
    if unknown:
        print(f"parcours agent: unknown service(s) {', '.join(unknown)} (not in {where})",
              file=err)
        return 1
    password = _password(stdin, err)
    if password is None:
        return 1
    try:
        agent = accounts.add(args.email, password, args.role, args.service, args.structure)
    except AccountError as exc:
        print(f"parcours agent: {exc}", file=err)
        return 1
    services = (agent.structure if agent.is_mediator else
                ", ".join(sorted(agent.services)) or "toute l'organisation")
    print(f"agent créé : {agent.email} ({agent.role} — {services})", file=out)
    return 0


def add_purge_arguments(parser: argparse.ArgumentParser) -> None:
    """Arguments of ``parcours purge [PATH] --db URL --config FILE [--dry-run]``."""
    parser.add_argument("path", nargs="?", default="journeys",
                        help="the journeys whose `retention` applies (default: journeys)")
    parser.add_argument("--db", default=None,
                        help="sqlite:///FILE or postgresql://HOST/DB (default: "
                             "$PARCOURS_DATABASE_URL, or sqlite:///parcours.db)")
    parser.add_argument("--config", default=None,
                        help="the server's TOML file of settings (its files folder or object "
                             "storage, whose files the purge deletes too)")
    parser.add_argument("--dry-run", action="store_true",
                        help="say what would be deleted, delete nothing")


def run_purge(args: argparse.Namespace, out: TextIO | None = None,
              err: TextIO | None = None) -> int:
    """Run ``parcours purge``: delete what is past its retention, and say what."""
    from designer.check import NoSuchPath, journey_files
    from designer.loading import load_journey
    from renderer.config import ConfigError, load
    from renderer.objects import open_objects
    from renderer.purge import purge, retention_of
    from renderer.store import Store, StoreError

    out, err = out or sys.stdout, err or sys.stderr
    try:
        files = journey_files([args.path])
        settings = load(args.config, overrides={"database_url": args.db})
        store = Store(settings.database_url, files_dir=settings.files_dir or None,
                      objects=open_objects(settings.objects()))
    except NoSuchPath as exc:
        print(f"parcours purge: no such file or folder: {exc}", file=err)
        return 2
    except (ConfigError, StoreError) as exc:
        print(f"parcours purge: {exc}", file=err)
        return 2
    loaded = [load_journey(file, analyses=[]).journey for file in files]
    retention = retention_of(j.model for j in loaded if j is not None)
    done = purge(store, retention, dry_run=args.dry_run)
    verb = "would delete" if args.dry_run else "deleted"
    for reference, journey, decided in done.dossiers:
        print(f"{verb} dossier {reference} ({journey}, decided {decided[:10]})", file=out)
    print(f"{verb} {len(done.dossiers)} dossier(s), {done.drafts} expired draft(s), "
          f"{done.files} file(s), {done.mandates} mandate(s)", file=out)
    store.close()
    return 0
