"""Fixed IGF vocabulary: session types, SDG names, and where each annual forum took place.

Kept in one module so the parser, the store (reference look-ups) and the commands agree.
"""

from __future__ import annotations

import re
from zoneinfo import ZoneInfo

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
