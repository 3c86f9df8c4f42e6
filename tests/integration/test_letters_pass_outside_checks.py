"""Every kind of letter, as the SMTP server received it, through the tools mail is judged by:
SpamAssassin scores each at most 1.0 from its content, the Nu HTML checker finds no error in
its HTML, and the HTML holds what mail clients need (a colour scheme, alt text on photos shown
at the column's width, headings in order, no text under 14 px). Renderings of each at 375 and
600 px (and dark at 375) go to build/screenshots/letters."""

from __future__ import annotations

import base64
import mailbox
import re
import shutil
import subprocess
from datetime import UTC, datetime
from email.header import decode_header, make_header
from email.message import EmailMessage
from itertools import pairwise
from pathlib import Path

import anyio

from server.common.links import read_reply_address
from tests import images
from tests.e2e.tools.checkers import lacking, nu_errors
from tests.support import (
    email_pass,
    page_soup,
    rate_memory,
    upload_photo,
    wire_headers,
    write_memory,
)

SCREENSHOTS = Path(__file__).resolve().parents[2] / "build" / "screenshots" / "letters"
# Rules that fire on any message scored where it was written, before any server relayed
# it: they say nothing of its content, and score 0 or below. NO_RECEIVED: no Received
# header yet (a relay adds the first); NO_RELAYS: no relay to trust or distrust. These two
# are all that fire for that reason here: the rules about numeric hosts or ports in links
# (NUMERIC_HTTP_ADDR, WEIRD_PORT, NORMAL_HTTP_TO_IP) stay silent, as the links go to
# http://testserver.local. What else fires reads the content and is counted: HTML_MESSAGE
# (0.001) and HTML_IMAGE_RATIO_02/04 (0.0) on every letter so far.
UNDELIVERED = {"NO_RECEIVED", "NO_RELAYS"}
RULE_LINE = re.compile(r"^\s*(-?\d+(?:\.\d+)?)\s+([A-Z0-9_]+)\s", re.M)
FONT_SIZE = re.compile(r"font-size:\s*(\d+(?:\.\d+)?)px")


async def a_couple(client, sign_up, clock, names=("Ana", "Sam"), since="2019-06-12"):
    """Two partners in one timeline, joined through a real invite."""
    first, second = await sign_up(names[0]), await sign_up(names[1])
    created = await client.post(
        "/api/v1/timelines",
        json={"name": f"{names[0]} & {names[1]}", "together_since": since},
        headers=first.auth,
    )
    timeline_id = created.json()["id"]
    invite = await client.post(f"/api/v1/timelines/{timeline_id}/invites", headers=first.auth)
    await client.post(f"/api/v1/invites/{invite.json()['token']}/accept", headers=second.auth)
    return first, second, timeline_id


async def said_about(client, first, second, memory) -> None:
    """Both rate the memory, each says what they loved, and the second replies."""
    await rate_memory(client, first, memory, 5, "The light on the water.")
    await rate_memory(client, second, memory, 4, "You laughing at the ducks.")
    reply = await client.post(
        f"/api/v1/memories/{memory['id']}/replies",
        json={"text": "Let's go back this summer."},
        headers=second.auth,
    )
    assert reply.status_code == 201, reply.text


async def with_photo(client, member, timeline_id, title, day, seed: int, **fields) -> dict:
    memory = await write_memory(client, member, timeline_id, title, day, **fields)
    uploaded = await upload_photo(client, member, memory["id"], images.scenery(960, 720, seed))
    assert uploaded.status_code == 201, uploaded.text
    return memory


def spamassassin_reports(raw: dict[str, bytes], folder: Path) -> dict[str, str]:
    """SpamAssassin's report of each message (local tests only: no network), scored in one
    run over an mbox of them all."""
    if shutil.which("spamassassin") is None:
        lacking("SpamAssassin is not installed: apt-get install spamassassin")
    path = folder / "letters.mbox"
    box = mailbox.mbox(path)
    for data in raw.values():
        box.add(mailbox.mboxMessage(data))
    box.flush()
    with path.open("rb") as source:
        found = subprocess.run(
            ["spamassassin", "--mbox", "-t", "-L"],
            stdin=source,
            capture_output=True,
            check=True,
            timeout=300,
        )
    reports = found.stdout.decode("utf-8", "replace").split("Content analysis details:")[1:]
    assert len(reports) == len(raw)
    return dict(zip(raw, reports, strict=True))


def content_score(report: str) -> tuple[float, list[str]]:
    """The score from the rules that read the content, and every rule that fired (the table
    under the report's heading, up to its first blank line)."""
    total = float(re.match(r"\s*\((-?\d+(?:\.\d+)?) points", report)[1])
    table = report.split("\n----", 1)[1].split("\n", 1)[1].split("\n\n", 1)[0]
    rules = [(float(points), name) for points, name in RULE_LINE.findall(table)]
    # The table is read right: its rules add up to the score SpamAssassin gave.
    assert round(sum(points for points, _ in rules), 1) == total, report
    assert {name for _, name in rules} >= UNDELIVERED, report
    return (
        round(sum(points for points, name in rules if name not in UNDELIVERED), 3),
        [f"{name} ({points})" for points, name in rules],
    )


def html_of(message: EmailMessage) -> str:
    return message.get_body(("html",)).get_content()


def shoot(messages: dict[str, EmailMessage]) -> None:
    """Each letter rendered as a mail client would show it (photos inlined)."""
    from playwright.sync_api import sync_playwright

    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium")
        for kind, message in messages.items():
            html = html_of(message)
            for part in message.walk():
                if part["Content-ID"]:
                    data = base64.b64encode(part.get_payload(decode=True)).decode()
                    cid = part["Content-ID"].strip("<>")
                    html = html.replace(f"cid:{cid}", f"data:image/jpeg;base64,{data}")
            for width, scheme in ((375, "light"), (600, "light"), (375, "dark")):
                page = browser.new_page(
                    viewport={"width": width, "height": 800}, color_scheme=scheme
                )
                page.set_content(html)
                suffix = "-dark" if scheme == "dark" else ""
                page.screenshot(path=SCREENSHOTS / f"{kind}-{width}{suffix}.png", full_page=True)
                page.close()
        browser.close()


async def test_every_kind_of_letter_passes_spamassassin_and_the_nu_checker(
    client, sign_up, clock, settings, smtp_server, tmp_path
):
    url, sink = smtp_server
    # On this day (13 June): a photo, what each loved, a reply.
    ana, sam, ours = await a_couple(client, sign_up, clock)
    picnic = await with_photo(
        client, ana, ours, "Picnic at the lake", "2023-06-13", 1,
        body="We ate cherries and stayed until the stars came out.", place="Annecy",
    )  # fmt: skip
    await said_about(client, ana, sam, picnic)
    # The weekly pick (Sunday 14 June, at the weekly hour: 9:00 in Paris).
    lea, max_, theirs = await a_couple(client, sign_up, clock, ("Léa", "Max"))
    swim = await with_photo(client, lea, theirs, "Swim at dawn", "2023-06-20", 2, place="Étretat")
    await said_about(client, lea, max_, swim)
    # Seven years together (12 June), with the year's closest moments.
    noor, ben, third = await a_couple(client, sign_up, clock, ("Noor", "Ben"))
    for n, day in enumerate(("2025-08-03", "2025-12-24", "2026-02-14")):
        moment = await with_photo(client, noor, third, f"Moment {n + 1}", day, 3 + n)
        await said_about(client, noor, ben, moment)
    # A wedding's day (17 September), with the wedding.
    ines, tom, fourth = await a_couple(client, sign_up, clock, ("Inês", "Tom"))
    await client.post(
        f"/api/v1/timelines/{fourth}/milestones",
        json={"kind": "wedding", "occurred_on": "2022-09-17"},
        headers=ines.auth,
    )
    wedding = await with_photo(client, ines, fourth, "Our wedding", "2022-09-17", 7)
    await said_about(client, ines, tom, wedding)
    # All at once (Sunday 21 June): together six years, on this day, and their weekly pick,
    # at the weekly hour (9:00 in Paris) of the weekly day they never changed.
    zoe, kai, fifth = await a_couple(
        client, sign_up, clock, ("Zoë Ångström", "Kai 🌊 Nakamura"), since="2020-06-21"
    )
    summer = await with_photo(client, zoe, fifth, "Kai's first Swedish summer", "2024-06-21", 8)
    # A day Zoë remembers as ordinary: on this day, not the pick.
    await rate_memory(client, zoe, summer, 3)
    lantern = await with_photo(client, kai, fifth, "Lanterns on the river", "2023-11-02", 9)
    await said_about(client, kai, zoe, lantern)
    # Their weekly pick also came on Sunday 14 June: a second memory to pick a week later.
    midsummer = await with_photo(client, zoe, fifth, "Midsummer in Dalarna", "2022-06-24", 10)
    await said_about(client, zoe, kai, midsummer)

    received: dict[str, int] = {}
    for kind, member, day in (
        ("anniversary", noor, datetime(2026, 6, 12, 7, tzinfo=UTC)),
        ("on-this-day", ana, datetime(2026, 6, 13, 7, tzinfo=UTC)),
        ("weekly", lea, datetime(2026, 6, 14, 7, tzinfo=UTC)),
        ("combined", zoe, datetime(2026, 6, 21, 7, tzinfo=UTC)),
        ("milestone", ines, datetime(2026, 9, 17, 7, tzinfo=UTC)),
    ):
        email_pass(client, settings, url, day)
        (received[kind],) = [
            n
            for n, m in enumerate(sink.received)
            if m["To"].addresses[0].addr_spec == member.email
            and n not in received.values()
            and m["Date"].datetime.date() == day.date()
        ]
    messages = {kind: sink.received[n] for kind, n in received.items()}
    raw = {kind: sink.raw[n] for kind, n in received.items()}
    assert messages["combined"]["Subject"] == "Zoë, 6 years together today"
    # Names beyond ASCII leave encoded, and read back as written.
    for header, written in (
        ("To", f"Zoë Ångström <{zoe.email}>"),
        ("Subject", "Zoë, 6 years together today"),
    ):
        on_the_wire = wire_headers(raw["combined"])[header]
        assert on_the_wire.isascii(), on_the_wire
        assert str(make_header(decode_header(on_the_wire))) == written
    combined = messages["combined"].get_body(("plain",)).get_content().splitlines()
    assert {"== 6 years together today ==", "== On this day ==", "== Remember when… =="} <= set(
        combined
    )
    # A reply lands on the pick, the memory that asks for an answer, and the letter says so.
    picked = combined[combined.index("== Remember when… ==") + 3]
    reply_to = read_reply_address(settings, wire_headers(raw["combined"])["Reply-To"])
    assert str(reply_to.memory_id) == {m["title"]: m["id"] for m in (lantern, midsummer)}[picked]
    assert (
        f'Something to say? Reply to this e-mail: your words join the memory "{picked}", '
        "for both of you."
    ) in combined
    assert "Swim at dawn" in messages["weekly"]["Subject"]

    scores = {
        kind: content_score(report) for kind, report in spamassassin_reports(raw, tmp_path).items()
    }
    too_high = {kind: found for kind, found in scores.items() if found[0] > 1.0}
    assert not too_high, f"SpamAssassin scored from the content: {too_high}"

    for kind, message in messages.items():
        (tmp_path / f"{kind}.html").write_text(html_of(message))
    errors = {kind: found for kind, found in nu_errors(tmp_path).items() if found}
    assert not errors, f"the Nu HTML checker found: {errors}"

    for kind, message in messages.items():
        headers = wire_headers(raw[kind])
        assert headers["List-Id"] == "Remember When letters <letters.testserver.local>", kind
        assert re.fullmatch(
            r"<http://testserver\.local/unsubscribe/\S+>", headers["List-Unsubscribe"]
        )
        assert headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
        assert headers["Auto-Submitted"] == "auto-generated"
        assert re.fullmatch(r"remember-when\+[a-z2-7]{42}@localhost", headers["Reply-To"]), kind
        page = page_soup(html_of(message))
        assert page.select_one('meta[name="color-scheme"]')["content"] == "light dark"
        photos = page.find_all("img")
        assert photos, kind
        assert all(img["alt"].strip() and img["width"] == "552" for img in photos), kind
        levels = [int(h.name[1]) for h in page.find_all(re.compile(r"^h[1-6]$"))]
        assert levels[0] == 1, (kind, levels)
        assert all(b - a <= 1 for a, b in pairwise(levels)), (kind, levels)
        sizes = [float(s) for e in page.select("[style]") for s in FONT_SIZE.findall(e["style"])]
        assert sizes, kind
        assert min(sizes) >= 14, (kind, sorted(set(sizes)))

    if shutil.which("chromium"):
        await anyio.to_thread.run_sync(shoot, messages)
