"""Liveness and readiness probes for load balancers and orchestrators."""

from __future__ import annotations

from litestar import Response, get

from server.common.database import database_answers
from server.http.dependencies import StorageDep


@get("/healthz", operation_id="healthz", tags=["operations"])
async def healthz() -> dict[str, str]:
    """200 while the process is up."""
    return {"status": "ok"}


@get("/readyz", operation_id="readyz", tags=["operations"])
async def readyz(storage: StorageDep) -> Response[dict[str, str]]:
    """200 when the database and the photo storage answer, else 503 naming what is down."""
    parts = {
        "database": await database_answers(),
        "storage": await storage.answers(),
    }
    body = {name: "ok" if up else "down" for name, up in parts.items()}
    if all(parts.values()):
        return Response({"status": "ok", **body})
    return Response({"status": "unavailable", **body}, status_code=503)
