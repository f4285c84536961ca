"""Scale-out backends measured: SciFact quality (Milvus vs local), latency at 100k, Ray indexing.

Run (each part alone, or ``all``):
    .venv/bin/python benchmarks/scaleout_bench.py scifact   # needs benchmarks/var/scifact
    .venv/bin/python benchmarks/scaleout_bench.py latency --docs 100000 --queries 300
    .venv/bin/python benchmarks/scaleout_bench.py ray --docs 1000
Milvus is milvus-lite 2.5.1 served on loopback; the store is a copy of the lead's SciFact store
(its embedding cache supplies every vector, nothing is re-embedded).
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
import warnings
from pathlib import Path
from typing import Any

from common import SHARED_DATA, WORK, percentile, print_table, require

from search import evaluation
from search.config import Settings
from search.embedder import HashingEmbedder, MiniLMEmbedder
from search.engine import SearchEngine
from search.models import Document, Principal

SCIFACT = SHARED_DATA / "beir-scifact"
ALL = Principal.system()


def start_milvus(root: Path) -> tuple[Any, str]:
    """Start milvus-lite (the Milvus 2.5 C++ core) on a loopback port."""
    import socket

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from milvus_lite.server import Server
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    server = Server(str(root / "milvus.db"), address=f"127.0.0.1:{port}")
    if not server.init() or not server.start():
        raise SystemExit("milvus-lite did not start")
    time.sleep(2)
    return server, f"http://127.0.0.1:{port}"


def copy_store(src: Path, dst: Path) -> None:
    """Copy a SQLite store consistently without writing to the source (online backup)."""
    source = sqlite3.connect(f"file:{src}?mode=ro", uri=True)
    target = sqlite3.connect(dst)
    source.backup(target)
    source.close()
    target.close()


def engines(root: Path, store_url: str, embedder: Any, uri: str) -> dict[str, SearchEngine]:
    """Open the local and the Milvus engine over the same store and rebuild both indexes."""
    out = {}
    for backend in ("local", "milvus"):
        settings = Settings(data_dir=str(root / backend), store_url=store_url,
                            index_backend=backend, milvus_uri=uri,
                            milvus_collection=f"bench_{backend}", embedder="minilm")
        engine = SearchEngine(settings, embedder=embedder, sync_on_open=False, post_sync=[])
        t0 = time.perf_counter()
        count = engine.reindex()
        print(f"{backend}: indexed {count} documents in {time.perf_counter() - t0:.1f}s",
              file=sys.stderr)
        out[backend] = engine
    return out


def scifact(_args: argparse.Namespace) -> None:
    """nDCG@10 and Recall@100 on the SciFact test qrels, local vs Milvus, same vectors."""
    src = require(WORK / "scifact" / "store.db")
    qrels = evaluation.read_qrels(require(SCIFACT / "qrels" / "test.tsv"))
    queries = evaluation.read_queries(SCIFACT / "queries.jsonl")
    root = Path(tempfile.mkdtemp(prefix="scaleout-scifact-"))
    copy_store(src, root / "store.db")
    server, uri = start_milvus(root)
    try:
        embedder = MiniLMEmbedder(threads=2)
        built = engines(root, f"sqlite:///{root / 'store.db'}", embedder, uri)
        rows = []
        for fusion in ("keyword", "vector", "rrf", "linear"):
            row: list[object] = [fusion]
            for backend, engine in built.items():
                run = {}
                for qid in qrels:
                    hits = engine.search(queries[qid], ALL, limit=100, fusion=fusion,
                                         facets=False, snippets=False).hits
                    run[qid] = [(h.doc_id.removeprefix("scifact:"), h.score) for h in hits]
                scores = evaluation.evaluate(run, qrels)
                row += [f"{scores['ndcg@10']:.4f}", f"{scores['recall@100']:.4f}"]
                print(f"{fusion} {backend} {scores}", file=sys.stderr)
            rows.append(row)
        print_table(["fusion", "local nDCG@10", "local R@100", "Milvus nDCG@10",
                     "Milvus R@100"], rows)
    finally:
        server.stop()
        shutil.rmtree(root, ignore_errors=True)


WORDS = [f"w{i}" for i in range(20000)]


def synthetic(count: int, seed: int = 5) -> list[Document]:
    """Synthetic documents: 60-word texts over a Zipf-like vocabulary, a tenth restricted."""
    from search.models import Access

    rng = random.Random(seed)
    weights = [1.0 / (rank + 1) for rank in range(len(WORDS))]
    docs = []
    for i in range(count):
        words = rng.choices(WORDS, weights, k=60)
        access = Access.restricted(groups=["g1"]) if i % 10 == 0 else Access()
        docs.append(Document(id=f"syn:{i}", source="syn", kind="page", title=" ".join(words[:6]),
                             text=" ".join(words), access=access))
    return docs


def latency(args: argparse.Namespace) -> None:
    """Query p50/p95 at ``--docs`` synthetic documents, hashing embedder (384 dims)."""
    root = Path(tempfile.mkdtemp(prefix="scaleout-latency-"))
    server, uri = start_milvus(root)
    try:
        embedder = HashingEmbedder(dimension=384)
        store_url = f"sqlite:///{root / 'store.db'}"
        seed = SearchEngine(Settings(data_dir=str(root / "seed"), store_url=store_url,
                                     embedder="hashing"), embedder=embedder,
                            sync_on_open=False, post_sync=[])
        docs = synthetic(args.docs)
        for start in range(0, len(docs), 5000):
            seed.store.upsert_documents(docs[start : start + 5000])
        seed.close()
        built = engines(root, store_url, embedder, uri)
        rng = random.Random(9)
        qs = [" ".join(rng.choices(WORDS[:3000], k=rng.randint(2, 4))) for _ in range(args.queries)]
        asker = Principal(user_id="u1", groups=frozenset({"g2"}))
        rows = []
        for backend, engine in built.items():
            for q in qs[:10]:
                engine.search(q, asker, limit=10)
            times = []
            for q in qs:
                t0 = time.perf_counter()
                engine.search(q, asker, limit=10)
                times.append((time.perf_counter() - t0) * 1000)
            rows.append([backend, args.docs, f"{percentile(times, 50):.1f}",
                         f"{percentile(times, 95):.1f}", f"{statistics.mean(times):.1f}"])
        print_table(["backend", "documents", "p50 ms", "p95 ms", "mean ms"], rows)
    finally:
        server.stop()
        shutil.rmtree(root, ignore_errors=True)


def ray_indexing(args: argparse.Namespace) -> None:
    """Indexing docs/s of SciFact abstracts with MiniLM: single process vs Ray on 2 workers."""
    import ray

    from indexers.jsonl import JsonlIndexer
    from indexers.ray_runner import run_indexer_ray
    from indexers.runner import run_indexer

    root = Path(tempfile.mkdtemp(prefix="scaleout-ray-"))
    corpus = root / "scifact.jsonl"
    with open(require(SCIFACT / "corpus.jsonl"), encoding="utf-8") as fh, \
            open(corpus, "w", encoding="utf-8") as out:
        for line in list(fh)[: args.docs]:
            row = json.loads(line)
            out.write(json.dumps({"id": f"scifact:{row['_id']}", "title": row["title"],
                                  "text": row["text"]}) + "\n")
    rows = []
    try:
        for mode in ("single process", "ray, 2 workers"):
            settings = Settings(data_dir=str(root / mode.split()[0].strip(",")),
                                embedder="minilm")
            embedder = MiniLMEmbedder(threads=2 if mode == "single process" else 1)
            engine = SearchEngine(settings, embedder=embedder, post_sync=[])
            if mode != "single process":
                ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False,
                         _node_ip_address="127.0.0.1")
            t0 = time.perf_counter()
            if mode == "single process":
                embedder.embed(["warm up"])
                t0 = time.perf_counter()
                report = run_indexer(engine, JsonlIndexer(corpus))
            else:
                report = run_indexer_ray(engine, JsonlIndexer(corpus), workers=2)
            elapsed = time.perf_counter() - t0
            rows.append([mode, report.added, f"{elapsed:.1f}", f"{report.added / elapsed:.1f}"])
            engine.close()
    finally:
        ray.shutdown()
        shutil.rmtree(root, ignore_errors=True)
    print_table(["runner", "documents", "seconds", "docs/s"], rows)


def main() -> None:
    """Run the requested part of the benchmark."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("part", choices=["scifact", "latency", "ray", "all"])
    parser.add_argument("--docs", type=int, default=0)
    parser.add_argument("--queries", type=int, default=300)
    args = parser.parse_args()
    if args.part in ("scifact", "all"):
        scifact(args)
    if args.part in ("latency", "all"):
        args.docs = args.docs or 100_000
        latency(args)
    if args.part in ("ray", "all"):
        args.docs = args.docs or 1000
        ray_indexing(args)


if __name__ == "__main__":
    main()
