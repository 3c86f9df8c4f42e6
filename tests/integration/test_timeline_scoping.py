"""A member of one timeline gets 404 for every id of a timeline they do not belong to.

The matrix is read from the app's own routes, so a new route that takes a timeline id is
checked without anyone remembering to add it here."""

from __future__ import annotations

from litestar.routes import HTTPRoute

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


def timeline_routes(app) -> list[tuple[str, str]]:
    """(method, path template) of every route whose path carries a timeline id."""
    return sorted(
        (method, route.path)
        for route in app.routes
        if isinstance(route, HTTPRoute) and "{timeline_id" in route.path
        for method in route.methods - {"HEAD", "OPTIONS"}
    )


async def test_a_stranger_gets_404_on_every_route_that_takes_a_timeline_id(client, couple, sign_up):
    ana, _, timeline_id = await couple()
    stranger = await sign_up("Kim")
    await client.post("/api/v1/timelines", json={"name": "Kim's own"}, headers=stranger.auth)
    await web_log_in(client, stranger.email)
    csrf = csrf_token((await client.get("/t/new")).text)
    routes = timeline_routes(client.app)
    assert len(routes) >= 6, routes

    answers = {}
    for method, template in routes:
        path = template.replace("{timeline_id:uuid}", timeline_id)
        if template.startswith("/api/"):
            response = await client.request(method, path, headers=stranger.auth, json=ANY_BODY)
        else:
            data = None if method in SAFE else {"_csrf_token": csrf}
            response = await client.request(method, path, data=data)
        answers[(method, template)] = response.status_code

    assert answers == dict.fromkeys(routes, 404)
    still_there = await client.get(f"/api/v1/timelines/{timeline_id}", headers=ana.auth)
    assert len(still_there.json()["members"]) == 2


async def test_members_reach_the_same_routes(client, couple):
    ana, _, timeline_id = await couple()
    await web_log_in(client, ana.email)

    for method, template in timeline_routes(client.app):
        if method != "GET":
            continue
        path = template.replace("{timeline_id:uuid}", timeline_id)
        headers = ana.auth if template.startswith("/api/") else {}
        assert (await client.get(path, headers=headers)).status_code == 200, path


async def test_an_unknown_timeline_id_is_404_like_a_strangers(client, sign_up):
    ana = await sign_up("Ana")

    unknown = await client.get(
        "/api/v1/timelines/00000000-0000-0000-0000-000000000000", headers=ana.auth
    )
    not_a_uuid = await client.get("/api/v1/timelines/not-a-uuid", headers=ana.auth)

    assert unknown.status_code == 404
    assert unknown.json() == {"status_code": 404, "detail": "No such timeline."}
    assert not_a_uuid.status_code == 404
