"""A small hand-built company: people, public and private documents, a customer."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime, timedelta

from search.engine import SearchEngine
from search.experts import Expert, ExpertFinder, ExpertSettings
from search.models import Access, Contribution, Document, Person

NOW = datetime(2024, 6, 1, tzinfo=UTC)
SECURITY = Access.restricted(groups=["security-team"])


def days_ago(n: float) -> datetime:
    """Return the time ``n`` days before NOW."""
    return NOW - timedelta(days=n)


def by_id(experts: list[Expert]) -> dict[str, Expert]:
    """Index experts by person id."""
    return {e.person.id: e for e in experts}


def finder_with(engine: SearchEngine, **changes: object) -> ExpertFinder:
    """An expert finder with some settings changed and the fixed clock."""
    return ExpertFinder(engine, dataclasses.replace(ExpertSettings(), **changes),
                        clock=lambda: NOW)


def doc(native: str, title: str, text: str, *contribs: tuple[str, str, float],
        access: Access | None = None, audience: str = "internal",
        tags: tuple[str, ...] = ()) -> Document:
    """Build a wiki document; each contribution is ``(person, role, days ago)``."""
    return Document(
        id=f"wiki:{native}", source="wiki", kind="wiki", title=title, text=text,
        url=f"https://wiki.example/{native}", created_at=days_ago(400),
        contributions=tuple(Contribution(p, r, days_ago(d)) for p, r, d in contribs),
        access=access or Access(), audience=audience,  # type: ignore[arg-type]
        tags=tags,
    )


PEOPLE = [
    Person("alice", "Alice Martín", emails=("alice.martin@example.com",), title="Staff Engineer",
           department="Platform", manager_id="bob", skills=("Kubernetes", "Go"),
           groups=("staff",)),
    Person("kim", "Kim Park", title="Site Reliability Engineer", department="Platform",
           manager_id="bob", skills=("Kubernetes",), groups=("staff",)),
    Person("bob", "Bob Chen", title="Engineering Manager", department="Platform",
           groups=("staff",)),
    Person("zoe", "Zoë Ångström", title="Data Scientist", department="Analytics",
           manager_id="bob", skills=("machine learning", "Python"), groups=("staff",)),
    Person("carol", "Carol Diaz", title="Security Engineer", department="Security",
           skills=("cryptography",), groups=("staff", "security-team")),
    Person("dave", "Dave Martin", title="Sales Director", department="Sales",
           groups=("staff",)),
    Person("erin", "Erin Vogel", title="Researcher", department="Security",
           groups=("staff", "security-team")),
    Person("c.eve", "Eve Customer", groups=("customers",)),
]

DOCS = [
    doc("kafka", "Kafka partition rebalancing",
        "How kafka consumer groups rebalance partitions when a broker restarts.",
        ("zed", "accepted_answerer", 30), ("amy", "commenter", 30), ("c.eve", "author", 30),
        tags=("kafka", "streaming")),
    doc("grpc", "gRPC deadline propagation",
        "Propagating grpc deadlines across microservices avoids orphaned calls.",
        ("fresh", "answerer", 10), ("stale", "answerer", 730)),
    doc("ingress", "Ingress controller tuning",
        "Tuning the nginx ingress controller for websocket timeouts on the cluster.",
        ("amos", "answerer", 20), ("kim", "answerer", 20)),
    doc("qkd", "Quantum key distribution pilot",
        "Our quantum key distribution pilot with photon detectors and qkd lasers.",
        ("erin", "author", 15), ("carol", "editor", 15), ("ghost", "commenter", 15),
        access=SECURITY),
    doc("refund", "Refund policy complaint",
        "The refund policy is confusing and the refund took weeks.",
        ("c.eve", "author", 5), ("dave", "replier", 5), audience="customer"),
    doc("terraform", "Terraform state locking",
        "Terraform state locking with dynamodb prevents concurrent applies.",
        ("zoe", "author", 50), ("alice", "commenter", 50), tags=("terraform", "infrastructure")),
    doc("terraform-secret", "Terraform secrets in vault",
        "Terraform reads secrets from vault with a dedicated approle.",
        ("zoe", "author", 40), ("erin", "editor", 40), access=SECURITY,
        tags=("vault", "terraform")),
    doc("pandas", "Pandas dataframe joins",
        "Zoë Ångström: joining pandas dataframes on timestamps with merge_asof and "
        "tolerance windows.",
        ("zoe", "author", 60), ("bob", "commenter", 60), tags=("pandas", "python")),
    doc("pandas-merge", "merge_asof tolerance windows",
        "Zoë Ångström: more notes about merge_asof tolerance and dataframes for time series.",
        ("zoe", "author", 70), tags=("pandas",)),
    doc("hadoop", "Hadoop cluster sizing",
        "Sizing hadoop datanodes: disks, memory and yarn containers.",
        ("prolific", "answerer", 25), ("focused", "answerer", 25)),
] + [
    doc(f"misc{i}", f"Unrelated note {i}", f"Lunch menu number {i} with soup and bread.",
        ("prolific", "author", 25), access=SECURITY)
    for i in range(12)
]
