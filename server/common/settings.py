"""The one settings object, read from the environment (and a `.env` file when present)."""

from __future__ import annotations

import base64
import contextlib
import os
import secrets
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from email.utils import parseaddr
from ipaddress import IPv4Network, IPv6Network, ip_network
from pathlib import Path
from urllib.parse import urlsplit

from cryptography.hazmat.primitives.asymmetric import ec
from dotenv import dotenv_values

SECRET_KEY_BYTES = 32
VAPID_KEY_BYTES = 32
# Every variable `load_settings` reads (the README's configuration table lists them).
VARIABLES = (
    "DATA_DIR",
    "DATABASE_URL",
    "MEDIA_STORAGE",
    "S3_ENDPOINT_URL",
    "MAIL_URL",
    "MAIL_FROM",
    "MAIL_REPLY_TO",
    "INBOUND_DKIM",
    "BASE_URL",
    "SECRET_KEY",
    "MAX_UPLOAD_MB",
    "LOG_FORMAT",
    "SCHEDULER",
    "TRUSTED_PROXIES",
    "VAPID_PRIVATE_KEY",
    "VAPID_SUBJECT",
    "PUSH_ALLOW_PRIVATE_ENDPOINTS",
)
# What boto3 reads for S3 credentials and region (its own documented chain).
AWS_VARIABLES = ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_DEFAULT_REGION")

DEFAULT_BASE_URL = "http://127.0.0.1:8000"


class SettingsError(Exception):
    """A setting is missing or malformed; the message names the variable."""


@dataclass(frozen=True)
class Settings:
    """Everything the service is configured with. Build it with `load_settings`."""

    data_dir: Path
    database_url: str
    media_storage: str
    s3_endpoint_url: str | None
    mail_url: str
    mail_from: str
    base_url: str
    secret_key: str
    max_upload_mb: int
    # Whether app processes run the e-mail pass each minute (`serve --no-scheduler` sets it
    # off when separate workers do).
    scheduler: bool = True
    # "text" for people, "json" (one object per line) for log shippers.
    log_format: str = "text"
    # Load balancers whose X-Forwarded-For tells the client's address (for throttling).
    trusted_proxies: tuple[IPv4Network | IPv6Network, ...] = ()
    # The address replies to letters go to, each letter's with its own +token
    # (`remember-when inbound` receives them); MAIL_FROM's address when not set.
    mail_reply_to: str = ""
    # Whether `inbound` takes only replies whose DKIM signature verifies for the sender's
    # domain (on when the mail server in front of it does not check DKIM itself).
    inbound_dkim: bool = False
    # Web Push: the application server's P-256 private key (base64url of its 32 bytes,
    # generated into DATA_DIR on first start), the contact push services see (RFC 8292), and
    # whether push endpoints may be on private addresses (tests, a push service on the LAN).
    vapid_private_key: str = ""
    vapid_subject: str = ""
    push_allow_private_endpoints: bool = False

    @property
    def https(self) -> bool:
        return self.base_url.startswith("https://")

    @property
    def max_upload_bytes(self) -> int:
        return self.max_upload_mb * 1024 * 1024


def load_settings(environ: Mapping[str, str] | None = None) -> Settings:
    """Read settings from `environ` (default: `.env` overlaid by the process environment)."""
    env = dict(environ) if environ is not None else _process_environment()
    data_dir = Path(env.get("DATA_DIR") or "var")
    return Settings(
        data_dir=data_dir,
        database_url=_database_url(
            env.get("DATABASE_URL") or f"sqlite:///{data_dir}/remember-when.sqlite3"
        ),
        media_storage=_media_storage(env.get("MEDIA_STORAGE") or f"file://{data_dir}/media"),
        s3_endpoint_url=_optional_http_url(env, "S3_ENDPOINT_URL"),
        mail_url=_mail_url(env.get("MAIL_URL") or f"file://{data_dir}/outbox"),
        mail_from=env.get("MAIL_FROM") or "Remember When <remember-when@localhost>",
        base_url=_base_url(env.get("BASE_URL") or DEFAULT_BASE_URL),
        secret_key=env.get("SECRET_KEY") or _stored_secret_key(data_dir),
        max_upload_mb=_positive_int(env, "MAX_UPLOAD_MB", default=30),
        scheduler=_switch(env, "SCHEDULER", default=True),
        log_format=_choice(env, "LOG_FORMAT", ("text", "json")),
        trusted_proxies=_networks(env, "TRUSTED_PROXIES"),
        mail_reply_to=_reply_to(env),
        inbound_dkim=_switch(env, "INBOUND_DKIM", default=False),
        vapid_private_key=_vapid_key(env.get("VAPID_PRIVATE_KEY") or _stored_vapid_key(data_dir)),
        vapid_subject=_vapid_subject(env),
        push_allow_private_endpoints=_switch(env, "PUSH_ALLOW_PRIVATE_ENDPOINTS", default=False),
    )


def _vapid_key(key: str) -> str:
    """A P-256 private key as base64url of its 32 bytes (what `web-push generate-vapid-keys`
    and most libraries print), checked now rather than at the first notification."""
    try:
        raw = base64.urlsafe_b64decode(key + "=" * (-len(key) % 4))
        ec.derive_private_key(int.from_bytes(raw, "big"), ec.SECP256R1())
    except ValueError:
        raw = b""
    if len(raw) != VAPID_KEY_BYTES:
        raise SettingsError(
            "VAPID_PRIVATE_KEY: expected a P-256 private key, 32 bytes in base64url"
        ) from None
    return key


def _vapid_subject(env: Mapping[str, str]) -> str:
    """Whom a push service may contact about our notifications: a mailto: or https: URL
    (RFC 8292); by default the site itself when it is on HTTPS, else MAIL_FROM's address."""
    subject = env.get("VAPID_SUBJECT") or ""
    if not subject:
        base_url = _base_url(env.get("BASE_URL") or DEFAULT_BASE_URL)
        sender = parseaddr(env.get("MAIL_FROM") or "remember-when@localhost")[1]
        subject = base_url if base_url.startswith("https://") else f"mailto:{sender}"
    if not subject.startswith(("mailto:", "https://")):
        raise SettingsError(f"VAPID_SUBJECT: expected a mailto: or https: URL, got {subject!r}")
    return subject


def _reply_to(env: Mapping[str, str]) -> str:
    """The bare address replies go to: MAIL_REPLY_TO, or the address inside MAIL_FROM."""
    written = env.get("MAIL_REPLY_TO") or env.get("MAIL_FROM") or "remember-when@localhost"
    address = parseaddr(written)[1]
    local, at, domain = address.rpartition("@")
    if not (local and at and domain) or "+" in local or not address.isascii():
        raise SettingsError(
            "MAIL_REPLY_TO must be a plain ASCII address without a +tag, like replies@example.com"
        )
    return address.lower()


def _networks(env: Mapping[str, str], name: str) -> tuple[IPv4Network | IPv6Network, ...]:
    """Comma-separated addresses or networks (10.0.0.0/8, 192.168.1.4)."""
    try:
        return tuple(
            ip_network(part.strip(), strict=False)
            for part in env.get(name, "").split(",")
            if part.strip()
        )
    except ValueError as error:
        raise SettingsError(f"{name}: {error}") from None


def _choice(env: Mapping[str, str], name: str, choices: tuple[str, ...]) -> str:
    """One of `choices`, the first by default."""
    value = env.get(name, "").strip().lower() or choices[0]
    if value not in choices:
        raise SettingsError(f"{name}: expected {' or '.join(choices)}, got {value!r}")
    return value


SWITCH_ON, SWITCH_OFF = {"on", "1", "true", "yes"}, {"off", "0", "false", "no"}


def _switch(env: Mapping[str, str], name: str, *, default: bool) -> bool:
    value = env.get(name, "").strip().lower()
    if not value:
        return default
    if value not in SWITCH_ON | SWITCH_OFF:
        raise SettingsError(f"{name}: expected on or off, got {value!r}")
    return value in SWITCH_ON


def _process_environment() -> dict[str, str]:
    dotenv = {k: v for k, v in dotenv_values(".env").items() if v is not None}
    return {**dotenv, **os.environ}


def _database_url(url: str) -> str:
    scheme = urlsplit(url).scheme
    if scheme not in {"sqlite", "postgres", "postgresql"}:
        raise SettingsError(
            f"DATABASE_URL: unknown scheme {scheme!r}; use sqlite:///path or postgres://host/db"
        )
    if scheme == "sqlite" and not url.startswith("sqlite:///"):
        raise SettingsError("DATABASE_URL: write SQLite URLs as sqlite:///relative/path")
    return url


def _media_storage(url: str) -> str:
    parts = urlsplit(url)
    if parts.scheme not in {"file", "s3"}:
        raise SettingsError(
            f"MEDIA_STORAGE: unknown scheme {parts.scheme!r}; use file://path or s3://bucket/prefix"
        )
    if parts.scheme == "s3" and not parts.netloc:
        raise SettingsError("MEDIA_STORAGE: an s3:// URL needs a bucket, as in s3://bucket/prefix")
    return url


def _mail_url(url: str) -> str:
    parts = urlsplit(url)
    if parts.scheme not in {"file", "smtp"}:
        raise SettingsError(
            f"MAIL_URL: unknown scheme {parts.scheme!r}; use file://path or smtp://host:port"
        )
    if parts.scheme == "smtp" and not parts.hostname:
        raise SettingsError("MAIL_URL: an smtp:// URL needs a host, as in smtp://host:587")
    return url


def _base_url(url: str) -> str:
    parts = urlsplit(url)
    if parts.scheme not in {"http", "https"} or not parts.netloc:
        raise SettingsError(f"BASE_URL: expected an absolute http(s) URL, got {url!r}")
    return url.rstrip("/")


def _optional_http_url(env: Mapping[str, str], name: str) -> str | None:
    url = env.get(name)
    if not url:
        return None
    if urlsplit(url).scheme not in {"http", "https"}:
        raise SettingsError(f"{name}: expected an http(s) URL, got {url!r}")
    return url


def _positive_int(env: Mapping[str, str], name: str, *, default: int) -> int:
    raw = env.get(name)
    if not raw:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise SettingsError(f"{name}: expected a whole number, got {raw!r}") from None
    if value <= 0:
        raise SettingsError(f"{name}: must be above zero, got {value}")
    return value


def _stored_secret_key(data_dir: Path) -> str:
    return _stored_key(data_dir, "secret_key", lambda: secrets.token_hex(SECRET_KEY_BYTES))


def _stored_vapid_key(data_dir: Path) -> str:
    def generate() -> str:
        number = ec.generate_private_key(ec.SECP256R1()).private_numbers().private_value
        raw = number.to_bytes(VAPID_KEY_BYTES, "big")
        return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()

    return _stored_key(data_dir, "vapid_private_key", generate)


def _stored_key(data_dir: Path, name: str, generate: Callable[[], str]) -> str:
    """Read the generated key, creating it once; a hard link publishes it whole, so two
    processes starting together agree on one key."""
    path = data_dir / name
    variable = name.upper()
    if not path.exists():
        try:
            data_dir.mkdir(parents=True, exist_ok=True)
            draft = data_dir / f".{name}.{secrets.token_hex(4)}"
            fd = os.open(draft, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            try:
                with os.fdopen(fd, "w") as f:
                    f.write(generate())
                with contextlib.suppress(FileExistsError):
                    path.hardlink_to(draft)
            finally:
                draft.unlink(missing_ok=True)
        except OSError as exc:
            raise SettingsError(f"DATA_DIR: cannot write {path}: {exc.strerror}") from None
    key = path.read_text().strip()
    if not key:
        raise SettingsError(f"{variable}: {path} is empty; delete it to generate a new key")
    return key
