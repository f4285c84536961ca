"""Write the bundled demo corpus: Lumenary, a fictional 40-person SaaS company selling Beacon.

Everything is invented and written by the socialsearch project. The text lives in TOML files
under ``source/`` (see README.md); this script reads them and writes ``people.jsonl``,
``wiki.jsonl``, ``slack.jsonl``, ``qa.jsonl`` and ``customers.jsonl`` next to itself:

    .venv/bin/python search/demo_corpus/generate.py [--source DIR] [--out DIR]

The output is deterministic (fixed seed, no clock, fixed order), so running it twice gives
byte-identical files.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from search.demo_corpus.content import (
    SOURCE,
    Customer,
    Employee,
    Question,
    SourceError,
    Thread,
    WikiPage,
    ascii_fold,
    iso,
    listed_files,
    read_access,
    read_customers,
    read_people,
    read_questions,
    read_threads,
    read_toml,
    read_wiki,
    slugify,
)
from search.demo_corpus.posts import (
    LabelledPost,
    Phrases,
    Pool,
    customer_posts,
    read_baseline,
    read_phrases,
    read_stories,
)

OUT = Path(__file__).resolve().parent
SEED = 20261005
WINDOW = (datetime(2026, 6, 1, tzinfo=UTC), datetime(2026, 11, 20, 23, 59, tzinfo=UTC))
GAPS = [1, 2, 3, 4, 6, 8, 11, 15, 22, 35]  # minutes between Slack messages
Record = dict[str, Any]


class CorpusError(ValueError):
    """The corpus would break a promise the tests rely on (a leak, a dangling id, a bad date)."""


@dataclass(frozen=True)
class Content:
    """Everything the corpus is written from, as read from ``source/``."""

    employees: tuple[Employee, ...]
    experts: dict[str, tuple[str, ...]]
    customers: tuple[Customer, ...]
    restricted_words: dict[str, tuple[str, ...]]
    wiki: tuple[WikiPage, ...]
    threads: tuple[Thread, ...]
    questions: tuple[Question, ...]
    stories: tuple[Pool, ...]
    baseline: tuple[Pool, ...]
    phrases: Phrases


def read_content(source: Path = SOURCE) -> Content:
    """Read every source file listed in ``corpus.toml`` (raises SourceError on bad input)."""
    files = listed_files(source, read_toml(source, "corpus.toml"))
    employees, experts = read_people(source)
    policies, channels, words = read_access(source)
    return Content(employees, experts, read_customers(source), words,
                   read_wiki(source, files["wiki"], policies),
                   read_threads(source, files["slack"], channels),
                   read_questions(source, files["qa"]),
                   read_stories(source, files["stories"]),
                   read_baseline(source, files["baseline"][0]), read_phrases(source))


def employee_records(employees: tuple[Employee, ...]) -> list[Record]:
    """People records for the org chart; handles and emails derive from id and name."""
    records = []
    for number, e in enumerate(employees, start=1):
        first, last = e.name.split(" ", 1)
        local = ascii_fold(f"{first}.{last}").lower().replace("'", "").replace(" ", "")
        slack = "U0" + ascii_fold(e.id[2:]).upper()[:8]
        records.append({
            "type": "person",
            "id": e.id,
            "name": e.name,
            "emails": [f"{local}@lumenary.example"],
            "handles": {"slack": slack,
                        "wiki": ascii_fold(e.name).replace(" ", "").replace("'", ""),
                        "qa": str(number)},
            "title": e.title,
            "department": e.department,
            "manager_id": e.manager,
            "skills": list(e.skills),
            "groups": ["everyone", *e.groups],
        })
    return records


def customer_records(customers: tuple[Customer, ...]) -> list[Record]:
    """People records for the customer accounts (group ``customers``)."""
    return [
        {
            "type": "person",
            "id": f"c.{c.handle}",
            "name": c.name,
            "emails": [],
            "handles": {"twitter": c.handle, "community": c.handle},
            "title": "",
            "department": c.company,
            "manager_id": None,
            "skills": [],
            "groups": ["customers"],
            "meta": {"customer": True, "followers": c.followers, "company": c.company},
        }
        for c in customers
    ]


def wiki_records(pages: tuple[WikiPage, ...]) -> list[Record]:
    """Wiki page documents: the author first, then editors."""
    return [{
        "id": f"wiki:{page.slug}",
        "source": "wiki",
        "kind": "wiki",
        "title": page.title,
        "text": page.text,
        "url": f"https://wiki.lumenary.example/{page.slug}",
        "created_at": iso(page.people[0][1]),
        "updated_at": iso(max(when for _, when in page.people)),
        "contributions": [{"person": pid, "role": "author" if i == 0 else "editor", "at": iso(when)}
                          for i, (pid, when) in enumerate(page.people)],
        "access": page.access,
        "audience": "internal",
        "tags": list(page.tags),
    } for page in pages]


def slack_records(threads: tuple[Thread, ...], names: dict[str, str]) -> list[Record]:
    """Slack thread documents, sorted by time; messages are a few random minutes apart."""
    rng = random.Random(SEED + 1)
    mentions = {f"@{name}": pid for pid, name in names.items()}
    records: list[Record] = []
    for thread in threads:
        moment = thread.start
        lines, contributions, seen = [], [], set()
        for i, (pid, text) in enumerate(thread.messages):
            if i:
                moment += timedelta(minutes=rng.choice(GAPS))
            lines.append(f"{names[pid]}: {text}")
            role = "author" if i == 0 else "replier"
            if (pid, role) not in seen and not (role == "replier" and (pid, "author") in seen):
                seen.add((pid, role))
                contributions.append({"person": pid, "role": role, "at": iso(moment)})
            for handle, mentioned in mentions.items():
                if handle in text and mentioned not in {c["person"] for c in contributions}:
                    contributions.append({"person": mentioned, "role": "mentioned",
                                          "at": iso(moment)})
        stamp = int(thread.start.timestamp())
        while any(r["id"].endswith(f"{thread.channel_id}-{stamp}.000100") for r in records):
            stamp += 1
        native = f"{stamp}.000100"
        first = thread.messages[0][1]
        short = first if len(first) <= 80 else first[:77].rsplit(" ", 1)[0] + "…"
        dm = thread.channel.startswith("dm-")
        records.append({
            "id": f"slack:{thread.channel_id}-{native}",
            "source": "slack",
            "kind": "thread",
            "title": f"{'DM' if dm else '#' + thread.channel}: {short}",
            "text": "\n".join(lines),
            "url": f"https://lumenary.slack.example/archives/{thread.channel_id}/p{stamp}000100",
            "created_at": iso(thread.start),
            "updated_at": iso(moment),
            "contributions": contributions,
            "access": thread.access,
            "audience": "internal",
            "meta": {"channel": "dm" if dm else thread.channel,
                     "message_count": len(thread.messages)},
        })
    return sorted(records, key=lambda d: (d["created_at"], d["id"]))


def qa_records(questions: tuple[Question, ...]) -> list[Record]:
    """Q&A documents: question, accepted answer, other answers, then comments."""
    records = []
    for q in questions:
        parts = [q.body]
        contributions = [{"person": q.asker, "role": "asker", "at": iso(q.asked)}]
        times = [q.asked]
        labelled = [("Answer (accepted): ", "accepted_answerer", q.accepted)] if q.accepted else []
        labelled += [("Answer: ", "answerer", a) for a in q.answers]
        labelled += [("Comment: ", "commenter", c) for c in q.comments]
        for label, role, answer in labelled:
            parts.append(label + answer.text)
            contributions.append({"person": answer.by, "role": role, "at": iso(answer.at)})
            times.append(answer.at)
        records.append({
            "id": f"qa:{q.number}",
            "source": "qa",
            "kind": "qa",
            "title": q.title,
            "text": "\n\n".join(parts),
            "url": f"https://qa.lumenary.example/questions/{q.number}/{slugify(q.title)}",
            "created_at": iso(q.asked),
            "updated_at": iso(max(times)),
            "contributions": contributions,
            "access": {"public": True},
            "audience": "internal",
            "tags": list(q.tags),
            "meta": {"score": q.score, "answer_count": len(q.answers) + (1 if q.accepted else 0)},
        })
    return records


def check(people: list[Record], documents: list[Record],
          restricted_words: dict[str, tuple[str, ...]]) -> None:
    """Refuse a corpus that breaks the promises the tests rely on."""
    counts = Counter([d["id"] for d in documents] + [p["id"] for p in people])
    duplicates = sorted(i for i, n in counts.items() if n > 1)
    if duplicates:
        raise CorpusError(f"duplicate ids: {duplicates}")
    known = {p["id"] for p in people}
    for doc in documents:
        for c in doc["contributions"]:
            if c["person"] not in known:
                raise CorpusError(f"{doc['id']}: unknown person {c['person']!r}")
        for key in ("created_at", "updated_at"):
            if key in doc and not WINDOW[0] <= datetime.fromisoformat(doc[key]) <= WINDOW[1]:
                raise CorpusError(f"{doc['id']}: {key} {doc[key]} is outside {WINDOW[0]:%Y-%m-%d}"
                                  f" .. {WINDOW[1]:%Y-%m-%d}")
    words = [w.lower() for group in restricted_words.values() for w in group]
    public = [json.dumps(d, ensure_ascii=False).lower()
              for d in documents if d["access"].get("public")]
    public += [json.dumps(p, ensure_ascii=False).lower() for p in people]
    restricted = [json.dumps(d, ensure_ascii=False).lower()
                  for d in documents if not d["access"].get("public")]
    for word in words:
        leaks = [blob[:60] for blob in public if word in blob]
        if leaks:
            raise CorpusError(f"restricted word {word!r} appears in public items: {leaks}")
        if not any(word in blob for blob in restricted):
            raise CorpusError(f"restricted word {word!r} appears in no restricted item")


def build_corpus(source: Path = SOURCE) -> tuple[dict[str, list[Record]], list[LabelledPost]]:
    """The records of each jsonl file, checked, and the customer posts with their sentiment."""
    content = read_content(source)
    names = {e.id: e.name for e in content.employees}
    unknown = sorted({pid for pids in content.experts.values() for pid in pids} - set(names))
    if unknown:
        raise CorpusError(f"people.toml: experts {unknown} are not employees")
    people = employee_records(content.employees) + customer_records(content.customers)
    strangers = {pid for t in content.threads for pid, _ in t.messages} - set(names)
    if strangers:
        raise CorpusError(f"Slack messages by unknown people: {sorted(strangers)}")
    posts = customer_posts(SEED, content.customers, content.phrases, content.stories,
                           content.baseline)
    files = {
        "people.jsonl": people,
        "wiki.jsonl": wiki_records(content.wiki),
        "slack.jsonl": slack_records(content.threads, names),
        "qa.jsonl": qa_records(content.questions),
        "customers.jsonl": [record for record, _ in posts],
    }
    check(people, [d for name, records in files.items() if name != "people.jsonl"
                   for d in records], content.restricted_words)
    return files, posts


def post_tones(source: Path = SOURCE) -> dict[str, str]:
    """The sentiment (neg, neu, pos) each customer post was written with, by post id."""
    return {record["id"]: tone for record, tone in build_corpus(source)[1]}


def write_corpus(out: Path = OUT, source: Path = SOURCE) -> dict[str, int]:
    """Check the whole corpus, then write the jsonl files; returns the record count per file."""
    files, _ = build_corpus(source)
    out.mkdir(parents=True, exist_ok=True)
    for name, records in files.items():
        with open(out / name, "w", encoding="utf-8", newline="\n") as fh:
            for record in records:
                fh.write(json.dumps(record, ensure_ascii=False) + "\n")
    return {name: len(records) for name, records in files.items()}


def main(argv: list[str] | None = None) -> int:
    """Command line: write the corpus, or print what is wrong with the sources."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--source", type=Path, default=SOURCE, help="the TOML source folder")
    parser.add_argument("--out", type=Path, default=OUT, help="where to write the jsonl files")
    args = parser.parse_args(argv)
    try:
        counts = write_corpus(args.out, args.source)
    except (SourceError, CorpusError, OSError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    for name, count in counts.items():
        print(f"{name}: {count} records")
    return 0


if __name__ == "__main__":
    sys.exit(main())
