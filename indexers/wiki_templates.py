"""The few MediaWiki templates whose output is running text, rendered to that text."""

from __future__ import annotations

from collections.abc import Callable

Render = Callable[[list[str], dict[str, str]], str]

_RANGE_WORDS = frozenset({"to", "-", "–", "and", "or", "by", "x", "×", "+/-", "±"})


def split_parameters(body: str) -> tuple[str, list[str], dict[str, str]]:
    """Split a template's inner text into its name, positional and named parameters.

    Pipes inside ``[[links|label]]`` belong to the link, not to the template.
    """
    parts: list[str] = []
    depth = 0
    start = 0
    for i, char in enumerate(body):
        if body.startswith("[[", i):
            depth += 1
        elif body.startswith("]]", i) and depth:
            depth -= 1
        elif char == "|" and not depth:
            parts.append(body[start:i])
            start = i + 1
    parts.append(body[start:])
    positional: list[str] = []
    named: dict[str, str] = {}
    for part in parts[1:]:
        key, sep, value = part.partition("=")
        if sep and "[[" not in key and key.strip().replace(" ", "").replace("-", "").isalnum():
            named[key.strip().lower()] = value.strip()
        else:
            positional.append(part.strip())
    return parts[0].strip(), positional, named


def _nth(n: int) -> Render:
    return lambda pos, named: pos[n] if len(pos) > n else ""


def _last(pos: list[str], named: dict[str, str]) -> str:
    return pos[-1] if pos else ""


def _convert(pos: list[str], named: dict[str, str]) -> str:
    """``{{convert|10|km|mi}}`` is "10 km"; a range keeps both ends: "2 to 5 km"."""
    if len(pos) >= 4 and pos[1].lower() in _RANGE_WORDS:
        return " ".join(pos[:4])
    return " ".join(pos[:2])


def _quote(pos: list[str], named: dict[str, str]) -> str:
    return named.get("text") or named.get("quote") or (pos[0] if pos else "")


def _as_of(pos: list[str], named: dict[str, str]) -> str:
    return "As of " + " ".join(pos[:3]) if pos else ""


def _fixed(text: str) -> Render:
    return lambda pos, named: text


_RENDERERS: dict[str, Render] = {
    "convert": _convert, "cvt": _convert,
    "lang": _nth(1), "transl": _last, "transliteration": _last,
    "nowrap": _nth(0), "nobr": _nth(0), "small": _nth(0), "smaller": _nth(0),
    "big": _nth(0), "larger": _nth(0), "sic": _nth(0), "abbr": _nth(0), "vanchor": _nth(0),
    "nts": _nth(0), "ntsh": _nth(0), "mvar": _nth(0), "math": _nth(0), "var": _nth(0),
    "flag": _nth(0), "flagcountry": _nth(0), "nihongo": _nth(0), "keypress": _nth(0),
    "quote": _quote, "blockquote": _quote, "as of": _as_of,
    "nbsp": _fixed(" "), "ndash": _fixed("–"), "mdash": _fixed("—"), "·": _fixed(" · "),
    "snd": _fixed(" – "), "spaced ndash": _fixed(" – "), "dot": _fixed(" · "),
}


def render_wiki_template(body: str) -> str:
    """Return the running text a template stands for, or "" for templates that are no text.

    *body* is what lies between ``{{`` and ``}}`` with no template left inside it.
    """
    name, positional, named = split_parameters(body)
    key = " ".join(name.replace("_", " ").split()).lower()
    if key.startswith("lang-"):
        return positional[0] if positional else ""
    renderer = _RENDERERS.get(key)
    return renderer(positional, named) if renderer else ""
