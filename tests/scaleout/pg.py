"""A throw-away PostgreSQL server on loopback for the scale-out tests (Debian's binaries)."""

from __future__ import annotations

import contextlib
import glob
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time
import uuid
from pathlib import Path

from sqlalchemy import create_engine, text


def pg_bin() -> Path | None:
    """Return the directory of Debian's ``initdb``/``pg_ctl``, or ``None`` when absent."""
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    if found:
        return Path(found[-1]).parent
    initdb = shutil.which("initdb")
    return Path(initdb).resolve().parent if initdb else None


def free_port() -> int:
    """Return a free TCP port on loopback."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


class PostgresServer:
    """initdb + pg_ctl in a temporary directory, as the unprivileged ``postgres`` user if root."""

    def __init__(self, bindir: Path) -> None:
        self.bindir = bindir
        self.root = Path(tempfile.mkdtemp(prefix="socialsearch-pg-"))
        self.data = self.root / "data"
        self.port = free_port()
        self.user = "postgres" if os.geteuid() == 0 else None

    def _run(self, *args: str) -> None:
        cmd = [str(self.bindir / args[0]), *args[1:]]
        if self.user:
            cmd = ["runuser", "-u", self.user, "--", *cmd]
        subprocess.run(cmd, check=True, capture_output=True, text=True, timeout=120)

    def start(self) -> None:
        """Create a cluster and start it on 127.0.0.1 with trust authentication."""
        os.chmod(self.root, 0o755)
        if self.user:
            shutil.chown(self.root, self.user)
        self._run("initdb", "-D", str(self.data), "-A", "trust", "-U", "postgres",
                  "--no-sync", "-E", "UTF8", "--locale=C")
        self.restart()

    def stop(self, mode: str = "fast") -> None:
        """Stop the server (``immediate`` simulates a crash)."""
        self._run("pg_ctl", "-D", str(self.data), "-m", mode, "-w", "-t", "30", "stop")

    def kill(self, wait: bool = True) -> None:
        """Kill the postmaster at once (SIGKILL), as a crash or a pulled cable would."""
        pid_file = self.data / "postmaster.pid"
        if pid_file.exists():
            pid = int(pid_file.read_text().split()[0])
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
            deadline = time.monotonic() + 10
            while wait and time.monotonic() < deadline and _alive(pid):
                time.sleep(0.05)

    def restart(self) -> None:
        """Start the server again on the same port and data directory."""
        (self.data / "postmaster.pid").unlink(missing_ok=True)
        options = (f"-p {self.port} -k {self.root} -c listen_addresses=127.0.0.1 "
                   "-c fsync=off -c full_page_writes=off -c max_connections=300")
        self._run("pg_ctl", "-D", str(self.data), "-o", options, "-l",
                  str(self.root / "server.log"), "-w", "-t", "60", "start")

    def url(self, database: str = "postgres") -> str:
        """Return the SQLAlchemy URL of a database."""
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/{database}"

    def new_database(self) -> str:
        """Return the URL of an empty store of its own (a fresh schema: cheaper than a database)."""
        name = f"t_{uuid.uuid4().hex[:12]}"
        admin = create_engine(self.url(), isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(text(f"CREATE SCHEMA {name}"))
        admin.dispose()
        return f"{self.url()}?options=-csearch_path%3D{name}"

    def destroy(self) -> None:
        """Stop the server and remove its files."""
        self.kill(wait=False)
        shutil.rmtree(self.root, ignore_errors=True)
