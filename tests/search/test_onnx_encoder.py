"""The ONNX int8 query encoder: choice, fallback, and parity with the torch model."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from search.embedder import EmbedderError, HashingEmbedder, MiniLMEmbedder
from search.onnx_encoder import (
    OnnxQueryEncoder,
    make_query_encoder,
    onnx_available,
    onnx_model_file,
)

REAL_QUERIES = ["refund policy", "sso login loop", "who knows about kafka consumer lag",
                "onboarding checklist for new engineers", "invoice vat", "mobile sdk crash",
                "How do I rotate the Okta signing certificate before it expires?",
                "customers complaining about slow dashboards after the March release",
                "data export to csv", "pricing"]


def test_choice_keeps_other_embedders_and_rejects_unknown() -> None:
    fake = HashingEmbedder()
    assert make_query_encoder("auto", fake) is fake
    assert make_query_encoder("onnx", fake) is fake  # only MiniLM has an ONNX copy
    minilm = MiniLMEmbedder()
    assert make_query_encoder("torch", minilm) is minilm
    with pytest.raises(EmbedderError, match="auto, onnx or torch"):
        make_query_encoder("fast", minilm)


@pytest.mark.skipif(not onnx_available(), reason="onnxruntime is not installed")
def test_auto_falls_back_to_the_embedder_when_the_model_cannot_be_made(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def fail(_target: Path) -> Path:
        raise EmbedderError("no exporter here")

    monkeypatch.setattr("search.onnx_encoder.export_onnx_model", fail)
    fake = HashingEmbedder()
    encoder = OnnxQueryEncoder(tmp_path / "missing.onnx", fallback=fake)
    assert np.allclose(encoder.embed(["kafka lag"]), fake.embed(["kafka lag"]))
    assert encoder.failed
    strict = OnnxQueryEncoder(tmp_path / "missing.onnx")
    with pytest.raises(EmbedderError, match="no exporter"):
        strict.embed(["kafka lag"])


def test_cache_location_follows_xdg(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert onnx_model_file().parent == tmp_path / "socialsearch" / "models"


@pytest.mark.slow
@pytest.mark.skipif(not onnx_available(), reason="onnxruntime is not installed")
def test_onnx_vectors_match_torch(minilm: MiniLMEmbedder) -> None:
    encoder = make_query_encoder("onnx", minilm)  # exports into the cache on first use
    assert isinstance(encoder, OnnxQueryEncoder)
    fast = encoder.embed(REAL_QUERIES)
    exact = minilm.embed(REAL_QUERIES)
    assert fast.shape == exact.shape == (len(REAL_QUERIES), 384)
    assert np.allclose(np.linalg.norm(fast, axis=1), 1.0, atol=1e-5)
    cosines = (fast * exact).sum(axis=1)
    assert cosines.min() >= 0.99, cosines
    # a long query is truncated at the model's 256 tokens, not the tokenizer file's 128
    long_query = " ".join(["kafka"] * 150 + ["billing"] * 150)
    assert float(encoder.embed([long_query])[0] @ minilm.embed([long_query])[0]) >= 0.98


def test_the_one_off_export_is_quiet_and_leaves_logging_as_it_was(
        caplog: pytest.LogCaptureFixture) -> None:
    import logging
    import warnings

    quantization = pytest.importorskip("onnxruntime.quantization")
    from search.onnx_encoder import _quiet_export

    root = logging.getLogger()
    handlers, filters = list(root.handlers), list(root.filters)
    caplog.set_level(logging.INFO)
    with warnings.catch_warnings(record=True) as seen:
        warnings.simplefilter("always")
        with _quiet_export():
            warnings.warn("TracerWarning: converting a tensor to a Python boolean",
                          stacklevel=1)
            root.handle(root.makeRecord(  # what the quantiser logs, from its own code
                "root", logging.WARNING, str(Path(quantization.__file__).parent / "quantize.py"),
                1, "Please consider to run pre-processing before quantization", (), None))
            logging.getLogger("search.onnx_encoder").info("our own progress line")
            logging.warning("another thread's record on the root logger")
        warnings.warn("a warning after the export", stacklevel=1)
    assert [str(w.message) for w in seen] == ["a warning after the export"]
    assert "pre-processing" not in caplog.text
    assert "our own progress line" in caplog.text
    assert "another thread's record" in caplog.text
    assert root.handlers == handlers and root.filters == filters
