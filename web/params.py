"""Validation of query-string parameters shared by the API and the page."""

from __future__ import annotations

from datetime import datetime

from werkzeug.datastructures import MultiDict

from search.models import parse_time, parse_until
from web.errors import ApiError

TRUE = ("1", "true", "yes", "on")
FALSE = ("0", "false", "no", "off", "")


def int_param(args: MultiDict[str, str], name: str, default: int, low: int, high: int) -> int:
    """Return an integer parameter within ``[low, high]`` or raise a 400 ``ApiError``."""
    raw = args.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        value = int(raw)
    except ValueError as exc:
        raise ApiError(400, f"{name} must be a whole number between {low} and {high}") from exc
    if not low <= value <= high:
        raise ApiError(400, f"{name} must be between {low} and {high}, got {value}")
    return value


def bool_param(args: MultiDict[str, str], name: str) -> bool:
    """Return a boolean parameter (1/true/yes/on) or raise a 400 ``ApiError``."""
    raw = (args.get(name) or "").strip().lower()
    if raw in TRUE:
        return True
    if raw in FALSE:
        return False
    raise ApiError(400, f"{name} must be true or false, got {raw!r}")


def text_param(args: MultiDict[str, str], name: str, required: bool = True,
               max_chars: int = 500) -> str:
    """Return a trimmed text parameter, or raise a 400 ``ApiError`` if missing or too long."""
    value = (args.get(name) or "").strip()
    if required and not value:
        raise ApiError(400, f"the '{name}' parameter is required, e.g. ?{name}=kafka")
    if len(value) > max_chars:
        raise ApiError(400, f"'{name}' is too long ({len(value)} characters, at most {max_chars})")
    return value


def choice_param(args: MultiDict[str, str], name: str, choices: tuple[str, ...],
                 default: str | None = None) -> str | None:
    """Return one of ``choices`` (or ``default`` when absent); raise 400 otherwise."""
    value = (args.get(name) or "").strip()
    if not value:
        return default
    if value not in choices:
        raise ApiError(400, f"{name} must be one of {', '.join(choices)}, got {value!r}")
    return value


def period_params(args: MultiDict[str, str]) -> tuple[datetime | None, datetime | None]:
    """Return the ``since`` and ``until`` parameters as times, or raise a 400 ``ApiError``."""
    try:
        return parse_time(args.get("since")), parse_until(args.get("until"))
    except ValueError as exc:
        raise ApiError(400, f"bad date: {exc}") from exc
