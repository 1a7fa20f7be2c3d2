"""A page's heading ("IGF 2021 Open Forum #5: Title") and the heading a page URL's slug gives.

Before the heading a page may carry site chrome (a schedule site's banner, "Venue Map", a
"You are here" breadcrumb), a "Room" label with its value, or its date line: none of them is
the heading. The year may stand only in the URL (`igf2017.sched.com`, `…/igf-2018-…`) or the
banner ("Welcome to IGF2017!").
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import unquote, urlparse

from bot.models import Session
from bot.parser.cleaning import is_boilerplate
from bot.parser.dates import is_schedule_line
from bot.parser.shapes import label_of
from bot.vocabulary import (
    HEADING_SPELLING,
    NAMED_BODY_TYPES,
    SESSION_TYPES,
    TYPE_PATTERN,
    canonical_type,
    series_type,
)

HEADING_RE = re.compile(r"^IGF\s+(?P<year>(?:19|20)\d{2})\b\s*[-:–]?\s*(?P<rest>.*)$")

_BARE_REFERENCE = re.compile(rf"^IGF\s+\d{{4}}\s+(?:{TYPE_PATTERN})\s*#\s*\d+$", re.IGNORECASE)

_TYPED_TITLE = re.compile(
    rf"^(?P<type>{TYPE_PATTERN})\b\s*(?:#\s*(?P<n>\d+)|(?P<roman>[IVX]{{1,5}})\b)?\s*[:\-–]?\s*(?P<title>.*)$",
    re.IGNORECASE,
)

_TYPE_COLON = re.compile(rf"^(?:{TYPE_PATTERN})\s*:", re.IGNORECASE)

# "… - Introductory Session I": the type (and its number) after the title.
_TRAILING_TYPE = re.compile(
    rf"^(?P<title>.+?)\s+[-–:]\s+(?P<type>{TYPE_PATTERN})(?:\s+(?P<roman>[IVX]{{1,5}})|\s*#?\s*(?P<n>\d+))?$",
    re.IGNORECASE,
)

# "IGF MAIN SESSION ON CYBERSECURITY…": a heading without its year.
YEARLESS_HEADING = re.compile(rf"^IGF\s+(?=(?:{TYPE_PATTERN})\b)", re.IGNORECASE)

_TYPE_PREPOSITION = re.compile(r"^(?:on|about)\s+", re.IGNORECASE)

# Site chrome before the heading: schedule-site banners and links, breadcrumbs.
_CHROME = re.compile(
    r"^(?:welcome to igf\s*\d{4}\b.*|.{0,80}\bhas ended\b.{0,40}|venue map|back to schedule"
    r"|sign up or log in\b.*|you are here.*|home\s*[»›>/].*|skip to (?:main )?content)$",
    re.IGNORECASE,
)

_QUOTES = {"‘": "’", "“": "”", '"': '"', "'": "'", "«": "»"}

_HOST_YEAR = re.compile(r"igf\s*-?\s*((?:19|20)\d{2})\b", re.IGNORECASE)


@dataclass
class HeadingPlace:
    """Where the heading was found: the reader reads `before` (a date line above the heading,
    kept for it) and then the lines from `start`."""

    start: int
    before: list[str]


def read_heading(lines: list[str], url: str | None, session: Session) -> HeadingPlace:
    """Fill `session` from the page's heading (or its URL's slug); returns where the body starts."""
    index, before, chrome = _skip_chrome(lines, session)
    first = lines[index] if index < len(lines) else ""
    slug_heading = heading_from_url(url)
    if before and not _stands_alone(lines, index):
        first = ""  # a date line and then prose: the page has no heading
    if slug_heading and not HEADING_RE.match(first):
        heading, start = slug_heading, index
    elif not first:
        # No heading: the URL's last words stand for it, else the page's first line.
        heading, start = _slug_words(url) or (before[0] if before else ""), index
    else:
        heading, start = first, index + 1
        # "IGF 2019 WS #415" alone, with the title on the next line.
        if _BARE_REFERENCE.match(heading):
            nxt = lines[start] if start < len(lines) else ""
            if nxt and not label_of(nxt) and not is_schedule_line(nxt):
                heading, start = f"{heading} {nxt}", start + 1
    session.heading = heading
    _interpret_heading(heading, session)
    if session.number is None:  # a heading with a reference is whole
        start = _take_full_title(lines, start, session)
    if session.year is None:
        _year_from(url, chrome, session)
    return HeadingPlace(start, before)


def _skip_chrome(lines: list[str], session: Session) -> tuple[int, list[str], list[str]]:
    """The index of the heading line, the date lines above it, and the chrome skipped."""
    before: list[str] = []
    chrome: list[str] = []
    index = 0
    while index < len(lines):
        line = lines[index]
        if line.startswith("IGF ") and HEADING_RE.match(line) and "has ended" not in line:
            break  # the common case: the heading comes first
        if not line or is_boilerplate(line):
            index += 1
        elif _CHROME.match(line):
            chrome.append(line)
            index += 1
        elif label_of(line) == "room" and session.room is None:
            value = next((i for i in range(index + 1, len(lines)) if lines[i]), None)
            if value is None or len(lines[value]) > 60 or label_of(lines[value]):
                break
            session.room = lines[value]
            index = value + 1
        elif is_schedule_line(line) and not before:
            before.append(line)
            index += 1
        else:
            break
    return index, before, chrome


def _slug_words(url: str | None) -> str:
    """ "…/content/mapping-internet-governance" -> "Mapping internet governance"."""
    if not url:
        return ""
    words = unquote(urlparse(url).path.rstrip("/").rsplit("/", 1)[-1]).replace("-", " ").strip()
    return words[:1].upper() + words[1:] if not words.isdigit() else ""


def _stands_alone(lines: list[str], index: int) -> bool:
    """A heading is a paragraph of its own: the line after it is blank."""
    return index + 1 >= len(lines) or not lines[index + 1]


def _take_full_title(lines: list[str], start: int, session: Session) -> int:
    """A heading cut mid-word ("… Governance Main Ses") is followed by the title in full."""
    nxt = next((i for i in range(start, min(start + 4, len(lines))) if lines[i]), None)
    if nxt is None:
        return start
    line, title = lines[nxt], session.title
    if len(line) >= 12 and title != line and title.startswith(line) and title[len(line)] == " ":
        session.title = line
        return nxt + 1
    return start


def _year_from(url: str | None, chrome: list[str], session: Session) -> None:
    """The year from the URL's host or path, or from a banner ("Welcome to IGF2017!")."""
    places = [urlparse(url).netloc, unquote(urlparse(url).path)] if url else []
    for text in [*places, *chrome]:
        match = _HOST_YEAR.search(text)
        if match:
            session.year = int(match.group(1))
            session.event = f"IGF {session.year}"
            return


# The type a page names in a short line ("Main Session of the Dynamic Coalitions") or in its
# body ("This workshop will explore…"), when its heading names none. Abbreviations are left out:
# in prose they are words ("of").
_LONG_TYPES = "|".join(
    re.escape(s).replace(r"\ ", r"\s+")
    for s in sorted(
        {s for spellings in SESSION_TYPES.values() for s in spellings if len(s) > 4},
        key=len,
        reverse=True,
    )
)
_TYPE_LINE = re.compile(rf"^(?P<type>{_LONG_TYPES})\b", re.IGNORECASE)
_TYPE_IN_BODY = re.compile(rf"\b(?:this|the)\s+(?P<type>{_LONG_TYPES})\b", re.IGNORECASE)


def type_from_body(lines: list[str]) -> str | None:
    """The type a short line starts with, else the first "this workshop"-like phrase."""
    for line in lines:
        match = _TYPE_LINE.match(line) if len(line) <= 80 else None
        if match:
            return canonical_type(match.group("type"))
    for line in lines:
        match = _TYPE_IN_BODY.search(line)
        if match:
            return canonical_type(match.group("type"))
    return None


def _interpret_heading(heading: str, session: Session) -> None:
    match = HEADING_RE.match(heading)
    rest = heading
    if match:
        session.year = int(match.group("year"))
        session.event = f"IGF {session.year}"
        rest = match.group("rest")
    elif YEARLESS_HEADING.match(heading):
        rest = heading[YEARLESS_HEADING.match(heading).end() :]  # type: ignore[union-attr]
    else:
        rest = _unquote(heading)
    type_match = _TYPED_TITLE.match(rest)
    if type_match:
        _typed_title(rest, type_match, session)
        return
    trailing = _TRAILING_TYPE.match(rest)
    if trailing:
        session.session_type = canonical_type(trailing.group("type"))
        number = trailing.group("n") or trailing.group("roman")
        if number:
            session.number = int(number) if number.isdigit() else _roman(number)
        session.title = _unquote(trailing.group("title"))
        return
    session.session_type = series_type(rest)
    session.title = _unquote(rest) or heading


def _typed_title(rest: str, type_match: re.Match[str], session: Session) -> None:
    kind = canonical_type(type_match.group("type"))
    session.session_type = kind
    title = type_match.group("title").strip()
    if type_match.group("n"):
        session.number = int(type_match.group("n"))
        session.title = title or rest
    elif type_match.group("roman"):
        session.number = _roman(type_match.group("roman"))
        session.title = rest
    elif _TYPE_COLON.match(rest):
        session.title = title or rest
    elif kind in NAMED_BODY_TYPES or not title:
        session.title = rest  # "Dynamic Coalition on Gender" is the body's name
    else:
        # "Main Session Trust matters…", "MAIN SESSION ON CYBERSECURITY": the type leaves the title.
        session.title = _unquote(_TYPE_PREPOSITION.sub("", title))


def _unquote(text: str) -> str:
    text = text.strip()
    if len(text) > 2 and _QUOTES.get(text[0]) == text[-1]:
        return text[1:-1].strip()
    return text


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
    kind = canonical_type(_SLUG_SPELLINGS[match.group("type").casefold()])
    if not kind:
        return None
    words = (match.group("title") or "").replace("-", " ").strip()
    title = words[:1].upper() + words[1:]
    reference = f"IGF {match.group('year')} {HEADING_SPELLING.get(kind, kind)} #{match.group('n')}"
    return f"{reference} {title}".strip()


# A slug spells a type with hyphens ("day-0-event", "launch-award-event"): the known spellings,
# longest first, so that "day-0-event-82" is the type "Day 0 Event" and the number 82.
_SLUG_SPELLINGS = {
    re.sub(r"[\s/]+", "-", spelling.casefold()): spelling
    for spellings in SESSION_TYPES.values()
    for spelling in spellings
}

_SLUG = re.compile(
    r"^igf-(?P<year>\d{4})-(?P<type>"
    + "|".join(re.escape(s) for s in sorted(_SLUG_SPELLINGS, key=len, reverse=True))
    + r")-(?P<n>\d+)(?:-(?P<title>.+))?$",
    re.IGNORECASE,
)
