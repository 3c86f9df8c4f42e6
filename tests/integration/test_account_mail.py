"""Account e-mails (password resets, address confirmations) go through the outbox the
e-mail pass drains: a request records what was asked and answers, doing the same work
whether or not an account uses the address, never waiting on a mail server and storing no
token; each asked-for e-mail is sent once however many workers run."""

from __future__ import annotations

import dataclasses
import socket
import sqlite3
import uuid
from datetime import timedelta

import anyio
import asyncpg
import httpx
from litestar.testing import AsyncTestClient

from server.app import create_app
from tests.support import (
    CLI,
    PASSWORD,
    clean_environment,
    email_pass,
    free_port,
    outbox,
    run_blocking,
    served,
    submit,
    wait_until,
    wire_headers,
)
from timeline.accounts.outbox import LEASE, MAX_ATTEMPTS, STALE_AFTER, claim_asked
from timeline.models import AccountLink, AccountMail, User

WORKERS = 4
ASKED = 60


def stored_text(database_url: str) -> str:
    """Every row of every table, as text: what someone reading the database would see."""
    if database_url.startswith("sqlite:///"):
        with sqlite3.connect(database_url.removeprefix("sqlite:///")) as conn:
            tables = [
                row[0]
                for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
            ]
            return "\n".join(
                str(row) for table in tables for row in conn.execute(f'SELECT * FROM "{table}"')
            )

    async def dump() -> str:
        conn = await asyncpg.connect(database_url)
        try:
            tables = await conn.fetch("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")
            rows = [
                row[0]
                for table in tables
                for row in await conn.fetch(f'SELECT t::text FROM "{table["tablename"]}" t')
            ]
            return "\n".join(rows)
        finally:
            await conn.close()

    return run_blocking(dump())


async def test_a_reset_request_records_one_row_and_sends_nothing_whatever_the_address(
    client, sign_up, settings, clock, count_rows, database_url
):
    ana = await sign_up("Ana")

    await submit(client, "/forgot", "/forgot", {"email": ana.email})
    await submit(client, "/forgot", "/forgot", {"email": "nobody@example.org"})
    asked = (count_rows("account_mail"), count_rows("account_link"), outbox(settings))
    report = email_pass(client, settings, settings.mail_url, clock())

    assert asked == (2, 0, [])
    (message,) = outbox(settings)
    assert message["To"] == f"Ana <{ana.email}>"
    assert (report.sent, report.skipped) == (1, 1)
    assert (count_rows("account_mail"), count_rows("account_link")) == (0, 1)
    token = message.get_body(("plain",)).get_content().split("/reset/")[1].split()[0]
    assert token not in stored_text(database_url)


async def test_asking_for_a_link_never_waits_for_the_mail_server(settings, clock):
    # A server that takes the connection and never says a word: sending would hang until
    # the SMTP timeout.
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen()
        host, port = silent.getsockname()
        mute = dataclasses.replace(settings, mail_url=f"smtp://{host}:{port}")
        async with AsyncTestClient(
            app=create_app(mute, clock=clock), base_url="http://testserver.local"
        ) as client:
            signed_up = await client.post(
                "/api/v1/auth/signup",
                json={"email": "ana@example.org", "password": PASSWORD, "display_name": "Ana"},
            )
            auth = {"Authorization": f"Bearer {signed_up.json()['token']}"}
            with anyio.fail_after(5):
                reset = await client.post(
                    "/api/v1/auth/password-reset", json={"email": "ana@example.org"}
                )
                change = await client.post(
                    "/api/v1/me/email",
                    json={"email": "ana@new.example", "password": PASSWORD},
                    headers=auth,
                )

    assert (reset.status_code, change.status_code) == (202, 202)


async def test_a_confirmation_asked_while_the_mail_server_is_down_goes_out_when_it_is_back(
    client, sign_up, settings, clock, smtp_server, count_rows
):
    url, sink = smtp_server
    ana = await sign_up("Ana")

    asked = await client.post(
        "/api/v1/me/email",
        json={"email": "ana@new.example", "password": PASSWORD},
        headers=ana.auth,
    )
    down = email_pass(client, settings, f"smtp://127.0.0.1:{free_port()}", clock())
    too_soon = email_pass(client, settings, url, clock() + timedelta(seconds=30))
    back = email_pass(client, settings, url, clock() + timedelta(minutes=1))

    assert asked.status_code == 202
    assert (down.retrying, too_soon.sent, back.sent) == (1, 0, 1)
    (raw,) = sink.raw
    assert wire_headers(raw)["To"] == "Ana <ana@new.example>"
    assert wire_headers(raw)["Subject"] == "Confirm your new e-mail address"
    assert wire_headers(raw)["Auto-Submitted"] == "auto-generated"
    assert count_rows("account_mail") == 0


async def test_a_new_password_ends_a_confirmation_not_sent_yet(
    client, sign_up, settings, clock, smtp_server
):
    url, sink = smtp_server
    ana = await sign_up("Ana")
    await client.post(
        "/api/v1/me/email",
        json={"email": "ana@new.example", "password": PASSWORD},
        headers=ana.auth,
    )

    await client.post(
        "/api/v1/me/password",
        json={"current_password": PASSWORD, "new_password": "a brand new passphrase"},
        headers=ana.auth,
    )
    report = email_pass(client, settings, url, clock())

    assert (report.sent, sink.received) == (0, [])


async def test_a_mail_server_refusing_for_hours_ends_the_asked_email(
    client, sign_up, settings, clock, smtp_server, count_rows
):
    url, sink = smtp_server
    ana = await sign_up("Ana")
    await client.post("/api/v1/auth/password-reset", json={"email": ana.email})
    sink.answer = "451 Try again later"

    reports = []
    for _ in range(MAX_ATTEMPTS + 1):
        reports.append(email_pass(client, settings, url, clock()))
        clock.advance(timedelta(minutes=16))
    sink.answer = None
    after = email_pass(client, settings, url, clock())

    assert [(r.retrying, r.failed) for r in reports] == [(1, 0)] * (MAX_ATTEMPTS - 1) + [
        (0, 1),
        (0, 0),
    ]
    assert (after.sent, sink.received, count_rows("account_mail")) == (0, [], 0)


async def test_an_asked_email_no_worker_sent_within_the_hour_is_dropped(
    client, sign_up, settings, clock, smtp_server, count_rows
):
    url, sink = smtp_server
    ana = await sign_up("Ana")
    await client.post("/api/v1/auth/password-reset", json={"email": ana.email})

    report = email_pass(client, settings, url, clock() + STALE_AFTER)

    assert (report.sent, sink.received, count_rows("account_mail")) == (0, [], 0)


async def asked_resets(count: int, now) -> None:
    """`count` accounts, each with a reset asked for. Written in bulk: argon2 sign-ups would
    take most of the test."""
    users = [
        User(
            id=uuid.uuid4(),
            email=f"member{n}@example.org",
            password_hash="unused",
            display_name=f"Member {n}",
            timezone="Europe/Berlin",
            created_at=now,
        )
        for n in range(count)
    ]
    await User.bulk_create(users, batch_size=500)
    await AccountMail.bulk_create(
        [
            AccountMail(
                id=uuid.uuid4(),
                purpose=AccountLink.RESET_PASSWORD,
                email=user.email,
                created_at=now,
                lease_until=now,
            )
            for user in users
        ]
    )


async def test_workers_started_together_send_each_asked_email_once(
    db, database_url, smtp_server, tmp_path, count_rows, clock
):
    url, sink = smtp_server
    await asked_resets(ASKED, clock())
    env = clean_environment(
        DATABASE_URL=database_url,
        MAIL_URL=url,
        DATA_DIR=str(tmp_path),
        SECRET_KEY="test-secret-key",
        BASE_URL="http://rw.example",
    )

    async def worker() -> None:
        await anyio.run_process(
            [*CLI, "send-due-emails", "--at", clock().isoformat()], env=env, cwd=tmp_path
        )

    async with anyio.create_task_group() as group:
        for _ in range(WORKERS):
            group.start_soon(worker)

    assert len(sink.received) == ASKED
    assert len({m["To"].addresses[0].addr_spec for m in sink.received}) == ASKED
    assert (count_rows("account_mail"), count_rows("account_link")) == (0, ASKED)


async def test_a_claim_whose_worker_died_is_taken_over_after_its_lease(db, clock):
    await asked_resets(1, clock())

    first = await claim_asked(clock())
    again = await claim_asked(clock())
    before_lease = await claim_asked(clock() + LEASE - timedelta(seconds=1))
    taken_over = await claim_asked(clock() + LEASE)

    assert [len(first), len(again), len(before_lease)] == [1, 0, 0]
    assert [a.attempts for a in taken_over] == [2]


def test_a_served_app_sends_a_reset_within_seconds_of_the_request(tmp_path):
    env = clean_environment(DATA_DIR=str(tmp_path / "var"))
    sent = tmp_path / "var" / "outbox"
    with served(env, tmp_path) as url, httpx.Client(base_url=url) as client:
        client.post(
            "/api/v1/auth/signup",
            json={"email": "ana@example.org", "password": PASSWORD, "display_name": "Ana"},
        )
        asked = client.post("/api/v1/auth/password-reset", json={"email": "ana@example.org"})
        # The scheduler inside `serve` looks for account e-mails every few seconds, not
        # only at its minute's pass.
        wait_until(lambda: any(sent.glob("*.eml")), "the reset e-mail", timeout=15)

    assert asked.status_code == 202
    (message,) = sent.glob("*.eml")
    assert b"Subject: Choose a new password" in message.read_bytes()
