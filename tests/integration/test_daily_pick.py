"""The daily "Remember when..." pick through the API: the same for both partners, kept for
the day, answered with recreate, snooze, never or done."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

from tests.support import rate_memory, talk_about, write_memory

TODAY = "/resurfacing/today"


async def pick(client, member, timeline_id):
    return await client.get(f"/api/v1/timelines/{timeline_id}{TODAY}", headers=member.auth)


async def answer(client, member, suggestion_id, **body):
    return await client.post(
        f"/api/v1/suggestions/{suggestion_id}/feedback", json=body, headers=member.auth
    )


async def one_close_memory(client, couple):
    """A couple whose only memory worth bringing back is a picnic they both rated 5."""
    ana, sam, timeline_id = await couple()
    picnic = await write_memory(client, ana, timeline_id, "Picnic", "2023-06-14", place="Annecy")
    for member in (ana, sam):
        await rate_memory(client, member, picnic, 5, "Your laugh" if member is sam else "")
    distant = await write_memory(client, ana, timeline_id, "Queue at the bank", "2022-01-10")
    await rate_memory(client, ana, distant, 2)
    recent = await write_memory(client, ana, timeline_id, "Dentist last week", "2026-06-08")
    await rate_memory(client, sam, recent, 1)
    return ana, sam, timeline_id, picnic


async def test_nothing_worth_bringing_back_is_a_204(client, couple):
    ana, _, timeline_id = await couple()
    await write_memory(client, ana, timeline_id, "Yesterday", "2026-06-14")

    response = await pick(client, ana, timeline_id)

    assert response.status_code == 204
    assert response.content == b""


async def test_both_partners_get_the_same_pick_with_its_reasons(client, couple):
    ana, sam, timeline_id, picnic = await one_close_memory(client, couple)

    first = await pick(client, ana, timeline_id)
    again = await pick(client, ana, timeline_id)
    partner = await pick(client, sam, timeline_id)

    assert first.status_code == 200
    body = first.json()
    assert body["memory"]["id"] == picnic["id"]
    assert body["local_date"] == "2026-06-15"
    assert body["reasons"][:2] == [
        "You both said it was one of your closest days.",
        "Three years ago this week.",
    ]
    assert 2 <= len(body["reasons"]) <= 4
    assert body["prompt"]
    assert again.json() == body
    assert partner.json()["suggestion_id"] == body["suggestion_id"]


async def test_the_first_requests_of_the_day_at_once_make_one_pick(client, couple, count_rows):
    ana, sam, timeline_id, _ = await one_close_memory(client, couple)

    answers = await asyncio.gather(*(pick(client, m, timeline_id) for m in (ana, sam, ana)))

    assert len({a.json()["suggestion_id"] for a in answers}) == 1
    assert count_rows("suggestion") == 1


async def test_a_pick_rests_ninety_days(client, couple, clock):
    ana, _, timeline_id, picnic = await one_close_memory(client, couple)
    await pick(client, ana, timeline_id)

    clock.advance(timedelta(days=1))
    assert (await pick(client, ana, timeline_id)).status_code == 204
    clock.advance(timedelta(days=90))
    assert (await pick(client, ana, timeline_id)).json()["memory"]["id"] == picnic["id"]


async def test_not_now_snoozes_for_thirty_days(client, couple, clock):
    ana, sam, timeline_id, _ = await one_close_memory(client, couple)
    suggestion = (await pick(client, ana, timeline_id)).json()

    snoozed = await answer(client, sam, suggestion["suggestion_id"], action="snooze")

    assert snoozed.status_code == 200
    assert (snoozed.json()["action"], snoozed.json()["snoozed_until"]) == ("snooze", "2026-07-15")


async def test_never_from_either_partner_vetoes_it_for_good(client, couple, clock):
    ana, sam, timeline_id, _ = await one_close_memory(client, couple)
    suggestion = (await pick(client, ana, timeline_id)).json()

    await answer(client, sam, suggestion["suggestion_id"], action="never")

    for _ in range(6):
        clock.advance(timedelta(days=100))
        assert (await pick(client, ana, timeline_id)).status_code == 204


async def test_recreating_links_then_and_now(client, couple, clock):
    ana, sam, timeline_id, picnic = await one_close_memory(client, couple)
    suggestion = (await pick(client, ana, timeline_id)).json()
    planned = await answer(
        client, ana, suggestion["suggestion_id"], action="recreate", planned_on="2026-07-01"
    )
    assert planned.json()["planned_on"] == "2026-07-01"
    clock.advance(timedelta(days=20))
    again = await write_memory(
        client, sam, timeline_id, "Picnic, again", "2026-07-01", place="Annecy"
    )

    done = await answer(
        client, sam, suggestion["suggestion_id"], action="done", memory_id=again["id"]
    )

    assert done.json()["action"] == "done"
    now = (await client.get(f"/api/v1/memories/{again['id']}", headers=ana.auth)).json()
    assert now["recreates"] == picnic["id"]


async def test_bad_answers_are_refused_plainly(client, couple, sign_up):
    ana, _, timeline_id, picnic = await one_close_memory(client, couple)
    suggestion = (await pick(client, ana, timeline_id)).json()["suggestion_id"]
    stranger = await sign_up("Kim")

    unknown = await answer(client, ana, suggestion, action="maybe")
    done_without_memory = await answer(client, ana, suggestion, action="done")
    itself = await answer(client, ana, suggestion, action="done", memory_id=picnic["id"])
    strangers = await answer(client, stranger, suggestion, action="never")

    assert unknown.status_code == 422
    assert unknown.json()["detail"] == "Answer with one of recreate, snooze, never, done."
    assert done_without_memory.status_code == 422
    assert itself.status_code == 422
    assert strangers.status_code == 404


async def test_the_day_follows_the_timelines_time_zone(client, clock):
    clock.now = datetime(2026, 6, 15, 20, 0, tzinfo=UTC)
    signup = await client.post(
        "/api/v1/auth/signup",
        json={
            "email": "aroha@example.org",
            "password": "a long and happy walk",
            "display_name": "Aroha",
            "timezone": "Pacific/Auckland",
        },
    )
    auth = {"Authorization": f"Bearer {signup.json()['token']}"}
    timeline = (await client.post("/api/v1/timelines", json={"name": "Us"}, headers=auth)).json()
    memory = (
        await client.post(
            f"/api/v1/timelines/{timeline['id']}/memories",
            json={"title": "Beach", "occurred_on": "2020-06-16"},
            headers=auth,
        )
    ).json()
    await client.put(f"/api/v1/memories/{memory['id']}/connection", json={"score": 5}, headers=auth)

    response = await client.get(f"/api/v1/timelines/{timeline['id']}{TODAY}", headers=auth)

    assert response.json()["local_date"] == "2026-06-16"
    assert "Six years ago this week." in response.json()["reasons"]


async def test_quiet_rules_keep_memories_away_from_the_pick_and_on_this_day(client, couple):
    ana, sam, timeline_id, picnic = await one_close_memory(client, couple)
    await client.patch(
        f"/api/v1/memories/{picnic['id']}", json={"tags": ["hard"]}, headers=ana.auth
    )
    rules = f"/api/v1/timelines/{timeline_id}/quiet-rules"

    rule = await client.post(rules, json={"tag": "#Hard"}, headers=sam.auth)

    assert rule.status_code == 201
    assert rule.json()["tag"] == "hard"
    assert (await pick(client, ana, timeline_id)).status_code == 204
    on_this_day = await client.get(
        f"/api/v1/timelines/{timeline_id}/on-this-day",
        params={"date": "2026-06-14"},
        headers=ana.auth,
    )
    assert on_this_day.json()["items"] == []
    listed = (await client.get(rules, headers=ana.auth)).json()
    assert [r["tag"] for r in listed] == ["hard"]
    removed = await client.delete(f"/api/v1/quiet-rules/{rule.json()['id']}", headers=ana.auth)
    assert removed.status_code == 204
    assert (await pick(client, ana, timeline_id)).json()["memory"]["id"] == picnic["id"]


async def test_a_hard_year_and_a_yearly_period(client, couple, clock):
    ana, _, timeline_id, picnic = await one_close_memory(client, couple)
    rules = f"/api/v1/timelines/{timeline_id}/quiet-rules"
    period = await client.post(
        rules,
        json={"starts_on": "2000-06-10", "ends_on": "2000-06-20", "yearly": True},
        headers=ana.auth,
    )
    assert period.status_code == 201
    assert (await pick(client, ana, timeline_id)).status_code == 204

    clock.advance(timedelta(days=60))
    assert (await pick(client, ana, timeline_id)).json()["memory"]["id"] == picnic["id"]

    await client.post(
        rules, json={"starts_on": "2023-01-01", "ends_on": "2023-12-31"}, headers=ana.auth
    )
    clock.advance(timedelta(days=120))
    assert (await pick(client, ana, timeline_id)).status_code == 204


async def test_a_quiet_rule_needs_a_tag_or_a_whole_span(client, couple, sign_up):
    ana, _, timeline_id = await couple()
    rules = f"/api/v1/timelines/{timeline_id}/quiet-rules"
    stranger = await sign_up("Kim")
    rule = (await client.post(rules, json={"tag": "x"}, headers=ana.auth)).json()

    nothing = await client.post(rules, json={}, headers=ana.auth)
    backwards = await client.post(
        rules, json={"starts_on": "2020-05-01", "ends_on": "2020-01-01"}, headers=ana.auth
    )
    strangers = await client.delete(f"/api/v1/quiet-rules/{rule['id']}", headers=stranger.auth)

    assert nothing.status_code == backwards.status_code == 422
    assert nothing.json()["detail"] == "Give a tag, or both ends of a span of dates."
    assert strangers.status_code == 404


async def test_a_year_of_daily_picks_never_repeats_within_ninety_days(client, couple, clock):
    ana, sam, timeline_id = await couple()
    for n in range(12):
        memory = await write_memory(
            client, ana, timeline_id, f"walk {n}", f"20{12 + n % 8}-{n % 12 + 1:02}-10"
        )
        for member in (ana, sam):
            await rate_memory(client, member, memory, 4 + n % 2)
    picked: list[tuple[datetime, str]] = []

    for _ in range(365):
        response = await pick(client, ana, timeline_id)
        if response.status_code == 200:
            picked.append((clock(), response.json()["memory"]["id"]))
        clock.advance(timedelta(days=1))

    last_seen: dict[str, datetime] = {}
    for when, memory_id in picked:
        if memory_id in last_seen:
            assert when - last_seen[memory_id] >= timedelta(days=90)
        last_seen[memory_id] = when
    # Twelve memories resting 90 days each: about four picks each in a year.
    assert len(picked) > 30


async def test_what_a_couple_answered_counts_when_it_comes_back(client, couple, clock):
    # Three couples, each with the same close picnic: one says nothing to its pick, one
    # plans to recreate it, one says "not now".
    couples = [await one_close_memory(client, couple) for _ in range(3)]
    firsts = [(await pick(client, ana, tid)).json() for ana, _, tid, _ in couples]
    answers = ("recreate", "snooze")
    for (_, sam, _, _), first, action in zip(couples[1:], firsts[1:], answers, strict=True):
        answered = await answer(client, sam, first["suggestion_id"], action=action)
        assert answered.status_code == 200

    clock.advance(timedelta(days=91))
    silent, planned, put_off = [(await pick(client, ana, tid)).json() for ana, _, tid, _ in couples]

    assert [p["memory"]["id"] for p in (silent, planned, put_off)] == [c[3]["id"] for c in couples]
    assert planned["score"] > silent["score"] > put_off["score"]
    assert "You said you would like to do it again." in planned["reasons"]
    assert not any("again" in line for line in silent["reasons"] + firsts[1]["reasons"])


async def test_an_unrated_moment_is_read_by_how_close_its_kind_has_been(client, couple):
    # Their trips were all fives and their everyday moments all twos (lately: too recent to
    # come back). Of two old moments nobody rated, the trip comes back, though the everyday
    # one was talked about.
    ana, sam, timeline_id = await couple()
    for n, (kind, score) in enumerate([("trip", 5), ("everyday", 2)] * 3):
        lately = await write_memory(
            client, ana, timeline_id, f"Lately {n}", "2026-06-01", kind=kind
        )
        await rate_memory(client, ana, lately, score)
    trip = await write_memory(client, ana, timeline_id, "Train to Porto", "2022-03-03", kind="trip")
    errand = await write_memory(client, ana, timeline_id, "New sofa", "2022-03-03", kind="everyday")
    replied = await client.post(
        f"/api/v1/memories/{errand['id']}/replies", json={"text": "So comfy"}, headers=sam.auth
    )
    assert replied.status_code == 201

    chosen = (await pick(client, ana, timeline_id)).json()

    assert chosen["memory"]["id"] == trip["id"]
    assert chosen["reasons"][0] == "How close did it make you feel? Neither of you has said yet."


async def test_a_reply_weighs_what_replies_have_said_to_the_couple(client, couple):
    # Two couples with the same two old moments: one Ana scored 5 and Sam 4, one both
    # scored 4 that they talked about twice. Lately (too recent to come back), one couple talked
    # about their closest moments and not their distant ones, the other the other way round.
    # Where replies went with closeness, the moment talked about comes back; where they
    # were chatter, the closer one.
    picks = []
    for close_replies, distant_replies in ((3, 0), (0, 3)):
        ana, sam, timeline_id = await couple()
        for n, (score, replies) in enumerate([(5, close_replies), (3, distant_replies)] * 4):
            lately = await write_memory(client, ana, timeline_id, f"Lately {n}", "2026-06-01")
            for member in (ana, sam):
                await rate_memory(client, member, lately, score)
            await talk_about(client, sam, lately, replies)
        closer = await write_memory(client, ana, timeline_id, "Night train", "2022-03-03")
        talked = await write_memory(client, ana, timeline_id, "First flat", "2022-03-03")
        for member, score in ((ana, 5), (sam, 4)):
            await rate_memory(client, member, closer, score)
        for member in (ana, sam):
            await rate_memory(client, member, talked, 4)
        await talk_about(client, sam, talked, 2)
        chosen = (await pick(client, ana, timeline_id)).json()
        picks.append((chosen["memory"]["id"], chosen["reasons"], closer["id"], talked["id"]))

    (meant, meant_reasons, _, talked_id), (chatter, chatter_reasons, closer_id, _) = picks
    assert meant == talked_id
    assert "You kept talking about it afterwards." in meant_reasons
    assert chatter == closer_id
    assert not any("talking" in line for line in chatter_reasons)
