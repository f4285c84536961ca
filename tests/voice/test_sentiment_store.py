"""Sentiment is classified once, at index time, and kept in the store."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np

from search.config import Settings
from search.embedder import HashingEmbedder
from search.engine import SearchEngine
from search.models import Document
from search.sentiment import LABELS, EmbeddingHeadModel, Sentiment, SentimentHead, VaderModel
from search.sentiment_store import classify_texts, count_classified, get_sentiments, set_model
from tests.voice.conftest import START, post


class CountingModel:
    """A fake model that remembers every text it classified."""

    def __init__(self, version: str = "count-1") -> None:
        self.version = version
        self.seen: list[str] = []

    def predict(self, texts: Sequence[str]) -> list[Sentiment]:
        self.seen += list(texts)
        return [Sentiment("negative" if "bad" in t else "positive", -0.5 if "bad" in t else 0.5,
                          0.9) for t in texts]


def make_engine(tmp_path: Path) -> SearchEngine:
    return SearchEngine(Settings(data_dir=str(tmp_path / "d"), embedder="hashing"),
                        embedder=HashingEmbedder())


def nums(engine: SearchEngine, ids: list[str]) -> list[int]:
    found = engine.store.nums_for(ids)
    return [found[i] for i in ids]


def test_customer_posts_are_classified_at_index_time(tmp_path: Path) -> None:
    engine = make_engine(tmp_path)
    internal = Document(id="wiki:1", source="wiki", kind="wiki", title="bad page", text="bad")
    engine.upsert([post(1, "this is bad", START), post(2, "lovely", START), internal])
    stored = get_sentiments(engine.store, nums(engine, ["tw:1", "tw:2", "wiki:1"]))
    assert count_classified(engine.store) == 2
    labels = {s.doc_id: s.sentiment.label for s in stored.values()}
    assert labels == {"tw:1": "negative", "tw:2": "positive"}
    assert all(s.model == VaderModel.version for s in stored.values())
    engine.close()


def test_unchanged_posts_are_not_classified_again(tmp_path: Path) -> None:
    engine = make_engine(tmp_path)
    model = CountingModel()
    set_model(engine, model)
    docs = [post(1, "bad wifi", START), post(2, "good seats", START)]
    engine.upsert(docs)
    assert sorted(model.seen) == ["bad wifi", "good seats"]
    engine.upsert(docs)  # unchanged: skipped by the store
    engine.reindex()  # every document re-synced: the hook must still skip them
    assert len(model.seen) == 2
    engine.upsert([post(1, "bad wifi, still bad", START), docs[1]])
    assert model.seen[2:] == ["bad wifi, still bad"]
    engine.close()


def test_a_new_model_version_reclassifies_on_reindex(tmp_path: Path) -> None:
    engine = make_engine(tmp_path)
    set_model(engine, CountingModel("count-1"))
    engine.upsert([post(1, "bad wifi", START)])
    newer = CountingModel("count-2")
    set_model(engine, newer)
    engine.reindex()
    assert newer.seen == ["bad wifi"]
    (stored,) = get_sentiments(engine.store, nums(engine, ["tw:1"])).values()
    assert stored.model == "count-2"
    engine.close()


def test_deleting_a_post_deletes_its_sentiment(tmp_path: Path) -> None:
    engine = make_engine(tmp_path)
    engine.upsert([post(1, "awful delay", START), post(2, "great crew", START)])
    assert count_classified(engine.store) == 2
    engine.delete(["tw:1"])
    assert count_classified(engine.store) == 1
    engine.close()


def test_hooks_can_be_replaced(tmp_path: Path) -> None:
    calls: list[int] = []
    engine = SearchEngine(Settings(data_dir=str(tmp_path / "d"), embedder="hashing"),
                          embedder=HashingEmbedder(),
                          post_sync=[lambda _eng, batch: calls.append(len(batch))])
    engine.upsert([post(1, "awful delay", START)])
    assert calls == [1]
    assert count_classified(engine.store) == 0
    engine.close()


class OwnEncoder:
    """The encoder of a fine-tuned model directory: not the index's embedder."""

    name = "st:model"

    def __init__(self, dimension: int) -> None:
        self.dimension = dimension
        self.texts: list[str] = []

    def embed(self, texts: Sequence[str], batch_size: int = 32) -> np.ndarray:
        self.texts += list(texts)
        return np.zeros((len(texts), self.dimension), dtype=np.float32)


def test_a_fine_tune_reads_its_own_encoder_not_the_index_vectors(tmp_path: Path) -> None:
    engine = make_engine(tmp_path)
    dim = engine.embedder.dimension
    # a fine-tune's head names the encoder it started from, as the index's embedder here
    head = SentimentHead(LABELS, np.zeros((3, dim + 4)), np.zeros(3), np.zeros(dim + 4),
                         np.ones(dim + 4), {"encoder": engine.embedder.name, "version": "ft-1"})
    own = OwnEncoder(dim)
    set_model(engine, EmbeddingHeadModel(head, own))
    classify_texts(engine, [("", "the crew was lovely")])
    assert own.texts == ["the crew was lovely"]  # the index's cached vectors were used instead
    engine.close()


def test_a_title_that_only_repeats_the_first_line_is_not_read_twice(tmp_path: Path) -> None:
    from indexers.customers import CustomerPostsIndexer
    from indexers.runner import run_indexer
    from search.chunking import passage_key, passages
    from search.customer_posts import load_all_posts
    from search.models import Principal

    short = "@united bad wifi again on UA 88"
    long = ("@united the seat was broken and nobody at the gate could tell us anything about "
            "the connection, so we missed it\nsecond line: still waiting for the refund")
    csv = tmp_path / "tweets.csv"
    csv.write_text("tweet_id,text,tweet_created\n"
                   f'1,"{short}",2015-02-24 11:35:52 -0800\n'
                   f'2,"{long}",2015-02-24 11:36:52 -0800\n', encoding="utf-8")
    engine = make_engine(tmp_path)
    model = CountingModel()
    set_model(engine, model)
    run_indexer(engine, CustomerPostsIndexer(csv))
    docs = engine.store.get_documents(sorted(engine.store.content_hashes("customers")))
    assert [d.title for d in docs] == [short, long[:79].rstrip() + "…"]  # what indexers derive
    assert sorted(model.seen) == sorted([short, long])  # classified on the post, once
    for doc in docs:  # embedded as the post alone, the same vectors the benchmarks score
        key = passage_key(engine.embedder.name, passages("", doc.text)[0])
        assert passages(doc.title, doc.text)[0] == passages("", doc.text)[0]
        assert key in engine.store.get_embeddings([key])
    texts = {p.id: p.to_dict()["text"]
             for p in load_all_posts(engine, Principal.anonymous(), None, None)}
    assert sorted(texts.values()) == sorted([short, long])  # shown once, not title + text
    engine.close()


def test_a_real_title_still_leads_the_text() -> None:
    from search.chunking import join_text, passages, repeats_first_line

    titled = "Refund policy\nRefunds take 5 days"
    assert join_text("Refund policy", "Refunds take 5 days") == titled
    assert passages("Refund policy", "Refunds take 5 days") == [titled]
    assert not repeats_first_line("Apache Kafka", "Apache Kafka is a log")  # a title, not a cut
    assert repeats_first_line("Apache Kafka is a…", "Apache Kafka is a log\nmore")
    assert not repeats_first_line("…", "anything")
    words = " ".join(f"w{i}" for i in range(300))
    chunks = passages(words[:20] + "…", words)
    assert not chunks[0].startswith(words[:20] + "…") and chunks[1].startswith(words[:20] + "…")
