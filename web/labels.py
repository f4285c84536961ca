"""Sentiment labels from the web page: correct a post's sentiment, and the labelling queue.

Writes are POSTed forms, accepted only from an identified user and only from this site (the
``Origin`` or, failing that, the ``Referer`` header must name this host: a cross-site form
cannot forge them), so a label is never recorded on someone's behalf by another site.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from flask import Blueprint, abort, redirect, render_template, request, url_for

from search.labelling_queue import COLD_START, labelling_queue, readable_customer_post
from search.sentiment import LABELS
from search.sentiment_labels import SKIP, LabelError, count_labels, record_label
from search.sentiment_trainer import MIN_TRAIN_LABELS
from web.origin import local_path, same_origin
from web.state import get_state
from web.ui import authenticate, current_identity

bp = Blueprint("labels", __name__, template_folder="templates")
bp.before_request(authenticate)
QUEUE_SIZE = 20


@bp.post("/sentiment/label")
def label() -> Any:
    """Record the asker's sentiment label for a customer post, then go back where they were."""
    if not same_origin():
        abort(403, description="labels can only be sent from this site's own pages")
    identity = current_identity()
    if identity.user_id is None:
        abort(401, description="sign in to label posts")
    doc_id = request.form.get("doc_id", "")
    value = request.form.get("label", "")
    if not doc_id or not readable_customer_post(get_state().engine, doc_id, identity.principal):
        abort(404, description="no such customer post")
    try:
        row = record_label(get_state().engine.store, value, identity.user_id, doc_id=doc_id,
                           origin="web")
    except LabelError as exc:
        abort(400, description=str(exc))
    back = local_path(request.form.get("next", ""), url_for("labels.queue"))
    return redirect(_with_notice(back, row.label))


def _with_notice(target: str, label: str) -> str:
    """Return ``target`` with ``labelled=<label>`` replacing any earlier notice parameter."""
    parts = urlsplit(target)
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True)
             if k != "labelled"]
    return urlunsplit(parts._replace(query=urlencode([*query, ("labelled", label)])))


@bp.get("/sentiment/queue")
def queue() -> Any:
    """The labelling queue: the unlabelled posts whose labels would teach the model most."""
    identity = current_identity()
    items = labelling_queue(get_state().engine, identity.principal, QUEUE_SIZE)
    can_label = identity.user_id is not None
    notice = request.args.get("labelled", "")  # a label, never text a crafted link makes up
    return render_template("sentiment_queue.html", items=items, labels=LABELS,
                           labelled=notice if can_label and notice in (*LABELS, SKIP) else "",
                           can_label=can_label, label_count=count_labels(get_state().engine.store),
                           cold_start=COLD_START, min_train=MIN_TRAIN_LABELS)
