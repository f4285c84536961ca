"""The Flask application factory; no module-level app exists."""

from __future__ import annotations

import secrets
from collections.abc import Mapping
from typing import Any

from flask import Flask, current_app, jsonify

from search.config import Settings, load_settings
from search.engine import SearchEngine


def create_app(config: Settings | Mapping[str, Any] | None = None,
               engine: SearchEngine | None = None) -> Flask:
    """Build the app from settings (or overrides of the layered settings)."""
    settings = config if isinstance(config, Settings) else load_settings(overrides=config or {})
    app = Flask(__name__)
    app.config["SECRET_KEY"] = settings.secret_key or secrets.token_hex(32)
    app.extensions["socialsearch.settings"] = settings
    if engine is not None:
        app.extensions["socialsearch.engine"] = engine

    @app.get("/")
    def index() -> str:
        return "<!doctype html><title>socialsearch</title><h1>socialsearch</h1>"

    @app.get("/api/v1/health")
    def health() -> Any:
        stats = get_engine().stats()
        return jsonify({"status": "ok", "documents": stats["documents"]})

    return app


def get_engine() -> SearchEngine:
    """Return the app's engine, opening it on first use."""
    ext = current_app.extensions
    if "socialsearch.engine" not in ext:
        ext["socialsearch.engine"] = SearchEngine(ext["socialsearch.settings"])
    engine: SearchEngine = ext["socialsearch.engine"]
    return engine
