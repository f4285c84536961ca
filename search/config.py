"""Layered settings: defaults, then a TOML file, then ``SOCIALSEARCH_*`` environment variables."""

from __future__ import annotations

import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import Any


class ConfigError(ValueError):
    """A setting is unknown or has the wrong type."""


@dataclass(frozen=True)
class Settings:
    """Every setting of socialsearch, with its default."""

    data_dir: str = "socialsearch-data"
    store_url: str = ""
    embedder: str = "minilm"
    query_encoder: str = "auto"
    fusion: str = "linear"
    vector_weight: float = 0.4
    rrf_k: int = 60
    candidates: int = 100
    title_boost: float = 0.5
    sync_batch: int = 256
    anonymous_access: bool = False
    demo_mode: bool = False
    sso_header: str = ""
    secret_key: str = ""
    slack_signing_secret: str = ""
    slack_bot_token: str = ""
    sentiment_model: str = "auto"
    index_backend: str = "local"
    milvus_uri: str = ""
    milvus_collection: str = "socialsearch"
    milvus_token: str = ""

    @property
    def data_path(self) -> Path:
        """Return the data directory as a path."""
        return Path(self.data_dir).expanduser()

    @property
    def resolved_store_url(self) -> str:
        """Return the store URL, defaulting to a SQLite file in the data directory."""
        return self.store_url or f"sqlite:///{self.data_path / 'store.db'}"


SETTING_HELP: Mapping[str, str] = {
    "data_dir": "Directory holding the SQLite store and the Whoosh and FAISS index files.",
    "store_url": "SQLAlchemy URL of the store; empty means data_dir/store.db (SQLite).",
    "embedder": "Embedding model: 'minilm' (all-MiniLM-L6-v2, packaged) or 'hashing' (tests).",
    "query_encoder": "How single queries are encoded: auto (int8 ONNX copy of MiniLM when "
                     "onnxruntime is installed, else torch), onnx or torch.",
    "fusion": "How the keyword and vector legs are fused: rrf, linear, keyword or vector.",
    "vector_weight": "Weight of the vector leg in linear fusion (0..1).",
    "rrf_k": "The k constant of reciprocal rank fusion.",
    "candidates": "How many candidates each leg retrieves before fusion.",
    "title_boost": "Extra weight of title matches in the keyword leg (0 disables).",
    "sync_batch": "Documents per batch when the indexes catch up with the store.",
    "anonymous_access": "Let requests without identity read public documents.",
    "demo_mode": "Demo mode: anonymous access on, a banner on every page with a \"view as\" menu.",
    "sso_header": "Trusted request header carrying the user id (set by a reverse proxy).",
    "secret_key": "Flask secret key; generated per process when empty.",
    "slack_signing_secret": "Signing secret of the Slack app (enables /slack/commands).",
    "slack_bot_token": "Bot token of the Slack app (xoxb-…).",
    "sentiment_model": "Sentiment of customer posts: auto (the shipped MiniLM head; VADER when "
                       "the embedder is not MiniLM), head, vader, a head .npz trained by "
                       "benchmarks/train_sentiment.py, or a local transformers model directory.",
    "index_backend": "Index backend: 'local' (Whoosh + FAISS files in data_dir) or 'milvus'.",
    "milvus_uri": "Milvus endpoint (http://host:19530, https://…zillizcloud.com) or a local "
                  "Milvus Lite file (*.db); empty means data_dir/milvus.db.",
    "milvus_collection": "Name of the Milvus collection (a second one, NAME_meta, holds "
                         "sequences).",
    "milvus_token": "Milvus or Zilliz Cloud token ('user:password' or an API key); "
                    "prefer SOCIALSEARCH_MILVUS_TOKEN.",
}


def _coerce(name: str, value: Any, kind: type) -> Any:
    if kind is bool:
        if isinstance(value, bool):
            return value
        text = str(value).strip().lower()
        if text in ("1", "true", "yes", "on"):
            return True
        if text in ("0", "false", "no", "off", ""):
            return False
        raise ConfigError(f"setting {name} must be true or false, got {value!r}")
    try:
        return kind(value)
    except (TypeError, ValueError) as exc:
        raise ConfigError(f"setting {name} must be {kind.__name__}, got {value!r}") from exc


def load_settings(
    toml_path: str | Path | None = None,
    env: Mapping[str, str] | None = None,
    overrides: Mapping[str, Any] | None = None,
) -> Settings:
    """Build settings from defaults, a TOML file, the environment and explicit overrides."""
    env = os.environ if env is None else env
    types = {f.name: type(f.default) for f in fields(Settings)}
    values: dict[str, Any] = {}
    toml_path = toml_path or env.get("SOCIALSEARCH_CONFIG")
    if toml_path:
        try:
            with open(toml_path, "rb") as fh:
                data = tomllib.load(fh)
        except (OSError, tomllib.TOMLDecodeError) as exc:
            raise ConfigError(f"cannot read config file {toml_path}: {exc}") from exc
        section = data.get("socialsearch", data)
        for key, value in section.items():
            if key not in types:
                raise ConfigError(f"unknown setting {key!r} in {toml_path}")
            values[key] = _coerce(key, value, types[key])
    for key, kind in types.items():
        env_key = f"SOCIALSEARCH_{key.upper()}"
        if env_key in env:
            values[key] = _coerce(key, env[env_key], kind)
    for key, value in (overrides or {}).items():
        if key not in types:
            raise ConfigError(f"unknown setting {key!r}")
        if value is not None:
            values[key] = _coerce(key, value, types[key])
    settings = replace(Settings(), **values)
    if settings.fusion not in ("rrf", "linear", "keyword", "vector"):
        raise ConfigError("fusion must be rrf, linear, keyword or vector")
    if settings.query_encoder not in ("auto", "onnx", "torch"):
        raise ConfigError("query_encoder must be auto, onnx or torch")
    if not 0.0 <= settings.vector_weight <= 1.0:
        raise ConfigError("vector_weight must be between 0 and 1")
    from search.endpoints import EndpointError, check_endpoints

    try:
        check_endpoints(settings)
    except EndpointError as exc:
        raise ConfigError(str(exc)) from exc
    return settings
