"""``parcours token`` (the services' API tokens) and ``parcours webhooks`` (their log).

``parcours token add --service ID [--label TEXT]`` prints the new token once: the database
keeps only its hash, so a lost token is revoked and replaced, never shown again.
``parcours token list`` and ``parcours token revoke ID``; ``parcours webhooks log`` prints
the latest delivery attempts (docs/api.md).
"""

from __future__ import annotations

import argparse
import sys
from typing import TextIO

from renderer.backoffice.cli import unknown_services
from renderer.cli import DEFAULT_DB


def _db(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--db", default=DEFAULT_DB, help="sqlite:///FILE (default) or postgresql://HOST/DB"
    )


def add_token_arguments(parser: argparse.ArgumentParser) -> None:
    """Arguments of ``parcours token add|list|revoke``."""
    sub = parser.add_subparsers(dest="action", metavar="ACTION")
    add = sub.add_parser("add", help="create a token of a service (printed once)")
    add.add_argument(
        "--service",
        required=True,
        metavar="ID",
        help="the service whose dossiers the token reads and processes",
    )
    add.add_argument("--label", default="", help="what uses it, e.g. 'SIG de la voirie'")
    add.add_argument(
        "--journeys",
        default="journeys",
        help="the journeys folder whose organisation.yaml declares the services",
    )
    _db(add)
    _db(sub.add_parser("list", help="list the tokens (never the tokens themselves)"))
    revoke = sub.add_parser("revoke", help="revoke a token by its id")
    revoke.add_argument("id", metavar="ID")
    _db(revoke)


def run_token(
    args: argparse.Namespace, out: TextIO | None = None, err: TextIO | None = None
) -> int:
    """Run ``parcours token``; 0 on success, 1 when refused, 2 when it cannot run."""
    from renderer.store import Store, StoreError

    from .tokens import Tokens

    out, err = out or sys.stdout, err or sys.stderr
    if args.action is None:
        print("parcours token: say add, list or revoke (parcours token add --service ID)", file=err)
        return 2
    try:
        tokens = Tokens(Store(args.db))
    except StoreError as exc:
        print(f"parcours token: {exc}", file=err)
        return 2
    if args.action == "list":
        for t in tokens.all():
            state = f"revoked {t.revoked_at[:16]}" if t.revoked_at else "active"
            used = t.last_used_at[:16] if t.last_used_at else "never used"
            print(f"{t.id}\t{t.service}\t{t.label}\t{state}\t{used}", file=out)
        return 0
    if args.action == "revoke":
        if not tokens.revoke(args.id):
            print(f"parcours token: no active token {args.id}", file=err)
            return 1
        print(f"jeton révoqué / token revoked: {args.id}", file=out)
        return 0
    unknown, where = unknown_services([args.service], args.journeys)
    if unknown:
        print(f"parcours token: unknown service {args.service} (not in {where})", file=err)
        return 1
    record, token = tokens.add(args.service, args.label)
    print(f"jeton créé / token created: {record.id} ({record.service})", file=err)
    print(
        "Copiez-le maintenant, il ne sera plus affiché / copy it now, it is not shown again:",
        file=err,
    )
    print(token, file=out)
    return 0


def add_webhooks_arguments(parser: argparse.ArgumentParser) -> None:
    """Arguments of ``parcours webhooks log [--service ID] [--limit N]``."""
    sub = parser.add_subparsers(dest="action", metavar="ACTION")
    log = sub.add_parser("log", help="the latest delivery attempts, newest first")
    log.add_argument("--service", default=None, metavar="ID", help="of this service only")
    log.add_argument("--limit", type=int, default=50, help="how many attempts (50)")
    _db(log)


def run_webhooks(
    args: argparse.Namespace, out: TextIO | None = None, err: TextIO | None = None
) -> int:
    """Run ``parcours webhooks log``; 0 on success, 2 when it cannot run."""
    from renderer.store import Store, StoreError

    from .webhooks import deliveries

    out, err = out or sys.stdout, err or sys.stderr
    if args.action is None:
        print("parcours webhooks: say log (parcours webhooks log --limit 20)", file=err)
        return 2
    try:
        store = Store(args.db)
    except StoreError as exc:
        print(f"parcours webhooks: {exc}", file=err)
        return 2
    for d in deliveries(store, max(1, min(args.limit, 10_000)), args.service):
        answer = d.error or f"HTTP {d.status_code}"
        print(
            f"{d.at[:19]}\t{d.service}\t{d.event}\t{d.reference}\t#{d.attempt}\t"
            f"{answer}\t{d.duration_ms} ms\t{d.url}",
            file=out,
        )
    return 0
