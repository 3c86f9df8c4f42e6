"""The scaled-out stack without Docker, with the settings compose gives it: PostgreSQL, a real
S3 endpoint (moto's server), a real SMTP server (aiosmtpd), two `serve --no-scheduler`
processes, `worker` processes and `inbound`. Whatever one app process starts, the other
continues; workers deliver each e-mail once, even when one is killed mid-pass; a reply by
e-mail to `inbound` lands on the memory."""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import subprocess
import threading
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from email.utils import parseaddr
from pathlib import Path
from uuid import UUID
from zoneinfo import ZoneInfo

import httpx
import pytest

from server.common.links import reply_address
from server.common.settings import load_settings
from tests import images
from tests.conftest import POSTGRES_URL, MailSink, create_postgres_database, drop_postgres_database
from tests.support import (
    CLI,
    PASSWORD,
    answers_ok,
    clean_environment,
    count_rows_in_database,
    csrf_token,
    free_port,
    listening,
    reply_by_email,
    run_blocking,
    send_mail,
    wait_until,
)

pytestmark = pytest.mark.skipif(
    not POSTGRES_URL, reason="the topology runs on PostgreSQL: set TEST_POSTGRES_URL"
)
LEASE = timedelta(minutes=5)


class GatedSink(MailSink):
    """An SMTP sink that accepts the first `open_for` messages, then holds every later one
    at MAIL FROM until `gate` is set: a worker killed meanwhile has sent nothing more."""

    def __init__(self) -> None:
        super().__init__()
        self.open_for: int | None = None
        self.gate = threading.Event()
        self.mails = 0

    async def handle_MAIL(self, server, session, envelope, address, options):
        self.mails += 1
        if self.open_for is not None and self.mails > self.open_for:
            await asyncio.to_thread(self.gate.wait)
        envelope.mail_from = address
        return "250 OK"


@dataclass
class Stack:
    env: dict[str, str]
    folder: Path
    database_url: str
    sink: GatedSink
    apps: list[str] = field(default_factory=list)
    processes: list[subprocess.Popen] = field(default_factory=list)

    def start(self, *args: str) -> subprocess.Popen:
        log = (self.folder / f"process-{len(self.processes)}.log").open("w")
        process = subprocess.Popen(
            [*CLI, *args], env=self.env, cwd=self.folder, stdout=log, stderr=subprocess.STDOUT
        )
        self.processes.append(process)
        return process

    def output_of(self, process: subprocess.Popen) -> str:
        return (self.folder / f"process-{self.processes.index(process)}.log").read_text()

    def serve(self) -> tuple[str, subprocess.Popen]:
        port = free_port()
        process = self.start("serve", "--no-scheduler", "--port", str(port))
        url = f"http://127.0.0.1:{port}"
        wait_until(lambda: answers_ok(f"{url}/readyz"), f"{url} to be ready")
        return url, process

    def sent(self) -> int:
        return count_rows_in_database(self.database_url, "delivery", status="sent")


@pytest.fixture
def stack(tmp_path: Path, s3_endpoint: str, s3_bucket: str) -> Iterator[Stack]:
    """Migrated PostgreSQL, S3 and SMTP, with two app processes serving; every process is
    stopped at the end, whatever happened."""
    from aiosmtpd.controller import Controller

    try:
        database_url = run_blocking(create_postgres_database())
    except OSError as error:
        pytest.skip(f"PostgreSQL at TEST_POSTGRES_URL is not reachable ({error})")
    sink = GatedSink()
    smtp = Controller(sink, hostname="127.0.0.1", port=free_port())
    smtp.start()
    env = clean_environment(
        DATA_DIR=str(tmp_path / "var"),
        DATABASE_URL=database_url,
        MEDIA_STORAGE=f"s3://{s3_bucket}/media",
        S3_ENDPOINT_URL=s3_endpoint,
        AWS_ACCESS_KEY_ID=os.environ["AWS_ACCESS_KEY_ID"],
        AWS_SECRET_ACCESS_KEY=os.environ["AWS_SECRET_ACCESS_KEY"],
        AWS_DEFAULT_REGION=os.environ["AWS_DEFAULT_REGION"],
        MAIL_URL=f"smtp://127.0.0.1:{smtp.port}",
        SECRET_KEY="one-secret-for-every-process",
        VAPID_PRIVATE_KEY="j1Jcdf03eH5I-UQlTuUQN3sGonGtBNAxQw6eUhR1nek",
        LOG_FORMAT="json",
    )
    stack = Stack(env, tmp_path, database_url, sink)
    try:
        subprocess.run([*CLI, "migrate"], env=env, cwd=tmp_path, check=True, capture_output=True)
        for _ in range(2):
            stack.apps.append(stack.serve()[0])
        yield stack
    finally:
        sink.gate.set()
        # Asked to stop first: a server killed outright leaves its own worker processes
        # running after the test.
        for process in stack.processes:
            with contextlib.suppress(ProcessLookupError):
                process.terminate()
        for process in stack.processes:
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=30)
        smtp.stop()
        run_blocking(drop_postgres_database(database_url))


def daytime_zone(now: datetime) -> str:
    """A time zone where it is now between 10:00 and 16:00: far from midnight (so a pass
    a few minutes later is the same local day) and past the 08:00 on-this-day hour."""
    for hours in range(-12, 15):
        if 10 <= (now + timedelta(hours=hours)).hour < 16:
            # Etc/GMT names count the other way: Etc/GMT-3 is three hours ahead of UTC.
            return f"Etc/GMT{-hours:+d}" if hours else "UTC"
    raise AssertionError("some zone is always in its daytime")


def members_due_today(app: str, count: int, zone: str, prefix: str) -> list[str]:
    """`count` members, each alone in a timeline holding a memory of this day four years
    ago: each is due one on-this-day e-mail now. Their addresses."""
    addresses = []
    with httpx.Client(base_url=app) as api:
        for n in range(count):
            email = f"{prefix}{n}@example.org"
            token = api.post(
                "/api/v1/auth/signup",
                json={
                    "email": email,
                    "password": PASSWORD,
                    "display_name": f"M{n}",
                    "timezone": zone,
                },
            ).json()["token"]
            auth = {"Authorization": f"Bearer {token}"}
            timeline = api.post("/api/v1/timelines", json={"name": "Us"}, headers=auth).json()
            local = datetime.now(UTC).astimezone(ZoneInfo(zone)).date()
            memory = api.post(
                f"/api/v1/timelines/{timeline['id']}/memories",
                json={
                    "title": f"Picnic {n}",
                    "occurred_on": local.replace(year=local.year - 4).isoformat(),
                },
                headers=auth,
            )
            assert memory.status_code == 201, memory.text
            addresses.append(email)
    return addresses


def received(sink: MailSink, addresses: list[str]) -> Counter:
    """How many messages each of `addresses` received."""
    recipients = [parseaddr(m["To"])[1] for m in sink.received]
    return Counter(r for r in recipients if r in addresses)


def test_what_one_app_process_starts_the_other_continues(stack: Stack):
    a, b = stack.apps
    with httpx.Client(base_url=a) as on_a, httpx.Client(base_url=b) as on_b:
        signup = {"email": "ana@example.org", "password": PASSWORD, "display_name": "Ana"}
        token = on_a.post("/api/v1/auth/signup", json=signup).json()["token"]
        auth = {"Authorization": f"Bearer {token}"}
        timeline = on_a.post("/api/v1/timelines", json={"name": "Us"}, headers=auth).json()
        memory = on_a.post(
            f"/api/v1/timelines/{timeline['id']}/memories",
            json={"title": "Lake", "occurred_on": "2019-07-14"},
            headers=auth,
        ).json()
        upload = on_a.post(
            f"/api/v1/memories/{memory['id']}/photos",
            files={"file": ("lake.jpg", images.rotated_jpeg_with_gps(), "image/jpeg")},
            headers=auth,
        )
        assert upload.status_code == 201, upload.text

        read_on_b = on_b.get(f"/api/v1/memories/{memory['id']}", headers=auth).json()
        display = httpx.get(read_on_b["photos"][0]["urls"]["display"])

        login_page = on_a.get("/login")
        logged_in = on_a.post(
            "/login",
            data={
                "email": "ana@example.org",
                "password": PASSWORD,
                "_csrf_token": csrf_token(login_page.text),
            },
        )
        on_b.cookies.update(on_a.cookies)
        settings_on_b = on_b.get("/settings")
        saved_on_b = on_b.post(
            "/settings/emails",
            data={
                "on_this_day": "true",
                "hour": "7",
                "weekly_day": "6",
                "weekly_hour": "9",
                "timezone": "Europe/Lisbon",
                "_csrf_token": csrf_token(settings_on_b.text),
            },
        )
        preferences = on_a.get("/api/v1/me/email-preferences", headers=auth).json()

    assert read_on_b["photos"][0]["id"] == upload.json()["id"]
    assert display.status_code == 200
    assert display.headers["content-type"] == "image/webp"
    assert logged_in.status_code == 303
    assert settings_on_b.status_code == 200
    assert "Ana" in settings_on_b.text
    assert saved_on_b.status_code == 303
    assert (preferences["hour"], preferences["timezone"]) == (7, "Europe/Lisbon")


def test_two_workers_deliver_each_email_once_and_stop_when_asked(stack: Stack):
    zone = daytime_zone(datetime.now(UTC))
    due = members_due_today(stack.apps[0], 12, zone, "pair")

    workers = [stack.start("worker"), stack.start("worker")]
    wait_until(lambda: stack.sent() == len(due), "every due e-mail to be sent")
    for worker in workers:
        # Stopping is a signal the worker handles once it runs, not one that kills it.
        wait_until(lambda w=worker: "worker: e-mails" in stack.output_of(w), "the worker to run")
    for worker in workers:
        worker.send_signal(signal.SIGTERM)
    codes = [worker.wait(timeout=30) for worker in workers]

    assert codes == [0, 0]
    assert received(stack.sink, due) == dict.fromkeys(due, 1)


def test_a_worker_killed_mid_pass_leaves_its_emails_to_another_after_the_lease(stack: Stack):
    zone = daytime_zone(datetime.now(UTC))
    due = members_due_today(stack.apps[1], 10, zone, "late")
    stack.sink.open_for = 3

    doomed = stack.start("worker")
    wait_until(lambda: stack.sent() == 3, "the first three e-mails to be sent")
    doomed.kill()
    doomed.wait(timeout=30)
    claimed = count_rows_in_database(stack.database_url, "delivery", status="claimed")
    stack.sink.gate.set()
    too_soon = subprocess.run(
        [*CLI, "send-due-emails"], env=stack.env, cwd=stack.folder, capture_output=True, text=True
    )
    after_lease = (datetime.now(UTC) + LEASE + timedelta(minutes=1)).isoformat()
    other = subprocess.run(
        [*CLI, "send-due-emails", "--at", after_lease],
        env=stack.env,
        cwd=stack.folder,
        capture_output=True,
        text=True,
    )

    assert claimed == len(due) - 3
    assert too_soon.stdout.startswith("0 sent")
    assert other.returncode == 0, other.stderr
    assert other.stdout.startswith(f"{len(due) - 3} sent")
    assert received(stack.sink, due) == dict.fromkeys(due, 1)


def test_an_app_process_asked_to_stop_finishes_the_request_under_way(stack: Stack):
    url, process = stack.serve()
    with httpx.Client(base_url=url, timeout=60) as api:
        token = api.post(
            "/api/v1/auth/signup",
            json={"email": "sam@example.org", "password": PASSWORD, "display_name": "Sam"},
        ).json()["token"]
        auth = {"Authorization": f"Bearer {token}"}
        timeline = api.post("/api/v1/timelines", json={"name": "Us"}, headers=auth).json()
        body = {"title": "Half-sent when the stop came", "occurred_on": "2020-05-05"}
        halfway = threading.Event()

        def slowly():
            # The request is under way (headers and half the body sent) when SIGTERM comes.
            encoded = httpx.Request("POST", "/", json=body).content
            yield encoded[: len(encoded) // 2]
            halfway.set()
            stopping.wait(timeout=30)
            yield encoded[len(encoded) // 2 :]

        stopping = threading.Event()
        answer: list[httpx.Response] = []
        sender = threading.Thread(
            target=lambda: answer.append(
                api.post(
                    f"/api/v1/timelines/{timeline['id']}/memories",
                    content=slowly(),
                    headers={**auth, "content-type": "application/json"},
                )
            )
        )
        sender.start()
        halfway.wait(timeout=30)
        process.send_signal(signal.SIGTERM)
        wait_until(lambda: not answers_ok(f"{url}/healthz"), "the process to stop taking requests")
        stopping.set()
        sender.join(timeout=60)

    assert answer, "the request under way got no answer"
    assert answer[0].status_code == 201, answer[0].text
    assert process.wait(timeout=30) == 0


def test_a_reply_by_email_to_the_inbound_process_lands_on_the_memory(stack: Stack):
    port = free_port()
    inbound = stack.start("inbound", "--port", str(port))
    with httpx.Client(base_url=stack.apps[0]) as api:
        signup = {"email": "lea@example.org", "password": PASSWORD, "display_name": "Lea"}
        account = api.post("/api/v1/auth/signup", json=signup).json()
        auth = {"Authorization": f"Bearer {account['token']}"}
        timeline = api.post("/api/v1/timelines", json={"name": "Us"}, headers=auth).json()
        memory = api.post(
            f"/api/v1/timelines/{timeline['id']}/memories",
            json={"title": "Lake", "occurred_on": "2019-07-14"},
            headers=auth,
        ).json()
    # The address a letter to Lea about the memory carries, made with the stack's settings.
    until = date.today() + timedelta(days=60)
    address = reply_address(
        load_settings(stack.env), UUID(account["user"]["id"]), UUID(memory["id"]), until
    )
    reply = reply_by_email(
        "Lea <lea@example.org>",
        address,
        "Still my favourite lake.\n\nOn Sunday, Remember When wrote:\n> Lake",
        photos=[("lake.jpg", images.rotated_jpeg_with_gps())],
    )

    wait_until(lambda: listening(port), "inbound to listen")
    refused = send_mail(port, reply, to=[address], sender="lea@example.org")
    read_on_b = httpx.get(f"{stack.apps[1]}/api/v1/memories/{memory['id']}", headers=auth).json()
    inbound.send_signal(signal.SIGTERM)

    assert refused == {}
    assert (read_on_b["replies_count"], len(read_on_b["photos"])) == (1, 1)
    assert inbound.wait(timeout=30) == 0
