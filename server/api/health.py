"""Liveness and readiness probes for load balancers and orchestrators."""

from __future__ import annotations

from litestar import Response, get

from server.database import database_answers


@get("/healthz", operation_id="healthz", tags=["operations"])
async def healthz() -> dict[str, str]:
    """200 while the process is up."""
    return {"status": "ok"}


@get("/readyz", operation_id="readyz", tags=["operations"])
async def readyz() -> Response[dict[str, str]]:
    """200 when the database answers, else 503."""
    if await database_answers():
        return Response({"status": "ok", "database": "ok"})
    return Response({"status": "unavailable", "database": "down"}, status_code=503)
