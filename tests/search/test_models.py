"""Tests of the data model: ids, timestamps, access, principals and content hashes."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from search.models import Access, Contribution, Document, Person, Principal, parse_time


def make_doc(**kw: object) -> Document:
    base: dict[str, object] = {"id": "wiki:1", "source": "wiki", "kind": "wiki",
                               "title": "T", "text": "body"}
    base.update(kw)
    return Document(**base)  # type: ignore[arg-type]


def test_id_must_have_source_prefix() -> None:
    with pytest.raises(ValueError, match="source"):
        make_doc(id="nocolon")


def test_audience_is_validated() -> None:
    with pytest.raises(ValueError, match="audience"):
        make_doc(audience="martians")


def test_naive_times_become_utc_and_updated_defaults_to_created() -> None:
    doc = make_doc(created_at=datetime(2024, 5, 1, 12, 0))
    assert doc.created_at == datetime(2024, 5, 1, 12, 0, tzinfo=UTC)
    assert doc.updated_at == doc.created_at


def test_aware_times_are_converted_to_utc() -> None:
    tz = timezone(timedelta(hours=-8))
    doc = make_doc(created_at=datetime(2024, 5, 1, 4, 0, tzinfo=tz))
    assert doc.created_at is not None and doc.created_at.hour == 12


def test_content_hash_changes_with_text_and_access_only() -> None:
    a = make_doc()
    assert a.content_hash == make_doc().content_hash
    assert a.content_hash != make_doc(text="other").content_hash
    assert a.content_hash != make_doc(access=Access.restricted(groups=["x"])).content_hash


def test_access_tokens_round_trip() -> None:
    access = Access.restricted(users=["u1"], groups=["eng"])
    assert access.tokens() == ["group:eng", "user:u1"]
    assert Access.from_tokens(access.tokens()) == access
    assert Access().tokens() == ["public"]


@pytest.mark.parametrize(
    ("principal", "readable"),
    [
        (Principal.anonymous(), False),
        (Principal(user_id="u1"), True),
        (Principal(user_id="u2", groups=frozenset({"eng"})), True),
        (Principal(user_id="u2", groups=frozenset({"sales"})), False),
        (Principal.system(), True),
    ],
)
def test_principal_can_read(principal: Principal, readable: bool) -> None:
    access = Access.restricted(users=["u1"], groups=["eng"])
    assert principal.can_read(access) is readable
    assert principal.can_read(Access())


def test_parse_time_formats() -> None:
    assert parse_time("2024-01-02T03:04:05Z") == datetime(2024, 1, 2, 3, 4, 5, tzinfo=UTC)
    assert parse_time(0) == datetime(1970, 1, 1, tzinfo=UTC)
    assert parse_time("1700000000.5") is not None
    assert parse_time("") is None
    with pytest.raises(ValueError):
        parse_time("yesterday-ish")


def test_person_emails_lowercased_and_id_required() -> None:
    assert Person("p", "P", emails=("A@B.C",)).emails == ("a@b.c",)
    with pytest.raises(ValueError):
        Person("", "nobody")


def test_author_ids_are_distinct_in_order() -> None:
    doc = make_doc(contributions=(Contribution("b", "author"), Contribution("a", "editor"),
                                  Contribution("b", "editor")))
    assert doc.author_ids == ["b", "a"]


def test_a_role_does_not_repeat_the_department_its_title_names() -> None:
    assert Person("u.a", "A", title="Engineering Manager, Platform",
                  department="Platform").role() == "Engineering Manager, Platform"
    assert Person("u.b", "B", title="Staff Engineer", department="Platform").role(", ") == \
        "Staff Engineer, Platform"
    assert Person("u.c", "C", title="Platformer", department="Platform").role() == \
        "Platformer · Platform"  # a whole word only
    assert Person("u.d", "D", department="Sales").role() == "Sales"
    assert Person("u.e", "E").role() == ""


def test_a_date_alone_as_the_end_of_a_period_includes_that_day() -> None:
    from search.models import parse_until

    end = parse_until("2026-10-31")
    assert end is not None and end.isoformat() == "2026-10-31T23:59:59.999999+00:00"
    assert parse_until("2026-10-31T12:00:00Z") == parse_time("2026-10-31T12:00:00Z")
    assert parse_until(None) is None and parse_until("") is None
    assert parse_until("9999-12-31") == datetime.max.replace(tzinfo=UTC)
