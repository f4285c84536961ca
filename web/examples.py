"""The home page's example questions, taken from the tags of what the asker may read."""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING

from search.models import Principal

if TYPE_CHECKING:
    from search.engine import SearchEngine

CHAT_KINDS = frozenset({"chat", "thread"})  # their tags are channel names, not subjects
KEEP = 64  # access-token sets remembered per store state


class HomeExamples:
    """Example questions on the subjects most written about, per asker and store state."""

    def __init__(self, engine: SearchEngine) -> None:
        self.engine = engine
        self._lock = threading.Lock()
        self._cache: dict[tuple[object, ...], list[tuple[str, str]]] = {}
        self._heard: dict[tuple[object, ...], bool] = {}

    def hears_customers(self, principal: Principal) -> bool:
        """Tell whether ``principal`` may read any customer post (else the page offers none)."""
        key = (tuple(principal.tokens() or ["*"]), self.engine.store.current_seq())
        with self._lock:
            if key in self._heard:
                return self._heard[key]
        heard = self.engine.store.has_readable(principal, "customer")
        with self._lock:
            if len(self._heard) >= KEEP:
                self._heard.clear()
            self._heard[key] = heard
        return heard

    def for_principal(self, principal: Principal) -> list[tuple[str, str]]:
        """Return ``(mode, question)`` examples on the commonest tags ``principal`` may read."""
        key = (tuple(principal.tokens() or ["*"]), self.engine.store.current_seq())
        with self._lock:
            if key in self._cache:
                return self._cache[key]
        store = self.engine.store
        internal = [tag for tag, _ in
                    store.recent_tags(principal, "internal", CHAT_KINDS).most_common(2)]
        products = [tag for tag, _ in store.recent_tags(principal, "customer").most_common(3)]
        examples: list[tuple[str, str]] = []
        if internal:
            examples += [("search", internal[0]), ("experts", f"who knows about {internal[-1]}")]
        if products:  # a subject the other two examples have not used already, if there is one
            product = next((p for p in products if p not in internal), products[0])
            examples.append(("voice", f"what are customers saying about {product}"))
        with self._lock:
            if len(self._cache) >= KEEP:
                self._cache.clear()
            self._cache[key] = examples
        return examples
