"""`socialsearch demo` with the real model: the bundled corpus indexes and answers sensibly."""

from __future__ import annotations

import json
from collections.abc import Callable

import pytest
from click.testing import CliRunner

from search.cli import main

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Callable[..., dict]:
    data = tmp_path_factory.mktemp("demo")
    runner = CliRunner()
    result = runner.invoke(main, ["--data-dir", str(data), "demo", "--no-serve"],
                           catch_exceptions=False)
    assert "0 failed" in result.output, result.output

    def search(*args: str) -> dict:
        out = runner.invoke(main, ["--data-dir", str(data), "search", *args, "--json"],
                            catch_exceptions=False)
        assert out.exit_code == 0, out.output
        parsed: dict = json.loads(out.stdout)
        return parsed

    return search


def top_ids(result: dict, n: int = 5) -> list[str]:
    return [h["id"] for h in result["hits"][:n]]


@pytest.mark.parametrize(("query", "expected"), [
    ("okta login loop", "wiki:sso-okta-login-loop"),
    ("customers were charged twice after the ledger release",
     "wiki:postmortem-inc-2026-041-double-charges"),
    ("how do I handle a GDPR deletion request", "wiki:gdpr-deletion-requests-runbook"),
    ("kafka broker ran out of disk", "wiki:postmortem-inc-2026-033-kafka-disk"),
])
def test_demo_finds_the_right_page(demo: Callable[..., dict], query: str, expected: str) -> None:
    assert expected in top_ids(demo(query, "--audience", "internal"))


def test_demo_restricted_pages_stay_private(demo: Callable[..., dict]) -> None:
    outsider = demo("Project Halcyon acquisition term sheet")
    assert not [h for h in outsider["hits"] if "halcyon" in h["id"] or "board" in h["id"]]
    assert all("Halcyon" not in h["snippet"] for h in outsider["hits"])
    ceo = demo("Project Halcyon acquisition term sheet", "--user", "u.mhartley")
    assert "wiki:project-halcyon" in top_ids(ceo)


def test_demo_facets_and_customer_filter(demo: Callable[..., dict]) -> None:
    result = demo("double charged invoice", "--audience", "customer", "--limit", "20")
    assert result["hits"] and all(h["audience"] == "customer" for h in result["hits"])
    assert set(result["facets"]["audience"]) == {"customer"}
