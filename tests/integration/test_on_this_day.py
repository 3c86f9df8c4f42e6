"""On this day: earlier years' memories of today's calendar day, as precise as they are."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from tests.support import PASSWORD, page_soup, rate_memory, visible_text, web_log_in, write_memory
from timeline.core.calendar import local_today, month_days_for


async def on(client, member, timeline_id, day=None):
    params = {"date": day} if day else {}
    response = await client.get(
        f"/api/v1/timelines/{timeline_id}/on-this-day", params=params, headers=member.auth
    )
    assert response.status_code == 200, response.text
    body = response.json()
    return body["date"], [
        (g["years_ago"], [m["title"] for m in g["memories"]]) for g in body["items"]
    ]


async def test_only_day_precise_memories_of_earlier_years_come_back(client, couple):
    ana, _, timeline_id = await couple()
    await write_memory(client, ana, timeline_id, "Lake", "2019-06-15")
    await write_memory(client, ana, timeline_id, "Concert", "2020-06-15")
    await write_memory(client, ana, timeline_id, "Picnic", "2020-06-15")
    await write_memory(client, ana, timeline_id, "Some June", "2018-06-15", date_precision="month")
    await write_memory(client, ana, timeline_id, "Some year", "2017-06-15", date_precision="year")
    await write_memory(client, ana, timeline_id, "Next day", "2019-06-16")
    await write_memory(client, ana, timeline_id, "This morning", "2026-06-15")
    trashed = await write_memory(client, ana, timeline_id, "Trashed", "2021-06-15")
    await client.delete(f"/api/v1/memories/{trashed['id']}", headers=ana.auth)

    day, groups = await on(client, ana, timeline_id, "2026-06-15")

    assert day == "2026-06-15"
    assert [(years, sorted(titles)) for years, titles in groups] == [
        (6, ["Concert", "Picnic"]),
        (7, ["Lake"]),
    ]


async def test_the_29th_of_february_comes_back_on_the_28th_in_common_years(client, couple):
    ana, _, timeline_id = await couple()
    await write_memory(client, ana, timeline_id, "Leap day", "2020-02-29")
    await write_memory(client, ana, timeline_id, "Day before", "2021-02-28")

    assert (await on(client, ana, timeline_id, "2025-02-28"))[1] == [
        (4, ["Day before"]),
        (5, ["Leap day"]),
    ]
    assert (await on(client, ana, timeline_id, "2024-02-28"))[1] == [(3, ["Day before"])]
    assert (await on(client, ana, timeline_id, "2024-02-29"))[1] == [(4, ["Leap day"])]


async def test_today_is_each_partners_own_today(client, clock):
    clock.now = datetime(2026, 6, 15, 20, 0, tzinfo=UTC)
    members = {}
    for name, zone in [("Aroha", "Pacific/Auckland"), ("Lou", "America/Los_Angeles")]:
        signup = await client.post(
            "/api/v1/auth/signup",
            json={
                "email": f"{name}@example.org",
                "password": PASSWORD,
                "display_name": name,
                "timezone": zone,
            },
        )
        members[name] = {"Authorization": f"Bearer {signup.json()['token']}"}
    timeline = (
        await client.post("/api/v1/timelines", json={"name": "Us"}, headers=members["Aroha"])
    ).json()
    invite = await client.post(
        f"/api/v1/timelines/{timeline['id']}/invites", headers=members["Aroha"]
    )
    await client.post(f"/api/v1/invites/{invite.json()['token']}/accept", headers=members["Lou"])
    for title, day in [("15th", "2020-06-15"), ("16th", "2020-06-16")]:
        await client.post(
            f"/api/v1/timelines/{timeline['id']}/memories",
            json={"title": title, "occurred_on": day},
            headers=members["Aroha"],
        )

    seen = {}
    for name, auth in members.items():
        body = (
            await client.get(f"/api/v1/timelines/{timeline['id']}/on-this-day", headers=auth)
        ).json()
        seen[name] = (body["date"], [m["title"] for g in body["items"] for m in g["memories"]])

    assert seen == {"Aroha": ("2026-06-16", ["16th"]), "Lou": ("2026-06-15", ["15th"])}


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        ("2025-02-28", [228, 229]),
        ("2024-02-28", [228]),
        ("2024-02-29", [229]),
        ("2025-06-01", [601]),
    ],
)
def test_which_month_days_a_day_takes(day, expected):
    assert month_days_for(date.fromisoformat(day)) == expected


def test_local_today_follows_the_time_zone():
    instant = datetime(2026, 1, 1, 5, 0, tzinfo=UTC)
    assert str(local_today("America/New_York", instant)) == "2026-01-01"
    assert str(local_today("America/Los_Angeles", instant)) == "2025-12-31"
    assert str(local_today("Asia/Tokyo", instant)) == "2026-01-01"


async def test_home_shows_on_this_day_for_each_timeline(client, couple):
    ana, sam, timeline_id = await couple()
    await write_memory(client, ana, timeline_id, "Lake", "2019-06-15")
    await write_memory(client, ana, timeline_id, "Snow", "2019-01-15")
    # Today's pick, which on this day leaves out: a day they both felt close in.
    picnic = await write_memory(client, ana, timeline_id, "Picnic", "2021-06-13")
    for member in (ana, sam):
        await rate_memory(client, member, picnic, 5)
    await web_log_in(client, ana.email)

    page = page_soup((await client.get("/")).text)
    strip = page.select_one(".on-this-day")

    assert visible_text(strip.select_one("li")) == "7 years ago Lake"
