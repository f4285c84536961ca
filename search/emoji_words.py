"""Emoji as words for the sentence encoder, whose vocabulary has no emoji (each one reads [UNK])."""

from __future__ import annotations

from collections.abc import Sequence

import emoji

# Symbols the emoji list counts but MiniLM's vocabulary has: the encoder reads them itself
# (a test checks this set against the packaged model's vocab.txt).
READ_AS_IS = frozenset("©®™↔▪♠♣♥♦")


def _name(found: str, data: dict[str, str]) -> str:
    if found.replace("\ufe0f", "") in READ_AS_IS:
        return found
    return " " + data["en"].strip(":").replace("_", " ") + " "


def emoji_as_words(text: str) -> str:
    """Return ``text`` with each emoji replaced by its English name ("😡" → " enraged face ").

    The few symbols in ``READ_AS_IS`` ("©", "™", "♥", …) stay: the encoder knows them.
    """
    if text.isascii():
        return text
    return str(emoji.replace_emoji(text, replace=_name))


def texts_for_encoder(texts: Sequence[str]) -> list[str]:
    """Return the texts a sentence encoder reads: emoji spelled out, everything else as given."""
    return [emoji_as_words(text) for text in texts]
