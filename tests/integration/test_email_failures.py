"""One e-mail that cannot be written or sent fails alone: the others of its pass go out, and
a delivery no worker can finish ends failed after a bounded number of tries."""

from __future__ import annotations

import logging
from datetime import timedelta

import pytest

from server.common.storage import storage_for
from server.worker import letters as emails
from server.worker.mailer import mailer_for
from server.worker.scheduler import send_due_emails
from tests.integration.test_email_workers import NOW, members_with_a_memory_of_today
from timeline.models import Delivery, Memory, User

pytestmark = pytest.mark.usefixtures("db")


def one_pass(settings, url: str, at=NOW):
    return send_due_emails(
        at, settings=settings, storage=storage_for(settings), mailer=mailer_for(url)
    )


async def test_a_message_that_cannot_be_written_fails_alone_and_the_others_go_out(
    settings, smtp_server, caplog, monkeypatch
):
    url, sink = smtp_server
    await members_with_a_memory_of_today(3)
    # A letter whose writing breaks (a bug, data no check foresaw): here, its subject.
    original = emails.subject_of

    def breaks_for_picnic_1(letter):
        subject = original(letter)
        if "Picnic 1" in subject:
            raise ValueError("cannot write this one")
        return subject

    monkeypatch.setattr(emails, "subject_of", breaks_for_picnic_1)

    report = await one_pass(settings, url)
    later = await one_pass(settings, url, NOW + timedelta(hours=2))

    assert sorted(m["To"].addresses[0].addr_spec for m in sink.received) == [
        "member0@example.org",
        "member2@example.org",
    ]
    assert (report.sent, report.failed, later.sent) == (2, 1, 0)
    poisoned = await Delivery.get(user__email="member1@example.org")
    assert (poisoned.status, poisoned.error) == (
        Delivery.FAILED,
        "could not write the message (ValueError)",
    )
    logged = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert f"delivery {poisoned.id} not sent: could not write the message (ValueError)" in logged


async def test_a_title_stored_with_a_line_break_goes_out_on_one_line(settings, smtp_server):
    url, sink = smtp_server
    await members_with_a_memory_of_today(1)
    # Written straight into the database, as data from before titles were checked would be.
    await Memory.filter(title="Picnic 0").update(title="Picnic\r\nBcc: everyone@example.org")

    report = await one_pass(settings, url)

    assert report.sent == 1
    headers = sink.raw[0].split(b"\r\n\r\n", 1)[0]
    assert b"\r\nBcc:" not in headers
    assert b"Picnic Bcc: everyone@example.org" in headers


async def test_an_address_that_cannot_be_written_in_ascii_fails_for_good(settings, smtp_server):
    url, sink = smtp_server
    await members_with_a_memory_of_today(2)
    await User.filter(email="member0@example.org").update(email="zoë@example.org")

    report = await one_pass(settings, url)

    assert (report.sent, report.failed, len(sink.received)) == (1, 1, 1)
    failed = await Delivery.get(status=Delivery.FAILED)
    assert failed.error == "the address cannot be written in ASCII"
