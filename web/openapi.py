"""The OpenAPI 3.1 description of ``/api/v1`` (kept true by tests/web/test_openapi.py)."""

from __future__ import annotations

from typing import Any

from search.voice_export import COLUMNS
from web.voice_schemas import DIGEST_SCHEMA, VOICE_SCHEMA

API_VERSION = "1.0.0"


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def _nullable(kind: str) -> dict[str, Any]:
    return {"type": [kind, "null"]}


STR = {"type": "string"}
NUM = {"type": "number"}
INT = {"type": "integer"}
TIME = {"type": ["string", "null"], "format": "date-time"}
STRINGS = {"type": "array", "items": STR}

SCHEMAS: dict[str, Any] = {
    "Error": {
        "type": "object", "required": ["error"], "additionalProperties": False,
        "properties": {"error": {
            "type": "object", "required": ["code", "message"],
            "properties": {
                "code": {"type": "string", "enum": [
                    "bad_request", "unauthorized", "forbidden", "not_found",
                    "method_not_allowed", "payload_too_large", "unsupported_media_type",
                    "too_many_requests",
                    "internal_error", "unavailable"]},
                "message": STR,
                "details": {"type": "object"},
            },
        }},
    },
    "Health": {
        "type": "object", "required": ["status", "pending"],
        "properties": {"status": {"const": "ok"}, "pending": {"type": "boolean"}},
    },
    "Explain": {
        "type": "object",
        "required": ["keyword_score", "keyword_rank", "vector_score", "vector_rank", "fused_score"],
        "properties": {"keyword_score": _nullable("number"), "keyword_rank": _nullable("integer"),
                       "vector_score": _nullable("number"), "vector_rank": _nullable("integer"),
                       "fused_score": NUM},
    },
    "Hit": {
        "type": "object",
        "required": ["id", "title", "label", "snippet", "url", "source", "kind", "audience",
                     "created_at", "score"],
        "properties": {
            "id": STR, "title": STR, "url": STR, "source": STR, "kind": STR,
            "label": {"type": "string", "description": "Its name for display: the title, or "
                      "for an untitled post the start of its own text (the same for every "
                      "query)."},
            "snippet": {"type": "string", "description": "HTML-escaped text; matches are "
                        "wrapped in <mark class=\"hl …\">."},
            "audience": {"enum": ["internal", "customer"]}, "created_at": TIME, "score": NUM,
            "explain": _ref("Explain"),
        },
    },
    "SearchResponse": {
        "type": "object",
        "required": ["query", "total", "offset", "hits", "facets", "suggestion", "meaning_only",
                     "next_cursor", "timings_ms"],
        "properties": {
            "query": STR, "total": INT, "offset": INT,
            "hits": {"type": "array", "items": _ref("Hit")},
            "facets": {"type": "object", "additionalProperties": {
                "type": "object", "additionalProperties": INT}},
            "suggestion": _nullable("string"),
            "meaning_only": {"type": "boolean", "description":
                             "There are hits, but none contains the query's words: all were "
                             "found by meaning (the vector leg) alone."},
            "next_cursor": _nullable("string"),
            "timings_ms": {"type": "object", "additionalProperties": NUM},
        },
    },
    "Person": {
        "type": "object", "required": ["id", "name", "title", "department", "skills"],
        "properties": {"id": STR, "name": STR, "title": STR, "department": STR,
                       "manager_id": _nullable("string"), "skills": STRINGS, "emails": STRINGS},
    },
    "Evidence": {
        "type": "object", "required": ["doc_id", "title", "snippet", "url", "role", "at",
                                       "relevance"],
        "properties": {"doc_id": STR, "title": STR, "snippet": STR, "url": STR, "role": STR,
                       "at": TIME, "relevance": NUM},
    },
    "Expert": {
        "type": "object", "required": ["person", "score", "evidence"],
        "properties": {"person": _ref("Person"), "score": NUM, "documents": INT,
                       "matched_skills": STRINGS, "tags": STRINGS,
                       "evidence": {"type": "array", "items": _ref("Evidence")}},
    },
    "ExpertsResponse": {
        "type": "object", "required": ["topic", "experts", "directory_match"],
        "properties": {
            "topic": STR, "experts": {"type": "array", "items": _ref("Expert")},
            "directory_match": {
                "description": "Set when the topic is a directory person's name, first name, "
                               "first + last name or id: a message saying so and the people "
                               "(several for a shared first name) with their profile pages; "
                               "null otherwise. The experts on the word are listed all the same.",
                "oneOf": [{"type": "null"}, {
                    "type": "object", "required": ["message", "people"],
                    "properties": {"message": STR, "people": {"type": "array", "items": {
                        "allOf": [_ref("Person"), {"type": "object",
                                                   "required": ["profile_url"],
                                                   "properties": {"profile_url": STR}}]}}}}]},
        },
    },
    "PersonMatch": {
        "type": "object", "required": ["person", "score", "matched"],
        "properties": {"person": _ref("Person"), "score": NUM, "matched": STRINGS},
    },
    "PeopleResponse": {
        "type": "object", "required": ["query", "people"],
        "properties": {"query": STR, "people": {"type": "array", "items": _ref("PersonMatch")}},
    },
    "Profile": {
        "type": "object",
        "required": ["person", "in_directory", "topics", "contributions", "contribution_count",
                     "colleagues"],
        "properties": {
            "person": _ref("Person"), "in_directory": {"type": "boolean"},
            "topics": {"type": "array", "items": {
                "type": "object", "required": ["term", "weight", "kind"],
                "properties": {"term": STR, "weight": NUM, "kind": STR}}},
            "contributions": {"type": "array", "items": {
                "type": "object", "required": ["doc_id", "title", "role"],
                "properties": {"doc_id": STR, "title": STR, "url": STR, "source": STR,
                               "kind": STR, "role": STR, "at": TIME}}},
            "contribution_count": INT,
            "colleagues": {"type": "array", "items": {
                "type": "object", "required": ["person", "relation"],
                "properties": {"person": _ref("Person"),
                               "relation": {"enum": ["manager", "report", "collaborator"]},
                               "shared_documents": INT}}},
        },
    },
    "VoiceReport": VOICE_SCHEMA,
    "Digest": DIGEST_SCHEMA,
    "AuditEntry": {
        "type": "object",
        "required": ["id", "at", "user_id", "surface", "action", "query", "results", "status"],
        "properties": {"id": INT, "at": TIME, "user_id": _nullable("string"),
                       "surface": {"enum": ["ui", "api", "slack"]}, "action": STR, "query": STR,
                       "params": {"type": "object"}, "results": INT, "status": INT},
    },
    "AuditResponse": {
        "type": "object", "required": ["entries", "next_cursor"],
        "properties": {"entries": {"type": "array", "items": _ref("AuditEntry")},
                       "next_cursor": _nullable("string")},
    },
}


def _param(name: str, description: str, schema: dict[str, Any] | None = None,
           required: bool = False, where: str = "query") -> dict[str, Any]:
    return {"name": name, "in": where, "required": required, "description": description,
            "schema": schema or STR}


Q = _param("q", "What to look for.", {"type": "string", "minLength": 1, "maxLength": 500}, True)
LIMIT = _param("limit", "Results per page (1–100).",
               {"type": "integer", "minimum": 1, "maximum": 100, "default": 10})
CURSOR = _param("cursor", "Opaque cursor from a previous response's next_cursor.")
FILTERS = [
    _param("source", "Only these sources (repeatable).", STRINGS),
    _param("kind", "Only these kinds: wiki, thread, qa, post … (repeatable).", STRINGS),
    _param("author", "Only documents this person id contributed to (repeatable).", STRINGS),
    _param("audience", "internal or customer.", {"enum": ["internal", "customer"]}),
    _param("since", "Created on/after this ISO-8601 time.", {"type": "string",
                                                             "format": "date-time"}),
    _param("until", "Created on/before this ISO-8601 time.", {"type": "string",
                                                              "format": "date-time"}),
]


def _error(description: str) -> dict[str, Any]:
    return {"description": description,
            "content": {"application/json": {"schema": _ref("Error")}}}


ERRORS = {
    "400": _error("Bad request: a parameter is missing or malformed."),
    "401": _error("No identity: send a bearer token (or enable anonymous access)."),
    "405": _error("Method not allowed."),
    "500": _error("Internal error."),
}


def _get(summary: str, schema: str, params: list[dict[str, Any]], public: bool = False,
         extra: dict[str, Any] | None = None) -> dict[str, Any]:
    responses: dict[str, Any] = {"200": {"description": "OK", "content": {
        "application/json": {"schema": _ref(schema)}}}}
    responses |= {k: v for k, v in ERRORS.items() if not (public and k == "401")}
    responses |= extra or {}
    op: dict[str, Any] = {"summary": summary, "parameters": params, "responses": responses}
    if public:
        op["security"] = []
    return {"get": op}


VOICE_PARAMS = [
    _param("q", "Topic; leave it out (or use *) for every customer post you may read.",
           {"type": "string", "maxLength": 500}),
    _param("since", "Start of the period (ISO-8601).", {"type": "string", "format": "date-time"}),
    _param("until", "End of the period (ISO-8601).", {"type": "string", "format": "date-time"}),
]


def _csv_get(summary: str, params: list[dict[str, Any]]) -> dict[str, Any]:
    op = _get(summary, "Error", params, extra={"503": _error("Voice of the customer is not "
                                                              "available.")})
    op["get"]["responses"]["200"] = {"description": "A CSV attachment (UTF-8).",
                                     "content": {"text/csv": {"schema": {"type": "string"}}}}
    return op


def openapi_document() -> dict[str, Any]:
    """Return the OpenAPI 3.1 document for every route under ``/api/v1``."""
    return {
        "openapi": "3.1.0",
        "info": {"title": "socialsearch API", "version": API_VERSION,
                 "description": "Search documents, find experts and people, and hear what "
                                "customers say. Every answer is limited to what the caller "
                                "may read. Errors share one shape: {\"error\": {\"code\", "
                                "\"message\"}}."},
        "servers": [{"url": "/api/v1"}],
        "security": [{"bearerAuth": []}],
        "paths": {
            "/health": _get("Service health", "Health", [], public=True),
            "/openapi.json": {"get": {
                "summary": "This document", "security": [],
                "responses": {"200": {"description": "The OpenAPI document",
                                      "content": {"application/json": {
                                          "schema": {"type": "object"}}}}}}},
            "/search": _get("Hybrid document search", "SearchResponse", [
                Q, LIMIT, CURSOR, *FILTERS,
                _param("fusion", "Fusion method.", {"enum": ["rrf", "linear", "keyword",
                                                             "vector"]}),
                _param("explain", "Add per-leg scores and ranks.", {"type": "boolean"}),
            ]),
            "/experts": _get("Who knows about a topic", "ExpertsResponse", [
                Q, _param("limit", "How many experts (1–50).",
                          {"type": "integer", "minimum": 1, "maximum": 50})]),
            "/people": _get("Find people", "PeopleResponse", [Q, LIMIT]),
            "/people/{person_id}": _get(
                "A person's profile", "Profile",
                [_param("person_id", "Person id, e-mail or source:handle alias.", STR, True,
                        "path")],
                extra={"404": _error("No such person (details.suggestions lists close "
                                     "matches).")}),
            "/voice": _get("What customers say about a topic, or in all their posts",
                           "VoiceReport", [
                *VOICE_PARAMS,
                _param("bucket", "Time-series bucket.", {"enum": ["day", "week"]})],
                extra={"503": _error("Voice of the customer is not available.")}),
            "/voice/posts.csv": _csv_get(
                "Every customer post behind a voice report, newest first, as CSV "
                "(columns: " + ", ".join(COLUMNS) + "; cells a spreadsheet would run as a "
                "formula start with an apostrophe)", VOICE_PARAMS),
            "/digest": _get("Weekly voice-of-the-customer digest", "Digest", [
                _param("week", "ISO week such as 2026-W45 (default: the last full week).",
                       {"type": "string", "pattern": "^[0-9]{4}-W[0-9]{2}$"})],
                extra={"503": _error("Voice of the customer is not available.")}),
            "/audit": _get("Query audit log (administrators)", "AuditResponse", [
                _param("user", "Only this user's queries."),
                _param("since", "Only entries at/after this time.",
                       {"type": "string", "format": "date-time"}),
                _param("limit", "Entries per page (1–1000).",
                       {"type": "integer", "minimum": 1, "maximum": 1000}),
                CURSOR], extra={"403": _error("The caller is not an administrator.")}),
        },
        "components": {
            "securitySchemes": {"bearerAuth": {
                "type": "http", "scheme": "bearer",
                "description": "Create with `socialsearch tokens create --user <person id>`."}},
            "schemas": SCHEMAS,
        },
    }
