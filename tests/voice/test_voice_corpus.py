"""Reports from the corpus loaded once per store state: same reports, access still enforced."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from search.config import Settings
from search.embedder import HashingEmbedder
from search.engine import SearchEngine
from search.models import Access, Principal
from search.voice import VoiceAnalyzer, VoiceReport
from search.voice_corpus import CorpusCache, load_corpus
from tests.voice.conftest import START, post

ANYONE = Principal.anonymous()
SUPPORT = Principal("ann", frozenset({"support"}))


def comparable(report: VoiceReport) -> dict[str, Any]:
    """The report as JSON without its timings."""
    data = report.to_dict(include_posts=True)
    data.pop("timings_ms")
    return data


def engine_at(tmp_path: Path) -> SearchEngine:
    return SearchEngine(Settings(data_dir=str(tmp_path / "d"), embedder="hashing"),
                        embedder=HashingEmbedder())


def spiky_posts() -> list[Any]:
    """Two weeks of calm posts, then a burst of app complaints (a spike to explain)."""
    docs = []
    for day in range(14):
        for j in range(4):
            docs.append(post(day * 100 + j, f"flight was fine, seats ok {j} wifi slow" if j % 2
                             else f"lost my bag again, awful desk {j}",
                             START + timedelta(days=day, hours=j), author=f"u{(day + j) % 6}",
                             followers=10 * j, likes=j, product="air" if j < 2 else "rail"))
    for j in range(30):
        docs.append(post(5000 + j, f"app crashed at checkin, terrible {j % 4}",
                         START + timedelta(days=10, minutes=j), author=f"v{j % 9}"))
    return docs


@pytest.mark.parametrize("topic", ["*", "wifi", "app crashed", "lost bag"])
@pytest.mark.parametrize("bucket", ["day", "week"])
def test_corpus_reports_equal_per_report_loading(tmp_path: Path, topic: str,
                                                 bucket: str) -> None:
    engine = engine_at(tmp_path)
    engine.upsert(spiky_posts())
    shared = VoiceAnalyzer(engine)
    alone = VoiceAnalyzer(engine, corpus_posts=0)  # the per-report path
    for _ in range(2):  # the second report reuses what the first loaded
        new = shared.report(topic, None, None, ANYONE, bucket=bucket)
        old = alone.report(topic, None, None, ANYONE, bucket=bucket)
        assert comparable(new) == comparable(old)
    assert new.total > 0 and (topic != "*" or bucket == "week" or new.spikes)
    assert shared._corpus.get(engine, shared._freshness()) is not None
    assert alone._corpus.get(engine, alone._freshness()) is None
    engine.close()


def test_a_restricted_post_stays_out_of_reports_built_from_the_shared_corpus(
        tmp_path: Path) -> None:
    engine = engine_at(tmp_path)
    secret = post(1, "router firmware bricked my device, awful", START, author="vip",
                  followers=1_000_000, access=Access.restricted(groups=["support"]))
    engine.upsert([secret, post(2, "router setup was easy, great", START, author="joe")])
    voice = VoiceAnalyzer(engine)
    for topic in ("*", "router"):
        insider = voice.report(topic, None, None, SUPPORT)  # loads the corpus with the secret
        assert sorted(p.id for p in insider.posts) == ["tw:1", "tw:2"]
        corpus = voice._corpus.get(engine, voice._freshness())
        assert corpus is not None and len(corpus.posts) == 2
        for reader in (ANYONE, Principal("bob", frozenset({"sales"}))):
            outsider = voice.report(topic, None, None, reader)
            assert [p.id for p in outsider.posts] == ["tw:2"] and outsider.total == 1
            assert outsider.mix.negative == 0
            assert all(i.person_id != "c.vip" for i in outsider.influencers)
            text = str(outsider.to_dict(include_posts=True))
            assert "bricked" not in text and "vip" not in text
        assert [p.id for p in voice.posts(topic, None, None, ANYONE)[0]] == ["tw:2"]
        again = voice.report(topic, None, None, ANYONE)  # readable numbers kept: still hidden
        assert [p.id for p in again.posts] == ["tw:2"]
    opened = post(1, "router firmware bricked my device, awful", START, author="vip",
                  followers=1_000_000)
    engine.upsert([opened])  # now public: the next report sees it, nothing stale is served
    assert sorted(p.id for p in voice.report("*", None, None, ANYONE).posts) == ["tw:1", "tw:2"]
    engine.upsert([secret])  # restricted again
    assert [p.id for p in voice.report("router", None, None, ANYONE).posts] == ["tw:2"]
    assert [p.id for p in voice.report("*", None, None, ANYONE).posts] == ["tw:2"]
    engine.close()


def test_the_corpus_follows_store_changes_and_keeps_its_size_bound(tmp_path: Path) -> None:
    engine = engine_at(tmp_path)
    engine.upsert([post(1, "wifi awful", START), post(2, "wifi great", START)])
    voice = VoiceAnalyzer(engine)
    assert voice.report("*", None, None, ANYONE).total == 2
    first = voice._corpus.get(engine, voice._freshness())
    engine.upsert([post(3, "wifi broken again, terrible", START)])
    assert voice.report("*", None, None, ANYONE).total == 3
    second = voice._corpus.get(engine, voice._freshness())
    assert first is not None and second is not None and len(second.posts) == 3
    small = CorpusCache(max_posts=2)
    assert small.get(engine, "state") is None  # three posts: too many, reports load per report
    bounded = VoiceAnalyzer(engine, corpus_posts=2)
    assert bounded.report("wifi", None, None, ANYONE).total == 3
    engine.close()


def test_corpus_rows_and_vectors(tmp_path: Path) -> None:
    engine = engine_at(tmp_path)
    engine.upsert([post(n, f"post number {n} about wifi", START) for n in range(5)])
    corpus = load_corpus(engine)
    assert list(corpus.nums) == sorted(corpus.nums) and len(corpus.posts) == 5
    nums = [int(corpus.nums[3]), 10**9, int(corpus.nums[0])]
    assert corpus.rows(nums).tolist() == [3, 0]
    assert corpus.rows([]).tolist() == []
    voice = VoiceAnalyzer(engine)
    posts = [corpus.posts[4], corpus.posts[1]]
    assert np.allclose(voice.vectors(posts), corpus.vectors[[4, 1]])
    assert np.allclose(voice.vectors(posts), VoiceAnalyzer(engine, corpus_posts=0).vectors(posts))
    engine.close()


def test_posts_without_stored_sentiment_are_noted_in_every_report(tmp_path: Path) -> None:
    engine = SearchEngine(Settings(data_dir=str(tmp_path / "d"), embedder="hashing"),
                          embedder=HashingEmbedder(), post_sync=[])
    engine.upsert([post(1, "the wifi was awful", START), post(2, "wifi great", START)])
    voice = VoiceAnalyzer(engine)
    for _ in range(2):
        report = voice.report("*", None, None, ANYONE)
        assert report.mix.negative == 1 and report.mix.positive == 1
        assert any("2 posts had no stored sentiment" in n for n in report.notes)
    engine.close()
