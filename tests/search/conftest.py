"""Fixtures of the command-line tests."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from search.cli import main


@pytest.fixture
def cli(tmp_path: Path, runner: CliRunner,
        monkeypatch: pytest.MonkeyPatch) -> Callable[..., Result]:
    """Run ``socialsearch --data-dir TMP/d ARGS…`` with the hashing embedder; errors propagate."""
    monkeypatch.setenv("SOCIALSEARCH_EMBEDDER", "hashing")

    def invoke(*args: str) -> Any:
        return runner.invoke(main, ["--data-dir", str(tmp_path / "d"), *args],
                             catch_exceptions=False)

    return invoke
