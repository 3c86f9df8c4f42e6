"""Shared fixtures: real databases (SQLite, and PostgreSQL when TEST_POSTGRES_URL is set),
a settable clock, the app behind Litestar's test client, members signed up through it, and
a real SMTP server."""

from __future__ import annotations

import functools
import os
import sqlite3
import uuid
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage
from email.parser import BytesParser
from email.policy import default
from pathlib import Path
from urllib.parse import urlsplit

import asyncpg
import pytest
from aiosmtpd.controller import Controller
from argon2 import PasswordHasher
from litestar import Litestar
from litestar.testing import AsyncTestClient
from tortoise import Tortoise
from tortoise.backends.base.executor import EXECUTOR_CACHE

from server.app import app_state, create_app
from server.common.database import apply_migrations, open_database
from server.common.settings import Settings, load_settings
from tests.support import PASSWORD, count_rows_in_database, free_port, run_blocking
from timeline.accounts import passwords

POSTGRES_URL = os.environ.get("TEST_POSTGRES_URL")
BACKENDS = ["sqlite", "postgres"] if POSTGRES_URL else ["sqlite"]


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "real_passwords: hashes passwords at production cost (a test about passwords)"
    )


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture(autouse=True)
def cheap_passwords(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    """argon2id at its smallest cost in this process: every sign-up and log-in hashes, and at
    production cost that was most of the suite's time. Still argon2id, still verified for
    real. Tests marked `real_passwords` keep the production hasher; servers run as
    subprocesses always do."""
    if not request.node.get_closest_marker("real_passwords"):
        monkeypatch.setattr(
            passwords, "_hasher", PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)
        )
    # The hash verified for unknown addresses is made once, by whichever hasher runs first;
    # made again in each test, so that it is always the test's own hasher's.
    passwords._unknown_user_hash.cache_clear()


class Clock:
    """A clock the test moves by hand; the app and the domain read it instead of the wall."""

    def __init__(self, start: datetime) -> None:
        self.now = start

    def __call__(self) -> datetime:
        return self.now

    def advance(self, delta: timedelta) -> None:
        self.now += delta


@pytest.fixture
def clock() -> Clock:
    return Clock(datetime(2026, 6, 15, 9, 30, tzinfo=UTC))


# --- databases ------------------------------------------------------------------------------


def _postgres_admin_url() -> str:
    assert POSTGRES_URL
    return POSTGRES_URL.split("?", 1)[0]


async def create_postgres_database() -> str:
    """A fresh, empty database beside TEST_POSTGRES_URL's; returns its URL."""
    name = f"rw_test_{uuid.uuid4().hex[:12]}"
    conn = await asyncpg.connect(_postgres_admin_url())
    try:
        await conn.execute(f'CREATE DATABASE "{name}"')
    finally:
        await conn.close()
    return _postgres_admin_url().rsplit("/", 1)[0] + f"/{name}"


async def drop_postgres_database(url: str) -> None:
    name = url.rsplit("/", 1)[1]
    conn = await asyncpg.connect(_postgres_admin_url())
    try:
        await conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        await conn.close()


@pytest.fixture
def empty_database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A database with no tables yet, on the backend named by the `backend` parameter."""
    backend = getattr(request, "param", "sqlite")
    if backend == "sqlite":
        yield f"sqlite:///{tmp_path}/empty.sqlite3"
        return
    url = run_blocking(create_postgres_database())
    yield url
    run_blocking(drop_postgres_database(url))


@pytest.fixture(scope="session", params=BACKENDS)
def migrated_database_url(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    """One migrated database per backend for the whole run, dropped at the end."""
    # Tortoise caches each model's INSERT per connection name, not per dialect; a process
    # that moves from SQLite to PostgreSQL (only this test run does) must forget them.
    EXECUTOR_CACHE.clear()
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path_factory.mktemp('db')}/test.sqlite3"
        run_blocking(apply_migrations(url))
        yield url
        return
    url = run_blocking(create_postgres_database())
    try:
        run_blocking(apply_migrations(url))
        yield url
    finally:
        run_blocking(drop_postgres_database(url))


@pytest.fixture
def database_url(migrated_database_url: str) -> str:
    """The migrated database, emptied of rows before the test."""
    if migrated_database_url.startswith("sqlite:///"):
        _empty_sqlite(migrated_database_url.removeprefix("sqlite:///"))
    else:
        run_blocking(_empty_postgres(migrated_database_url))
    return migrated_database_url


def _empty_sqlite(path: str) -> None:
    with sqlite3.connect(path) as conn:
        tables = [
            row[0]
            for row in conn.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' "
                "AND name NOT LIKE 'sqlite_%' AND name != 'tortoise_migrations' "
                # The search index empties itself through its triggers; its shadow
                # tables must not be touched.
                "AND name NOT LIKE 'memory_search%'"
            )
        ]
        conn.execute("PRAGMA foreign_keys = OFF")
        for table in tables:
            conn.execute(f'DELETE FROM "{table}"')


async def _empty_postgres(url: str) -> None:
    conn = await asyncpg.connect(url)
    try:
        tables = await conn.fetch(
            "SELECT tablename FROM pg_tables WHERE schemaname = 'public' "
            "AND tablename != 'tortoise_migrations'"
        )
        names = ", ".join(f'"{t["tablename"]}"' for t in tables)
        await conn.execute(f"TRUNCATE {names} CASCADE")
    finally:
        await conn.close()


@pytest.fixture
async def db(database_url: str) -> AsyncIterator[str]:
    """The ORM open on the test database, for tests of the domain without HTTP. Not for
    tests with `client`: its app runs on an event loop of its own; use `count_rows`."""
    await open_database(database_url)
    try:
        yield database_url
    finally:
        await Tortoise.close_connections()


@pytest.fixture
def count_rows(database_url: str):
    """Count rows straight from the test database, beside the ORM: what is really stored."""
    return functools.partial(count_rows_in_database, database_url)


# --- the app --------------------------------------------------------------------------------


# --- photo storage --------------------------------------------------------------------------


@pytest.fixture(scope="session")
def s3_endpoint() -> Iterator[str]:
    """A real S3 endpoint over HTTP: moto's server, on loopback, on a free port."""
    from moto.server import ThreadedMotoServer

    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


@pytest.fixture
def s3_bucket(s3_endpoint: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """An empty bucket, and credentials for it in the environment, as boto3 expects."""
    import boto3
    import httpx

    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "test-key")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "test-secret")
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
    name = f"rw-{uuid.uuid4().hex[:12]}"
    boto3.client("s3", endpoint_url=s3_endpoint).create_bucket(Bucket=name)
    yield name
    httpx.post(f"{s3_endpoint}/moto-api/reset")


@pytest.fixture
def media_storage(request: pytest.FixtureRequest, tmp_path: Path) -> dict[str, str]:
    """Settings for the photo store: the local folder, or (parametrised "s3") a bucket."""
    if getattr(request, "param", "file") == "s3":
        bucket = request.getfixturevalue("s3_bucket")
        return {
            "MEDIA_STORAGE": f"s3://{bucket}/media",
            "S3_ENDPOINT_URL": request.getfixturevalue("s3_endpoint"),
        }
    return {"MEDIA_STORAGE": f"file://{tmp_path}/media"}


@pytest.fixture
def settings(database_url: str, tmp_path: Path, media_storage: dict[str, str]) -> Settings:
    return load_settings(
        {
            "DATA_DIR": str(tmp_path / "var"),
            "DATABASE_URL": database_url,
            "SECRET_KEY": "test-secret-key",
            "BASE_URL": "http://testserver.local",
            # Tests run e-mail passes themselves, at the instants they choose.
            "SCHEDULER": "off",
            **media_storage,
        }
    )


# Apps built in this process: building one registers every route (a quarter of a second,
# most of a test's setup), so tests share one while the settings `create_app` builds into
# the app itself are the same; the rest (settings, clock, storage) is each test's own state.
_APPS: dict[tuple[object, ...], Litestar] = {}


def _built_in(settings: Settings) -> tuple[object, ...]:
    """The settings create_app builds into the app: the database of its lifespan, what the
    CSP allows (the storage's kind), body limits, CSRF and cookies, logging, the scheduler."""
    return (
        settings.database_url,
        urlsplit(settings.media_storage).scheme,
        settings.s3_endpoint_url,
        settings.max_upload_mb,
        settings.secret_key,
        settings.base_url,
        settings.log_format,
        settings.scheduler,
    )


def app_for(settings: Settings, clock: Clock) -> Litestar:
    """An app for `settings`, with this test's settings, clock and storage in its state."""
    key = _built_in(settings)
    if key not in _APPS:
        _APPS[key] = create_app(settings, clock=clock)
    app = _APPS[key]
    app.state.update(app_state(settings, clock, app.state.assets))
    # Litestar's log handlers write to the stderr of when they were set up, which pytest
    # swaps for each test: set up again, as a new app would.
    app.logging_config.configure()
    return app


@pytest.fixture
async def client(settings: Settings, clock: Clock) -> AsyncIterator[AsyncTestClient]:
    """The whole app, lifespan included, behind an HTTP client that keeps cookies."""
    async with AsyncTestClient(
        app=app_for(settings, clock), base_url="http://testserver.local"
    ) as test_client:
        test_client.follow_redirects = False
        yield test_client


@dataclass
class Member:
    """Someone signed up through the API."""

    id: str
    email: str
    display_name: str
    token: str

    @property
    def auth(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}


@pytest.fixture
def sign_up(client: AsyncTestClient):
    """Sign someone up through the API and return them as a `Member`."""
    counter = iter(range(1_000_000))

    async def create(display_name: str | None = None, email: str | None = None) -> Member:
        n = next(counter)
        name = display_name or f"Member {n}"
        response = await client.post(
            "/api/v1/auth/signup",
            json={
                "email": email or f"member{n}@example.org",
                "password": PASSWORD,
                "display_name": name,
                "timezone": "Europe/Paris",
            },
        )
        assert response.status_code == 201, response.text
        body = response.json()
        return Member(
            id=body["user"]["id"],
            email=body["user"]["email"],
            display_name=name,
            token=body["token"],
        )

    return create


@pytest.fixture
def couple(client: AsyncTestClient, sign_up, clock: Clock):
    """Two partners sharing one timeline, joined through a real invite."""

    async def create(name: str = "Ana & Sam") -> tuple[Member, Member, str]:
        ana = await sign_up("Ana")
        sam = await sign_up("Sam")
        created = await client.post(
            "/api/v1/timelines",
            json={"name": name, "together_since": "2019-06-12"},
            headers=ana.auth,
        )
        timeline_id = created.json()["id"]
        invite = await client.post(f"/api/v1/timelines/{timeline_id}/invites", headers=ana.auth)
        clock.advance(timedelta(minutes=5))
        accepted = await client.post(
            f"/api/v1/invites/{invite.json()['token']}/accept", headers=sam.auth
        )
        assert accepted.status_code == 200, accepted.text
        return ana, sam, timeline_id

    return create


class MailSink:
    """What a real SMTP server (aiosmtpd) received, and how it answers the next messages:
    `answer` set to "550 ..." or "451 ..." refuses them."""

    def __init__(self) -> None:
        self.received: list[EmailMessage] = []
        # The same messages as the bytes that came over the wire, to test headers on.
        self.raw: list[bytes] = []
        self.answer: str | None = None

    async def handle_DATA(self, server, session, envelope) -> str:
        if self.answer:
            return self.answer
        self.raw.append(envelope.content)
        self.received.append(BytesParser(policy=default).parsebytes(envelope.content))
        return "250 OK"


@pytest.fixture
def smtp_server() -> Iterator[tuple[str, MailSink]]:
    """A real SMTP server on a free local port: its smtp:// URL and what it received."""
    sink = MailSink()
    controller = Controller(sink, hostname="127.0.0.1", port=free_port())
    controller.start()
    try:
        yield f"smtp://127.0.0.1:{controller.port}", sink
    finally:
        controller.stop()
