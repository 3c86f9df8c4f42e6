"""Shared timelines and partner invites through the JSON API."""

from __future__ import annotations

from datetime import timedelta
from uuid import uuid4

from timeline.core.secrets import digest


async def test_creating_a_timeline_makes_the_creator_its_member(client, sign_up):
    ana = await sign_up("Ana")

    response = await client.post(
        "/api/v1/timelines",
        json={"name": "  Ana & Sam ", "together_since": "2019-06-12"},
        headers=ana.auth,
    )

    assert response.status_code == 201
    body = response.json()
    assert body == {
        "id": body["id"],
        "name": "Ana & Sam",
        "together_since": "2019-06-12",
        "members": [{"id": ana.id, "display_name": "Ana"}],
    }
    me = (await client.get("/api/v1/me", headers=ana.auth)).json()
    assert me["timelines"] == [body]


async def test_a_timeline_needs_a_name_and_a_past_date(client, sign_up):
    ana = await sign_up("Ana")

    unnamed = await client.post("/api/v1/timelines", json={"name": " "}, headers=ana.auth)
    future = await client.post(
        "/api/v1/timelines",
        json={"name": "Us", "together_since": "2031-01-01"},
        headers=ana.auth,
    )
    not_a_date = await client.post(
        "/api/v1/timelines", json={"name": "Us", "together_since": "june"}, headers=ana.auth
    )

    assert unnamed.status_code == 422
    assert unnamed.json()["detail"] == "Give your timeline a name, such as “Ana & Sam”."
    assert future.status_code == 422
    assert future.json()["detail"] == "The date you got together must be between 1900 and today."
    assert not_a_date.status_code == 400
    assert (await client.get("/api/v1/me", headers=ana.auth)).json()["timelines"] == []


async def test_anonymous_callers_get_401(client):
    response = await client.post("/api/v1/timelines", json={"name": "Us"})

    assert response.status_code == 401
    assert response.json() == {"status_code": 401, "detail": "Sign in first."}


async def test_partner_joins_through_an_invite_and_both_see_the_timeline(client, sign_up, clock):
    ana, sam = await sign_up("Ana"), await sign_up("Sam")
    timeline = (
        await client.post("/api/v1/timelines", json={"name": "Us"}, headers=ana.auth)
    ).json()

    invite = await client.post(f"/api/v1/timelines/{timeline['id']}/invites", headers=ana.auth)
    assert invite.status_code == 201
    body = invite.json()
    assert body["url"] == f"http://testserver.local/i/{body['token']}"
    assert body["expires_at"] == "2026-06-22T09:30:00Z"

    clock.advance(timedelta(hours=1))
    accepted = await client.post(f"/api/v1/invites/{body['token']}/accept", headers=sam.auth)

    assert accepted.status_code == 200
    members = [{"id": ana.id, "display_name": "Ana"}, {"id": sam.id, "display_name": "Sam"}]
    assert accepted.json()["members"] == members
    for member in (ana, sam):
        seen = await client.get(f"/api/v1/timelines/{timeline['id']}", headers=member.auth)
        assert seen.json()["members"] == members


async def test_an_invite_token_is_stored_only_as_a_hash(client, sign_up, count_rows):
    ana = await sign_up("Ana")
    timeline = (
        await client.post("/api/v1/timelines", json={"name": "Us"}, headers=ana.auth)
    ).json()

    token = (
        await client.post(f"/api/v1/timelines/{timeline['id']}/invites", headers=ana.auth)
    ).json()["token"]

    assert count_rows("invite") == 1
    assert count_rows("invite", token_hash=digest(token)) == 1


async def test_an_invite_works_once(client, sign_up):
    ana, sam, kim = await sign_up("Ana"), await sign_up("Sam"), await sign_up("Kim")
    timeline = (
        await client.post("/api/v1/timelines", json={"name": "Us"}, headers=ana.auth)
    ).json()
    token = (
        await client.post(f"/api/v1/timelines/{timeline['id']}/invites", headers=ana.auth)
    ).json()["token"]
    assert (
        await client.post(f"/api/v1/invites/{token}/accept", headers=sam.auth)
    ).status_code == 200

    again = await client.post(f"/api/v1/invites/{token}/accept", headers=kim.auth)

    assert again.status_code == 404
    assert again.json()["detail"] == (
        "This invitation does not exist, was already used, or has expired."
    )


async def test_an_invite_expires_after_seven_days(client, sign_up, clock):
    ana, sam = await sign_up("Ana"), await sign_up("Sam")
    timeline = (
        await client.post("/api/v1/timelines", json={"name": "Us"}, headers=ana.auth)
    ).json()
    token = (
        await client.post(f"/api/v1/timelines/{timeline['id']}/invites", headers=ana.auth)
    ).json()["token"]

    clock.advance(timedelta(days=7))

    assert (
        await client.post(f"/api/v1/invites/{token}/accept", headers=sam.auth)
    ).status_code == 404


async def test_an_unknown_invite_is_404(client, sign_up):
    sam = await sign_up("Sam")

    response = await client.post("/api/v1/invites/not-a-real-token/accept", headers=sam.auth)

    assert response.status_code == 404


async def test_a_timeline_holds_two_members(client, couple, sign_up):
    ana, _, timeline_id = await couple()
    kim = await sign_up("Kim")

    no_more_invites = await client.post(
        f"/api/v1/timelines/{timeline_id}/invites", headers=ana.auth
    )

    assert no_more_invites.status_code == 409
    assert no_more_invites.json()["detail"] == "This timeline already has all its members."
    assert (
        await client.get(f"/api/v1/timelines/{timeline_id}", headers=kim.auth)
    ).status_code == 404


async def new_timeline(client, member) -> str:
    created = await client.post("/api/v1/timelines", json={"name": "Us"}, headers=member.auth)
    return created.json()["id"]


async def invite(client, member, timeline_id: str) -> dict:
    made = await client.post(f"/api/v1/timelines/{timeline_id}/invites", headers=member.auth)
    assert made.status_code == 201, made.text
    return made.json()


async def members_of(client, member, timeline_id: str) -> list[str]:
    seen = await client.get(f"/api/v1/timelines/{timeline_id}", headers=member.auth)
    return [m["display_name"] for m in seen.json()["members"]]


async def test_an_invite_made_before_the_partner_joined_dies_when_they_join(client, sign_up):
    ana, sam, kim = await sign_up("Ana"), await sign_up("Sam"), await sign_up("Kim")
    timeline_id = await new_timeline(client, ana)
    first, second = await invite(client, ana, timeline_id), await invite(client, ana, timeline_id)
    await client.post(f"/api/v1/invites/{first['token']}/accept", headers=sam.auth)
    await client.delete(f"/api/v1/timelines/{timeline_id}/membership", headers=sam.auth)

    stranger = await client.post(f"/api/v1/invites/{second['token']}/accept", headers=kim.auth)

    assert stranger.status_code == 404
    assert stranger.json()["detail"] == (
        "This invitation does not exist, was already used, or has expired."
    )
    assert await members_of(client, ana, timeline_id) == ["Ana"]
    assert (
        await client.get(f"/api/v1/timelines/{timeline_id}", headers=kim.auth)
    ).status_code == 404


async def test_a_member_lists_the_invites_waiting_without_their_tokens(client, sign_up, clock):
    ana = await sign_up("Ana")
    timeline_id = await new_timeline(client, ana)
    expired = await invite(client, ana, timeline_id)
    clock.advance(timedelta(days=6))
    older = await invite(client, ana, timeline_id)
    clock.advance(timedelta(days=1, hours=1))
    newer = await invite(client, ana, timeline_id)

    listed = await client.get(f"/api/v1/timelines/{timeline_id}/invites", headers=ana.auth)

    assert listed.status_code == 200
    assert listed.json() == [
        {
            "id": newer["id"],
            "created_at": "2026-06-22T10:30:00Z",
            "expires_at": "2026-06-29T10:30:00Z",
        },
        {
            "id": older["id"],
            "created_at": "2026-06-21T09:30:00Z",
            "expires_at": "2026-06-28T09:30:00Z",
        },
    ]
    assert expired["id"] not in listed.text
    assert not any(made["token"] in listed.text for made in (expired, older, newer))


async def test_a_revoked_invite_lets_nobody_join(client, sign_up):
    ana, sam = await sign_up("Ana"), await sign_up("Sam")
    timeline_id = await new_timeline(client, ana)
    made = await invite(client, ana, timeline_id)

    revoked = await client.delete(f"/api/v1/invites/{made['id']}", headers=ana.auth)

    assert revoked.status_code == 204
    assert (
        await client.get(f"/api/v1/timelines/{timeline_id}/invites", headers=ana.auth)
    ).json() == []
    accepted = await client.post(f"/api/v1/invites/{made['token']}/accept", headers=sam.auth)
    assert accepted.status_code == 404
    assert await members_of(client, ana, timeline_id) == ["Ana"]
    again = await client.delete(f"/api/v1/invites/{made['id']}", headers=ana.auth)
    assert again.status_code == 404
    assert again.json() == {"status_code": 404, "detail": "No such invitation."}


async def test_an_accepted_invite_is_no_longer_waiting_nor_revocable(client, sign_up):
    ana, sam = await sign_up("Ana"), await sign_up("Sam")
    timeline_id = await new_timeline(client, ana)
    made = await invite(client, ana, timeline_id)
    await client.post(f"/api/v1/invites/{made['token']}/accept", headers=sam.auth)

    listed = await client.get(f"/api/v1/timelines/{timeline_id}/invites", headers=ana.auth)
    revoked = await client.delete(f"/api/v1/invites/{made['id']}", headers=ana.auth)
    unknown = await client.delete(f"/api/v1/invites/{uuid4()}", headers=ana.auth)

    assert listed.json() == []
    assert revoked.status_code == unknown.status_code == 404
    assert sorted(await members_of(client, ana, timeline_id)) == ["Ana", "Sam"]


async def test_another_couples_invites_are_404_to_list_and_to_revoke(client, couple, sign_up):
    ana, sam, _ = await couple()
    kim = await sign_up("Kim")
    kims_timeline = await new_timeline(client, kim)
    kims_invite = await invite(client, kim, kims_timeline)

    for member in (ana, sam):
        listed = await client.get(f"/api/v1/timelines/{kims_timeline}/invites", headers=member.auth)
        revoked = await client.delete(f"/api/v1/invites/{kims_invite['id']}", headers=member.auth)
        assert (listed.status_code, revoked.status_code) == (404, 404)
        assert listed.json()["detail"] == "No such timeline."
        assert revoked.json()["detail"] == "No such invitation."

    still = await client.get(f"/api/v1/timelines/{kims_timeline}/invites", headers=kim.auth)
    assert [i["id"] for i in still.json()] == [kims_invite["id"]]


async def test_ten_waiting_invites_are_enough(client, sign_up, clock):
    ana = await sign_up("Ana")
    timeline_id = await new_timeline(client, ana)
    made = [await invite(client, ana, timeline_id) for _ in range(10)]
    clock.advance(timedelta(minutes=16))

    eleventh = await client.post(f"/api/v1/timelines/{timeline_id}/invites", headers=ana.auth)
    await client.delete(f"/api/v1/invites/{made[0]['id']}", headers=ana.auth)
    after_ending_one = await client.post(
        f"/api/v1/timelines/{timeline_id}/invites", headers=ana.auth
    )

    assert eleventh.status_code == 409
    assert eleventh.json()["detail"] == (
        "10 invitations are waiting already. End one to make another."
    )
    assert after_ending_one.status_code == 201


async def test_a_member_following_their_own_link_leaves_it_for_the_partner(client, sign_up):
    ana, sam = await sign_up("Ana"), await sign_up("Sam")
    timeline = (
        await client.post("/api/v1/timelines", json={"name": "Us"}, headers=ana.auth)
    ).json()
    token = (
        await client.post(f"/api/v1/timelines/{timeline['id']}/invites", headers=ana.auth)
    ).json()["token"]

    own = await client.post(f"/api/v1/invites/{token}/accept", headers=ana.auth)
    partner = await client.post(f"/api/v1/invites/{token}/accept", headers=sam.auth)

    assert own.status_code == partner.status_code == 200
    assert len(partner.json()["members"]) == 2


async def test_a_member_leaves_and_the_partner_keeps_the_timeline(client, couple):
    ana, sam, timeline_id = await couple()

    left = await client.delete(f"/api/v1/timelines/{timeline_id}/membership", headers=sam.auth)

    assert left.status_code == 204
    assert (
        await client.get(f"/api/v1/timelines/{timeline_id}", headers=sam.auth)
    ).status_code == 404
    kept = (await client.get(f"/api/v1/timelines/{timeline_id}", headers=ana.auth)).json()
    assert kept["members"] == [{"id": ana.id, "display_name": "Ana"}]


async def test_the_last_member_leaving_deletes_the_timeline(client, couple, count_rows):
    ana, sam, timeline_id = await couple()

    await client.delete(f"/api/v1/timelines/{timeline_id}/membership", headers=sam.auth)
    await client.delete(f"/api/v1/timelines/{timeline_id}/membership", headers=ana.auth)

    assert count_rows("timeline", id=timeline_id) == 0
    assert count_rows("membership", timeline_id=timeline_id) == 0
    assert count_rows("invite", timeline_id=timeline_id) == 0
    assert count_rows("account") == 2
