"""Kill -9 the indexer at random moments over many runs and check nothing committed is lost.

Each round indexes a fresh synthetic corpus (hashing embedder) in a subprocess and kills it
``--kills`` times at random moments; after every kill the data directory is reopened, caught
up and checked with ``doctor`` (store and both indexes agree) and the document count must
never fall. The round ends with an uninterrupted run that must complete the job:

    nice -n 10 .venv/bin/python benchmarks/crash_runs.py --rounds 5 --kills 6

The unit suite runs the same check with two kills (tests/robustness/test_faults.py).
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.robustness.faults import kill_runs, write_corpus


def main() -> None:
    """Run the rounds and print one JSON line per round and a summary line."""
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=5, help="Fresh data directories.")
    parser.add_argument("--kills", type=int, default=6, help="Kill attempts per round.")
    parser.add_argument("--docs", type=int, default=3000, help="Documents in the corpus.")
    parser.add_argument("--low", type=float, default=0.5, help="Earliest kill (seconds).")
    parser.add_argument("--high", type=float, default=6.0, help="Latest kill (seconds).")
    parser.add_argument("--mid-run", action="store_true",
                        help="Count each delay from the first committed batch of the run.")
    parser.add_argument("--seed", type=int, default=1)
    opts = parser.parse_args()
    began = time.monotonic()
    kills = failures = 0
    for round_no in range(opts.rounds):
        work = Path(tempfile.mkdtemp(prefix="crash-runs-"))
        try:
            corpus = work / "corpus.jsonl"
            write_corpus(corpus, opts.docs, seed=opts.seed + round_no)
            try:
                result = kill_runs(work / "data", corpus, opts.docs, opts.kills,
                                   seed=opts.seed * 1000 + round_no, low=opts.low,
                                   high=opts.high, mid_run=opts.mid_run)
            except AssertionError as exc:
                failures += 1
                result = {"failed": str(exc)}
            kills += int(result.get("kills", 0))
            print(json.dumps({"round": round_no, **result}), flush=True)
        finally:
            shutil.rmtree(work, ignore_errors=True)
    print(json.dumps({"rounds": opts.rounds, "kill_attempts": opts.rounds * opts.kills,
                      "kills": kills, "failed_rounds": failures,
                      "seconds": round(time.monotonic() - began, 1)}))
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
