"""The experts, people and person commands: output, JSON, permissions and bad input."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from click.testing import CliRunner, Result

from search.cli import main
from tests.experts.conftest import build_company

ENV = {"SOCIALSEARCH_EMBEDDER": "hashing"}


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory: pytest.TempPathFactory) -> str:
    """A data directory holding the company corpus, closed again before the CLI opens it."""
    path = tmp_path_factory.mktemp("cli")
    build_company(path).close()
    return str(path)


def run(runner: CliRunner, data_dir: str, *args: str) -> Result:
    """Invoke the CLI on the data directory."""
    return runner.invoke(main, ["--data-dir", data_dir, *args], env=ENV)


def test_experts_text_output_shows_evidence(runner: CliRunner, data_dir: str) -> None:
    result = run(runner, data_dir, "experts", "kafka partition rebalancing")
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[0].startswith(" 1. zed (zed)")
    scores = [float(line.split("relative score ")[1].split(",")[0])
              for line in result.output.splitlines() if "relative score" in line]
    assert scores[0] == 1.0 and scores == sorted(scores, reverse=True) and len(scores) > 1
    assert "[accepted answer, 2024-05-02] Kafka partition rebalancing  wiki:kafka" in result.output
    assert "    active under the topic's tags: kafka, streaming" in result.output.splitlines()[:3]


def test_experts_json_respects_the_asker(runner: CliRunner, data_dir: str) -> None:
    outsider = run(runner, data_dir, "experts", "quantum key distribution", "--json",
                   "--user", "dave")
    member = run(runner, data_dir, "experts", "quantum key distribution", "--json",
                 "--user", "carol", "--limit", "50")
    assert outsider.exit_code == 0 and member.exit_code == 0
    assert "erin" not in {e["person"]["id"] for e in json.loads(outsider.output)["experts"]}
    experts = {e["person"]["id"]: e for e in json.loads(member.output)["experts"]}
    assert experts["erin"]["evidence"][0]["doc_id"] == "wiki:qkd"


def test_experts_on_a_persons_name_points_to_the_profile(runner: CliRunner,
                                                          data_dir: str) -> None:
    one = run(runner, data_dir, "experts", "alice martin")  # accents folded
    assert one.exit_code == 0, one.output
    assert one.output.splitlines()[0] == ("Alice Martín is a person in the directory: "
                                          "socialsearch person alice")
    as_json = json.loads(run(runner, data_dir, "experts", "Kim Park", "--json").output)
    assert [(p["id"], p["name"], p["title"]) for p in as_json["directory_match"]["people"]] \
        == [("kim", "Kim Park", "Site Reliability Engineer")]  # the API's person fields
    topic = json.loads(run(runner, data_dir, "experts", "kafka", "--json").output)
    assert topic["directory_match"] is None and topic["experts"]


@pytest.mark.parametrize("args", [["experts", ""], ["experts", "  ?! "], ["people", ""],
                                  ["experts", "kafka", "--since", "not-a-date"]])
def test_bad_input_gives_a_message_not_a_traceback(runner: CliRunner, data_dir: str,
                                                    args: list[str]) -> None:
    result = run(runner, data_dir, *args)
    assert result.exit_code == 2 if "--since" in args else result.exit_code == 1
    assert "Traceback" not in result.output and result.exception is not None
    assert isinstance(result.exception, SystemExit)
    assert "Error" in result.output


def test_topic_matching_nothing_is_explained(runner: CliRunner, data_dir: str) -> None:
    result = run(runner, data_dir, "experts", "xylophone zeppelin")
    assert result.exit_code == 0
    assert "nobody found for 'xylophone zeppelin'" in result.output


def test_people_lists_every_match(runner: CliRunner, data_dir: str) -> None:
    result = run(runner, data_dir, "people", "martin")
    assert result.exit_code == 0
    lines = result.output.splitlines()
    assert lines[0].startswith("Alice Martín (alice) — Staff Engineer, Platform")
    assert lines[1].startswith("Dave Martin (dave)")
    data = json.loads(run(runner, data_dir, "people", "zoe", "--json").output)
    assert [p["person"]["id"] for p in data["people"]] == ["zoe"]
    assert "nobody matches" in run(runner, data_dir, "people", "qqqq").output


def test_person_profile_and_unknown_person(runner: CliRunner, data_dir: str) -> None:
    result = run(runner, data_dir, "person", "zoe")
    assert result.exit_code == 0
    assert "known for: pandas" in result.output
    assert "manager: Bob Chen (bob)" in result.output
    assert "wiki:terraform-secret" not in result.output
    member = run(runner, data_dir, "person", "zoe", "--group", "security-team", "--json")
    assert "wiki:terraform-secret" in {c["doc_id"] for c in json.loads(member.output)[
        "contributions"]}
    missing = run(runner, data_dir, "person", "alic")
    assert missing.exit_code == 1
    assert "no person with id 'alic'; did you mean Alice Martín (alice)?" in missing.output


def test_counts_of_one_are_singular(runner: CliRunner, data_dir: str) -> None:
    assert "  1 document you may read\n" in run(runner, data_dir, "person", "zed").output
    first = run(runner, data_dir, "experts", "kafka partition rebalancing").output.splitlines()[0]
    assert first.endswith(", 1 matching document")


def test_help_does_not_import_torch() -> None:
    code = ("import sys; from click.testing import CliRunner; from search.cli import main; "
            "r = CliRunner().invoke(main, ['--help']); assert 'experts' in r.output; "
            "assert 'person' in r.output; "
            "print(sorted(m for m in sys.modules if m.split('.')[0] in "
            "('torch', 'sentence_transformers', 'transformers')))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True)
    assert out.stdout.strip() == "[]"
