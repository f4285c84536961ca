"""Training from stored labels, versions, promotion, rollback and re-scoring (hashing embedder)."""

from __future__ import annotations

from pathlib import Path

import pytest

from search.config import Settings
from search.embedder import HashingEmbedder
from search.engine import SearchEngine
from search.sentiment import EmbeddingHeadModel, VaderModel
from search.sentiment_labels import record_label
from search.sentiment_store import get_sentiments, model_for
from search.sentiment_trainer import prior_for, train
from search.sentiment_training import TrainingDataError
from search.sentiment_versions import (
    SHIPPED,
    VersionError,
    activate,
    active_version,
    list_versions,
    rescore,
    stale_posts,
)
from tests.voice.conftest import corpus


def reopen(engine: SearchEngine) -> SearchEngine:
    """A second engine on the same data, as another process (web app) would open it."""
    return SearchEngine(engine.settings, embedder=HashingEmbedder())


def label_by_topic(engine: SearchEngine, count: int | None = None) -> None:
    """Label posts so VADER cannot win: anything about wifi is 'negative', the rest 'positive'."""
    for doc in corpus()[:count]:
        label = "negative" if "wifi" in doc.text.lower() else "positive"
        record_label(engine.store, label, "ann", doc_id=doc.id)


def test_training_promotes_a_better_model_and_it_serves(voice_engine: SearchEngine) -> None:
    label_by_topic(voice_engine)
    result = train(voice_engine, "ann")
    assert result.promoted, result.reason
    held = result.heldout
    assert held["candidate"].macro_f1 > held["current"].macro_f1
    assert result.cv is not None and set(result.cv.baselines) == {"current", "vader"}
    assert result.cv.model.macro_f1 > result.cv.baselines["vader"].macro_f1
    version = result.version.version
    assert model_for(voice_engine).version == version  # the training process serves it at once
    assert (Path(voice_engine.settings.data_path) / "models" / "sentiment"
            / f"{version}.npz").is_file()
    stored = active_version(voice_engine.store)
    assert stored is not None and stored.version == version and stored.created_by == "ann"
    assert stored.labels == len(corpus()) and stored.heldout["candidate"]["macro_f1"] > 0
    other = reopen(voice_engine)
    try:
        model = model_for(other)
        assert isinstance(model, EmbeddingHeadModel) and model.version == version
        assert len(stale_posts(other.store, version)) == len(corpus())
        assert rescore(other) == len(corpus())
        assert stale_posts(other.store, version) == []
        nums = list(other.store.nums_for([d.id for d in corpus()]).values())
        assert {s.model for s in get_sentiments(other.store, nums).values()} == {version}
    finally:
        other.close()


def test_rollback_to_shipped_and_forward_again(voice_engine: SearchEngine) -> None:
    label_by_topic(voice_engine)
    version = train(voice_engine, "ann").version.version
    activate(voice_engine, SHIPPED)
    assert active_version(voice_engine.store) is None
    assert isinstance(model_for(voice_engine), VaderModel)
    other = reopen(voice_engine)
    try:
        assert isinstance(model_for(other), VaderModel)  # hashing embedder: auto is VADER
    finally:
        other.close()
    activate(voice_engine, version)
    assert [v.status for v in list_versions(voice_engine.store)] == ["active"]
    with pytest.raises(VersionError, match="no sentiment model version"):
        activate(voice_engine, "company-nope")
    assert active_version(voice_engine.store).version == version  # type: ignore[union-attr]


def test_a_model_that_does_not_beat_the_current_one_is_stored_not_promoted(
        voice_engine: SearchEngine) -> None:
    for doc in corpus():  # labels VADER gets right: the current model is hard to beat
        record_label(voice_engine.store, model_for(voice_engine).predict([doc.text])[0].label,
                     "ann", doc_id=doc.id)
    result = train(voice_engine, "ann")
    assert not result.promoted and "not promoted" in result.reason
    assert active_version(voice_engine.store) is None
    assert [v.status for v in list_versions(voice_engine.store)] == ["candidate"]
    forced = train(voice_engine, "ann", force=True)
    assert forced.promoted and "--force" in forced.reason


def test_a_head_the_cross_validation_finds_worse_is_not_promoted(
        voice_engine: SearchEngine, monkeypatch: pytest.MonkeyPatch) -> None:
    from dataclasses import replace

    import search.sentiment_trainer as trainer

    real = trainer.cross_validate

    def swapped(*args, **kwargs):  # type: ignore[no-untyped-def]
        cv = real(*args, **kwargs)  # the folds find the serving model better than the head
        return replace(cv, model=cv.baselines["current"],
                       baselines={**cv.baselines, "current": cv.model})

    monkeypatch.setattr(trainer, "cross_validate", swapped)
    label_by_topic(voice_engine)
    result = train(voice_engine, "ann")
    assert result.heldout["candidate"].macro_f1 > result.heldout["current"].macro_f1
    assert not result.promoted and "but cross-validated" in result.reason
    assert active_version(voice_engine.store) is None
    assert train(voice_engine, "ann", force=True).promoted


@pytest.mark.parametrize(("count", "message"), [(10, "only 10 labels: at least 30"),
                                                (25, "only 25 labels: at least 30"),
                                                (0, "only 0 labels: at least 30")])
def test_too_few_labels_promote_nothing(voice_engine: SearchEngine, count: int,
                                        message: str) -> None:
    for i, doc in enumerate(corpus()[:count]):
        record_label(voice_engine.store, ("negative", "positive")[i % 2], "ann", doc_id=doc.id)
    with pytest.raises(TrainingDataError, match=message):
        train(voice_engine, "ann")
    assert list_versions(voice_engine.store) == []


def test_one_class_only_is_refused(voice_engine: SearchEngine) -> None:
    for doc in corpus():
        record_label(voice_engine.store, "positive", "ann", doc_id=doc.id)
    with pytest.raises(TrainingDataError, match="at least two classes"):
        train(voice_engine, "ann")
    assert list_versions(voice_engine.store) == []


def test_a_class_too_thin_for_the_held_out_part_is_refused(voice_engine: SearchEngine) -> None:
    # 2 of 56 positive: the stratified 20% holds none, and an always-negative head scored 1.000
    for i, doc in enumerate(corpus()):
        record_label(voice_engine.store, "positive" if i < 2 else "negative", "ann", doc_id=doc.id)
    with pytest.raises(TrainingDataError, match="only 2 'positive' labels: too few for the held"):
        train(voice_engine, "ann")
    assert list_versions(voice_engine.store) == [] and active_version(voice_engine.store) is None


def test_a_crash_while_promoting_keeps_the_old_model(voice_engine: SearchEngine,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    label_by_topic(voice_engine)
    first = train(voice_engine, "ann").version.version
    import search.sentiment_versions as versions

    def broken_insert(*_args: object, **_kwargs: object) -> None:
        raise RuntimeError("killed")

    monkeypatch.setattr(versions, "insert", broken_insert)
    with pytest.raises(RuntimeError, match="killed"):
        train(voice_engine, "ann", force=True)
    assert [(v.version, v.status) for v in list_versions(voice_engine.store)] == [
        (first, "active")]


def test_text_only_labels_train_too(tmp_path: Path) -> None:
    engine = SearchEngine(Settings(data_dir=str(tmp_path / "d"), embedder="hashing"),
                          embedder=HashingEmbedder())
    try:
        for i in range(20):
            record_label(engine.store, "negative", "ann", text=f"the wifi broke again {i}")
            record_label(engine.store, "positive", "ann", text=f"lovely seats and crew {i}")
        result = train(engine, "ann", force=True)
        assert result.promoted and result.version.labels == 40
    finally:
        engine.close()


def test_the_shipped_head_is_the_prior_only_for_its_own_embedder(
        voice_engine: SearchEngine) -> None:
    from types import SimpleNamespace

    from search.embedder import MODEL_NAME
    from search.sentiment import HEAD_PATH, SentimentHead

    shipped = SentimentHead.load(HEAD_PATH)
    same = SimpleNamespace(embedder=SimpleNamespace(name=MODEL_NAME, dimension=shipped.dimension))
    prior = prior_for(same)  # type: ignore[arg-type]
    assert prior is not None and prior.version == shipped.version
    assert prior_for(voice_engine) is None  # hashing vectors: the shipped head does not fit
    other = SimpleNamespace(embedder=SimpleNamespace(name=MODEL_NAME, dimension=128))
    assert prior_for(other) is None  # type: ignore[arg-type]
    assert prior_for(same, voice_engine.settings.data_path) is None  # type: ignore[arg-type]
    label_by_topic(voice_engine)
    assert train(voice_engine, "ann").version.settings["prior"] is None


def test_training_pulls_towards_the_prior_when_it_fits(voice_engine: SearchEngine,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    import numpy as np

    import search.sentiment_trainer as trainer
    from search.sentiment import LABELS, SentimentHead

    width = voice_engine.embedder.dimension + 4
    prior = SentimentHead(LABELS, np.zeros((3, width), np.float32), np.zeros(3, np.float32),
                          np.zeros(width, np.float32), np.ones(width, np.float32),
                          {"version": "prior-under-test"})
    seen: list[SentimentHead | None] = []
    real = trainer.train_head

    def spy(*args: object, **kwargs: object) -> SentimentHead:
        seen.append(kwargs.get("prior"))  # type: ignore[arg-type]
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(trainer, "prior_for", lambda _engine: prior)
    monkeypatch.setattr(trainer, "train_head", spy)
    label_by_topic(voice_engine)
    result = train(voice_engine, "ann", force=True)
    assert seen and all(p is prior for p in seen)
    assert result.version.settings["prior"] == "prior-under-test"  # a tie goes to the prior
    assert result.version.settings["prior_offered"] == "prior-under-test"
    stored = SentimentHead.load(Path(voice_engine.settings.data_path) / result.version.path)
    assert stored.meta["prior"] == "prior-under-test"


def test_c_and_prior_are_chosen_without_the_held_out_labels(voice_engine: SearchEngine,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    import math

    import search.sentiment_trainer as trainer

    sizes: list[tuple[str, int]] = []
    real_pick, real_train = trainer.pick_setting, trainer.train_head

    def pick(features, labels, **kwargs):  # type: ignore[no-untyped-def]
        sizes.append(("pick", len(labels)))
        return real_pick(features, labels, **kwargs)

    def fit(features, labels, **kwargs):  # type: ignore[no-untyped-def]
        sizes.append(("train", len(labels)))
        return real_train(features, labels, **kwargs)

    monkeypatch.setattr(trainer, "pick_setting", pick)
    monkeypatch.setattr(trainer, "train_head", fit)
    label_by_topic(voice_engine)
    result = train(voice_engine, "ann")
    total = len(corpus())
    held = int(sum(r["support"] for r in result.heldout["candidate"].report.values()))
    assert held == math.ceil(total * 0.2)  # scikit-learn rounds the test part up
    assert sizes == [("pick", total - held), ("train", total - held), ("train", total)]
