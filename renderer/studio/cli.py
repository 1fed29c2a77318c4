"""`parcours studio [DIR]`: serve the studio on the loopback with a fresh access token."""

from __future__ import annotations

import argparse
import gc
import secrets
import sys
from pathlib import Path


def add_studio_arguments(parser: argparse.ArgumentParser) -> None:
    """Arguments of `parcours studio`."""
    parser.add_argument("folder", nargs="?", default=".", metavar="DIR",
                        help="the folder of journeys (default: the current folder)")
    parser.add_argument("--host", default="127.0.0.1",
                        help="address to listen on (default: 127.0.0.1, this machine only)")
    parser.add_argument("--port", type=int, default=8765, help="port (default: 8765)")
    parser.add_argument("--usage", metavar="DB_URL", default=None,
                        help="a server's database (sqlite:///FILE or postgresql://…): show "
                        "beside each journey where citizens give up and their most frequent "
                        "error")
    parser.add_argument("--threshold", type=int, default=None, metavar="N",
                        help="with --usage, counts under N are never shown (default 5)")


def studio_url(host: str, port: int, token: str) -> str:
    """The address to open, token included (printed once at start-up)."""
    shown = "127.0.0.1" if host in ("0.0.0.0", "::") else host
    return f"http://{shown}:{port}/?token={token}"


#: Allocations between two young collections (CPython's default: 700). A check of a large
#: journey makes millions of objects that live until the next check: with the default,
#: the collector runs thousands of times per check and rescans them.
YOUNG_COLLECTION_AFTER = 50_000


def settle_start_up() -> None:
    """Import every check the editor's requests run, keep what start-up made (modules, the
    models' validators, the catalogues) out of the garbage collector's reach, and let the
    collector run less often.

    The studio checks the whole journey on every pause of the designer's typing. Reference
    counting frees almost all of a check's objects; the cyclic collector only has to find
    the rare cycles, and rescanning every live object at each of its passes cost more than
    the check itself: the in-process re-check of the 2,000-question journey took a median
    773 ms of CPU with the defaults and 263 ms so, 217 ms without any collection
    (docs/benchmarks.md, the studio)."""
    from designer.loading import default_analyses

    default_analyses()
    gc.collect()
    gc.freeze()
    _, older, oldest = gc.get_threshold()
    gc.set_threshold(YOUNG_COLLECTION_AFTER, older, oldest)


def run_studio(args: argparse.Namespace) -> int:
    """Serve the studio until interrupted; 2 when the folder does not exist or the usage
    database cannot be read."""
    import uvicorn

    from renderer.studio.app import create_studio_app

    folder = Path(args.folder)
    if not folder.is_dir():
        print(f"parcours studio: no such folder: {args.folder}", file=sys.stderr)
        return 2
    usage = None
    if args.usage:
        from designer.commands.report import UsageSource
        from renderer.studio.usage import UsageOption

        problem = UsageSource(args.usage, args.threshold).problem()
        if problem is not None:
            print(f"parcours studio: {problem}", file=sys.stderr)
            return 2
        usage = UsageOption(args.usage, args.threshold)
    token = secrets.token_urlsafe(24)
    app = create_studio_app(folder, token, usage)
    settle_start_up()
    print(f"Parcours studio on {folder.resolve()}\n"
          f"Open this address (it holds the access token):\n  "
          f"{studio_url(args.host, args.port, token)}", flush=True)
    uvicorn.run(app, host=args.host, port=args.port, log_level="warning")
    return 0
