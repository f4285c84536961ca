"""Theme clustering and key phrases."""

from __future__ import annotations

import numpy as np
import pytest

from search.language import looks_english
from search.phrases import distinctive_phrases, doc_terms, tokens
from search.themes import (
    candidate_ks,
    central_members,
    centre_by_group,
    cluster,
    label_clusters,
    silhouette,
)


def blobs(k: int, per: int, dim: int = 32, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    centres = rng.normal(size=(k, dim))
    x = np.vstack([c + 0.15 * rng.normal(size=(per, dim)) for c in centres])
    x /= np.linalg.norm(x, axis=1, keepdims=True)
    return x.astype(np.float32), np.repeat(np.arange(k), per)


def agreement(a: np.ndarray, b: np.ndarray) -> bool:
    """Tell whether two labelings are the same partition."""
    pairs = set(zip(a.tolist(), b.tolist(), strict=True))
    return len(pairs) == len(set(a.tolist())) == len(set(b.tolist()))


def test_separated_blobs_are_recovered_with_the_right_k() -> None:
    x, truth = blobs(4, 40)
    found = cluster(x)
    assert found.k == 4 and agreement(found.labels, truth)
    assert found.silhouette > 0.5


def test_noise_gets_a_low_silhouette_and_few_posts_one_cluster() -> None:
    rng = np.random.default_rng(1)
    noise = rng.normal(size=(200, 32)).astype(np.float32)
    noise /= np.linalg.norm(noise, axis=1, keepdims=True)
    assert cluster(noise).silhouette < 0.2
    tiny = cluster(noise[:4])
    assert tiny.k == 1 and set(tiny.labels.tolist()) == {0}


def test_silhouette_matches_a_hand_computed_case() -> None:
    d = np.array([[0, 1, 4, 5], [1, 0, 4, 5], [4, 4, 0, 1], [5, 5, 1, 0]], dtype=float)
    labels = np.array([0, 0, 1, 1])
    expected = np.mean([1 - 1 / 4.5, 1 - 1 / 4.5, 1 - 1 / 4, 1 - 1 / 5])
    assert silhouette(d, labels) == pytest.approx(expected)
    from sklearn.metrics import silhouette_score

    x, truth = blobs(3, 10, seed=3)
    dist = np.clip(1 - x @ x.T, 0, None)
    np.fill_diagonal(dist, 0)
    assert silhouette(dist, truth) == pytest.approx(
        silhouette_score(dist, truth, metric="precomputed"), abs=1e-6)


def test_candidate_ks_grow_with_volume() -> None:
    assert candidate_ks(20) == [2, 3, 4]
    assert max(candidate_ks(20_000)) == 8
    assert all(k < 7 for k in candidate_ks(7))


def test_centring_removes_the_product_direction() -> None:
    rng = np.random.default_rng(2)
    content = rng.normal(size=(40, 16))
    product = np.zeros((40, 16))
    product[:20, 0] = 10.0
    product[20:, 1] = 10.0
    groups = ["a"] * 20 + ["b"] * 20
    raw = cluster(np.asarray(content + product, dtype=np.float32), fixed_k=2)
    assert agreement(raw.labels, np.array([0] * 20 + [1] * 20))
    centred = centre_by_group(np.asarray(content + product, dtype=np.float32), groups)
    assert abs(centred[:20, 0].mean()) < 0.2 and abs(centred[20:, 1].mean()) < 0.2


def test_labels_are_distinctive_phrases() -> None:
    texts = ["lost my bag at the airport", "they lost my bag again", "bag lost, no reply",
             "wifi is slow", "slow wifi on board", "wifi slow and expensive"]
    labels = label_clusters(texts, np.array([0, 0, 0, 1, 1, 1]))
    assert "lost bag" not in labels[0]  # phrases are adjacent words only
    assert {"bag", "lost"} & set(" ".join(labels[0]).split())
    assert "wifi" in " ".join(labels[1]) and "bag" not in " ".join(labels[1])
    x = np.eye(6, dtype=np.float32)[[0, 0, 0, 1, 1, 1]] + 0.01
    assert central_members(x, np.array([0, 0, 0, 1, 1, 1]), 1, count=2)[0] in (3, 4, 5)


def test_tokens_and_terms() -> None:
    text = "@united my bag was LOST &amp; the claim #fail http://t.co/x 3 hours"
    assert tokens(text) == ["bag", "lost", "claim", "fail", "hours"]
    assert "bag lost" not in doc_terms(text)  # "was" sits between them
    assert "claim fail" in doc_terms(text)
    assert doc_terms("my wifi", exclude=["wifi"]) == set()


def test_distinctive_phrases_prefer_phrases_over_their_words() -> None:
    fg = ["the app crashed at login", "app crashed again", "app crashed twice today"] * 3
    bg = ["flight was fine", "the app works fine", "crew was nice"] * 5
    top = [p for p, _z in distinctive_phrases(fg, bg, top=3)]
    assert top[0] == "app crashed"
    assert "crashed" not in top and "app" not in top


def test_language_guess() -> None:
    assert looks_english("The flight was late and the crew did not say why")
    assert not looks_english("El vuelo llegó tarde y nadie nos dijo nada de nada")
    assert looks_english("ok")  # too short to tell
    # Short reviews without English function words are still English.
    for review in ("Good quality, great sound quality", "Works like a champ.",
                   "Listens well, does way more than expected, love her!",
                   "Good price. Prompt shipping. Has been working flawlessly."):
        assert looks_english(review), review
    assert not looks_english("Un excelente equipo inteligente al estar conectado al internet nos "
                             "provee de múltiples funciones tal como la música")
