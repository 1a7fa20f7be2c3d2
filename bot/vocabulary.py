"""Fixed IGF vocabulary: session types, SDG names, and where each annual forum took place.

Kept in one module so the parser, the store (reference look-ups) and the commands agree.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from zoneinfo import ZoneInfo

from bot.names import fold

# Canonical long form -> how pages and people abbreviate it. Longest spellings first matter
# only for the regex built below, which sorts them itself.
SESSION_TYPES: dict[str, tuple[str, ...]] = {
    "Workshop": ("Workshop", "WS"),
    "Open Forum": ("Open Forum", "OF"),
    "Town Hall": ("Town Hall", "TH"),
    "Lightning Talk": ("Lightning Talk", "LT"),
    "Networking Session": ("Networking Session", "NS"),
    "Launch / Award": ("Launch / Award Event", "Launch/Award Event", "Launch / Award", "LA"),
    "Main Session": ("Main Session", "MS"),
    "Dynamic Coalition": ("Dynamic Coalition", "DC"),
    "NRI": ("NRIs", "NRI"),
    "Day 0 Event": ("Day 0 Event", "Day 0", "Day0", "D0"),
    "Best Practice Forum": ("Best Practice Forum", "BPF"),
    "Policy Network": ("Policy Network", "PN"),
    "Introductory Session": ("Introductory Breakout Session", "Introductory Session"),
    "High-Level Session": (
        "High-Level Leaders Session",
        "High-Level Session",
        "High Level Session",
    ),
    "Parliamentary Track": ("Parliamentary Track",),
    "Open Mic": ("Open Mic",),
}

# Types whose sessions are named after the body that holds them ("Dynamic Coalition on
# Gender"): the type words stay in the title.
NAMED_BODY_TYPES = frozenset({"Dynamic Coalition", "Best Practice Forum", "Policy Network", "NRI"})

# Named series that stand for a type when a page gives no type spelling
# ("IGF 2022 Global Youth Summit" is held on Day 0; "High Level Panel V").
_SERIES = re.compile(
    r"\b(?:(?P<youth>global youth summit)|(?P<high>high[\s-]level (?:panel|leaders?))"
    r"|(?P<intro>orientation session|newcomers? (?:orientation|session)))\b",
    re.IGNORECASE,
)
_SERIES_TYPES = {
    "youth": "Day 0 Event",
    "high": "High-Level Session",
    "intro": "Introductory Session",
}


def series_type(text: str) -> str | None:
    """The type a named series in `text` stands for ("Global Youth Summit" -> "Day 0 Event")."""
    match = _SERIES.search(text)
    return _SERIES_TYPES[match.lastgroup] if match and match.lastgroup else None


# Heading abbreviation IGF itself uses when it writes a reference ("IGF 2021 WS #35").
HEADING_SPELLING = {"Workshop": "WS"}

_SPELLING_TO_TYPE = {
    spelling.casefold(): canonical
    for canonical, spellings in SESSION_TYPES.items()
    for spelling in spellings
}
TYPE_PATTERN = "|".join(
    re.escape(s).replace(r"\ ", r"\s*") for s in sorted(_SPELLING_TO_TYPE, key=len, reverse=True)
)


def canonical_type(spelling: str) -> str | None:
    """ "WS" -> "Workshop", "open forum" -> "Open Forum"; None when unknown."""
    return _SPELLING_TO_TYPE.get(" ".join(spelling.split()).casefold())


SDG_NAMES: dict[int, str] = {
    1: "No Poverty",
    2: "Zero Hunger",
    3: "Good Health and Well-Being",
    4: "Quality Education",
    5: "Gender Equality",
    6: "Clean Water and Sanitation",
    7: "Affordable and Clean Energy",
    8: "Decent Work and Economic Growth",
    9: "Industry, Innovation and Infrastructure",
    10: "Reduced Inequalities",
    11: "Sustainable Cities and Communities",
    12: "Responsible Production and Consumption",
    13: "Climate Action",
    14: "Life Below Water",
    15: "Life on Land",
    16: "Peace, Justice and Strong Institutions",
    17: "Partnerships for the Goals",
}

# Where each annual IGF met: used only when a page gives a local time without a zone.
VENUE_ZONES: dict[int, str] = {
    2006: "Europe/Athens",
    2007: "America/Sao_Paulo",
    2008: "Asia/Kolkata",
    2009: "Africa/Cairo",
    2010: "Europe/Vilnius",
    2011: "Africa/Nairobi",
    2012: "Asia/Baku",
    2013: "Asia/Makassar",
    2014: "Europe/Istanbul",
    2015: "America/Fortaleza",
    2016: "America/Mexico_City",
    2017: "Europe/Zurich",
    2018: "Europe/Paris",
    2019: "Europe/Berlin",
    2020: "UTC",
    2021: "Europe/Warsaw",
    2022: "Africa/Addis_Ababa",
    2023: "Asia/Tokyo",
    2024: "Asia/Riyadh",
    2025: "Europe/Oslo",
}


def venue_zone(year: int | None) -> ZoneInfo:
    """The forum's local zone for `year`, UTC when unknown."""
    return ZoneInfo(VENUE_ZONES.get(year or 0, "UTC"))


# --------------------------------------------------------------------------- references


SESSION_TYPE_ABBREVIATIONS: Mapping[str, str] = MappingProxyType(
    {
        spelling: canonical
        for canonical, spellings in SESSION_TYPES.items()
        for spelling in spellings
        if re.fullmatch(r"[A-Z][A-Z0-9]{1,3}", spelling) and spelling != canonical
    }
)
"""Abbreviation -> canonical type ("WS" -> "Workshop", "OF" -> "Open Forum", …).

Derived from `SESSION_TYPES`, the single list the parser also uses."""


def _compact(text: str) -> str:
    return re.sub(r"[^a-z0-9]", "", fold(text))


def _spelling_pattern(spelling: str) -> str:
    words = re.findall(r"[a-z0-9]+", fold(spelling))
    return r"[\s/&-]*".join(re.escape(w) for w in words)


_TYPE_BY_COMPACT = {
    _compact(spelling): canonical
    for canonical, spellings in SESSION_TYPES.items()
    for spelling in (canonical, *spellings)
}
_REFERENCE_RE = re.compile(
    r"^\s*(?:igf\s*)?(?:(?P<year>(?:19|20)\d\d)\s*[-:,]?\s*)?(?P<type>"
    + "|".join(
        sorted(
            {_spelling_pattern(s) for spellings in SESSION_TYPES.values() for s in spellings},
            key=len,
            reverse=True,
        )
    )
    + r")\s*(?:#|no\.?|n[°º])?\s*(?P<number>\d{1,4})(?!\d)(?P<rest>[\s:.,;-].*)?$",
    re.IGNORECASE | re.DOTALL,
)


@dataclass(frozen=True, slots=True)
class SessionReference:
    """A parsed "IGF 2021 Open Forum #5"-style reference; year is optional."""

    session_type: str
    number: int
    year: int | None = None


def normalize_session_type(text: str | None) -> str | None:
    """ "of", "Open forum", "open-forum", "WS" -> canonical type; unknown text -> None."""
    if not text:
        return None
    return canonical_type(text) or _TYPE_BY_COMPACT.get(_compact(text))


def parse_reference(text: str) -> SessionReference | None:
    """Parse "Open Forum #5", "OF5", "ws 100", "IGF 2021 Open Forum #5 Title…", "2021 OF 5",
    "Open Forum #5 2022"."""
    match = _REFERENCE_RE.match(fold(text[:300]))
    if match is None:
        return None
    session_type = normalize_session_type(match["type"])
    if session_type is None:  # pragma: no cover - the regex only admits known types
        return None
    year = match["year"] or _trailing_year(match["rest"] or "")
    return SessionReference(session_type, int(match["number"]), int(year) if year else None)


# A year alone after the number ("Open Forum #5 2022", "OF 5 (IGF 2022)"), not in a title.
_TRAILING_YEAR_RE = re.compile(r"[\s:.,;(-]*(?:igf\s*)?(?P<year>(?:19|20)\d\d)\)?\s*")


def _trailing_year(rest: str) -> str | None:
    match = _TRAILING_YEAR_RE.fullmatch(rest)
    return match["year"] if match else None
