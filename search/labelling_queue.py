"""The labelling queue over stored customer posts: which unlabelled posts to ask about next.

Candidates are the newest unlabelled customer posts the asker may read; the current model's
class probabilities and the cached vectors go to ``pick_for_labelling``, with ISO weeks as the
groups the picks are spread over. Until the company has ``COLD_START`` labels, the queue first
asks for the most typical post of each k-means cluster of the candidates (largest clusters
first, skipping clusters that already hold a labelled post): coverage before uncertainty.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
from sqlalchemy import and_, select

from search import schema as t
from search.chunking import join_text
from search.models import Document, Principal
from search.sentiment import LABELS, EmbeddingHeadModel, Sentiment, VaderModel, head_features
from search.sentiment_labels import count_labels, labelled_doc_ids
from search.sentiment_queue import pick_for_labelling, typical_points, uncertainty
from search.sentiment_store import get_sentiments, model_for, post_vectors

if TYPE_CHECKING:
    from search.engine import SearchEngine

POOL = 5000
COLD_START = 50


@dataclass(frozen=True)
class QueueItem:
    """A post to label, what the current model thinks of it and how unsure it is."""

    doc: Document
    predicted: str
    probabilities: dict[str, float]
    uncertainty: float

    def to_dict(self) -> dict[str, Any]:
        """Return a JSON-ready dict."""
        return {"id": self.doc.id, "title": self.doc.title, "text": self.doc.text,
                "url": self.doc.url,
                "created_at": self.doc.created_at.isoformat() if self.doc.created_at else None,
                "predicted": self.predicted, "uncertainty": round(self.uncertainty, 4),
                "probabilities": {k: round(v, 4) for k, v in self.probabilities.items()}}


def candidate_nums(engine: SearchEngine, principal: Principal, pool: int = POOL) -> list[int]:
    """Return the newest readable customer posts that nobody has labelled yet."""
    d = t.documents.c
    with engine.store.engine.connect() as conn:
        rows = conn.execute(select(d.num, d.id).where(d.audience == "customer")
                            .order_by(d.created_at.desc(), d.num.desc())).all()
    labelled = labelled_doc_ids(engine.store)
    nums = [int(r.num) for r in rows if r.id not in labelled]
    readable = engine.store.readable_nums(nums, principal) if nums else set()
    return [n for n in nums if n in readable][:pool]


def probabilities(engine: SearchEngine, docs: list[Document], vectors: np.ndarray) -> np.ndarray:
    """Return the serving model's class probabilities (stored confidences for other models)."""
    model = model_for(engine)
    texts = [join_text(doc.title, doc.text) for doc in docs]
    if isinstance(model, EmbeddingHeadModel) and model.reads_vectors_of(engine.embedder.name):
        return model.head.probabilities(head_features(vectors, VaderModel().features(texts)))
    known = scored_by(engine, docs, model.version)  # a fine-tune would re-embed 5,000 posts
    todo = [row for row, doc in enumerate(docs) if doc.id not in known]
    fresh = dict(zip(todo, model.predict([texts[row] for row in todo]), strict=True))
    out = np.full((len(docs), len(LABELS)), 0.0)
    for row, doc in enumerate(docs):
        s = known.get(doc.id) or fresh[row]
        out[row] = (1.0 - s.confidence) / (len(LABELS) - 1)
        out[row, LABELS.index(s.label)] = s.confidence
    return out


def scored_by(engine: SearchEngine, docs: list[Document], version: str) -> dict[str, Sentiment]:
    """Return the stored sentiment of each post that model ``version`` scored, by document id."""
    nums = engine.store.nums_for([doc.id for doc in docs])
    stored = get_sentiments(engine.store, list(nums.values()))
    return {doc_id: stored[num].sentiment for doc_id, num in nums.items()
            if num in stored and stored[num].model == version}


def week_groups(docs: list[Document]) -> list[int]:
    """Return an ISO-week number per post (-1 when it has no timestamp)."""
    out = []
    for doc in docs:
        if doc.created_at is None:
            out.append(-1)
        else:
            year, week, _day = doc.created_at.isocalendar()
            out.append(year * 100 + week)
    return out


def labelling_queue(engine: SearchEngine, principal: Principal, limit: int = 20,
                    pool: int = POOL) -> list[QueueItem]:
    """Return up to ``limit`` unlabelled customer posts whose labels would teach the most."""
    nums = candidate_nums(engine, principal, pool)
    if not nums or limit <= 0:
        return []
    stored = {s.num: s for s in engine.store.stored_by_nums(nums)}
    order = [n for n in nums if n in stored]
    docs = [stored[n].doc for n in order]
    vectors = post_vectors(engine, [(doc.title, doc.text) for doc in docs])
    probs = probabilities(engine, docs, vectors)
    picks = cold_start(engine, docs, vectors,
                       min(limit, COLD_START - count_labels(engine.store)))
    picks += pick_for_labelling(probs, vectors, limit - len(picks), groups=week_groups(docs),
                                exclude=set(picks))
    unsure = uncertainty(probs)
    return [QueueItem(docs[i], str(LABELS[int(np.argmax(probs[i]))]),
                      {str(label): float(probs[i][j]) for j, label in enumerate(LABELS)},
                      float(unsure[i])) for i in picks]


def cold_start(engine: SearchEngine, docs: list[Document], vectors: np.ndarray,
               count: int) -> list[int]:
    """Return up to ``count`` rows of ``vectors`` (the candidates ``docs``): typical points of
    the clusters of candidates and labelled posts together that hold no labelled post yet.

    The clusters do not move as posts are labelled: always ``COLD_START`` of them, over the
    same posts in the same (id) order. So a label takes its post's cluster off the queue and
    leaves the other picks where they were."""
    if count <= 0 or len(vectors) == 0:
        return []
    ids = sorted(labelled_doc_ids(engine.store))
    known_docs = engine.store.get_documents(ids) if ids else []
    known = (post_vectors(engine, [(d.title, d.text) for d in known_docs]) if known_docs
             else vectors[:0])
    both = np.vstack([vectors, known]) if len(known) else vectors
    order = np.argsort([d.id for d in [*docs, *known_docs]], kind="stable")
    position = np.empty(len(order), dtype=np.int64)
    position[order] = np.arange(len(order))
    covered = position[len(vectors):].tolist()
    picks = typical_points(both[order], count, covered=covered, clusters=COLD_START)
    return [int(order[i]) for i in picks if order[i] < len(vectors)]


def readable_customer_post(engine: SearchEngine, doc_id: str, principal: Principal) -> bool:
    """Tell whether ``doc_id`` is a customer post that ``principal`` may read."""
    d = t.documents.c
    with engine.store.engine.connect() as conn:
        num = conn.execute(select(d.num).where(and_(d.id == doc_id, d.audience == "customer"))
                           ).scalar()
    return num is not None and bool(engine.store.readable_nums([int(num)], principal))

