"""The `remember-when` command: serve, migrate, send e-mails, check, export and import."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import signal
import socket
import sys
import uuid
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from server.common.logs import configure_logging
from server.common.settings import DEFAULT_BASE_URL, Settings, SettingsError, load_settings

if TYPE_CHECKING:
    from timeline.models import User


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the console script; returns the exit status."""
    parser = _parser()
    args = parser.parse_args(argv)
    try:
        settings = load_settings()
    except SettingsError as error:
        print(f"remember-when: {error}", file=sys.stderr)
        return 2
    configure_logging(settings.log_format)
    return args.command(settings, args)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="remember-when", description=__doc__)
    commands = parser.add_subparsers(required=True, metavar="COMMAND")

    serve = commands.add_parser("serve", help="serve the web app and API")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument("--workers", type=int, default=1, help="worker processes (default 1)")
    serve.add_argument(
        "--no-scheduler",
        action="store_true",
        help="leave the e-mail pass to `remember-when worker` processes",
    )
    serve.set_defaults(command=_serve)

    send = commands.add_parser("send-due-emails", help="one e-mail pass, then exit")
    send.add_argument(
        "--at",
        type=_instant,
        default=None,
        help="the instant of the pass, ISO 8601 with an offset (default: now)",
    )
    send.set_defaults(command=_send_due_emails)

    worker = commands.add_parser(
        "worker", help="run the e-mail pass every minute (and the daily purge), no web server"
    )
    worker.set_defaults(command=_worker)

    inbound = commands.add_parser(
        "inbound", help="receive replies to letters by e-mail (SMTP, or LMTP) onto their memory"
    )
    inbound.add_argument("--host", default="127.0.0.1")
    inbound.add_argument("--port", type=int, default=2525)
    inbound.add_argument(
        "--lmtp", action="store_true", help="speak LMTP, for a mail server's transport"
    )
    inbound.set_defaults(command=_inbound)

    migrate = commands.add_parser("migrate", help="apply pending database migrations")
    migrate.set_defaults(command=_migrate)

    purge = commands.add_parser(
        "purge",
        help="delete memories trashed over 30 days ago, shared photos nobody saved within a "
        "day, and photo files no row claims",
    )
    purge.set_defaults(command=_purge)

    export = commands.add_parser("export", help="write a timeline's archive (zip) to a file")
    export.add_argument("--timeline", required=True, type=uuid.UUID, help="the timeline's id")
    export.add_argument("--out", required=True, type=Path, help="the zip file to write")
    export.set_defaults(command=_export)

    bring = commands.add_parser(
        "import", help="bring in an archive made by export, or a folder of photos"
    )
    bring.add_argument("source", type=Path, help="an export's .zip, or a folder of photos")
    bring.add_argument("--owner", required=True, help="e-mail of the account it goes to")
    bring.add_argument("--partner", help="e-mail of the account of the archive's second member")
    bring.add_argument(
        "--timeline", type=uuid.UUID, help="for a folder: the timeline to add its photos to"
    )
    bring.set_defaults(command=_import)

    check = commands.add_parser(
        "check", help="validate the settings and reach each backend, a line per part"
    )
    check.set_defaults(command=_check)

    demo = commands.add_parser(
        "demo", help="create a demo couple with a year and a half of memories"
    )
    demo.set_defaults(command=_demo)
    return parser


def _instant(text: str) -> datetime:
    try:
        instant = datetime.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not an ISO 8601 instant: {text!r}") from None
    if instant.tzinfo is None:
        raise argparse.ArgumentTypeError(f"give the instant an offset, as in {text}+00:00")
    return instant.astimezone(UTC)


def _serve(settings: Settings, args: argparse.Namespace) -> int:
    from granian import Granian
    from granian.constants import Interfaces, Loops

    if args.no_scheduler:
        # The app processes granian starts read their settings from the environment.
        os.environ["SCHEDULER"] = "off"

    if not _port_free(args.host, args.port):
        print(
            f"Port {args.port} on {args.host} is taken (another server runs there). "
            f"Choose another: make run PORT={args.port + 1}, or remember-when serve "
            f"--port {args.port + 1}.",
            file=sys.stderr,
        )
        return 1
    if settings.base_url == DEFAULT_BASE_URL:
        # Links in e-mails and invitations follow the port chosen, unless BASE_URL says where.
        host = "127.0.0.1" if args.host in ("0.0.0.0", "::") else args.host  # noqa: S104
        os.environ["BASE_URL"] = f"http://{host}:{args.port}"
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


def _port_free(host: str, port: int) -> bool:
    """Whether a bind succeeds on `host`:`port` as the server will make it (SO_REUSEADDR,
    so connections of a server just stopped do not count), but without SO_REUSEPORT, which
    would share the port with a server still listening."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError:
            return False
    return True


def _migrate(settings: Settings, _: argparse.Namespace) -> int:
    from server.common.database import apply_migrations

    asyncio.run(apply_migrations(settings.database_url))
    print("Migrations applied.", file=sys.stderr)
    return 0


def _purge(settings: Settings, _: argparse.Namespace) -> int:
    from server.common.clock import system_clock
    from server.common.database import database
    from server.common.storage import storage_for
    from timeline.memories.drafts import purge_expired_drafts
    from timeline.memories.photos import sweep_orphans
    from timeline.memories.writing import purge_trash

    async def purge() -> tuple[int, int, int]:
        storage = storage_for(settings)
        async with database(settings.database_url):
            now = system_clock()
            return (
                await purge_trash(storage, now=now),
                await purge_expired_drafts(storage, now=now),
                await sweep_orphans(storage, now=now),
            )

    memories, drafts, objects = asyncio.run(purge())
    print(
        f"Purged {memories} memories from the trash, {drafts} shares nobody saved "
        f"and {objects} orphaned files."
    )
    return 0


def _send_due_emails(settings: Settings, args: argparse.Namespace) -> int:
    from server.common.clock import system_clock
    from server.common.database import database
    from server.common.storage import storage_for
    from server.worker.mailer import mailer_for
    from server.worker.scheduler import send_due_emails

    async def one_pass():
        async with database(settings.database_url):
            return await send_due_emails(
                args.at or system_clock(),
                settings=settings,
                storage=storage_for(settings),
                mailer=mailer_for(settings.mail_url),
            )

    report = asyncio.run(one_pass())
    print(
        f"{report.sent} sent, {report.skipped} with nothing to say, "
        f"{report.retrying} to retry, {report.failed} failed; "
        f"{report.pushed} notifications sent."
    )
    return 0


def _worker(settings: Settings, _: argparse.Namespace) -> int:
    from server.common.clock import system_clock
    from server.common.database import database
    from server.common.storage import storage_for
    from server.worker.mailer import mailer_for
    from server.worker.scheduler import run_every_minute

    async def work() -> None:
        # SIGTERM (an orchestrator stopping us) and Ctrl-C stop after the pass under way.
        loop, task = asyncio.get_running_loop(), asyncio.current_task()
        for stop in (signal.SIGTERM, signal.SIGINT):
            loop.add_signal_handler(stop, task.cancel)
        print("Remember When worker: e-mails every minute, purge daily.", file=sys.stderr)
        async with database(settings.database_url):
            storage, mailer = storage_for(settings), mailer_for(settings.mail_url)
            await run_every_minute(settings, storage, mailer, system_clock)

    with contextlib.suppress(asyncio.CancelledError):
        asyncio.run(work())
    print("Remember When worker stopped.", file=sys.stderr)
    return 0


def _inbound(settings: Settings, args: argparse.Namespace) -> int:
    from server.common.clock import system_clock
    from server.common.database import database
    from server.common.storage import storage_for
    from server.worker.inbound import start_inbound
    from server.worker.mailer import mailer_for

    if not _port_free(args.host, args.port):
        print(
            f"Port {args.port} on {args.host} is taken: choose another with --port.",
            file=sys.stderr,
        )
        return 1

    async def receive() -> None:
        # SIGTERM and Ctrl-C stop taking connections; a message under way is cut off, and
        # its sender's server sends it again.
        loop, task = asyncio.get_running_loop(), asyncio.current_task()
        for stop in (signal.SIGTERM, signal.SIGINT):
            loop.add_signal_handler(stop, task.cancel)
        async with database(settings.database_url):
            storage, mailer = storage_for(settings), mailer_for(settings.mail_url)
            server = await start_inbound(
                settings,
                storage,
                mailer,
                system_clock,
                host=args.host,
                port=args.port,
                lmtp=args.lmtp,
            )
            protocol = "LMTP" if args.lmtp else "SMTP"
            print(
                f"Remember When inbound: replies to {settings.mail_reply_to} over {protocol}"
                f" on {args.host}:{args.port}.",
                file=sys.stderr,
            )
            try:
                async with server:
                    await server.serve_forever()
            finally:
                await mailer.close()

    with contextlib.suppress(asyncio.CancelledError):
        asyncio.run(receive())
    print("Remember When inbound stopped.", file=sys.stderr)
    return 0


def _export(settings: Settings, args: argparse.Namespace) -> int:
    from server.common.clock import system_clock
    from server.common.database import database
    from server.common.storage import storage_for
    from server.files.zip_stream import zip_stream
    from timeline.portability.export import operator_export

    async def export() -> bool:
        async with database(settings.database_url):
            now = system_clock()
            archive = await operator_export(args.timeline, storage_for(settings), now=now)
            if archive is None:
                return False
            # Written beside the target and renamed: a failure leaves no half archive.
            partial = args.out.with_name(f".{args.out.name}.partial")
            with partial.open("wb") as out:
                async for chunk in zip_stream(archive.entries(), now):
                    out.write(chunk)
            partial.replace(args.out)
            return True

    if not asyncio.run(export()):
        print(f"remember-when: no timeline {args.timeline}", file=sys.stderr)
        return 1
    print(f"Wrote {args.out}.", file=sys.stderr)
    return 0


def _import(settings: Settings, args: argparse.Namespace) -> int:
    from media.errors import MediaError
    from server.common.database import database
    from timeline.accounts.credentials import account_with_email
    from timeline.core.errors import DomainError

    async def bring() -> str:
        async with database(settings.database_url):
            try:
                owner = await account_with_email(args.owner)
                partner = await account_with_email(args.partner) if args.partner else None
                if owner is None or (args.partner and partner is None):
                    return "no account with that e-mail address: sign up first, then import"
                if partner is not None and partner.id == owner.id:
                    return "the owner and the partner are one account: name two, or no partner"
                if args.source.is_dir():
                    return await _import_folder(settings, args, owner)
                return await _import_archive(settings, args, owner, partner)
            except (DomainError, MediaError) as error:
                return f"cannot import {args.source}: {error}"
            except Exception as error:
                # Anything else is one line too, naming what failed; an archive's import has
                # taken back what it did by then.
                return f"cannot import {args.source}: {type(error).__name__}: {error}"

    try:
        problem = asyncio.run(bring())
    except KeyboardInterrupt:
        problem = "interrupted"
    if problem:
        print(f"remember-when: {problem}", file=sys.stderr)
        return 1
    return 0


async def _import_archive(
    settings: Settings, args: argparse.Namespace, owner: User, partner: User | None
) -> str:
    from server.common.clock import system_clock
    from server.common.storage import storage_for
    from timeline.portability.archive_zip import ArchiveZip
    from timeline.portability.imports import import_archive

    # Photos in an archive are held to the limit of an upload.
    with ArchiveZip(args.source, max_photo_bytes=settings.max_upload_bytes) as source:
        timeline = await import_archive(
            source, owner, partner, storage_for(settings), now=system_clock()
        )
    print(f'Imported "{timeline.name}" ({timeline.id}).', file=sys.stderr)
    return ""


async def _import_folder(settings: Settings, args: argparse.Namespace, owner: User) -> str:
    from server.common.clock import system_clock
    from server.common.storage import storage_for
    from timeline.portability.imports import import_folder
    from timeline.timelines.membership import create_timeline, timelines_of

    now = system_clock()
    timelines = await timelines_of(owner)
    if args.timeline:
        timeline_id = args.timeline
    elif len(timelines) > 1:
        return "you have several timelines: choose one with --timeline"
    elif timelines:
        timeline_id = timelines[0].id
    else:
        timeline_id = (await create_timeline(owner, "Our photos", None, now=now)).id
    paths = sorted(p for p in args.source.iterdir() if p.is_file() and not p.name.startswith("."))

    def progress(done: int, total: int, name: str) -> None:
        print(f"\r[{done}/{total}] {name[:50]:<50}", end="", file=sys.stderr, flush=True)

    report = await import_folder(
        owner, timeline_id, paths, storage_for(settings), now=now, progress=progress
    )
    print(
        f"\nImported {report.photos} photos into {report.memories} memories"
        f" ({report.duplicates} already there).",
        file=sys.stderr,
    )
    if report.unreadable:
        print(f"Could not read {len(report.unreadable)} files:", file=sys.stderr)
        for name, reason in report.unreadable:
            print(f"  {name}: {reason}", file=sys.stderr)
    return ""


def _check(settings: Settings, _: argparse.Namespace) -> int:
    from server.commands.checks import check_backends, warnings

    # Reaching here means every setting was read and is well-formed.
    print(f"{'settings':<9} {'ok':<6} DATA_DIR={settings.data_dir}, BASE_URL={settings.base_url}")
    checks = asyncio.run(check_backends(settings))
    for check in checks:
        print(check.line())
    for warning in warnings(settings):
        print(warning)
    return 0 if all(check.ok for check in checks) else 1


def _demo(settings: Settings, _: argparse.Namespace) -> int:
    from server.commands.demo import create_demo
    from server.common.clock import system_clock
    from server.common.database import database
    from server.common.storage import storage_for

    async def demo():
        async with database(settings.database_url):
            return await create_demo(storage_for(settings), now=system_clock())

    couple = asyncio.run(demo())
    made = "Created the demo couple." if couple.created else "The demo couple already exists."
    print(
        f"{made} Log in at {settings.base_url}/login as {couple.email_a} or {couple.email_b},"
        f" password {couple.password}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
