"""SciFact test quality with torch vs int8 ONNX query encoding, side by side on one index.

Run ``benchmarks/beir_scifact.py`` once first (it builds ``benchmarks/var/scifact``). Both
encoders query the same documents' vectors (always embedded by torch), with the same legs and
depth as ``beir_scifact.py``, so the only difference is how the query is encoded.
"""

from __future__ import annotations

from beir_scifact import DATA, DEPTH, WORK, score
from common import print_table

from search import evaluation
from search.config import Settings
from search.engine import SearchEngine

METHODS = [("dense (MiniLM)", "vector", 0.5), ("hybrid RRF k=60", "rrf", 0.5),
           ("hybrid linear w=0.4 (default)", "linear", 0.4)]


def main() -> None:
    """Print nDCG@10 and Recall@100 per method for each query encoder."""
    queries = evaluation.read_queries(DATA / "queries.jsonl")
    test = evaluation.read_qrels(DATA / "qrels" / "test.tsv")
    rows = []
    for encoder in ("torch", "onnx"):
        settings = Settings(data_dir=str(WORK / "scifact"), embedder="minilm",
                            query_encoder=encoder)
        engine = SearchEngine(settings, sync_on_open=False, post_sync=[])
        ids = {s.num: s.doc.id for batch in engine.store.iter_documents() for s in batch}
        runs = {}
        for qid in sorted(test):
            kw = engine.keyword.search(queries[qid], DEPTH, None).ranked
            vec = engine.vector.search(engine.query_encoder.embed([queries[qid]])[0], DEPTH)
            runs[qid] = (kw, vec)
        for label, method, weight in METHODS:
            metrics = score(runs, ids, test, method, weight)
            rows.append((encoder, label, metrics["ndcg@10"], metrics["recall@100"]))
        engine.close()
    print_table(["query encoder", "method", "nDCG@10", "Recall@100"], rows)


if __name__ == "__main__":
    main()
