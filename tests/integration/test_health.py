"""Probes and the OpenAPI document."""

from __future__ import annotations


async def test_healthz_and_readyz_answer_when_database_and_storage_do(client):
    assert (await client.get("/healthz")).json() == {"status": "ok"}
    ready = await client.get("/readyz")
    assert ready.status_code == 200
    assert ready.json() == {"status": "ok", "database": "ok", "storage": "ok"}


async def test_openapi_document_lists_the_contract_paths(client):
    paths = (await client.get("/schema/openapi.json")).json()["paths"]

    for path in [
        "/api/v1/auth/signup",
        "/api/v1/auth/login",
        "/api/v1/me",
        "/api/v1/timelines",
        "/api/v1/timelines/{timeline_id}/invites",
        "/api/v1/invites/{token}/accept",
        "/api/v1/invites/{invite_id}",
    ]:
        assert path in paths
    assert set(paths["/api/v1/timelines/{timeline_id}/invites"]) == {"get", "post"}
    assert not any(p.startswith("/t/") or p in {"/login", "/signup"} for p in paths)
