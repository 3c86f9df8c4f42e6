"""Running it: a taken port is said in one line, and every request is logged once."""

from __future__ import annotations

import socket
import subprocess

from tests.support import CLI, answers_ok, clean_environment, free_port, wait_until


def test_serve_on_a_taken_port_says_so_in_one_line_and_exits_non_zero(tmp_path):
    env = clean_environment(DATA_DIR=str(tmp_path / "var"))
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]

        done = subprocess.run(
            [*CLI, "serve", "--port", str(port)],
            env=env,
            cwd=tmp_path,
            capture_output=True,
            text=True,
            timeout=60,
        )

    assert done.returncode == 1
    assert done.stderr.splitlines() == [
        f"Port {port} on 127.0.0.1 is taken (another server runs there). Choose another: "
        f"make run PORT={port + 1}, or remember-when serve --port {port + 1}."
    ]


def test_each_request_is_logged_once(tmp_path):
    env = clean_environment(DATA_DIR=str(tmp_path / "var"))
    port = free_port()
    log = tmp_path / "serve.log"
    subprocess.run([*CLI, "migrate"], env=env, cwd=tmp_path, check=True, capture_output=True)
    with log.open("w") as stderr:
        server = subprocess.Popen(
            [*CLI, "serve", "--port", str(port)], env=env, cwd=tmp_path, stderr=stderr
        )
        try:
            wait_until(lambda: answers_ok(f"http://127.0.0.1:{port}/healthz"), "the server")
            wait_until(lambda: "GET /healthz 200" in log.read_text(), "the request line")
        finally:
            server.terminate()
            server.wait(timeout=30)

    request_lines = [line for line in log.read_text().splitlines() if "GET /healthz" in line]
    assert len(request_lines) == 1, request_lines
