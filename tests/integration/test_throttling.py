"""Guessing stays expensive without handing strangers a lock-out: limits hold under parallel
requests against a served app, on SQLite and PostgreSQL, and bind the guesser, not the owner."""

from __future__ import annotations

import asyncio
from collections import Counter
from datetime import timedelta

import httpx
import pytest

from tests.support import PASSWORD, clean_environment, served
from timeline.accounts.credentials import authenticate, sign_up
from timeline.core import throttle
from timeline.core.errors import BadCredentials, Throttled
from timeline.models import LoginFailure

LOGIN = "/api/v1/auth/login"
SIGNUP = "/api/v1/auth/signup"
ANA = {"email": "ana@example.org", "password": PASSWORD, "display_name": "Ana"}
WRONG = {"email": "ana@example.org", "password": "not the password at all"}


def _from(address: str) -> dict[str, str]:
    return {"X-Forwarded-For": address}


async def _parallel_log_ins(url: str, count: int, address: str) -> Counter[int]:
    async with httpx.AsyncClient(base_url=url, timeout=60) as client:
        answers = await asyncio.gather(
            *(client.post(LOGIN, json=WRONG, headers=_from(address)) for _ in range(count))
        )
    return Counter(answer.status_code for answer in answers)


@pytest.fixture
def server_url(database_url, tmp_path):
    env = clean_environment(
        DATA_DIR=str(tmp_path / "var"),
        DATABASE_URL=database_url,
        TRUSTED_PROXIES="127.0.0.1/32",
    )
    with served(env, tmp_path) as url:
        signed_up = httpx.post(f"{url}{SIGNUP}", json=ANA, headers=_from("192.0.2.200"))
        assert signed_up.status_code == 201
        yield url


def test_parallel_wrong_passwords_check_at_most_five_guesses(server_url):
    answers = asyncio.run(_parallel_log_ins(server_url, 60, "203.0.113.9"))

    # A burst may be refused whole (each counts the others in flight); never more than five
    # get through. Sequential attempts get exactly five: see the next test.
    assert answers[401] <= throttle.MAX_FAILURES_PER_ACCOUNT_AND_ADDRESS
    assert answers[429] == 60 - answers[401]


def test_owner_gets_in_from_another_address_while_a_guesser_is_blocked(server_url):
    guesser, owner = _from("203.0.113.9"), _from("198.51.100.7")
    with httpx.Client(base_url=server_url) as client:
        guesses = [client.post(LOGIN, json=WRONG, headers=guesser).status_code for _ in range(6)]
        right = {"email": "ana@example.org", "password": PASSWORD}
        guesser_with_the_password = client.post(LOGIN, json=right, headers=guesser)
        owner_answer = client.post(LOGIN, json=right, headers=owner)

    assert guesses == [401] * 5 + [429]
    assert guesser_with_the_password.status_code == 429
    assert owner_answer.status_code == 200


def test_a_blocked_guesser_flooding_the_account_does_not_keep_the_owner_out(server_url):
    async def flood_and_log_in() -> tuple[Counter[int], list[int]]:
        right = {"email": "ana@example.org", "password": PASSWORD}
        async with httpx.AsyncClient(base_url=server_url, timeout=60) as client:
            for _ in range(5):
                await client.post(LOGIN, json=WRONG, headers=_from("203.0.113.9"))
            flood = [
                client.post(LOGIN, json=WRONG, headers=_from("203.0.113.9")) for _ in range(100)
            ]
            owner = [
                client.post(LOGIN, json=right, headers=_from(f"198.51.100.{n}")) for n in range(5)
            ]
            answers = await asyncio.gather(*flood, *owner)
        return (
            Counter(a.status_code for a in answers[:100]),
            [a.status_code for a in answers[100:]],
        )

    flood, owner = asyncio.run(flood_and_log_in())

    assert flood == {429: 100}
    assert owner == [200] * 5


def test_sign_ups_for_a_taken_address_are_throttled_like_any_other(server_url):
    with httpx.Client(base_url=server_url) as client:
        answers = [client.post(SIGNUP, json=ANA).status_code for _ in range(21)]

    assert answers == [409] * 20 + [429]


async def test_an_account_guessed_from_many_addresses_is_paced_not_closed(db, clock):
    await sign_up(ANA["email"], PASSWORD, "Ana", "UTC", now=clock.now)
    for n in range(throttle.ACCOUNT_SLOW_AFTER + 1):
        with pytest.raises(BadCredentials):
            await authenticate(
                WRONG["email"], WRONG["password"], address=f"10.0.0.{n}", now=clock.now
            )

    with pytest.raises(Throttled) as paced:
        await authenticate(WRONG["email"], WRONG["password"], address="10.0.1.1", now=clock.now)
    clock.advance(throttle.ACCOUNT_PACE)
    owner = await authenticate(ANA["email"], PASSWORD, address="192.0.2.1", now=clock.now)

    assert 1 <= paced.value.retry_after <= throttle.ACCOUNT_PACE.total_seconds()
    assert owner.email == ANA["email"]


async def test_the_daily_job_forgets_attempts_out_of_every_window(db, clock):
    await throttle.count_signup("203.0.113.9", clock.now)
    clock.advance(timedelta(minutes=20))
    await throttle.count_signup("203.0.113.9", clock.now)

    purged = await throttle.purge_attempts(clock.now)

    assert purged == 1
    assert await LoginFailure.all().count() == 1
