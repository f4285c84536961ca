"""Production serving: waitress for one process, gunicorn (forking workers) for several.

One Python process answers searches on one core at a time (the GIL), so on a machine with
several cores ``--workers N`` starts N gunicorn worker processes, each with its own app,
engine and query model, and ``--threads`` threads each.
"""

from __future__ import annotations

import logging
import subprocess
import sys
from collections.abc import Callable
from concurrent.futures import Future
from typing import Any

from flask import Flask

from search.config import Settings
from search.models import Principal
from web.state import EXTENSION, WebState

log = logging.getLogger("socialsearch.web")


class ServerError(RuntimeError):
    """The requested server cannot be started here."""


def prepare_query_model(settings: Settings) -> None:
    """Export the ONNX query model once, in a child process, before workers fork.

    Doing it in a child keeps torch (and its thread pools) out of the forking master.
    """
    if settings.query_encoder == "torch" or settings.embedder not in ("minilm",
                                                                        "all-MiniLM-L6-v2"):
        return
    from search.onnx_encoder import onnx_available, onnx_model_file

    if not onnx_available() or onnx_model_file().exists():
        return
    done = subprocess.run([sys.executable, "-m", "search.onnx_encoder"], check=False,
                          capture_output=True, text=True)
    if done.returncode != 0 and settings.query_encoder == "onnx":
        raise ServerError(f"cannot export the ONNX query model: {done.stderr.strip()[-500:]}")


def gunicorn_options(host: str, port: int, workers: int, threads: int) -> dict[str, Any]:
    """Return the gunicorn settings used by ``serve --workers``."""
    return {
        "bind": f"{host}:{port}",
        "workers": workers,
        "worker_class": "gthread",
        "threads": threads,
        "timeout": 120,
        "graceful_timeout": 10,
        "keepalive": 5,
        "preload_app": False,  # each worker builds its own app after the fork
        "accesslog": None,
        "errorlog": "-",
        "loglevel": "warning",
    }


def serve_gunicorn(factory: Callable[[], Any], options: dict[str, Any]) -> None:
    """Run gunicorn with ``factory()`` called once in each worker process."""
    try:
        from gunicorn.app.base import BaseApplication
    except ImportError as exc:
        raise ServerError("--workers needs gunicorn (Linux/macOS): pip install gunicorn") from exc

    class _Server(BaseApplication):
        """gunicorn configured from a dict instead of the command line."""

        def load_config(self) -> None:
            for key, value in options.items():
                self.cfg.set(key, value)

        def load(self) -> Any:
            return factory()

    _Server().run()


def serve(settings: Settings, host: str, port: int, threads: int, workers: int) -> None:
    """Serve the web app: waitress in this process for one worker, gunicorn for more."""
    if workers < 1 or threads < 1:
        raise ServerError("--workers and --threads must be at least 1")
    if workers == 1:
        from waitress import serve as waitress_serve

        from web import create_app

        app = create_app(settings)
        warm_up(app)
        waitress_serve(app, host=host, port=port, threads=threads)
        return
    if sys.platform == "win32":
        raise ServerError("--workers needs a forking server; on Windows use --workers 1")
    prepare_query_model(settings)
    serve_gunicorn(lambda: make_app(settings), gunicorn_options(host, port, workers, threads))


def make_app(settings: Settings) -> Any:
    """Build the app inside a worker: numpy, FAISS and ONNX start their threads after the fork."""
    from web import create_app

    app = create_app(settings)
    warm_up(app)
    return app


def warm_up(app: Flask) -> Future[bool]:
    """Open the engine and its query model in the background, so the first search is fast."""
    state: WebState = app.extensions[EXTENSION]
    return state.executor.submit(_warm, state)


def _warm(state: WebState) -> bool:
    """Run one search that reads nothing back; log (never raise) if it fails."""
    try:
        state.engine.search("warm up", Principal.system(), limit=1, facets=False,
                            snippets=False)
    except Exception:  # a failed warm-up must not stop the server
        log.warning("warm-up search failed; the first request will open the engine",
                    exc_info=True)
        return False
    return True
