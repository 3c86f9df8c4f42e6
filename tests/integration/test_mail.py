"""Mail transports: .eml files by default, a real SMTP server otherwise, and failures that
say whether a later pass may retry."""

from __future__ import annotations

from email.message import EmailMessage

import pytest

from server.mail import FileMailer, MailError, mailer_for
from tests.support import free_port


def letter(subject: str = "3 years ago today: Picnic at the lake") -> EmailMessage:
    message = EmailMessage()
    message["From"] = "Remember When <remember-when@example.org>"
    message["To"] = "ana@example.org"
    message["Subject"] = subject
    message["Message-ID"] = "<delivery-42@example.org>"
    message.set_content("Three years ago today you had a picnic at the lake.")
    return message


async def test_the_default_writes_each_message_to_an_eml_file(tmp_path):
    mailer = mailer_for(f"file://{tmp_path}/outbox")

    await mailer.send(letter())

    assert isinstance(mailer, FileMailer)
    assert [p.name for p in (tmp_path / "outbox").iterdir()] == ["delivery-42.eml"]
    written = (tmp_path / "outbox" / "delivery-42.eml").read_text()
    assert "Subject: 3 years ago today: Picnic at the lake" in written
    assert "Three years ago today you had a picnic at the lake." in written


async def test_smtp_delivers_to_the_server(smtp_server):
    url, sink = smtp_server

    await mailer_for(url).send(letter())

    assert [m["Subject"] for m in sink.received] == ["3 years ago today: Picnic at the lake"]
    assert sink.received[0]["To"] == "ana@example.org"


async def test_a_server_that_is_down_is_a_temporary_failure():
    with pytest.raises(MailError) as failure:
        await mailer_for(f"smtp://127.0.0.1:{free_port()}").send(letter())

    assert failure.value.temporary


@pytest.mark.parametrize(
    ("answer", "temporary"),
    [("451 Try again later", True), ("550 No such mailbox", False)],
)
async def test_a_refusal_is_temporary_or_permanent_by_its_code(smtp_server, answer, temporary):
    url, sink = smtp_server
    sink.answer = answer

    with pytest.raises(MailError) as failure:
        await mailer_for(url).send(letter())

    assert failure.value.temporary is temporary
    assert sink.received == []
