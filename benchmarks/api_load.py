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


def start_server(opts: argparse.Namespace) -> tuple[subprocess.Popen[bytes], str, str]:
    """Start ``socialsearch serve`` and return the process, its URL and an API token.

    ``--source-tree`` runs the server from another checkout (e.g. an older commit unpacked
    with ``git archive``) so a baseline and the current code are measured in one session.
    """
    exe = [sys.executable, "-c", "from search.cli import main; main()",
           "--data-dir", str(Path(opts.data_dir).resolve())]
    tree = Path(opts.source_tree).resolve() if opts.source_tree else REPO
    env = os.environ | {"SOCIALSEARCH_EMBEDDER": opts.embedder,
                        "SOCIALSEARCH_TORCH_THREADS": str(opts.torch_threads),
                        "SOCIALSEARCH_QUERY_ENCODER": opts.query_encoder}
    env["PYTHONPATH"] = str(tree)  # with cwd=tree, ahead of the editable install
    token = subprocess.run([*exe, "tokens", "create", "--user", "u.hkim", "--name", "api-load"],
                           env=env, cwd=tree, check=True, capture_output=True,
                           text=True).stdout.strip()
    port = free_port()
    workers = ["--workers", str(opts.workers)] if opts.workers > 1 else []
    log = open(opts.server_log, "ab")  # noqa: SIM115 - kept open for the server's lifetime
    proc = subprocess.Popen([*exe, "serve", "--port", str(port), "--threads", str(opts.threads),
                             *workers], env=env, cwd=tree, stdout=log, stderr=subprocess.STDOUT)
    wait_until_healthy(proc, port)
    return proc, f"http://127.0.0.1:{port}", token


def wait_until_healthy(proc: subprocess.Popen, port: int, seconds: float = 180) -> None:
    """Wait for ``/api/v1/health`` on ``port`` to answer 200; kill the server and exit if not."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            conn.request("GET", "/api/v1/health")
            if conn.getresponse().status == 200:
                return
        except OSError:
            time.sleep(0.5)
    proc.kill()
    sys.exit(f"the server did not come up within {seconds:.0f} s")


def cpu_seconds(pid: int) -> float | None:
    """Return the CPU seconds a process and its live children have used (Linux), or ``None``."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    total = (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    try:
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    except OSError:
        children = []
    return total + sum(cpu_seconds(int(child)) or 0.0 for child in children)


def warm_up(url: str, token: str, rounds: int = 12) -> None:
    """Send requests on fresh connections so every worker loads its models and searchers."""
    parts = urlsplit(url)
    for i in range(rounds):
        conn = http.client.HTTPConnection(parts.hostname or "127.0.0.1", parts.port, timeout=120)
        conn.request("GET", f"/api/v1/search?q={quote(f'warm up {i}')}",
                     headers={"Authorization": f"Bearer {token}"})
        conn.getresponse().read()
        conn.close()


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


WRK_SCRIPT = """
local queries, n, counter = {}, 0, 0
local lat = {}
function init(args)
  for line in io.lines(args[1]) do n = n + 1; queries[n] = line end
  counter = tonumber(args[3]) or 0
  wrk.headers["Authorization"] = "Bearer " .. args[2]
end
function request()
  counter = counter + 1
  return wrk.format("GET", "/api/v1/search?limit=10&q=" .. queries[(counter % n) + 1])
end
function done(summary, latency, requests)
  local out = io.open(os.getenv("WRK_REPORT"), "w")
  for _, p in ipairs({50, 95, 99}) do out:write(p, " ", latency:percentile(p) / 1000, "\\n") end
  out:write("max ", latency.max / 1000, "\\n")
  out:write("requests ", summary.requests, "\\n")
  out:write("seconds ", summary.duration / 1e6, "\\n")
  local errors = summary.errors
  out:write("errors ", errors.connect + errors.read + errors.write + errors.status
            + errors.timeout, "\\n")
  out:close()
end
"""


def run_wrk(url: str, token: str, queries: list[str], clients: int,
            duration: float) -> tuple[list[float], Counter[int], float]:
    """Run ``wrk`` (one thread, ``clients`` connections) over the queries for ``duration``.

    wrk reports percentiles, not every latency: the returned list holds the p50/p95/p99/max
    values so the same summary code applies. Requests cycle through the query list.
    """
    import shutil
    import tempfile

    if shutil.which("wrk") is None:
        sys.exit("wrk is not installed: apt-get install wrk (or use --client python)")
    with tempfile.TemporaryDirectory() as tmp:
        qfile, script, report = (Path(tmp) / n for n in ("queries.txt", "load.lua", "out.txt"))
        qfile.write_text("\n".join(quote(q) for q in queries) + "\n")
        script.write_text(WRK_SCRIPT)
        subprocess.run(["wrk", "-t1", f"-c{clients}", f"-d{int(duration)}s", "--timeout", "30s",
                        "-s", str(script), url, "--", str(qfile), token, "0"],
                       check=True, capture_output=True,
                       env=os.environ | {"WRK_REPORT": str(report)})
        values = dict(line.split() for line in report.read_text().splitlines())
    count = int(values["requests"])
    errors = int(values["errors"])
    # a synthetic latency list with the measured percentiles at their ranks
    marks = sorted((float(values[p]), float(p)) for p in ("50", "95", "99"))
    latencies = []
    for i in range(count):
        rank = 100 * (i + 1) / count
        latencies.append(next((v for v, p in marks if rank <= p), float(values["max"])))
    return latencies, Counter({200: count - errors, 0: errors}), float(values["seconds"])


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
    parser.add_argument("--threads", type=int, default=8, help="Server threads per worker.")
    parser.add_argument("--workers", type=int, default=1,
                        help="Server worker processes (more than 1 forks gunicorn workers).")
    parser.add_argument("--query-encoder", default="auto", choices=("auto", "onnx", "torch"),
                        help="query_encoder setting of the started server.")
    parser.add_argument("--source-tree",
                        help="Run the started server from this source tree (a baseline).")
    parser.add_argument("--client", default="python", choices=("python", "wrk"),
                        help="Load client: Python threads, or wrk (Debian package) with a "
                             "Lua script (cheaper, leaves more CPU to the server).")
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
        proc, url, token = start_server(opts)
    try:
        warm_up(url, token)
        queries = make_queries(opts.requests, opts.seed, opts.popular_share)
        cpu_before = cpu_seconds(proc.pid) if proc else None
        if opts.client == "wrk":
            latencies, statuses, seconds = run_wrk(url, token, queries, opts.clients,
                                                   opts.duration)
        else:
            latencies, statuses, seconds = run_load(url, token, queries, opts.clients,
                                                    opts.duration)
        cpu_after = cpu_seconds(proc.pid) if proc else None
    finally:
        if proc is not None:
            proc.terminate()
            proc.wait(timeout=30)
    done = len(latencies)
    distinct = len(set(queries[:done]))  # wrk cycles the list: at most len(queries)
    figures = {
        "requests": done, "seconds": round(seconds, 2),
        "requests_per_s": round(done / seconds, 1) if seconds else 0.0,
        "p50_ms": round(percentile(latencies, 50), 1),
        "p95_ms": round(percentile(latencies, 95), 1),
        "p99_ms": round(percentile(latencies, 99), 1), "max_ms": round(max(latencies), 1),
        "clients": opts.clients, "client": opts.client, "server_threads": opts.threads,
        "server_workers": opts.workers, "query_encoder": opts.query_encoder,
        "source_tree": opts.source_tree or str(REPO),
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
