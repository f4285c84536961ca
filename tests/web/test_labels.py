"""Sentiment labels from the web: the correction control, the queue page, CSRF and access."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient

from search.config import Settings
from search.embedder import HashingEmbedder
from search.engine import SearchEngine
from search.models import Access
from search.sentiment_labels import all_labels
from tests.voice.conftest import START, corpus, post
from tests.web.conftest import SSO_HEADER, close_app, make_app

ORIGIN = {"Origin": "http://localhost"}


@pytest.fixture
def label_app(tmp_path: Path) -> Iterator[Flask]:
    """An app on the voice corpus plus one post only the 'vip' group may read."""
    engine = SearchEngine(Settings(data_dir=str(tmp_path / "d"), embedder="hashing"),
                          embedder=HashingEmbedder())
    secret = post(999, "Secret complaint about the lounge, awful", START,
                  access=Access(public=False, groups=frozenset({"vip"})))
    engine.upsert([*corpus(), secret])
    application = make_app(engine)
    yield application
    close_app(application)
    engine.close()


def as_user(client: FlaskClient, user: str = "ann") -> dict[str, str]:
    return {SSO_HEADER: user, **ORIGIN}


def test_label_is_recorded_with_who_and_redirects_back(label_app: Flask) -> None:
    client = label_app.test_client()
    response = client.post("/sentiment/label", headers=as_user(client),
                           data={"doc_id": "tw:3", "label": "negative",
                                 "next": "/?q=wifi&mode=voice"})
    assert response.status_code == 302
    assert response.headers["Location"] == "/?q=wifi&mode=voice&labelled=negative"
    engine = label_app.extensions["socialsearch"].engine
    [stored] = all_labels(engine.store)
    assert (stored.doc_id, stored.label, stored.who, stored.origin) == ("tw:3", "negative",
                                                                        "ann", "web")


@pytest.mark.parametrize(("headers", "data", "status"), [
    ({SSO_HEADER: "ann"}, {"doc_id": "tw:3", "label": "negative"}, 403),  # no Origin/Referer
    ({SSO_HEADER: "ann", "Origin": "https://evil.example"},
     {"doc_id": "tw:3", "label": "negative"}, 403),
    ({SSO_HEADER: "ann", "Referer": "https://evil.example/page"},
     {"doc_id": "tw:3", "label": "negative"}, 403),
    (ORIGIN, {"doc_id": "tw:3", "label": "negative"}, 401),  # anonymous (access off)
    ({SSO_HEADER: "ann", **ORIGIN}, {"doc_id": "tw:999", "label": "negative"}, 404),  # no access
    ({SSO_HEADER: "ann", **ORIGIN}, {"doc_id": "tw:nope", "label": "negative"}, 404),
    ({SSO_HEADER: "ann", **ORIGIN}, {"doc_id": "tw:3", "label": "meh"}, 400),
])
def test_bad_label_requests_record_nothing(label_app: Flask, headers: dict[str, str],
                                           data: dict[str, str], status: int) -> None:
    response = label_app.test_client().post("/sentiment/label", headers=headers, data=data)
    assert response.status_code == status
    assert "Traceback" not in response.get_data(as_text=True)
    assert all_labels(label_app.extensions["socialsearch"].engine.store) == []


def test_open_redirects_are_refused(label_app: Flask) -> None:
    response = label_app.test_client().post(
        "/sentiment/label", headers={SSO_HEADER: "ann", "Referer": "http://localhost/x"},
        data={"doc_id": "tw:3", "label": "positive", "next": "https://evil.example/"})
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/sentiment/queue?labelled=positive")


def test_queue_page_lists_unlabelled_readable_posts_with_buttons(label_app: Flask) -> None:
    client = label_app.test_client()
    client.post("/sentiment/label", headers=as_user(client),
                data={"doc_id": "tw:0", "label": "negative"})
    page = client.get("/sentiment/queue?labelled=negative", headers={SSO_HEADER: "ann"})
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "Thanks, recorded as negative" in html
    assert html.count('name="label" value="negative"') == 20
    assert 'value="tw:0"' not in html  # already labelled
    assert html.count('details<span class="visually-hidden"> of “') == 20  # links told apart
    assert "Secret complaint" not in html and 'value="tw:999"' not in html  # not readable


def test_cant_tell_takes_a_post_out_of_the_queue_without_a_label(label_app: Flask) -> None:
    client = label_app.test_client()
    html = client.get("/sentiment/queue", headers={SSO_HEADER: "ann"}).get_data(as_text=True)
    assert html.count('name="label" value="skip"') == 20
    first = html.split('name="doc_id" value="', 1)[1].split('"', 1)[0]
    back = client.post("/sentiment/label", headers=as_user(client),
                       data={"doc_id": first, "label": "skip", "next": "/sentiment/queue"})
    assert back.headers["Location"] == "/sentiment/queue?labelled=skip"
    html = client.get(back.headers["Location"], headers={SSO_HEADER: "ann"}).get_data(as_text=True)
    assert "Skipped: the queue will not ask about that post again." in html
    assert f'value="{first}"' not in html
    assert "0 labels so far" in html  # a skip is not a label
    voice = client.get("/?q=wifi&mode=voice", headers={SSO_HEADER: "ann"}).get_data(as_text=True)
    assert 'value="skip"' not in voice  # the voice page corrects; it has no queue to leave


def test_queue_page_confirms_only_a_real_label(label_app: Flask) -> None:
    client = label_app.test_client()
    for crafted in ("You+won+a+prize", "angry"):
        html = client.get(f"/sentiment/queue?labelled={crafted}",
                          headers={SSO_HEADER: "ann"}).get_data(as_text=True)
        assert "Thanks, recorded as" not in html  # as the voice page: labels only


def test_voice_dashboard_has_the_correction_control(label_app: Flask) -> None:
    client = label_app.test_client()
    html = client.get("/?q=wifi&mode=voice", headers={SSO_HEADER: "ann"}).get_data(as_text=True)
    assert 'action="/sentiment/label"' in html
    assert 'details<span class="visually-hidden"> of “' in html  # each post's link named apart
    # each control brings the reader back to its own post, not to the top of a long page
    assert 'name="next" value="/?q=wifi&amp;mode=voice#complaint-1"' in html
    assert 'id="complaint-1"' in html
    assert "/sentiment/queue" in html
    back = client.post("/sentiment/label", headers=as_user(client),
                       data={"doc_id": "tw:3", "label": "negative",
                             "next": "/?q=wifi&mode=voice#complaint-1"})
    assert back.headers["Location"] == "/?q=wifi&mode=voice&labelled=negative#complaint-1"


def test_a_correction_on_the_voice_page_is_confirmed_once(label_app: Flask) -> None:
    client = label_app.test_client()
    first = client.post("/sentiment/label", headers=as_user(client),
                        data={"doc_id": "tw:3", "label": "negative",
                              "next": "/?q=wifi&mode=voice"})
    back = first.headers["Location"]
    second = client.post("/sentiment/label", headers=as_user(client),
                         data={"doc_id": "tw:4", "label": "positive", "next": back})
    # the second label replaces the first notice instead of piling up behind it
    assert second.headers["Location"] == "/?q=wifi&mode=voice&labelled=positive"
    html = client.get(second.headers["Location"],
                      headers={SSO_HEADER: "ann"}).get_data(as_text=True)
    assert "Thanks, recorded as positive" in html
    hrefs = re.findall(r'href="([^"]*)"', html)
    assert hrefs and not [h for h in hrefs if "labelled" in h]  # tabs and links drop it


def test_a_correction_shows_on_the_voice_page(label_app: Flask) -> None:
    client = label_app.test_client()
    html = client.get("/?q=wifi&mode=voice", headers={SSO_HEADER: "ann"}).get_data(as_text=True)
    control = re.compile(r'name="doc_id" value="([^"]+)".*?</form>', re.S)
    current = re.compile(r'value="(\w+)" class="[^"]*\bcurrent\b')
    before = {m.group(1): current.findall(m.group(0)) for m in control.finditer(html)}
    doc_id, [model_says] = next((d, c) for d, c in before.items() if c)
    corrected = next(v for v in ("negative", "neutral", "positive") if v != model_says)
    client.post("/sentiment/label", headers=as_user(client),
                data={"doc_id": doc_id, "label": corrected, "next": "/?q=wifi&mode=voice"})
    html = client.get("/?q=wifi&mode=voice&labelled=" + corrected,
                      headers={SSO_HEADER: "ann"}).get_data(as_text=True)
    after = {m.group(1): current.findall(m.group(0)) for m in control.finditer(html)}
    assert after[doc_id] == [corrected]  # the label just given, not the model's guess
    pressed = re.findall(r'value="(\w+)" class="[^"]*" aria-pressed="true"', html)
    assert pressed.count(corrected) >= 1  # screen readers hear which one is marked, too


def test_queue_page_says_how_it_picks_and_how_many_labels_there_are(label_app: Flask) -> None:
    client = label_app.test_client()
    html = client.get("/sentiment/queue", headers={SSO_HEADER: "ann"}).get_data(as_text=True)
    assert "0 labels so far; training needs at least 30." in html
    assert "first asks about a typical post of each kind" in html  # cold start, not uncertainty
    client.post("/sentiment/label", headers=as_user(client),
                data={"doc_id": "tw:0", "label": "negative"})
    html = client.get("/sentiment/queue", headers={SSO_HEADER: "ann"}).get_data(as_text=True)
    assert "1 label so far;" in html
