"""The project-written training text of the shipped sentiment head: sound, spread, not leaked."""

from __future__ import annotations

import importlib.util
import re
import sys
from collections import Counter
from pathlib import Path
from types import ModuleType

import pytest

from search.sentiment import HEAD_PATH, LABELS, SentimentHead
from tests.conftest import shared_dataset

BENCHMARKS = Path(__file__).resolve().parents[2] / "benchmarks"
INDUSTRY_HANDLES = {
    "airlines": ("@SkyHopper", "@FlyNorth", "@AcmeAir", "@BlueJetAir", "@CoastalWings"),
    "telecoms": ("@NimbusTel", "@WaveMobile", "@FibreNow"),
    "retail": ("@ShopCorner", "@TrendMart", "@HomeHub"),
    "banking": ("@BrightBank", "@PennyWise", "@CrestCredit"),
    "software": ("@CloudNote", "@TaskRally", "@DataNest"),
    "devices": ("@Voltify", "@PixelForge", "@EchoSmart"),
    "delivery": ("@ParcelPro", "@QuickEats", "@SwiftShip"),
    "utilities": ("@GridPower", "@AquaCity", "@WarmGas"),
}


def corpus_module() -> ModuleType:
    """Import benchmarks/sentiment_corpus.py (the benchmarks folder is not a package)."""
    spec = importlib.util.spec_from_file_location("sentiment_corpus", BENCHMARKS /
                                                  "sentiment_corpus.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("sentiment_corpus", module)
    spec.loader.exec_module(module)
    return module


def words(text: str) -> list[str]:
    """Lower-case word tokens without handles, links or punctuation."""
    text = re.sub(r"@\w+|https?://\S+", " ", text.lower())
    return re.findall(r"[a-z0-9']+", text)


def test_social_posts_are_well_formed_and_spread() -> None:
    posts = corpus_module().social_posts()
    assert 1000 <= len(posts) <= 2000
    counts = Counter(label for label, _ in posts)
    assert set(counts) == set(LABELS)
    assert min(counts.values()) >= 0.2 * len(posts)  # no class below a fifth
    texts = [t for _, t in posts]
    assert len(set(texts)) == len(texts)  # no duplicate post
    for industry, handles in INDUSTRY_HANDLES.items():
        found = [t for t in texts if any(h in t for h in handles)]
        assert len(found) >= 50, industry
        assert set(label for label, t in posts if t in found) == set(LABELS), industry
    header = (BENCHMARKS / "data" / "social_posts.tsv").read_text(encoding="utf-8")[:400]
    assert "written by the socialsearch project" in header and "Apache-2.0" in header


def test_bad_rows_are_reported_with_their_line(tmp_path: Path) -> None:
    path = tmp_path / "bad.tsv"
    path.write_text("# comment\nnegative\tfine\nhappy\tnot a label\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"bad\.tsv:3"):
        corpus_module().project_sentences(path)


def test_shipped_head_records_the_project_posts() -> None:
    meta = SentimentHead.load(HEAD_PATH).meta
    sets = meta["training_data"]["sets"]
    assert sets["project social posts (hand-written)"] == len(corpus_module().social_posts())
    assert not any("airline" in name.lower() or "tweeteval" in name.lower() for name in sets)


@pytest.mark.shared
def test_project_text_shares_no_passage_with_the_evaluation_sets() -> None:
    """No 8-word run of the project's text appears in the airline tweets or TweetEval."""
    corpus = corpus_module()
    own = [t for _, t in corpus.social_posts() + corpus.project_sentences()]
    airline = shared_dataset("twitter-us-airline-sentiment") / "Tweets.csv"
    tweeteval = shared_dataset("tweeteval-sentiment")
    other = airline.read_text(encoding="utf-8").splitlines()
    for name in ("val_text.txt", "test_text.txt"):
        other += (tweeteval / name).read_text(encoding="utf-8").splitlines()
    seen = set()
    for line in other:
        tokens = words(line)
        seen.update(tuple(tokens[i:i + 8]) for i in range(len(tokens) - 7))
    leaked = [t for t in own
              if any(tuple(words(t)[i:i + 8]) in seen for i in range(len(words(t)) - 7))]
    assert not leaked
    assert len(own) > 1000
