"""Web Push as a browser's push service sees it: subscriptions through the API, refused when
they point into a private network, and notifications that arrive signed (VAPID, RFC 8292),
encrypted for the browser (RFC 8291, aes128gcm), once, and only for the partner."""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from uuid import UUID

import anyio
import pytest
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature

from server.common.push_endpoints import PublicResolver
from server.common.settings import Settings
from server.worker.push import send_waiting_pushes
from tests.support import (
    CLI,
    PushKeys,
    PushService,
    a_browser,
    a_push_service,
    b64url,
    clean_environment,
    email_pass,
    page_soup,
    picnic_three_years_ago,
    rate_memory,
    submit,
    text_of,
    unb64url,
    visible_text,
    web_log_in,
    write_memory,
)
from timeline.push.outbox import DAILY_PICK, PARTNER_REPLY, memory_topic, topic_of

pytestmark = pytest.mark.anyio


@pytest.fixture
def settings(request: pytest.FixtureRequest, settings: Settings) -> Settings:
    """The suite's settings; a test marked `private_endpoints` may subscribe a push service
    of its own on 127.0.0.1, as PUSH_ALLOW_PRIVATE_ENDPOINTS=1 allows."""
    private = request.node.get_closest_marker("private_endpoints") is not None
    return dataclasses.replace(settings, push_allow_private_endpoints=private)


@pytest.fixture
def push_service() -> Iterator[PushService]:
    with a_push_service() as service:
        yield service


async def subscribe(client, member, endpoint: str, browser: PushKeys | None = None):
    return await client.post(
        "/api/v1/me/push-subscriptions",
        json={"endpoint": endpoint, "keys": (browser or a_browser()).keys},
        headers=member.auth,
    )


def push_pass(client, settings: Settings, at: datetime):
    """What a worker does between e-mail passes: send the notifications waiting."""
    return client.blocking_portal.call(lambda: send_waiting_pushes(at, settings=settings))


async def reply(client, member, memory: dict, text: str) -> None:
    response = await client.post(
        f"/api/v1/memories/{memory['id']}/replies", json={"text": text}, headers=member.auth
    )
    assert response.status_code == 201, response.text


# --- subscribing -----------------------------------------------------------------------------


async def test_push_key_is_an_uncompressed_p256_point(client):
    response = await client.get("/api/v1/push/key")

    assert response.status_code == 200
    point = unb64url(response.json()["public_key"])
    ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), point)
    assert len(point) == 65


# Each a way into the private network, or no push service at all. One refusal for all of
# them: it tells nothing of the network behind the service.
INTO_THE_NETWORK = [
    "http://169.254.169.254/latest/meta-data/",
    "http://127.0.0.1/push",
    "https://127.0.0.1/push",
    "https://10.1.2.3/push",
    "https://[::1]/push",
    "https://[::ffff:192.168.0.1]/push",
    "https://localhost/push",
    "https://push.invalid/push",
    "ftp://push.example.com/push",
    "https://user:secret@push.example.com/",
    "https://[127.0.0.1]/push",
    "https://[/push",
    "https://[64:ff9b::a9fe:a9fe]/latest",
    "https://[64:ff9b:1::a00:1]/push",
    "https://[2002:a00:1::]/push",
    "https://[::7f00:1]/push",
    "https://[::ffff:0:a00:1]/push",
    "https://[fd00::1]/push",
    "https://2130706433/push",
    "https://0x7f.1/push",
]
REFUSED = "A push endpoint must be an https URL of a push service on a public address."


async def test_endpoints_into_a_private_network_are_refused(client, sign_up, count_rows):
    ana = await sign_up("Ana")

    answers = {endpoint: await subscribe(client, ana, endpoint) for endpoint in INTO_THE_NETWORK}

    assert {e: (a.status_code, REFUSED in a.text) for e, a in answers.items()} == dict.fromkeys(
        INTO_THE_NETWORK, (422, True)
    )
    assert count_rows("push_subscription") == 0


async def test_keys_that_are_not_rfc_8291_keys_are_refused(client, sign_up, count_rows):
    ana = await sign_up("Ana")
    auth, p256dh = b64url(b"a" * 16), a_browser().keys["p256dh"]
    wrong = {
        "keys.p256dh": [{"p256dh": b64url(b"\x04" + b"\x01" * 64), "auth": auth},
                        {"p256dh": "not base64!", "auth": auth}],
        "keys.auth": [{"p256dh": p256dh, "auth": b64url(b"a" * 15)}],
    }  # fmt: skip

    answers = [
        (field_name, await client.post(
            "/api/v1/me/push-subscriptions",
            json={"endpoint": "https://8.8.8.8/push", "keys": keys},
            headers=ana.auth,
        ))
        for field_name, tries in wrong.items()
        for keys in tries
    ]  # fmt: skip

    assert [(a.status_code, field_name in a.text) for field_name, a in answers] == [(422, True)] * 3
    assert count_rows("push_subscription") == 0


async def test_member_ends_their_subscription_and_no_one_else_can(client, couple, count_rows):
    ana, sam, _ = await couple()
    created = await subscribe(client, ana, "https://8.8.8.8/push/ana")
    assert created.status_code == 201, created.text
    subscription = created.json()["id"]

    by_partner = await client.delete(
        f"/api/v1/me/push-subscriptions/{subscription}", headers=sam.auth
    )
    by_owner = await client.delete(
        f"/api/v1/me/push-subscriptions/{subscription}", headers=ana.auth
    )
    again = await client.delete(f"/api/v1/me/push-subscriptions/{subscription}", headers=ana.auth)

    assert (by_partner.status_code, by_owner.status_code, again.status_code) == (404, 204, 404)
    assert count_rows("push_subscription") == 0


async def test_a_browser_subscribing_again_keeps_one_subscription(client, couple, count_rows):
    ana, sam, _ = await couple()
    await subscribe(client, ana, "https://8.8.8.8/push/shared-tablet")

    await subscribe(client, sam, "https://8.8.8.8/push/shared-tablet")

    assert count_rows("push_subscription") == 1
    assert count_rows("push_subscription", user_id=sam.id) == 1


async def test_the_sending_resolver_answers_only_with_public_addresses():
    with pytest.raises(OSError, match="PrivateAddress: localhost"):
        await PublicResolver().resolve("localhost", 443)


# --- sending ---------------------------------------------------------------------------------

private_endpoints = pytest.mark.private_endpoints


@private_endpoints
async def test_partner_reply_arrives_signed_encrypted_and_naming_them(
    client, couple, push_service, clock, settings
):
    ana, sam, timeline_id = await couple()
    picnic = await write_memory(client, ana, timeline_id, "Picnic by the river", "2023-06-15")
    browser = a_browser()
    assert (
        await subscribe(client, sam, f"{push_service.url}/push/sam", browser)
    ).status_code == 201

    await reply(client, ana, picnic, "The cherries! I still think of them.")
    report = push_pass(client, settings, clock.now)

    assert report.sent == 1
    [post] = push_service.received
    assert post.path == "/push/sam"
    assert post.headers["Content-Encoding"] == "aes128gcm"
    assert int(post.headers["TTL"]) > 0
    message = browser.read(post.body)
    assert message["title"] == "Ana replied to “Picnic by the river”"
    assert message["url"] == f"/m/{picnic['id']}"
    # A notification shows on a locked screen: the reply's words stay in the app.
    assert "cherries" not in json.dumps(message)
    public_key = (await client.get("/api/v1/push/key")).json()["public_key"]
    claims = verified_vapid(post.headers["Authorization"], public_key)
    assert claims["aud"] == push_service.url
    now = datetime.now(UTC).timestamp()
    assert now < claims["exp"] <= now + 24 * 3600
    assert claims["sub"].startswith(("mailto:", "https://"))


def verified_vapid(authorization: str, public_key: str) -> dict:
    """The claims of a `vapid t=…, k=…` header (RFC 8292) whose key is `public_key` and
    whose ES256 signature verifies; AssertionError otherwise."""
    scheme, _, params = authorization.partition(" ")
    assert scheme == "vapid"
    fields = dict(part.strip().split("=", 1) for part in params.split(","))
    assert fields["k"] == public_key
    header, payload, signature = fields["t"].split(".")
    raw = unb64url(signature)
    der = encode_dss_signature(int.from_bytes(raw[:32], "big"), int.from_bytes(raw[32:], "big"))
    key = ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), unb64url(public_key))
    try:
        key.verify(der, f"{header}.{payload}".encode(), ec.ECDSA(hashes.SHA256()))
    except InvalidSignature:
        raise AssertionError("the VAPID signature does not verify") from None
    assert json.loads(unb64url(header)) == {"typ": "JWT", "alg": "ES256"}
    return json.loads(unb64url(payload))


@private_endpoints
async def test_own_reply_notifies_no_one_but_the_partner(
    client, couple, push_service, clock, settings
):
    ana, sam, timeline_id = await couple()
    picnic = await write_memory(client, ana, timeline_id, "Picnic by the river", "2023-06-15")
    await subscribe(client, sam, f"{push_service.url}/push/sam")

    await reply(client, sam, picnic, "My favourite day.")
    await rate_memory(client, sam, picnic, 5, "Your laugh")
    push_pass(client, settings, clock.now)

    assert push_service.received == []


@private_endpoints
async def test_partner_news_names_what_they_did(client, couple, push_service, clock, settings):
    ana, sam, timeline_id = await couple()
    browser = a_browser()
    await subscribe(client, sam, f"{push_service.url}/push/sam", browser)

    picnic = await write_memory(client, ana, timeline_id, "Picnic by the river", "2023-06-15")
    await rate_memory(client, ana, picnic, 5, "The light on the water")
    push_pass(client, settings, clock.now)

    titles = sorted(browser.read(post.body)["title"] for post in push_service.received)
    assert titles == [
        "Ana added “Picnic by the river”",
        "Ana wrote what they loved about “Picnic by the river”",
    ]


@private_endpoints
async def test_gone_browser_loses_its_subscription(
    client, couple, push_service, clock, settings, count_rows
):
    ana, sam, timeline_id = await couple()
    await subscribe(client, sam, f"{push_service.url}/push/sam")
    push_service.answers = [410]

    await write_memory(client, ana, timeline_id, "Picnic by the river", "2023-06-15")
    report = push_pass(client, settings, clock.now)

    assert (report.gone, len(push_service.received)) == (1, 1)
    assert count_rows("push_subscription") == 0
    assert count_rows("push_message") == 0


@private_endpoints
async def test_a_redirect_is_not_followed(
    client, couple, push_service, clock, settings, count_rows
):
    ana, sam, timeline_id = await couple()
    await subscribe(client, sam, f"{push_service.url}/push/sam")
    push_service.answers = [307]

    await write_memory(client, ana, timeline_id, "Picnic by the river", "2023-06-15")
    report = push_pass(client, settings, clock.now)

    assert [post.path for post in push_service.received] == ["/push/sam"]
    assert report.dropped == 1
    assert count_rows("push_message") == 0


@private_endpoints
async def test_busy_push_service_gets_it_again_later(
    client, couple, push_service, clock, settings, count_rows
):
    ana, sam, timeline_id = await couple()
    await subscribe(client, sam, f"{push_service.url}/push/sam")
    push_service.answers = [503, 429]
    await write_memory(client, ana, timeline_id, "Picnic by the river", "2023-06-15")

    first = push_pass(client, settings, clock.now)
    too_soon = push_pass(client, settings, clock.now + timedelta(seconds=10))
    second = push_pass(client, settings, clock.now + timedelta(seconds=31))
    third = push_pass(client, settings, clock.now + timedelta(minutes=5))

    assert (first.retrying, too_soon.sent, second.retrying, third.sent) == (1, 0, 1, 1)
    assert len(push_service.received) == 3
    assert count_rows("push_message") == 0


@private_endpoints
async def test_todays_pick_is_told_once_from_the_morning_hour(
    client, couple, push_service, settings
):
    ana, sam, timeline_id, picnic = await picnic_three_years_ago(client, couple)
    await rate_memory(client, ana, picnic, 5, "Cherries")
    await rate_memory(client, sam, picnic, 5, "Stars")
    browser = a_browser()
    await subscribe(client, sam, f"{push_service.url}/push/sam", browser)
    paris_morning = datetime(2026, 6, 16, 6, 0, tzinfo=UTC)  # 08:00 in Paris

    before = email_pass(client, settings, settings.mail_url, paris_morning - timedelta(hours=1))
    at_eight = email_pass(client, settings, settings.mail_url, paris_morning)
    later = email_pass(client, settings, settings.mail_url, paris_morning + timedelta(hours=2))

    assert (before.pushed, at_eight.pushed, later.pushed) == (0, 1, 0)
    [post] = push_service.received
    message = browser.read(post.body)
    assert message == {
        "title": "Remember when… “Picnic at the lake”",
        "body": "Today’s pick, for you both. Open it to remember it together.",
        "url": "/",
        "tag": topic_of(DAILY_PICK, UUID(timeline_id)),
    }


@private_endpoints
async def test_two_workers_started_together_send_it_once(
    client, couple, push_service, settings, clock
):
    ana, sam, timeline_id = await couple()
    picnic = await write_memory(client, ana, timeline_id, "Picnic by the river", "2023-06-15")
    await subscribe(client, sam, f"{push_service.url}/push/sam")
    await reply(client, ana, picnic, "Again next summer?")
    env = clean_environment(
        DATABASE_URL=settings.database_url,
        DATA_DIR=str(settings.data_dir),
        MEDIA_STORAGE=settings.media_storage,
        VAPID_PRIVATE_KEY=settings.vapid_private_key,
        PUSH_ALLOW_PRIVATE_ENDPOINTS="1",
    )
    at = clock.now.isoformat()

    outputs: list[str] = []

    async def worker() -> None:
        done = await anyio.run_process([*CLI, "send-due-emails", "--at", at], env=env)
        outputs.append(done.stdout.decode())

    async with anyio.create_task_group() as group:
        for _ in range(2):
            group.start_soon(worker)

    assert len(outputs) == 2
    # The pass may tell today's pick too: each notification arrives once all the same.
    topics = [post.headers["Topic"] for post in push_service.received]
    assert sorted(set(topics)) == sorted(topics), outputs
    assert memory_topic(PARTNER_REPLY, UUID(picnic["id"])) in topics


@private_endpoints
async def test_workers_claiming_together_send_each_notification_once(
    client, couple, push_service, settings, clock
):
    ana, sam, timeline_id = await couple()
    await subscribe(client, sam, f"{push_service.url}/push/sam")
    for n in range(12):
        await write_memory(client, ana, timeline_id, f"Evening walk {n}", "2024-05-01")

    async def two_passes() -> None:
        async with anyio.create_task_group() as group:
            for _ in range(2):
                group.start_soon(lambda: send_waiting_pushes(clock.now, settings=settings))

    client.blocking_portal.call(two_passes)

    topics = [post.headers["Topic"] for post in push_service.received]
    assert len(topics) == 12
    assert len(set(topics)) == 12


# --- the settings page -----------------------------------------------------------------------


@private_endpoints
async def test_member_turns_notifications_on_in_settings_and_hears_of_replies(
    client, couple, push_service, clock, settings
):
    ana, sam, timeline_id = await couple()
    picnic = await write_memory(client, ana, timeline_id, "Picnic by the river", "2023-06-15")
    await web_log_in(client, sam.email)
    browser = a_browser()

    page = await client.get("/settings")
    turned_on = await submit(
        client,
        "/settings",
        "/settings/notifications/devices",
        {"endpoint": f"{push_service.url}/push/sam", **browser.keys},
    )
    await reply(client, ana, picnic, "Again next summer?")
    push_pass(client, settings, clock.now)

    assert text_of(page.text, "#notifications h2") == "Notifications"
    assert turned_on.status_code == 201, turned_on.text
    [post] = push_service.received
    assert browser.read(post.body)["title"] == "Ana replied to “Picnic by the river”"
    assert "On for 1 device of yours." in visible_text(
        page_soup((await client.get("/settings")).text)
    )


async def test_settings_page_refuses_an_endpoint_into_the_private_network(
    client, couple, count_rows
):
    _, sam, _ = await couple()
    await web_log_in(client, sam.email)

    refused = await submit(
        client,
        "/settings",
        "/settings/notifications/devices",
        {"endpoint": "http://169.254.169.254/latest/", **a_browser().keys},
    )

    assert refused.status_code == 422
    assert "public address" in refused.text
    assert count_rows("push_subscription") == 0


@private_endpoints
async def test_a_kind_turned_off_in_settings_is_not_sent(
    client, couple, push_service, clock, settings
):
    ana, sam, timeline_id = await couple()
    picnic = await write_memory(client, ana, timeline_id, "Picnic by the river", "2023-06-15")
    browser = a_browser()
    await subscribe(client, sam, f"{push_service.url}/push/sam", browser)
    await web_log_in(client, sam.email)

    saved = await submit(
        client,
        "/settings",
        "/settings/notifications",
        {"partner_memory": "true", "partner_feeling": "true", "daily_pick": "true"},
    )
    await reply(client, ana, picnic, "Again next summer?")
    await rate_memory(client, ana, picnic, 4)
    push_pass(client, settings, clock.now)

    assert saved.status_code == 303
    assert [browser.read(post.body)["title"] for post in push_service.received] == [
        "Ana shared how close they felt to “Picnic by the river”"
    ]
    form = page_soup((await client.get("/settings")).text).select_one("#notifications form")
    ticked = [box["name"] for box in form.select("input[type=checkbox][checked]")]
    assert ticked == ["partner_memory", "partner_feeling", "daily_pick"]


@private_endpoints
async def test_an_endpoint_found_private_at_send_time_is_forgotten(
    client, couple, push_service, clock, settings, count_rows
):
    ana, sam, timeline_id = await couple()
    await subscribe(client, sam, f"{push_service.url}/push/sam")
    await write_memory(client, ana, timeline_id, "Picnic by the river", "2023-06-15")
    # As in production, where the name of a public push service may come to point inward.
    production = dataclasses.replace(settings, push_allow_private_endpoints=False)

    report = push_pass(client, production, clock.now)

    assert (report.gone, push_service.received) == (1, [])
    assert count_rows("push_subscription") == 0


@private_endpoints
async def test_a_name_that_does_not_resolve_at_send_time_is_tried_again(
    client, couple, clock, settings, count_rows
):
    ana, sam, timeline_id = await couple()
    await subscribe(client, sam, "https://push.invalid/push/sam")
    await write_memory(client, ana, timeline_id, "Picnic by the river", "2023-06-15")
    production = dataclasses.replace(settings, push_allow_private_endpoints=False)

    report = push_pass(client, production, clock.now)

    assert (report.retrying, report.gone) == (1, 0)
    assert count_rows("push_subscription") == 1
    assert count_rows("push_message") == 1


@private_endpoints
async def test_a_late_morning_hour_still_gets_todays_pick(client, couple, push_service, settings):
    ana, sam, _, picnic = await picnic_three_years_ago(client, couple)
    await rate_memory(client, ana, picnic, 5, "Cherries")
    await client.put(
        "/api/v1/me/email-preferences",
        json={
            "on_this_day": True,
            "weekly": True,
            "anniversary": True,
            "hour": 22,
            "weekly_day": 6,
            "weekly_hour": 9,
            "timezone": "Europe/Paris",
        },
        headers=sam.auth,
    )
    await subscribe(client, sam, f"{push_service.url}/push/sam")

    at_ten_pm = email_pass(
        client, settings, settings.mail_url, datetime(2026, 6, 16, 20, 5, tzinfo=UTC)
    )

    assert at_ten_pm.pushed == 1


async def test_subscribing_again_and_again_is_slowed_down(client, sign_up):
    ana = await sign_up("Ana")

    answers = [
        (await subscribe(client, ana, f"https://8.8.8.8/push/{n}")).status_code for n in range(31)
    ]

    assert answers == [201] * 30 + [429]
