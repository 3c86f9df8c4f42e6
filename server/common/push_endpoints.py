"""Where Web Push may send: a push endpoint is a URL a member hands us, so the workers must
not become a way into the private network. Only https endpoints on public addresses, the
name resolved when subscribing and again at each send, and the connection made to the very
addresses checked (no second lookup an attacker's DNS could answer differently)."""

from __future__ import annotations

import socket
from ipaddress import IPv4Address, IPv6Address, IPv6Network, ip_address
from typing import Any
from urllib.parse import urlsplit

import anyio
from aiohttp.abc import AbstractResolver, ResolveResult

from timeline.core.errors import InvalidInput
from timeline.push.subscriptions import NewSubscription, check_keys

MAX_ENDPOINT = 1024
# A name that takes longer to resolve is refused (subscribing) or tried later (sending).
RESOLVE_SECONDS = 3
# Lookups run in threads of their own, a few at once: names whose servers never answer keep
# these busy, not the threads that serve photos.
LOOKUPS = anyio.CapacityLimiter(4)
# Addresses that carry an IPv4 address inside (IPv4-mapped, NAT64 and its local-use range,
# IPv4-compatible and SIIT forms): they reach that IPv4 address, which is judged instead.
IPV4_INSIDE = (
    IPv6Network("::ffff:0:0/96"),
    IPv6Network("64:ff9b::/96"),
    IPv6Network("64:ff9b:1::/48"),
    IPv6Network("::/96"),
    IPv6Network("::ffff:0:0:0/96"),
)
# Where public IPv6 unicast lives (global unicast); everything else is refused outright.
GLOBAL_UNICAST = IPv6Network("2000::/3")
# One answer whatever the reason, so that refusals tell nothing of the network behind us.
REFUSED = "A push endpoint must be an https URL of a push service on a public address."


class PrivateAddress(Exception):
    """The endpoint's host is, or resolves to, an address that is not public."""


class Unresolvable(Exception):
    """The endpoint's name did not resolve now (it may later)."""


def check_form(endpoint: str, *, allow_private: bool) -> tuple[str, int]:
    """The host and port of an endpoint fit to use, before any lookup."""
    if len(endpoint) > MAX_ENDPOINT or not endpoint.isascii() or not endpoint.isprintable():
        raise InvalidInput(REFUSED, field="endpoint")
    schemes = {"https", "http"} if allow_private else {"https"}
    try:
        parts = urlsplit(endpoint)
        host, port = parts.hostname, parts.port
    except ValueError:
        raise InvalidInput(REFUSED, field="endpoint") from None
    if parts.scheme not in schemes or not host or parts.username or parts.password:
        raise InvalidInput(REFUSED, field="endpoint")
    return host, port or (443 if parts.scheme == "https" else 80)


async def checked_subscription(
    endpoint: str, p256dh: str, auth: str, *, allow_private: bool
) -> NewSubscription:
    """A browser's subscription as the domain takes it (API and settings page alike), or
    InvalidInput naming the field at fault."""
    check_keys(p256dh, auth)
    host, port = check_form(endpoint, allow_private=allow_private)
    if not allow_private:
        try:
            await public_addresses(host, port)
        except (PrivateAddress, Unresolvable):
            raise InvalidInput(REFUSED, field="endpoint") from None
    return NewSubscription(endpoint, p256dh, auth)


async def public_addresses(host: str, port: int) -> list[str]:
    """The addresses `host` resolves to, all of them public; PrivateAddress when any is
    not, Unresolvable when the name does not resolve now."""
    literal = _literal(host)
    if literal is not None:
        addresses = [literal]
    else:
        addresses = [ip_address(info[4][0].split("%")[0]) for info in await _lookup(host, port)]
    if not addresses:
        raise Unresolvable(host)
    if not all(_public(address) for address in addresses):
        raise PrivateAddress(host)
    return [str(address) for address in addresses]


async def _lookup(host: str, port: int) -> list[Any]:
    try:
        with anyio.fail_after(RESOLVE_SECONDS):
            return await anyio.to_thread.run_sync(
                lambda: socket.getaddrinfo(host, port, type=socket.SOCK_STREAM),
                limiter=LOOKUPS,
                abandon_on_cancel=True,
            )
    except (OSError, UnicodeError, TimeoutError):
        raise Unresolvable(host) from None


def _literal(host: str) -> IPv4Address | IPv6Address | None:
    try:
        return ip_address(host)
    except ValueError:
        return None


def _public(address: IPv4Address | IPv6Address) -> bool:
    if isinstance(address, IPv6Address):
        inside = next((n for n in IPV4_INSIDE if address in n), None)
        if inside is not None:
            return _public(IPv4Address(int(address) & 0xFFFFFFFF))
        if address.sixtofour is not None:
            return _public(address.sixtofour)
        if address not in GLOBAL_UNICAST:
            return False
    return address.is_global and not address.is_multicast


class PublicResolver(AbstractResolver):
    """The resolver of the sending session: it answers only with public addresses, so the
    connection goes where the check looked."""

    async def resolve(
        self, host: str, port: int = 0, family: socket.AddressFamily = socket.AF_INET
    ) -> list[ResolveResult]:
        try:
            addresses = await public_addresses(host, port)
        except (PrivateAddress, Unresolvable) as error:
            # aiohttp reports an OSError from its resolver as a failed connection.
            raise OSError(f"{type(error).__name__}: {host}") from None
        return [_result(host, address, port) for address in addresses]

    async def close(self) -> None:
        return None


def _result(host: str, address: str, port: int) -> ResolveResult:
    family = socket.AF_INET6 if ":" in address else socket.AF_INET
    result: Any = {
        "hostname": host,
        "host": address,
        "port": port,
        "family": family,
        "proto": 0,
        "flags": socket.AI_NUMERICHOST,
    }
    return result
