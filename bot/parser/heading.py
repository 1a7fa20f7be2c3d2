"""A page's heading ("IGF 2021 Open Forum #5: Title") and the heading a page URL's slug gives."""

from __future__ import annotations

import re
from urllib.parse import unquote, urlparse

from bot.vocabulary import (
    HEADING_SPELLING,
    TYPE_PATTERN,
    canonical_type,
)

HEADING_RE = re.compile(r"^IGF\s+(?P<year>(?:19|20)\d{2})\b\s*[-:–]?\s*(?P<rest>.*)$")

BARE_REFERENCE = re.compile(rf"^IGF\s+\d{{4}}\s+(?:{TYPE_PATTERN})\s*#\s*\d+$", re.IGNORECASE)

TYPED_TITLE = re.compile(
    rf"^(?P<type>{TYPE_PATTERN})\b\s*(?:#\s*(?P<n>\d+)|(?P<roman>[IVX]{{1,5}})\b)?\s*[:\-–]?\s*(?P<title>.*)$",
    re.IGNORECASE,
)

TYPE_COLON = re.compile(rf"^(?:{TYPE_PATTERN})\s*:", re.IGNORECASE)


def roman(text: str) -> int | None:
    values = {"I": 1, "V": 5, "X": 10}
    total = 0
    for i, ch in enumerate(text.upper()):
        value = values[ch]
        total += -value if i + 1 < len(text) and values[text[i + 1].upper()] > value else value
    return total or None


def heading_from_url(url: str | None) -> str | None:
    """igf-2018-ws-376-innovative-approaches… -> "IGF 2018 WS #376 Innovative approaches …"."""
    if not url:
        return None
    slug = unquote(urlparse(url).path.rstrip("/").rsplit("/", 1)[-1])
    match = _SLUG.match(slug)
    if not match:
        return None
    kind = canonical_type(
        match.group(2).replace("-", " ").replace("launch award event", "Launch / Award Event")
    )
    if not kind:
        return None
    words = match.group(4).replace("-", " ").strip()
    title = words[:1].upper() + words[1:]
    return f"IGF {match.group(1)} {HEADING_SPELLING.get(kind, kind)} #{match.group(3)} {title}"


_SLUG = re.compile(r"^igf-(\d{4})-(.+?)-(\d+)-(.+)$")
