"""``socialsearch serve``: one waitress process, or gunicorn workers with ``--workers``."""

from __future__ import annotations

import http.client
import json
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from search.cli import main
from web.server import gunicorn_options


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def children(pid: int) -> list[int]:
    path = Path(f"/proc/{pid}/task/{pid}/children")
    return [int(c) for c in path.read_text().split()] if path.exists() else []


def test_gunicorn_options_fork_workers_after_loading_nothing() -> None:
    options = gunicorn_options("127.0.0.1", 8123, 3, 4)
    assert options["bind"] == "127.0.0.1:8123"
    assert (options["workers"], options["threads"]) == (3, 4)
    assert options["worker_class"] == "gthread" and options["preload_app"] is False


def test_workers_must_be_positive(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(main, ["--data-dir", str(tmp_path), "serve", "--workers", "0"])
    assert result.exit_code == 2 and "--workers" in result.output


@pytest.mark.slow
@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_serve_with_two_workers_answers_and_stops(tmp_path: Path) -> None:
    port = free_port()
    env = os.environ | {"SOCIALSEARCH_EMBEDDER": "hashing", "SOCIALSEARCH_DATA_DIR": str(tmp_path)}
    exe = Path(sys.executable).with_name("socialsearch")
    proc = subprocess.Popen([str(exe), "serve", "--port", str(port), "--workers", "2",
                             "--threads", "2"], env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT)
    try:
        body = None
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and body is None:
            try:
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
                conn.request("GET", "/api/v1/health")
                response = conn.getresponse()
                if response.status == 200:
                    body = json.loads(response.read())
            except OSError:
                time.sleep(0.5)
        assert body is not None, "the server did not answer"
        assert len(children(proc.pid)) == 2  # gunicorn's master forked two workers
        answers = set()
        for _ in range(6):  # fresh connections are spread over the workers
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
            conn.request("GET", "/api/v1/search?q=kafka")
            answers.add(conn.getresponse().status)
        assert answers <= {200, 401}
    finally:
        proc.terminate()
        output = proc.communicate(timeout=60)[0].decode()
    assert proc.returncode == 0, output
    assert "2 workers × 2 threads" in output and "Traceback" not in output


def test_warm_up_opens_the_engine_and_encodes_a_query(tmp_path: Path) -> None:
    from web import create_app
    from web.server import warm_up
    from web.state import EXTENSION

    app = create_app({"data_dir": str(tmp_path), "embedder": "hashing"})
    state = app.extensions[EXTENSION]
    assert state._engine is None
    assert warm_up(app).result(timeout=60) is True
    engine = state._engine
    assert engine is not None
    assert engine._query_vector.cache_info().currsize == 1
    engine.close()


def test_a_failed_warm_up_is_logged_not_raised(tmp_path: Path,
                                               caplog: pytest.LogCaptureFixture) -> None:
    from web import create_app
    from web.server import warm_up

    blocker = tmp_path / "file"
    blocker.write_text("not a directory")
    app = create_app({"data_dir": str(blocker / "data"), "embedder": "hashing"})
    assert warm_up(app).result(timeout=60) is False
    assert "warm-up search failed" in caplog.text
