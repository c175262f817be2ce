"""Typographic marks that open a list item, shared by table finding and paragraph reading."""

from __future__ import annotations

import re
import unicodedata

BULLETS = frozenset("•◦▪▫●○■□‣⁃–-*·")
ITEM_NUMBER = re.compile(r"^(?:\d{1,2}[.)]|[a-z][.)])$")
# Unicode categories of a lone symbol used as a bullet: Word's default bullet is the Symbol
# font's U+F0B7 (private use), Wingdings gives U+F0A7 and others; dingbats are `So`.
BULLET_CATEGORIES = frozenset({"Co", "So"})


def is_bullet(token: str) -> bool:
    """A bullet glyph: one of the usual marks, or a lone private-use or symbol character."""
    return token in BULLETS or (len(token) == 1 and unicodedata.category(token) in BULLET_CATEGORIES)


def is_item_marker(token: str) -> bool:
    """What opens a list item: a bullet glyph or an item number (`1.`, `1)`, `a)`)."""
    return is_bullet(token) or bool(ITEM_NUMBER.match(token))
