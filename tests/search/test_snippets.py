"""Snippets: stemmed matches marked, everything else escaped, the densest window kept."""

from __future__ import annotations

import re

from search.keyword import analyse_terms, highlight_snippet
from search.snippets import best_window, find_terms, hit_label, origin, own_title, short_links
from web.sanitize import clean_snippet


def test_stemmed_variants_are_marked_with_one_class_per_term() -> None:
    text = "Refunds: support can refund up to $500. Anything larger needs a refunding form."
    out = highlight_snippet(text, analyse_terms("refund"))
    assert out.count('<mark class="hl t0">') == 3
    assert '<mark class="hl t0">Refunds</mark>' in out
    assert '<mark class="hl t0">refunding</mark>' in out


def test_terms_are_numbered_by_first_appearance() -> None:
    out = highlight_snippet("The consumer lag grows when the consumer stalls.",
                            analyse_terms("lag consumer"))
    assert out == ('The <mark class="hl t0">consumer</mark> <mark class="hl t1">lag</mark> '
                   'grows when the <mark class="hl t0">consumer</mark> stalls.')


def test_html_in_text_is_escaped_and_survives_sanitising() -> None:
    text = 'Never paste <script>alert("x")</script> & kafka <b>secrets</b> here'
    out = highlight_snippet(text, analyse_terms("kafka secrets"))
    assert "<script>" not in out and "&lt;script&gt;" in out and "&amp;" in out
    assert '<mark class="hl t0">kafka</mark>' in out
    assert "&lt;b&gt;<mark" in out  # the tag around a match is escaped, the match marked
    assert clean_snippet(out) == out


def test_densest_window_is_chosen_with_ellipses() -> None:
    filler = "lorem ipsum dolor " * 40
    text = f"billing once. {filler} billing invoices vat together. {filler} the end"
    out = highlight_snippet(text, analyse_terms("billing invoice vat"), chars=120)
    assert out.startswith("… ") and out.endswith(" …")
    assert len(re.sub(r"<[^>]+>", "", out)) <= 130
    assert {"billing", "invoices", "vat"} <= set(re.findall(r'">(\w+)</mark>', out))


def test_no_match_gives_an_escaped_prefix() -> None:
    text = "a < b " + "word " * 100
    out = highlight_snippet(text, analyse_terms("kafka"), chars=40)
    assert out.startswith("a &lt; b ") and out.endswith(" …") and "<mark" not in out
    assert highlight_snippet("", ["kafka"]) == ""
    assert highlight_snippet("short text", []) == "short text"


def test_stop_words_and_prefix_lookalikes_are_not_marked() -> None:
    assert find_terms("The kafka kafkaesque kafkas", ["kafka"]) == [
        (4, 9, "kafka"), (21, 27, "kafka")]
    assert find_terms("the and of", ["the"]) == []


def test_best_window_prefers_distinct_terms() -> None:
    found = [(0, 3, "a"), (5, 8, "a"), (10, 13, "a"), (100, 103, "a"), (105, 108, "b")]
    assert best_window(found, 20) == (100, 108)


def test_labels_shorten_web_addresses_to_their_host() -> None:
    assert hit_label("10x Engineer - https://medium.com/@cramforce/ive-lately-been-t…", "",
                     "t:1") == "10x Engineer - medium.com/@cramforce/…"
    assert hit_label("#datajam: https://github.com/houstondatavis/data-jam-2015", "",
                     "slack:1") == "#datajam: github.com/houstondatavis/…"
    assert hit_label("", "see http://www.example.com/ now", "c:1") == "see example.com now"
    assert hit_label("", "http://t.co/FuCHZRZjg5", "c:2") == "t.co/FuCHZRZjg5"
    assert short_links("no links here") == "no links here"


def test_a_title_that_only_repeats_the_text_is_left_out() -> None:
    text = "I am spoiled by one downstairs...so got this one for upstairs to listen to music."
    assert own_title("I am spoiled by one downstairs...so got this one for upstairs…", text) == ""
    assert own_title("Loved it!", "Loved it!") == ""
    assert own_title("Billing runbook", "This runbook covers ledger.") == "Billing runbook"
    assert own_title("", "text") == ""


def test_the_origin_names_a_source_once_when_it_is_also_the_kind() -> None:
    assert origin("wiki", "wiki") == ["wiki"]
    assert origin("eng-slack", "thread") == ["eng-slack", "thread"]
