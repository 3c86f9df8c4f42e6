"""The worker runs without the web app: `remember-when worker` and `send-due-emails` import
neither Litestar nor the app, its routes, pages or HTTP plumbing."""

import subprocess
import sys

import pytest

from tests.support import CLI, clean_environment

# Runs one command through the real entry point, then names (on a last line of its own)
# every web module it imported.
# The worker's endless loop is replaced by a single pass that does nothing, after its imports.
PROGRAM = """
import sys

import server.worker.scheduler
from server.cli import main


async def one_turn(*_):
    return None


server.worker.scheduler.run_every_minute = one_turn
status = main(sys.argv[1:])
web = ("litestar", "server.app", "server.api", "server.pages", "server.http", "server.files")
print(sorted(m for m in sys.modules if m.startswith(web)))
sys.exit(status)
"""


@pytest.mark.parametrize("command", ["worker", "send-due-emails"])
def test_the_worker_imports_no_web_module(tmp_path, command):
    env = clean_environment(DATA_DIR=str(tmp_path / "var"))
    subprocess.run([*CLI, "migrate"], env=env, cwd=tmp_path, check=True, capture_output=True)
    done = subprocess.run(
        [sys.executable, "-c", PROGRAM, command],
        env=env,
        cwd=tmp_path,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[-1] == "[]"
