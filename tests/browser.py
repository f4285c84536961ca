"""Shared pieces of the headless-Chromium tests: the browser and an app served on loopback."""

from __future__ import annotations

import shutil
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from search.engine import SearchEngine
from tests.web.conftest import close_app, make_app

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless=new", "--no-sandbox", "--disable-gpu",
                 "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]


@contextmanager
def chromium() -> Iterator[Any]:
    """Launch Debian's headless chromium through Playwright (skips the test when missing)."""
    if not Path(CHROMIUM).exists() and shutil.which("chromium") is None:
        pytest.skip("chromium is not installed (apt-get install chromium)")
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as p:
        instance = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield instance
        instance.close()


@contextmanager
def served(engine: SearchEngine, threads: int) -> Iterator[str]:
    """Serve the demo-mode app over ``engine`` with waitress on a free loopback port."""
    from waitress.server import create_server

    app = make_app(engine, demo_mode=True)
    wsgi = create_server(app, host="127.0.0.1", port=0, threads=threads)
    thread = threading.Thread(target=wsgi.run, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{wsgi.effective_port}"
    wsgi.close()
    thread.join(timeout=5)
    close_app(app)
