"""A real server in a subprocess and Debian's Chromium driven by Playwright."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, sync_playwright

from tests.support import clean_environment, free_port, served

CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
SCREENSHOTS = Path(__file__).resolve().parents[2] / "build" / "screenshots"


def pytest_terminal_summary(terminalreporter) -> None:
    if SCREENSHOTS.exists():
        terminalreporter.write_line(f"Screenshots of the pages: {SCREENSHOTS}")


@pytest.fixture(scope="session")
def screenshots() -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return SCREENSHOTS


def chromium_path() -> str | None:
    return os.environ.get("CHROMIUM") or shutil.which("chromium")


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    executable = chromium_path()
    if executable is None:
        if os.environ.get("REQUIRE_BROWSER"):
            pytest.fail("Chromium is required (REQUIRE_BROWSER is set): apt-get install chromium")
        pytest.skip("no Chromium here: apt-get install chromium, or set CHROMIUM=/path")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def live_server(tmp_path: Path) -> Iterator[str]:
    """`remember-when serve` on a free port over a fresh SQLite data folder."""
    port = free_port()
    env = clean_environment(DATA_DIR=str(tmp_path / "var"), BASE_URL=f"http://127.0.0.1:{port}")
    with served(env, tmp_path, port) as base_url:
        yield base_url
