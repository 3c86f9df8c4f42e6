"""Small rules with many cases: passwords, e-mail addresses, time zones, redirects."""

from __future__ import annotations

import pytest

from server.pages.rendering import local_path
from timeline.accounts.credentials import check_email, check_timezone
from timeline.accounts.passwords import check_strength, hash_password, verify_password
from timeline.core.errors import InvalidInput


@pytest.mark.parametrize(
    "password",
    ["short", "ana@example.org", "ANA@example.org ", "aaaaaaaaaaaaaa", "ab" * 6, "x" * 257],
)
def test_weak_passwords_are_refused(password: str):
    with pytest.raises(InvalidInput):
        check_strength(password, email="ana@example.org")


def test_a_passphrase_is_accepted():
    check_strength("a long and happy walk", email="ana@example.org")


@pytest.mark.real_passwords
async def test_passwords_are_hashed_with_argon2id_and_verified():
    hashed = await hash_password("a long and happy walk")

    assert hashed.startswith("$argon2id$")
    assert await verify_password(hashed, "a long and happy walk")
    assert not await verify_password(hashed, "a long and happy talk")
    assert not await verify_password(None, "a long and happy walk")
    assert not await verify_password("not a hash", "a long and happy walk")


@pytest.mark.parametrize(
    ("given", "stored"),
    [(" Ana@Example.ORG ", "ana@example.org"), ("a.b+c@d.co.uk", "a.b+c@d.co.uk")],
)
def test_addresses_are_stored_lower_cased(given: str, stored: str):
    assert check_email(given) == stored


@pytest.mark.parametrize("address", ["", "ana", "ana@", "@example.org", "ana@localhost", "a b@c.d"])
def test_non_addresses_are_refused(address: str):
    with pytest.raises(InvalidInput):
        check_email(address)


def test_time_zones_must_be_iana_names():
    assert check_timezone("America/Sao_Paulo") == "America/Sao_Paulo"
    with pytest.raises(InvalidInput):
        check_timezone("CEST+2")


@pytest.mark.parametrize(
    ("target", "expected"),
    [
        ("/t/new", "/t/new"),
        ("/i/abc?x=1", "/i/abc?x=1"),
        (None, "/"),
        ("", "/"),
        ("https://evil.example/", "/"),
        ("//evil.example/", "/"),
        ("/\\evil.example/", "/"),
        ("javascript:alert(1)", "/"),
        ("t/new", "/"),
    ],
)
def test_redirect_targets_stay_on_this_site(target: str | None, expected: str):
    assert local_path(target) == expected
