"""PostgreSQL or Milvus going away mid-run: an error naming the endpoint, then a clean resume."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from indexers.jsonl import JsonlIndexer
from indexers.runner import run_indexer
from search.config import Settings
from search.embedder import HashingEmbedder
from search.engine import SearchEngine
from search.keyword import KeywordIndexError
from search.models import Principal
from search.store import StoreError
from tests.scaleout.conftest import MilvusLite
from tests.scaleout.pg import PostgresServer

pytestmark = pytest.mark.scaleout
DOCS = 700  # the runner commits every 500 documents


def corpus(path: Path) -> Path:
    path.write_text("".join(
        json.dumps({"id": f"w:{i}", "title": f"Page {i}", "text": f"kafka topic{i}"}) + "\n"
        for i in range(DOCS)), encoding="utf-8")
    return path


def open_engine(settings: Settings) -> SearchEngine:
    return SearchEngine(settings, embedder=HashingEmbedder(), post_sync=[])


def crash_after(count: int, crash: Any) -> Any:
    seen = {"n": 0}

    def on_item(_kind: str) -> None:
        seen["n"] += 1
        if seen["n"] == count:
            crash()

    return on_item


def test_postgres_killed_mid_run_then_resume(tmp_path: Path, pg_server: PostgresServer) -> None:
    settings = Settings(data_dir=str(tmp_path / "data"), embedder="hashing",
                        store_url=pg_server.new_database())
    source = corpus(tmp_path / "c.jsonl")
    engine = open_engine(settings)
    try:
        with pytest.raises(StoreError, match=rf"127\.0\.0\.1:{pg_server.port}") as info:
            run_indexer(engine, JsonlIndexer(source), on_item=crash_after(600, pg_server.kill))
        assert "rerun to resume" in str(info.value)
    finally:
        pg_server.restart()
    engine.close()
    resumed = open_engine(settings)
    report = run_indexer(resumed, JsonlIndexer(source))
    assert report.unchanged == 500 and report.added == DOCS - 500  # the first batch survived
    assert resumed.store.count_documents() == DOCS and resumed.doctor().healthy
    resumed.close()


def test_milvus_stopped_mid_run_then_resume(tmp_path: Path, milvus: MilvusLite,
                                            collection: str) -> None:
    settings = Settings(data_dir=str(tmp_path / "data"), embedder="hashing",
                        index_backend="milvus", milvus_uri=milvus.uri,
                        milvus_collection=collection)
    source = corpus(tmp_path / "c.jsonl")
    engine = open_engine(settings)
    try:
        with pytest.raises(KeywordIndexError, match=milvus.uri.replace(".", r"\.")):
            run_indexer(engine, JsonlIndexer(source), on_item=crash_after(600, milvus.stop))
    finally:
        milvus.start()
    resumed = open_engine(settings)  # catches up with the store on open
    report = run_indexer(resumed, JsonlIndexer(source))
    assert report.unchanged + report.added == DOCS
    assert resumed.doctor().healthy
    hit = resumed.search("topic650", Principal.system(), fusion="keyword").hits[0]
    assert hit.doc_id == "w:650"
    resumed.close()


def test_check_names_unreachable_endpoints_at_start_up(tmp_path: Path) -> None:
    """`check` with PostgreSQL and Milvus down: exit 1, each endpoint named, password masked."""
    pytest.importorskip("psycopg")
    pytest.importorskip("pymilvus")
    from click.testing import CliRunner

    from search.cli import main
    from tests.scaleout.pg import free_port

    pg_port, milvus_port = free_port(), free_port()
    env = {"SOCIALSEARCH_STORE_URL": f"postgresql+psycopg://app:s3cret@127.0.0.1:{pg_port}/db",
           "SOCIALSEARCH_INDEX_BACKEND": "milvus",
           "SOCIALSEARCH_MILVUS_URI": f"http://127.0.0.1:{milvus_port}"}
    data = tmp_path / "data"
    result = CliRunner().invoke(main, ["--data-dir", str(data), "check"], env=env)
    assert result.exit_code == 1, result.output
    store_line, index_line = result.output.strip().splitlines()[-2:]
    assert store_line.startswith("store") and f"127.0.0.1:{pg_port}" in store_line
    assert "FAILED" in store_line and "s3cret" not in result.output
    assert index_line.startswith("index") and f"127.0.0.1:{milvus_port}" in index_line
    assert "FAILED" in index_line and "Traceback" not in result.output
