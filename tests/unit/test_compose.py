"""compose.yaml and the Dockerfile describe the scaled-out stack: checked here, since no
Docker engine runs in CI. Every variable they set is a setting we read (or boto3's own),
every part the app needs is a service, data lives in volumes, and readiness is checked."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import yaml

from server.common.settings import AWS_VARIABLES, VARIABLES, load_settings

ROOT = Path(__file__).resolve().parents[2]
COMPOSE = yaml.safe_load((ROOT / "compose.yaml").read_text())
SERVICES = COMPOSE["services"]
# The services built from our image: they read our settings.
# A VAPID key as the user would make it (`openssl rand 32 | base64 | tr '+/' '-_' | tr -d '='`).
KEY = "j1Jcdf03eH5I-UQlTuUQN3sGonGtBNAxQw6eUhR1nek"
OURS = sorted(name for name, service in SERVICES.items() if service.get("build"))


def environment(name: str) -> dict[str, str]:
    return {key: str(value) for key, value in SERVICES[name].get("environment", {}).items()}


def test_the_stack_has_every_part_the_app_needs():
    assert OURS == ["app", "inbound", "migrate", "worker"]
    assert {"postgres", "minio", "minio-bucket", "mailpit"} <= set(SERVICES)


@pytest.mark.parametrize("name", OURS)
def test_our_services_set_only_known_settings_that_load(name):
    env = environment(name)

    assert set(env) <= set(VARIABLES) | set(AWS_VARIABLES)
    secret, vapid_key = env.pop("SECRET_KEY"), env.pop("VAPID_PRIVATE_KEY")
    assert re.fullmatch(r"\$\{SECRET_KEY:\?.+\}", secret), "SECRET_KEY must come from the user"
    # Each process would otherwise make its own: browsers subscribe with the app's, workers
    # sign with theirs.
    assert re.fullmatch(r"\$\{VAPID_PRIVATE_KEY:\?.+\}", vapid_key), "so must VAPID_PRIVATE_KEY"
    settings = load_settings({**env, "SECRET_KEY": "from-the-user", "VAPID_PRIVATE_KEY": KEY})
    assert urlsplit(settings.database_url).hostname == "postgres"
    assert urlsplit(settings.s3_endpoint_url).hostname == "minio"
    assert urlsplit(settings.mail_url).hostname == "mailpit"
    assert settings.media_storage.startswith("s3://")


def test_migrations_run_once_before_the_app_and_workers_start():
    assert SERVICES["migrate"]["command"] == ["migrate"]
    assert SERVICES["migrate"]["depends_on"]["postgres"]["condition"] == "service_healthy"
    for name in ("app", "worker"):
        needs = SERVICES[name]["depends_on"]
        assert needs["migrate"]["condition"] == "service_completed_successfully"
        assert needs["minio-bucket"]["condition"] == "service_completed_successfully"


def test_two_app_replicas_only_serve_and_a_worker_sends_the_emails():
    app = SERVICES["app"]
    assert app["deploy"]["replicas"] == 2
    assert app["command"][:2] == ["serve", "--no-scheduler"]
    assert "/readyz" in " ".join(app["healthcheck"]["test"])
    assert SERVICES["worker"]["command"] == ["worker"]


@pytest.mark.parametrize("name", ["postgres", "minio"])
def test_data_lives_in_named_volumes_and_readiness_is_checked(name):
    service = SERVICES[name]
    volume = service["volumes"][0].split(":")[0]

    assert volume in COMPOSE["volumes"]
    assert service["healthcheck"]["test"]


def test_the_bucket_is_created_once_minio_is_ready():
    bucket = SERVICES["minio-bucket"]
    created = urlsplit(
        load_settings({"MEDIA_STORAGE": environment("app")["MEDIA_STORAGE"]}).media_storage
    )

    assert bucket["depends_on"]["minio"]["condition"] == "service_healthy"
    assert f"mb --ignore-existing local/{created.hostname}" in " ".join(bucket["command"])


def test_the_image_is_built_in_stages_and_runs_as_a_user_with_our_command():
    dockerfile = (ROOT / "Dockerfile").read_text()

    assert len(re.findall(r"^FROM python:3\.\d+-slim", dockerfile, re.M)) >= 2
    assert re.search(r"^USER (?!root)\w+", dockerfile, re.M)
    assert re.search(r'^ENTRYPOINT \["remember-when"\]', dockerfile, re.M)


def test_the_readme_documents_every_setting():
    readme = (ROOT / "README.md").read_text()

    assert [v for v in VARIABLES if f"| `{v}` |" not in readme] == []
