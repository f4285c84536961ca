"""The MiniLM embedder: loading it quietly."""

from __future__ import annotations


def test_loading_the_model_hides_the_loading_bar_and_restores_the_setting() -> None:
    from transformers.utils import logging as hf_logging

    from search.embedder import no_loading_bar

    hf_logging.enable_progress_bar()
    with no_loading_bar():
        assert not hf_logging.is_progress_bar_enabled()
    assert hf_logging.is_progress_bar_enabled()
    hf_logging.disable_progress_bar()
    with no_loading_bar():
        pass
    assert not hf_logging.is_progress_bar_enabled()  # a caller's choice is left as it was
    hf_logging.enable_progress_bar()
