"""Soak-test the production WSGI server on loopback: mixed routes, concurrent clients, memory.

Indexes the demo corpus into ``--data-dir`` if it is empty, starts ``socialsearch serve``
(waitress) in a subprocess, creates an API token, then runs concurrent keep-alive clients that
send a weighted mix of ``/api/v1/search``, ``/api/v1/experts`` and ``/api/v1/voice`` requests
until ``--requests`` have been sent or ``--duration`` seconds have passed, whichever comes
first, after a short warm-up (two requests per route, not counted). The server's resident
memory (RSS) is sampled every ``--sample-seconds``:

    nice -n 10 .venv/bin/python benchmarks/soak.py --duration 300

Prints a Markdown table per route (requests, p50/p95/p99 latency, errors), the RSS of the
first and last minute, and one JSON line with every figure. Exits with status 1 when any
request failed (a non-200 answer or a broken connection).
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import subprocess
import sys
import threading
import time
from collections import Counter, defaultdict
from pathlib import Path
from urllib.parse import quote

sys.path.insert(0, str(Path(__file__).resolve().parent))
from api_load import free_port, make_queries, percentile, wait_until_healthy

REPO = Path(__file__).resolve().parents[1]
EXE = str(Path(sys.executable).with_name("socialsearch"))
TOPICS = ["billing", "refund", "login", "mobile app", "pricing", "export", "api", "dashboard",
          "support", "invoice", "beacon", "privacy", "sso", "latency", "onboarding"]
ROUTES = {
    "search": "/api/v1/search?q={q}&limit=10",
    "experts": "/api/v1/experts?q={q}&limit=5",
    "voice": "/api/v1/voice?q={q}",
}


def rss_kib(pid: int) -> int | None:
    """Return the resident set size of a process in KiB (Linux), or ``None``."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    except OSError:
        return None
    return None


def ensure_index(data_dir: str, env: dict[str, str]) -> None:
    """Index the demo corpus into ``data_dir`` unless it already holds a store."""
    if any(Path(data_dir).glob("*.sqlite*")) or any(Path(data_dir).glob("*.db")):
        return
    subprocess.run([EXE, "--data-dir", data_dir, "demo", "--no-serve"], env=env, check=True,
                   stdout=subprocess.DEVNULL)


def start(data_dir: str, threads: int, env: dict[str, str],
          log_path: str) -> tuple[subprocess.Popen[bytes], int, str]:
    """Start ``socialsearch serve`` on a free loopback port; return process, port and token."""
    token = subprocess.run([EXE, "--data-dir", data_dir, "tokens", "create", "--user",
                            "u.hkim", "--name", "soak"], env=env, check=True,
                           capture_output=True, text=True).stdout.strip()
    port = free_port()
    log = open(log_path, "ab")  # noqa: SIM115 - kept open for the server's lifetime
    proc = subprocess.Popen([EXE, "--data-dir", data_dir, "serve", "--port", str(port),
                             "--threads", str(threads)], env=env, stdout=log,
                            stderr=subprocess.STDOUT)
    wait_until_healthy(proc, port)
    return proc, port, token


class Soak:
    """Concurrent clients sending a weighted route mix, plus an RSS sampler."""

    def __init__(self, port: int, token: str, mix: dict[str, int], seed: int) -> None:
        self.port = port
        self.headers = {"Authorization": f"Bearer {token}"}
        self.routes = [r for r, w in mix.items() for _ in range(w)]
        self.queries = make_queries(2000, seed, 0.2)
        self.rng = random.Random(seed)
        self.lock = threading.Lock()
        self.latencies: dict[str, list[float]] = defaultdict(list)
        self.statuses: dict[str, Counter[int]] = defaultdict(Counter)
        self.failures: list[str] = []
        self.sent = 0

    def request_line(self) -> tuple[str, str]:
        """Pick the next route and its URL (under the lock: the generator is shared)."""
        route = self.rng.choice(self.routes)
        text = self.rng.choice(self.queries) if route == "search" else self.rng.choice(TOPICS)
        return route, ROUTES[route].format(q=quote(text))

    def warm_up(self) -> None:
        """Send each route a few times so models and searchers load before measuring."""
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=300)
        for route in ROUTES:
            for text in TOPICS[:2]:
                conn.request("GET", ROUTES[route].format(q=quote(text)), headers=self.headers)
                conn.getresponse().read()
        conn.close()

    def client(self, stop_at: float, limit: int) -> None:
        """Send requests over one keep-alive connection until the time or count bound."""
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        while time.monotonic() < stop_at:
            with self.lock:
                if self.sent >= limit:
                    break
                self.sent += 1
                route, url = self.request_line()
            started = time.perf_counter()
            try:
                conn.request("GET", url, headers=self.headers)
                response = conn.getresponse()
                body = response.read()
                status = response.status
            except OSError as exc:
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
                status, body = 0, str(exc).encode()
            elapsed = (time.perf_counter() - started) * 1000
            with self.lock:
                self.latencies[route].append(elapsed)
                self.statuses[route][status] += 1
                if status != 200 and len(self.failures) < 20:
                    self.failures.append(f"{status} {url} {body[:200]!r}")
        conn.close()


def sample_rss(pid: int, every: float, stop: threading.Event,
               out: list[tuple[float, int]]) -> None:
    """Append ``(seconds since start, RSS KiB)`` every ``every`` seconds until stopped."""
    began = time.monotonic()
    while not stop.is_set():
        value = rss_kib(pid)
        if value is not None:
            out.append((time.monotonic() - began, value))
        stop.wait(every)


def summarise(soak: Soak, seconds: float, rss: list[tuple[float, int]],
              window: float) -> dict[str, object]:
    """Return every figure of the run as a JSON-ready dictionary."""
    routes = {}
    for route, values in sorted(soak.latencies.items()):
        statuses = soak.statuses[route]
        routes[route] = {
            "requests": len(values), "errors": len(values) - statuses.get(200, 0),
            "p50_ms": round(percentile(values, 50), 1), "p95_ms": round(percentile(values, 95), 1),
            "p99_ms": round(percentile(values, 99), 1), "max_ms": round(max(values), 1),
            "statuses": {str(k): v for k, v in statuses.items()},
        }
    total = sum(len(v) for v in soak.latencies.values())
    end = rss[-1][0] if rss else 0.0
    first = [kib for t, kib in rss if t <= window]
    last = [kib for t, kib in rss if t >= end - window]
    return {
        "requests": total, "seconds": round(seconds, 1),
        "requests_per_s": round(total / seconds, 2) if seconds else 0.0,
        "errors": sum(r["errors"] for r in routes.values()),  # type: ignore[misc]
        "routes": routes,
        "rss_mib_first_window": round(sum(first) / len(first) / 1024, 1) if first else None,
        "rss_mib_last_window": round(sum(last) / len(last) / 1024, 1) if last else None,
        "rss_mib_max": round(max(k for _, k in rss) / 1024, 1) if rss else None,
        "rss_samples": len(rss), "rss_window_s": window,
        "load_average_after": [round(x, 2) for x in os.getloadavg()],
        "cpus": os.cpu_count(), "failures": soak.failures,
    }


def report(figures: dict[str, object], clients: int) -> None:
    """Print the Markdown tables and the JSON line."""
    print(f"| route | requests | p50 ms | p95 ms | p99 ms | max ms | errors |  ({clients} clients)")
    print("|---|---|---|---|---|---|---|")
    for route, r in figures["routes"].items():  # type: ignore[attr-defined]
        print(f"| {route} | {r['requests']} | {r['p50_ms']} | {r['p95_ms']} | {r['p99_ms']} | "
              f"{r['max_ms']} | {r['errors']} |")
    print(f"\ntotal {figures['requests']} requests in {figures['seconds']} s = "
          f"{figures['requests_per_s']} req/s, errors {figures['errors']}; RSS first "
          f"{figures['rss_window_s']} s {figures['rss_mib_first_window']} MiB, last "
          f"{figures['rss_mib_last_window']} MiB, max {figures['rss_mib_max']} MiB; "
          f"load average {figures['load_average_after']}")
    print(json.dumps(figures))


def main() -> None:
    """Parse options, run the soak, print the figures; exit 1 on any failed request."""
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data-dir", default=str(REPO / "benchmarks" / "var" / "soak-demo"),
                        help="Data directory (the demo corpus is indexed there if empty).")
    parser.add_argument("--duration", type=float, default=300.0, help="Time bound in seconds.")
    parser.add_argument("--requests", type=int, default=50_000, help="Request count bound.")
    parser.add_argument("--clients", type=int, default=6, help="Concurrent client threads.")
    parser.add_argument("--threads", type=int, default=8, help="waitress worker threads.")
    parser.add_argument("--mix", default="search=6,experts=2,voice=2",
                        help="Route weights, e.g. search=6,experts=2,voice=2.")
    parser.add_argument("--embedder", default="minilm", help="Embedder of the server.")
    parser.add_argument("--sample-seconds", type=float, default=5.0, help="RSS sample period.")
    parser.add_argument("--window", type=float, default=60.0,
                        help="Seconds of the first and last RSS windows compared.")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--server-log", default=str(REPO / "benchmarks" / "var" / "soak.log"))
    opts = parser.parse_args()
    mix = {k.strip(): int(v) for k, v in (p.split("=") for p in opts.mix.split(","))}
    unknown = set(mix) - set(ROUTES)
    if unknown:
        sys.exit(f"unknown routes in --mix: {', '.join(sorted(unknown))}")
    Path(opts.data_dir).mkdir(parents=True, exist_ok=True)
    Path(opts.server_log).parent.mkdir(parents=True, exist_ok=True)
    env = os.environ | {"SOCIALSEARCH_EMBEDDER": opts.embedder,
                        "SOCIALSEARCH_TORCH_THREADS": "1"}
    ensure_index(opts.data_dir, env)
    proc, port, token = start(opts.data_dir, opts.threads, env, opts.server_log)
    rss: list[tuple[float, int]] = []
    stop = threading.Event()
    try:
        soak = Soak(port, token, mix, opts.seed)
        soak.warm_up()
        sampler = threading.Thread(target=sample_rss, args=(proc.pid, opts.sample_seconds, stop,
                                                            rss), daemon=True)
        sampler.start()
        stop_at = time.monotonic() + opts.duration
        clients = [threading.Thread(target=soak.client, args=(stop_at, opts.requests))
                   for _ in range(opts.clients)]
        began = time.perf_counter()
        for t in clients:
            t.start()
        for t in clients:
            t.join()
        seconds = time.perf_counter() - began
        stop.set()
        sampler.join()
    finally:
        stop.set()
        proc.terminate()
        proc.wait(timeout=30)
    figures = summarise(soak, seconds, rss, opts.window)
    report(figures, opts.clients)
    sys.exit(1 if figures["errors"] else 0)


if __name__ == "__main__":
    main()
