"""Schemathesis against the API as served: every operation of /schema/openapi.json, called
with generated inputs (valid and not) by a signed-in member, must answer without a server
error and with a body that matches the schema it documents. A bounded number of examples
here; `make fuzz` runs many more."""

from __future__ import annotations

import contextlib
import os
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

from tests import images
from tests.conftest import POSTGRES_URL, create_postgres_database, drop_postgres_database
from tests.support import PASSWORD, clean_environment, run_blocking, served

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "8"))


@dataclass
class Live:
    url: str
    auth: dict[str, str]
    # Ids of things the member owns, put into half the generated paths so that calls reach
    # past "not found" into the handlers.
    ids: dict[str, str]


@pytest.fixture(scope="module")
def live_api(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Live]:
    """A served app on a fresh database (PostgreSQL, whose column types are the stricter, when
    TEST_POSTGRES_URL is set; else SQLite), a member's credentials, and their things."""
    folder: Path = tmp_path_factory.mktemp("fuzz")
    database = run_blocking(create_postgres_database()) if POSTGRES_URL else None
    env = clean_environment(DATA_DIR=str(folder / "var"), SCHEDULER="off")
    if database:
        env["DATABASE_URL"] = database
    with contextlib.ExitStack() as stack:
        if database:
            stack.callback(lambda: run_blocking(drop_postgres_database(database)))
        url = stack.enter_context(served(env, folder))
        yield _prepared(url)


def _prepared(url: str) -> Live:
    with httpx.Client(base_url=url) as api:
        body = {"email": "ana@example.org", "password": PASSWORD, "display_name": "Ana"}
        auth = {
            "Authorization": f"Bearer {api.post('/api/v1/auth/signup', json=body).json()['token']}"
        }
        timeline = api.post(
            "/api/v1/timelines", json={"name": "Us", "together_since": "2019-06-12"}, headers=auth
        ).json()["id"]
        memory = api.post(
            f"/api/v1/timelines/{timeline}/memories",
            json={"title": "Lake", "occurred_on": "2020-07-14"},
            headers=auth,
        ).json()["id"]
        photo = api.post(
            f"/api/v1/memories/{memory}/photos",
            files={"file": ("p.jpg", images.rotated_jpeg_with_gps(), "image/jpeg")},
            headers=auth,
        ).json()["id"]
        milestone = api.post(
            f"/api/v1/timelines/{timeline}/milestones",
            json={"kind": "wedding", "occurred_on": "2022-09-17"},
            headers=auth,
        ).json()["id"]
        rule = api.post(
            f"/api/v1/timelines/{timeline}/quiet-rules", json={"tag": "work"}, headers=auth
        ).json()["id"]
        ids = {
            "timeline_id": timeline,
            "memory_id": memory,
            "photo_id": photo,
            "milestone_id": milestone,
            "rule_id": rule,
            "year": "3",
        }
        return Live(url, auth, ids)


SKIPPED = {
    # Deleting the account, ending the token or leaving the only timeline would leave the
    # rest of the run with nothing to reach.
    "/api/v1/me/deletion",
    "/api/v1/auth/logout",
    "/api/v1/timelines/{timeline_id}/membership",
}


def test_no_operation_fails_on_its_side_or_breaks_its_schema(live_api: Live):
    schema = schemathesis.openapi.from_url(f"{live_api.url}/schema/openapi.json")
    failures: dict[str, str] = {}
    statuses: Counter[int] = Counter()
    tried = 0
    operations = [result.ok() for result in schema.get_all_operations()]
    # Deletions last, so the other calls still find what they would remove.
    for operation in sorted(operations, key=lambda op: op.method.upper() == "DELETE"):
        if operation.path in SKIPPED:
            continue

        @given(case=operation.as_strategy())
        @settings(
            max_examples=EXAMPLES,
            deadline=None,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        def call(case) -> None:
            if case.path_parameters and sum(statuses.values()) % 2:
                known = {k: live_api.ids[k] for k in case.path_parameters if k in live_api.ids}
                case.path_parameters = {**case.path_parameters, **known}
            response = case.call_and_validate(
                base_url=live_api.url,
                headers={**(case.headers or {}), **live_api.auth},
                checks=[not_a_server_error, response_schema_conformance],
            )
            statuses[response.status_code] += 1

        try:
            call()
        except Exception as failure:  # any failing check fails the operation; report all
            failures[operation.label] = str(failure).splitlines()[0]
        tried += 1

    assert tried >= 38
    assert failures == {}
    # The calls went past authentication and "not found" into the handlers.
    print(f"\n{sum(statuses.values())} calls over {tried} operations: {dict(statuses)}")
    assert statuses[401] < sum(statuses.values()) // 10, statuses
    assert sum(n for status, n in statuses.items() if status < 300) > 50, statuses
