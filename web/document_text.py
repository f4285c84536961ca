"""A document's text as the page shows it: paragraphs, with its section headings set apart."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class TextBlock:
    """A run of the text's lines, or one of its section headings (``anchor`` set)."""

    text: str
    anchor: str = ""


def text_blocks(text: str, headings: Sequence[str]) -> list[TextBlock]:
    """Split ``text`` at the lines that are one of the indexer's ``headings``."""
    marked = {h.strip() for h in headings if isinstance(h, str) and h.strip()}
    blocks: list[TextBlock] = []
    run: list[str] = []

    def close_run() -> None:
        body = "\n".join(run).strip("\n")
        if body.strip():
            blocks.append(TextBlock(body))
        run.clear()

    for line in text.split("\n"):
        if line.strip() in marked:
            close_run()
            blocks.append(TextBlock(line.strip(), anchor=f"section-{len(blocks) + 1}"))
        else:
            run.append(line)
    close_run()
    while blocks and blocks[-1].anchor:  # "References", "External links": emptied by cleaning
        blocks.pop()
    return blocks


def document_headings(meta: Mapping[str, Any]) -> list[str]:
    """Return the section headings an indexer recorded in a document's ``meta`` (or none)."""
    found = meta.get("headings")
    return [h for h in found if isinstance(h, str)] if isinstance(found, list) else []
