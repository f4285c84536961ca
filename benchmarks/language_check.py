"""Which customer posts look non-English: common English words alone (the rule before
2026-12-03) against common words then py3langid's model (``search.language.looks_english``),
side by side on the airline tweets and the Alexa reviews, with the time each takes.

.venv/bin/python benchmarks/language_check.py
"""

from __future__ import annotations

import csv
import time
from collections.abc import Callable

from common import SHARED_DATA, print_table, require

from search import language
from search.phrases import has_words

DATASETS = {
    "airline tweets": (SHARED_DATA / "twitter-us-airline-sentiment" / "Tweets.csv", "text", ","),
    "Alexa reviews": (SHARED_DATA / "amazon-alexa-reviews" / "amazon_alexa.tsv",
                      "verified_reviews", "\t"),
}


def texts(name: str) -> list[str]:
    """Return the post texts of one dataset."""
    path, column, delimiter = DATASETS[name]
    with require(path).open(encoding="utf-8-sig", newline="") as handle:
        return [row[column] for row in csv.DictReader(handle, delimiter=delimiter)]


def flagged(posts: list[str], is_english: Callable[[str], bool]) -> tuple[list[str], float]:
    """Return the posts with words that ``is_english`` rejects, and the seconds it took."""
    start = time.perf_counter()
    found = [p for p in posts if has_words(p) and not is_english(p)]
    return found, time.perf_counter() - start


def main() -> None:
    """Print the table and a sample of what the model-backed check flags."""
    start = time.perf_counter()
    language._identifier()
    print(f"py3langid model loaded in {time.perf_counter() - start:.2f} s")
    rows = []
    for name in DATASETS:
        posts = texts(name)
        before, before_s = flagged(posts, language.has_english_hints)
        after, after_s = flagged(posts, language.looks_english.__wrapped__)
        rows.append([name, len(posts), len(before), f"{before_s:.2f}", len(after),
                     f"{after_s:.2f}"])
        for text in after[:3]:
            print(f"  {name}: {text[:80]!r}")
    print_table(["dataset", "posts", "common words only: flagged", "s",
                 "words, then model: flagged", "s"], rows)


if __name__ == "__main__":
    main()
