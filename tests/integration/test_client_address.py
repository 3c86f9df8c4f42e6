"""Per-address limits behind a load balancer: the client's address comes from
X-Forwarded-For only when the peer is a proxy we trust, and never otherwise."""

from __future__ import annotations

import httpx
import pytest

from server.common.settings import SettingsError, load_settings
from tests.support import PASSWORD, clean_environment, served


def sign_ups(url: str, count: int, forwarded_for) -> list[int]:
    with httpx.Client(base_url=url) as client:
        return [
            client.post(
                "/api/v1/auth/signup",
                json={"email": f"n{n}@example.org", "password": PASSWORD, "display_name": "N"},
                headers={"X-Forwarded-For": forwarded_for(n)},
            ).status_code
            for n in range(count)
        ]


def test_behind_a_trusted_proxy_each_client_has_its_own_limit(tmp_path):
    env = clean_environment(DATA_DIR=str(tmp_path / "var"), TRUSTED_PROXIES="127.0.0.1/32")
    with served(env, tmp_path) as url:
        # The spoofed first hop is ignored: the proxy appended the real client last.
        many_clients = sign_ups(url, 21, lambda n: f"6.6.6.6, 203.0.113.{n}")

    assert many_clients == [201] * 21


def test_an_untrusted_peer_cannot_choose_its_address(tmp_path):
    env = clean_environment(DATA_DIR=str(tmp_path / "var"))
    with served(env, tmp_path) as url:
        spoofing = sign_ups(url, 21, lambda n: f"203.0.113.{n}")

    assert spoofing == [201] * 20 + [429]


def test_trusted_proxies_must_be_addresses_or_networks():
    with pytest.raises(SettingsError, match="TRUSTED_PROXIES"):
        load_settings({"TRUSTED_PROXIES": "10.0.0.0/8, the load balancer"})
