"""Operating the service: `remember-when check` reaches every backend and says which one
fails, without printing secrets; logs can be JSON lines for log shippers."""

from __future__ import annotations

import dataclasses
import json
import subprocess

from litestar.testing import AsyncTestClient

from server.app import create_app
from tests.support import CLI, clean_environment, free_port


def check(tmp_path, **settings: str) -> subprocess.CompletedProcess:
    env = clean_environment(DATA_DIR=str(tmp_path / "var"), **settings)
    return subprocess.run([*CLI, "check"], env=env, cwd=tmp_path, capture_output=True, text=True)


def test_check_reaches_every_backend_one_line_each(tmp_path, smtp_server):
    url, _ = smtp_server

    done = check(tmp_path, MAIL_URL=url, MAIL_FROM="Remember When <letters@example.org>")

    assert done.returncode == 0, done.stdout + done.stderr
    assert [line.split()[:2] for line in done.stdout.splitlines()] == [
        ["settings", "ok"],
        ["database", "ok"],
        ["storage", "ok"],
        ["mail", "ok"],
    ]


def test_check_warns_while_letters_would_come_from_localhost(tmp_path, smtp_server):
    url, _ = smtp_server

    done = check(tmp_path, MAIL_URL=url)

    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.splitlines()[-3:] == [
        "warning   MAIL_FROM is remember-when@localhost: letters need a real domain to be "
        "delivered and answered",
        "warning   MAIL_REPLY_TO is remember-when@localhost: letters need a real domain to be "
        "delivered and answered",
        "warning   VAPID_SUBJECT is mailto:remember-when@localhost: push services want a real "
        "contact (mailto: at your domain, or your https site)",
    ]


def test_check_warns_that_phones_need_https_beyond_this_machine(tmp_path, smtp_server):
    url, _ = smtp_server

    done = check(
        tmp_path,
        MAIL_URL=url,
        MAIL_FROM="Remember When <letters@example.org>",
        BASE_URL="http://memories.example.org",
    )

    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.splitlines()[-1] == (
        "warning   BASE_URL is not https: phones will not install the app or turn notifications on"
    )


def test_check_names_the_backend_that_does_not_answer_and_hides_passwords(tmp_path):
    done = check(tmp_path, MAIL_URL=f"smtp://ana:hunter22@127.0.0.1:{free_port()}")

    assert done.returncode == 1
    (mail,) = [line for line in done.stdout.splitlines() if line.startswith("mail ")]
    assert mail.split()[:2] == ["mail", "FAILED"]
    assert "ana:***@127.0.0.1" in mail
    assert "hunter22" not in done.stdout + done.stderr


def test_check_refuses_a_malformed_setting_naming_it(tmp_path):
    done = check(tmp_path, DATABASE_URL="mysql://nowhere/db")

    assert done.returncode == 2
    assert done.stderr.startswith("remember-when: DATABASE_URL: unknown scheme 'mysql'")


async def test_json_logs_carry_the_request_fields(settings, clock, capsys):
    app = create_app(dataclasses.replace(settings, log_format="json"), clock=clock)
    async with AsyncTestClient(app) as client:
        response = await client.get("/api/v1/timelines/00000000-0000-0000-0000-000000000000")

    lines = [json.loads(line) for line in capsys.readouterr().err.splitlines() if line[:1] == "{"]
    (request,) = [
        line for line in lines if line.get("request_id") == response.headers["x-request-id"]
    ]
    assert request["logger"] == "remember_when.request"
    assert (request["method"], request["route"], request["status"]) == (
        "GET",
        "/api/v1/timelines/{timeline_id}",
        401,
    )
    assert request["level"] == "INFO"
