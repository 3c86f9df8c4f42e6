"""Settings come from the environment; a bad value is one clear error naming the variable."""

from __future__ import annotations

import base64
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric import ec

from server.common.settings import SettingsError, load_settings


def test_the_embedded_defaults_live_in_the_data_folder(tmp_path: Path):
    settings = load_settings({"DATA_DIR": str(tmp_path)})

    assert settings.database_url == f"sqlite:///{tmp_path}/remember-when.sqlite3"
    assert settings.media_storage == f"file://{tmp_path}/media"
    assert settings.mail_url == f"file://{tmp_path}/outbox"
    assert settings.base_url == "http://127.0.0.1:8000"
    assert settings.max_upload_bytes == 30 * 1024 * 1024
    assert not settings.https


def test_the_secret_key_is_generated_once_and_kept(tmp_path: Path):
    first = load_settings({"DATA_DIR": str(tmp_path)}).secret_key
    second = load_settings({"DATA_DIR": str(tmp_path)}).secret_key

    assert first == second
    assert len(first) == 64
    assert sorted(p.name for p in tmp_path.iterdir()) == ["secret_key", "vapid_private_key"]
    assert (tmp_path / "secret_key").stat().st_mode & 0o777 == 0o600


def test_the_vapid_key_is_generated_once_private_and_a_p256_key(tmp_path: Path):
    first = load_settings({"DATA_DIR": str(tmp_path)}).vapid_private_key
    second = load_settings({"DATA_DIR": str(tmp_path)}).vapid_private_key

    assert first == second
    raw = base64.urlsafe_b64decode(first + "=" * (-len(first) % 4))
    ec.derive_private_key(int.from_bytes(raw, "big"), ec.SECP256R1())
    assert len(raw) == 32
    assert (tmp_path / "vapid_private_key").stat().st_mode & 0o777 == 0o600


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("not-a-key", "VAPID_PRIVATE_KEY: expected a P-256 private key"),
        ("A" * 43, "VAPID_PRIVATE_KEY: expected a P-256 private key"),
    ],
)
def test_a_vapid_key_that_is_not_p256_stops_start_up(tmp_path: Path, value: str, message: str):
    with pytest.raises(SettingsError, match=message):
        load_settings({"DATA_DIR": str(tmp_path), "VAPID_PRIVATE_KEY": value})


def test_the_vapid_subject_is_the_https_site_or_the_senders_address(tmp_path: Path):
    site = load_settings({"DATA_DIR": str(tmp_path), "BASE_URL": "https://rw.example"})
    mail = load_settings({"DATA_DIR": str(tmp_path), "MAIL_FROM": "Us <us@rw.example>"})

    assert site.vapid_subject == "https://rw.example"
    assert mail.vapid_subject == "mailto:us@rw.example"


def test_secret_key_from_the_environment_wins(tmp_path: Path):
    settings = load_settings({"DATA_DIR": str(tmp_path), "SECRET_KEY": "from-env"})

    assert settings.secret_key == "from-env"
    assert not (tmp_path / "secret_key").exists()


def test_https_base_url_turns_on_secure_cookies(tmp_path: Path):
    settings = load_settings({"DATA_DIR": str(tmp_path), "BASE_URL": "https://rw.example/"})

    assert settings.https
    assert settings.base_url == "https://rw.example"


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("DATABASE_URL", "mysql://db/rw", "DATABASE_URL: unknown scheme 'mysql'"),
        ("DATABASE_URL", "sqlite://rw.db", "DATABASE_URL: write SQLite URLs as sqlite:///"),
        ("MEDIA_STORAGE", "ftp://x", "MEDIA_STORAGE: unknown scheme 'ftp'"),
        ("MEDIA_STORAGE", "s3://", "MEDIA_STORAGE: an s3:// URL needs a bucket"),
        ("MAIL_URL", "pigeon://coop", "MAIL_URL: unknown scheme 'pigeon'"),
        ("MAIL_URL", "smtp://", "MAIL_URL: an smtp:// URL needs a host"),
        ("BASE_URL", "rw.example", "BASE_URL: expected an absolute http(s) URL"),
        ("S3_ENDPOINT_URL", "minio:9000", "S3_ENDPOINT_URL: expected an http(s) URL"),
        ("MAX_UPLOAD_MB", "lots", "MAX_UPLOAD_MB: expected a whole number, got 'lots'"),
        ("MAX_UPLOAD_MB", "0", "MAX_UPLOAD_MB: must be above zero"),
        ("SCHEDULER", "sometimes", "SCHEDULER: expected on or off"),
    ],
)
def test_a_bad_value_names_its_variable(tmp_path: Path, name: str, value: str, message: str):
    with pytest.raises(SettingsError) as raised:
        load_settings({"DATA_DIR": str(tmp_path), name: value})

    assert str(raised.value).startswith(message)
    assert "\n" not in str(raised.value)


def test_postgres_and_s3_settings_are_accepted(tmp_path: Path):
    settings = load_settings(
        {
            "DATA_DIR": str(tmp_path),
            "DATABASE_URL": "postgres://rw@db:5432/rw",
            "MEDIA_STORAGE": "s3://photos/rw",
            "S3_ENDPOINT_URL": "http://minio:9000",
            "MAIL_URL": "smtp://user:pass@mail:587?starttls=1",
        }
    )

    assert settings.database_url == "postgres://rw@db:5432/rw"
    assert settings.media_storage == "s3://photos/rw"
    assert settings.s3_endpoint_url == "http://minio:9000"
