"""Typographic marks that open a list item, shared by table finding and paragraph reading."""

from __future__ import annotations

import re

BULLETS = frozenset("•◦▪▫●○■□‣⁃–-*·")
ITEM_NUMBER = re.compile(r"^(?:\d{1,2}[.)]|[a-z][.)])$")
