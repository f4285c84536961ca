"""Time the all-posts voice report with the ``search`` package of a given source tree.

For before/after comparisons across commits on the same index (benchmarks/var/voice_airline,
built by voice_bench.py): export each commit with ``git archive`` and run this script once per
tree, alternating, so both see the same machine. Prints one JSON line per run.

Run: .venv/bin/python benchmarks/voice_tree.py /tmp/tree-before --rounds 5
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

DATA = Path(__file__).resolve().parent / "var" / "voice_airline"


def main() -> None:
    """Time one cold and ``--rounds`` warm all-posts reports, analysis only then routed."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("tree", help="A source tree holding the search package to time.")
    parser.add_argument("--rounds", type=int, default=5, help="Warm reports per mode.")
    args = parser.parse_args()
    tree = str(Path(args.tree).resolve())
    sys.path.insert(0, tree)
    from search.config import Settings
    from search.engine import SearchEngine
    from search.models import Principal
    from search.voice import VoiceAnalyzer

    module = sys.modules["search.voice"].__file__ or ""
    if not module.startswith(tree):
        raise SystemExit(f"search.voice came from {module}, not from {tree}")
    engine = SearchEngine(Settings(data_dir=str(DATA), embedder="minilm"))
    principal = Principal.system()
    out: dict[str, object] = {"tree": tree, "load_before": os.getloadavg()}
    for route in (False, True):
        analyzer = VoiceAnalyzer(engine, route=route)
        start = time.perf_counter()
        report = analyzer.report("*", None, None, principal)
        cold = (time.perf_counter() - start) * 1000
        warm = []
        for _ in range(args.rounds):
            start = time.perf_counter()
            report = analyzer.report("*", None, None, principal)
            warm.append(round((time.perf_counter() - start) * 1000))
        out["full" if route else "analysis"] = {
            "cold_ms": round(cold), "warm_ms": warm, "posts": report.total,
            "themes": [theme.label for theme in report.themes]}
    out["load_after"] = os.getloadavg()
    print(json.dumps(out))
    engine.close()


if __name__ == "__main__":
    main()
