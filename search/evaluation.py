"""Retrieval evaluation: qrels and run files (TREC/BEIR), nDCG@10, MRR@10 and Recall@100."""

from __future__ import annotations

import json
import math
from collections.abc import Mapping, Sequence
from pathlib import Path

Qrels = dict[str, dict[str, int]]
Run = dict[str, list[tuple[str, float]]]


def read_qrels(path: str | Path) -> Qrels:
    """Read BEIR TSV qrels (``query-id corpus-id score`` with header) or TREC 4-column qrels."""
    qrels: Qrels = {}
    with open(path, encoding="utf-8-sig") as fh:
        for line in fh:
            parts = line.strip().split()
            if not parts or parts[0] == "query-id":
                continue
            if len(parts) == 4:
                qid, _, doc, rel = parts
            elif len(parts) == 3:
                qid, doc, rel = parts
            else:
                raise ValueError(f"bad qrels line in {path}: {line.strip()!r}")
            qrels.setdefault(qid, {})[doc] = int(float(rel))
    return qrels


def read_queries(path: str | Path) -> dict[str, str]:
    """Read queries from BEIR JSONL (``_id``, ``text``) or a TSV of ``id<TAB>text``."""
    queries: dict[str, str] = {}
    with open(path, encoding="utf-8-sig") as fh:
        for line in fh:
            if not line.strip():
                continue
            if line.lstrip().startswith("{"):
                data = json.loads(line)
                queries[str(data["_id"])] = str(data["text"])
            else:
                qid, _, text = line.rstrip("\n").partition("\t")
                queries[qid] = text
    return queries


def write_run(run: Run, path: str | Path, tag: str = "socialsearch") -> None:
    """Write a TREC run file (``qid Q0 doc rank score tag``)."""
    with open(path, "w", encoding="utf-8") as fh:
        for qid, ranked in run.items():
            for rank, (doc, score) in enumerate(ranked, start=1):
                fh.write(f"{qid} Q0 {doc} {rank} {score:.6f} {tag}\n")


def read_run(path: str | Path) -> Run:
    """Read a TREC run file."""
    run: Run = {}
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            parts = line.split()
            if len(parts) >= 5:
                run.setdefault(parts[0], []).append((parts[2], float(parts[4])))
    for ranked in run.values():
        ranked.sort(key=lambda item: -item[1])
    return run


def ndcg_at_k(ranked: Sequence[str], relevant: Mapping[str, int], k: int = 10) -> float:
    """Normalised discounted cumulative gain at ``k`` with graded relevance."""
    dcg = sum(
        (2 ** relevant.get(doc, 0) - 1) / math.log2(i + 2) for i, doc in enumerate(ranked[:k])
    )
    ideal = sorted(relevant.values(), reverse=True)[:k]
    idcg = sum((2**rel - 1) / math.log2(i + 2) for i, rel in enumerate(ideal))
    return dcg / idcg if idcg > 0 else 0.0


def mrr_at_k(ranked: Sequence[str], relevant: Mapping[str, int], k: int = 10) -> float:
    """Reciprocal rank of the first relevant document within ``k``."""
    for i, doc in enumerate(ranked[:k]):
        if relevant.get(doc, 0) > 0:
            return 1.0 / (i + 1)
    return 0.0


def recall_at_k(ranked: Sequence[str], relevant: Mapping[str, int], k: int = 100) -> float:
    """Share of relevant documents found within ``k``."""
    wanted = {doc for doc, rel in relevant.items() if rel > 0}
    if not wanted:
        return 0.0
    return len(wanted & set(ranked[:k])) / len(wanted)


def evaluate(run: Run, qrels: Qrels) -> dict[str, float]:
    """Average nDCG@10, MRR@10 and Recall@100 over every judged query (missing runs score 0)."""
    if not qrels:
        raise ValueError("no judged queries")
    totals = {"ndcg@10": 0.0, "mrr@10": 0.0, "recall@100": 0.0}
    for qid, relevant in qrels.items():
        ranked = [doc for doc, _ in run.get(qid, [])]
        totals["ndcg@10"] += ndcg_at_k(ranked, relevant)
        totals["mrr@10"] += mrr_at_k(ranked, relevant)
        totals["recall@100"] += recall_at_k(ranked, relevant)
    return {name: value / len(qrels) for name, value in totals.items()}
