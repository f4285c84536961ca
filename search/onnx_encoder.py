"""An int8 ONNX copy of MiniLM for single-query encoding: no torch at query time.

The model is exported once from the packaged weights (``torch.onnx.export`` of a throw-away
transformers instance), quantised with onnxruntime's dynamic int8 quantiser, and written
atomically into the user's cache directory. Queries are then tokenised with ``tokenizers`` and
mean-pooled in numpy, which gives vectors within ≈ 0.99+ cosine of the torch model's.
"""

from __future__ import annotations

import argparse
import contextlib
import importlib.util
import logging
import os
import tempfile
import threading
import time
import warnings
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from search.embedder import (
    DIMENSION,
    MODEL_NAME,
    Embedder,
    EmbedderError,
    model_path,
    no_loading_bar,
)
from search.emoji_words import texts_for_encoder

ONNX_FILE = "all-MiniLM-L6-v2-quint8-v1.onnx"
QUERY_ENCODERS = ("auto", "onnx", "torch")
MAX_SEQ_LENGTH = 256
INPUT_NAMES = ("input_ids", "attention_mask", "token_type_ids")
_export_lock = threading.Lock()
log = logging.getLogger(__name__)


class OnnxUnavailableError(EmbedderError):
    """onnxruntime (or the exported model and the means to make it) is not available."""


def onnx_model_file(cache_dir: Path | None = None) -> Path:
    """Return where the int8 query model is cached (``$XDG_CACHE_HOME/socialsearch/models``).

    It is derived from the packaged weights only, so one export serves every data directory.
    """
    if cache_dir is None:
        base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
        cache_dir = Path(base) / "socialsearch" / "models"
    return Path(cache_dir) / ONNX_FILE


def onnx_available() -> bool:
    """Tell whether onnxruntime and tokenizers can be imported."""
    try:
        import onnxruntime  # noqa: F401
        import tokenizers  # noqa: F401
    except ImportError:
        return False
    return True


class _DropRecords(logging.Filter):
    """Drop the root logger's records that come from the export libraries' own code."""

    def __init__(self, *packages: str) -> None:
        super().__init__()
        self.folders = tuple(folder for name in packages if (folder := _package_folder(name)))

    def filter(self, record: logging.LogRecord) -> bool:
        return not os.path.abspath(record.pathname).startswith(self.folders)


def _package_folder(name: str) -> str | None:
    """Return the folder an installed package's code lives in, with a trailing separator."""
    spec = importlib.util.find_spec(name)
    if spec is None or not spec.submodule_search_locations:
        return None
    return os.path.join(os.path.abspath(next(iter(spec.submodule_search_locations))), "")


@contextlib.contextmanager
def _quiet_export() -> Iterator[None]:
    """Silence the tracer's and quantiser's warnings for the one-off export.

    They address the model's authors, not our users. Only records from those libraries' code
    are dropped (the quantiser logs on the root logger); everything else logged meanwhile, by
    any thread, still goes through. A null handler keeps ``logging.warning`` from configuring
    the root logger as a side effect.
    """
    root = logging.getLogger()
    handler, drop = logging.NullHandler(), _DropRecords("onnxruntime", "onnx", "torch",
                                                        "transformers")
    root.addHandler(handler)
    root.addFilter(drop)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            yield
    finally:
        root.removeFilter(drop)
        root.removeHandler(handler)


def export_onnx_model(target: Path) -> Path:
    """Export the packaged MiniLM to ONNX, quantise it to int8 and write it to ``target``.

    The file appears atomically (temporary file + rename), so concurrent exporters and
    readers never see a half-written model. Needs torch, transformers and onnx (export only).
    """
    try:
        import torch
        from onnxruntime.quantization import QuantType, quantize_dynamic
        from transformers import AutoModel
    except ImportError as exc:
        raise OnnxUnavailableError(
            f"exporting the ONNX query model needs torch, transformers, onnx and onnxruntime "
            f"({exc}); pip install onnx onnxruntime"
        ) from exc
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    log.info("preparing the int8 query encoder (once per machine): %s", target)
    with (tempfile.TemporaryDirectory(dir=target.parent, prefix=".onnx-export-") as tmp,
          _quiet_export()):
        float_file = Path(tmp) / "float.onnx"
        with no_loading_bar():
            model = AutoModel.from_pretrained(model_path(), local_files_only=True).eval()

        class _Hidden(torch.nn.Module):
            """Return only the last hidden state (pooling happens in numpy)."""

            def __init__(self, inner: Any) -> None:
                super().__init__()
                self.inner = inner

            def forward(self, input_ids: Any, attention_mask: Any, token_type_ids: Any) -> Any:
                return self.inner(input_ids=input_ids, attention_mask=attention_mask,
                                  token_type_ids=token_type_ids).last_hidden_state

        # an example with padding, so the attention mask path is traced
        ids = torch.tensor([[101, 7592, 2088, 102], [101, 7592, 102, 0]], dtype=torch.long)
        mask = (ids != 0).long()
        axes = {0: "batch", 1: "tokens"}
        with torch.no_grad():
            torch.onnx.export(_Hidden(model), (ids, mask, torch.zeros_like(ids)),
                              str(float_file), input_names=list(INPUT_NAMES),
                              output_names=["last_hidden_state"], opset_version=17,
                              dynamic_axes={name: axes for name in
                                            (*INPUT_NAMES, "last_hidden_state")},
                              dynamo=False)
        quant_file = Path(tmp) / "int8.onnx"
        # unsigned per-channel weights stayed closest to torch on SciFact's queries
        # (cosine ≥ 0.989 on all of 300; signed int8 went down to 0.979)
        quantize_dynamic(str(float_file), str(quant_file), weight_type=QuantType.QUInt8,
                         per_channel=True, op_types_to_quantize=["MatMul"])
        os.replace(quant_file, target)
    log.info("query encoder ready in %.0f s", time.perf_counter() - started)
    return target


class OnnxQueryEncoder:
    """Encodes queries with the int8 ONNX MiniLM (same vectors space as ``MiniLMEmbedder``)."""

    name = MODEL_NAME
    dimension = DIMENSION

    def __init__(self, model_file: Path, threads: int = 1,
                 max_seq_length: int = MAX_SEQ_LENGTH, fallback: Embedder | None = None) -> None:
        self.model_file = Path(model_file)
        self.fallback = fallback
        self.failed = False
        self.threads = max(1, threads)
        self.max_seq_length = max_seq_length
        self._session: Any = None
        self._tokenizer: Any = None
        self._lock = threading.Lock()

    def _load(self) -> tuple[Any, Any]:
        with self._lock:
            if self._session is None:
                try:
                    import onnxruntime as ort
                    from tokenizers import Tokenizer
                except ImportError as exc:
                    raise OnnxUnavailableError(
                        "onnxruntime and tokenizers are needed: pip install onnxruntime"
                    ) from exc
                if not self.model_file.exists():
                    with _export_lock:
                        if not self.model_file.exists():
                            export_onnx_model(self.model_file)
                tokenizer = Tokenizer.from_file(str(Path(model_path()) / "tokenizer.json"))
                # the packaged tokenizer.json pads and truncates at 128: set both ourselves
                tokenizer.enable_truncation(max_length=self.max_seq_length)
                tokenizer.no_padding()
                options = ort.SessionOptions()
                options.intra_op_num_threads = self.threads
                options.inter_op_num_threads = 1
                options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
                self._session = ort.InferenceSession(str(self.model_file), options,
                                                     providers=["CPUExecutionProvider"])
                self._tokenizer = tokenizer
            return self._session, self._tokenizer

    def embed(self, texts: Sequence[str], batch_size: int = 32) -> np.ndarray:
        """Return normalised vectors for ``texts`` (mean pooling over real tokens)."""
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        if self.failed and self.fallback is not None:
            return self.fallback.embed(texts, batch_size)
        try:
            session, tokenizer = self._load()
        except Exception as exc:
            if self.fallback is None:
                raise
            log.warning("ONNX query encoder unavailable, using torch: %s", exc)
            self.failed = True
            return self.fallback.embed(texts, batch_size)
        out = np.zeros((len(texts), self.dimension), dtype=np.float32)
        # one text per run: dynamic int8 quantises activations over the whole input tensor,
        # so padding a batch would shift every row's values (and this is a query encoder)
        for row, text in enumerate(texts_for_encoder(texts)):
            encoded = tokenizer.encode(text)
            ids = np.asarray([encoded.ids], dtype=np.int64)
            hidden = session.run(None, {"input_ids": ids,
                                        "attention_mask": np.ones_like(ids),
                                        "token_type_ids": np.zeros_like(ids)})[0][0]
            pooled = hidden.mean(axis=0)
            out[row] = pooled / max(float(np.linalg.norm(pooled)), 1e-12)
        return out


def make_query_encoder(choice: str, embedder: Embedder) -> Embedder:
    """Return the encoder for single queries: ONNX int8 for MiniLM when chosen or available.

    ``auto`` uses ONNX when onnxruntime is installed and falls back to ``embedder`` if the
    model cannot be exported; ``onnx`` insists on it; ``torch`` (or another embedder) keeps
    ``embedder``.
    """
    if choice not in QUERY_ENCODERS:
        raise EmbedderError(f"unknown query encoder {choice!r}; use auto, onnx or torch")
    if choice == "torch" or embedder.name != MODEL_NAME:
        return embedder
    if not onnx_available():
        if choice == "onnx":
            raise OnnxUnavailableError("query_encoder=onnx needs onnxruntime: "
                                       "pip install onnxruntime")
        return embedder
    threads = int(os.environ.get("SOCIALSEARCH_TORCH_THREADS", "0")) or 1
    return OnnxQueryEncoder(onnx_model_file(), threads=threads,
                            fallback=embedder if choice == "auto" else None)


def main(argv: Sequence[str] | None = None) -> None:
    """Export the int8 query model into the cache (``serve`` runs this before forking)."""
    parser = argparse.ArgumentParser(description="Export the int8 ONNX MiniLM query model.")
    parser.add_argument("target", nargs="?", help="Path of the .onnx file to write "
                        "(default: the user cache).")
    opts = parser.parse_args(argv)
    target = Path(opts.target) if opts.target else onnx_model_file()
    if not target.exists():
        export_onnx_model(target)
    print(target)


if __name__ == "__main__":
    main()
