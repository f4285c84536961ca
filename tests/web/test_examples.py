"""The home page's examples come from the subjects the asker may read."""

from __future__ import annotations

from search.engine import SearchEngine
from search.models import Access, Document, Principal
from web.examples import HomeExamples

SECRET = Access.restricted(groups=["exec"])


def _doc(native: str, tags: tuple[str, ...], kind: str = "wiki", audience: str = "internal",
         access: Access | None = None) -> Document:
    return Document(id=f"x:{native}", source="x", kind=kind, title=native, text=f"about {native}",
                    tags=tags, audience=audience,  # type: ignore[arg-type]
                    access=access or Access())


def test_examples_follow_the_readable_tags(engine: SearchEngine) -> None:
    engine.upsert([
        *[_doc(f"k{i}", ("kafka",)) for i in range(3)],
        *[_doc(f"b{i}", ("billing", "kafka" if i == 0 else "invoices")) for i in range(2)],
        *[_doc(f"h{i}", ("halcyon",), access=SECRET) for i in range(6)],  # the commonest
        *[_doc(f"c{i}", ("general",), kind="thread") for i in range(9)],  # a channel name
        *[_doc(f"p{i}", ("Beacon",), kind="post", audience="customer") for i in range(2)],
        *[_doc(f"q{i}", ("kafka",), kind="post", audience="customer") for i in range(3)],
    ])
    examples = HomeExamples(engine)
    assert examples.for_principal(Principal.anonymous()) == [
        ("search", "kafka"), ("experts", "who knows about billing"),
        ("voice", "what are customers saying about Beacon")]
    insider = examples.for_principal(Principal("u.cto", frozenset({"exec"})))
    assert insider[0] == ("search", "halcyon")
    engine.upsert([_doc(f"n{i}", ("invoices",)) for i in range(9)])  # a new store state
    assert examples.for_principal(Principal.anonymous())[0] == ("search", "invoices")


def test_no_examples_without_tags(engine: SearchEngine) -> None:
    engine.upsert([_doc("plain", ())])
    assert HomeExamples(engine).for_principal(Principal.anonymous()) == []


def test_customers_are_offered_only_to_whoever_may_read_a_post(engine: SearchEngine) -> None:
    engine.upsert([_doc("plain", ("kafka",)),
                   _doc("secret-post", (), kind="post", audience="customer", access=SECRET)])
    examples = HomeExamples(engine)
    assert not examples.hears_customers(Principal.anonymous())
    assert examples.hears_customers(Principal("u.cto", frozenset({"exec"})))
    engine.upsert([_doc("open-post", (), kind="post", audience="customer")])  # a new store state
    assert examples.hears_customers(Principal.anonymous())
