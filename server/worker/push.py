"""Sending Web Push notifications (RFC 8030): each waiting one is claimed, encrypted for its
browser (RFC 8291, aes128gcm), signed with our VAPID key (RFC 8292) and posted to the
browser's push service, never to a private address unless the settings allow it."""

from __future__ import annotations

import logging
import time
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.utils import parsedate_to_datetime
from urllib.parse import urlsplit

import aiohttp
import anyio
from py_vapid import Vapid02
from pywebpush import WebPusher

from server.common.push_endpoints import (
    PrivateAddress,
    PublicResolver,
    Unresolvable,
    check_form,
    public_addresses,
)
from server.common.settings import Settings
from server.common.vapid import vapid_of
from timeline.core.errors import InvalidInput
from timeline.push.outbox import (
    Claimed,
    claim_waiting,
    drop,
    forget_subscription,
    mark_failed,
    mark_sent,
)

log = logging.getLogger("remember_when.push")
# Notifications posted at once by one worker.
CONCURRENCY = 8
# A push service that has not answered by then is tried again later.
TIMEOUT_SECONDS = 10
# How long one call keeps claiming batches: far within a claim's lease (outbox.LEASE).
CLAIMING_SECONDS = 30
# How long the push service keeps one for a browser that is offline (RFC 8030 TTL).
TTL_SECONDS = 24 * 3600
# How long our signature on a request is valid (at most 24 hours, RFC 8292).
VAPID_VALID_SECONDS = 12 * 3600
GONE = {404, 410}


@dataclass
class PushReport:
    sent: int = 0
    retrying: int = 0
    dropped: int = 0
    gone: int = 0


async def send_waiting_pushes(at: datetime, *, settings: Settings) -> PushReport:
    """Send the notifications waiting at `at`, claiming CONCURRENCY at a time: each batch
    is done well within its claim (a lookup and a request are bounded), so no other worker
    takes one over while it is being sent. Claiming stops after CLAIMING_SECONDS; the next
    call goes on."""
    report = PushReport()
    # Most calls (every few seconds, in every worker) find nothing: no session for those.
    claimed = await claim_waiting(at, batch=CONCURRENCY)
    if not claimed:
        return report
    resolver = None if settings.push_allow_private_endpoints else PublicResolver()
    connector = aiohttp.TCPConnector(resolver=resolver, limit=CONCURRENCY)
    timeout = aiohttp.ClientTimeout(total=TIMEOUT_SECONDS)
    vapid = vapid_of(settings)
    started = anyio.current_time()
    async with aiohttp.ClientSession(connector=connector, timeout=timeout) as session:
        while claimed:
            async with anyio.create_task_group() as group:
                for message in claimed:
                    group.start_soon(_send, message, at, settings, vapid, session, report)
            if anyio.current_time() - started >= CLAIMING_SECONDS:
                break
            claimed = await claim_waiting(at, batch=CONCURRENCY)
    return report


async def _send(
    message: Claimed,
    at: datetime,
    settings: Settings,
    vapid: Vapid02,
    session: aiohttp.ClientSession,
    report: PushReport,
) -> None:
    try:
        # The address is checked again now: the name may point elsewhere since subscribing.
        if not settings.push_allow_private_endpoints:
            await public_addresses(*check_form(message.endpoint, allow_private=False))
        body, headers = await anyio.to_thread.run_sync(_sealed, message, settings, vapid)
        # A redirect could lead anywhere, a private address given as a literal among them
        # (the resolver never sees those): push services do not redirect, so none is followed.
        async with session.post(
            message.endpoint, data=body, headers=headers, allow_redirects=False
        ) as response:
            status, retry_after = response.status, _retry_after(response.headers, at)
    except (PrivateAddress, InvalidInput):
        log.warning("push endpoint not on a public address any more: subscription removed")
        await forget_subscription(message)
        report.gone += 1
        return
    except (Unresolvable, aiohttp.ClientError, TimeoutError, OSError) as error:
        log.info("push service unreachable (%s): retrying later", type(error).__name__)
        await _retry(message, at, None, report)
        return
    if status < 300:
        await mark_sent(message)
        report.sent += 1
    elif status in GONE:
        await forget_subscription(message)
        report.gone += 1
    elif status == 429 or status >= 500:
        await _retry(message, at, retry_after, report)
    else:
        log.warning("push service refused a notification with %s: dropped", status)
        await drop(message)
        report.dropped += 1


async def _retry(
    message: Claimed, at: datetime, retry_after: timedelta | None, report: PushReport
) -> None:
    if await mark_failed(message, at, retry_after=retry_after):
        report.retrying += 1
    else:
        report.dropped += 1


def _sealed(message: Claimed, settings: Settings, vapid: Vapid02) -> tuple[bytes, dict[str, str]]:
    """The encrypted body and the headers of one push request (CPU work: off the loop)."""
    browser = {
        "endpoint": message.endpoint,
        "keys": {"p256dh": message.p256dh, "auth": message.auth},
    }
    body = WebPusher(browser).encode(message.payload.encode(), "aes128gcm")["body"]
    endpoint = urlsplit(message.endpoint)
    claims = {
        "aud": f"{endpoint.scheme}://{endpoint.netloc}",
        # The push service checks it against its own clock: the real time, not the pass's.
        "exp": int(time.time()) + VAPID_VALID_SECONDS,
        "sub": settings.vapid_subject,
    }
    headers = {
        **vapid.sign(claims),
        "Content-Encoding": "aes128gcm",
        "Content-Type": "application/octet-stream",
        "TTL": str(TTL_SECONDS),
        "Urgency": "normal",
        "Topic": message.topic,
    }
    return body, headers


def _retry_after(headers: Mapping[str, str], at: datetime) -> timedelta | None:
    """A push service's Retry-After, in seconds or as a date (RFC 9110)."""
    value = headers.get("Retry-After", "").strip()
    if not value:
        return None
    if value.isdigit():
        return timedelta(seconds=int(value))
    try:
        return max(parsedate_to_datetime(value) - at, timedelta(0))
    except (TypeError, ValueError):
        return None
