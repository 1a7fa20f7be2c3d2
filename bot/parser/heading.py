"""A page's heading ("IGF 2021 Open Forum #5: Title") and the heading a page URL's slug gives."""

from __future__ import annotations

import re
from urllib.parse import unquote, urlparse

from bot.models import Session
from bot.parser.cleaning import is_boilerplate
from bot.parser.dates import is_schedule_line
from bot.parser.shapes import label_of
from bot.vocabulary import HEADING_SPELLING, TYPE_PATTERN, canonical_type

HEADING_RE = re.compile(r"^IGF\s+(?P<year>(?:19|20)\d{2})\b\s*[-:–]?\s*(?P<rest>.*)$")

_BARE_REFERENCE = re.compile(rf"^IGF\s+\d{{4}}\s+(?:{TYPE_PATTERN})\s*#\s*\d+$", re.IGNORECASE)

_TYPED_TITLE = re.compile(
    rf"^(?P<type>{TYPE_PATTERN})\b\s*(?:#\s*(?P<n>\d+)|(?P<roman>[IVX]{{1,5}})\b)?\s*[:\-–]?\s*(?P<title>.*)$",
    re.IGNORECASE,
)

_TYPE_COLON = re.compile(rf"^(?:{TYPE_PATTERN})\s*:", re.IGNORECASE)


def read_heading(lines: list[str], url: str | None, session: Session) -> int:
    """Fill `session` from the page's heading (or its URL's slug); returns the index of the
    line after the heading."""
    index = next((i for i, line in enumerate(lines) if line), len(lines))
    while index < len(lines) and (not lines[index] or is_boilerplate(lines[index])):
        index += 1
    first = lines[index] if index < len(lines) else ""
    slug_heading = heading_from_url(url)
    if slug_heading and not HEADING_RE.match(first):
        heading, start = slug_heading, index
    else:
        heading, start = first, index + 1
        # "IGF 2019 WS #415" alone, with the title on the next line.
        if _BARE_REFERENCE.match(heading):
            nxt = lines[start] if start < len(lines) else ""
            if nxt and not label_of(nxt) and not is_schedule_line(nxt):
                heading, start = f"{heading} {nxt}", start + 1
    session.heading = heading
    _interpret_heading(heading, session)
    return start


def _interpret_heading(heading: str, session: Session) -> None:
    match = HEADING_RE.match(heading)
    rest = heading
    if match:
        session.year = int(match.group("year"))
        session.event = f"IGF {session.year}"
        rest = match.group("rest")
    type_match = _TYPED_TITLE.match(rest)
    if type_match:
        session.session_type = canonical_type(type_match.group("type"))
        if type_match.group("n"):
            session.number = int(type_match.group("n"))
            session.title = type_match.group("title").strip() or rest
        elif type_match.group("roman"):
            session.number = _roman(type_match.group("roman"))
            session.title = rest
        elif _TYPE_COLON.match(rest):
            session.title = type_match.group("title").strip() or rest
        else:
            session.title = rest
    else:
        session.title = rest or heading


def _roman(text: str) -> int | None:
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
