"""The engine's test suite re-run on the cluster configuration: PostgreSQL store + Milvus index.

The tests are imported from ``tests/search/test_engine.py``; only the ``settings`` fixture
changes, so search, access control, recovery and reindexing are checked on both setups.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from search.config import Settings
from tests.scaleout.conftest import MilvusLite
from tests.scaleout.pg import PostgresServer
from tests.search.test_engine import (  # noqa: F401  (re-run here on the cluster setup)
    test_document_without_text_is_indexed_by_title,
    test_failed_keyword_commit_is_redone,
    test_filters_and_facets,
    test_hits_carry_explain_scores_and_escaped_snippets,
    test_hostile_queries_answer,
    test_lagging_indexes_catch_up_on_open,
    test_linear_fusion_is_min_max_over_both_legs,
    test_pagination_is_stable,
    test_people_names_are_searchable,
    test_private_documents_never_reach_outsiders,
    test_reindex_uses_embedding_cache,
    test_stats,
    test_upsert_search_delete,
)

pytestmark = pytest.mark.scaleout


@pytest.fixture
def settings(tmp_path: Path, pg_server: PostgresServer, milvus: MilvusLite,
             collection: str) -> Settings:
    """Cluster settings: a fresh PostgreSQL database and a fresh Milvus collection."""
    return Settings(data_dir=str(tmp_path / "data"), embedder="hashing",
                    store_url=pg_server.new_database(), index_backend="milvus",
                    milvus_uri=milvus.uri, milvus_collection=collection)


def test_engine_really_uses_the_cluster(settings: Settings) -> None:
    from search.embedder import HashingEmbedder
    from search.engine import SearchEngine
    from search.milvus_index import MilvusKeywordIndex, MilvusVectorIndex

    engine = SearchEngine(settings, embedder=HashingEmbedder())
    assert isinstance(engine.keyword, MilvusKeywordIndex)
    assert isinstance(engine.vector, MilvusVectorIndex)
    assert engine.store.engine.dialect.name == "postgresql"
    assert not (Path(settings.data_dir) / "keyword").exists()
    engine.close()
