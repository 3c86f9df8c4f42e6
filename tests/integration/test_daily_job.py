"""The daily chores of the scheduler (inside `serve`, and `remember-when worker`): among
them, throttling attempts older than any window are forgotten there, not on each attempt."""

from __future__ import annotations

from datetime import timedelta

import anyio
import pytest

from server.common.storage import storage_for
from server.worker.mailer import mailer_for
from server.worker.scheduler import run_every_minute
from timeline.models import LoginFailure

pytestmark = pytest.mark.usefixtures("db")


async def test_the_first_pass_of_the_day_forgets_expired_throttling_attempts(settings, clock):
    await LoginFailure.create(key="login:ana@example.org", failed_at=clock() - timedelta(days=1))
    await LoginFailure.create(key="login:ana@example.org", failed_at=clock())

    async with anyio.create_task_group() as group:
        group.start_soon(
            run_every_minute, settings, storage_for(settings), mailer_for(settings.mail_url), clock
        )
        # Stopping waits for the pass under way (shielded), then ends the loop.
        group.cancel_scope.cancel()

    assert [f.failed_at for f in await LoginFailure.all()] == [clock()]
