"""Mail transports: .eml files by default, a real SMTP server otherwise, and failures that
say whether a later pass may retry."""

from __future__ import annotations

from email.headerregistry import Address
from email.message import EmailMessage

import pytest

from server.worker.mailer import POLICY, FileMailer, MailError, mailer_for, recipient
from tests.support import free_port

UNSUBSCRIBE = "<https://rw.example/unsubscribe/" + "0a1b2c3d-" * 10 + "on_this_day.signature>"


def letter(
    subject: str = "3 years ago today: Picnic at the lake", to: str | Address = "ana@example.org"
) -> EmailMessage:
    message = EmailMessage(policy=POLICY)
    message["From"] = "Remember When <remember-when@example.org>"
    message["To"] = to
    message["Subject"] = subject
    message["Message-ID"] = "<delivery-42@example.org>"
    message.set_raw("List-Unsubscribe", UNSUBSCRIBE)
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


def header_line(data: bytes, name: bytes) -> bytes:
    """The header `name` of a message's raw bytes, as the line that carries it."""
    (line,) = [line for line in data.split(b"\r\n") if line.startswith(name + b": ")]
    return line


async def test_smtp_hands_over_the_bytes_it_wrote_long_unsubscribe_link_as_written(
    smtp_server,
):
    url, sink = smtp_server
    message = letter()

    await mailer_for(url).send(message)

    assert sink.raw == [message.as_bytes()]
    line = header_line(sink.raw[0], b"List-Unsubscribe")
    assert line == b"List-Unsubscribe: " + UNSUBSCRIBE.encode()


async def test_the_eml_file_holds_the_same_bytes_as_the_wire(tmp_path):
    message = letter()

    await mailer_for(f"file://{tmp_path}").send(message)

    assert (tmp_path / "delivery-42.eml").read_bytes() == message.as_bytes()


async def test_the_recipient_is_named_and_a_non_ascii_name_is_encoded(smtp_server):
    url, sink = smtp_server
    message = letter(to=recipient("Zoë Ångström", "zoe@example.org"))

    await mailer_for(url).send(message)

    # base64 of "Zoë Ångström" in UTF-8, an RFC 2047 encoded word
    name = b"=?utf-8?b?Wm/DqyDDhW5nc3Ryw7Zt?="
    assert header_line(sink.raw[0], b"To") == b"To: " + name + b" <zoe@example.org>"


async def test_a_name_with_a_line_break_stays_on_the_to_line(smtp_server):
    url, sink = smtp_server

    await mailer_for(url).send(letter(to=recipient("Ana\r\nBcc: all@example.org", "a@b.org")))

    assert header_line(sink.raw[0], b"To") == b'To: "Ana Bcc: all@example.org" <a@b.org>'
    assert b"\r\nBcc:" not in sink.raw[0]


def test_an_international_domain_is_written_in_ascii():
    assert str(recipient("Zoë", "zoe@ëxample.org")) == "Zoë <zoe@xn--xample-ova.org>"


def test_an_address_that_cannot_be_written_in_ascii_has_no_recipient_form():
    with pytest.raises(MailError) as failure:
        recipient("Zoë", "zoë@example.org")

    assert not failure.value.temporary


@pytest.mark.parametrize("transport", ["file", "smtp"])
async def test_a_non_ascii_address_is_refused_for_good_and_nothing_is_written(
    transport, smtp_server, tmp_path
):
    url, sink = smtp_server
    mailer = mailer_for(url if transport == "smtp" else f"file://{tmp_path}")

    with pytest.raises(MailError) as failure:
        await mailer.send(letter(to="Zoë <zoë@example.org>"))

    assert not failure.value.temporary
    assert (sink.raw, list(tmp_path.iterdir())) == ([], [])
