"""Small pieces of wording shared by the command line, the indexers and the web page."""

from __future__ import annotations


def plural(count: int, noun: str, nouns: str | None = None) -> str:
    """Return a count with its noun: "1 post", "1,203 posts" (``nouns``: an irregular plural)."""
    return f"{count:,} {noun if count == 1 else nouns or noun + 's'}"
