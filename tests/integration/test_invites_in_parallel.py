"""Invites stay single-use when partners accept at once: parallel requests against a served
app, on SQLite and PostgreSQL, let exactly one partner in."""

from __future__ import annotations

import asyncio

import httpx
import pytest

from tests.support import clean_environment, served, signed_up

CANDIDATES = 8


@pytest.fixture
def server_url(database_url, tmp_path):
    env = clean_environment(DATA_DIR=str(tmp_path / "var"), DATABASE_URL=database_url)
    with served(env, tmp_path) as url:
        yield url


async def _parallel_accepts(url: str, accepts: list[tuple[str, dict[str, str]]]) -> list[int]:
    async with httpx.AsyncClient(base_url=url, timeout=60) as client:
        answers = await asyncio.gather(
            *(
                client.post(f"/api/v1/invites/{token}/accept", headers=auth)
                for token, auth in accepts
            )
        )
    return [answer.status_code for answer in answers]


def _timeline_with_invites(
    client: httpx.Client, count: int, inviter: str = "Ana"
) -> tuple[dict, str, list[str]]:
    ana = signed_up(client, inviter)
    timeline_id = client.post("/api/v1/timelines", json={"name": "Us"}, headers=ana).json()["id"]
    path = f"/api/v1/timelines/{timeline_id}/invites"
    return ana, timeline_id, [client.post(path, headers=ana).json()["token"] for _ in range(count)]


def _outcome(client: httpx.Client, ana: dict, timeline_id: str) -> tuple[int, list]:
    members = client.get(f"/api/v1/timelines/{timeline_id}", headers=ana).json()["members"]
    waiting = client.get(f"/api/v1/timelines/{timeline_id}/invites", headers=ana).json()
    return len(members), waiting


def test_parallel_accepts_of_one_invite_let_one_partner_in(server_url):
    with httpx.Client(base_url=server_url) as client:
        ana, timeline_id, [token] = _timeline_with_invites(client, 1)
        candidates = [signed_up(client, f"Partner{n}") for n in range(CANDIDATES)]

        answers = asyncio.run(_parallel_accepts(server_url, [(token, c) for c in candidates]))

        assert answers.count(200) == 1
        assert set(answers) - {200} <= {404, 409}
        assert _outcome(client, ana, timeline_id) == (2, [])


def test_parallel_accepts_of_different_invites_let_one_partner_in(server_url):
    with httpx.Client(base_url=server_url) as client:
        ana, timeline_id, tokens = _timeline_with_invites(client, CANDIDATES)
        candidates = [signed_up(client, f"Partner{n}") for n in range(CANDIDATES)]

        answers = asyncio.run(
            _parallel_accepts(server_url, list(zip(tokens, candidates, strict=True)))
        )

        assert answers.count(200) == 1
        assert set(answers) - {200} <= {404, 409}
        assert _outcome(client, ana, timeline_id) == (2, [])


async def _join_while_inviting(url: str, token: str, partner: dict, ana: dict, tid: str) -> None:
    async with httpx.AsyncClient(base_url=url, timeout=60) as client:
        # As many as one member may make in a window, besides the one being accepted.
        invites = (client.post(f"/api/v1/timelines/{tid}/invites", headers=ana) for _ in range(9))
        await asyncio.gather(
            client.post(f"/api/v1/invites/{token}/accept", headers=partner), *invites
        )


def test_invites_made_while_a_partner_joins_do_not_outlive_the_join(server_url):
    with httpx.Client(base_url=server_url) as client:
        for couple in range(3):
            ana, timeline_id, [token] = _timeline_with_invites(client, 1, f"Ana{couple}")
            sam = signed_up(client, f"Sam{couple}")

            asyncio.run(_join_while_inviting(server_url, token, sam, ana, timeline_id))

            assert _outcome(client, ana, timeline_id) == (2, [])
