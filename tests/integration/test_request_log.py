"""Request logs say what happened without ever carrying a password, token or cookie."""

from __future__ import annotations

import logging

from tests.support import PASSWORD, csrf_token, page_soup, web_log_in


async def test_logs_carry_route_templates_never_secrets(client, sign_up, caplog):
    caplog.set_level(logging.INFO, logger="remember_when")
    ana = await sign_up("Ana")
    created = await client.post("/api/v1/timelines", json={"name": "Us"}, headers=ana.auth)
    invite = await client.post(
        f"/api/v1/timelines/{created.json()['id']}/invites", headers=ana.auth
    )
    token = invite.json()["token"]
    await client.get(f"/i/{token}")
    await web_log_in(client, ana.email)
    session = client.cookies["rw_session"]
    await client.post("/logout", data={"_csrf_token": csrf_token((await client.get("/")).text)})

    logged = "\n".join(r.getMessage() for r in caplog.records if r.name.startswith("remember_when"))
    assert "GET /i/{token} 200" in logged
    assert "POST /api/v1/auth/signup 201" in logged
    for secret in (PASSWORD, ana.token, token, session):
        assert secret not in logged


async def test_an_error_page_shows_the_request_id_of_its_log_line(client, sign_up, caplog):
    caplog.set_level(logging.INFO, logger="remember_when")
    ana = await sign_up("Ana")
    await web_log_in(client, ana.email)

    response = await client.get("/t/00000000-0000-0000-0000-000000000000")

    request_id = response.headers["x-request-id"]
    assert response.status_code == 404
    reference = page_soup(response.text).find("code").text
    assert reference == request_id
    assert "GET /t/{timeline_id} 404" in caplog.text
    assert f"id={request_id}" in caplog.text
