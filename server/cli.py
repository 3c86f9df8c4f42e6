"""The `remember-when` command: serve the app, apply migrations."""

from __future__ import annotations

import argparse
import asyncio
import sys
from collections.abc import Sequence

from server.settings import Settings, SettingsError, load_settings


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the console script; returns the exit status."""
    parser = _parser()
    args = parser.parse_args(argv)
    try:
        settings = load_settings()
    except SettingsError as error:
        print(f"remember-when: {error}", file=sys.stderr)
        return 2
    return args.command(settings, args)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="remember-when", description=__doc__)
    commands = parser.add_subparsers(required=True, metavar="COMMAND")

    serve = commands.add_parser("serve", help="serve the web app and API")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument("--workers", type=int, default=1, help="worker processes (default 1)")
    serve.set_defaults(command=_serve)

    migrate = commands.add_parser("migrate", help="apply pending database migrations")
    migrate.set_defaults(command=_migrate)

    purge = commands.add_parser(
        "purge", help="delete memories trashed over 30 days ago, and photo files no row claims"
    )
    purge.set_defaults(command=_purge)

    demo = commands.add_parser(
        "demo", help="create a demo couple with a year and a half of memories"
    )
    demo.set_defaults(command=_demo)
    return parser


def _serve(settings: Settings, args: argparse.Namespace) -> int:
    from granian import Granian
    from granian.constants import Interfaces, Loops

    print(f"Remember When on http://{args.host}:{args.port}", file=sys.stderr)
    Granian(
        "server.app:create_app",
        factory=True,
        address=args.host,
        port=args.port,
        interface=Interfaces.ASGI,
        workers=args.workers,
        loop=Loops.uvloop,
    ).serve()
    return 0


def _migrate(settings: Settings, _: argparse.Namespace) -> int:
    from server.database import apply_migrations

    asyncio.run(apply_migrations(settings.database_url))
    print("Migrations applied.", file=sys.stderr)
    return 0


def _purge(settings: Settings, _: argparse.Namespace) -> int:
    from server.clock import system_clock
    from server.database import close_database, open_database
    from server.media_links import storage_for
    from timeline.memories import purge_trash
    from timeline.photos import sweep_orphans

    async def purge() -> tuple[int, int]:
        storage = storage_for(settings)
        await open_database(settings.database_url)
        try:
            now = system_clock()
            return await purge_trash(storage, now=now), await sweep_orphans(storage, now=now)
        finally:
            await close_database()

    memories, objects = asyncio.run(purge())
    print(f"Purged {memories} memories from the trash and {objects} orphaned files.")
    return 0


def _demo(settings: Settings, _: argparse.Namespace) -> int:
    from server.clock import system_clock
    from server.database import close_database, open_database
    from server.demo import create_demo
    from server.media_links import storage_for

    async def demo():
        await open_database(settings.database_url)
        try:
            return await create_demo(storage_for(settings), now=system_clock())
        finally:
            await close_database()

    couple = asyncio.run(demo())
    made = "Created the demo couple." if couple.created else "The demo couple already exists."
    print(
        f"{made} Log in at {settings.base_url}/login as {couple.email_a} or {couple.email_b},"
        f" password {couple.password}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
