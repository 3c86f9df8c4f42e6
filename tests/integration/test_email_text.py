"""The plain-text part of every letter and account e-mail, line by line, as a mail client
without HTML shows it: a greeting, headings on their own lines, blank lines between
sections, who said what, and each memory's links."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from uuid import UUID

from server.common.links import not_this_one_url, unsubscribe_url
from tests.support import (
    PASSWORD,
    email_pass,
    outbox,
    picnic_three_years_ago,
    rate_memory,
    write_memory,
)

BASE = "http://testserver.local"
SUNDAY_NINE_IN_PARIS = datetime(2026, 6, 21, 7, 0, tzinfo=UTC)
ANNIVERSARY_MORNING = datetime(2026, 6, 12, 7, 0, tzinfo=UTC)


def text_to(sink, member) -> list[str]:
    """The lines of the plain-text part of the one message `member` received."""
    (message,) = [m for m in sink.received if m["To"].addresses[0].addr_spec == member.email]
    return message.get_body(("plain",)).get_content().splitlines()


def link_in(lines: list[str], path: str) -> str:
    """The token of the one link to `path` among `lines`."""
    (token,) = [m[1] for line in lines if (m := re.fullmatch(rf"{BASE}{path}([\w-]+)", line))]
    return token


def footer(settings, member) -> list[str]:
    return [
        "--",
        "This is your letter from Remember When: one a day at most, and only when there is a "
        "memory to bring back.",
        f"Choose which letters and when: {BASE}/settings#emails",
        f"Quiet times: {BASE}/settings#quiet-times",
        f"Turn these letters off: {unsubscribe_url(settings, UUID(member.id), 'letters')}",
    ]


def links(settings, member, memory) -> list[str]:
    """The three links under each memory of a letter."""
    return [
        f"See it: {BASE}/m/{memory['id']}",
        f"Write back: {BASE}/m/{memory['id']}/write-back",
        f"Not this one: {not_this_one_url(settings, UUID(member.id), UUID(memory['id']))}",
    ]


def suggestion_in(lines: list[str]) -> str:
    (found,) = [
        m[1] for line in lines if (m := re.fullmatch(rf"Not now: {BASE}/s/(.+)/not-now", line))
    ]
    return found


async def both_rate(client, couple_members, memory, score: int = 5) -> None:
    for member in couple_members:
        await rate_memory(client, member, memory, score)


async def test_on_this_day_text_lists_each_year_under_its_own_heading(
    client, couple, clock, settings, smtp_server
):
    url, sink = smtp_server
    ana, _, timeline_id, picnic = await picnic_three_years_ago(client, couple)
    walk = await write_memory(client, ana, timeline_id, "Walk in the rain", "2025-06-15")

    email_pass(client, settings, url, clock())

    assert text_to(sink, ana) == [
        "Good morning, Ana,",
        "",
        "",
        "== On this day ==",
        "",
        "A year ago:",
        "",
        "Walk in the rain",
        "15 June 2025",
        "",
        *links(settings, ana, walk),
        "",
        "3 years ago:",
        "",
        "Picnic at the lake",
        "15 June 2023 · Annecy",
        "",
        "We ate cherries and stayed until the stars came out.",
        "(you wrote this)",
        "",
        *links(settings, ana, picnic),
        "",
        'Something to say? Reply to this e-mail: your words join the memory "Walk in the rain", '
        "for both of you.",
        "",
        *footer(settings, ana),
    ]


async def test_weekly_text_gives_the_pick_its_reasons_prompt_and_links(
    client, couple, clock, settings, smtp_server
):
    url, sink = smtp_server
    ana, sam, timeline_id, picnic = await picnic_three_years_ago(client, couple)
    await both_rate(client, (ana, sam), picnic)
    clock.now = SUNDAY_NINE_IN_PARIS
    pick = await client.get(f"/api/v1/timelines/{timeline_id}/resurfacing/today", headers=ana.auth)

    email_pass(client, settings, url, SUNDAY_NINE_IN_PARIS)

    assert pick.json()["memory"]["id"] == picnic["id"]
    lines = text_to(sink, sam)
    assert lines == [
        "Good morning, Sam,",
        "",
        "",
        "== Remember when… ==",
        "This week's moment to live again together.",
        "",
        "Picnic at the lake",
        "15 June 2023 · Annecy",
        "",
        "We ate cherries and stayed until the stars came out.",
        "(Ana wrote this)",
        "",
        *links(settings, sam, picnic),
        "",
        pick.json()["reasons"][0],
        "",
        pick.json()["prompt"],
        "",
        f"Let's recreate it: {BASE}/s/{pick.json()['suggestion_id']}/recreate",
        f"Not now: {BASE}/s/{pick.json()['suggestion_id']}/not-now",
        "",
        "Something to say? Reply to this e-mail: your words join the memory, for both of you.",
        "",
        *footer(settings, sam),
    ]


async def test_anniversary_text_keeps_its_heading_name_milestones_and_moments_apart(
    client, couple, settings, smtp_server
):
    url, sink = smtp_server
    ana, sam, timeline_id = await couple()  # together since 12 June 2019
    swim = await write_memory(
        client, ana, timeline_id, "Swim at dawn", "2025-08-03", place="Étretat"
    )
    await both_rate(client, (ana, sam), swim)
    await client.post(
        f"/api/v1/timelines/{timeline_id}/milestones",
        json={"kind": "wedding", "occurred_on": "2022-06-12"},
        headers=ana.auth,
    )

    email_pass(client, settings, url, ANNIVERSARY_MORNING)

    assert text_to(sink, ana) == [
        "Good morning, Ana,",
        "",
        "",
        "== 7 years together today ==",
        "Ana & Sam, together since 12 June 2019",
        "",
        "And today, 4 years since your wedding.",
        "",
        "The moments of this year you both felt closest in:",
        "",
        "Swim at dawn",
        "3 August 2025 · Étretat",
        "",
        *links(settings, ana, swim),
        "",
        f"See your year 7: {BASE}/t/{timeline_id}/recap/7",
        "",
        "Something to say? Reply to this e-mail: your words join the memory, for both of you.",
        "",
        *footer(settings, ana),
    ]


async def test_a_milestone_only_anniversary_text_names_the_milestone_then_the_timeline(
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

    email_pass(client, settings, url, datetime(2026, 9, 17, 7, 0, tzinfo=UTC))

    assert text_to(sink, ana) == [
        "Good morning, Ana,",
        "",
        "",
        "== 4 years since your wedding today ==",
        "Ana & Sam, together since 12 June 2019",
        "",
        "And today, 7 years since your first date.",
        "",
        *footer(settings, ana),
    ]


async def test_two_timelines_celebrating_the_same_day_are_told_one_after_the_other(
    client, couple, settings, smtp_server
):
    url, sink = smtp_server
    ana, _, first = await couple()
    second = await client.post(
        "/api/v1/timelines",
        json={"name": "Book club", "together_since": "2024-06-12"},
        headers=ana.auth,
    )

    email_pass(client, settings, url, ANNIVERSARY_MORNING + timedelta(hours=1))

    assert text_to(sink, ana) == [
        "Good morning, Ana,",
        "",
        "",
        "== 7 years together today ==",
        "Ana & Sam, together since 12 June 2019",
        "",
        f"See your year 7: {BASE}/t/{first}/recap/7",
        "",
        "",
        "== 2 years together today ==",
        "Book club, together since 12 June 2024",
        "",
        f"See your year 2: {BASE}/t/{second.json()['id']}/recap/2",
        "",
        *footer(settings, ana),
    ]


async def test_account_link_texts_greet_explain_and_give_the_link(client, sign_up, settings, clock):
    ana = await sign_up("Ana")
    await client.post("/api/v1/auth/password-reset", json={"email": ana.email})
    await client.post(
        "/api/v1/me/email",
        json={"email": "ana@new.example", "password": PASSWORD},
        headers=ana.auth,
    )
    email_pass(client, settings, settings.mail_url, clock())

    texts = {m["Subject"]: m.get_body(("plain",)).get_content() for m in outbox(settings)}
    reset = texts["Choose a new password"].splitlines()
    confirm = texts["Confirm your new e-mail address"].splitlines()

    assert reset == [
        "Hello Ana,",
        "",
        "Someone (we hope you) asked to choose a new password. Follow this link:",
        "",
        f"{BASE}/reset/{link_in(reset, '/reset/')}",
        "",
        "The link works once, for an hour. If you did not ask for this, ignore this e-mail: "
        "nothing changes.",
        "",
        "--",
        "Remember When",
    ]
    assert confirm == [
        "Hello Ana,",
        "",
        "To use this address for Remember When, follow this link:",
        "",
        f"{BASE}/confirm-email/{link_in(confirm, '/confirm-email/')}",
        "",
        "The link works once, for a day. If you did not ask for this, ignore this e-mail: "
        "nothing changes.",
        "",
        "--",
        "Remember When",
    ]
