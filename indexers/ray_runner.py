"""Index a source with Ray Data: the crawl and the embedding run as Ray Data stages.

The driver keeps the local runner's logic (``indexers.runner.run_indexer``: batches, counts,
failures, duplicates, deletions, checkpoints and resume) by handing it a proxy indexer whose
``crawl`` streams the Ray pipeline's output in crawl order; each document's passage vectors
reach the store's embedding cache before the runner writes the document, so the engine's sync
embeds nothing itself. Ray is imported only here, and only when ``--ray`` is given.
"""

from __future__ import annotations

import copy
import pickle
import warnings
from collections import Counter
from collections.abc import Callable, Iterator, Mapping
from typing import Any

import numpy as np

from indexers.base import Indexer
from indexers.runner import RunReport, run_indexer
from search.chunking import passage_key, passages
from search.embedder import Embedder
from search.engine import SearchEngine
from search.models import Document

EMBED_BATCH = 64
RETRIES = 3
CRAWL_CPUS = 0.1
BLOCK_BYTES = 32 * 1024


class RayIndexingError(RuntimeError):
    """The Ray job failed after retries; batches committed before the failure are kept."""


def connect(address: str | None) -> Any:
    """Join the Ray cluster at ``address`` (``None`` or ``local``: start one on this machine)."""
    import ray

    if not ray.is_initialized():
        local = address in (None, "", "local")
        extra: dict[str, Any] = {"_node_ip_address": "127.0.0.1"} if local else {}
        try:
            ray.init(address=None if local else address, include_dashboard=False,
                     log_to_driver=False, configure_logging=False, **extra)
        except Exception as exc:
            raise RayIndexingError(f"cannot reach the Ray cluster at {address}: {exc}") from exc
    return ray


class CrawlStage:
    """Ray Data ``flat_map`` stage: runs the indexer's crawl on a worker, one row per item."""

    def __init__(self, indexer: Indexer, since: Mapping[str, Any] | None) -> None:
        self.indexer = indexer
        self.since = since

    def __call__(self, _row: dict[str, Any]) -> Iterator[dict[str, Any]]:
        """Yield ``{order, kind, item}`` rows, then the crawl's checkpoint."""
        order = 0
        for item in self.indexer.crawl(self.since):
            kind = type(item).__name__.lower()
            yield {"order": order, "kind": kind, "item": pickle.dumps(item)}
            order += 1
        yield {"order": order, "kind": "checkpoint",
               "item": pickle.dumps({"checkpoint": self.indexer.checkpoint(),
                                     "left_out": dict(getattr(self.indexer, "left_out", {}))})}


class EmbedStage:
    """Ray Data actor stage: the model is loaded once per actor and embeds batches of passages."""

    def __init__(self, embedder: Embedder, known: Any, threads: int) -> None:
        import ray

        self.embedder = embedder
        self.known: dict[str, str] = ray.get(known) if isinstance(known, ray.ObjectRef) else known
        if getattr(embedder, "threads", 0) is None:
            setattr(embedder, "threads", threads)  # noqa: B010  (not part of the protocol)
        if ray.get_gpu_ids() and hasattr(embedder, "device"):
            setattr(embedder, "device", "cuda")  # noqa: B010

    def __call__(self, batch: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
        """Add a ``vectors`` column: pickled ``{passage key: vector}`` of changed documents."""
        name = self.embedder.name
        wanted: dict[str, str] = {}
        per_row: list[list[str]] = []
        for kind, raw in zip(batch["kind"], batch["item"], strict=True):
            keys: list[str] = []
            if kind == "document":
                doc: Document = pickle.loads(raw)
                if self.known.get(doc.id) != doc.content_hash:
                    for text in passages(doc.title, doc.text):
                        key = passage_key(name, text)
                        wanted[key] = text
                        keys.append(key)
            per_row.append(keys)
        vectors = dict(zip(wanted, self.embedder.embed(list(wanted.values())), strict=True)) \
            if wanted else {}
        out = [pickle.dumps({k: vectors[k] for k in keys}) for keys in per_row]
        return {**batch, "vectors": np.array(out, dtype=object)}


class RayCrawlProxy:
    """Looks like the wrapped indexer to ``run_indexer``; its crawl streams the Ray pipeline."""

    def __init__(self, indexer: Indexer, engine: SearchEngine, ray_options: dict[str, Any]
                 ) -> None:
        self._indexer = indexer
        self._engine = engine
        self._options = ray_options
        self._checkpoint: dict[str, Any] = {}
        self.left_out: Counter[str] = Counter()  # what the remote crawl skipped on purpose

    def __getattr__(self, name: str) -> Any:
        return getattr(self._indexer, name)

    def check(self) -> None:
        """Validate the wrapped indexer's configuration."""
        self._indexer.check()

    def checkpoint(self) -> dict[str, Any]:
        """Return the checkpoint the remote crawl reported."""
        return dict(self._checkpoint)

    def crawl(self, since: Mapping[str, Any] | None = None) -> Iterator[Any]:
        """Yield the crawl's items in order, caching their vectors in the store first."""
        try:
            for batch in self._dataset(since).iter_batches(batch_size=EMBED_BATCH,
                                                           batch_format="numpy"):
                yield from self._unpack(batch)
        except RayIndexingError:
            raise
        except Exception as exc:
            if type(exc).__module__.startswith(("sqlalchemy", "search.")):
                raise
            raise RayIndexingError(
                f"the Ray job failed after retries ({type(exc).__name__}: {exc}); batches "
                "committed before the failure are kept: rerun to resume"
            ) from exc

    def _unpack(self, batch: dict[str, np.ndarray]) -> Iterator[Any]:
        fresh: dict[str, np.ndarray] = {}
        for raw in batch["vectors"]:
            fresh.update(pickle.loads(raw))
        self._engine.store.put_embeddings(fresh)
        for kind, raw in zip(batch["kind"], batch["item"], strict=True):
            if kind == "checkpoint":
                final = pickle.loads(raw)
                self._checkpoint, self.left_out = final["checkpoint"], Counter(final["left_out"])
            else:
                yield pickle.loads(raw)

    def _dataset(self, since: Mapping[str, Any] | None) -> Any:
        import ray
        import ray.data

        context = ray.data.DataContext.get_current()
        context.execution_options.preserve_order = True
        context.enable_progress_bars = False
        context.target_max_block_size = BLOCK_BYTES  # many small blocks: every actor gets work
        opts = self._options
        known = ray.put(self._engine.store.content_hashes(self._indexer.source))
        resources = ray.cluster_resources()
        gpus = 1 if resources.get("GPU", 0) >= 1 else 0
        # leave room for the crawl task beside the embedding actors (no deadlock on small nodes)
        cpus = min(1.0, (float(resources.get("CPU", 1)) - CRAWL_CPUS) / opts["workers"])
        with warnings.catch_warnings():  # Ray 2.60 deprecates retry kwargs it still honours
            warnings.simplefilter("ignore", DeprecationWarning)
            return self._stages(since, known, cpus, gpus)

    def _stages(self, since: Mapping[str, Any] | None, known: Any, cpus: float, gpus: int
                ) -> Any:
        import ray.data

        opts = self._options
        return (
            ray.data.from_items([{"shard": 0}])
            .flat_map(CrawlStage(self._indexer, since), num_cpus=CRAWL_CPUS, max_retries=RETRIES)
            .map_batches(
                EmbedStage, fn_constructor_kwargs={"embedder": cold(self._engine.embedder),
                                                   "known": known, "threads": 1},
                batch_size=opts["embed_batch"], batch_format="numpy",
                concurrency=opts["workers"], num_cpus=cpus, num_gpus=gpus,
                max_restarts=RETRIES, max_task_retries=RETRIES,
            )
        )


def cold(embedder: Embedder) -> Embedder:
    """Return a copy of the embedder without loaded weights (each actor loads its own)."""
    clone = copy.copy(embedder)
    if hasattr(clone, "_model"):
        clone._model = None
    return clone


def default_workers() -> int:
    """Return one embedding actor per CPU of the cluster (GPU count when it has GPUs)."""
    import ray

    resources = ray.cluster_resources()
    return max(1, int(resources.get("GPU", 0)) or int(resources.get("CPU", 1)))


def run_indexer_ray(engine: SearchEngine, indexer: Indexer, address: str | None = None,
                    full: bool = False, on_item: Callable[[str], None] | None = None,
                    workers: int | None = None, embed_batch: int = EMBED_BATCH) -> RunReport:
    """Crawl ``indexer`` through Ray Data into ``engine``, with the local runner's semantics."""
    indexer.check()
    connect(address)
    options = {"workers": workers or default_workers(), "embed_batch": embed_batch}
    proxy = RayCrawlProxy(indexer, engine, options)
    return run_indexer(engine, proxy, full=full, on_item=on_item)
