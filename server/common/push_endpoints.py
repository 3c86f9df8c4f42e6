"""Where Web Push may send: a push endpoint is a URL a member hands us, so the workers must
not become a way into the private network. Only https endpoints on public addresses, the
name resolved when subscribing and again at each send, and the connection made to the very
addresses checked (no second lookup an attacker's DNS could answer differently)."""

from __future__ import annotations

import socket
from ipaddress import IPv4Address, IPv6Address, ip_address
from typing import Any
from urllib.parse import urlsplit

import anyio
from aiohttp.abc import AbstractResolver, ResolveResult

from timeline.core.errors import InvalidInput
from timeline.push.subscriptions import NewSubscription, check_keys

MAX_ENDPOINT = 1024
# A name that takes longer to resolve is refused: subscribing must not hang on it.
RESOLVE_SECONDS = 3


def _refused(message: str) -> InvalidInput:
    return InvalidInput(message, field="endpoint")


def check_form(endpoint: str, *, allow_private: bool) -> tuple[str, int]:
    """The host and port of an endpoint fit to use, before any lookup."""
    if len(endpoint) > MAX_ENDPOINT or not endpoint.isascii() or not endpoint.isprintable():
        raise _refused(f"A push endpoint is a URL of at most {MAX_ENDPOINT} characters.")
    parts = urlsplit(endpoint)
    schemes = {"https", "http"} if allow_private else {"https"}
    try:
        host, port = parts.hostname, parts.port
    except ValueError:
        host = port = None
    if parts.scheme not in schemes or not host or parts.username or parts.password:
        raise _refused("A push endpoint must be an https URL of a push service.")
    return host, port or (443 if parts.scheme == "https" else 80)


async def checked_subscription(
    endpoint: str, p256dh: str, auth: str, *, allow_private: bool
) -> NewSubscription:
    """A browser's subscription as the domain takes it (API and settings page alike), or
    InvalidInput naming the field at fault."""
    check_keys(p256dh, auth)
    await check_endpoint(endpoint, allow_private=allow_private)
    return NewSubscription(endpoint, p256dh, auth)


async def check_endpoint(endpoint: str, *, allow_private: bool) -> None:
    """Refuse an endpoint that is not https on public addresses (every address its name
    resolves to), unless private ones are allowed."""
    host, port = check_form(endpoint, allow_private=allow_private)
    if not allow_private:
        await public_addresses(host, port)


async def public_addresses(host: str, port: int) -> list[str]:
    """The addresses `host` resolves to, all of them public, or InvalidInput."""
    literal = _literal(host)
    if literal is not None:
        addresses = [literal]
    else:
        try:
            with anyio.fail_after(RESOLVE_SECONDS):
                found = await anyio.getaddrinfo(host, port, type=socket.SOCK_STREAM)
        except (OSError, TimeoutError):
            raise _refused("The push endpoint's name does not resolve.") from None
        addresses = [ip_address(info[4][0]) for info in found]
    if not addresses or not all(_public(address) for address in addresses):
        raise _refused("A push endpoint must be on a public address.")
    return [str(address) for address in addresses]


def _literal(host: str) -> IPv4Address | IPv6Address | None:
    try:
        return ip_address(host)
    except ValueError:
        return None


def _public(address: IPv4Address | IPv6Address) -> bool:
    # ::ffff:10.0.0.1 reaches 10.0.0.1: judge the IPv4 address inside.
    if isinstance(address, IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    return address.is_global and not address.is_multicast


class PublicResolver(AbstractResolver):
    """The resolver of the sending session: it answers only with public addresses, so the
    connection goes where the check looked."""

    async def resolve(
        self, host: str, port: int = 0, family: socket.AddressFamily = socket.AF_INET
    ) -> list[ResolveResult]:
        addresses = await public_addresses(host, port)
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
