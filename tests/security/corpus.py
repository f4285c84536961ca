"""An adversarial corpus: public work, private channels and pages, and canary words.

Every private document carries one or more *canaries*: nonsense words that occur nowhere in
public text, in the directory (names, titles, skills) or in the queries' expected echo. Finding a
canary in a response the asker could not read proves a leak, whatever the read path.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from search.models import Access, Contribution, Document, Person, Principal

# canary -> where it hides
CANARIES: dict[str, str] = {
    "zorblaxite": "title of a private exec Slack channel thread",
    "quintravex": "body of the private exec thread",
    "vorpelmoss": "title of a restricted HR wiki page",
    "glimmerwoxx": "body of a security page written by someone with only private work",
    "mimblewick": "tag of the restricted security page",
    "quarkvault": "a source that only holds private documents",
    "snorkelquin": "id of a contributor who appears only in private documents",
    "frabjulent": "body of restricted customer posts",
    "drizzlefang": "author of restricted customer posts (an influencer)",
    "plonkavarre": "URL of the restricted HR page",
}

WEEK = "2026-W10"  # Monday 2 March 2026
MONDAY = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)

EXEC = Access.restricted(users=["u.bob"], groups=["exec"])
HR = Access.restricted(groups=["hr"])
SECURITY = Access.restricted(groups=["security"])
SUPPORT = Access.restricted(groups=["support"])


def _c(person: str, role: str, days: int = 0) -> Contribution:
    return Contribution(person, role, MONDAY - timedelta(days=days))


def internal_documents() -> list[Document]:
    """Public and private internal documents (wiki, Slack, Q&A)."""
    at = MONDAY - timedelta(days=20)
    return [
        Document("wiki:kafka-runbook", "wiki", "wiki", "Kafka consumer runbook",
                 "When kafka consumer lag grows, check the partitions and restart the consumer "
                 "group. Billing events flow through kafka too.", created_at=at,
                 url="https://wiki.example.com/kafka",
                 contributions=(_c("u.ann", "author", 30), _c("u.carl", "editor", 25)),
                 tags=("kafka",)),
        Document("wiki:deploy", "wiki", "wiki", "Deployment checklist",
                 "Before a deployment, pause the kafka consumers and announce it in the "
                 "general channel.", created_at=at, contributions=(_c("u.carl", "author", 28),),
                 tags=("deployment",)),
        Document("slack:general-1", "slack", "thread", "Billing migration",
                 "The billing migration moves invoices to the new ledger; kafka carries the "
                 "events. Ask in general if invoices look wrong.", created_at=at,
                 contributions=(_c("u.dan", "author", 10), _c("u.ann", "replier", 9))),
        Document("qa:1", "qa", "qa", "How are invoices billed?",
                 "Invoices are billed monthly by the billing service; refunds go through "
                 "support.", created_at=at,
                 contributions=(_c("u.carl", "asker", 15), _c("u.dan", "accepted_answerer", 14))),
        Document("wiki:onboarding", "wiki", "wiki", "Onboarding guide",
                 "New engineers read the kafka runbook and the deployment checklist.",
                 created_at=at, contributions=(_c("u.ann", "author", 40),)),
        # --- private -----------------------------------------------------------------------
        Document("slack:exec-1", "slack", "thread", "Zorblaxite acquisition",
                 "Quintravex terms: the kafka billing platform of the target is what we buy. "
                 "Deployment after closing.", created_at=at, access=EXEC,
                 contributions=(_c("u.bob", "author", 5), _c("u.ann", "replier", 4),
                                _c("x.snorkelquin", "replier", 3))),
        Document("hr:bands", "hr", "wiki", "Vorpelmoss salary bands",
                 "Salary bands for kafka and billing engineers, deployment on-call bonus.",
                 created_at=at, access=HR, url="https://hr.example.com/plonkavarre",
                 contributions=(_c("u.eve", "author", 6), _c("u.carl", "editor", 5))),
        Document("wiki:incident-7", "wiki", "wiki", "Kafka billing incident review",
                 "Glimmerwoxx exploit in the kafka billing consumer; rotate the deployment "
                 "keys. Kafka kafka kafka billing.", created_at=at, access=SECURITY,
                 contributions=(_c("u.ghost", "author", 2), _c("u.ann", "editor", 1)),
                 tags=("mimblewick", "kafka")),
        Document("quarkvault:1", "quarkvault", "wiki", "Kafka hardening",
                 "Kafka billing consumers must use mutual TLS; deployment keys live in the "
                 "vault.", created_at=at, access=SECURITY,
                 contributions=(_c("u.ghost", "author", 2),)),
    ]


def _post(num: int, text: str, at: datetime, author: str, followers: int,
          access: Access | None = None) -> Document:
    meta = {"author": author, "author_name": author.title(), "followers": followers,
            "likes": num % 5, "reposts": num % 3, "product": "billing", "channel": "twitter"}
    return Document(f"tw:{num}", "tw", "post", "", text, created_at=at, audience="customer",
                    contributions=(Contribution(f"c.{author}", "author", at),),
                    access=access or Access(), meta=meta)


PUBLIC_POSTS = [
    "billing charged me twice this month, terrible",
    "the billing page is slow and confusing",
    "love the new billing dashboard, great work",
    "invoice arrived late again, annoying",
    "refund was quick, thanks support",
    "wifi on the app keeps dropping, awful",
]


def customer_posts() -> list[Document]:
    """Five weeks of public posts and one restricted burst from a big private influencer."""
    docs = []
    num = 0
    authors = [("alice", 120), ("bruno", 900), ("chen", 40)]
    for day in range(0, 35, 2):
        for j in range(2):
            text = PUBLIC_POSTS[(day + j) % len(PUBLIC_POSTS)]
            name, followers = authors[(day + j) % len(authors)]
            at = MONDAY - timedelta(days=28) + timedelta(days=day, hours=j)
            docs.append(_post(num, f"{text} #{num}", at, name, followers))
            num += 1
    for j in range(9):
        at = MONDAY + timedelta(days=2, hours=j)
        docs.append(_post(100 + j, f"billing outage frabjulent ledger lost my invoices, "
                                   f"terrible and awful #{j}", at, "drizzlefang", 250_000,
                          SUPPORT))
    return docs


def documents() -> list[Document]:
    """Every document of the adversarial corpus."""
    return internal_documents() + customer_posts()


def people() -> list[Person]:
    """The directory: public to every principal by design (names, titles, groups, skills)."""
    return [
        Person("u.ann", "Ann Lee", emails=("ann@example.com",), handles={"slack": "U0ANN"},
               title="Staff Engineer", department="Platform", groups=("engineering",),
               skills=("kafka",)),
        Person("u.bob", "Bob Stone", handles={"slack": "U0BOB"}, title="CEO",
               department="Executive", groups=("exec",)),
        Person("u.carl", "Carl Berg", handles={"slack": "U0CARL"}, title="Engineer",
               department="Platform", groups=("engineering",), manager_id="u.ann"),
        Person("u.dan", "Dan Ortiz", handles={"slack": "U0DAN"}, title="Support Lead",
               department="Support", groups=("support",)),
        Person("u.eve", "Eve Marsh", handles={"slack": "U0EVE"}, title="HR Partner",
               department="People", groups=("hr",)),
        Person("u.ghost", "Greta Hollow", handles={"slack": "U0GHOST"}, title="Analyst",
               department="Security", groups=("security",)),
    ]


@dataclass(frozen=True)
class Asker:
    """A principal of the suite, how the web app and Slack recognise them."""

    name: str
    principal: Principal
    sso_user: str | None
    slack_user: str


ASKERS: tuple[Asker, ...] = (
    Asker("anonymous", Principal.anonymous(), None, "U0NOBODY"),
    Asker("carl (no private group)", Principal("u.carl", frozenset({"engineering"})), "u.carl",
          "U0CARL"),
    Asker("dan (support only)", Principal("u.dan", frozenset({"support"})), "u.dan", "U0DAN"),
    Asker("eve (hr only)", Principal("u.eve", frozenset({"hr"})), "u.eve", "U0EVE"),
    Asker("bob (exec member)", Principal("u.bob", frozenset({"exec"})), "u.bob", "U0BOB"),
    Asker("greta (security member)", Principal("u.ghost", frozenset({"security"})), "u.ghost",
          "U0GHOST"),
)


def readable(principal: Principal, docs: Iterable[Document] | None = None) -> list[Document]:
    """Return the documents ``principal`` may read."""
    return [d for d in (documents() if docs is None else docs) if principal.can_read(d.access)]


def forbidden_canaries(principal: Principal) -> list[str]:
    """Return the canaries that occur only in documents ``principal`` may not read."""
    seen = " ".join(_doc_text(d) for d in readable(principal)).lower()
    return [c for c in CANARIES if c not in seen]


def _doc_text(doc: Document) -> str:
    parts = [doc.id, doc.source, doc.title, doc.text, doc.url, " ".join(doc.tags),
             " ".join(c.person_id for c in doc.contributions), str(dict(doc.meta))]
    return " ".join(parts)
