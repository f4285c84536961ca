"""Company sentiment labels in the store: recording, replacing, importing, resolving conflicts."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from search.engine import SearchEngine
from search.sentiment_labels import (
    LabelError,
    all_labels,
    count_labels,
    current_labels,
    import_labels,
    labelled_doc_ids,
    normalise_label,
    record_label,
    resolve_labels,
)

T0 = datetime(2026, 1, 1, tzinfo=UTC)


def test_normalise_label_accepts_aliases_only() -> None:
    assert normalise_label(" POS ") == "positive"
    assert normalise_label("-1") == "negative"
    with pytest.raises(LabelError, match="unknown label 'meh'"):
        normalise_label("meh")
    with pytest.raises(LabelError, match=r"^no label given: use negative"):  # an empty CSV cell
        normalise_label(" ")


def test_a_skip_leaves_the_queue_but_is_not_a_label(voice_engine: SearchEngine) -> None:
    store = voice_engine.store
    record_label(store, "negative", "ann", doc_id="tw:1", at=T0)
    record_label(store, "skip", "bob", doc_id="tw:1", at=T0 + timedelta(hours=1))  # newer
    record_label(store, "Unsure", "bob", doc_id="tw:2", at=T0)
    assert labelled_doc_ids(store) == {"tw:1", "tw:2"}  # both are done for the queue
    assert count_labels(store) == 1
    resolved = resolve_labels(all_labels(store))  # bob's newer skip does not undo ann's label
    assert [(lab.doc_id, lab.label) for lab in resolved.labels] == [("tw:1", "negative")]
    assert resolved.conflicts == 0
    assert current_labels(store, ["tw:1", "tw:2"]) == {"tw:1": "negative"}
    record_label(store, "positive", "bob", doc_id="tw:2", at=T0 + timedelta(hours=2))
    assert [lab.label for lab in all_labels(store) if lab.who == "bob"] == ["skip", "positive"]
    assert count_labels(store) == 2  # bob's label on tw:2 replaced his skip


def test_skip_is_only_for_stored_posts(voice_engine: SearchEngine) -> None:
    with pytest.raises(LabelError, match="unknown label 'skip'"):
        normalise_label("skip")
    with pytest.raises(LabelError, match="unknown label 'skip'"):
        record_label(voice_engine.store, "skip", "ann", text="a text with no post")
    report = import_labels(voice_engine.store, "post_id,label\ntw:1,skip\n", "ann")
    assert report.imported == 0 and "unknown label 'skip'" in report.problems[0][1]


def test_same_person_replaces_their_label(voice_engine: SearchEngine) -> None:
    store = voice_engine.store
    record_label(store, "negative", "ann", doc_id="tw:0", at=T0)
    record_label(store, "positive", "ann", doc_id="tw:0", at=T0 + timedelta(hours=1))
    labels = all_labels(store)
    assert [(lab.doc_id, lab.label, lab.who) for lab in labels] == [("tw:0", "positive", "ann")]


def test_newest_label_wins_between_people(voice_engine: SearchEngine) -> None:
    store = voice_engine.store
    record_label(store, "positive", "ann", doc_id="tw:1", at=T0 + timedelta(hours=2))
    record_label(store, "negative", "bob", doc_id="tw:1", at=T0)
    record_label(store, "neutral", "bob", doc_id="tw:2", at=T0)
    resolved = resolve_labels(all_labels(store))
    assert {lab.doc_id: lab.label for lab in resolved.labels} == {"tw:1": "positive",
                                                                   "tw:2": "neutral"}
    assert resolved.conflicts == 1
    assert len(all_labels(store)) == 3  # both people's labels are kept


def test_bad_single_labels(voice_engine: SearchEngine) -> None:
    store = voice_engine.store
    with pytest.raises(LabelError, match="no stored post"):
        record_label(store, "positive", "ann", doc_id="tw:nope")
    with pytest.raises(LabelError, match="not a customer post"):
        record_label(store, "positive", "ann", doc_id="wiki:wifi")
    with pytest.raises(LabelError, match="unknown label"):
        record_label(store, "great", "ann", doc_id="tw:1")
    with pytest.raises(LabelError, match="person"):
        record_label(store, "positive", "", doc_id="tw:1")
    assert all_labels(store) == []


def test_import_reports_bad_rows_and_imports_the_rest(voice_engine: SearchEngine) -> None:
    store = voice_engine.store
    csv_text = "\n".join([
        "post_id,text,label",
        "tw:0,,negative",                       # line 2: by id
        "3,,positive",                          # line 3: native id -> tw:3
        "tw:999,,positive",                     # line 4: unknown post
        "tw:5,,meh",                            # line 5: unknown label
        "tw:0,,negative",                       # line 6: duplicate of line 2
        "tw:0,,positive",                       # line 7: conflicts with line 2
        ",\"Lost my bag again, terrible service #5\",negative",  # line 8: tw:5 by text
        ",A text nobody posted but useful,positive",  # line 9: text-only
        "wiki:wifi,,neutral",                   # line 10: not a customer post
        ",,positive",                           # line 11: nothing to label
    ])
    report = import_labels(store, csv_text, "ann")
    problems = dict(report.problems)
    assert report.imported == 4
    assert report.by_text == 1 and report.text_only == 1
    assert "no stored post 'tw:999'" in problems[4]
    assert "unknown label" in problems[5]
    assert problems[6].startswith("duplicate of line 2")
    assert problems[7].startswith("conflicts with line 2")
    assert "not a customer post" in problems[10]
    assert "neither" in problems[11]
    stored = {(lab.doc_id, lab.text, lab.label) for lab in all_labels(store)}
    assert stored == {("tw:0", "", "negative"), ("tw:3", "", "positive"),
                      ("tw:5", "", "negative"),
                      (None, "A text nobody posted but useful", "positive")}


def test_import_needs_the_columns(voice_engine: SearchEngine) -> None:
    with pytest.raises(LabelError, match="label column"):
        import_labels(voice_engine.store, "post_id,mood\ntw:1,positive\n", "ann")
    with pytest.raises(LabelError, match="no header"):
        import_labels(voice_engine.store, "", "ann")


def test_import_refuses_an_unterminated_quote_that_would_swallow_rows(
        voice_engine: SearchEngine) -> None:
    csv_text = 'post_id,label\n"tw:0,negative\ntw:1,positive\ntw:2,neutral\n'
    with pytest.raises(LabelError, match=r"line 2: malformed CSV \(unexpected end of data\)"):
        import_labels(voice_engine.store, csv_text, "ann")
    with pytest.raises(LabelError, match="line 1: malformed CSV"):
        import_labels(voice_engine.store, '"post_id,label\ntw:0,negative\n', "ann")
    assert all_labels(voice_engine.store) == []


def test_import_reads_semicolon_and_tab_separated_csv(voice_engine: SearchEngine) -> None:
    store = voice_engine.store
    excel = ('\ufeffpost_id;text;label\r\ntw:0;;negative\r\n'  # European Excel: BOM, CRLF, ';'
             ';"Lost my bag again, terrible service #5";neg\r\n;A text, with commas;positive\r\n')
    report = import_labels(store, excel, "ann")
    assert (report.imported, report.by_text, report.problems) == (3, 1, [])
    report = import_labels(store, "id\tsentiment\n3\tpositive\n", "bob")
    assert (report.imported, report.problems) == (1, [])
    stored = {(lab.who, lab.doc_id, lab.text, lab.label) for lab in all_labels(store)}
    assert stored == {("ann", "tw:0", "", "negative"), ("ann", "tw:5", "", "negative"),
                      ("ann", None, "A text, with commas", "positive"),
                      ("bob", "tw:3", "", "positive")}


def test_import_says_how_it_read_a_header_without_the_columns(
        voice_engine: SearchEngine) -> None:
    with pytest.raises(LabelError, match=r"found post_id label, read as comma-separated"):
        import_labels(voice_engine.store, "post_id label\ntw:0 negative\n", "ann")
    with pytest.raises(LabelError, match=r"found post_id, label;x, y, read as pipe-separated"):
        import_labels(voice_engine.store, "post_id|label;x|y\ntw:0|negative;1|2\n", "ann")
    with pytest.raises(LabelError, match=r"line 2: malformed CSV \(unexpected end of data\)"):
        import_labels(voice_engine.store, 'post_id;label\n"tw:0;negative\ntw:1;positive\n', "ann")
    assert all_labels(voice_engine.store) == []


def test_a_native_id_of_several_posts_asks_for_the_full_id(voice_engine: SearchEngine) -> None:
    from dataclasses import replace

    from tests.voice.conftest import START, post

    voice_engine.upsert([replace(post(3, "Same native id, other source", START), id="fb:3",
                                 source="fb")])
    report = import_labels(voice_engine.store, "post_id,label\n3,positive\n", "ann")
    assert report.problems == [(2, "'3' is the native id of several posts (fb:3, tw:3): "
                                   "give the full id")]
    assert report.imported == 0
