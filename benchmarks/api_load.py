"""Load-test the search API over loopback: throughput and latency under concurrent clients.

Starts ``socialsearch serve`` (waitress) on the demo corpus in a subprocess, creates an API
token, then runs concurrent keep-alive clients for a bounded number of requests and time:

    .venv/bin/python benchmarks/api_load.py --data-dir socialsearch-data/demo

Queries are varied the way people type them: most are distinct 1–4 word combinations of
words from the corpus's public titles (so the engine's query-embedding cache rarely helps),
and a minority repeat a few popular searches. Pass ``--url`` and ``--token`` to load an
already running server instead.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import re
import socket
import subprocess
import sys
import threading
import time
from collections import Counter
from pathlib import Path
from urllib.parse import quote, urlsplit

REPO = Path(__file__).resolve().parents[1]
DEMO = REPO / "search" / "demo_corpus"
POPULAR = ["billing", "sso login loop", "refund", "okta", "dashboards", "onboarding checklist",
           "invoice vat", "mobile sdk crash", "pricing", "data export"]
STOP = frozenset(re.findall(r"\w+", """the a an and or of to in on for with is are how what why
when do does can we our your it its by from at as be this that after before new not"""))


def percentile(values: list[float], pct: float) -> float:
    """Return the ``pct`` percentile (nearest rank) of ``values``."""
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    index = max(0, min(len(ordered) - 1, round(pct / 100 * len(ordered) + 0.5) - 1))
    return ordered[index]


def make_queries(count: int, seed: int, popular_share: float) -> list[str]:
    """Return ``count`` realistic queries built from words of the demo corpus titles."""
    words: list[str] = []
    for name in ("wiki.jsonl", "qa.jsonl", "slack.jsonl"):
        path = DEMO / name
        if path.exists():
            for line in path.read_text().splitlines():
                title = json.loads(line).get("title", "")
                words += [w for w in re.findall(r"[a-z][a-z0-9-]{2,}", title.lower())
                          if w not in STOP]
    if not words:
        sys.exit(f"no demo corpus titles found in {DEMO}")
    rng = random.Random(seed)
    out = []
    for _ in range(count):
        if rng.random() < popular_share:
            out.append(rng.choice(POPULAR))
        else:
            out.append(" ".join(rng.choice(words) for _ in range(rng.choice((1, 2, 2, 3, 3, 4)))))
    return out


def free_port() -> int:
    """Return a free TCP port on the loopback interface."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def start_server(data_dir: str, threads: int, embedder: str, torch_threads: int,
                 server_log: str) -> tuple[subprocess.Popen[bytes], str, str]:
    """Start ``socialsearch serve`` and return the process, its URL and an API token."""
    exe = str(Path(sys.executable).with_name("socialsearch"))
    env = os.environ | {"SOCIALSEARCH_EMBEDDER": embedder,
                        "SOCIALSEARCH_TORCH_THREADS": str(torch_threads)}
    token = subprocess.run([exe, "--data-dir", data_dir, "tokens", "create", "--user", "u.hkim",
                            "--name", "api-load"], env=env, check=True, capture_output=True,
                           text=True).stdout.strip()
    port = free_port()
    log = open(server_log, "ab")  # noqa: SIM115 - kept open for the server's lifetime
    proc = subprocess.Popen([exe, "--data-dir", data_dir, "serve", "--port", str(port),
                             "--threads", str(threads)], env=env,
                            stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            conn.request("GET", "/api/v1/health")
            if conn.getresponse().status == 200:
                return proc, url, token
        except OSError:
            time.sleep(0.5)
    proc.kill()
    sys.exit("the server did not come up within 180 s")


def cpu_seconds(pid: int) -> float | None:
    """Return the user + system CPU seconds a process has used (Linux), or ``None``."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def warm_up(url: str, token: str) -> None:
    """Send a few requests so that models, searchers and caches are loaded."""
    parts = urlsplit(url)
    conn = http.client.HTTPConnection(parts.hostname or "127.0.0.1", parts.port, timeout=60)
    for q in ("warm up", "billing refund", "sso"):
        conn.request("GET", f"/api/v1/search?q={quote(q)}",
                     headers={"Authorization": f"Bearer {token}"})
        conn.getresponse().read()


def run_load(url: str, token: str, queries: list[str], clients: int,
             duration: float) -> tuple[list[float], Counter[int], float]:
    """Send the queries from ``clients`` threads; return latencies (ms), statuses, seconds."""
    parts = urlsplit(url)
    host = parts.hostname or "127.0.0.1"
    latencies: list[float] = []
    statuses: Counter[int] = Counter()
    lock = threading.Lock()
    position = iter(range(len(queries)))
    stop_at = time.monotonic() + duration

    def client() -> None:
        conn = http.client.HTTPConnection(host, parts.port, timeout=30)
        headers = {"Authorization": f"Bearer {token}"}
        while time.monotonic() < stop_at:
            with lock:
                i = next(position, None)
            if i is None:
                return
            started = time.perf_counter()
            try:
                conn.request("GET", f"/api/v1/search?q={quote(queries[i])}&limit=10",
                             headers=headers)
                response = conn.getresponse()
                response.read()
                status = response.status
            except OSError:
                conn.close()
                conn = http.client.HTTPConnection(host, parts.port, timeout=30)
                status = 0
            elapsed = (time.perf_counter() - started) * 1000
            with lock:
                latencies.append(elapsed)
                statuses[status] += 1

    threads = [threading.Thread(target=client) for _ in range(clients)]
    begin = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return latencies, statuses, time.perf_counter() - begin


def main() -> None:
    """Parse options, run the load, print the figures (Markdown table and JSON)."""
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data-dir", default="socialsearch-data/demo",
                        help="Data directory with the demo corpus indexed (`socialsearch demo`).")
    parser.add_argument("--url", help="Load this running server instead of starting one.")
    parser.add_argument("--token", help="API token for --url.")
    parser.add_argument("--embedder", default="minilm", help="Embedder of the started server.")
    parser.add_argument("--requests", type=int, default=3000, help="Total requests (bound).")
    parser.add_argument("--duration", type=float, default=60.0, help="Time bound in seconds.")
    parser.add_argument("--clients", type=int, default=8, help="Concurrent client threads.")
    parser.add_argument("--threads", type=int, default=8, help="waitress worker threads.")
    parser.add_argument("--torch-threads", type=int, default=1,
                        help="torch threads per query encoding in the started server.")
    parser.add_argument("--popular-share", type=float, default=0.2,
                        help="Share of requests repeating a popular query.")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--server-log", default=os.devnull,
                        help="Append the started server's output (errors) to this file.")
    opts = parser.parse_args()
    proc = None
    if opts.url:
        if not opts.token:
            sys.exit("--url needs --token")
        url, token = opts.url, opts.token
    else:
        proc, url, token = start_server(opts.data_dir, opts.threads, opts.embedder,
                                        opts.torch_threads, opts.server_log)
    try:
        warm_up(url, token)
        queries = make_queries(opts.requests, opts.seed, opts.popular_share)
        cpu_before = cpu_seconds(proc.pid) if proc else None
        latencies, statuses, seconds = run_load(url, token, queries, opts.clients, opts.duration)
        cpu_after = cpu_seconds(proc.pid) if proc else None
    finally:
        if proc is not None:
            proc.terminate()
            proc.wait(timeout=30)
    done = len(latencies)
    distinct = len(set(queries[:done]))
    figures = {
        "requests": done, "seconds": round(seconds, 2),
        "requests_per_s": round(done / seconds, 1) if seconds else 0.0,
        "p50_ms": round(percentile(latencies, 50), 1),
        "p95_ms": round(percentile(latencies, 95), 1),
        "p99_ms": round(percentile(latencies, 99), 1), "max_ms": round(max(latencies), 1),
        "clients": opts.clients, "server_threads": opts.threads,
        "distinct_queries": distinct, "statuses": dict(statuses), "cpus": os.cpu_count(),
        "load_average_after": [round(x, 2) for x in os.getloadavg()],
        "server_cpu_ms_per_request": (
            round((cpu_after - cpu_before) * 1000 / done, 1)
            if cpu_before is not None and cpu_after is not None and done else None),
    }
    print("| requests | clients | req/s | p50 ms | p95 ms | p99 ms | distinct queries | errors |")
    print("|---|---|---|---|---|---|---|---|")
    errors = done - statuses.get(200, 0)
    print(f"| {done} | {opts.clients} | {figures['requests_per_s']} | {figures['p50_ms']} | "
          f"{figures['p95_ms']} | {figures['p99_ms']} | {distinct} | {errors} |")
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
