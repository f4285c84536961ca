"""Real engines for the scale-out tests: PostgreSQL, Milvus Lite on loopback and a local Ray.

Each fixture skips, with the reason, when its engine or the ``cluster`` extra is missing.
"""

from __future__ import annotations

import importlib.util
import logging
import os
import tempfile
import time
import uuid
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.scaleout.pg import PostgresServer, free_port, pg_bin

CLUSTER_HINT = "pip install -e '.[cluster]' (make install does)"


def need_module(name: str) -> None:
    """Skip when an optional module of the cluster extra is missing."""
    if importlib.util.find_spec(name) is None:
        pytest.skip(f"{name} is not installed: {CLUSTER_HINT}")


@pytest.fixture(scope="session")
def pg_server() -> Iterator[PostgresServer]:
    """A PostgreSQL server in a temporary directory on 127.0.0.1 (Debian's binaries)."""
    need_module("psycopg")
    bindir = pg_bin()
    if bindir is None:
        pytest.skip("PostgreSQL binaries not found (apt-get install postgresql; make sysdeps)")
    if os.geteuid() == 0:
        import pwd

        try:
            pwd.getpwnam("postgres")
        except KeyError:
            pytest.skip("running as root and no 'postgres' user to run initdb as")
    server = PostgresServer(bindir)
    try:
        server.start()
    except Exception as exc:  # pragma: no cover - depends on the machine
        server.destroy()
        pytest.skip(f"cannot start PostgreSQL: {exc}")
    yield server
    server.destroy()


@pytest.fixture
def pg_url(pg_server: PostgresServer) -> str:
    """The URL of a fresh, empty PostgreSQL database."""
    return pg_server.new_database()


class MilvusLite:
    """milvus-lite 2.5.1 (the real Milvus C++ core) serving gRPC on a loopback port."""

    def __init__(self, root: Path) -> None:
        from milvus_lite.server import Server

        self.port = free_port()
        self.uri = f"http://127.0.0.1:{self.port}"
        self.server = Server(str(root / "milvus.db"), address=f"127.0.0.1:{self.port}")

    def start(self) -> None:
        """Start the server and wait until it answers."""
        from pymilvus import MilvusClient

        if not self.server.init() or not self.server.start():
            raise RuntimeError("milvus-lite did not start")
        deadline = time.monotonic() + 60
        while True:
            try:
                client = MilvusClient(uri=self.uri, timeout=5, dedicated=True)
                client.list_collections()
                client.close()
                return
            except Exception:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.3)

    def stop(self) -> None:
        """Stop the server (its data stays on disk)."""
        self.server.stop()


@pytest.fixture(scope="session")
def milvus() -> Iterator[MilvusLite]:
    """One Milvus Lite server for the session; tests isolate themselves by collection name."""
    need_module("pymilvus")
    need_module("milvus_lite")
    logging.getLogger("pymilvus").setLevel(logging.CRITICAL)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        import milvus_lite  # noqa: F401  (imports pkg_resources)
    server = MilvusLite(Path(tempfile.mkdtemp(prefix="socialsearch-milvus-")))
    server.start()
    yield server
    server.stop()


@pytest.fixture
def collection() -> str:
    """A collection name unique to the test."""
    return f"t_{uuid.uuid4().hex[:12]}"


@pytest.fixture(scope="session")
def ray_local() -> Iterator[Any]:
    """A local Ray with two CPUs and no dashboard."""
    need_module("ray")
    import ray

    os.environ.setdefault("RAY_USAGE_STATS_ENABLED", "0")
    for attempt in range(3):  # Ray's node start-up sometimes times out on a 2-core machine
        try:
            ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False,
                     configure_logging=False, _node_ip_address="127.0.0.1")
            break
        except Exception:
            ray.shutdown()
            if attempt == 2:
                raise
    yield ray
    ray.shutdown()
