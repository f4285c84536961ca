"""Validate (before any work) and probe the store URL and the Milvus endpoint of the settings."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

if TYPE_CHECKING:
    from search.config import Settings

STORE_DIALECTS = ("sqlite", "postgresql")
MILVUS_SCHEMES = ("http", "https", "tcp", "grpc")
COLLECTION_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]{0,200}$")
LITE_FILE = re.compile(r"^[A-Za-z0-9.\-_]{1,35}$")


class EndpointError(ValueError):
    """A store URL or Milvus URI is malformed, or the endpoint does not answer."""


def check_store_url(url: str) -> None:
    """Reject a store URL that is not a well-formed SQLite or PostgreSQL SQLAlchemy URL."""
    if not url:
        return
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError

    try:
        parsed = make_url(url)
    except (ArgumentError, ValueError) as exc:
        raise EndpointError(f"store_url {url!r} is malformed: {exc}") from exc
    dialect = parsed.get_backend_name()
    if dialect not in STORE_DIALECTS:
        raise EndpointError(
            f"store_url uses {dialect!r}; supported: sqlite:///PATH and "
            "postgresql+psycopg://USER:PASSWORD@HOST:PORT/DATABASE"
        )
    if dialect == "postgresql" and not parsed.database:
        raise EndpointError("store_url names no database: postgresql+psycopg://…@HOST/DATABASE")
    if dialect == "postgresql" and not (parsed.host or parsed.query.get("host")):
        raise EndpointError("store_url names no host: postgresql+psycopg://…@HOST:PORT/DATABASE")
    if dialect == "sqlite" and not parsed.database:
        raise EndpointError("store_url names no SQLite file: sqlite:///PATH")


def check_milvus_uri(uri: str) -> None:
    """Reject a Milvus URI that is neither ``http(s)://HOST[:PORT]`` nor a Milvus Lite ``*.db``."""
    if not uri:
        return
    if "://" not in uri:
        name = uri.rstrip("/").rsplit("/", 1)[-1]
        if not name.endswith(".db") or not LITE_FILE.match(name):
            raise EndpointError(
                f"milvus_uri {uri!r} is malformed: use http://HOST:19530, "
                "https://HOST (Zilliz Cloud) or a Milvus Lite file such as ./milvus.db"
            )
        return
    parts = urlsplit(uri)
    try:
        port = parts.port
    except ValueError as exc:
        raise EndpointError(f"milvus_uri {uri!r} has a bad port") from exc
    if parts.scheme not in MILVUS_SCHEMES or not parts.hostname:
        raise EndpointError(
            f"milvus_uri {uri!r} is malformed: use http://HOST:19530 or https://HOST"
        )
    if port == 0:
        raise EndpointError(f"milvus_uri {uri!r} has a bad port")


def check_endpoints(settings: Settings) -> None:
    """Validate the backend choice, the store URL and the Milvus settings (no network)."""
    if settings.index_backend not in ("local", "milvus"):
        raise EndpointError(
            f"index_backend must be 'local' or 'milvus', got {settings.index_backend!r}"
        )
    check_store_url(settings.store_url)
    check_milvus_uri(settings.milvus_uri)
    if not COLLECTION_NAME.match(settings.milvus_collection):
        raise EndpointError(
            f"milvus_collection {settings.milvus_collection!r} must be letters, digits and "
            "underscores, starting with a letter"
        )


def probe(settings: Settings) -> list[tuple[str, str, str]]:
    """Connect to the store and (for Milvus) the index; return ``(part, endpoint, status)``."""
    from search.store import Store, StoreError, display_url

    rows: list[tuple[str, str, str]] = []
    url = settings.resolved_store_url
    try:
        store = Store(url, migrate=False)
        rows.append(("store", display_url(url), f"ok, {store.count_documents()} documents"))
        store.close()
    except StoreError as exc:
        rows.append(("store", display_url(url), f"FAILED: {_one_line(exc)}"))
    if settings.index_backend == "milvus":
        rows.append(_probe_milvus(settings))
    return rows


def _probe_milvus(settings: Settings) -> tuple[str, str, str]:
    from search.backends import milvus_uri

    uri = milvus_uri(settings)
    try:
        from pymilvus import MilvusClient

        from search.milvus_schema import quiet_client

        with quiet_client():
            client = MilvusClient(uri=uri, token=settings.milvus_token, timeout=10)
            found = client.has_collection(settings.milvus_collection)
            client.close()
    except ImportError:
        return ("index", uri, "FAILED: pip install 'socialsearch[cluster]'")
    except Exception as exc:
        return ("index", uri, f"FAILED: Milvus at {uri} is unreachable: {_one_line(exc)}")
    state = "collection present" if found else "collection not created yet"
    return ("index", uri, f"ok, Milvus answers, {state}")


def _one_line(exc: BaseException) -> str:
    return " ".join(str(exc).split())
