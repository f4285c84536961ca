"""The stored-post labelling queue: a cold start by coverage, then uncertainty (hashing vectors)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest

import search.labelling_queue as queue_module
from search.config import Settings
from search.embedder import HashingEmbedder
from search.engine import SearchEngine
from search.labelling_queue import labelling_queue
from search.models import Principal
from search.sentiment_labels import record_label
from tests.voice.conftest import START, post

TOPICS = {  # topic → (size, words); disjoint vocabularies make tight clusters
    "wifi": (12, "wifi router signal bandwidth hotspot"),
    "bags": (8, "suitcase luggage carousel baggage claim"),
    "food": (4, "sandwich coffee snack meal breakfast"),
}


@pytest.fixture()
def topic_engine(tmp_path: Path) -> Iterator[SearchEngine]:
    """An engine holding three clusters of customer posts of different sizes."""
    engine = SearchEngine(Settings(data_dir=str(tmp_path / "d"), embedder="hashing"),
                          embedder=HashingEmbedder())
    docs, num = [], 0
    for size, words in TOPICS.values():
        for i in range(size):
            docs.append(post(num, f"{words} {words.split()[i % 5]}", START + timedelta(hours=num)))
            num += 1
    engine.upsert(docs)
    yield engine
    engine.close()


def topic_of(text: str) -> str:
    """Return the topic whose words a post uses."""
    return next(name for name, (_size, words) in TOPICS.items() if words.split()[0] in text)


def test_first_questions_cover_every_cluster_largest_first(
        topic_engine: SearchEngine, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(queue_module, "COLD_START", 3)  # one cluster a topic
    items = labelling_queue(topic_engine, Principal.system(), limit=3)
    assert [topic_of(item.doc.text) for item in items] == ["wifi", "bags", "food"]


def test_clusters_with_a_label_are_not_asked_about_again(
        topic_engine: SearchEngine, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(queue_module, "COLD_START", 3)
    record_label(topic_engine.store, "negative", "ann", doc_id="tw:0")  # a wifi post
    items = labelling_queue(topic_engine, Principal.system(), limit=2)
    assert [topic_of(item.doc.text) for item in items] == ["bags", "food"]
    assert "tw:0" not in {item.doc.id for item in items}


def test_a_skipped_post_is_not_asked_about_again_and_does_not_end_the_cold_start(
        topic_engine: SearchEngine, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(queue_module, "COLD_START", 3)
    first = labelling_queue(topic_engine, Principal.system(), limit=3)
    record_label(topic_engine.store, "skip", "ann", doc_id=first[0].doc.id)
    again = labelling_queue(topic_engine, Principal.system(), limit=3)
    assert first[0].doc.id not in {item.doc.id for item in again}
    assert len(again) == 3  # a skip is not a label: the cold start still asks for three


def test_after_the_cold_start_the_queue_is_uncertainty_sampling(
        topic_engine: SearchEngine, monkeypatch: pytest.MonkeyPatch) -> None:
    from search.sentiment_queue import pick_for_labelling

    monkeypatch.setattr(queue_module, "COLD_START", 0)
    seen: list[int] = []

    def cold(*args: object, **kwargs: object) -> list[int]:
        seen.append(1)
        return []

    monkeypatch.setattr(queue_module, "typical_points", cold)
    items = labelling_queue(topic_engine, Principal.system(), limit=5)
    assert len(items) == 5 and not seen
    nums = queue_module.candidate_nums(topic_engine, Principal.system())
    stored = {s.num: s for s in topic_engine.store.stored_by_nums(nums)}
    docs = [stored[n].doc for n in nums if n in stored]
    vectors = queue_module.post_vectors(topic_engine, [(d.title, d.text) for d in docs])
    probs = queue_module.probabilities(topic_engine, docs, vectors)
    expected = pick_for_labelling(probs, vectors, 5, groups=queue_module.week_groups(docs))
    assert [item.doc.id for item in items] == [docs[i].id for i in expected]


def test_a_model_without_reusable_vectors_is_read_from_the_stored_sentiment(
        topic_engine: SearchEngine) -> None:
    from search.sentiment_store import set_model
    from search.sentiment_versions import rescore
    from tests.voice.test_sentiment_store import CountingModel

    model = CountingModel()  # as a fine-tune: it would embed every candidate again
    set_model(topic_engine, model)
    rescore(topic_engine)
    model.seen.clear()
    assert len(labelling_queue(topic_engine, Principal.system(), limit=5)) == 5
    assert model.seen == []  # every candidate's stored sentiment is this model's


@pytest.mark.parametrize("labelled", [0, 2, 4])
def test_a_label_takes_its_post_off_the_queue_and_leaves_the_rest_in_place(
        topic_engine: SearchEngine, monkeypatch: pytest.MonkeyPatch, labelled: int) -> None:
    monkeypatch.setattr(queue_module, "COLD_START", 10)
    before = [item.doc.id for item in labelling_queue(topic_engine, Principal.system(), limit=6)]
    record_label(topic_engine.store, "positive", "ann", doc_id=before[labelled])
    after = [item.doc.id for item in labelling_queue(topic_engine, Principal.system(), limit=6)]
    kept = [doc_id for doc_id in before if doc_id != before[labelled]]
    assert after[:5] == kept and before[labelled] not in after
