"""Does the Ray driver's CPU grow with documents or with wall time? Fast vs slowed embedder.

Local Ray with 2 CPUs; the hashing embedder, once as is and once sleeping 150 ms per passage (a
stand-in for a slow model that costs the driver nothing); runs alternate. The driver's CPU
(``time.process_time``: every thread of this process) is printed with the wall time.
"""

from __future__ import annotations

import json
import os
import random
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np

from indexers.jsonl import JsonlIndexer
from search.config import Settings
from search.embedder import HashingEmbedder
from search.engine import SearchEngine

DOCS = 200
DELAYS = (0.0, 0.15, 0.0, 0.15)


class SlowHashing(HashingEmbedder):
    """The hashing embedder, sleeping ``delay`` seconds per passage like a slow model."""

    delay = 0.0

    def embed(self, texts: Any, batch_size: int = 32) -> np.ndarray:
        """Sleep, then embed as the hashing embedder does."""
        time.sleep(self.delay * len(texts))
        return super().embed(texts, batch_size)


def write_corpus(path: Path, count: int) -> Path:
    """Write ``count`` short JSONL pages."""
    rng = random.Random(3)
    words = ["kafka", "billing", "invoice", "login", "latency", "refund", "export", "mobile"]
    lines = [json.dumps({"id": f"wiki:{i}", "title": f"Page {i}",
                         "text": " ".join(rng.choice(words) for _ in range(rng.randint(5, 60)))})
             for i in range(count)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def main() -> None:
    """Run the alternating fast and slowed jobs and print the driver's CPU for each."""
    os.environ.setdefault("RAY_USAGE_STATS_ENABLED", "0")
    import ray

    from indexers.ray_runner import run_indexer_ray

    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False, configure_logging=False,
             _node_ip_address="127.0.0.1")
    root = Path(tempfile.mkdtemp(prefix="ray-driver-"))
    corpus = write_corpus(root / "corpus.jsonl", DOCS)
    print("| sleep per passage | wall s | driver CPU s | driver CPU per document | core share |")
    print("|---|---|---|---|---|")
    for run, delay in enumerate(DELAYS):
        embedder = SlowHashing()
        embedder.delay = delay
        engine = SearchEngine(Settings(data_dir=str(root / f"run{run}"), embedder="hashing"),
                              embedder=embedder, post_sync=[])
        cpu0, wall0 = time.process_time(), time.perf_counter()
        run_indexer_ray(engine, JsonlIndexer(corpus), workers=2)
        cpu, wall = time.process_time() - cpu0, time.perf_counter() - wall0
        print(f"| {delay * 1000:.0f} ms | {wall:.1f} | {cpu:.2f} | {cpu / DOCS * 1000:.1f} ms | "
              f"{cpu / wall * 100:.1f} % |", flush=True)
        engine.close()
    print(f"load average {os.getloadavg()}")
    ray.shutdown()


if __name__ == "__main__":
    main()
