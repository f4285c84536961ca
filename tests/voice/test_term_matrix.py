"""The term matrix counts and chooses phrases exactly as the Counter versions in search.phrases."""

from __future__ import annotations

import numpy as np
import pytest

from search.phrases import distinctive_phrases, document_frequencies, frequent_phrases
from search.spikes import driving_posts, driving_rows, explain, explain_rows
from search.term_matrix import TermMatrix, distinctive_rows
from search.themes import label_clusters

WORDS = ["wifi", "broken", "lost", "bag", "seat", "refund", "delayed", "flight", "crew", "rude",
         "great", "cancelled", "gate", "agent", "luggage", "claim", "desk", "app", "crashed",
         "upgrade", "lounge", "meal", "cold"]


def texts(count: int, seed: int) -> list[str]:
    """Short random posts over a small vocabulary, so many terms tie on their counts."""
    rng = np.random.default_rng(seed)
    out = []
    for i in range(count):
        words = rng.choice(WORDS, size=int(rng.integers(0, 9)))
        out.append(" ".join(words) + ("" if i % 7 else " 😠 https://t.co/x @someone"))
    return out


def test_frequencies_match_document_frequencies_including_repeated_rows() -> None:
    corpus = texts(300, seed=1)
    matrix = TermMatrix.of(corpus)
    assert list(matrix.vocab) == sorted(matrix.vocab) and matrix.rows == 300
    rows = np.array([5, 3, 3, 299, 0, 17])
    counts = matrix.frequencies(rows)
    expected = document_frequencies([corpus[i] for i in rows.tolist()])
    assert {matrix.vocab[i]: int(c) for i, c in enumerate(counts) if c} == dict(expected)
    assert matrix.terms(3) == set(document_frequencies([corpus[3]]))
    assert not matrix.frequencies(np.array([], dtype=np.int64)).any()


def test_grouped_frequencies_sum_per_group() -> None:
    corpus = texts(120, seed=2)
    matrix = TermMatrix.of(corpus)
    rows = np.arange(120)
    groups = rows % 3
    grouped = matrix.grouped_frequencies(rows, groups, 3)
    for g in range(3):
        assert (grouped[g] == matrix.frequencies(rows[groups == g])).all()


@pytest.mark.parametrize("seed", range(6))
@pytest.mark.parametrize("exclude", [(), ("wifi",), ("lost", "bag")])
def test_distinctive_rows_equal_distinctive_phrases(seed: int, exclude: tuple[str, ...]) -> None:
    corpus = texts(400, seed=seed)
    matrix = TermMatrix.of(corpus)
    rng = np.random.default_rng(seed + 100)
    fg = np.sort(rng.choice(400, size=int(rng.integers(1, 150)), replace=False))
    bg = np.setdiff1d(np.arange(400), fg)[: int(rng.integers(0, 250))]
    for min_z in (1.0, 1.5):
        got = distinctive_rows(matrix, fg, bg, top=5, exclude=exclude, min_z=min_z)
        want = distinctive_phrases([corpus[i] for i in fg], [corpus[i] for i in bg], top=5,
                                   exclude=exclude, min_z=min_z)
        assert [t for t, _ in got] == [t for t, _ in want]
        assert [z for _, z in got] == pytest.approx([z for _, z in want], rel=1e-9)
    spike = explain_rows(matrix, fg, bg, exclude=exclude)
    assert spike == explain([corpus[i] for i in fg], [corpus[i] for i in bg], exclude=exclude)
    weights = rng.integers(0, 3, size=len(fg)).astype(float)
    for phrases in (spike, ["wifi", "lost bag", "not a term"], []):
        assert driving_rows(matrix, fg, phrases, weights) == driving_posts(
            [corpus[i] for i in fg], phrases, weights.tolist())


@pytest.mark.parametrize("seed", range(4))
def test_cluster_labels_are_each_cluster_against_the_rest(seed: int) -> None:
    corpus = texts(250, seed=seed + 10)
    labels = np.random.default_rng(seed).integers(0, 5, size=250)
    labels[labels == 4] = 0  # a label that never occurs is simply absent
    exclude = ("crew",) if seed % 2 else ()
    found = label_clusters(corpus, labels, exclude=exclude)
    assert sorted(found) == sorted(set(labels.tolist()))
    for j, phrases in found.items():
        inside = [c for c, lab in zip(corpus, labels.tolist(), strict=True) if lab == j]
        rest = [c for c, lab in zip(corpus, labels.tolist(), strict=True) if lab != j]
        want = [t for t, _ in distinctive_phrases(inside, rest, top=4, exclude=exclude)]
        assert phrases == (want or frequent_phrases(inside, top=4, exclude=exclude))
        assert not exclude or not any("crew" in p for p in phrases)
    matrix = TermMatrix.of(["padding post", *corpus])
    shifted = label_clusters([], labels, exclude=exclude, matrix=matrix,
                             rows=np.arange(1, 251))
    assert shifted == found


def test_one_cluster_falls_back_to_its_most_frequent_terms() -> None:
    corpus = ["wifi broken", "wifi broken again", "wifi slow", "lost bag"]
    found = label_clusters(corpus, np.zeros(4, dtype=int))
    assert found == {0: frequent_phrases(corpus, top=4)}
    assert found[0][0] == "wifi"
