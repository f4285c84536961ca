"""BEIR SciFact: BM25, dense, RRF and linear fusion side by side (weights tuned on train).

Run: .venv/bin/python benchmarks/beir_scifact.py
"""

from __future__ import annotations

import json
import time

from common import SHARED_DATA, WORK, print_table, require

from search import evaluation
from search.config import Settings
from search.engine import SearchEngine
from search.fusion import fuse
from search.models import Document

DATA = SHARED_DATA / "beir-scifact"
DEPTH = 1000


def load_corpus() -> list[Document]:
    """Read the SciFact abstracts as documents."""
    docs = []
    with open(require(DATA / "corpus.jsonl"), encoding="utf-8") as fh:
        for line in fh:
            row = json.loads(line)
            docs.append(Document(id=f"scifact:{row['_id']}", source="scifact", kind="abstract",
                                 title=row["title"], text=row["text"]))
    return docs


def legs(engine: SearchEngine, queries: dict[str, str], qids: list[str]) -> dict[str, tuple]:
    """Return each query's keyword and vector rankings (store numbers)."""
    out = {}
    for qid in qids:
        kw = engine.keyword.search(queries[qid], DEPTH, None).ranked
        vec = engine.vector.search(engine.embedder.embed([queries[qid]])[0], DEPTH)
        out[qid] = (kw, vec)
    return out


def score(runs: dict[str, tuple], ids: dict[int, str], qrels: evaluation.Qrels, method: str,
          weight: float = 0.5) -> dict[str, float]:
    """Fuse every query's legs with one method and evaluate."""
    run = {}
    for qid, (kw, vec) in runs.items():
        fused = fuse(kw, vec, method, vector_weight=weight)[:100]
        run[qid] = [(ids[n].removeprefix("scifact:"), s) for n, s in fused]
    return evaluation.evaluate(run, {q: qrels[q] for q in runs})


def open_index() -> SearchEngine:
    """Open the cached MiniLM index of SciFact, building it on first use."""
    engine = SearchEngine(Settings(data_dir=str(WORK / "scifact"), embedder="minilm"))
    docs = load_corpus()
    t0 = time.perf_counter()
    if engine.store.count_documents() != len(docs):
        for start in range(0, len(docs), 500):
            engine.upsert(docs[start : start + 500], save_vectors=False)
            print(f"indexed {min(start + 500, len(docs))}/{len(docs)}", flush=True)
        engine.save_vectors()
    print(f"index ready in {time.perf_counter() - t0:.1f}s")
    return engine


def main() -> None:
    """Index SciFact with MiniLM, then compare retrieval methods on the test qrels."""
    engine = open_index()
    ids = {s.num: s.doc.id for batch in engine.store.iter_documents() for s in batch}
    queries = evaluation.read_queries(DATA / "queries.jsonl")
    train = evaluation.read_qrels(DATA / "qrels" / "train.tsv")
    test = evaluation.read_qrels(DATA / "qrels" / "test.tsv")
    train_runs = legs(engine, queries, sorted(train))
    weights = [round(0.1 * i, 1) for i in range(1, 10)]
    tuned = max(weights, key=lambda w: score(train_runs, ids, train, "linear", w)["ndcg@10"])
    print(f"linear weight tuned on train: vector_weight={tuned}")
    test_runs = legs(engine, queries, sorted(test))
    rows = []
    for label, method, weight in [("BM25 (Whoosh)", "keyword", 0.5),
                                  ("dense (MiniLM)", "vector", 0.5),
                                  ("hybrid RRF k=60", "rrf", 0.5),
                                  ("hybrid linear w=0.5", "linear", 0.5),
                                  (f"hybrid linear w={tuned} (train-tuned)", "linear", tuned)]:
        metrics = score(test_runs, ids, test, method, weight)
        rows.append((label, metrics["ndcg@10"], metrics["recall@100"], metrics["mrr@10"]))
    print_table(["method", "nDCG@10", "Recall@100", "MRR@10"], rows)


if __name__ == "__main__":
    main()
