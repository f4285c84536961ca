"""Split long documents into overlapping passages for the vector index."""

from __future__ import annotations

import hashlib

from search.emoji_words import emoji_as_words

MAX_CHUNKS = 1024
CHUNK_WORDS = 160
CHUNK_OVERLAP = 40


def repeats_first_line(title: str, text: str) -> bool:
    """Tell whether ``title`` is just ``text``'s first line, whole or cut short with "…".

    Indexers give a post without a title of its own (a tweet, a review, a chat message) its
    first line as the title; putting that in front of the text again would count those words
    twice when the post is embedded or classified.
    """
    heading = title.strip()
    line = next((part.strip() for part in text.splitlines() if part.strip()), "")
    if not heading or not line:
        return False
    if heading.endswith("…"):
        cut = heading[:-1].rstrip()
        return bool(cut) and line.startswith(cut)
    return heading == line


def join_text(title: str, text: str) -> str:
    """Return a post's title (if any, and not just its first line) and body as one text."""
    if repeats_first_line(title, text):
        return text.strip()
    return "\n".join(part.strip() for part in (title, text) if part and part.strip())


def passages(title: str, text: str, words: int = CHUNK_WORDS,
             overlap: int = CHUNK_OVERLAP) -> list[str]:
    """Return the passages to embed: the title followed by a window of the text.

    The first window goes without the title when the title only repeats its first line.
    """
    tokens = text.split()
    if not tokens:
        return [title.strip()] if title.strip() else []
    step = max(1, words - overlap)
    chunks: list[str] = []
    repeated = repeats_first_line(title, text)
    for start in range(0, len(tokens), step):
        window = " ".join(tokens[start : start + words])
        prefixed = title.strip() and not (start == 0 and repeated)
        chunks.append(f"{title.strip()}\n{window}" if prefixed else window)
        if start + words >= len(tokens) or len(chunks) >= MAX_CHUNKS:
            break
    return chunks


def passage_key(model_name: str, passage: str) -> str:
    """Return the embedding-cache key of a passage for one model (of the text the model reads).

    Embedders read emoji as their names, so the key is taken over that text: a vector cached
    before emoji were spelled out is not reused for a passage that has them.
    """
    return hashlib.sha256(f"{model_name}\n{emoji_as_words(passage)}".encode()).hexdigest()
