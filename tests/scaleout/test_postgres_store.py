"""The store on PostgreSQL: the store test suite, migrations, readers beside a writer, faults."""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from search.migrate import head_revision, schema_diff
from search.models import Document
from search.store import Store, StoreError
from tests.scaleout.pg import PostgresServer, free_port
from tests.search import test_store

pytestmark = pytest.mark.scaleout

STORE_TESTS: list[Callable[[Path], None]] = [
    getattr(test_store, name) for name in sorted(dir(test_store)) if name.startswith("test_")
]


@pytest.mark.parametrize("case", STORE_TESTS, ids=lambda f: f.__name__)
def test_store_suite_on_postgres(case: Callable[[Path], None], tmp_path: Path,
                                 pg_server: PostgresServer, monkeypatch: Any) -> None:
    urls: dict[str, str] = {}

    def url_for(path: Path) -> str:
        return urls.setdefault(str(path), pg_server.new_database())

    monkeypatch.setattr(test_store, "sqlite_url", url_for)
    case(tmp_path)


def test_migrations_match_schema_on_postgres(pg_url: str) -> None:
    store = Store(pg_url)
    with store.engine.connect() as conn:
        assert schema_diff(conn) == []
        from search.migrate import current_revision

        assert current_revision(conn) == head_revision()
    store.close()


def doc(i: int) -> Document:
    return Document(id=f"w:{i}", source="w", kind="page", title=f"t{i}", text=f"text {i}")


def test_readers_beside_one_writer(pg_url: str) -> None:
    writer = Store(pg_url)
    readers = [Store(pg_url) for _ in range(3)]
    seen: list[int] = []
    errors: list[BaseException] = []
    done = threading.Event()

    def read(store: Store) -> None:
        try:
            while not done.is_set():
                seen.append(store.count_documents())
                store.get_documents([f"w:{i}" for i in range(0, 200, 7)])
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=read, args=(r,)) for r in readers]
    for thread in threads:
        thread.start()
    for start in range(0, 200, 20):
        writer.upsert_documents(doc(i) for i in range(start, start + 20))
    done.set()
    for thread in threads:
        thread.join()
    assert not errors
    assert all(n % 20 == 0 for n in seen), "a reader saw a half-committed batch"
    assert readers[0].count_documents() == 200
    for store in (writer, *readers):
        store.close()


def test_unreachable_postgres_names_the_endpoint() -> None:
    pytest.importorskip("psycopg")
    url = f"postgresql+psycopg://app:secret@127.0.0.1:{free_port()}/search"
    with pytest.raises(StoreError, match=r"127\.0\.0\.1") as info:
        Store(url)
    assert "secret" not in str(info.value)
