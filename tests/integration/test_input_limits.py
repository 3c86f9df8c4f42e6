"""Input is limited before any work is done on it, and every one-line field refuses line
breaks and control characters with a 422 naming the field, in the API and the pages alike."""

from __future__ import annotations

import anyio
import pytest

from server.http import body_limits
from tests.support import csrf_token, page_soup, post_memory, web_log_in, write_memory

LINE_BREAKS = ["\n", "\r", "\u0085", "\u2028", "\u2029", "\x07", "\x9b", "\t"]


async def test_a_json_body_over_256_kb_is_refused_before_it_is_read(client, couple):
    ana, _, timeline_id = await couple()
    tags = [f"tag{n}" for n in range(50_000)]

    response = await client.post(
        f"/api/v1/timelines/{timeline_id}/memories",
        json={"title": "Many tags", "occurred_on": "2024-05-01", "tags": tags},
        headers=ana.auth,
    )

    assert response.status_code == 413
    assert response.json()["detail"] == "The request body is larger than 256 KB."


async def test_a_page_form_over_256_kb_is_refused(client, couple):
    ana, _, _ = await couple()
    await web_log_in(client, ana.email)
    form = await client.get("/settings")

    response = await client.post(
        "/settings/profile",
        data={"_csrf_token": csrf_token(form.text), "display_name": "A" * 300_000},
    )

    assert response.status_code == 413


async def test_thousands_of_comma_separated_tags_are_counted_before_they_are_cleaned(
    client, couple
):
    ana, _, timeline_id = await couple()
    await web_log_in(client, ana.email)

    response = await post_memory(
        client,
        timeline_id,
        {"title": "Tags", "occurred_on": "2024-05-01", "tags": ",".join(["a"] * 60_000)},
    )

    assert response.status_code == 422
    page = page_soup(response.text)
    assert page.select_one("#tags-error").text == "Use at most 20 tags."


async def test_repeated_tags_count_once(client, couple):
    ana, _, timeline_id = await couple()

    memory = await write_memory(
        client, ana, timeline_id, "Tags", "2024-05-01", tags=["Lake", "lake", " #lake "] * 20
    )

    assert memory["tags"] == ["lake"]


async def test_a_json_body_nested_100000_deep_is_a_plain_400(client, couple):
    ana, _, timeline_id = await couple()

    response = await client.post(
        f"/api/v1/timelines/{timeline_id}/memories",
        content=b"[" * 100_000,
        headers={**ana.auth, "content-type": "application/json"},
    )

    assert response.status_code == 400
    assert response.json()["detail"] == "The request body is nested too deeply to read."


LOGIN_SCOPE = {
    "type": "http",
    "asgi": {"version": "3.0"},
    "http_version": "1.1",
    "method": "POST",
    "scheme": "http",
    "path": "/api/v1/auth/login",
    "raw_path": b"/api/v1/auth/login",
    "query_string": b"",
    "root_path": "",
    "headers": [(b"content-type", b"application/json"), (b"content-length", b"100000")],
    "client": ("127.0.0.1", 50000),
    "server": ("testserver", 80),
}


async def _answer_to(app, receive, scope: dict = LOGIN_SCOPE) -> int:
    """The status the app sends for a request whose body comes from `receive`."""
    sent: list[dict] = []

    async def send(message: dict) -> None:
        sent.append(message)

    with anyio.fail_after(5):
        await app(dict(scope), receive, send)
    assert sent[0]["type"] == "http.response.start"
    return sent[0]["status"]


async def test_a_body_that_stops_arriving_is_answered_408(client, monkeypatch):
    monkeypatch.setattr(body_limits, "BODY_IDLE_TIMEOUT", 0.05)
    first = True

    async def stalls() -> dict:
        nonlocal first
        if first:
            first = False
            return {"type": "http.request", "body": b'{"email": "a', "more_body": True}
        await anyio.Event().wait()  # the client never sends the rest
        raise AssertionError("unreachable")

    assert await _answer_to(client.app, stalls) == 408


async def test_a_body_trickled_a_byte_at_a_time_is_cut_off_at_its_deadline(client, monkeypatch):
    monkeypatch.setattr(body_limits, "FORM_BODY_DEADLINE", 0.2)

    async def trickles() -> dict:
        await anyio.sleep(0.01)  # the client's pace: never idle long enough to stall
        return {"type": "http.request", "body": b" ", "more_body": True}

    assert await _answer_to(client.app, trickles) == 408


async def test_an_http2_body_without_a_length_is_counted_and_refused_past_256_kb(client):
    chunks = iter([b"x" * 200_000, b"x" * 200_000])

    async def streams() -> dict:
        return {"type": "http.request", "body": next(chunks), "more_body": True}

    h2 = {**LOGIN_SCOPE, "http_version": "2", "headers": [(b"content-type", b"application/json")]}

    assert await _answer_to(client.app, streams, h2) == 413


async def test_a_refused_body_is_logged_with_the_status_it_got(client, caplog):
    response = await client.post(
        "/api/v1/auth/login", content=b"x" * 300_000, headers={"content-type": "application/json"}
    )

    assert response.status_code == 413
    lines = [r.getMessage() for r in caplog.records if r.name == "remember_when.request"]
    assert any(line.startswith("POST /api/v1/auth/login 413 ") for line in lines), lines


@pytest.mark.parametrize("character", LINE_BREAKS)
async def test_a_title_with_a_line_break_or_control_is_422_naming_it(client, couple, character):
    ana, _, timeline_id = await couple()

    response = await client.post(
        f"/api/v1/timelines/{timeline_id}/memories",
        json={"title": f"Lake{character}Bcc: x@example.org", "occurred_on": "2024-05-01"},
        headers=ana.auth,
    )

    assert response.status_code == 422
    assert response.json()["detail"] == "The title must be one line, without control characters."
    assert response.json()["extra"] == [{"key": "title"}]


async def test_every_one_line_field_of_the_api_refuses_a_line_break(client, couple, sign_up):
    ana, _, timeline_id = await couple()
    memory = await write_memory(client, ana, timeline_id, "Lake", "2024-05-01")
    api = "/api/v1"
    attempts = {
        "place": ("PATCH", f"{api}/memories/{memory['id']}", {"place": "Lake\nSide"}),
        "tags": ("PATCH", f"{api}/memories/{memory['id']}", {"tags": ["sum\x01mer"]}),
        "name": ("PATCH", f"{api}/timelines/{timeline_id}", {"name": "Us\r\nBcc: x"}),
        "label": (
            "POST",
            f"{api}/timelines/{timeline_id}/milestones",
            {"kind": "custom", "label": "Moved\u2028in", "occurred_on": "2020-01-01"},
        ),
        "tag": ("POST", f"{api}/timelines/{timeline_id}/quiet-rules", {"tag": "hard\u0085year"}),
        "display_name": ("PATCH", f"{api}/me", {"display_name": "Ana\nBcc: x@example.org"}),
    }

    for field, (method, path, body) in attempts.items():
        response = await client.request(method, path, json=body, headers=ana.auth)
        assert response.status_code == 422, (field, response.text)
        assert response.json()["extra"] == [{"key": field}], field


async def test_a_sign_up_name_with_a_line_break_is_refused(client):
    response = await client.post(
        "/api/v1/auth/signup",
        json={"email": "kai@example.org", "password": "a long passphrase", "display_name": "K\nai"},
    )

    assert response.status_code == 422
    assert response.json()["extra"] == [{"key": "display_name"}]


async def test_an_address_with_accented_letters_is_refused_at_sign_up(client):
    response = await client.post(
        "/api/v1/auth/signup",
        json={"email": "zoë@example.org", "password": "a long passphrase", "display_name": "Zoë"},
    )

    assert response.status_code == 422
    assert "plain letters" in response.json()["detail"]


async def test_a_title_with_a_line_break_on_the_page_is_shown_beside_the_field(client, couple):
    ana, _, timeline_id = await couple()
    await web_log_in(client, ana.email)

    response = await post_memory(
        client, timeline_id, {"title": "Lake\r\nBcc: x@example.org", "occurred_on": "2024-05-01"}
    )

    assert response.status_code == 422
    page = page_soup(response.text)
    assert (
        page.select_one("#title-error").text
        == "The title must be one line, without control characters."
    )
