"""Fuzz every export parser with atheris (coverage-guided libFuzzer) for a bounded time.

Each input is one byte choosing an (indexer, file) pair of tests/robustness/harness.py followed
by the bytes that replace that file in a copy of the indexer's fixture; the seed corpus is the
fixture files themselves, so the fuzzer starts from well-formed exports and mutates them. The
contract is the one the property tests check: a crawl yields documents, people or failures,
and nothing but ``IndexerConfigError`` from ``check()`` may escape.

    nice -n 10 .venv/bin/python benchmarks/fuzz_parsers.py --seconds 600

A crashing input is saved under ``--out`` (default ``benchmarks/var/fuzz``) with its traceback,
once per distinct crash site, and fuzzing goes on; the run ends with a JSON summary line (runs,
seconds, new crash sites) and exit status 1 when anything crashed. Needs ``atheris`` (the
``dev`` extra).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import subprocess
import sys
import tempfile
import time
import traceback
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))


def main() -> None:
    """Run the fuzzer in a child process (libFuzzer exits the process), then summarise."""
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=int, default=120, help="Total fuzzing time.")
    parser.add_argument("--out", default=str(REPO / "benchmarks" / "var" / "fuzz"),
                        help="Folder for the corpus and the crashing inputs.")
    parser.add_argument("--max-len", type=int, default=16384, help="Largest input in bytes.")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    opts = parser.parse_args()
    if opts.child:
        fuzz(opts)
        return
    began = time.time()
    log = Path(opts.out) / "fuzz.log"
    log.parent.mkdir(parents=True, exist_ok=True)
    with open(log, "w") as fh:
        child = subprocess.run([sys.executable, __file__, "--child", "--seconds",
                                str(opts.seconds), "--out", opts.out, "--max-len",
                                str(opts.max_len)], stdout=fh, stderr=subprocess.STDOUT)
    text = log.read_text(errors="replace")
    done = re.findall(r"Done (\d+) runs in (\d+) second", text)
    new = sorted(p for p in (Path(opts.out) / "crashes").glob("crash-*.txt")
                 if p.stat().st_mtime >= began)
    sites = [p.read_text().splitlines()[0] for p in new]
    print(json.dumps({"runs": int(done[-1][0]) if done else None,
                      "seconds": int(done[-1][1]) if done else round(time.time() - began),
                      "child_status": child.returncode, "crash_sites": sites,
                      "crash_files": [str(p) for p in new], "log": str(log)}))
    sys.exit(1 if sites or child.returncode else 0)


def fuzz(opts: argparse.Namespace) -> None:
    """Seed the corpus and fuzz in this process until libFuzzer's time bound exits it."""
    try:
        import atheris
    except ImportError:
        sys.exit("atheris is not installed: .venv/bin/pip install -e '.[dev]'")
    with atheris.instrument_imports(include=["indexers", "search.models"]):
        import indexers.customers
        import indexers.directory
        import indexers.export
        import indexers.htmlwiki
        import indexers.jsonl
        import indexers.ldif
        import indexers.mediawiki
        import indexers.mediawiki_json
        import indexers.slack
        import indexers.stackexchange
        import indexers.tabular
        import indexers.twitter  # noqa: F401 - instrumented before the harness uses them
    from tests.robustness.harness import TARGETS, crawl_with, original

    cases = [(t, f) for t in TARGETS for f in t.files]
    out = Path(opts.out)
    corpus, crashes = out / "corpus", out / "crashes"
    corpus.mkdir(parents=True, exist_ok=True)
    crashes.mkdir(parents=True, exist_ok=True)
    for i, (target, file) in enumerate(cases):
        (corpus / f"seed-{target.indexer}-{i}").write_bytes(bytes([i]) + original(target, file))
    workdir = Path(tempfile.mkdtemp(prefix="fuzz-parsers-"))
    seen: set[str] = set()

    def one_input(data: bytes) -> None:
        if not data:
            return
        target, file = cases[data[0] % len(cases)]
        try:
            crawl_with(target, file, data[1:], workdir)
        except Exception as exc:
            frames = traceback.extract_tb(exc.__traceback__)
            ours = [f for f in frames if "/indexers/" in f.filename or "/search/" in f.filename]
            where = ours[-1] if ours else frames[-1]
            place = f"{Path(where.filename).name}:{where.lineno}"
            site = f"{target.indexer} {type(exc).__name__} {place}"
            if site in seen:
                return
            seen.add(site)
            digest = hashlib.sha1(data).hexdigest()[:12]
            (crashes / f"crash-{digest}.bin").write_bytes(data)
            (crashes / f"crash-{digest}.txt").write_text(
                f"{site}\nfile: {file}\n\n{traceback.format_exc()}")
            print(f"NEW CRASH {site} -> {crashes / f'crash-{digest}.bin'}", file=sys.stderr,
                  flush=True)

    atheris.Setup([sys.argv[0], f"-max_total_time={opts.seconds}", f"-max_len={opts.max_len}",
                   "-timeout=30", "-rss_limit_mb=3072", "-print_final_stats=1", str(corpus)],
                  one_input)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
