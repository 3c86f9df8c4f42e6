"""Helpers for tests: act like a browser (CSRF field, forms, reading pages), write through
the API, look into the database and the outbox."""

from __future__ import annotations

import asyncio
import base64
import contextlib
import email.policy
import json
import mimetypes
import os
import re
import socket
import sqlite3
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Callable, Coroutine, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from email.message import EmailMessage
from email.parser import BytesParser
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import TypeVar

import asyncpg
import http_ece
import httpx
from bs4 import BeautifulSoup, Tag
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from httpx import Response
from litestar.testing import AsyncTestClient

from server.worker.mailer import mailer_for
from server.worker.scheduler import send_due_emails
from tests import images
from timeline.models import (
    Connection,
    Membership,
    Memory,
    MemoryTag,
    Milestone,
    QuietRule,
    Timeline,
    User,
)

PASSWORD = "a long and happy walk"
T = TypeVar("T")
ROOT = Path(__file__).resolve().parents[1]
CLI = [sys.executable, "-m", "server.cli"]

_CSRF = re.compile(r'name="_csrf_token" value="([^"]+)"')


def csrf_token(html: str) -> str:
    match = _CSRF.search(html)
    assert match, "the page carries no CSRF field"
    return match[1]


async def submit(
    client: AsyncTestClient, page_path: str, action: str, fields: dict[str, str]
) -> Response:
    """Open `page_path` as a browser would, then post its form to `action` with the CSRF token."""
    page = await client.get(page_path)
    return await client.post(action, data={**fields, "_csrf_token": csrf_token(page.text)})


async def post_memory(
    client: AsyncTestClient,
    timeline_id: object,
    fields: dict[str, str],
    photos: Sequence[tuple[str, bytes]] = (),
) -> Response:
    """Open the new-memory page as a browser would and post its form with `photos` (file
    name and bytes; none sends the empty file field a browser sends)."""
    form = await client.get(f"/t/{timeline_id}/new")
    files = [
        ("photos", (name, data, mimetypes.guess_type(name)[0] or "application/octet-stream"))
        for name, data in photos
    ]
    return await client.post(
        f"/t/{timeline_id}/memories",
        data={**fields, "_csrf_token": csrf_token(form.text)},
        files=files or [("photos", ("", b"", "application/octet-stream"))],
    )


async def web_sign_up(client: AsyncTestClient, name: str, email: str, next: str = "/") -> Response:
    return await submit(
        client,
        "/signup",
        "/signup",
        {
            "display_name": name,
            "email": email,
            "password": PASSWORD,
            "timezone": "Europe/Paris",
            "next": next,
        },
    )


async def web_log_in(client: AsyncTestClient, email: str, password: str = PASSWORD) -> Response:
    return await submit(client, "/login", "/login", {"email": email, "password": password})


def session_set_cookie(response: Response) -> str:
    """The `Set-Cookie` header that carries the session."""
    return next(c for c in response.headers.get_list("set-cookie") if c.startswith("rw_session="))


def run_blocking(coroutine: Coroutine[object, object, T]) -> T:
    """Run a coroutine to completion from sync code, even when an event loop is running here."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, coroutine).result()


def count_rows_in_database(database_url: str, table: str, **equal: object) -> int:
    """How many rows of `table` have these column values, read with a connection of our own."""
    sqlite = database_url.startswith("sqlite:///")
    # Booleans as each database writes them as text: 1/0 in SQLite, true/false in PostgreSQL.
    columns = list(equal)
    values = [
        (str(int(v)) if sqlite else str(v).lower()) if isinstance(v, bool) else str(v)
        for v in equal.values()
    ]
    conditions = [
        f'"{c}" = ?' if sqlite else f'"{c}"::text = ${n}' for n, c in enumerate(columns, 1)
    ]
    sql = f'SELECT count(*) FROM "{table}"'
    if conditions:
        sql += " WHERE " + " AND ".join(conditions)
    if sqlite:
        with sqlite3.connect(database_url.removeprefix("sqlite:///")) as conn:
            return conn.execute(sql, values).fetchone()[0]
    return run_blocking(_fetch_count(database_url, sql, values))


async def _fetch_count(url: str, sql: str, values: list[str]) -> int:
    conn = await asyncpg.connect(url)
    try:
        return await conn.fetchval(sql, *values)
    finally:
        await conn.close()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def clean_environment(**settings: str) -> dict[str, str]:
    """The process environment without any of our settings, plus `settings`."""
    ours = {"DATABASE_URL", "MEDIA_STORAGE", "MAIL_URL", "BASE_URL", "SECRET_KEY", "DATA_DIR"}
    env = {k: v for k, v in os.environ.items() if k not in ours}
    return {**env, "PYTHONPATH": str(ROOT), **settings}


@contextlib.contextmanager
def served(env: dict[str, str], folder: Path, port: int | None = None) -> Iterator[str]:
    """`remember-when migrate`, then `serve` on `port` (default: a free one) in `folder`;
    yields its URL and stops it afterwards, whatever happened."""
    port = port or free_port()
    subprocess.run([*CLI, "migrate"], env=env, cwd=folder, check=True, capture_output=True)
    server = subprocess.Popen(
        [*CLI, "serve", "--port", str(port)],
        env=env,
        cwd=folder,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        _wait_for(f"http://127.0.0.1:{port}/healthz")
        yield f"http://127.0.0.1:{port}"
    finally:
        server.terminate()
        server.wait(timeout=30)


def _wait_for(url: str) -> None:
    """Poll until the server answers; it needs a moment to bind."""
    deadline = time.monotonic() + 30
    while True:
        try:
            httpx.get(url, timeout=2)
            return
        except httpx.TransportError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.1)


async def write_memory(client, member, timeline_id, title, occurred_on, **fields) -> dict:
    """A memory written through the API by `member`; its JSON."""
    response = await client.post(
        f"/api/v1/timelines/{timeline_id}/memories",
        json={"title": title, "occurred_on": occurred_on, **fields},
        headers=member.auth,
    )
    assert response.status_code == 201, response.text
    return response.json()


async def rate_memory(client, member, memory: dict, score: int, appreciation: str = "") -> None:
    """`member` says how close `memory` (its JSON) feels, through the API."""
    response = await client.put(
        f"/api/v1/memories/{memory['id']}/connection",
        json={"score": score, "appreciation": appreciation},
        headers=member.auth,
    )
    assert response.status_code == 200, response.text


async def talk_about(client, member, memory: dict, replies: int) -> None:
    """`member` replies to `memory` (its JSON) `replies` times, through the API."""
    for n in range(replies):
        response = await client.post(
            f"/api/v1/memories/{memory['id']}/replies",
            json={"text": f"Yes {n}"},
            headers=member.auth,
        )
        assert response.status_code == 201, response.text


async def upload_photo(client, member, memory_id: str, data: bytes, name: str = "photo.jpg"):
    """Post `data` as a photo of the memory through the API (the app reads the bytes, not the
    name or the declared type); the response."""
    return await client.post(
        f"/api/v1/memories/{memory_id}/photos",
        files={"file": (name, data, "image/jpeg")},
        headers=member.auth,
    )


async def picnic_three_years_ago(client, couple):
    """Ana and Sam's picnic at the lake, three years ago today (15 June 2023), with a photo."""
    ana, sam, timeline_id = await couple()
    picnic = await write_memory(
        client,
        ana,
        timeline_id,
        "Picnic at the lake",
        "2023-06-15",
        body="We ate cherries and stayed until the stars came out.",
        place="Annecy",
    )
    uploaded = await upload_photo(client, ana, picnic["id"], images.rotated_jpeg_with_gps())
    assert uploaded.status_code == 201, uploaded.text
    return ana, sam, timeline_id, picnic


def stored_keys(client, prefix: str) -> list[str]:
    """The keys under `prefix` in the app's photo storage."""
    storage = client.app.state.storage
    return client.blocking_portal.call(storage.keys, prefix)


def page_soup(html: str) -> BeautifulSoup:
    """A page parsed as a browser would read it, to select elements from."""
    return BeautifulSoup(html, "html.parser")


def visible_text(node: Tag) -> str:
    """The text of an element as it reads on screen: words separated by single spaces."""
    return " ".join(node.get_text().split())


def text_of(html: str, selector: str) -> str:
    """The visible text of the one element of the page that `selector` finds."""
    found = page_soup(html).select_one(selector)
    assert found is not None, f"nothing matches {selector}"
    return visible_text(found)


def email_pass(client, settings, mail_url: str, at):
    """One `send-due-emails` pass at `at` (e-mails due, account e-mails asked for), on the
    app's own event loop; its report."""
    storage = client.app.state.storage
    mailer = mailer_for(mail_url)
    return client.blocking_portal.call(
        lambda: send_due_emails(at, settings=settings, storage=storage, mailer=mailer)
    )


def outbox(settings) -> list[EmailMessage]:
    """The messages the default mailer wrote, oldest first."""
    folder = settings.data_dir / "outbox"
    files = (
        sorted(folder.glob("*.eml"), key=lambda p: p.stat().st_mtime_ns) if folder.exists() else []
    )
    return [BytesParser(policy=email.policy.default).parsebytes(f.read_bytes()) for f in files]


def wire_headers(raw: bytes) -> dict[str, str]:
    """The message's own headers as they came over the wire: unfolded, never decoded."""
    head = raw.split(b"\r\n\r\n", 1)[0]
    lines = re.sub(rb"\r\n(?=[ \t])", b"", head).decode("ascii").split("\r\n")
    return dict(line.split(": ", 1) for line in lines)


async def fetch(client, url: str) -> httpx.Response:
    """GET a photo link as a browser would, following the app's redirects."""
    for _ in range(3):
        if url.startswith("http://testserver.local"):
            response = await client.get(url.removeprefix("http://testserver.local"))
        else:
            async with httpx.AsyncClient() as outside:
                response = await outside.get(url)
        if response.status_code not in (301, 302, 303, 307):
            return response
        url = response.headers["location"]
        if url.startswith("/"):
            url = f"http://testserver.local{url}"
    raise AssertionError("too many redirects")


def answers_ok(url: str) -> bool:
    """True when a GET of `url` answers 200; false when it answers otherwise or not at all."""
    try:
        return httpx.get(url, timeout=2).status_code == 200
    except httpx.TransportError:
        return False


def wait_until(condition: Callable[[], bool], what: str, timeout: float = 60) -> None:
    """Poll `condition` (another process is at work) until it holds; fail after `timeout`
    seconds naming `what` was awaited."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.1)


def signed_up(client: httpx.Client, name: str) -> dict[str, str]:
    """Sign `name` up through the API (as name@example.org, in Lisbon); their auth header."""
    body = {
        "email": f"{name.lower()}@example.org",
        "password": PASSWORD,
        "display_name": name,
        "timezone": "Europe/Lisbon",
    }
    token = client.post("/api/v1/auth/signup", json=body).json()["token"]
    return {"Authorization": f"Bearer {token}"}


def reply_by_email(
    sender: str,
    to: str,
    text: str,
    *,
    photos: Sequence[tuple[str, bytes]] = (),
    headers: dict[str, str] | None = None,
) -> EmailMessage:
    """A reply to one of our letters as a mail program writes it: `text` (quotes and
    signature as given), then each photo attached (its type guessed from its name)."""
    message = EmailMessage()
    message["From"] = sender
    message["To"] = to
    message["Subject"] = "Re: On this day"
    message["Message-ID"] = f"<reply-{os.urandom(6).hex()}@example.org>"
    for name, value in (headers or {}).items():
        message[name] = value
    message.set_content(text)
    for name, data in photos:
        kind = mimetypes.guess_type(name)[0] or "application/octet-stream"
        maintype, _, subtype = kind.partition("/")
        message.add_attachment(data, maintype=maintype, subtype=subtype, filename=name)
    return message


def send_mail(
    port: int,
    message: EmailMessage | bytes,
    *,
    to: Sequence[str],
    sender: str = "someone@example.org",
    lmtp: bool = False,
) -> dict[str, tuple[int, bytes]]:
    """Hand `message` to the SMTP (or LMTP) server on `port` as a mail server would (the
    bytes as given); what `sendmail` answers (the recipients it refused). `smtplib`'s
    exceptions say what was refused as a whole."""
    import smtplib

    data = message if isinstance(message, bytes) else message.as_bytes(policy=email.policy.SMTP)
    with (smtplib.LMTP if lmtp else smtplib.SMTP)("127.0.0.1", port, timeout=60) as client:
        return client.sendmail(sender, list(to), data)


def listening(port: int) -> bool:
    """Whether something accepts connections on `port` of the loopback."""
    with socket.socket() as probe:
        return probe.connect_ex(("127.0.0.1", port)) == 0


async def dense_couple(first: date, last: date) -> tuple[User, User]:
    """Zoë (Stockholm) and Kai (Tokyo), together since 20 June 2019 and married on 25 June
    2022, with a memory on every day from `first` to `last`: every third rated 4 and 5 by
    both, with what each loved, every seventh tagged for a quiet rule. Written in bulk
    through the models, for simulations over many days; returns (Zoë, Kai)."""
    made = datetime(2019, 6, 20, tzinfo=UTC)
    zoe = User(
        id=uuid.uuid4(),
        email="zoe@example.org",
        password_hash="unused",
        display_name="Zoë Ångström",
        timezone="Europe/Stockholm",
        created_at=made,
    )
    kai = User(
        id=uuid.uuid4(),
        email="kai@example.org",
        password_hash="unused",
        display_name="Kai 🌊 Nakamura",
        timezone="Asia/Tokyo",
        created_at=made,
    )
    timeline = Timeline(
        id=uuid.uuid4(),
        name="Zoë & Kai",
        together_since=date(2019, 6, 20),
        timezone="Europe/Stockholm",
        created_at=made,
    )
    await User.bulk_create([zoe, kai])
    await timeline.save()
    await Membership.bulk_create(
        [Membership(timeline_id=timeline.id, user_id=u.id, joined_at=made) for u in (zoe, kai)]
    )
    await Milestone.create(
        id=uuid.uuid4(),
        timeline_id=timeline.id,
        kind=Milestone.WEDDING,
        occurred_on=date(2022, 6, 25),
        created_at=made,
    )
    await QuietRule.create(id=uuid.uuid4(), timeline_id=timeline.id, tag="hard", created_at=made)
    memories, connections, tags = [], [], []
    for n in range((last - first).days + 1):
        day = first + timedelta(days=n)
        memory = Memory(
            id=uuid.uuid4(),
            timeline_id=timeline.id,
            author_id=(zoe, kai)[n % 2].id,
            title=f"Day {n}",
            body=f"What we did on {day.isoformat()}.",
            occurred_on=day,
            date_precision="day",
            year=day.year,
            month_day=day.month * 100 + day.day,
            created_at=made,
            updated_at=made,
        )
        memories.append(memory)
        if n % 3 == 0:
            for user, score in ((zoe, 4), (kai, 5)):
                connections.append(
                    Connection(
                        id=uuid.uuid4(),
                        memory_id=memory.id,
                        user_id=user.id,
                        score=score,
                        appreciation=f"{user.display_name.split()[0]} loved day {n}",
                        updated_at=made,
                    )
                )
        if n % 7 == 0:
            tags.append(MemoryTag(memory_id=memory.id, name="hard"))
    await Memory.bulk_create(memories, batch_size=500)
    await Connection.bulk_create(connections, batch_size=500)
    await MemoryTag.bulk_create(tags, batch_size=500)
    return zoe, kai


# --- Web Push --------------------------------------------------------------------------------


@dataclass
class Received:
    path: str
    headers: dict[str, str]
    body: bytes


@dataclass
class PushService:
    """A push service of the test's own: it records each POST and answers with the next of
    `answers` (201 once they run out)."""

    url: str
    received: list[Received] = field(default_factory=list)
    answers: list[int] = field(default_factory=list)


@contextlib.contextmanager
def a_push_service() -> Iterator[PushService]:
    """A push service of the test's own on 127.0.0.1, for as long as the block runs."""
    service = PushService(url="")

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
            service.received.append(Received(self.path, dict(self.headers.items()), body))
            status = service.answers.pop(0) if service.answers else 201
            self.send_response(status)
            if 300 <= status < 400:
                self.send_header("Location", "/elsewhere")
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *_: object) -> None:
            return

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    service.url = f"http://127.0.0.1:{server.server_address[1]}"
    # Stopping waits for the server's next look at its flag: every 10 ms, not every 500.
    thread = threading.Thread(target=server.serve_forever, args=(0.01,), daemon=True)
    thread.start()
    try:
        yield service
    finally:
        server.shutdown()
        server.server_close()


@dataclass
class PushKeys:
    """What a browser keeps of its push subscription: its P-256 key pair and auth secret."""

    private_key: ec.EllipticCurvePrivateKey
    auth_secret: bytes

    @property
    def keys(self) -> dict[str, str]:
        point = self.private_key.public_key().public_bytes(
            serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
        )
        return {"p256dh": b64url(point), "auth": b64url(self.auth_secret)}

    def read(self, body: bytes) -> dict:
        """The JSON a push message carries, decrypted as the browser would (RFC 8291)."""
        return json.loads(
            http_ece.decrypt(
                body,
                private_key=self.private_key,
                auth_secret=self.auth_secret,
                version="aes128gcm",
            )
        )


def a_browser() -> PushKeys:
    """New keys, as a browser makes them when it subscribes."""
    return PushKeys(ec.generate_private_key(ec.SECP256R1()), os.urandom(16))


def b64url(raw: bytes) -> str:
    """Unpadded base64url, as Web Push writes keys."""
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def unb64url(text: str) -> bytes:
    """The bytes of unpadded base64url."""
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
