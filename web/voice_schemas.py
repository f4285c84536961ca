"""JSON schemas of the voice report and the weekly digest, as their ``to_dict`` returns them."""

from __future__ import annotations

from typing import Any

_STR = {"type": "string"}
_NUM = {"type": "number"}
_INT = {"type": "integer"}
_TIME = {"type": ["string", "null"]}

MIX: dict[str, Any] = {
    "type": "object",
    "required": ["negative", "neutral", "positive", "mean_score", "negative_share"],
    "properties": {"negative": _INT, "neutral": _INT, "positive": _INT, "unknown": _INT,
                   "mean_score": _NUM, "negative_share": _NUM},
}

POST: dict[str, Any] = {
    "type": "object", "required": ["id", "text", "url", "created_at", "channel", "product",
                                   "area", "sentiment"],
    "properties": {
        "id": _STR, "text": _STR, "url": _STR, "created_at": _TIME,
        "author": {"type": ["string", "null"]}, "author_name": {"type": ["string", "null"]},
        "followers": _INT, "likes": _INT, "reposts": _INT,
        "rating": {"type": ["number", "null"]},
        "channel": {"type": ["string", "null"], "description": "Where it was posted (as "
                    "the posts.csv column)."},
        "product": {"type": ["string", "null"]}, "area": {"type": ["string", "null"]},
        "sentiment": {"oneOf": [{"type": "null"}, {
            "type": "object", "required": ["label", "score"],
            "properties": {"label": {"enum": ["negative", "neutral", "positive"]},
                           "score": _NUM, "confidence": _NUM}}]},
    },
}

RATINGS: dict[str, Any] = {"oneOf": [{"type": "null"}, {
    "type": "object", "required": ["count", "mean", "scale"],
    "description": "The posts' star ratings (reviews); null when no post carries one.",
    "properties": {"count": _INT, "mean": _NUM,
                   "scale": {"type": "number", "description": "The top of the scale: 5, 10 "
                             "or 100, the smallest that holds every rating."}}}]}

INTERNAL_DOC: dict[str, Any] = {
    "type": "object", "required": ["id", "title", "label", "snippet", "url", "source", "kind",
                                   "audience", "created_at", "score"],
    "properties": {"id": _STR, "title": _STR, "snippet": _STR, "url": _STR,
                   "label": {"type": "string", "description": "Its name for display (the "
                             "title, or the start of an untitled document's text)."},
                   "source": _STR, "kind": _STR, "audience": {"enum": ["internal", "customer"]},
                   "created_at": _TIME, "score": _NUM,
                   "matched": {"type": "string", "description": "The query that found it: the "
                               "topic or a theme's words (the report's own list only)."}},
}

VOICE_SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["topic", "since", "until", "bucket", "total", "sentiment", "timeline",
                 "spikes", "themes", "most_negative", "most_positive", "influencers",
                 "internal_documents", "experts", "notes"],
    "properties": {
        "topic": _STR, "since": _TIME, "until": _TIME, "bucket": {"enum": ["day", "week"]},
        "total": _INT, "sentiment": MIX, "ratings": RATINGS,
        "counts": {"type": "object", "additionalProperties": _INT},
        "timeline": {"type": "array", "items": {
            "allOf": [MIX, {"type": "object", "required": ["start", "label", "count"],
                            "properties": {"start": _STR, "label": _STR, "count": _INT}}]}},
        "spikes": {"type": "array", "items": {
            "type": "object", "required": ["index", "metric", "value", "baseline", "spread",
                                           "z", "count"],
            "properties": {"index": {"type": "integer", "description": "The position of its "
                                     "bucket in 'timeline'."},
                           "metric": {"enum": ["volume", "negative_share"]}, "value": _NUM,
                           "baseline": _NUM, "spread": {"type": "number", "description":
                                                        "The unit of z: (value - baseline) / "
                                                        "spread."},
                           "z": _NUM, "count": _INT, "bucket": _STR,
                           "phrases": {"type": "array", "items": _STR},
                           "post_ids": {"type": "array", "items": _STR}}}},
        "themes": {"type": "array", "items": {
            "type": "object", "required": ["id", "label", "phrases", "size", "share",
                                           "sentiment", "examples"],
            "properties": {"id": _INT, "label": _STR,
                           "phrases": {"type": "array", "items": _STR}, "size": _INT,
                           "share": _NUM, "sentiment": MIX,
                           "rating": {"type": ["number", "null"],
                                      "description": "Mean rating of its rated posts."},
                           "examples": {"type": "array", "items": POST},
                           "internal_documents": {"type": "array", "items": INTERNAL_DOC}}}},
        "most_negative": {"type": "array", "items": POST},
        "most_positive": {"type": "array", "items": POST},
        "influencers": {"type": "array", "items": {
            "type": "object", "required": ["person_id", "name", "followers", "posts",
                                           "sentiment", "influence"],
            "properties": {"person_id": _STR, "name": _STR, "followers": _INT,
                           "engagement": _INT, "posts": _INT, "sentiment": MIX,
                           "influence": _NUM, "example": POST}}},
        "internal_documents": {"type": "array", "items": INTERNAL_DOC},
        "experts": {"type": "array", "items": {"$ref": "#/components/schemas/Expert"}},
        "notes": {"type": "array", "items": _STR},
        "previous": {"oneOf": [{"type": "null"}, {
            "type": "object", "required": ["since", "until", "days", "total", "sentiment"],
            "description": "The period of the same length just before (only with 'since').",
            "properties": {"since": _STR, "until": _STR, "days": _NUM, "total": _INT,
                           "sentiment": MIX, "ratings": RATINGS}}]},
        "timings_ms": {"type": "object", "additionalProperties": _NUM},
    },
}

DIGEST_SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["week", "since", "until", "total", "sentiment", "previous_weekly_average",
                 "touch_points", "notes", "markdown", "previous_week", "next_week"],
    "properties": {
        "week": {"type": "string", "pattern": "^[0-9]{4}-W[0-9]{2}$"},
        "since": _STR, "until": _STR, "total": _INT, "sentiment": MIX,
        "previous_weekly_average": _NUM,
        "touch_points": {"type": "array", "items": {
            "type": "object",
            "required": ["kind", "title", "phrases", "posts", "sentiment", "reach", "impact",
                         "change", "examples", "internal_documents", "experts"],
            "properties": {
                "kind": {"enum": ["issue", "win", "trend"]}, "title": _STR,
                "phrases": {"type": "array", "items": _STR}, "posts": _INT, "sentiment": MIX,
                "rating": {"type": ["number", "null"],
                           "description": "Mean rating of its rated posts."},
                "reach": _INT, "engagement": _INT, "impact": _NUM,
                "change": {"type": ["number", "null"]},
                "examples": {"type": "array", "items": POST},
                "internal_documents": {"type": "array", "items": INTERNAL_DOC},
                "experts": {"type": "array", "description": "People to ask (routed touch "
                            "points with internal documents only).",
                            "items": {"$ref": "#/components/schemas/Expert"}}}}},
        "notes": {"type": "array", "items": _STR},
        "markdown": {"type": "string", "description": "The digest rendered as Markdown."},
        "previous_week": _STR, "next_week": _STR,
    },
}
