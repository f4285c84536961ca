"""Evidence snippets of long documents: cut around the first match, on word boundaries."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

from search.expert_results import EvidenceSnippets
from search.models import Document
from search.snippets import highlight_snippet


def snippets(query: str) -> EvidenceSnippets:
    keyword = SimpleNamespace(query_terms=lambda q: ["physic"],
                              snippet=lambda text, terms: highlight_snippet(text, terms))
    engine: Any = SimpleNamespace(keyword=keyword)
    return EvidenceSnippets(engine, query)


def document(text: str) -> Document:
    return Document(id="wiki:1", source="wiki", kind="wiki", title="T", text=text)


def test_a_word_inside_another_is_no_match_and_the_excerpt_starts_at_a_word() -> None:
    text = ("Anthropology is the study of humans. " * 30 + "Geophysical surveys help. "
            + "Their societies in the past and present. " * 30)
    got = snippets("physics").get(document(text))
    assert got.startswith("Anthropology is the study")  # "geophysical" is not "physics"


def test_an_excerpt_cut_from_the_middle_says_so_and_begins_with_a_whole_word() -> None:
    text = "Anthropology is the study of humans. " * 40 + "It borrows from physics too. " * 3
    got = snippets("physics").get(document(text))
    assert got.startswith("… ")
    first = got[2:].split()[0]
    assert first in {"Anthropology", "is", "the", "study", "of", "humans."}
    assert '<mark class="hl t0">physics</mark>' in got


def test_an_excerpt_without_a_highlight_still_begins_with_a_whole_word() -> None:
    # "physiology" shares the prefix the cut looks for, but is not a match for "physics"
    text = "Anthropology is the study of humans. " * 40 + "Physiology matters here. " * 40
    got = snippets("physics").get(document(text))
    assert got.startswith("… ") and "<mark" not in got
    assert got[2:].split()[0] in {"Anthropology", "is", "the", "study", "of", "humans."}
