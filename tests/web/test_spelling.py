"""Did you mean: corrections come from public text and the asker's own hits only."""

from __future__ import annotations

from collections import Counter

from search.engine import SearchEngine
from web.spelling import PublicVocabulary, Vocabulary, edit_distance, suggest


def test_edit_distance() -> None:
    assert edit_distance("kafka", "kafka") == 0
    assert edit_distance("kafak", "kafka") == 1  # transposition
    assert edit_distance("consumr", "consumer") == 1
    assert edit_distance("abc", "xyzxyz") == 3


def test_suggest_corrects_unknown_words_only() -> None:
    vocab = Vocabulary(Counter({"kafka": 5, "consumer": 3, "onboarding": 2, "checklist": 2}))
    assert suggest("kafak consumr", vocab) == "kafka consumer"
    assert suggest("onbaording checklist", vocab) == "onboarding checklist"
    assert suggest("kafka consumers", vocab) is None  # a plural of a known word is known
    assert suggest("xyzzy", vocab) is None
    assert suggest("k8s 2026", vocab) is None


def test_suggest_prefers_frequent_words() -> None:
    vocab = Vocabulary(Counter({"cart": 1, "card": 50}))
    assert suggest("carx", vocab) == "card"


def test_readable_hits_extend_the_vocabulary() -> None:
    vocab = Vocabulary(Counter({"billing": 3}))
    assert suggest("halcyn", vocab) is None
    assert suggest("halcyn", vocab, ["Project Halcyon update"]) == "halcyon"


def test_public_vocabulary_excludes_private_text(mini_engine: SearchEngine) -> None:
    vocab = PublicVocabulary(mini_engine.store).get()
    assert "kafka" in vocab and "onboarding" in vocab
    assert "halcyon" not in vocab
    assert "zanzibarquux" not in vocab
    assert suggest("zanzibarqux", vocab) is None
