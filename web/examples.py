"""The home page's example questions, taken from the tags of what the asker may read."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, TypeVar

from search.models import Principal

if TYPE_CHECKING:
    from search.engine import SearchEngine

CHAT_KINDS = frozenset({"chat", "thread"})  # their tags are channel names, not subjects
T = TypeVar("T")


class HomeExamples:
    """Example questions on the subjects most written about, per asker and store state."""

    def __init__(self, engine: SearchEngine) -> None:
        self.engine = engine

    def _per_asker(self, name: str, principal: Principal, load: Callable[[], T]) -> T:
        """Return ``load()`` once per access-token set and store state (the engine's read cache)."""
        reads = self.engine.reads
        return reads.shared((name, tuple(principal.tokens() or ["*"])), reads.refresh(), load)

    def hears_customers(self, principal: Principal) -> bool:
        """Tell whether ``principal`` may read any customer post (else the page offers none)."""
        return self._per_asker("home-customers", principal,
                               lambda: self.engine.store.has_readable(principal, "customer"))

    def for_principal(self, principal: Principal) -> list[tuple[str, str]]:
        """Return ``(mode, question)`` examples on the commonest tags ``principal`` may read."""
        return self._per_asker("home-examples", principal, lambda: self._examples(principal))

    def _examples(self, principal: Principal) -> list[tuple[str, str]]:
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
        return examples
