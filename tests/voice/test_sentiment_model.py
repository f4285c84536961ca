"""Sentiment models: VADER, the logistic head file format, model loading, and the shipped head."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import numpy as np
import pytest

from search.embedder import HashingEmbedder
from search.sentiment import (
    HEAD_PATH,
    LABELS,
    EmbeddingHeadModel,
    SentimentHead,
    SentimentModelError,
    VaderModel,
    _map_label,
    load_sentiment_model,
    sentiments_from_probabilities,
)


def toy_head(dim: int = 64, encoder: str = "hashing-test") -> SentimentHead:
    coef = np.zeros((3, dim + 4), dtype=np.float32)
    coef[0, dim + 3] = -4.0  # negative <- low VADER compound
    coef[2, dim + 3] = 4.0  # positive <- high VADER compound
    return SentimentHead(LABELS, coef, np.array([0.0, 0.5, 0.0], dtype=np.float32),
                         np.zeros(dim + 4, dtype=np.float32), np.ones(dim + 4, dtype=np.float32),
                         {"encoder": encoder, "version": "toy-1"})


def test_vader_baseline() -> None:
    found = VaderModel().predict(["I love this, great job!", "This is awful and broken.",
                                  "The meeting is at 3pm.", ""])
    assert [s.label for s in found] == ["positive", "negative", "neutral", "neutral"]
    assert found[0].score > 0.5 and found[1].score < -0.5
    assert all(-1 <= s.score <= 1 and 0 <= s.confidence <= 1 for s in found)


def test_head_round_trip_without_pickle(tmp_path: Path) -> None:
    path = tmp_path / "head.npz"
    toy_head().save(path)
    with zipfile.ZipFile(path) as archive:
        for name in archive.namelist():
            with archive.open(name) as fh:
                assert np.lib.format.read_magic(fh)  # plain .npy members
    loaded = SentimentHead.load(path)
    assert loaded.classes == LABELS and loaded.version == "toy-1" and loaded.dimension == 64
    model = EmbeddingHeadModel(loaded, HashingEmbedder())
    found = model.predict(["what a wonderful flight", "terrible, horrible delay"])
    assert [s.label for s in found] == ["positive", "negative"]
    with pytest.raises(SentimentModelError):
        model.predict(["x"], vectors=np.zeros((1, 3), dtype=np.float32))


def test_bad_head_files_are_refused(tmp_path: Path) -> None:
    bad = tmp_path / "bad.npz"
    bad.write_bytes(b"not a zip")
    with pytest.raises(SentimentModelError):
        SentimentHead.load(bad)
    pickled = tmp_path / "pickled.npz"
    np.savez(pickled, classes=np.array(LABELS), coef=np.zeros((3, 5)), intercept=np.zeros(3),
             mean=np.zeros(5), scale=np.ones(5), meta=np.array({"a": 1}, dtype=object))
    with pytest.raises(SentimentModelError):
        SentimentHead.load(pickled)


def test_probabilities_to_sentiments() -> None:
    probs = np.array([[0.7, 0.2, 0.1], [0.1, 0.3, 0.6], [0.3, 0.4, 0.3]])
    found = sentiments_from_probabilities(LABELS, probs)
    assert [s.label for s in found] == ["negative", "positive", "neutral"]
    assert found[0].score == pytest.approx(-0.6) and found[0].confidence == pytest.approx(0.7)


def test_loading_by_setting(tmp_path: Path) -> None:
    assert isinstance(load_sentiment_model("vader"), VaderModel)
    # auto with a non-MiniLM embedder cannot reuse the index's vectors: VADER
    assert isinstance(load_sentiment_model("auto", HashingEmbedder()), VaderModel)
    path = tmp_path / "company.npz"
    toy_head().save(path)
    model = load_sentiment_model(str(path), HashingEmbedder())
    assert isinstance(model, EmbeddingHeadModel) and model.version == "toy-1"
    for bad in ("nonsense", str(tmp_path)):
        with pytest.raises(SentimentModelError):
            load_sentiment_model(bad)
    (tmp_path / "config.json").write_text(json.dumps({"architectures": ["BertModel"]}))
    with pytest.raises(SentimentModelError):
        load_sentiment_model(str(tmp_path))


def test_label_mapping_of_transformers_models() -> None:
    assert _map_label("NEGATIVE", 0, 2) == "negative"
    assert _map_label("LABEL_1", 1, 3) == "neutral"
    assert _map_label("4 stars", 3, 5) == "positive"
    assert _map_label("LABEL_0", 0, 2) == "negative"
    with pytest.raises(SentimentModelError):
        _map_label("joy", 0, 6)


def test_shipped_head_file_is_small_and_documented() -> None:
    head = SentimentHead.load(HEAD_PATH)
    assert HEAD_PATH.stat().st_size < 64_000
    assert head.encoder == "all-MiniLM-L6-v2" and head.dimension == 384
    assert "vaderSentiment" in json.dumps(head.meta["training_data"])


@pytest.mark.slow
def test_shipped_head_with_real_minilm_classifies_clear_sentences(minilm: object) -> None:
    model = load_sentiment_model("auto", minilm)  # type: ignore[arg-type]
    assert isinstance(model, EmbeddingHeadModel)
    texts = ["Thank you so much, the crew was wonderful and we landed early!",
             "My flight was cancelled and nobody at the desk would help. Awful.",
             "What time does the check-in counter open tomorrow?",
             "Lost my bag for the second time this month",
             "Love the new app, booking took two minutes"]
    found = model.predict(texts)
    assert [s.label for s in found] == ["positive", "negative", "neutral", "negative",
                                        "positive"]
    assert found[0].score > 0.3 and found[1].score < -0.3


@pytest.mark.slow
def test_shipped_head_reads_emoji(minilm: object) -> None:
    model = load_sentiment_model("auto", minilm)  # type: ignore[arg-type]
    found = model.predict(["@united 😡😡😡", "Honest feedback: 🤬 double charged. again. 👎",
                           "@united thanks ❤️❤️"])
    assert [s.label for s in found] == ["negative", "negative", "positive"]
