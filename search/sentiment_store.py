"""Sentiment of customer posts, classified once at index time and kept in the store.

``classify_batch`` is the engine's post-sync hook: after a batch of documents is indexed it
classifies the customer posts whose text (or the configured model) changed since they were last
classified. Unchanged posts are never classified twice.
"""

from __future__ import annotations

import hashlib
import logging
import time
import weakref
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

import numpy as np
from sqlalchemy import delete, insert, select

from search import schema as t
from search.chunking import join_text, passage_key, passages
from search.emoji_words import emoji_as_words
from search.models import Document
from search.sentiment import (
    EmbeddingHeadModel,
    Sentiment,
    SentimentModel,
    SentimentModelError,
    VaderModel,
    load_sentiment_model,
)
from search.store import Store, StoredDoc

if TYPE_CHECKING:
    from search.engine import SearchEngine

log = logging.getLogger(__name__)
CHUNK = 500
_MODELS: weakref.WeakKeyDictionary[Any, SentimentModel] = weakref.WeakKeyDictionary()
_CHECKED: weakref.WeakKeyDictionary[Any, float] = weakref.WeakKeyDictionary()
RECHECK_SECONDS = 30.0


@dataclass(frozen=True)
class StoredSentiment:
    """A stored classification: the sentiment, the model that made it and when."""

    num: int
    doc_id: str
    sentiment: Sentiment
    model: str
    text_hash: str
    at: datetime


def post_text(doc: Document) -> str:
    """Return the text a post is classified on: its own title (if any) and its body."""
    return join_text(doc.title, doc.text)


def text_hash(text: str, model_version: str) -> str:
    """Return the hash that tells whether a post must be classified again.

    It is taken over the text the models read (emoji by name), so posts classified before emoji
    were spelled out are classified again when next indexed, and other posts are not.
    """
    return hashlib.sha256(f"{model_version}\n{emoji_as_words(text)}".encode()).hexdigest()


def model_for(engine: SearchEngine) -> SentimentModel:
    """Return the engine's sentiment model (loaded once; VADER if the configured one fails).

    With the ``auto`` setting, a company model promoted in the store (``socialsearch sentiment
    train`` / ``use``) serves instead of the shipped head; a promotion made by another process
    is picked up within ``RECHECK_SECONDS``.
    """
    model = _MODELS.get(engine)
    spec = getattr(engine.settings, "sentiment_model", "auto")
    if model is not None and spec == "auto" and _company_changed(engine, model):
        model = None
    if model is None:
        model = _company_model(engine) if spec == "auto" else None
        try:
            model = model or load_sentiment_model(spec, engine.embedder)
        except SentimentModelError as exc:
            log.error("sentiment model %r unavailable (%s); falling back to VADER", spec, exc)
            model = VaderModel()
        _MODELS[engine] = model
        _CHECKED[engine] = time.monotonic()
    return model


def _company_model(engine: SearchEngine) -> SentimentModel | None:
    from search.sentiment_versions import VersionError, active_name, load_version

    try:
        name = active_name(engine.store)
        return load_version(engine, name) if name else None
    except VersionError as exc:
        log.error("promoted sentiment model unavailable (%s); using the shipped one", exc)
        return None


def _company_changed(engine: SearchEngine, model: SentimentModel) -> bool:
    """Tell (at most every RECHECK_SECONDS) whether the promoted company model changed."""
    now = time.monotonic()
    if now - _CHECKED.get(engine, 0.0) < RECHECK_SECONDS:
        return False
    _CHECKED[engine] = now
    from search.sentiment_versions import active_name

    name = active_name(engine.store)
    return (name or "") != model.version and (name is not None
                                              or model.version.startswith("company-"))


def forget_model(engine: SearchEngine) -> None:
    """Drop the engine's loaded model so the next ``model_for`` loads the configured one."""
    _MODELS.pop(engine, None)
    _CHECKED.pop(engine, None)


def set_model(engine: SearchEngine, model: SentimentModel) -> None:
    """Use ``model`` for this engine from now on (tests, custom deployments)."""
    _MODELS[engine] = model
    _CHECKED[engine] = float("inf")


def post_vectors(engine: SearchEngine, items: Sequence[tuple[str, str]]) -> np.ndarray:
    """Return one embedding per ``(title, text)``, from the index's cache (missing ones computed).

    A post longer than one passage gets the normalised mean of its passage vectors.
    """
    name = engine.embedder.name
    per_doc = [passages(title, text) or [title or text or " "] for title, text in items]
    keys = [[passage_key(name, p) for p in ps] for ps in per_doc]
    cached = engine.store.get_embeddings([k for ks in keys for k in ks])
    missing = {k: p for ps, ks in zip(per_doc, keys, strict=True)
               for p, k in zip(ps, ks, strict=True) if k not in cached}
    if missing:
        fresh = engine.embedder.embed(list(missing.values()))
        cached.update(zip(missing.keys(), fresh, strict=True))
    out = np.zeros((len(items), engine.embedder.dimension), dtype=np.float32)
    for row, ks in enumerate(keys):
        vec = cached[ks[0]] if len(ks) == 1 else np.mean([cached[k] for k in ks], axis=0)
        norm = float(np.linalg.norm(vec))
        out[row] = vec / norm if norm else vec
    return out


def classify(engine: SearchEngine, docs: Sequence[Document]) -> list[Sentiment]:
    """Classify posts with the engine's model, reusing cached embeddings when it can."""
    return classify_texts(engine, [(d.title, d.text) for d in docs])


def classify_texts(engine: SearchEngine, items: Sequence[tuple[str, str]]) -> list[Sentiment]:
    """Classify ``(title, text)`` pairs with the engine's model (cached embeddings reused)."""
    if not items:
        return []
    model = model_for(engine)
    texts = [join_text(title, text) for title, text in items]
    if isinstance(model, EmbeddingHeadModel) and model.reads_vectors_of(engine.embedder.name):
        return model.predict(texts, vectors=post_vectors(engine, items))
    return model.predict(texts)


def classify_batch(engine: SearchEngine, batch: Sequence[StoredDoc]) -> int:
    """Post-sync hook: classify and store the customer posts of ``batch`` that need it."""
    posts = [s for s in batch if s.doc.audience == "customer"]
    if not posts:
        return 0
    version = model_for(engine).version
    hashes = {s.num: text_hash(post_text(s.doc), version) for s in posts}
    known = stored_hashes(engine.store, list(hashes))
    todo = [s for s in posts if known.get(s.num) != hashes[s.num]]
    if not todo:
        return 0
    sentiments = classify(engine, [s.doc for s in todo])
    now = datetime.now(UTC)
    put_sentiments(engine.store, [
        StoredSentiment(s.num, s.doc.id, sent, version, hashes[s.num], now)
        for s, sent in zip(todo, sentiments, strict=True)
    ])
    return len(todo)


def stored_hashes(store: Store, nums: Sequence[int]) -> dict[int, str]:
    """Return ``{num: text hash}`` of the posts already classified."""
    found: dict[int, str] = {}
    with store.engine.connect() as conn:
        for part in _chunks(nums):
            s = t.sentiment.c
            rows = conn.execute(select(s.num, s.text_hash).where(s.num.in_(part)))
            found.update({int(r.num): str(r.text_hash) for r in rows})
    return found


def put_sentiments(store: Store, rows: Iterable[StoredSentiment]) -> None:
    """Insert or replace stored sentiments."""
    values: list[dict[str, Any]] = [
        {"num": r.num, "id": r.doc_id, "label": r.sentiment.label, "score": r.sentiment.score,
         "confidence": r.sentiment.confidence, "model": r.model, "text_hash": r.text_hash,
         "at": r.at}
        for r in rows
    ]
    if not values:
        return
    with store.engine.begin() as conn:
        for part in _chunks([v["num"] for v in values]):
            conn.execute(delete(t.sentiment).where(t.sentiment.c.num.in_(part)))
        conn.execute(insert(t.sentiment), values)


def get_sentiments(store: Store, nums: Sequence[int]) -> dict[int, StoredSentiment]:
    """Return the stored sentiments of these documents (unclassified ones are absent)."""
    found: dict[int, StoredSentiment] = {}
    with store.engine.connect() as conn:
        for part in _chunks(nums):
            for r in conn.execute(select(t.sentiment).where(t.sentiment.c.num.in_(part))):
                found[int(r.num)] = _row(r)
    return found


def count_classified(store: Store) -> int:
    """Return how many posts have a stored sentiment."""
    from sqlalchemy import func

    with store.engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(t.sentiment)).scalar() or 0)


def _row(r: Any) -> StoredSentiment:
    at = r.at if r.at.tzinfo else r.at.replace(tzinfo=UTC)
    return StoredSentiment(int(r.num), str(r.id), Sentiment(r.label, float(r.score),
                           float(r.confidence)), str(r.model), str(r.text_hash), at)


def _chunks(items: Sequence[int]) -> Iterable[list[int]]:
    items = list(items)
    for start in range(0, len(items), CHUNK):
        yield items[start : start + CHUNK]
