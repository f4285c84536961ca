"""Emoji are read by the encoders as their names: MiniLM's vocabulary has none of them."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime

import numpy as np
import pytest

from search.chunking import passage_key
from search.embedder import HashingEmbedder, MiniLMEmbedder
from search.emoji_words import emoji_as_words, texts_for_encoder
from search.engine import SearchEngine
from search.models import Document, Principal


def test_each_emoji_becomes_its_english_name() -> None:
    assert emoji_as_words("@united 😡😡") == "@united  enraged face  enraged face "
    assert emoji_as_words("ok 👍🏽") == "ok  thumbs up medium skin tone "
    assert emoji_as_words("I ❤️ it") == "I  red heart  it"


@pytest.mark.parametrize("text", ["plain ascii, @user_name #tag :)", "café naïve – “quoted” €5",
                                  "日本語のテキスト", ""])
def test_text_without_emoji_is_left_exactly_as_it_was(text: str) -> None:
    assert emoji_as_words(text) == text
    assert texts_for_encoder([text, text]) == [text, text]


def test_cache_keys_of_text_without_emoji_are_unchanged_so_stored_vectors_stay_valid() -> None:
    plain = "kafka consumer lag runbook"
    assert passage_key("m", plain) == hashlib.sha256(f"m\n{plain}".encode()).hexdigest()


def test_a_post_with_emoji_is_keyed_by_the_text_the_model_reads() -> None:
    post = "double charged again 👎"
    assert passage_key("m", post) == passage_key("m", emoji_as_words(post))
    assert passage_key("m", post) != hashlib.sha256(f"m\n{post}".encode()).hexdigest()


def test_the_test_embedder_reads_emoji_too() -> None:
    embedder = HashingEmbedder()
    vectors = embedder.embed(["😡", "enraged face", "😀"])
    assert np.linalg.norm(vectors[0]) > 0.99  # it used to be all zeros: no word at all
    assert float(vectors[0] @ vectors[1]) == pytest.approx(1.0)
    assert float(vectors[0] @ vectors[2]) < 0.99


def test_an_emoji_only_post_is_found_by_what_its_emoji_mean(engine: SearchEngine) -> None:
    when = datetime(2024, 3, 1, tzinfo=UTC)
    engine.upsert([Document(id="c:1", source="tweets", kind="post", title="", text="✈️🧳❓",
                            created_at=when),
                   Document(id="c:2", source="tweets", kind="post", title="", text="lovely day",
                            created_at=when)])
    result = engine.search("airplane luggage", Principal.anonymous())
    assert [h.doc_id for h in result.hits][:1] == ["c:1"] and result.meaning_only


@pytest.mark.slow
def test_minilm_reads_an_angry_emoji_as_anger(minilm: MiniLMEmbedder) -> None:
    angry, words, happy = minilm.embed(["@united 😡😡😡", "@united I am furious", "@united 😍😍😍"])
    assert float(angry @ words) > float(happy @ words) + 0.1


def test_posts_with_emoji_are_classified_again_and_others_are_not() -> None:
    from search.sentiment_store import text_hash

    def before(text: str) -> str:
        return hashlib.sha256(f"v1\n{text}".encode()).hexdigest()

    assert text_hash("refund still missing", "v1") == before("refund still missing")
    assert text_hash("refund still missing 😡", "v1") != before("refund still missing 😡")


def test_vader_features_read_emoji_names() -> None:
    from search.sentiment import VaderModel

    angry, named = VaderModel().features(["😡", "enraged face"])
    assert angry[3] == pytest.approx(named[3]) and angry[3] < -0.05


def test_symbols_the_encoder_knows_are_left_as_they_are() -> None:
    import os

    import emoji

    from search.embedder import model_path
    from search.emoji_words import READ_AS_IS

    with open(os.path.join(model_path(), "vocab.txt"), encoding="utf-8") as fh:
        vocab = set(fh.read().split("\n"))
    known = {k for k in emoji.EMOJI_DATA if len(k.replace("\ufe0f", "")) == 1
             and k.replace("\ufe0f", "") in vocab}
    assert {k.replace("\ufe0f", "") for k in known} == READ_AS_IS
    assert emoji_as_words("Acme™ © 2024 ♥ ♥️") == "Acme™ © 2024 ♥ ♥️"
