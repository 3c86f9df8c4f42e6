"""Lighthouse 12 (mobile, its default: a mid-range phone on a slow 4G line, simulated) on the
demo couple's home, timeline, a memory with photos and a recap, logged in as Ana.

`make audit` installs Lighthouse from the npm registry into build/tools and runs this. It
serves a fresh data folder with `remember-when demo` in it, logs in through the log-in form
and hands Lighthouse the session cookie (`--extra-headers`); Chromium is Debian's
(CHROME_PATH, default /usr/bin/chromium). Prints the scores of each page (the median of
--runs runs, 1 by default), the metrics behind performance, and every audit that cost a
point; asserts nothing. The issue's bar: performance >= 95, accessibility and best
practices 100."""

from __future__ import annotations

import argparse
import json
import os
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from server.commands.demo import ANA, PASSWORD  # noqa: E402

LIGHTHOUSE = ROOT / "build" / "tools" / "node_modules" / ".bin" / "lighthouse"
CATEGORIES = ("performance", "accessibility", "best-practices")
METRICS = {
    "first-contentful-paint": "FCP",
    "largest-contentful-paint": "LCP",
    "total-blocking-time": "TBT",
    "cumulative-layout-shift": "CLS",
    "speed-index": "SI",
}
CLI = [sys.executable, "-m", "server.cli"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def serve_demo(folder: Path) -> tuple[subprocess.Popen, str]:
    """`remember-when demo` in a fresh data folder, then `serve` over it."""
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    env = {**os.environ, "DATA_DIR": str(folder), "BASE_URL": base, "PYTHONPATH": str(ROOT)}
    for var in ("DATABASE_URL", "MEDIA_STORAGE", "MAIL_URL", "SECRET_KEY"):
        env.pop(var, None)
    subprocess.run([*CLI, "migrate"], env=env, check=True, capture_output=True)
    subprocess.run([*CLI, "demo"], env=env, check=True, capture_output=True)
    server = subprocess.Popen(
        [*CLI, "serve", "--port", str(port), "--no-scheduler"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 30
    while True:
        try:
            httpx.get(f"{base}/healthz", timeout=1)
            return server, base
        except httpx.TransportError:
            if time.monotonic() > deadline:
                server.terminate()
                raise
            time.sleep(0.1)


def log_in(base: str) -> tuple[str, dict[str, str]]:
    """Ana's session cookie, from the log-in form; and the pages to audit."""
    with httpx.Client(base_url=base, timeout=30) as client:
        form = client.get("/login").text
        token = re.search(r'name="_csrf_token" value="([^"]+)"', form)[1]
        answer = client.post(
            "/login", data={"email": ANA, "password": PASSWORD, "_csrf_token": token}
        )
        assert answer.status_code in (302, 303), answer.status_code
        # The session only: a flash cookie would show "Welcome back" on the first page.
        cookie = f"rw_session={client.cookies['rw_session']}"
        return cookie, pages_of(client)


def pages_of(client: httpx.Client) -> dict[str, str]:
    """Home, the timeline, the memory with the most photos among the newest, and the recap of
    the last whole relationship year, found through the API as Ana."""
    login = client.post("/api/v1/auth/login", json={"email": ANA, "password": PASSWORD})
    auth = {"Authorization": f"Bearer {login.json()['token']}"}
    timeline = client.get("/api/v1/me", headers=auth).json()["timelines"][0]
    listed = client.get(
        f"/api/v1/timelines/{timeline['id']}/memories", params={"limit": 100}, headers=auth
    ).json()["items"]
    memory = max(listed, key=lambda m: len(m["photos"]))
    years = [
        year
        for year in range(1, 30)
        if client.get(f"/api/v1/timelines/{timeline['id']}/recaps/{year}", headers=auth).status_code
        == 200
    ]
    whole = [y for y in years if y + 1 in years] or years
    return {
        "home": "/",
        "timeline": f"/t/{timeline['id']}",
        "memory": f"/m/{memory['id']}",
        "recap": f"/t/{timeline['id']}/recap/{whole[-1]}",
    }


def lighthouse(url: str, cookie: str, attempts: int = 2) -> dict:
    """Lighthouse's report on `url`; a run that fails (Chromium crashing under load) is tried
    once more, then its error is shown."""
    env = {**os.environ, "CHROME_PATH": os.environ.get("CHROME_PATH", "/usr/bin/chromium")}
    found = subprocess.run(
        [
            str(LIGHTHOUSE),
            url,
            "--quiet",
            "--output=json",
            "--output-path=stdout",
            f"--only-categories={','.join(CATEGORIES)}",
            "--chrome-flags=--headless=new --no-sandbox",
            f"--extra-headers={json.dumps({'Cookie': cookie})}",
        ],
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )
    if found.returncode == 0:
        return json.loads(found.stdout)
    if attempts > 1:
        return lighthouse(url, cookie, attempts - 1)
    sys.exit(f"Lighthouse failed on {url}:\n{found.stderr[-2000:]}")


def lost_points(report: dict) -> list[str]:
    """The audits that cost points in accessibility and best practices, and the performance
    opportunities Lighthouse names."""
    lines = []
    for category in CATEGORIES:
        for ref in report["categories"][category]["auditRefs"]:
            audit = report["audits"][ref["id"]]
            if ref["weight"] and audit["score"] is not None and audit["score"] < 1:
                shown = audit.get("displayValue", "")
                lines.append(f"{category}: {ref['id']} ({audit['score']:.2f}) {shown}".rstrip())
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=1, help="runs per page; the median is shown")
    args = parser.parse_args()
    if not LIGHTHOUSE.exists():
        sys.exit("Lighthouse is not installed: run tests/e2e/tools/install.sh (or make audit)")

    with tempfile.TemporaryDirectory() as folder:
        server, base = serve_demo(Path(folder))
        try:
            cookie, pages = log_in(base)
            version = ""
            print(f"Lighthouse, mobile, median of {args.runs} run(s), demo couple as Ana\n")
            header = f"{'page':<10}{'perf':>6}{'a11y':>6}{'best':>6}  " + "  ".join(
                f"{short:>7}" for short in METRICS.values()
            )
            print(header)
            notes: dict[str, list[str]] = {}
            for name, path in pages.items():
                reports = [lighthouse(base + path, cookie) for _ in range(args.runs)]
                version = reports[0]["lighthouseVersion"]
                perf = statistics.median(r["categories"]["performance"]["score"] for r in reports)
                middle = min(
                    reports, key=lambda r: abs(r["categories"]["performance"]["score"] - perf)
                )
                scores = [round(middle["categories"][c]["score"] * 100) for c in CATEGORIES]
                metrics = [middle["audits"][m]["displayValue"] for m in METRICS]
                print(
                    f"{name:<10}"
                    + "".join(f"{s:>6}" for s in scores)
                    + "  "
                    + "  ".join(f"{m:>7}" for m in metrics)
                )
                notes[name] = lost_points(middle)
            print(f"\n(Lighthouse {version}; {base}; perf = performance, best = best practices)")
            for name, lines in notes.items():
                for line in lines:
                    print(f"  {name}: {line}")
        finally:
            server.terminate()
            server.wait(timeout=30)


if __name__ == "__main__":
    main()
