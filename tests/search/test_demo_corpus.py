"""The demo corpus generator: the TOML sources regenerate the shipped jsonl files byte for byte."""

from __future__ import annotations

import shutil
from collections import Counter
from pathlib import Path

import pytest

from search.demo_corpus.content import SOURCE, SourceError
from search.demo_corpus.generate import CorpusError, main, post_tones, write_corpus

DEMO = SOURCE.parent
FILES = ["people.jsonl", "wiki.jsonl", "slack.jsonl", "qa.jsonl", "customers.jsonl"]


@pytest.fixture
def source(tmp_path: Path) -> Path:
    """A writable copy of the source folder."""
    copy = tmp_path / "source"
    shutil.copytree(SOURCE, copy)
    return copy


def edit(path: Path, old: str, new: str) -> None:
    """Replace one exact passage of a source file (it must be there)."""
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_regenerates_the_shipped_files_byte_for_byte(tmp_path: Path) -> None:
    counts = write_corpus(tmp_path / "out")
    assert counts == {"people.jsonl": 80, "wiki.jsonl": 65, "slack.jsonl": 91, "qa.jsonl": 47,
                      "customers.jsonl": 298}
    for name in FILES:
        assert (tmp_path / "out" / name).read_bytes() == (DEMO / name).read_bytes(), name


def test_an_edit_in_a_source_file_reaches_the_output(source: Path, tmp_path: Path) -> None:
    edit(source / "wiki" / "billing.toml", "This runbook covers ledger",
         "This runbook describes ledger")
    write_corpus(tmp_path / "out", source)
    wiki = (tmp_path / "out" / "wiki.jsonl").read_text(encoding="utf-8")
    assert "This runbook describes ledger" in wiki
    assert "This runbook covers ledger" not in wiki
    for name in ("people.jsonl", "slack.jsonl", "qa.jsonl", "customers.jsonl"):
        assert (tmp_path / "out" / name).read_bytes() == (DEMO / name).read_bytes(), name


def test_post_tones_label_every_customer_post() -> None:
    tones = post_tones()
    shipped = [line.split('"', 4)[3] for line in (DEMO / "customers.jsonl").open(encoding="utf-8")]
    assert list(tones) == shipped
    mix = Counter(tones.values())
    assert set(mix) == {"neg", "neu", "pos"}
    assert 0.3 < mix["neg"] / len(tones) < 0.5


def test_every_source_file_is_listed_in_the_manifest(source: Path, tmp_path: Path) -> None:
    (source / "wiki" / "extra.toml").write_text("", encoding="utf-8")
    with pytest.raises(SourceError, match=r"wiki/extra.toml.*not listed"):
        write_corpus(tmp_path / "out", source)
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize(("rel", "old", "new", "message"), [
    ("wiki/sso.toml", 'slug = "sso-saml-setup-guide"', 'slg = "sso-saml-setup-guide"',
     r"wiki/sso.toml: page 1 .*unknown key\(s\) \['slg'\], missing key\(s\) \['slug'\]"),
    ("qa/billing.toml", 'asked = "06-18 10:00"', 'asked = "06-31 10:00"',
     r"qa/billing.toml: question 1 \(101\).*'06-31 10:00'"),
    ("slack/general.toml", 'start = "06-01 09:00"', 'start = "June 1"',
     r"slack/general.toml: thread 1.*not a time"),
    ("posts/double-charge.toml", '"10-11" = 1}', '"10-11" = 2}',
     r"pool 1: the days table adds up to 37 posts, the pool has 36"),
    ("posts/android-crash.toml", 'at = "09-16 08:05"',
     'at = "09-16 08:05", within = ["09-01", "09-30"]',
     r"android-crash.toml: pool 1: within only applies to baseline posts"),
    ("posts/double-charge.toml", 'title = "Awful billing week", rating = 2',
     'title = "Awful billing week", rating = 6', r"rating must be a whole number from 1 to 5"),
    ("posts/baseline.toml", '{tweet = "Beacon\'s invoice PDFs still',
     '{within = ["08-01", "08-30"], tweet = "Beacon\'s invoice PDFs still',
     r"\[billing\] neg post 1: within must lie between 08-28 and 11-19"),
    ("posts/phrases.toml", 'signoffs = [" Thanks!", " Thanks in advance.", '
     '" Any help appreciated.", ""]', "signoffs = []", r"needs at least one entry"),
    ("customers.toml", "persona = \"pm\", weight = 0.3}", "persona = \"pm\", weight = 0}",
     r"customer 1 \(metricsmaven\): weight must be a number above 0"),
    ("posts/sso-loop.toml", "the Beacon/Okta login loop.", "the Beacon/Okta {loop}.",
     r"unknown placeholder\(s\) \['loop'\]"),
    ("posts/baseline.toml", "[billing]\nneg = [", "[billing]\nnegative = [",
     r"\[billing\].*unknown key\(s\) \['negative'\]"),
    ("access.toml", 'exec-private = {id = "G0EXECPRIV", access = "exec"}',
     'exec-private = {id = "G0EXECPRIV", access = "execs"}', r"unknown access policy 'execs'"),
    ("people.toml", 'title = "Chief Executive Officer"', 'title = "Chief Executive Officer',
     r"people.toml: not valid TOML"),
])
def test_bad_sources_fail_with_the_file_and_entry(source: Path, tmp_path: Path, rel: str,
                                                  old: str, new: str, message: str) -> None:
    edit(source / rel, old, new)
    with pytest.raises(SourceError, match=message):
        write_corpus(tmp_path / "out", source)


def test_a_restricted_word_in_a_public_page_is_refused(source: Path, tmp_path: Path) -> None:
    edit(source / "wiki" / "general.toml", "- Workspace: a customer account",
         "- Workspace: a customer account (see Project Halcyon)")
    with pytest.raises(CorpusError, match="'project halcyon' appears in public items"):
        write_corpus(tmp_path / "out", source)
    assert not (tmp_path / "out").exists()


def test_a_restricted_word_must_appear_in_a_restricted_item(source: Path, tmp_path: Path) -> None:
    edit(source / "access.toml", 'dm = ["Kestrel"]', 'dm = ["Kestrel", "Osprey"]')
    with pytest.raises(CorpusError, match="'osprey' appears in no restricted item"):
        write_corpus(tmp_path / "out", source)


def test_unknown_people_are_refused(source: Path, tmp_path: Path) -> None:
    edit(source / "slack" / "general.toml", '["u.pnair", "And pricing changes',
         '["u.nobody", "And pricing changes')
    with pytest.raises(CorpusError, match=r"unknown people: \['u.nobody'\]"):
        write_corpus(tmp_path / "out", source)
    edit(source / "slack" / "general.toml", '["u.nobody", "And pricing changes',
         '["u.pnair", "And pricing changes')
    edit(source / "posts" / "double-charge.toml", 'by = "metricsmaven"', 'by = "nobody"')
    with pytest.raises(SourceError, match=r"unknown customer\(s\) \['nobody'\]"):
        write_corpus(tmp_path / "out", source)


def test_command_line_reports_errors_without_a_traceback(
        source: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "out"
    assert main(["--source", str(source), "--out", str(out)]) == 0
    assert "customers.jsonl: 298 records" in capsys.readouterr().out
    before = (out / "wiki.jsonl").read_bytes()
    edit(source / "wiki" / "billing.toml", 'author = ["u.ogarcia"', 'author = ["u.ogarcia", 3')
    assert main(["--source", str(source), "--out", str(out)]) == 1
    err = capsys.readouterr().err
    assert err.startswith("error: ") and "Traceback" not in err
    assert (out / "wiki.jsonl").read_bytes() == before
