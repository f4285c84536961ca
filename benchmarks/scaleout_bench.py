"""Scale-out backends measured: SciFact quality (Milvus vs local), latency at 100k, Ray indexing.

Run (each part alone, or ``all``):
    .venv/bin/python benchmarks/scaleout_bench.py scifact [--embedder hashing]
    .venv/bin/python benchmarks/scaleout_bench.py latency --docs 100000 --queries 300
    .venv/bin/python benchmarks/scaleout_bench.py ray --docs 1000 [--embedder hashing]
Milvus is milvus-lite 2.5.1 served on loopback. ``scifact`` works on a copy of the store that
``benchmarks/beir_scifact.py`` builds in ``benchmarks/var/scifact`` (its embedding cache supplies
every vector, nothing is re-embedded; build it first). ``latency`` prints each step of the growing
synthetic corpus as soon as it is measured, so a bounded run still reports the sizes it reached.
"""

from __future__ import annotations

import argparse
import json
import os
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


def load_average() -> str:
    """Return the 1/5/15-minute load averages, for printing beside timings."""
    return " / ".join(f"{x:.2f}" for x in os.getloadavg())


def disk_bytes(path: Path) -> int:
    """Return the bytes of every file under ``path`` (or of the file itself)."""
    if path.is_file():
        return path.stat().st_size
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file())


def scifact(args: argparse.Namespace) -> None:
    """nDCG@10 and Recall@100 on the SciFact test qrels, local vs Milvus, same vectors.

    ``--embedder hashing`` builds a fresh store with the hashing embedder instead of copying the
    MiniLM one: it checks the two backends' machinery (legs, RRF and weighted rankers) on the
    real qrels when no MiniLM embeddings exist, not MiniLM's quality.
    """
    qrels = evaluation.read_qrels(require(SCIFACT / "qrels" / "test.tsv"))
    queries = evaluation.read_queries(SCIFACT / "queries.jsonl")
    root = Path(tempfile.mkdtemp(prefix="scaleout-scifact-", dir=args.tmp))
    embedder: Any
    if args.embedder == "hashing":
        from beir_scifact import load_corpus

        embedder = HashingEmbedder(dimension=384)
        seed = SearchEngine(Settings(data_dir=str(root / "seed"), embedder="hashing",
                                     store_url=f"sqlite:///{root / 'store.db'}"),
                            embedder=embedder, sync_on_open=False, post_sync=[])
        seed.store.upsert_documents(load_corpus())
        seed.close()
    else:
        copy_store(require(WORK / "scifact" / "store.db"), root / "store.db")
        embedder = MiniLMEmbedder(threads=2)
    server, uri = start_milvus(root)
    try:
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
                print(f"{fusion} {backend} {scores} load {load_average()}", file=sys.stderr,
                      flush=True)
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


def timed_queries(built: dict[str, SearchEngine], qs: list[str], asker: Principal
                  ) -> dict[str, list[float]]:
    """Answer the same queries on every backend, interleaved; return milliseconds per backend."""
    for q in qs[:10]:
        for engine in built.values():
            engine.search(q, asker, limit=10)
    times: dict[str, list[float]] = {name: [] for name in built}
    for i, q in enumerate(qs):
        order = list(built.items()) if i % 2 == 0 else list(built.items())[::-1]
        for name, engine in order:
            t0 = time.perf_counter()
            engine.search(q, asker, limit=10)
            times[name].append((time.perf_counter() - t0) * 1000)
    return times


def latency(args: argparse.Namespace) -> None:
    """Query p50/p95 as the synthetic corpus grows to ``--docs`` (hashing embedder, 384 dims).

    Both backends read one store and are synced after each step; they answer the same queries
    interleaved (local, Milvus, Milvus, local, …), so load from other processes hits both
    alike. Each step's rows are printed as soon as they are measured.
    """
    root = Path(tempfile.mkdtemp(prefix="scaleout-latency-", dir=args.tmp))
    server, uri = start_milvus(root)
    try:
        embedder = HashingEmbedder(dimension=384)
        store_url = f"sqlite:///{root / 'store.db'}"
        seed = SearchEngine(Settings(data_dir=str(root / "seed"), store_url=store_url,
                                     embedder="hashing"), embedder=embedder,
                            sync_on_open=False, post_sync=[])
        built = engines(root, store_url, embedder, uri)
        docs = synthetic(args.docs)
        rng = random.Random(9)
        qs = [" ".join(rng.choices(WORDS[:3000], k=rng.randint(2, 4))) for _ in range(args.queries)]
        asker = Principal(user_id="u1", groups=frozenset({"g2"}))
        steps = sorted({min(args.docs, s) for s in (10_000, 25_000, 50_000, args.docs)})
        build = {"store": 0.0, **{name: 0.0 for name in built}}
        done = 0
        print_table(["backend", "documents", "p50 ms", "p95 ms", "mean ms", "build s (total)",
                     "load avg 1/5/15"], [])
        for step in steps:
            t0 = time.perf_counter()
            for start in range(done, step, 5000):
                seed.store.upsert_documents(docs[start : min(start + 5000, step)])
            build["store"] += time.perf_counter() - t0
            for name, engine in built.items():
                t0 = time.perf_counter()
                engine.sync()
                build[name] += time.perf_counter() - t0
            done = step
            times = timed_queries(built, qs, asker)
            for name, t in times.items():
                print(f"| {name} | {step} | {percentile(t, 50):.1f} | {percentile(t, 95):.1f} | "
                      f"{statistics.mean(t):.1f} | {build[name]:.0f} | {load_average()} |",
                      flush=True)
            sizes = {"store (SQLite + WAL)": sum(disk_bytes(f) for f in root.glob("store.db*")),
                     "local (Whoosh + FAISS)": disk_bytes(root / "local"),
                     "Milvus (milvus-lite data)": disk_bytes(root / "milvus.db")}
            print(f"  at {step}: store writes {build['store']:.0f}s; bytes per document: "
                  + ", ".join(f"{n} {b / step:.0f}" for n, b in sizes.items()), flush=True)
        seed.close()
    finally:
        server.stop()
        shutil.rmtree(root, ignore_errors=True)


def start_ray(ray: Any, attempts: int = 3) -> None:
    """Start a local two-CPU Ray; retry, as a loaded machine can miss Ray's 30 s start-up limit."""
    for attempt in range(attempts):
        try:
            ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False,
                     _node_ip_address="127.0.0.1")
            return
        except Exception as exc:  # Ray raises a bare Exception on a start-up timeout
            ray.shutdown()
            if attempt == attempts - 1:
                raise SystemExit(f"Ray did not start: {exc}") from exc


def ray_indexing(args: argparse.Namespace) -> None:
    """Indexing docs/s of SciFact abstracts: single process vs Ray Data on 2 local workers.

    Besides wall time it reports the driver process's CPU seconds per document: for the single
    process that is the whole cost; with Ray it is the serial part (unpickling, store and index
    writes) that stays on one machine however many embedding workers are added.
    """
    import ray

    from indexers.jsonl import JsonlIndexer
    from indexers.ray_runner import run_indexer_ray
    from indexers.runner import run_indexer

    root = Path(tempfile.mkdtemp(prefix="scaleout-ray-", dir=args.tmp))
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
            single = mode == "single process"
            settings = Settings(data_dir=str(root / ("single" if single else "ray")),
                                embedder=args.embedder)
            embedder: Any = (MiniLMEmbedder(threads=2 if single else 1)
                             if args.embedder == "minilm" else HashingEmbedder(dimension=384))
            engine = SearchEngine(settings, embedder=embedder, post_sync=[])
            if single:
                embedder.embed(["warm up"])
            else:
                start_ray(ray)
            t0, c0 = time.perf_counter(), time.process_time()
            if single:
                report = run_indexer(engine, JsonlIndexer(corpus))
            else:
                report = run_indexer_ray(engine, JsonlIndexer(corpus), workers=2)
            elapsed, cpu = time.perf_counter() - t0, time.process_time() - c0
            rows.append([mode, args.embedder, report.added, f"{elapsed:.1f}",
                         f"{report.added / elapsed:.2f}", f"{1000 * cpu / report.added:.1f}",
                         load_average()])
            print(rows[-1], file=sys.stderr, flush=True)
            engine.close()
    finally:
        ray.shutdown()
        shutil.rmtree(root, ignore_errors=True)
    print_table(["runner", "embedder", "documents", "seconds", "docs/s",
                 "driver CPU ms/doc", "load avg 1/5/15"], rows)


def main() -> None:
    """Run the requested part of the benchmark."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("part", choices=["scifact", "latency", "ray", "all"])
    parser.add_argument("--docs", type=int, default=0)
    parser.add_argument("--queries", type=int, default=300)
    parser.add_argument("--embedder", choices=["minilm", "hashing"], default="minilm",
                        help="scifact and ray parts: the real model, or the hashing one")
    parser.add_argument("--tmp", default=None, help="directory for the temporary indexes")
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
