"""Replies to letters by e-mail: `remember-when inbound`'s server, run for real on a free port
(on the app's event loop, where its database is open), takes messages sent over SMTP or LMTP
and lands each on its memory, or drops it and tells the member why (bounces go to a real
SMTP server)."""

from __future__ import annotations

import base64
import dataclasses
import smtplib
from collections.abc import Iterator
from datetime import timedelta
from email import policy
from uuid import UUID

import dkim
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from litestar.testing import AsyncTestClient

from media.errors import StorageUnavailable
from server.common.links import reply_address
from server.common.settings import Settings
from server.worker.inbound import start_inbound
from server.worker.mailer import mailer_for
from tests import images
from tests.conftest import Clock, MailSink, Member
from tests.support import (
    email_pass,
    free_port,
    page_soup,
    picnic_three_years_ago,
    reply_by_email,
    send_mail,
    web_log_in,
    write_memory,
)

QUOTED_REPLY = """I still think about the cherries.
We should go back in July, just the two of us.

--
Sam
Sent from my phone

On Mon, 15 Jun 2026 at 11:30, Remember When <remember-when@localhost> wrote:
> Three years ago today: Picnic at the lake
> We ate cherries and stayed until the stars came out.
"""


class Inbound:
    """The inbound server started for a test: where it listens, what it bounced."""

    def __init__(self, client: AsyncTestClient, settings: Settings, clock: Clock, smtp) -> None:
        self.client, self.settings, self.clock = client, settings, clock
        self.bounce_url, self.bounces = smtp
        self.servers: list = []
        # The DNS records the DKIM check reads (TXT by name), instead of asking DNS.
        self.dns: dict[bytes, bytes] = {}

    def start(self, *, lmtp: bool = False, storage=None, **changes) -> int:
        """A server on a free port with these settings changed; its port."""
        port = free_port()
        settings = dataclasses.replace(self.settings, **changes)
        storage = storage or self.client.app.state.storage
        mailer = mailer_for(self.bounce_url)
        server = self.client.blocking_portal.call(
            lambda: start_inbound(
                settings,
                storage,
                mailer,
                self.clock,
                host="127.0.0.1",
                port=port,
                lmtp=lmtp,
                dnsfunc=self.txt_record,
            )
        )
        self.servers.append((server, mailer))
        return port

    def txt_record(self, name: bytes, timeout: float = 5) -> bytes | None:
        return self.dns.get(name)

    def stop(self) -> None:
        async def close(server, mailer) -> None:
            server.close()
            await server.wait_closed()
            await mailer.close()

        for server, mailer in self.servers:
            self.client.blocking_portal.call(close, server, mailer)


@pytest.fixture
def inbound(client, settings, clock, smtp_server) -> Iterator[Inbound]:
    running = Inbound(client, settings, clock, smtp_server)
    try:
        yield running
    finally:
        running.stop()


@pytest.fixture
def letter(client, couple, settings: Settings, clock: Clock):
    """Ana and Sam, Ana's memory of the picnic, and the reply address of a letter about it
    made for `whom` (Sam by default), taken for 60 days."""

    async def write(whom: str = "sam") -> tuple[Member, Member, dict, str]:
        ana, sam, timeline_id = await couple()
        memory = await write_memory(
            client, ana, timeline_id, "Picnic at the lake", "2023-06-15", body="Cherries."
        )
        member = {"ana": ana, "sam": sam}[whom]
        until = clock.now.date() + timedelta(days=60)
        address = reply_address(settings, UUID(member.id), UUID(memory["id"]), until)
        return ana, sam, memory, address

    return write


def sender(member: Member) -> str:
    return f"{member.display_name} <{member.email}>"


async def replies_on_page(client: AsyncTestClient, member: Member, memory: dict) -> list[str]:
    """The replies `member` reads on the memory's page, each as its paragraph's text."""
    client.cookies.clear()
    logged_in = await web_log_in(client, member.email)
    assert logged_in.status_code == 303, logged_in.text
    page = await client.get(f"/m/{memory['id']}")
    assert page.status_code == 200
    return [p.get_text() for p in page_soup(page.text).select(".memory-replies li.reply p")]


async def memory_json(client: AsyncTestClient, member: Member, memory: dict) -> dict:
    response = await client.get(f"/api/v1/memories/{memory['id']}", headers=member.auth)
    assert response.status_code == 200, response.text
    return response.json()


def bounce_text(sink: MailSink) -> str:
    [bounce] = sink.received
    return " ".join(bounce.get_body(("plain",)).get_content().split())


async def test_partner_reply_by_email_lands_on_the_memory(client, letter, inbound):
    ana, sam, memory, address = await letter("sam")
    port = inbound.start()
    reply = reply_by_email(sender(sam), address, QUOTED_REPLY)

    refused = send_mail(port, reply, to=[address], sender=sam.email)

    assert refused == {}
    assert await replies_on_page(client, ana, memory) == [
        "I still think about the cherries.\nWe should go back in July, just the two of us."
    ]
    assert inbound.bounces.received == []


async def test_answering_a_letter_from_a_mail_program_puts_the_answer_on_its_memory(
    client, couple, settings, clock, inbound
):
    ana, sam, _timeline_id, picnic = await picnic_three_years_ago(client, couple)
    report = email_pass(client, settings, inbound.bounce_url, clock.now)
    [letter] = [m for m in inbound.bounces.received if m["To"].addresses[0].addr_spec == sam.email]
    quoted = "\n".join(
        f"> {line}" for line in letter.get_body(("plain",)).get_content().split("\n")
    )
    reply_to = letter["Reply-To"].addresses[0].addr_spec
    inbound.bounces.received.clear()
    port = inbound.start()
    answer = reply_by_email(
        sender(sam),
        reply_to,
        f"The cherries!\n\nOn Monday, Remember When wrote:\n{quoted}\n",
        headers={"In-Reply-To": letter["Message-ID"]},
    )

    send_mail(port, answer, to=[reply_to], sender=sam.email)

    assert report.sent == 2
    assert await replies_on_page(client, ana, picnic) == ["The cherries!"]
    assert inbound.bounces.received == []


async def test_a_reply_written_in_html_only_lands_as_its_text(client, letter, inbound):
    ana, sam, memory, address = await letter("sam")
    port = inbound.start()
    reply = reply_by_email(sender(sam), address, "")
    reply.clear_content()
    reply.set_content(
        "<html><body><p>Yes, <b>let's</b> go back!</p><div>Love,<br>Sam</div>"
        '<div class="gmail_quote">On Monday Remember When wrote:'
        "<blockquote>Picnic at the lake</blockquote></div></body></html>",
        subtype="html",
    )

    send_mail(port, reply, to=[address], sender=sam.email)

    assert await replies_on_page(client, ana, memory) == ["Yes, let's go back!\n\nLove,\nSam"]


async def test_a_long_reply_is_cut_to_what_a_reply_holds_without_control_characters(
    client, letter, inbound
):
    ana, sam, memory, address = await letter("sam")
    port = inbound.start()
    text = "Ring\x07 the bell.\tTwice.\n\n" + "la " * 1000

    send_mail(port, reply_by_email(sender(sam), address, text), to=[address], sender=sam.email)

    [shown] = await replies_on_page(client, ana, memory)
    assert shown.startswith("Ring the bell. Twice.\n\nla la")
    assert len(shown) == 2000
    assert shown.endswith("…")


async def test_a_reply_to_a_memory_in_the_trash_is_told_how_to_bring_it_back(
    client, letter, inbound
):
    ana, sam, memory, address = await letter("sam")
    port = inbound.start()
    trashed = await client.delete(f"/api/v1/memories/{memory['id']}", headers=ana.auth)
    assert trashed.status_code == 204

    send_mail(port, reply_by_email(sender(sam), address, "Hey"), to=[address], sender=sam.email)

    assert (await memory_json(client, sam, memory))["replies_count"] == 0
    assert inbound.bounces.received[0]["To"].addresses[0].addr_spec == sam.email
    assert "is in the trash, so we could not add your reply" in bounce_text(inbound.bounces)


async def test_photos_sent_with_a_reply_are_added_to_the_memory(client, letter, inbound):
    ana, sam, memory, address = await letter("sam")
    port = inbound.start()
    reply = reply_by_email(
        sender(sam),
        address,
        "",
        photos=[
            ("lake.jpg", images.rotated_jpeg_with_gps()),
            ("IMG_0042.HEIC", images.heic()),
            ("notes.txt", b"not a photo"),
            ("broken.jpg", images.truncated_jpeg()),
        ],
    )

    send_mail(port, reply, to=[address], sender=sam.email)

    seen = await memory_json(client, ana, memory)
    assert [photo["width"] > 0 for photo in seen["photos"]] == [True, True]
    assert seen["replies_count"] == 0
    assert inbound.bounces.received == []


async def test_a_reply_brings_at_most_four_photos(client, letter, inbound):
    ana, sam, memory, address = await letter("sam")
    port = inbound.start()
    photos = [(f"photo-{n}.jpg", images.scenery(120, 90, seed=n)) for n in range(6)]

    send_mail(port, reply_by_email(sender(sam), address, "", photos=photos), to=[address])

    assert len((await memory_json(client, ana, memory))["photos"]) == 4


async def test_a_reply_sent_twice_after_a_storage_failure_lands_once(client, letter, inbound):
    ana, sam, memory, address = await letter("sam")

    class Unreachable:
        """The photo store, down for writes."""

        def __init__(self, real) -> None:
            self.real = real

        async def put(self, *args, **kwargs) -> None:
            raise StorageUnavailable("The photo store did not answer.")

        def __getattr__(self, name):
            return getattr(self.real, name)

    down = inbound.start(storage=Unreachable(client.app.state.storage))
    up = inbound.start()
    reply = reply_by_email(
        sender(sam), address, "Look!", photos=[("lake.jpg", images.rotated_jpeg_with_gps())]
    )

    with pytest.raises(smtplib.SMTPDataError) as later:
        send_mail(down, reply, to=[address], sender=sam.email)
    send_mail(up, reply, to=[address], sender=sam.email)

    assert later.value.smtp_code == 451
    seen = await memory_json(client, ana, memory)
    assert (len(seen["photos"]), seen["replies_count"]) == (1, 1)


async def test_a_member_replying_through_their_partners_letter_is_told_why_not(
    client, letter, inbound
):
    ana, _sam, memory, address = await letter("sam")
    private, record = _dkim_key()
    inbound.dns[f"mail._domainkey.{ana.email.rpartition('@')[2]}.".encode()] = record
    unsigned_port = inbound.start()
    port = inbound.start(inbound_dkim=True)
    reply = reply_by_email(sender(ana), address, "Me too!")
    domain = ana.email.rpartition("@")[2].encode()

    # Unsigned, the From may be anyone's: its owner is not told (or anyone could fill
    # their inbox); signed by their domain, they are.
    send_mail(unsigned_port, reply, to=[address], sender=ana.email)
    assert inbound.bounces.received == []
    send_mail(port, _signed(reply, domain, private), to=[address], sender=ana.email)

    assert await replies_on_page(client, ana, memory) == []
    [bounce] = inbound.bounces.received
    assert bounce["To"].addresses[0].addr_spec == ana.email
    assert bounce["Auto-Submitted"] == "auto-replied"
    assert bounce["In-Reply-To"] == bounce["References"] == reply["Message-ID"]
    assert "This address was made for a letter to Sam, so we could not add your reply." in (
        bounce_text(inbound.bounces)
    )


async def test_a_member_of_another_timeline_is_told_without_naming_anyone(
    client, letter, sign_up, inbound
):
    ana, _sam, memory, address = await letter("sam")
    carl = await sign_up("Carl")
    private, record = _dkim_key()
    domain = carl.email.rpartition("@")[2]
    inbound.dns[f"mail._domainkey.{domain}.".encode()] = record
    port = inbound.start(inbound_dkim=True)
    reply = reply_by_email(sender(carl), address, "Hi")

    send_mail(port, _signed(reply, domain.encode(), private), to=[address], sender=carl.email)

    assert await replies_on_page(client, ana, memory) == []
    assert inbound.bounces.received[0]["To"].addresses[0].addr_spec == carl.email
    told = bounce_text(inbound.bounces)
    assert "made for a letter to someone else" in told
    assert "Sam" not in told
    assert memory["id"] not in told


async def test_a_reply_to_an_old_letter_is_told_to_write_on_the_page(
    client, letter, inbound, clock
):
    ana, sam, memory, address = await letter("sam")
    port = inbound.start()
    clock.advance(timedelta(days=61))

    send_mail(port, reply_by_email(sender(sam), address, "Late!"), to=[address], sender=sam.email)

    assert await replies_on_page(client, ana, memory) == []
    told = bounce_text(inbound.bounces)
    assert "This letter is more than 60 days old, so we could not add your reply." in told
    assert f"http://testserver.local/m/{memory['id']}" in told


async def test_a_stranger_is_neither_stored_nor_answered(client, letter, inbound):
    ana, _sam, memory, address = await letter("sam")
    port = inbound.start()
    stranger = "Mallory <mallory@example.net>"

    refused = send_mail(
        port, reply_by_email(stranger, address, "Hello"), to=[address], sender="x@example.net"
    )

    assert refused == {}
    assert await replies_on_page(client, ana, memory) == []
    assert inbound.bounces.received == []


async def test_an_address_that_is_not_ours_is_refused_at_rcpt(letter, inbound):
    _ana, sam, _memory, _address = await letter("sam")
    port = inbound.start()
    others = ["friend@example.org", "remember-when@localhost", "remember-when+nottoken@localhost"]

    for other in others:
        with pytest.raises(smtplib.SMTPRecipientsRefused) as refused:
            send_mail(port, reply_by_email(sender(sam), other, "Hi"), to=[other])
        assert refused.value.recipients[other][0] == 550


async def test_automatic_messages_are_not_added_nor_answered(client, letter, inbound):
    ana, sam, memory, address = await letter("sam")
    port = inbound.start()
    away = reply_by_email(
        sender(sam), address, "I am away until July.", headers={"Auto-Submitted": "auto-replied"}
    )
    misdirected_bounce = reply_by_email(sender(ana), address, "Undeliverable")

    send_mail(port, away, to=[address], sender=sam.email)
    send_mail(port, misdirected_bounce, to=[address], sender="")

    assert await replies_on_page(client, ana, memory) == []
    assert inbound.bounces.received == []


async def test_replies_arrive_over_lmtp_with_an_answer_per_recipient(client, letter, inbound):
    ana, sam, memory, address = await letter("sam")
    port = inbound.start(lmtp=True)

    refused = send_mail(
        port, reply_by_email(sender(sam), address, "Over LMTP"), to=[address], lmtp=True
    )

    assert refused == {}
    assert await replies_on_page(client, ana, memory) == ["Over LMTP"]


def _dkim_key() -> tuple[bytes, bytes]:
    """A private key (PEM) and its DNS record (`v=DKIM1; k=rsa; p=…`)."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    private = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.TraditionalOpenSSL,
        serialization.NoEncryption(),
    )
    public = key.public_key().public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    return private, b"v=DKIM1; k=rsa; p=" + base64.b64encode(public)


def _signed(message, domain: bytes, private: bytes) -> bytes:
    data = message.as_bytes(policy=policy.SMTP)
    return dkim.sign(data, b"mail", domain, private, include_headers=[b"from", b"to"]) + data


async def test_with_inbound_dkim_only_replies_signed_by_the_senders_domain_land(
    client, letter, inbound
):
    ana, sam, memory, address = await letter("sam")
    private, record = _dkim_key()
    inbound.dns[b"mail._domainkey.example.org."] = record
    inbound.dns[b"mail._domainkey.example.net."] = record
    port = inbound.start(inbound_dkim=True)
    unsigned = reply_by_email(sender(sam), address, "Unsigned")
    other_domain = reply_by_email(sender(sam), address, "Signed elsewhere")
    signed = reply_by_email(sender(sam), address, "Signed by example.org")

    for data in (
        unsigned.as_bytes(policy=policy.SMTP),
        _signed(other_domain, b"example.net", private),
        _signed(signed, b"example.org", private),
    ):
        send_mail(port, data, to=[address], sender=sam.email)

    assert await replies_on_page(client, ana, memory) == ["Signed by example.org"]
    assert inbound.bounces.received == []
