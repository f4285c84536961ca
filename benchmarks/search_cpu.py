"""CPU cost of one API search, in process and single-threaded (robust on a busy machine).

Runs varied queries (the same mix as ``api_load.py``) through the Flask test client against
``/api/v1/search`` with a token, and reports the process CPU time per request and the
engine's per-stage wall times. Run it from another source tree to measure a baseline:

    .venv/bin/python benchmarks/search_cpu.py --data-dir benchmarks/var/i6-demo
    (cd /tmp/old && PYTHONPATH=$PWD /work/main/.venv/bin/python \\
        /work/main/benchmarks/search_cpu.py --data-dir /work/main/benchmarks/var/i6-demo)
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path
from urllib.parse import quote

sys.path.insert(0, str(Path(__file__).resolve().parent))
from api_load import make_queries


def main() -> None:
    """Parse options, run the queries, print JSON figures."""
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data-dir", required=True)
    parser.add_argument("--queries", type=int, default=300)
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--query-encoder", default="auto")
    opts = parser.parse_args()
    os.environ.setdefault("SOCIALSEARCH_TORCH_THREADS", "1")
    os.environ["SOCIALSEARCH_QUERY_ENCODER"] = opts.query_encoder
    from search.config import load_settings
    from web import create_app

    settings = load_settings(overrides={"data_dir": opts.data_dir})
    app = create_app(settings)
    client = app.test_client()
    state = app.extensions["socialsearch"]
    token, _info = state.accounts.create_token("u.hkim", "search-cpu")
    headers = {"Authorization": f"Bearer {token}"}
    for warm in ("warm up", "billing refund", "sso"):
        client.get(f"/api/v1/search?q={quote(warm)}", headers=headers)
    queries = make_queries(opts.queries, opts.seed, 0.2)
    cpu: list[float] = []
    stages: dict[str, list[float]] = {}
    for q in queries:
        c0 = time.process_time()
        body = client.get(f"/api/v1/search?q={quote(q)}&limit=10", headers=headers).get_json()
        cpu.append((time.process_time() - c0) * 1000)
        for name, ms in body["timings_ms"].items():
            stages.setdefault(name, []).append(ms)
    print(json.dumps({
        "source": str(Path(sys.modules["search"].__file__ or "").parent.parent),
        "queries": len(queries), "distinct": len(set(queries)),
        "cpu_ms_mean": round(statistics.mean(cpu), 1),
        "cpu_ms_median": round(statistics.median(cpu), 1),
        "stage_ms_mean": {k: round(statistics.mean(v), 1) for k, v in stages.items()},
        "load_average": [round(x, 2) for x in os.getloadavg()],
    }))


if __name__ == "__main__":
    main()
