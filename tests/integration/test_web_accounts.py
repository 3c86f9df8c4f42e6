"""Signing up, logging in and out through the pages, as a browser does."""

from __future__ import annotations

from tests.support import (
    PASSWORD,
    csrf_token,
    page_soup,
    session_set_cookie,
    submit,
    text_of,
    web_log_in,
    web_sign_up,
)


def flash_and_heading(html: str) -> tuple[str | None, str]:
    soup = page_soup(html)
    flash = soup.select_one(".flash")
    return (flash.get_text(strip=True) if flash else None), soup.h1.get_text(strip=True)


async def test_every_form_carries_a_csrf_field(client):
    for path in ["/signup", "/login"]:
        html = (await client.get(path)).text
        assert csrf_token(html)


async def test_a_form_post_without_the_csrf_token_is_refused(client):
    await client.get("/signup")

    response = await client.post(
        "/signup",
        data={"display_name": "Ana", "email": "ana@example.org", "password": PASSWORD},
    )

    assert response.status_code == 403
    assert "CSRF token verification failed" in response.text
    assert (
        await client.post(
            "/api/v1/auth/login",
            json={
                "email": "ana@example.org",
                "password": PASSWORD,
            },
        )
    ).status_code == 401


async def test_signing_up_opens_a_session_on_the_new_couples_timeline(client):
    response = await web_sign_up(client, "Ana", "ana@example.org")

    assert response.status_code == 303
    assert response.headers["location"].startswith("/t/")
    cookie = session_set_cookie(response)
    assert "HttpOnly" in cookie
    assert "SameSite=lax" in cookie
    assert "Secure" not in cookie
    timeline = await client.get(response.headers["location"])
    assert text_of(timeline.text, ".flash") == (
        "Welcome! This is your timeline: add a first memory, and invite your partner."
    )
    assert text_of(timeline.text, ".brand") == "♥ Ana & …"
    assert "Ana" in page_soup(timeline.text).select_one(".menu-who").text


async def test_the_session_cookie_is_secure_when_served_over_https(settings, clock, database_url):
    from dataclasses import replace

    from litestar.testing import AsyncTestClient

    from server.app import create_app

    https = replace(settings, base_url="https://rw.example")
    app = create_app(https, clock=clock)
    async with AsyncTestClient(app, base_url="https://rw.example") as c:
        c.follow_redirects = False
        response = await web_sign_up(c, "Ana", "ana@example.org")

    assert "Secure" in session_set_cookie(response)


async def test_a_wrong_password_shows_the_form_again_without_the_password(client, sign_up):
    ana = await sign_up("Ana")

    response = await web_log_in(client, ana.email, password="not my password")

    assert response.status_code == 401
    soup = page_soup(response.text)
    assert (
        soup.select_one("[role=alert]").text == "That e-mail and password do not match an account."
    )
    assert soup.select_one("#email")["value"] == ana.email
    assert not soup.select_one("#password").get("value")


async def test_a_weak_password_is_explained_on_the_signup_form(client):
    response = await submit(
        client,
        "/signup",
        "/signup",
        {"display_name": "Ana", "email": "ana@example.org", "password": "short"},
    )

    assert response.status_code == 422
    alert = page_soup(response.text).select_one("[role=alert]").text
    assert alert == "Choose a password of at least 10 characters."


async def test_too_many_failed_logins_show_a_429_page_with_retry_after(client, sign_up):
    ana = await sign_up("Ana")
    for _ in range(5):
        await web_log_in(client, ana.email, password="not my password")

    response = await web_log_in(client, ana.email)

    assert response.status_code == 429
    assert int(response.headers["retry-after"]) > 0
    assert "Too many failed log-ins" in response.text


async def test_logging_in_issues_a_new_session_id_and_ends_the_old_one(client, sign_up):
    ana = await sign_up("Ana")
    await web_log_in(client, ana.email)
    first = client.cookies["rw_session"]

    await web_log_in(client, ana.email)
    second = client.cookies["rw_session"]

    assert first != second
    client.cookies.set("rw_session", first)
    assert (await client.get("/t/new")).status_code == 302


async def test_logging_out_really_ends_the_session(client, sign_up):
    ana = await sign_up("Ana")
    await web_log_in(client, ana.email)
    session = client.cookies["rw_session"]
    page = await client.get("/")

    response = await client.post("/logout", data={"_csrf_token": csrf_token(page.text)})

    assert response.status_code == 303
    assert response.headers["location"] == "/login"
    assert flash_and_heading((await client.get("/login")).text)[0] == "You are logged out."
    client.cookies.set("rw_session", session)
    replay = await client.get("/t/new")
    assert replay.status_code == 302
    assert replay.headers["location"] == "/login?next=/t/new"


async def test_login_returns_to_the_page_asked_for_but_never_off_site(client, sign_up):
    ana = await sign_up("Ana")

    inside = await submit(
        client, "/login", "/login", {"email": ana.email, "password": PASSWORD, "next": "/t/new"}
    )
    outside = await submit(
        client,
        "/login",
        "/login",
        {"email": ana.email, "password": PASSWORD, "next": "//evil.example/"},
    )

    assert inside.headers["location"] == "/t/new"
    assert outside.headers["location"] == "/"


async def test_pages_send_security_headers_and_no_inline_script(client):
    response = await client.get("/signup")

    csp = response.headers["content-security-policy"]
    assert "script-src 'self'" in csp
    assert "frame-ancestors 'none'" in csp
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["referrer-policy"] == "same-origin"
    scripts = page_soup(response.text).find_all("script")
    assert scripts
    assert all(s.get("src") and not s.string for s in scripts)
