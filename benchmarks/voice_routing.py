"""Which internal documents customer topics route to, and how close each is to the posts.

For every digest week and voice topic given, lists each internal document that the words of a
touch point (or topic) route to, with the cosine of its best passage to the centre of the posts
behind it, and whether the shipped floor (``voice_routing.FOCUS_SIMILARITY``) keeps it. The floor
is lifted while listing, so the documents it drops are shown too. Read-only: the store must be
built first, e.g. the demo (``socialsearch --data-dir D demo --no-serve``) or a store of real
sources next to the airline tweets (docs/evaluation.md, "Routing close to the posts").

    .venv/bin/python benchmarks/voice_routing.py --data-dir D --week 2015-W08 --topic refund
"""

from __future__ import annotations

import argparse
import json
from typing import Any


def main() -> None:
    """Parse options, build the digests and reports, print one line per routed document."""
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data-dir", required=True)
    parser.add_argument("--week", action="append", default=[], help="ISO week (repeatable)")
    parser.add_argument("--topic", action="append", default=[], help="voice topic (repeatable)")
    parser.add_argument("--json", action="store_true", help="print JSON lines")
    opts = parser.parse_args()

    import numpy as np

    import search.voice_routing as routing
    from search.config import Settings
    from search.digest import DigestBuilder
    from search.engine import SearchEngine
    from search.models import Principal
    from search.voice import VoiceAnalyzer

    engine = SearchEngine(Settings(data_dir=opts.data_dir))
    floor = routing.FOCUS_SIMILARITY.get(engine.embedder.name)
    routing.FOCUS_SIMILARITY.pop(engine.embedder.name, None)  # list what the floor would drop
    rows: list[dict[str, Any]] = []
    where = {"at": ""}

    class ListingRouter(routing.Router):
        """Routes as shipped, without the floor, and records each document's closeness."""

        def internal_documents(self, query: str, principal: Principal,
                               posts: np.ndarray | None = None) -> list[dict[str, Any]]:
            hits = super().internal_documents(query, principal, posts)
            near = self.closeness(posts, [h["id"] for h in hits]) if posts is not None else {}
            for hit in hits:
                close = near.get(hit["id"])
                rows.append({"at": where["at"], "query": query,
                             "posts": 0 if posts is None else len(posts),
                             "document": hit["title"] or hit["id"], "closeness": close,
                             "kept": floor is None or (close is not None and close >= floor)})
            return hits

    analyzer = VoiceAnalyzer(engine)
    analyzer.router = ListingRouter(engine, analyzer.min_similarity)
    everyone = Principal.system()
    for week in opts.week:
        where["at"] = f"digest {week}"
        DigestBuilder(engine, analyzer).build(week, everyone)
    for topic in opts.topic:
        where["at"] = f"voice {topic!r}"
        analyzer.report(topic, None, None, everyone)
    for row in rows:
        if opts.json:
            print(json.dumps(row))
        else:
            close = "  -  " if row["closeness"] is None else f"{row['closeness']:.3f}"
            print(f"{close} {'kept   ' if row['kept'] else 'dropped'} {row['at']:<22} "
                  f"[{row['query'][:36]}] -> {row['document'][:60]}")
    kept = sum(1 for r in rows if r["kept"])
    print(f"# floor {floor}: {kept} of {len(rows)} routed documents kept")


if __name__ == "__main__":
    main()
