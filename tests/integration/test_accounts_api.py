"""The account endpoints of the JSON API, as a client sees them."""

from __future__ import annotations

from datetime import timedelta

import pytest

from tests.support import PASSWORD, web_log_in

SIGNUP = "/api/v1/auth/signup"
LOGIN = "/api/v1/auth/login"
RIGHT_CREDENTIALS = {"email": "ana@example.org", "password": PASSWORD}


def signup_body(**overrides: str) -> dict[str, str]:
    return {
        "email": "Ana@Example.org",
        "password": PASSWORD,
        "display_name": "Ana",
        "timezone": "Europe/Lisbon",
        **overrides,
    }


async def test_signup_returns_a_token_and_the_user_with_a_lowercased_email(client):
    response = await client.post(SIGNUP, json=signup_body())

    assert response.status_code == 201
    body = response.json()
    assert body["user"]["email"] == "ana@example.org"
    assert body["user"]["display_name"] == "Ana"
    assert body["user"]["timezone"] == "Europe/Lisbon"
    me = await client.get("/api/v1/me", headers={"Authorization": f"Bearer {body['token']}"})
    assert me.json() == {**body["user"], "timelines": []}


async def test_signup_with_a_taken_email_in_other_case_is_a_conflict(client):
    await client.post(SIGNUP, json=signup_body())

    response = await client.post(SIGNUP, json=signup_body(email="ANA@example.ORG"))

    assert response.status_code == 409
    assert response.json() == {
        "status_code": 409,
        "detail": "An account with this e-mail address already exists. Log in instead.",
    }


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("password", "short", "Choose a password of at least 10 characters."),
        ("password", "ana@example.org", "Choose a password that is not your e-mail address."),
        ("password", "aaaaaaaaaaaa", "Choose a password with more variety"),
        ("email", "not-an-address", "Enter an e-mail address such as name@example.com."),
        ("timezone", "Mars/Olympus", "Unknown time zone 'Mars/Olympus'"),
        ("display_name", "   ", "Enter the name your partner knows you by."),
    ],
)
async def test_signup_refuses_bad_values_with_a_plain_message(client, field, value, message):
    response = await client.post(SIGNUP, json=signup_body(**{field: value}))

    assert response.status_code == 422
    assert response.json()["detail"].startswith(message)
    assert (
        await client.post(LOGIN, json={"email": "ana@example.org", "password": PASSWORD})
    ).status_code == 401


async def test_malformed_json_is_a_400_not_a_500(client):
    response = await client.post(
        SIGNUP, content=b'{"email": "a@b.c", "pass', headers={"content-type": "application/json"}
    )

    assert response.status_code == 400
    assert response.json()["status_code"] == 400


async def test_wrong_types_are_a_400_naming_the_field(client):
    response = await client.post(SIGNUP, json=signup_body(password=12345678901))

    assert response.status_code == 400
    assert "password" in response.text


async def test_login_returns_a_new_token(client):
    signed_up = (await client.post(SIGNUP, json=signup_body())).json()

    response = await client.post(LOGIN, json={"email": "ANA@example.org", "password": PASSWORD})

    assert response.status_code == 200
    assert response.json()["user"] == signed_up["user"]
    assert response.json()["token"] != signed_up["token"]


async def test_wrong_password_and_unknown_email_get_the_same_401(client):
    await client.post(SIGNUP, json=signup_body())

    wrong = await client.post(LOGIN, json={"email": "ana@example.org", "password": "not it at all"})
    unknown = await client.post(LOGIN, json={"email": "who@example.org", "password": PASSWORD})

    assert wrong.status_code == unknown.status_code == 401
    assert (
        wrong.json()
        == unknown.json()
        == {
            "status_code": 401,
            "detail": "That e-mail and password do not match an account.",
        }
    )


async def test_repeated_failures_for_one_account_get_429_with_retry_after(client, clock):
    await client.post(SIGNUP, json=signup_body())
    wrong = {"email": "ana@example.org", "password": "not it at all"}
    for _ in range(5):
        assert (await client.post(LOGIN, json=wrong)).status_code == 401

    throttled = await client.post(LOGIN, json=RIGHT_CREDENTIALS)

    assert throttled.status_code == 429
    assert int(throttled.headers["retry-after"]) == 15 * 60
    clock.advance(timedelta(minutes=15, seconds=1))
    assert (
        await client.post(LOGIN, json={"email": "ana@example.org", "password": PASSWORD})
    ).status_code == 200


async def test_repeated_failures_from_one_address_across_accounts_get_429(client):
    for n in range(20):
        wrong = {"email": f"guess{n}@example.org", "password": "not it at all"}
        assert (await client.post(LOGIN, json=wrong)).status_code == 401

    response = await client.post(LOGIN, json={"email": "other@example.org", "password": PASSWORD})

    assert response.status_code == 429
    assert "retry-after" in response.headers


async def test_logout_revokes_the_token(client, sign_up):
    ana = await sign_up("Ana")

    assert (await client.post("/api/v1/auth/logout", headers=ana.auth)).status_code == 204

    response = await client.get("/api/v1/me", headers=ana.auth)
    assert response.status_code == 401
    assert response.headers["www-authenticate"] == "Bearer"


async def test_the_api_ignores_the_web_session_cookie(client, sign_up):
    ana = await sign_up("Ana")
    await web_log_in(client, ana.email)
    assert "rw_session" in client.cookies

    response = await client.get("/api/v1/me")

    assert response.status_code == 401


async def test_many_sign_ups_from_one_address_get_429(client):
    answers = [
        (
            await client.post(
                "/api/v1/auth/signup",
                json={"email": f"n{n}@example.org", "password": PASSWORD, "display_name": "N"},
            )
        ).status_code
        for n in range(21)
    ]

    assert answers == [201] * 20 + [429]


async def test_many_invitations_by_one_member_get_429(client, sign_up):
    ana = await sign_up("Ana")
    timeline = await client.post("/api/v1/timelines", json={"name": "Us"}, headers=ana.auth)
    path = f"/api/v1/timelines/{timeline.json()['id']}/invites"

    answers = [(await client.post(path, headers=ana.auth)).status_code for _ in range(11)]

    assert answers == [201] * 10 + [429]


async def test_a_nul_character_anywhere_in_text_is_a_plain_400(client, sign_up):
    ana = await sign_up("Ana")

    answers = [
        await client.post("/api/v1/auth/password-reset", json={"email": "a\u0000@example.org"}),
        await client.post("/api/v1/timelines", json={"name": "Us\u0000"}, headers=ana.auth),
        await client.get("/api/v1/me", params={"x": "\x00"}, headers=ana.auth),
    ]

    assert [a.status_code for a in answers] == [400, 400, 400]
    assert answers[0].json()["detail"] == "Text cannot contain the NUL character (\\u0000)."
