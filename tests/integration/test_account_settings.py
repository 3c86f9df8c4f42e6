"""Changing an account: name and time zone, e-mail address (confirmed by a link sent to the
new one), password (other sessions and tokens end), and a forgotten password reset by a
single-use link valid for an hour. Links arrive in the outbox, as with the embedded default,
once an e-mail pass has run: the request only records what was asked."""

from __future__ import annotations

import re
from datetime import timedelta

from tests.support import (
    PASSWORD,
    csrf_token,
    email_pass,
    outbox,
    page_soup,
    submit,
    visible_text,
    web_log_in,
)
from timeline.accounts import settings as account_settings
from timeline.models import User

NEW_PASSWORD = "a brand new passphrase"


def link_in(message, path: str) -> str:
    text = message.get_body(("plain",)).get_content()
    return re.search(rf"http://testserver\.local({path}[\w-]+)", text)[1]


async def test_a_member_changes_their_name_and_time_zone(client, sign_up):
    ana = await sign_up("Ana")

    changed = await client.patch(
        "/api/v1/me", json={"display_name": "Ana B.", "timezone": "Asia/Tokyo"}, headers=ana.auth
    )
    refused = await client.patch("/api/v1/me", json={"timezone": "Mars/Olympus"}, headers=ana.auth)

    assert (changed.json()["display_name"], changed.json()["timezone"]) == ("Ana B.", "Asia/Tokyo")
    assert refused.status_code == 422


async def test_a_new_address_counts_once_confirmed_from_the_link_sent_to_it(
    client, sign_up, settings, clock
):
    ana = await sign_up("Ana")
    await sign_up("Sam", email="sam@example.org")
    await web_log_in(client, ana.email)

    wrong = await submit(
        client, "/settings", "/settings/email", {"email": "ana@new.example", "password": "nope"}
    )
    taken = await client.post(
        "/api/v1/me/email",
        json={"email": "SAM@example.org", "password": PASSWORD},
        headers=ana.auth,
    )
    asked = await submit(
        client, "/settings", "/settings/email", {"email": "ana@new.example", "password": PASSWORD}
    )
    email_pass(client, settings, settings.mail_url, clock())
    (message,) = outbox(settings)
    link = link_in(message, "/confirm-email/")
    before = await client.post(
        "/api/v1/auth/login", json={"email": "ana@new.example", "password": PASSWORD}
    )
    confirm_page = await client.get(link)
    confirmed = await client.post(link, data={"_csrf_token": csrf_token(confirm_page.text)})
    again = await client.post(link, data={"_csrf_token": csrf_token(confirm_page.text)})
    after = await client.post(
        "/api/v1/auth/login", json={"email": "ana@new.example", "password": PASSWORD}
    )

    assert wrong.status_code == 422
    assert "That is not your password." in wrong.text
    # Not a way to learn which addresses have accounts: the same answer, and nothing sent.
    assert taken.status_code == 202
    asked_page = page_soup(asked.text)
    assert asked_page.title.text == "Settings · Remember When"
    assert "We sent a link to ana@new.example." in asked_page.text
    assert message["To"] == "Ana <ana@new.example>"
    assert before.status_code == 401
    assert confirmed.status_code == 303
    assert again.status_code == 404
    assert after.status_code == 200


async def test_a_new_password_ends_every_other_session_and_token(client, sign_up):
    ana = await sign_up("Ana")
    other_token = (
        await client.post("/api/v1/auth/login", json={"email": ana.email, "password": PASSWORD})
    ).json()["token"]
    await web_log_in(client, ana.email)

    wrong = await client.post(
        "/api/v1/me/password",
        json={"current_password": "not it at all", "new_password": NEW_PASSWORD},
        headers=ana.auth,
    )
    changed = await client.post(
        "/api/v1/me/password",
        json={"current_password": PASSWORD, "new_password": NEW_PASSWORD},
        headers=ana.auth,
    )

    assert wrong.status_code == 422
    assert changed.status_code == 204
    assert (await client.get("/api/v1/me", headers=ana.auth)).status_code == 200
    other = await client.get("/api/v1/me", headers={"Authorization": f"Bearer {other_token}"})
    assert other.status_code == 401
    assert (await client.get("/settings")).status_code in (302, 303)
    assert (await web_log_in(client, ana.email, NEW_PASSWORD)).status_code == 303


async def test_a_forgotten_password_is_reset_once_through_the_emailed_link(
    client, sign_up, settings, clock
):
    ana = await sign_up("Ana")
    old_token = ana.auth

    unknown = await submit(client, "/forgot", "/forgot", {"email": "nobody@example.org"})
    known = await submit(client, "/forgot", "/forgot", {"email": ana.email.upper()})
    email_pass(client, settings, settings.mail_url, clock())
    (message,) = outbox(settings)
    link = link_in(message, "/reset/")
    form = await client.get(link)
    weak = await client.post(link, data={"password": "short", "_csrf_token": csrf_token(form.text)})
    reset = await client.post(
        link, data={"password": NEW_PASSWORD, "_csrf_token": csrf_token(form.text)}
    )
    reused = await client.get(link)

    def answer(page) -> str:
        return visible_text(page_soup(page.text).select_one("[role=status]"))

    assert answer(unknown) == answer(known)
    assert message["To"] == f"Ana <{ana.email}>"
    assert weak.status_code == 422
    assert reset.status_code == 303
    assert reused.status_code == 404
    assert (await client.get("/api/v1/me", headers=old_token)).status_code == 401
    logged_in = await client.post(
        "/api/v1/auth/login", json={"email": ana.email, "password": NEW_PASSWORD}
    )
    assert logged_in.status_code == 200


async def test_a_reset_link_expires_after_an_hour_and_asking_is_throttled(
    client, sign_up, settings, clock
):
    ana = await sign_up("Ana")
    answers = [
        await client.post("/api/v1/auth/password-reset", json={"email": ana.email})
        for _ in range(4)
    ]
    email_pass(client, settings, settings.mail_url, clock())
    link = link_in(outbox(settings)[0], "/reset/")
    clock.advance(timedelta(hours=1, seconds=1))

    expired = await client.get(link)

    assert [a.status_code for a in answers] == [202, 202, 202, 429]
    assert answers[0].json()["detail"] == "If an account uses that address, we sent it a link."
    assert expired.status_code == 404


async def test_a_reset_link_sent_to_the_old_address_dies_when_the_address_changes(
    client, sign_up, settings, clock
):
    ana = await sign_up("Ana")
    await client.post("/api/v1/auth/password-reset", json={"email": ana.email})
    email_pass(client, settings, settings.mail_url, clock())
    reset_link = link_in(outbox(settings)[0], "/reset/")
    await client.post(
        "/api/v1/me/email",
        json={"email": "ana@new.example", "password": PASSWORD},
        headers=ana.auth,
    )
    email_pass(client, settings, settings.mail_url, clock())
    confirm_link = link_in(outbox(settings)[1], "/confirm-email/")
    confirm_page = await client.get(confirm_link)
    await client.post(confirm_link, data={"_csrf_token": csrf_token(confirm_page.text)})

    from_the_old_mailbox = await client.get(reset_link)

    assert from_the_old_mailbox.status_code == 404
    assert "ana@new.example" not in from_the_old_mailbox.text


async def test_asking_for_new_addresses_is_throttled_per_member(client, sign_up):
    ana = await sign_up("Ana")

    answers = [
        (
            await client.post(
                "/api/v1/me/email",
                json={"email": f"ana{n}@new.example", "password": PASSWORD},
                headers=ana.auth,
            )
        ).status_code
        for n in range(6)
    ]

    assert answers == [202] * 5 + [429]


async def test_a_reset_made_while_the_address_changes_never_reaches_the_old_mailbox(
    client, sign_up, settings, clock, monkeypatch, count_rows
):
    ana = await sign_up("Ana")
    await client.post("/api/v1/auth/password-reset", json={"email": ana.email})
    issue = account_settings._issue

    async def address_changes_meanwhile(user, *args, **kwargs):
        # The confirmation commits between the pass reading the account and making the link.
        await User.filter(id=user.id).update(email="ana@new.example")
        return await issue(user, *args, **kwargs)

    monkeypatch.setattr(account_settings, "_issue", address_changes_meanwhile)
    email_pass(client, settings, settings.mail_url, clock())

    assert outbox(settings) == []
    assert count_rows("account_link") == 0


async def test_the_log_in_details_stay_folded_until_one_has_news_or_an_error(client, sign_up):
    ana = await sign_up("Ana")
    await web_log_in(client, ana.email)

    calm = page_soup((await client.get("/settings")).text)
    wrong = await submit(
        client, "/settings", "/settings/password", {"current_password": "nope", "new_password": ""}
    )
    refused = page_soup(wrong.text)

    assert [fold["id"] for fold in calm.select("details.setting[open]")] == []
    assert [fold["id"] for fold in refused.select("details.setting[open]")] == ["password"]
    assert refused.select_one("#password [role=alert]") is not None
