"""Guards for the page's own form posts: same-site requests and local redirect targets."""

from __future__ import annotations

from urllib.parse import urlparse

from flask import request


def same_origin() -> bool:
    """Tell whether the request comes from a page of this site (Origin, else Referer)."""
    source = request.headers.get("Origin") or request.headers.get("Referer") or ""
    if not source or source == "null":
        return False
    parsed = urlparse(source)
    return parsed.scheme in ("http", "https") and parsed.netloc == request.host


def local_path(target: str, fallback: str) -> str:
    """Return ``target`` if it is a path on this site, else ``fallback``."""
    parsed = urlparse(target or "")
    if (parsed.scheme or parsed.netloc or not target.startswith("/") or target.startswith("//")
            or "\\" in target):
        return fallback
    return target
