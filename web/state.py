"""Per-app shared objects: settings, the engine and the helpers built on it (opened lazily)."""

from __future__ import annotations

import secrets
import threading
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from flask import current_app

from search.config import Settings
from search.engine import SearchEngine
from web.accounts import Accounts
from web.cursor import CursorCodec
from web.spelling import PublicVocabulary

EXTENSION = "socialsearch"


class WebState:
    """Everything the blueprints share; heavy parts are opened on first use, once."""

    def __init__(self, settings: Settings, engine: SearchEngine | None = None,
                 secret_key: str | None = None) -> None:
        self.settings = settings
        self._engine = engine
        self._lock = threading.RLock()
        self._cache: dict[str, Any] = {}
        self.cursors = CursorCodec(secret_key or settings.secret_key or secrets.token_hex(32))
        self.executor = ThreadPoolExecutor(max_workers=4, thread_name_prefix="socialsearch-bg")

    @property
    def anonymous_allowed(self) -> bool:
        """Tell whether requests without identity may read public documents."""
        return self.settings.anonymous_access or self.settings.demo_mode

    @property
    def engine(self) -> SearchEngine:
        """Return the engine, opening it from the settings on first use."""
        if self._engine is None:
            with self._lock:
                if self._engine is None:
                    self._engine = SearchEngine(self.settings)
        return self._engine

    def _once(self, name: str, factory: Any) -> Any:
        value = self._cache.get(name)
        if value is None:
            with self._lock:
                value = self._cache.get(name)
                if value is None:
                    value = factory()
                    self._cache[name] = value
        return value

    @property
    def accounts(self) -> Accounts:
        """Return the token and audit store (tables created on the store's database)."""
        accounts: Accounts = self._once("accounts", lambda: Accounts(self.engine.store.engine))
        return accounts

    @property
    def vocabulary(self) -> PublicVocabulary:
        """Return the public vocabulary used for "did you mean"."""
        vocab: PublicVocabulary = self._once("vocab", lambda: PublicVocabulary(self.engine.store))
        return vocab

    def component(self, name: str, factory: Any) -> Any:
        """Return a named helper built once by ``factory`` (experts, people, voice …)."""
        return self._once(f"component:{name}", factory)

    def close(self) -> None:
        """Stop background work and write the audit entries still queued (tests, shutdown)."""
        self.executor.shutdown(wait=True, cancel_futures=False)
        accounts: Accounts | None = self._cache.get("accounts")
        if accounts is not None:
            accounts.flush()


def get_state() -> WebState:
    """Return the current app's shared state."""
    state: WebState = current_app.extensions[EXTENSION]
    return state
