"""A floor for hits only the vector leg found: its cost on SciFact, and what it removes off-topic.

A nearest-neighbour search always returns neighbours, so without a floor a query that matches
nothing still fills a page. This runs the product's own search (linear fusion, 100 candidates
per leg) at several floors side by side: on SciFact's train and test queries (nDCG@10,
Recall@100, where a floor can only lose), and on off-topic queries (Cardano Stack Exchange
titles against SciFact; SciFact claims against the demo company), where every vector-only hit is
noise. Train gives an upper bound for the floor with the rule printed below; test is only
reported. Short paraphrases asked of the demo company (benchmarks/data/demo_paraphrases.tsv)
show how low a real match found by meaning alone can score, which is why the shipped floor sits
lower (docs/evaluation.md).

Run: .venv/bin/python benchmarks/search_floor.py [--paraphrases-only]
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Sequence
from pathlib import Path

from beir_scifact import DATA, open_index
from common import REPO, WORK, print_table, require
from experts_cardano import load_site

from indexers.jsonl import JsonlIndexer
from indexers.runner import run_indexer
from search import evaluation
from search.cli import DEMO_CORPUS
from search.config import Settings
from search.engine import NO_FLOOR, SearchEngine, SearchResult
from search.models import Principal

FLOORS = (NO_FLOOR, 0.0, 0.1, 0.15, 0.2, 0.25, 0.3, 0.35)
MAX_NDCG_LOSS = 0.002  # the bound: the highest floor losing at most this much train nDCG@10 …
MAX_RECALL_LOSS = 0.005  # … and at most this much train Recall@100
PARAPHRASES = REPO / "benchmarks" / "data" / "demo_paraphrases.tsv"


def ask(engine: SearchEngine, text: str, floor: float) -> SearchResult:
    """Run the product's search as an operator, top 100, at ``floor``."""
    return engine.search(text, Principal.system(), limit=100, facets=False, snippets=False,
                         min_vector_score=floor)


def quality(engine: SearchEngine, queries: dict[str, str], qrels: evaluation.Qrels,
            floors: Sequence[float]) -> dict[float, dict[str, float]]:
    """Score the top 100 of every query at each floor (nDCG@10, Recall@100, MRR@10).

    Each query runs at every floor in turn, so its vector comes from the engine's query cache.
    """
    runs: dict[float, evaluation.Run] = {floor: {} for floor in floors}
    for qid in qrels:
        for floor in floors:
            runs[floor][qid] = [(h.doc_id.removeprefix("scifact:"), h.score)
                                for h in ask(engine, queries[qid], floor).hits]
    return {floor: evaluation.evaluate(runs[floor], qrels) for floor in floors}


def noise(engine: SearchEngine, texts: Sequence[str],
          floors: Sequence[float]) -> dict[float, tuple[float, float, float]]:
    """Per floor: mean results, share with none, share whose first 10 contain none of the words."""
    totals: dict[float, list[int]] = {floor: [] for floor in floors}
    empty = dict.fromkeys(floors, 0)
    meaning_only = dict.fromkeys(floors, 0)
    for text in texts:
        for floor in floors:
            result = ask(engine, text, floor)
            totals[floor].append(result.total)
            empty[floor] += not result.hits
            first = result.hits[:10]
            meaning_only[floor] += bool(first) and all(h.keyword_rank is None for h in first)
    n = len(texts)
    return {floor: (statistics.fmean(totals[floor]), empty[floor] / n, meaning_only[floor] / n)
            for floor in floors}


def read_paraphrases(path: Path) -> list[tuple[str, str]]:
    """Return ``(query, document id)`` pairs from a TSV file (``#`` lines are comments)."""
    lines = path.read_text(encoding="utf-8").splitlines()
    return [(q, d) for q, d in (line.split("\t") for line in lines
                                 if line.strip() and not line.startswith("#"))]


def paraphrase_recall(engine: SearchEngine, pairs: Sequence[tuple[str, str]],
                      floors: Sequence[float],
                      ) -> tuple[dict[float, tuple[int, int]], dict[str, float]]:
    """Per floor: targets in the top 10, all and found by meaning alone; and those cosines.

    "By meaning alone" is decided once, without a floor: the target is in the top 10 and the
    keyword leg did not find it (no word of the query is in it).
    """
    alone: dict[str, float] = {}
    for query, target in pairs:
        for hit in ask(engine, query, NO_FLOOR).hits[:10]:
            if hit.doc_id == target and hit.keyword_rank is None:
                alone[query] = hit.vector_score or 0.0
    found: dict[float, tuple[int, int]] = {}
    for floor in floors:
        top = {q: {h.doc_id for h in ask(engine, q, floor).hits[:10]} for q, _ in pairs}
        hits = [q for q, target in pairs if target in top[q]]
        found[floor] = (len(hits), sum(q in alone for q in hits))
    return found, alone


def demo_engine() -> SearchEngine:
    """Open (building on first use) a MiniLM index of the bundled demo corpus."""
    engine = SearchEngine(Settings(data_dir=str(WORK / "demo-minilm"), embedder="minilm"))
    if engine.store.count_documents() == 0:
        run_indexer(engine, JsonlIndexer(DEMO_CORPUS, source="demo"))
    return engine


def main() -> None:
    """Score every floor side by side and print the tables of docs/evaluation.md."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--floors", default=",".join(map(str, FLOORS)),
                        help="cosines to compare; -inf is no floor (the baseline)")
    parser.add_argument("--off-topic", type=int, default=500,
                        help="Cardano titles asked of SciFact (the latest N questions)")
    parser.add_argument("--paraphrases-only", action="store_true",
                        help="only the short paraphrases asked of the demo company (a minute)")
    args = parser.parse_args()
    floors = sorted(float(f) for f in args.floors.split(","))
    t0 = time.perf_counter()
    demo = demo_engine()
    pairs = read_paraphrases(PARAPHRASES)
    found, cosines = paraphrase_recall(demo, pairs, floors)
    print(f"Short paraphrases asked of the demo company ({len(pairs)} queries, "
          f"{PARAPHRASES.name}); {len(cosines)} targets are in the top 10 by meaning alone "
          f"without a floor: " + "; ".join(f"{q!r} at {c:.3f}" for q, c in
                                           sorted(cosines.items(), key=lambda qc: qc[1])))
    print_table(["floor", "target in top 10", "of them by meaning alone"],
                [(floor, f"{n}/{len(pairs)}", f"{m}/{len(cosines)}")
                 for floor, (n, m) in found.items()])
    if args.paraphrases_only:
        return
    print()
    scifact = open_index()
    queries = evaluation.read_queries(require(DATA / "queries.jsonl"))
    train = evaluation.read_qrels(DATA / "qrels" / "train.tsv")
    test = evaluation.read_qrels(DATA / "qrels" / "test.tsv")

    by_floor, on_test = quality(scifact, queries, train, floors), quality(scifact, queries, test,
                                                                          floors)
    rows = [(floor, by_floor[floor]["ndcg@10"], by_floor[floor]["recall@100"],
             on_test[floor]["ndcg@10"], on_test[floor]["recall@100"], on_test[floor]["mrr@10"])
            for floor in floors]
    print("SciFact (product search, linear fusion, top 100):")
    print_table(["floor", "train nDCG@10", "train Recall@100", "test nDCG@10",
                 "test Recall@100", "test MRR@10"], rows)
    base = by_floor[floors[0]]
    allowed = [f for f in floors
               if by_floor[f]["ndcg@10"] >= base["ndcg@10"] - MAX_NDCG_LOSS
               and by_floor[f]["recall@100"] >= base["recall@100"] - MAX_RECALL_LOSS]
    print(f"highest floor train allows (loses at most {MAX_NDCG_LOSS} nDCG@10 and "
          f"{MAX_RECALL_LOSS} Recall@100): {max(allowed)}; an upper bound only, since SciFact's "
          f"long claims share words with their abstracts (docs/evaluation.md)")

    site = load_site()
    titles = [q.title for q in sorted(site.questions.values(), key=lambda q: q.created)
              if q.title][-args.off_topic:]
    claims = [queries[qid] for qid in sorted(test)]
    asked_scifact, asked_demo = noise(scifact, titles, floors), noise(demo, claims, floors)
    off_topic = [(floor, *asked_scifact[floor], *asked_demo[floor]) for floor in floors]
    print(f"\nOff-topic queries: {len(titles)} Cardano titles asked of SciFact, "
          f"{len(claims)} SciFact test claims asked of the demo company:")
    print_table(["floor", "Cardano→SciFact mean results", "no result", "first 10 meaning-only",
                 "SciFact→demo mean results", "no result", "first 10 meaning-only"], off_topic)
    print(f"\n{time.perf_counter() - t0:.0f} s")


if __name__ == "__main__":
    main()
