"""Docs are checked against the code: CLI reference, settings, indexers."""

from __future__ import annotations

import importlib.util
from dataclasses import fields
from pathlib import Path

from search.config import SETTING_HELP, Settings

ROOT = Path(__file__).resolve().parents[1]


def load(name: str):  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location(name, ROOT / "docs" / f"{name}.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_cli_reference_is_generated_from_the_code() -> None:
    expected = load("generate_cli_reference").reference()
    assert (ROOT / "docs" / "cli.md").read_text() == expected, "run `make docs-cli`"


def test_every_setting_is_documented() -> None:
    assert set(SETTING_HELP) == {f.name for f in fields(Settings)}
    table = load("generate_settings_reference").settings_table()
    assert table in (ROOT / "docs" / "configuration.md").read_text(), \
        "paste `python docs/generate_settings_reference.py` into docs/configuration.md"


def test_every_indexer_is_documented() -> None:
    from indexers.registry import available_indexers

    text = (ROOT / "docs" / "indexers.md").read_text()
    missing = [name for name in available_indexers() if f"`{name}`" not in text]
    assert not missing, f"indexers missing from docs/indexers.md: {missing}"
