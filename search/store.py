"""The canonical store: documents, people, contributions, access, checkpoints, embeddings."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Collection, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np
from sqlalchemy import (
    Connection,
    Engine,
    create_engine,
    delete,
    event,
    func,
    insert,
    select,
    update,
)
from sqlalchemy.engine import Row, make_url
from sqlalchemy.exc import OperationalError

from search import schema as t
from search.facets import facet_month
from search.filters import Filters
from search.migrate import MigrationError, ensure_schema
from search.models import Access, Contribution, Document, Principal, utc
from search.people_records import PeopleRecords


class StoreError(RuntimeError):
    """The store cannot be opened or is not a socialsearch store."""


@dataclass(frozen=True)
class UpsertCounts:
    """How many documents an upsert added, updated or left unchanged."""

    added: int = 0
    updated: int = 0
    unchanged: int = 0


@dataclass(frozen=True)
class StoredDoc:
    """A document together with its store number and change sequence."""

    num: int
    seq: int
    doc: Document


def sqlite_url(path: Path) -> str:
    """Return the SQLAlchemy URL of a SQLite file."""
    return f"sqlite:///{path}"


def _set_sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
    cursor = dbapi_conn.cursor()
    cursor.execute("PRAGMA busy_timeout=30000")  # first: the journal mode change may wait
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


def display_url(url: str) -> str:
    """Return a store URL with its password masked, for messages."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except Exception:
        return "<malformed store URL>"


def _engine_options(url: str) -> dict[str, Any]:
    if not url.startswith("postgresql"):
        return {}
    return {"pool_pre_ping": True, "connect_args": {"connect_timeout": 10}}


class Store(PeopleRecords):
    """SQL-backed source of truth; indexes are derived from it and rebuilt on demand."""

    def __init__(self, url: str, migrate: bool = True) -> None:
        self.url = url
        self.endpoint = display_url(url)
        try:
            self.engine: Engine = create_engine(url, **_engine_options(url))
            if self.engine.dialect.name == "sqlite":
                event.listen(self.engine, "connect", _set_sqlite_pragmas)
            else:
                event.listen(self.engine, "handle_error", self._unreachable)
            ensure_schema(self.engine, apply=migrate)
        except StoreError:
            raise
        except MigrationError as exc:
            raise StoreError(f"store {self.endpoint}: {exc}") from exc
        except Exception as exc:  # pragma: no cover - message depends on the driver
            raise StoreError(f"cannot open store {self.endpoint}: {exc}") from exc

    def _unreachable(self, context: Any) -> None:
        """Turn a lost or refused database connection into an error naming the endpoint."""
        if context.is_disconnect or isinstance(context.sqlalchemy_exception, OperationalError):
            raise StoreError(
                f"store {self.endpoint} is unreachable ({str(context.original_exception).strip()});"
                " committed batches are kept: rerun to resume"
            ) from context.original_exception

    def close(self) -> None:
        """Release all pooled connections."""
        self.engine.dispose()

    # -- sequence ---------------------------------------------------------------------------
    def _next_seq(self, conn: Connection) -> int:
        current = conn.execute(
            select(t.counters.c.value).where(t.counters.c.name == "seq").with_for_update()
        ).scalar()
        if current is None:
            conn.execute(insert(t.counters).values(name="seq", value=1))
            return 1
        conn.execute(update(t.counters).where(t.counters.c.name == "seq").values(value=current + 1))
        return int(current) + 1

    def current_seq(self) -> int:
        """Return the sequence number of the latest committed change."""
        with self.engine.connect() as conn:
            value = conn.execute(
                select(t.counters.c.value).where(t.counters.c.name == "seq")
            ).scalar()
        return int(value or 0)

    # -- documents --------------------------------------------------------------------------
    def upsert_documents(self, docs: Iterable[Document]) -> UpsertCounts:
        """Insert or update documents in one transaction; unchanged content is skipped."""
        added = updated = unchanged = 0
        with self.engine.begin() as conn:
            seq: int | None = None
            for doc in docs:
                row = conn.execute(
                    select(t.documents.c.num, t.documents.c.content_hash).where(
                        t.documents.c.id == doc.id
                    )
                ).first()
                digest = doc.content_hash
                if row is not None and row.content_hash == digest:
                    unchanged += 1
                    continue
                if seq is None:
                    seq = self._next_seq(conn)
                values = self._doc_values(doc, digest, seq)
                if self.engine.dialect.name == "postgresql":  # text columns reject NUL there
                    values = {k: v.replace("\x00", "") if isinstance(v, str) else v
                              for k, v in values.items()}
                if row is None:
                    result = conn.execute(insert(t.documents).values(**values))
                    num = result.inserted_primary_key[0]  # type: ignore[index]
                    added += 1
                else:
                    num = row.num
                    conn.execute(
                        update(t.documents).where(t.documents.c.num == num).values(**values)
                    )
                    conn.execute(delete(t.doc_access).where(t.doc_access.c.num == num))
                    conn.execute(delete(t.contributions).where(t.contributions.c.num == num))
                    updated += 1
                self._write_children(conn, int(num), doc)
        return UpsertCounts(added, updated, unchanged)

    @staticmethod
    def _doc_values(doc: Document, digest: str, seq: int) -> dict[str, Any]:
        return {
            "id": doc.id,
            "source": doc.source,
            "kind": doc.kind,
            "title": doc.title,
            "text": doc.text,
            "url": doc.url,
            "created_at": doc.created_at,
            "updated_at": doc.updated_at,
            "audience": doc.audience,
            "tags": t.json_text(list(doc.tags)),
            "meta": t.json_text(dict(doc.meta)),
            "content_hash": digest,
            "seq": seq,
        }

    @staticmethod
    def _write_children(conn: Connection, num: int, doc: Document) -> None:
        tokens = doc.access.tokens()
        if tokens:
            conn.execute(insert(t.doc_access), [{"num": num, "token": tok} for tok in tokens])
        if doc.contributions:
            conn.execute(
                insert(t.contributions),
                [
                    {"num": num, "person_id": c.person_id, "role": c.role, "at": c.at,
                     "weight": c.weight}
                    for c in doc.contributions
                ],
            )

    def delete_documents(self, ids: Iterable[str]) -> int:
        """Delete documents by id, leaving tombstones so indexes can catch up; return the count."""
        removed = 0
        with self.engine.begin() as conn:
            seq: int | None = None
            for doc_id in ids:
                num = conn.execute(
                    select(t.documents.c.num).where(t.documents.c.id == doc_id)
                ).scalar()
                if num is None:
                    continue
                if seq is None:
                    seq = self._next_seq(conn)
                conn.execute(delete(t.doc_access).where(t.doc_access.c.num == num))
                conn.execute(delete(t.contributions).where(t.contributions.c.num == num))
                conn.execute(delete(t.documents).where(t.documents.c.num == num))
                conn.execute(insert(t.tombstones).values(num=num, id=doc_id, seq=seq))
                removed += 1
        return removed

    def content_hashes(self, source: str) -> dict[str, str]:
        """Return ``{doc id: content hash}`` for every document of one source."""
        with self.engine.connect() as conn:
            rows = conn.execute(
                select(t.documents.c.id, t.documents.c.content_hash).where(
                    t.documents.c.source == source
                )
            )
            return {r.id: r.content_hash for r in rows}

    def count_documents(self) -> int:
        """Return how many documents the store holds."""
        with self.engine.connect() as conn:
            return int(conn.execute(select(func.count()).select_from(t.documents)).scalar() or 0)

    def count_by(self, column: str) -> dict[str, int]:
        """Return document counts grouped by ``source``, ``kind`` or ``audience``."""
        col = t.documents.c[column]
        with self.engine.connect() as conn:
            rows = conn.execute(select(col, func.count()).group_by(col))
            return {str(r[0]): int(r[1]) for r in rows}

    def get_documents(self, ids: Sequence[str]) -> list[Document]:
        """Return the documents with these ids, in the given order (missing ids are skipped)."""
        found = {s.doc.id: s.doc for s in self._load(t.documents.c.id.in_(list(ids)))}
        return [found[i] for i in ids if i in found]

    def get_document(self, doc_id: str) -> Document | None:
        """Return one document or ``None``."""
        docs = self.get_documents([doc_id])
        return docs[0] if docs else None

    def stored_by_nums(self, nums: Sequence[int]) -> list[StoredDoc]:
        """Return stored documents by their store numbers."""
        return list(self._load(t.documents.c.num.in_(list(nums))))

    def facet_values(self, nums: Sequence[int]) -> dict[int, dict[str, str]]:
        """Return the facet values (source, kind, audience, month) of these documents."""
        if not nums:
            return {}
        d = t.documents.c
        query = select(d.num, d.source, d.kind, d.audience, d.created_at).where(
            d.num.in_(list(nums)))
        with self.engine.connect() as conn:
            rows = conn.execute(query).all()
        return {int(r.num): {"source": r.source, "kind": r.kind, "audience": r.audience,
                             "month": facet_month(utc(r.created_at))} for r in rows}

    def changes_since(self, seq: int, batch: int = 500) -> Iterator[list[StoredDoc]]:
        """Yield, in batches, the documents written after change ``seq``."""
        last_num = 0
        while True:
            cond = (t.documents.c.seq > seq) & (t.documents.c.num > last_num)
            chunk = list(self._load(cond, limit=batch))
            if not chunk:
                return
            yield chunk
            last_num = chunk[-1].num

    def deletions_since(self, seq: int) -> list[tuple[int, str, int]]:
        """Return ``(num, id, seq)`` of documents deleted after change ``seq``."""
        with self.engine.connect() as conn:
            rows = conn.execute(
                select(t.tombstones.c.num, t.tombstones.c.id, t.tombstones.c.seq)
                .where(t.tombstones.c.seq > seq)
                .order_by(t.tombstones.c.seq)
            )
            return [(int(r.num), str(r.id), int(r.seq)) for r in rows]

    def prune_tombstones(self, upto_seq: int) -> None:
        """Forget deletions every index has already applied."""
        with self.engine.begin() as conn:
            conn.execute(delete(t.tombstones).where(t.tombstones.c.seq <= upto_seq))

    def iter_documents(self, batch: int = 500) -> Iterator[list[StoredDoc]]:
        """Yield every stored document in batches."""
        yield from self.changes_since(-1, batch)

    def all_nums(self) -> set[int]:
        """Return the store numbers of every document."""
        with self.engine.connect() as conn:
            return {int(n) for n in conn.execute(select(t.documents.c.num)).scalars()}

    def nums_for(self, ids: Sequence[str]) -> dict[str, int]:
        """Map document ids to store numbers."""
        with self.engine.connect() as conn:
            rows = conn.execute(
                select(t.documents.c.id, t.documents.c.num).where(t.documents.c.id.in_(list(ids)))
            )
            return {r.id: int(r.num) for r in rows}

    def _load(self, condition: Any, limit: int | None = None) -> Iterator[StoredDoc]:
        query = select(t.documents).where(condition).order_by(t.documents.c.num)
        if limit:
            query = query.limit(limit)
        with self.engine.connect() as conn:
            rows = conn.execute(query).all()
            if not rows:
                return
            nums = [r.num for r in rows]
            access: dict[int, list[str]] = {}
            for a in conn.execute(select(t.doc_access).where(t.doc_access.c.num.in_(nums))):
                access.setdefault(a.num, []).append(a.token)
            contribs: dict[int, list[Contribution]] = {}
            for c in conn.execute(
                select(t.contributions).where(t.contributions.c.num.in_(nums))
            ):
                contribs.setdefault(c.num, []).append(
                    Contribution(c.person_id, c.role, utc(c.at), c.weight)
                )
        for r in rows:
            yield StoredDoc(int(r.num), int(r.seq), _row_to_doc(r, access, contribs))

    def readable_nums(
        self, nums: Sequence[int], principal: Principal, filters: Filters | None = None
    ) -> set[int]:
        """Return the subset of ``nums`` that ``principal`` may read and that pass ``filters``."""
        if not nums:
            return set()
        query = _readable(select(t.documents.c.num).where(t.documents.c.num.in_(list(nums))),
                          principal)
        if filters is not None and not filters.empty:
            query = _apply_filters(query, filters)
        with self.engine.connect() as conn:
            return {int(n) for n in conn.execute(query).scalars()}

    def readable_num_array(self, tokens: Sequence[str]) -> np.ndarray:
        """Return the numbers of every stored document readable with ``tokens`` (sorted)."""
        query = select(t.doc_access.c.num).distinct().where(
            t.doc_access.c.token.in_(list(tokens))
            & t.doc_access.c.num.in_(select(t.documents.c.num))
        ).order_by(t.doc_access.c.num)
        with self.engine.connect() as conn:
            return np.fromiter(conn.execute(query).scalars(), dtype=np.int64)

    def filtered_nums(self, principal: Principal, filters: Filters, limit: int) -> set[int] | None:
        """Return every document ``principal`` may read that passes ``filters``, or ``None``
        when there are more than ``limit`` (too many to be worth listing)."""
        query = _readable(_apply_filters(select(t.documents.c.num), filters), principal)
        with self.engine.connect() as conn:
            # count first (in the database): listing a filter that leaves too many documents
            # into Python, only to drop the list, cost more than the search it was meant to speed
            bounded = query.limit(max(0, limit) + 1).subquery()
            if conn.execute(select(func.count()).select_from(bounded)).scalar_one() > limit:
                return None
            found = {int(n) for n in conn.execute(query.limit(max(0, limit) + 1)).scalars()}
        return found if len(found) <= limit else None

    def recent_tags(self, principal: Principal, audience: str,
                    skip_kinds: Collection[str] = (), limit: int = 2000) -> Counter[str]:
        """Count the tags of the ``limit`` newest stored documents of ``audience`` (other than
        ``skip_kinds``) that ``principal`` may read."""
        d = t.documents.c
        query = select(d.tags).where(d.audience == audience)
        if skip_kinds:
            query = query.where(d.kind.not_in(sorted(skip_kinds)))
        query = _readable(query, principal).order_by(d.num.desc()).limit(limit)
        counts: Counter[str] = Counter()
        with self.engine.connect() as conn:
            for tags in conn.execute(query).scalars():
                counts.update(set(json.loads(tags) if tags else []))
        return counts

    def newest_created(self, principal: Principal, audience: str) -> datetime | None:
        """Return when the newest stored document of ``audience`` ``principal`` may read was
        written (``None`` when there is none, or none is dated)."""
        d = t.documents.c
        query = _readable(select(func.max(d.created_at)).where(d.audience == audience), principal)
        with self.engine.connect() as conn:
            return utc(conn.execute(query).scalar())

    def has_readable(self, principal: Principal, audience: str) -> bool:
        """Tell whether ``principal`` may read at least one stored document of ``audience``."""
        d = t.documents.c
        query = _readable(select(d.num).where(d.audience == audience), principal).limit(1)
        with self.engine.connect() as conn:
            return conn.execute(query).first() is not None

    # -- checkpoints ------------------------------------------------------------------------
    def get_checkpoint(self, source: str) -> dict[str, Any] | None:
        """Return the saved checkpoint of a source, or ``None``."""
        with self.engine.connect() as conn:
            value = conn.execute(
                select(t.checkpoints.c.data).where(t.checkpoints.c.source == source)
            ).scalar()
        return json.loads(value) if value else None

    def set_checkpoint(self, source: str, data: dict[str, Any]) -> None:
        """Save a source's checkpoint (small and JSON-serialisable)."""
        with self.engine.begin() as conn:
            conn.execute(delete(t.checkpoints).where(t.checkpoints.c.source == source))
            conn.execute(
                insert(t.checkpoints).values(
                    source=source, data=t.json_text(data), updated_at=datetime.now(UTC)
                )
            )

    def list_checkpoints(self) -> list[tuple[str, dict[str, Any]]]:
        """Return ``(source, checkpoint)`` for every source ever indexed."""
        with self.engine.connect() as conn:
            rows = conn.execute(select(t.checkpoints).order_by(t.checkpoints.c.source)).all()
        return [(str(r.source), json.loads(r.data)) for r in rows]

    # -- embedding cache --------------------------------------------------------------------
    def get_embeddings(self, keys: Sequence[str]) -> dict[str, np.ndarray]:
        """Return cached vectors for these keys (missing keys are absent)."""
        found: dict[str, np.ndarray] = {}
        unique = list(dict.fromkeys(keys))
        with self.engine.connect() as conn:
            for start in range(0, len(unique), 500):
                part = unique[start : start + 500]
                for r in conn.execute(select(t.embeddings).where(t.embeddings.c.key.in_(part))):
                    found[r.key] = np.frombuffer(r.vector, dtype=np.float32)
        return found

    def put_embeddings(self, vectors: dict[str, np.ndarray]) -> None:
        """Cache vectors by key; existing keys are left as they are."""
        if not vectors:
            return
        existing = set(self.get_embeddings(list(vectors)))
        rows = [
            {"key": k, "vector": np.asarray(v, dtype=np.float32).tobytes()}
            for k, v in vectors.items()
            if k not in existing
        ]
        if rows:
            with self.engine.begin() as conn:
                conn.execute(insert(t.embeddings), rows)


def _readable(query: Any, principal: Principal) -> Any:
    """Restrict a query over documents to those ``principal`` may read."""
    tokens = principal.tokens()
    if tokens is None:
        return query
    return query.where(select(t.doc_access.c.num).where(
        (t.doc_access.c.num == t.documents.c.num) & t.doc_access.c.token.in_(tokens)).exists())


def _apply_filters(query: Any, filters: Filters) -> Any:
    d = t.documents.c
    if filters.sources:
        query = query.where(d.source.in_(sorted(filters.sources)))
    if filters.kinds:
        query = query.where(d.kind.in_(sorted(filters.kinds)))
    if filters.audience:
        query = query.where(d.audience == filters.audience)
    if filters.since:
        query = query.where(d.created_at >= filters.since)
    if filters.until:
        query = query.where(d.created_at <= filters.until)
    if filters.authors:
        authored = select(t.contributions.c.num).where(
            t.contributions.c.person_id.in_(sorted(filters.authors))
        )
        query = query.where(d.num.in_(authored))
    return query


def _row_to_doc(
    r: Row[Any], access: dict[int, list[str]], contribs: dict[int, list[Contribution]]
) -> Document:
    return Document(
        id=r.id,
        source=r.source,
        kind=r.kind,
        title=r.title,
        text=r.text,
        url=r.url,
        created_at=utc(r.created_at),
        updated_at=utc(r.updated_at),
        contributions=tuple(contribs.get(r.num, [])),
        access=Access.from_tokens(access.get(r.num, [])) if r.num in access else Access(False),
        audience=r.audience,
        tags=tuple(json.loads(r.tags)),
        meta=json.loads(r.meta),
    )
