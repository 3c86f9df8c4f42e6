"""The e-mails as a partner receives them from a real SMTP server: what they say, the
photos inside them, their links, unsubscribing in one click, and nothing sent twice."""

from __future__ import annotations

import io
import re
from datetime import UTC, datetime, timedelta
from email.header import decode_header, make_header
from email.utils import format_datetime

import pytest
from PIL import Image

from tests.support import (
    email_pass,
    free_port,
    page_soup,
    picnic_three_years_ago,
    rate_memory,
    stored_keys,
    wire_headers,
    write_memory,
)


def parts(message):
    """The plain-text body, the HTML body and the inline images by Content-ID."""
    text = message.get_body(("plain",)).get_content()
    html = message.get_body(("html",)).get_content()
    inline = {
        part["Content-ID"].strip("<>"): part
        for part in message.walk()
        if part.get_content_maintype() == "image"
    }
    return text, html, inline


def received_by(sink, member):
    """The message the SMTP server received for `member`, parsed."""
    (message,) = [m for m in sink.received if m["To"].addresses[0].addr_spec == member.email]
    return message


def addressed_to(sink, member) -> bytes:
    """The raw message the SMTP server received for `member`."""
    (raw,) = [r for r in sink.raw if f"<{member.email}>" in wire_headers(r)["To"]]
    return raw


@pytest.mark.parametrize("media_storage", ["file", "s3"], indirect=True)
async def test_on_this_day_arrives_with_both_parts_its_photo_and_absolute_links(
    client, couple, clock, settings, smtp_server
):
    url, sink = smtp_server
    ana, sam, _, picnic = await picnic_three_years_ago(client, couple)

    report = email_pass(client, settings, url, clock())

    assert report.sent == 2
    assert sorted(wire_headers(r)["To"] for r in sink.raw) == sorted(
        [f"Ana <{ana.email}>", f"Sam <{sam.email}>"]
    )
    message = received_by(sink, ana)
    assert message["Subject"] == "Ana, 3 years ago today: Picnic at the lake"
    text, html, inline = parts(message)
    assert "3 years ago" in text
    assert "Picnic at the lake" in text
    assert "We ate cherries and stayed until the stars came out." in text
    assert f"http://testserver.local/m/{picnic['id']}" in text
    page = page_soup(html)
    assert page.find("a", string="Picnic at the lake")["href"] == (
        f"http://testserver.local/m/{picnic['id']}"
    )
    (image,) = page.find_all("img")
    assert image["alt"] == "A photo of “Picnic at the lake”"
    assert image["width"] == "552"  # the column's width
    content_id = image["src"].removeprefix("cid:")
    assert inline[content_id].get_content_type() == "image/jpeg"
    assert inline[content_id].get_content_disposition() == "inline"
    assert b"GPS" not in inline[content_id].get_content()
    # The whole 400×600 photo (letters get up to 800 px, no longer the 400 px thumb).
    assert Image.open(io.BytesIO(inline[content_id].get_content())).size == (400, 600)
    assert len(sink.raw[0]) < 1_000_000


async def test_headers_leave_as_written_and_lines_stay_within_78(
    client, couple, clock, settings, smtp_server
):
    url, sink = smtp_server
    ana, _, _, _ = await picnic_three_years_ago(client, couple)

    email_pass(client, settings, url, clock())

    raw = addressed_to(sink, ana)
    headers = wire_headers(raw)
    assert re.fullmatch(
        rf"<http://testserver\.local/unsubscribe/{ana.id}\.letters\.[\w-]+>",
        headers["List-Unsubscribe"],
    )
    assert headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert re.fullmatch(r"<[\w-]+@testserver\.local>", headers["Message-ID"])
    assert headers["Subject"] == "Ana, 3 years ago today: Picnic at the lake"
    assert headers["From"] == "Remember When <remember-when@localhost>"
    assert re.fullmatch(r"remember-when\+[a-z2-7]{42}@localhost", headers["Reply-To"])
    assert headers["List-Id"] == "Remember When letters <letters.testserver.local>"
    assert headers["To"] == f"Ana <{ana.email}>"
    assert headers["Date"] == format_datetime(clock())  # the instant of the pass
    assert headers["Auto-Submitted"] == "auto-generated"
    assert headers["MIME-Version"] == "1.0"
    assert headers["Content-Type"].startswith("multipart/alternative;")
    related = re.search(rb"Content-Type: multipart/related;[^\r]*(\r\n[ \t][^\r]*)*", raw)
    assert b'type="text/html"' in related[0]
    long_lines = [line for line in raw.split(b"\r\n") if len(line) > 78]
    assert long_lines == [f"List-Unsubscribe: {headers['List-Unsubscribe']}".encode()]


async def test_a_member_with_a_non_ascii_name_is_named_in_an_encoded_to(
    client, sign_up, settings, smtp_server
):
    url, sink = smtp_server
    zoe = await sign_up("Zoë Ångström")
    await client.post(
        "/api/v1/timelines",
        json={"name": "Us", "together_since": "2019-06-12"},
        headers=zoe.auth,
    )

    email_pass(client, settings, url, datetime(2026, 6, 12, 7, 0, tzinfo=UTC))

    to = wire_headers(addressed_to(sink, zoe))["To"]
    assert to.isascii()
    assert str(make_header(decode_header(to))) == f"Zoë Ångström <{zoe.email}>"


async def test_a_second_pass_sends_nothing_again(client, couple, clock, settings, smtp_server):
    url, sink = smtp_server
    await picnic_three_years_ago(client, couple)
    email_pass(client, settings, url, clock())

    again = email_pass(client, settings, url, clock() + timedelta(hours=3))

    assert again.sent == 0
    assert len(sink.received) == 2


async def test_no_email_when_earlier_years_hold_nothing_for_today(
    client, couple, clock, settings, smtp_server
):
    url, sink = smtp_server
    ana, _, timeline_id = await couple()
    await write_memory(client, ana, timeline_id, "The day after", "2023-06-16")
    await write_memory(
        client, ana, timeline_id, "Only the month", "2023-06-15", date_precision="month"
    )

    report = email_pass(client, settings, url, clock())

    assert (report.sent, sink.received) == (0, [])


async def test_a_quiet_rule_silences_the_email(client, couple, clock, settings, smtp_server):
    url, sink = smtp_server
    ana, _, timeline_id = await couple()
    await write_memory(client, ana, timeline_id, "Hospital", "2023-06-15", tags=["hard"])
    await client.post(
        f"/api/v1/timelines/{timeline_id}/quiet-rules", json={"tag": "hard"}, headers=ana.auth
    )

    report = email_pass(client, settings, url, clock())

    assert report.sent == 0
    assert report.skipped == 2
    assert sink.received == []


async def test_a_vetoed_memory_never_comes_back_by_email(
    client, couple, clock, settings, smtp_server, count_rows
):
    url, sink = smtp_server
    ana, sam, timeline_id = await couple()
    argument = await write_memory(client, ana, timeline_id, "The argument", "2022-06-15")
    for member in (ana, sam):
        await rate_memory(client, member, argument, 5)
    pick = await client.get(f"/api/v1/timelines/{timeline_id}/resurfacing/today", headers=sam.auth)
    assert pick.json()["memory"]["id"] == argument["id"]
    await client.post(
        f"/api/v1/suggestions/{pick.json()['suggestion_id']}/feedback",
        json={"action": "never"},
        headers=sam.auth,
    )

    report = email_pass(client, settings, url, clock())

    assert (report.sent, sink.received) == (0, [])
    assert count_rows("delivery") == 0


async def test_one_click_unsubscribe_stops_every_letter_for_that_partner_only(
    client, couple, clock, settings, smtp_server
):
    url, sink = smtp_server
    ana, sam, _, _ = await picnic_three_years_ago(client, couple)
    email_pass(client, settings, url, clock())
    to_ana = wire_headers(addressed_to(sink, ana))
    link = to_ana["List-Unsubscribe"].strip("<>").removeprefix("http://testserver.local")

    clicked = await client.post(
        link,
        content=b"List-Unsubscribe=One-Click",
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )

    assert clicked.status_code == 200
    assert "Your letters are off" in clicked.text
    preferences = await client.get("/api/v1/me/email-preferences", headers=ana.auth)
    assert {
        kind: preferences.json()[kind] for kind in ("on_this_day", "weekly", "anniversary")
    } == {
        "on_this_day": False,
        "weekly": False,
        "anniversary": False,
    }
    sink.received.clear()
    email_pass(client, settings, url, clock() + timedelta(days=365))
    assert [m["To"].addresses[0].addr_spec for m in sink.received] == [sam.email]


async def test_an_unsubscribe_link_that_we_did_not_sign_is_refused(client, sign_up):
    ana = await sign_up()

    forged = await client.post(f"/unsubscribe/{ana.id}.on_this_day.forged")
    not_ascii = await client.post(f"/unsubscribe/{ana.id}.letters.%C3%A9")

    assert (forged.status_code, not_ascii.status_code) == (404, 404)


async def test_a_server_down_for_one_pass_loses_nothing(
    client, couple, clock, settings, smtp_server
):
    url, sink = smtp_server
    await picnic_three_years_ago(client, couple)

    down = email_pass(client, settings, f"smtp://127.0.0.1:{free_port()}", clock())
    too_soon = email_pass(client, settings, url, clock() + timedelta(minutes=1))
    later = email_pass(client, settings, url, clock() + timedelta(minutes=2))

    assert (down.retrying, too_soon.sent, later.sent) == (2, 0, 2)
    assert len(sink.received) == 2


async def test_a_refused_address_is_marked_failed_and_not_retried(
    client, couple, clock, settings, smtp_server, count_rows
):
    url, sink = smtp_server
    await picnic_three_years_ago(client, couple)
    sink.answer = "550 No such mailbox"

    refused = email_pass(client, settings, url, clock())
    sink.answer = None
    later = email_pass(client, settings, url, clock() + timedelta(hours=1))

    assert (refused.failed, later.sent) == (2, 0)
    assert count_rows("delivery", status="failed") == 2


async def test_the_weekly_letter_brings_the_pick_with_its_reasons_and_its_own_answers(
    client, couple, clock, settings, smtp_server
):
    url, sink = smtp_server
    ana, sam, timeline_id = await couple()
    picnic = await write_memory(client, ana, timeline_id, "Picnic at the lake", "2023-06-20")
    for member in (ana, sam):
        await rate_memory(client, member, picnic, 5)
    sunday_nine_in_paris = datetime(2026, 6, 21, 7, 0, tzinfo=UTC)

    email_pass(client, settings, url, sunday_nine_in_paris)

    to_ana = received_by(sink, ana)
    assert len(sink.received) == 2
    assert to_ana["Subject"] == "Ana, remember when… Picnic at the lake"
    text, html, _ = parts(to_ana)
    assert "You both said it was one of your closest days." in text
    links = {a.get_text(): a["href"] for a in page_soup(html).find_all("a")}
    suggestion = links["Let’s recreate it"].removesuffix("/recreate")
    assert re.fullmatch(r"http://testserver\.local/s/[0-9a-f-]{36}", suggestion)
    assert links["Not now"] == f"{suggestion}/not-now"
    assert links["Write back"] == f"http://testserver.local/m/{picnic['id']}/write-back"
    assert links["Not this one"].startswith("http://testserver.local/not-this-one/")


async def test_the_anniversary_email_says_which_year_it_is(
    client, couple, clock, settings, smtp_server
):
    url, sink = smtp_server
    await couple()  # together since 12 June 2019

    email_pass(client, settings, url, datetime(2026, 6, 12, 7, 0, tzinfo=UTC))

    assert sorted(m["Subject"] for m in sink.received) == [
        "Ana, 7 years together today",
        "Sam, 7 years together today",
    ]
    assert len(sink.received) == 2
    text, _, _ = parts(sink.received[0])
    assert "See your year 7: http://testserver.local/t/" in text
    assert text.split("See your year 7: ")[1].split()[0].endswith("/recap/7")


async def test_a_wedding_anniversary_letter_names_it_and_shows_the_wedding(
    client, couple, settings, smtp_server
):
    url, sink = smtp_server
    ana, _, timeline_id = await couple()
    for kind, day in (("wedding", "2022-09-17"), ("first_date", "2019-09-17")):
        await client.post(
            f"/api/v1/timelines/{timeline_id}/milestones",
            json={"kind": kind, "occurred_on": day},
            headers=ana.auth,
        )
    wedding = await write_memory(client, ana, timeline_id, "Our wedding", "2022-09-17")

    email_pass(client, settings, url, datetime(2026, 9, 17, 7, 0, tzinfo=UTC))

    assert sorted(m["Subject"] for m in sink.received) == [
        "Ana, 4 years since your wedding today",
        "Sam, 4 years since your wedding today",
    ]
    text, _, _ = parts(received_by(sink, ana))
    lines = text.splitlines()
    assert "And today, 7 years since your first date." in lines
    assert lines[lines.index("Our wedding") + 1] == "17 September 2022"
    assert f"See it: http://testserver.local/m/{wedding['id']}" in lines
    assert "together today" not in text
    # The wedding is told once: with the milestone, not again under on this day.
    assert lines.count("Our wedding") == 1


async def test_a_photo_stored_with_a_small_letter_jpeg_is_shown_large_and_made_large_once(
    client, couple, clock, settings, smtp_server
):
    url, sink = smtp_server
    ana, _, _, _ = await picnic_three_years_ago(client, couple)
    storage = client.app.state.storage
    (key,) = [k for k in stored_keys(client, "photos") if k.endswith("/mail.jpg")]
    # As photos stored before letters showed them at the column's width: the 400 px thumb.
    small = io.BytesIO()
    Image.new("RGB", (267, 400), "olive").save(small, "JPEG")
    client.blocking_portal.call(storage.put, key, small.getvalue(), "image/jpeg")

    email_pass(client, settings, url, clock())

    _, _, inline = parts(received_by(sink, ana))
    (image,) = inline.values()
    assert Image.open(io.BytesIO(image.get_content())).size == (400, 600)
    kept = client.blocking_portal.call(storage.open, key).read()
    assert Image.open(io.BytesIO(kept)).size == (400, 600)


async def test_a_pick_answered_on_the_home_page_that_morning_is_not_asked_again_by_letter(
    client, couple, clock, settings, smtp_server
):
    url, sink = smtp_server
    ana, sam, timeline_id = await couple()
    picnic = await write_memory(client, ana, timeline_id, "Picnic at the lake", "2023-06-20")
    for member in (ana, sam):
        await rate_memory(client, member, picnic, 5)
    clock.now = datetime(2026, 6, 21, 6, 30, tzinfo=UTC)  # Sunday, 08:30 in Paris
    pick = await client.get(f"/api/v1/timelines/{timeline_id}/resurfacing/today", headers=sam.auth)
    await client.post(
        f"/api/v1/suggestions/{pick.json()['suggestion_id']}/feedback",
        json={"action": "snooze"},
        headers=sam.auth,
    )

    report = email_pass(client, settings, url, datetime(2026, 6, 21, 7, 0, tzinfo=UTC))

    assert (report.sent, report.skipped, sink.received) == (0, 2, [])


async def test_a_quiet_rule_keeps_a_milestones_memory_out_of_its_letter(
    client, couple, settings, smtp_server
):
    url, sink = smtp_server
    ana, _, timeline_id = await couple()
    await client.post(
        f"/api/v1/timelines/{timeline_id}/milestones",
        json={"kind": "wedding", "occurred_on": "2022-09-17"},
        headers=ana.auth,
    )
    await write_memory(client, ana, timeline_id, "Our wedding", "2022-09-17")
    await write_memory(
        client, ana, timeline_id, "Grandpa's last toast", "2022-09-17", tags=["hard"]
    )
    await client.post(
        f"/api/v1/timelines/{timeline_id}/quiet-rules", json={"tag": "hard"}, headers=ana.auth
    )

    email_pass(client, settings, url, datetime(2026, 9, 17, 7, 0, tzinfo=UTC))

    lines = parts(received_by(sink, ana))[0].splitlines()
    assert "Our wedding" in lines
    assert "Grandpa's last toast" not in lines
