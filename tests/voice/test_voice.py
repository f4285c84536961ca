"""Voice reports on a small hand-built corpus (hashing embedder, VADER sentiment)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from search.config import Settings
from search.customer_posts import CustomerPost
from search.embedder import HashingEmbedder
from search.engine import SearchEngine
from search.models import Access, Document, Principal
from search.voice import VoiceAnalyzer, VoiceError, route_words
from search.voice_parts import SentimentMix, Theme, describe_reach, describe_spike
from tests.voice.conftest import START, corpus, post

ANYONE = Principal.anonymous()


def analyzer(engine: SearchEngine) -> VoiceAnalyzer:
    return VoiceAnalyzer(engine, route=True)


def test_topic_report_counts_sentiment_and_buckets(voice_engine: SearchEngine) -> None:
    report = analyzer(voice_engine).report("wifi", None, None, ANYONE)
    wifi_posts = [d for d in corpus() if "wifi" in d.text.lower()]
    assert report.total == len(wifi_posts) == 30
    assert report.mix.negative > 0 and report.mix.positive > 0
    assert report.mix.negative + report.mix.neutral + report.mix.positive == report.total
    assert [b.label for b in report.timeline][:2] == ["2024-03-04", "2024-03-05"]
    assert len(report.timeline) == 14
    assert sum(b.mix.total for b in report.timeline) == report.total
    weekly = analyzer(voice_engine).report("wifi", None, None, ANYONE, bucket="week")
    assert [b.label for b in weekly.timeline] == ["2024-W10", "2024-W11"]
    first_week = len([d for d in wifi_posts
                      if d.created_at and d.created_at < START + timedelta(days=7)])
    assert [b.mix.total for b in weekly.timeline] == [first_week, 30 - first_week]


def test_all_posts_and_period(voice_engine: SearchEngine) -> None:
    everything = analyzer(voice_engine).report("*", None, None, ANYONE)
    assert everything.total == 56
    end = START + timedelta(days=7, seconds=-1)
    first_week = analyzer(voice_engine).report("", START, end, ANYONE)
    assert first_week.total == 28
    assert all(START <= p.created_at <= end  # type: ignore[operator]
               for p in first_week.posts)


def test_a_period_is_compared_with_the_one_before(voice_engine: SearchEngine) -> None:
    second = START + timedelta(days=7)
    report = analyzer(voice_engine).report(
        "wifi", second, second + timedelta(days=7, microseconds=-1), ANYONE)
    assert report.previous is not None
    assert report.previous.since == START and report.previous.until < second
    wifi_first_week = [d for d in corpus() if "wifi" in d.text.lower()
                       and d.created_at is not None and d.created_at < second]
    assert report.previous.total == len(wifi_first_week) > 0
    assert report.previous.mix.total == report.previous.total
    assert round(report.previous.days) == 7
    data = report.to_dict()["previous"]
    assert data["total"] == report.previous.total and data["since"].startswith("2024-03-04")
    open_ended = analyzer(voice_engine).report("wifi", second, None, ANYONE)
    assert open_ended.previous is not None  # the period ends at its newest post (day 13, 12:00)
    newest = max(p.created_at for p in open_ended.posts if p.created_at)
    assert open_ended.previous.since == second - (newest - second) - timedelta(microseconds=1)
    assert 0 < open_ended.previous.total < report.previous.total
    assert analyzer(voice_engine).report("wifi", None, None, ANYONE).previous is None
    since_year_one = datetime(1, 1, 2, tzinfo=UTC)  # nothing can come before it
    assert analyzer(voice_engine).report("wifi", since_year_one, second, ANYONE).previous is None


def test_themes_split_complaints_from_praise(voice_engine: SearchEngine) -> None:
    report = analyzer(voice_engine).report("*", None, None, ANYONE)
    assert 2 <= len(report.themes) <= 8
    assert sum(t.size for t in report.themes) == report.total
    by_phrase = {p: t for t in report.themes for p in t.phrases}
    bag_theme = next(t for p, t in by_phrase.items() if p in ("bag", "lost bag", "luggage"))
    assert bag_theme.mix.negative_share > 0.6
    assert all(t.examples for t in report.themes)
    seats = next((t for p, t in by_phrase.items() if "seats" in p), None)
    assert seats is not None and seats.mix.positive == seats.size


def test_representative_posts_and_influencers(voice_engine: SearchEngine) -> None:
    report = analyzer(voice_engine).report("*", None, None, ANYONE)
    assert report.most_negative and all(p.sentiment and p.sentiment.label == "negative"
                                         for p in report.most_negative)
    assert report.most_positive and all(p.sentiment and p.sentiment.label == "positive"
                                        for p in report.most_positive)
    texts = [p.text.rsplit(" #", 1)[0] for p in report.most_negative]
    assert len(set(texts)) == len(texts), "near-duplicates must not repeat"
    top = report.influencers[0]
    assert top.person_id == "c.bob" and top.followers == 20_000
    assert top.posts == 14
    assert {i.person_id for i in report.influencers} == {"c.alice", "c.bob", "c.carol", "c.dave"}


def test_internal_documents_are_routed(voice_engine: SearchEngine) -> None:
    report = analyzer(voice_engine).report("wifi", None, None, ANYONE)
    assert [d["id"] for d in report.internal_documents] == ["wiki:wifi"]
    assert all(d["audience"] == "internal" for d in report.internal_documents)


def test_the_largest_complaint_of_a_topic_is_routed_too(voice_engine: SearchEngine) -> None:
    refunds = Document(id="wiki:refunds", source="wiki", kind="wiki",
                       title="Paid wifi that kept dropping during the flight",
                       text="Refund the paid pass when the connection kept dropping in flight.")
    voice_engine.upsert([refunds])
    report = analyzer(voice_engine).report("terrible", None, None, ANYONE)  # no page says so
    routed = {d["id"]: d["matched"] for d in report.internal_documents}
    assert "wiki:refunds" in routed  # found through the largest complaint's phrases
    assert all(query != "terrible" for query in routed.values())
    assert not any("no internal documents" in note for note in report.notes)


def test_a_theme_named_only_by_the_product_routes_nowhere() -> None:
    post = CustomerPost(1, "p:1", "", "beacon crashes", "", None, None, "", 0, 0, 0, "Beacon",
                        None, None, None)
    theme = Theme(1, "beacon", ["Beacon", "crashes"], 1, 1.0, SentimentMix(), [post],
                  members=[post])
    assert route_words(theme.phrases, theme.members) == ["crashes"]
    assert route_words(["beacon"], theme.members) == []


def test_report_is_json_ready(voice_engine: SearchEngine) -> None:
    data = analyzer(voice_engine).report("wifi", None, None, ANYONE).to_dict(include_posts=True)
    again = json.loads(json.dumps(data))
    assert again["total"] == 30 and len(again["posts"]) == 30
    assert set(again["sentiment"]) >= {"negative", "neutral", "positive", "mean_score"}
    assert again["themes"][0]["examples"][0]["sentiment"]["label"] in ("negative", "neutral",
                                                                       "positive")


def test_a_volume_spike_is_found_and_explained(tmp_path: Path) -> None:
    engine = SearchEngine(Settings(data_dir=str(tmp_path / "d"), embedder="hashing"),
                          embedder=HashingEmbedder())
    docs = []
    for day in range(14):
        for j in range(3):
            docs.append(post(day * 100 + j, f"flight was fine today {j}",
                             START + timedelta(days=day, hours=j), author=f"u{j}"))
    for j in range(30):
        docs.append(post(5000 + j, f"app crashed at checkin, terrible {j}",
                         START + timedelta(days=10, minutes=j), author=f"v{j}"))
    engine.upsert(docs)
    report = VoiceAnalyzer(engine).report("*", None, None, ANYONE)
    volume = [s for s in report.spikes if s.metric == "volume"]
    assert [report.timeline[s.index].label for s in volume] == ["2024-03-14"]
    assert any("crashed" in p or "app" in p or "checkin" in p for p in volume[0].phrases)
    assert volume[0].post_ids and all(i.startswith("tw:5") for i in volume[0].post_ids)
    assert report.to_dict()["spikes"][0]["bucket"] == "2024-03-14"
    # a period that starts just before the spike takes its baseline from the days before it
    late = VoiceAnalyzer(engine).report("*", START + timedelta(days=9), None, ANYONE)
    assert late.timeline[0].label == "2024-03-13"
    assert [late.timeline[s.index].label for s in late.spikes if s.metric == "volume"] == [
        "2024-03-14"]
    engine.close()


def test_permission_a_restricted_post_is_not_counted_for_an_outsider(tmp_path: Path) -> None:
    engine = SearchEngine(Settings(data_dir=str(tmp_path / "d"), embedder="hashing"),
                          embedder=HashingEmbedder())
    secret = post(1, "router firmware bricked my device, awful", START, author="vip",
                  followers=1_000_000, access=Access.restricted(groups=["support"]))
    engine.upsert([secret, post(2, "router setup was easy, great", START, author="joe")])
    for topic in ("router", "*"):
        outsider = VoiceAnalyzer(engine).report(topic, None, None, ANYONE)
        assert [p.id for p in outsider.posts] == ["tw:2"]
        assert outsider.mix.negative == 0
        assert all(i.person_id != "c.vip" for i in outsider.influencers)
        insider = VoiceAnalyzer(engine).report(topic, None, None,
                                               Principal("ann", frozenset({"support"})))
        assert sorted(p.id for p in insider.posts) == ["tw:1", "tw:2"]
        assert insider.influencers[0].person_id == "c.vip"
    engine.close()


def test_topic_with_no_posts_says_so(voice_engine: SearchEngine) -> None:
    report = analyzer(voice_engine).report("submarine", None, None, ANYONE)
    assert report.total == 0 and report.themes == [] and report.timeline == []
    assert any("no customer posts match 'submarine'" in n for n in report.notes)


def test_period_without_data_says_so(voice_engine: SearchEngine) -> None:
    since = datetime(2020, 1, 1, tzinfo=UTC)
    report = analyzer(voice_engine).report("wifi", since, since + timedelta(days=2), ANYONE)
    assert report.total == 0
    assert len(report.timeline) == 3 and all(b.mix.total == 0 for b in report.timeline)
    assert any("between 2020-01-01 and 2020-01-03" in n for n in report.notes)
    backwards = analyzer(voice_engine).report("wifi", since, since - timedelta(days=1), ANYONE)
    assert backwards.total == 0 and "after" in backwards.notes[0]


def test_bad_bucket_is_an_error(voice_engine: SearchEngine) -> None:
    with pytest.raises(VoiceError):
        analyzer(voice_engine).report("wifi", None, None, ANYONE, bucket="month")


def test_posts_without_timestamps_authors_or_words(tmp_path: Path) -> None:
    engine = SearchEngine(Settings(data_dir=str(tmp_path / "d"), embedder="hashing"),
                          embedder=HashingEmbedder())
    engine.upsert([
        post(1, "the wifi was awful", None),
        post(2, "wifi great", START, author=None),
        post(3, "😠😠", START, author="emo"),
        post(4, "🔥🔥 https://example.com/x", START + timedelta(days=1), author="emo"),
        post(5, "El wifi del avión no funciona y es una vergüenza total", START,
             author="ana"),
    ])
    report = VoiceAnalyzer(engine).report("*", None, None, ANYONE)
    assert report.total == 5
    assert report.counts["undated"] == 1 and report.counts["unattributed"] == 1
    assert report.counts["without_words"] == 2 and report.counts["non_english"] == 1
    assert sum(b.mix.total for b in report.timeline) == 4
    notes = " ".join(report.notes)
    for words in ("1 post has no timestamp", "1 post has no author", "2 posts have no words",
                  "1 post looks non-English"):
        assert words in notes
    assert "c.emo" in {i.person_id for i in report.influencers}
    emoji = next(p for p in report.posts if p.id == "tw:3")
    assert emoji.sentiment is not None and emoji.sentiment.label == "negative"
    json.dumps(report.to_dict())
    only_emoji = VoiceAnalyzer(engine).report("🔥", None, None, ANYONE)
    assert "no words" in only_emoji.notes[0]
    engine.close()


def test_posts_indexed_without_sentiment_are_classified_for_the_report(tmp_path: Path) -> None:
    engine = SearchEngine(Settings(data_dir=str(tmp_path / "d"), embedder="hashing"),
                          embedder=HashingEmbedder(), post_sync=[])
    engine.upsert([post(1, "the wifi was awful", START), post(2, "wifi great", START)])
    report = VoiceAnalyzer(engine).report("wifi", None, None, ANYONE)
    assert report.mix.negative == 1 and report.mix.positive == 1
    assert any("reindex" in n for n in report.notes)
    engine.close()


def test_malformed_meta_does_not_break_the_report(tmp_path: Path) -> None:
    engine = SearchEngine(Settings(data_dir=str(tmp_path / "d"), embedder="hashing"),
                          embedder=HashingEmbedder())
    engine.upsert([post(1, "wifi awful", START, followers="lots", likes=None,  # type: ignore[arg-type]
                        reposts=-3, rating="n/a")])
    report = VoiceAnalyzer(engine).report("wifi", None, None, ANYONE)
    (only,) = report.posts
    assert (only.followers, only.likes, only.reposts, only.rating) == (0, 0, 0, None)
    engine.close()


def test_cached_posts_follow_store_changes(tmp_path: Path) -> None:
    from search.sentiment import Sentiment
    from search.sentiment_store import set_model

    engine = SearchEngine(Settings(data_dir=str(tmp_path / "d"), embedder="hashing"),
                          embedder=HashingEmbedder())
    engine.upsert([post(1, "wifi awful", START), post(2, "wifi great", START)])
    voice = VoiceAnalyzer(engine)
    assert voice.report("*", None, None, ANYONE).total == 2
    engine.upsert([post(3, "wifi broken again, terrible", START)])
    assert voice.report("*", None, None, ANYONE).total == 3
    assert voice.report("wifi", None, None, ANYONE).total == 3

    class Grumpy:
        version = "grumpy-1"

        def predict(self, texts: Sequence[str]) -> list[Sentiment]:
            return [Sentiment("negative", -1.0, 1.0) for _ in texts]

    set_model(engine, Grumpy())
    engine.reindex()
    assert voice.report("*", None, None, ANYONE).mix.negative == 3
    engine.close()


def test_a_keyword_hit_far_from_the_topic_routes_nowhere(voice_engine: SearchEngine) -> None:
    voice = analyzer(voice_engine)
    assert voice.router.route_similarity is None  # no calibrated floor for the hashing embedder
    voice.router.route_similarity = 0.99  # as if the runbook only shared a word with the topic
    report = voice.report("wifi", None, None, ANYONE)
    assert report.internal_documents == [] and report.experts == []
    assert any("no internal documents" in note for note in report.notes)
    assert report.total == 30  # the rest of the report is unchanged


def test_reach_leaves_out_counts_the_source_did_not_give() -> None:
    assert describe_reach(1500, 12) == "1,500 followers · 12 likes and reposts"
    assert describe_reach(1, 0) == "1 follower"
    assert describe_reach(0, 3) == "3 likes and reposts"
    assert describe_reach(0, 1) == "1 like or repost"
    assert describe_reach(0, 0) == ""  # airline tweets: no follower counts, no likes


def test_spikes_are_worded_for_people() -> None:
    volume = {"metric": "volume", "count": 1561, "value": 1561.0, "baseline": 132.29}
    assert describe_spike(volume) == "1,561 posts, about 132 usually"
    assert describe_spike({**volume, "count": 307, "baseline": 0.0}) == "307 posts, none usually"
    assert describe_spike({**volume, "count": 6, "baseline": 0.29}) == "6 posts, under 1 usually"
    share = {"metric": "negative_share", "count": 154, "value": 0.0779, "baseline": 0.0}
    assert describe_spike(share) == "8% negative, about 0% usually"


def test_a_theme_quotes_a_reposted_review_once(tmp_path: Path) -> None:
    engine = SearchEngine(Settings(data_dir=str(tmp_path / "d"), embedder="hashing"),
                          embedder=HashingEmbedder())
    texts = ["Great product"] * 12 + ["Great product, works well"] * 3 + \
        ["The battery died after a week and support never answered"] * 10 + \
        ["battery died quickly", "support never answered my battery question"]
    engine.upsert([post(i, text, START + timedelta(hours=i), author=f"a{i}")
                   for i, text in enumerate(texts)])
    report = VoiceAnalyzer(engine).report("*", None, None, ANYONE)
    assert report.themes
    for theme in report.themes:
        bodies = [" ".join(p.body.lower().split()) for p in theme.examples]
        assert len(bodies) == len(set(bodies)), bodies
        assert len(theme.examples) == min(3, len({p.body for p in theme.members}))


def test_a_long_period_keeps_the_posts_in_its_timeline(tmp_path: Path) -> None:
    engine = SearchEngine(Settings(data_dir=str(tmp_path / "d"), embedder="hashing"),
                          embedder=HashingEmbedder())
    engine.upsert([post(1, "wifi dropped again", START), post(2, "wifi fine", START
                                                             + timedelta(days=3))])
    for topic in ("*", "wifi"):  # over the corpus's rows and over the posts found
        report = VoiceAnalyzer(engine).report(topic, datetime(2015, 1, 1, tzinfo=UTC), None,
                                              ANYONE)
        # 3,350 days asked: the series narrows to the posts rather than stop in 2019
        assert [b.label for b in report.timeline] == [
            (START + timedelta(days=d)).date().isoformat() for d in range(4)]
        assert sum(b.mix.total for b in report.timeline) == 2
        assert not any("timeline shows" in n for n in report.notes)
    engine.upsert([post(3, "wifi was slow", START - timedelta(days=2000))])
    report = VoiceAnalyzer(engine).report("*", datetime(2015, 1, 1, tzinfo=UTC), None, ANYONE)
    assert len(report.timeline) == 1500 and report.timeline[-1].label == "2024-03-07"
    assert sum(b.mix.total for b in report.timeline) == 2
    assert any("timeline shows the newest 1,500 days" in n for n in report.notes)
    engine.close()
