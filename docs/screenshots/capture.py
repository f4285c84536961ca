"""Capture screenshots of the main pages in headless chromium (run from the project root).

    .venv/bin/python docs/screenshots/capture.py --data-dir socialsearch-data/demo

Indexes the demo corpus into DATA_DIR first when it is empty, serves the app in demo mode with
waitress on a free loopback port, and writes PNG files next to this script.
"""

from __future__ import annotations

import argparse
import threading
from pathlib import Path

from waitress.server import create_server

from indexers.jsonl import JsonlIndexer
from indexers.runner import run_indexer
from search.cli import DEMO_CORPUS
from search.config import load_settings
from search.engine import SearchEngine
from web import create_app

HERE = Path(__file__).resolve().parent
ARGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]
PAGES = [
    ("home.png", "/", 1280, None),
    ("search.png", "/search?q=double+charged+invoice", 1280, None),
    ("experts.png", "/search?q=who+knows+about+SSO", 1280, None),
    ("person.png", "/people/u.hkim", 1280, None),
    ("voice.png", "/search?q=what+are+customers+saying+about+billing", 1280, None),
    ("digest.png", "/digest?week=2026-W41", 1280, None),
    ("search-mobile.png", "/search?q=double+charged+invoice", 390, 844),
]


def main() -> None:
    """Index if needed, serve, and save one screenshot per page."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data-dir", default="socialsearch-data/demo")
    parser.add_argument("--embedder", default="minilm")
    parser.add_argument("--chromium", default="/usr/bin/chromium")
    opts = parser.parse_args()
    settings = load_settings(overrides={"data_dir": opts.data_dir, "embedder": opts.embedder,
                                        "demo_mode": True})
    engine = SearchEngine(settings)
    if engine.store.count_documents() == 0:
        run_indexer(engine, JsonlIndexer(DEMO_CORPUS, source="demo"))
    server = create_server(create_app(settings, engine=engine), host="127.0.0.1", port=0)
    threading.Thread(target=server.run, daemon=True).start()
    base = f"http://127.0.0.1:{server.effective_port}"
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=opts.chromium, args=ARGS)
        for name, path, width, height in PAGES:
            page = browser.new_page(viewport={"width": width, "height": height or 900})
            page.goto(base + path)
            page.screenshot(path=str(HERE / name), full_page=height is None)
            page.close()
            print(f"wrote {HERE / name}")
        browser.close()
    server.close()


if __name__ == "__main__":
    main()
