"""Migrations apply cleanly, twice and concurrently; the app starts on an empty data folder."""

from __future__ import annotations

import sqlite3
import subprocess
import sys

import httpx
import pytest

from server.common.database import apply_migrations
from tests.conftest import BACKENDS
from tests.support import CLI, ROOT, clean_environment, count_rows_in_database, served

MIGRATIONS = ROOT / "timeline" / "migrations"


@pytest.mark.parametrize("empty_database_url", BACKENDS, indirect=True)
async def test_migrations_applied_twice_leave_one_record_each(empty_database_url):
    await apply_migrations(empty_database_url)
    await apply_migrations(empty_database_url)

    applied = count_rows_in_database(empty_database_url, "tortoise_migrations")
    assert applied == len(list(MIGRATIONS.glob("0*.py")))
    assert count_rows_in_database(empty_database_url, "account") == 0


@pytest.mark.parametrize("empty_database_url", BACKENDS, indirect=True)
def test_two_processes_migrating_at_once_both_succeed(empty_database_url, tmp_path):
    env = clean_environment(DATABASE_URL=empty_database_url, DATA_DIR=str(tmp_path))
    runs = [
        subprocess.Popen([*CLI, "migrate"], env=env, cwd=tmp_path, stderr=subprocess.PIPE)
        for _ in range(2)
    ]

    results = [(run.wait(timeout=60), run.stderr.read().decode()) for run in runs]

    assert results == [(0, "Migrations applied.\n")] * 2


def test_models_and_committed_migrations_are_in_step(tmp_path):
    before = set(MIGRATIONS.iterdir())
    result = subprocess.run(
        [sys.executable, "-m", "tortoise", "makemigrations"],
        env=clean_environment(DATA_DIR=str(tmp_path)),
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    created = set(MIGRATIONS.iterdir()) - before
    for path in created:
        path.unlink()

    assert not created, f"models changed without a migration: {result.stdout}"
    assert "No changes detected" in result.stdout


def test_a_bad_setting_stops_start_up_with_one_line_naming_it(tmp_path):
    result = subprocess.run(
        [*CLI, "serve"],
        env=clean_environment(DATABASE_URL="mysql://db/rw", DATA_DIR=str(tmp_path)),
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
    )

    assert result.returncode == 2
    assert result.stderr == (
        "remember-when: DATABASE_URL: unknown scheme 'mysql'; "
        "use sqlite:///path or postgres://host/db\n"
    )


def test_the_app_starts_with_default_settings_in_an_empty_folder(tmp_path):
    with served(clean_environment(), tmp_path) as base_url:
        signup = httpx.get(f"{base_url}/signup")

    assert signup.status_code == 200
    assert "Start your shared timeline" in signup.text
    assert (tmp_path / "var" / "secret_key").stat().st_mode & 0o777 == 0o600
    database = tmp_path / "var" / "remember-when.sqlite3"
    with sqlite3.connect(database) as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
