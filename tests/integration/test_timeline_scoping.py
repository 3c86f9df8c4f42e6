"""A member of one timeline gets 404 for every id of a timeline they do not belong to.

The matrix is read from the app's own routes, so a new route that takes a timeline, memory or
photo id is checked without anyone remembering to add it here."""

from __future__ import annotations

from litestar.routes import HTTPRoute

from tests import images
from tests.support import csrf_token, web_log_in

SAFE = {"GET", "HEAD", "OPTIONS"}
# Valid for every JSON route (unknown fields are ignored), so a 404 cannot hide behind a 400.
ANY_BODY = {
    "name": "Ours now",
    "title": "Ours now",
    "occurred_on": "2020-01-01",
    "score": 5,
    "appreciation": "",
    "text": "Mine",
}


ID_PARAMS = (
    "{timeline_id:uuid}",
    "{memory_id:uuid}",
    "{photo_id:uuid}",
    "{milestone_id:uuid}",
    "{share_id:uuid}",
)
# Bodies for the routes ANY_BODY cannot serve (a milestone's kind is no memory's kind).
BODIES = {
    "/api/v1/timelines/{timeline_id:uuid}/milestones": {
        "kind": "first_date",
        "occurred_on": "2019-01-01",
    },
}
# Member pages that send a member elsewhere: when there is nothing to show them (the
# invitation link just made is shown once it is made), or on to a place in a page (a
# letter's "Write back", a path so that it survives logging in).
ELSEWHERE = {
    "/t/{timeline_id:uuid}/invite": "/t/{timeline_id:uuid}#invites",
    "/m/{memory_id:uuid}/write-back": "/m/{memory_id:uuid}#write-back",
}
# Routes whose permission is a signed link, not membership; tested with the photos.
SIGNED = {"/photos/{photo_id:uuid}/original"}


def scoped_routes(app) -> list[tuple[str, str]]:
    """(method, path template) of every member route whose path carries one of our ids."""
    return sorted(
        (method, route.path)
        for route in app.routes
        if isinstance(route, HTTPRoute)
        and any(p in route.path for p in ID_PARAMS)
        and route.path not in SIGNED
        for method in route.methods - {"HEAD", "OPTIONS"}
    )


def fill(template: str, ids: dict[str, str]) -> str:
    for param, value in ids.items():
        template = template.replace(param, value)
    return template


async def test_a_stranger_gets_404_on_every_route_that_takes_a_timeline_id(client, couple, sign_up):
    ana, _, timeline_id = await couple()
    ids = await _memory_and_photo(client, ana, timeline_id)
    stranger = await sign_up("Kim")
    await client.post("/api/v1/timelines", json={"name": "Kim's own"}, headers=stranger.auth)
    await web_log_in(client, stranger.email)
    csrf = csrf_token((await client.get("/t/new")).text)
    routes = scoped_routes(client.app)
    assert len(routes) >= 15, routes

    answers = {}
    for method, template in routes:
        path = fill(template, ids)
        if template.endswith("/photos") and method == "POST":
            photo = {"file": ("p.jpg", images.cmyk_jpeg(), "image/jpeg")}
            response = await client.post(path, headers=stranger.auth, files=photo)
        elif template.startswith("/api/"):
            body = BODIES.get(template, ANY_BODY)
            response = await client.request(method, path, headers=stranger.auth, json=body)
        else:
            data = None if method in SAFE else {"_csrf_token": csrf}
            response = await client.request(method, path, data=data)
        answers[(method, template)] = response.status_code

    assert answers == dict.fromkeys(routes, 404)
    still_there = await client.get(f"/api/v1/memories/{ids['{memory_id:uuid}']}", headers=ana.auth)
    assert still_there.json()["deleted_at"] is None
    assert len(still_there.json()["photos"]) == 1


async def test_members_reach_the_same_routes(client, couple):
    ana, _, timeline_id = await couple()
    ids = await _memory_and_photo(client, ana, timeline_id)
    await web_log_in(client, ana.email)

    for method, template in scoped_routes(client.app):
        if method != "GET":
            continue
        path = fill(template, ids)
        headers = ana.auth if template.startswith("/api/") else {}
        answer = await client.get(path, headers=headers)
        if template in ELSEWHERE:
            assert answer.headers["location"] == fill(ELSEWHERE[template], ids), path
            continue
        # 204: the route answered, with nothing to show (no pick worth making today).
        assert answer.status_code in (200, 204), path


async def test_an_unknown_timeline_id_is_404_like_a_strangers(client, sign_up):
    ana = await sign_up("Ana")

    unknown = await client.get(
        "/api/v1/timelines/00000000-0000-0000-0000-000000000000", headers=ana.auth
    )
    not_a_uuid = await client.get("/api/v1/timelines/not-a-uuid", headers=ana.auth)

    assert unknown.status_code == 404
    assert unknown.json() == {"status_code": 404, "detail": "No such timeline."}
    assert not_a_uuid.status_code == 404


async def _memory_and_photo(client, member, timeline_id: str) -> dict[str, str]:
    # Year 7 together (from 12 June 2025) has three memories: enough to share its recap.
    made = [
        await client.post(
            f"/api/v1/timelines/{timeline_id}/memories",
            json={"title": f"Ours {n}", "occurred_on": day},
            headers=member.auth,
        )
        for n, day in enumerate(("2025-07-02", "2025-08-02", "2025-09-02"))
    ]
    memory_id = made[0].json()["id"]
    photo = await client.post(
        f"/api/v1/memories/{memory_id}/photos",
        files={"file": ("p.jpg", images.heic(), "image/heic")},
        headers=member.auth,
    )
    milestone = await client.post(
        f"/api/v1/timelines/{timeline_id}/milestones",
        json={"kind": "wedding", "occurred_on": "2021-05-01"},
        headers=member.auth,
    )
    share = await client.post(
        f"/api/v1/timelines/{timeline_id}/recaps/7/share", json={}, headers=member.auth
    )
    return {
        "{timeline_id:uuid}": timeline_id,
        "{memory_id:uuid}": memory_id,
        "{photo_id:uuid}": photo.json()["id"],
        "{milestone_id:uuid}": milestone.json()["id"],
        "{share_id:uuid}": share.json()["id"],
        "{year:int}": "7",
    }
