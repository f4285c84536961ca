"""A corpus of stored XSS and Slack mrkdwn injection: posts, pages, names and titles."""

from __future__ import annotations

from datetime import timedelta

from search.models import Contribution, Document, Person
from tests.security.corpus import MONDAY

SCRIPT = "<script>window.__xss=1;document.title='pwned'</script>"
IMG = "<img src=x onerror=\"window.__xss=2;document.title='pwned'\">"
SVG = "\"><svg onload=\"window.__xss=3\">"
QUOTES = "' onmouseover='window.__xss=4' x='"
JS_LINK = "[click](javascript:window.__xss=5)"
SLACK = "<!channel> <!here> <@U0EVIL> <http://evil.example.com|click me>"
PAYLOADS = (SCRIPT, IMG, SVG, QUOTES, JS_LINK, SLACK)
HOSTILE = " ".join(PAYLOADS)


def hostile_documents() -> list[Document]:
    """Pages, threads and customer posts whose every free-text field is hostile."""
    docs = [
        Document("wiki:xss-title", "wiki", "wiki", f"Kafka {SCRIPT} {IMG}",
                 f"kafka consumer notes {HOSTILE}", url="javascript:window.__xss=6",
                 created_at=MONDAY - timedelta(days=3),
                 contributions=(Contribution("u.mallory", "author"),), tags=(SCRIPT,)),
        Document("slack:xss-thread", "slack", "thread", f"Kafka {SLACK} {QUOTES}",
                 f"kafka lag {SLACK} & {SVG}",
                 url="https://ok.example.com/x\"onmouseover=\"window.__xss=7|<!channel>",
                 created_at=MONDAY - timedelta(days=2),
                 contributions=(Contribution("u.mallory", "replier"),
                                Contribution(f"u.{SVG}", "replier"))),
    ]
    for j in range(8):
        at = MONDAY + timedelta(days=1, hours=j)
        meta = {"author": "mallory", "author_name": f"Mal {IMG} {SLACK}", "followers": 90_000,
                "likes": 3, "reposts": 1, "product": "billing", "channel": "twitter"}
        docs.append(Document(f"tw:x{j}", "tw", "post", "",
                             f"billing is terrible {SCRIPT} {JS_LINK} {SLACK} awful #{j}",
                             created_at=at, audience="customer", meta=meta,
                             contributions=(Contribution("c.mallory", "author", at),)))
    for j in range(6):
        at = MONDAY - timedelta(days=7 * (j % 4) + 1)
        docs.append(Document(f"tw:h{j}", "tw", "post", "", f"billing was fine #{j}",
                             created_at=at, audience="customer",
                             meta={"author": "zed", "author_name": "Zed", "followers": 10},
                             contributions=(Contribution("c.zed", "author", at),)))
    return docs


def hostile_people() -> list[Person]:
    """People whose name, title, department and skills carry payloads."""
    return [
        Person("u.mallory", f"Mallory {SCRIPT}", handles={"slack": "U0MAL"},
               title=f"Engineer {IMG}", department=f"{SLACK} {QUOTES}",
               groups=("engineering",), skills=("kafka", SVG)),
        Person("u.reader", "Rita Reader", handles={"slack": "U0RITA"}, title="Engineer",
               department="Platform", groups=("engineering",)),
    ]
