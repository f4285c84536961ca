"""Split long documents into overlapping passages for the vector index."""

from __future__ import annotations

import hashlib

MAX_CHUNKS = 1024
CHUNK_WORDS = 160
CHUNK_OVERLAP = 40


def passages(title: str, text: str, words: int = CHUNK_WORDS,
             overlap: int = CHUNK_OVERLAP) -> list[str]:
    """Return the passages to embed: the title followed by a window of the text."""
    tokens = text.split()
    if not tokens:
        return [title.strip()] if title.strip() else []
    step = max(1, words - overlap)
    chunks: list[str] = []
    for start in range(0, len(tokens), step):
        window = " ".join(tokens[start : start + words])
        chunks.append(f"{title.strip()}\n{window}" if title.strip() else window)
        if start + words >= len(tokens) or len(chunks) >= MAX_CHUNKS:
            break
    return chunks


def passage_key(model_name: str, passage: str) -> str:
    """Return the embedding-cache key of a passage for one model."""
    return hashlib.sha256(f"{model_name}\n{passage}".encode()).hexdigest()
