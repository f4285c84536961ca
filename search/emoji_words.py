"""Emoji as words for the sentence encoder, whose vocabulary has no emoji (each one reads [UNK])."""

from __future__ import annotations

from collections.abc import Sequence

import emoji


def _name(_emoji: str, data: dict[str, str]) -> str:
    return " " + data["en"].strip(":").replace("_", " ") + " "


def emoji_as_words(text: str) -> str:
    """Return ``text`` with each emoji replaced by its English name ("😡" → " enraged face ")."""
    if text.isascii():
        return text
    return str(emoji.replace_emoji(text, replace=_name))


def texts_for_encoder(texts: Sequence[str]) -> list[str]:
    """Return the texts a sentence encoder reads: emoji spelled out, everything else as given."""
    return [emoji_as_words(text) for text in texts]
