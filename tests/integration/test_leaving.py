"""Leaving a timeline and deleting an account: what stays with the partner, what goes, and
that what goes is gone from the storage too, not only from the database."""

from __future__ import annotations

import pytest

from tests import images
from tests.support import (
    PASSWORD,
    rate_memory,
    stored_keys,
    submit,
    upload_photo,
    web_log_in,
    write_memory,
)

pytestmark = pytest.mark.parametrize("media_storage", ["file", "s3"], indirect=True)


async def with_photo(client, member, timeline_id, title, data):
    memory = await write_memory(client, member, timeline_id, title, "2021-05-01")
    upload = await upload_photo(client, member, memory["id"], data)
    assert upload.status_code == 201, upload.text
    return memory


def stored(client) -> list[str]:
    return stored_keys(client, "photos") + stored_keys(client, "recaps")


async def shared_timeline(client, couple):
    ana, sam, timeline_id = await couple()
    anas = await with_photo(client, ana, timeline_id, "Ana's lake", images.rotated_jpeg_with_gps())
    sams = await with_photo(client, sam, timeline_id, "Sam's tent", images.heic())
    await rate_memory(client, sam, anas, 5)
    await client.get(f"/api/v1/timelines/{timeline_id}/recaps/2", headers=ana.auth)
    return ana, sam, timeline_id, anas, sams


async def titles(client, member, timeline_id):
    listed = await client.get(f"/api/v1/timelines/{timeline_id}/memories", headers=member.auth)
    return sorted(m["title"] for m in listed.json()["items"])


async def test_a_partner_who_leaves_leaves_their_memories_behind(client, couple):
    ana, sam, timeline_id, _, _ = await shared_timeline(client, couple)
    before = stored(client)

    left = await client.delete(f"/api/v1/timelines/{timeline_id}/membership", headers=sam.auth)

    assert left.status_code == 204
    assert await titles(client, ana, timeline_id) == ["Ana's lake", "Sam's tent"]
    assert stored(client) == before
    gone = await client.get(f"/api/v1/timelines/{timeline_id}", headers=sam.auth)
    assert gone.status_code == 404


async def test_taking_my_memories_out_deletes_them_and_their_photos(client, couple):
    ana, sam, timeline_id, anas, _ = await shared_timeline(client, couple)

    def photo_folders() -> set[str]:
        return {"/".join(k.split("/")[:2]) for k in stored(client) if k.startswith("photos/")}

    before = photo_folders()

    await client.delete(
        f"/api/v1/timelines/{timeline_id}/membership",
        params={"take_my_memories": "true"},
        headers=sam.auth,
    )

    assert await titles(client, ana, timeline_id) == ["Ana's lake"]
    after = photo_folders()
    assert (len(before), len(after)) == (2, 1)
    assert after < before
    assert (await client.get(f"/api/v1/memories/{anas['id']}", headers=ana.auth)).status_code == 200


async def test_the_last_member_to_leave_deletes_the_timeline_with_its_objects(client, couple):
    ana, sam, timeline_id, _, _ = await shared_timeline(client, couple)
    assert [k for k in stored(client) if k.startswith(f"recaps/{timeline_id}")]

    await client.delete(f"/api/v1/timelines/{timeline_id}/membership", headers=sam.auth)
    await client.delete(f"/api/v1/timelines/{timeline_id}/membership", headers=ana.auth)

    assert stored(client) == []
    me = await client.get("/api/v1/me", headers=ana.auth)
    assert me.json()["timelines"] == []


async def test_deleting_an_account_needs_the_password_and_ends_every_way_in(client, couple):
    ana, sam, timeline_id, anas, _ = await shared_timeline(client, couple)

    refused = await client.post(
        "/api/v1/me/deletion", json={"password": "not my password"}, headers=sam.auth
    )
    still = await client.get("/api/v1/me", headers=sam.auth)
    deleted = await client.post(
        "/api/v1/me/deletion", json={"password": PASSWORD}, headers=sam.auth
    )
    token_after = await client.get("/api/v1/me", headers=sam.auth)
    log_in_after = await client.post(
        "/api/v1/auth/login", json={"email": sam.email, "password": PASSWORD}
    )
    memory = (await client.get(f"/api/v1/memories/{anas['id']}", headers=ana.auth)).json()

    assert (refused.status_code, refused.json()["detail"]) == (422, "That is not your password.")
    assert still.status_code == 200
    assert deleted.status_code == 204
    assert token_after.status_code == log_in_after.status_code == 401
    assert await titles(client, ana, timeline_id) == ["Ana's lake", "Sam's tent"]
    assert memory["connections"] == []


async def test_deleting_the_account_on_the_settings_page_logs_out(client, couple):
    ana, _, _, _, _ = await shared_timeline(client, couple)
    await web_log_in(client, ana.email)

    wrong = await submit(client, "/settings", "/settings/delete-account", {"password": "nope nope"})
    done = await submit(
        client,
        "/settings",
        "/settings/delete-account",
        {"password": PASSWORD, "take_my_memories": "true"},
    )
    home = await client.get("/", follow_redirects=True)

    assert wrong.status_code == 422
    assert "That is not your password." in wrong.text
    assert done.status_code == 303
    assert "Your account is deleted." in home.text
    assert (await client.get("/settings")).status_code in (302, 303)
