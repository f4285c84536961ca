"""Indexing throughput and hybrid query latency at 10k and 100k documents on this machine.

Run: .venv/bin/python benchmarks/scale_bench.py [--sizes 10000 100000]

Documents are synthetic (Zipf-distributed words, 6-word titles, 80-word bodies). Passages are
embedded with the 384-d hashing embedder so that 100k documents index in minutes; the FAISS and
Whoosh costs are the same as with MiniLM vectors. Queries are encoded with the real MiniLM model
(one torch thread), so the latency figures include real query encoding. MiniLM's own indexing
throughput is measured separately on 1,000 of the same documents.
"""

from __future__ import annotations

import argparse
import random
import shutil
import time
from collections.abc import Sequence

import numpy as np
from common import WORK, peak_rss_mb, percentile, print_table

from search.config import Settings
from search.embedder import HashingEmbedder, MiniLMEmbedder
from search.engine import SearchEngine
from search.models import Access, Document, Principal


class QueryTimeMiniLM(HashingEmbedder):
    """Hashing vectors for bulk passages, the real MiniLM model for single queries."""

    name = "bench-hash384"

    def __init__(self) -> None:
        super().__init__(dimension=384)
        self.minilm = MiniLMEmbedder(threads=1)

    def embed(self, texts: Sequence[str], batch_size: int = 32) -> np.ndarray:
        """Use MiniLM for one text (a query), hashing for batches (passages)."""
        if len(texts) == 1:
            return self.minilm.embed(texts)
        return super().embed(texts, batch_size)


def vocabulary(rng: random.Random, size: int = 30000) -> list[str]:
    """Make pronounceable pseudo-words."""
    syll = ["ka", "lo", "mi", "ne", "ru", "sa", "ti", "vo", "ze", "pra", "sto", "qui", "bel", "dor"]
    return list({"".join(rng.choice(syll) for _ in range(rng.randint(2, 4))) for _ in range(size)})


def corpus(n: int, words: list[str], seed: int = 3) -> list[Document]:
    """Generate ``n`` documents with Zipf-distributed words; 10% are private to a group."""
    rng = np.random.default_rng(seed)
    ranks = np.minimum(rng.zipf(1.2, size=(n, 86)), len(words)) - 1
    docs = []
    for i in range(n):
        ws = [words[r] for r in ranks[i]]
        docs.append(Document(
            id=f"bench:{i}", source="bench", kind="page", title=" ".join(ws[:6]),
            text=" ".join(ws[6:]),
            access=Access() if i % 10 else Access.restricted(groups=["secret"]),
        ))
    return docs


def timed_queries(engine: SearchEngine, queries: list[str], fusion: str) -> list[float]:
    """Run each query once and return latencies in ms."""
    out = []
    principal = Principal(user_id="u", groups=frozenset({"staff"}))
    for q in queries:
        t0 = time.perf_counter()
        engine.search(q, principal, limit=10, fusion=fusion, facets=True)
        out.append((time.perf_counter() - t0) * 1000)
    return out


def main() -> None:
    """Build each size, time indexing, then time short and long queries per method."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", type=int, nargs="+", default=[10000, 100000])
    args = parser.parse_args()
    rng = random.Random(1)
    words = vocabulary(rng)
    embedder = QueryTimeMiniLM()
    sample = [d.title + " " + d.text for d in corpus(1000, words, seed=99)]
    embedder.minilm.threads = 2
    t0 = time.perf_counter()
    MiniLMEmbedder(threads=2).embed(sample)
    minilm_rate = len(sample) / (time.perf_counter() - t0)
    print(f"MiniLM passage embedding, 2 threads: {minilm_rate:.1f} docs/s (1,000 docs)")
    rows = []
    for size in args.sizes:
        path = WORK / f"scale-{size}"
        shutil.rmtree(path, ignore_errors=True)
        engine = SearchEngine(Settings(data_dir=str(path), embedder="hashing"), embedder=embedder)
        docs = corpus(size, words)
        t0 = time.perf_counter()
        for start in range(0, size, 2000):
            engine.upsert(docs[start : start + 2000], save_vectors=False)
        engine.save_vectors()
        index_rate = size / (time.perf_counter() - t0)
        short = [" ".join(rng.choice(words[:3000]) for _ in range(rng.randint(2, 4)))
                 for _ in range(200)]
        long = [" ".join(rng.choice(words[:8000]) for _ in range(12)) for _ in range(100)]
        engine.search("warm up", Principal.anonymous())
        for label, queries in (("2-4 words", short), ("12 words", long)):
            for fusion in ("keyword", "vector", "rrf"):
                lat = timed_queries(engine, queries, fusion)
                rows.append((size, label, fusion, f"{percentile(lat, 50):.1f}",
                             f"{percentile(lat, 95):.1f}"))
        print(f"{size} docs: store+Whoosh+FAISS indexing {index_rate:.0f} docs/s "
              f"(hashing vectors); peak RSS so far {peak_rss_mb():.0f} MiB", flush=True)
        engine.close()
    print_table(["docs", "query", "method", "p50 ms", "p95 ms"], rows)


if __name__ == "__main__":
    main()
