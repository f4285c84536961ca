"""One shared Whoosh searcher answers concurrent threads correctly (as gunicorn's gthread does)."""

from __future__ import annotations

import random
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from search.keyword import WhooshIndex
from search.models import Access, Document

WORDS = ["kafka", "billing", "refund", "okta", "login", "export", "dashboard", "invoice",
         "lag", "consumer", "pricing", "mobile", "crash", "checklist", "vat", "sso"]


@pytest.mark.slow
def test_concurrent_searches_match_sequential_ones(tmp_path: Path) -> None:
    rng = random.Random(5)
    ix = WhooshIndex(tmp_path / "kw")
    for batch in range(4):  # several segments, so each search opens several term files
        docs = [(n, Document(id=f"t:{n}", source=rng.choice(["slack", "wiki"]), kind="page",
                             title=" ".join(rng.sample(WORDS, 2)),
                             text=" ".join(rng.choices(WORDS, k=30)),
                             access=rng.choice([Access(), Access.restricted(groups=["g"])])),
                 "") for n in range(batch * 150, (batch + 1) * 150)]
        ix.apply(docs, [], seq=batch)
    queries = [" ".join(rng.sample(WORDS, rng.randint(1, 4))) for _ in range(60)]
    expected = [ix.search(q, 50, ["public"], facets=True) for q in queries]
    try:
        with ThreadPoolExecutor(max_workers=8) as pool:
            got = list(pool.map(lambda q: ix.search(q, 50, ["public"], facets=True),
                                queries * 2))
    finally:
        ix.close()
    assert got == expected * 2
