"""MediaWiki wikitext to clean text: markup removed, templates rendered to text or dropped."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

from indexers.export import tidy
from indexers.wiki_templates import render_wiki_template

_COMMENT = re.compile(r"<!--.*?(?:-->|$)", re.S)
_REF = re.compile(r"<ref\b[^>]*/>|<ref\b[^>]*>.*?</ref\s*>", re.S | re.I)
_DROP_BLOCKS = re.compile(
    r"<(gallery|math|timeline|imagemap|score|graph|templatedata|mapframe|references)\b[^>]*>"
    r".*?</\1\s*>", re.S | re.I)
_TEMPLATE = re.compile(r"\{\{(?:[^{}]|\{(?!\{)|\}(?!\}))*?\}\}", re.S)
# innermost links; single brackets inside a caption ("[above]", "Bicyclo[1.1.0]") are text
_LINK = re.compile(r"\[\[((?:[^\[\]]|\[(?!\[)|\](?!\]))*)\]\]")
_EXTERNAL = re.compile(r"\[(?:https?:|ftp:|mailto:|//)[^\s\]]*(?:\s+([^\]]*))?\]")
_QUOTES = re.compile(r"'{2,5}")
_HEADING = re.compile(r"^(={1,6})\s*(.*?)\s*\1\s*$", re.M)
_BR = re.compile(r"<br\s*/?>", re.I)
_TAG = re.compile(r"</?[a-zA-Z][a-zA-Z0-9]*(?:\s[^<>]*)?/?>")
_MAGIC = re.compile(r"__[A-Z]+__")
_LIST = re.compile(r"^[*#:;]+\s*", re.M)
_REDIRECT = re.compile(r"^\s*#\s*redirect\s*:?\s*\[\[([^\]|#]*)", re.I)
# a cell's attributes; a stray "!" between them (a header cell opened twice) is no text
_ATTRS = re.compile(r"""^\s*(?:[\w-]+\s*=\s*(?:"[^"]*"|'[^']*'|[^\s|!"']+)[\s!]*)+$""")
_FILE_OPTION = re.compile(
    r"^\s*(?:thumb|thumbnail|frame|framed|frameless|border|left|right|center|centre|none|"
    r"baseline|sub|super|top|text-top|middle|bottom|text-bottom|upright(?:\s*=?\s*[\d.]+)?|"
    r"\d*x?\d+\s*px|(?:alt|link|page|class|lang|upright)\s*=.*)\s*$", re.I)
_MEDIA_NS = ("file:", "image:", "media:")
_HEADING_MARK = "\ue000"  # marks heading lines until the text is tidied
_INTERWIKI = re.compile(r"^:?[a-z]{2,3}(?:-[a-z]+)?:", re.I)
# What dropped templates (pronunciations, footnote marks) leave inside parentheses.
_EMPTY_PARENS = re.compile(r"[ \t]+\((?:\s*[,;])*\s*\)")
_LEADING_SEPARATORS = re.compile(r"\((?:\s*[,;])+\s*")


@dataclass(frozen=True)
class Wikitext:
    """Clean text of a page plus what its markup declared: categories and a redirect target."""

    text: str
    categories: tuple[str, ...] = ()
    redirect: str | None = None
    headings: tuple[str, ...] = ()  # section headings, each a line of ``text`` of its own


def redirect_target(source: str) -> str | None:
    """Return the target of a ``#REDIRECT [[Target]]`` page, or ``None``."""
    match = _REDIRECT.match(source or "")
    return match.group(1).strip() if match else None


def _strip_templates(text: str) -> str:
    for _ in range(40):
        new = _TEMPLATE.sub(lambda m: render_wiki_template(m.group(0)[2:-2]), text)
        if new == text:
            break
        text = new
    return text.replace("{{", "").replace("}}", "")


def _link(match: re.Match[str], categories: list[str]) -> str:
    target, *rest = match.group(1).split("|")
    low = target.strip().lower()
    if low.startswith("category:"):
        categories.append(target.split(":", 1)[1].strip())
        return ""
    if low.startswith(_MEDIA_NS):
        captions = [r for r in rest if r.strip() and not _FILE_OPTION.match(r)]
        return captions[-1] if captions else ""
    if _INTERWIKI.match(target) and not rest:
        return ""
    label = rest[-1] if rest and rest[-1].strip() else target.split("#")[0] or target
    return label.lstrip(":")


def _strip_links(text: str, categories: list[str]) -> str:
    for _ in range(10):
        new = _LINK.sub(lambda m: _link(m, categories), text)
        if new == text:
            break
        text = new
    return text


def _cell(cell: str) -> str:
    head, sep, tail = cell.partition("|")
    if sep and _ATTRS.match(head):
        return tail.strip()
    return "" if _ATTRS.match(cell) else cell.strip()


def _tables(text: str) -> str:
    out: list[str] = []
    depth = 0
    row: list[str] = []
    for line in text.split("\n"):
        stripped = line.strip()
        if stripped.startswith("{|"):
            depth += 1
            continue
        if depth and stripped.startswith("|}"):
            depth -= 1
            out.append(" ".join(row))
            row = []
            continue
        if not depth:
            out.append(line)
            continue
        if stripped.startswith("|-"):
            out.append(" ".join(row))
            row = []
        elif stripped.startswith("|+"):
            out.append(_cell(stripped[2:]))
        elif stripped[:1] in ("|", "!"):
            cells = re.split(r"\|\||!!", stripped[1:])
            # "|a|||b|" after a template was dropped from a cell: the stray pipe opens the next;
            # a header row continued on a new line starts "!!"
            row += [c for c in (_cell(c.lstrip("|!")) for c in cells) if c]
        elif _LIST.match(stripped):  # a list in a cell: each item a line, its marker stripped
            if row:
                out.append(" ".join(row))
                row = []
            out.append(stripped)
        elif stripped:
            row.append(stripped)
    out.append(" ".join(row))
    return "\n".join(out)


def clean_wikitext(source: str) -> Wikitext:
    """Return the readable text of a wikitext page, its categories and redirect target."""
    redirect = redirect_target(source)
    categories: list[str] = []
    text = _COMMENT.sub("", source or "")
    text = _REF.sub("", text)
    text = _DROP_BLOCKS.sub("", text)
    text = _strip_templates(text)
    text = _strip_links(text, categories)
    text = _EXTERNAL.sub(lambda m: m.group(1) or "", text)
    text = _tables(text)
    text = _HEADING.sub(lambda m: "\n" + _HEADING_MARK + m.group(2) + "\n", text)
    text = _QUOTES.sub("", text)
    text = _BR.sub("\n", text)
    text = _TAG.sub("", text)
    text = _MAGIC.sub("", text)
    text = _LIST.sub("", text)
    text = _LEADING_SEPARATORS.sub("(", _EMPTY_PARENS.sub("", text))
    if redirect:
        text = ""
    lines = tidy(html.unescape(text)).split("\n")
    headings = [line.strip(_HEADING_MARK + " ") for line in lines if line.startswith(_HEADING_MARK)]
    text = tidy("\n".join(line.lstrip(_HEADING_MARK) for line in lines))
    return Wikitext(text, tuple(dict.fromkeys(categories)), redirect,
                    tuple(dict.fromkeys(h for h in headings if h)))
