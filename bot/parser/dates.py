"""Schedule lines ("Friday, 10th December, 2021 (08:30 UTC) - …") and the dates and times in
them, read as aware UTC datetimes."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from functools import lru_cache
from itertools import islice

from bot.parser.patterns import by_first_letter
from bot.vocabulary import venue_zone

_MONTHS = {
    m: i
    for i, names in enumerate(
        [
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ],
        start=1,
    )
    for m in names
}

_MONTH_NAMES = "|".join(sorted(_MONTHS, key=len, reverse=True))

_MONTH_RE = r"(?P<mon>" + by_first_letter(_MONTH_NAMES) + r")\.?"

_WEEKDAY_STEMS = "mon|tues|wednes|thurs|fri|satur|sun"

_WEEKDAY = r"(?:" + by_first_letter(_WEEKDAY_STEMS) + r")day"

# Every date starts with a digit or with the first letter of a weekday or month: testing that
# first lets re skip most positions of a line quickly.
_DATE_WORDS = f"{_WEEKDAY_STEMS}|{_MONTH_NAMES}".split("|")

_DATE_INITIALS = "".join(sorted({word[0] for word in _DATE_WORDS}))

_DATE_RE = re.compile(
    rf"(?=[\d{_DATE_INITIALS}])"
    rf"(?:{_WEEKDAY},?\s+)?(?:(?P<d>\d{{1,2}})(?:st|nd|rd|th)?\s+{_MONTH_RE}"
    rf"|{_MONTH_RE.replace('mon>', 'mon2>')}\s+(?P<d2>\d{{1,2}})(?:st|nd|rd|th)?)"
    r",?(?:\s+(?P<y>\d{4}))?",
    re.IGNORECASE,
)

_TIME_RE = re.compile(
    r"(?P<h>\d{1,2})[:.h](?P<min>\d{2})\s*(?P<ampm>[ap]\.?m\.?)?"
    r"(?:\s*(?P<tz>UTC|GMT)(?P<off>[+-]\d{1,2}(?::?\d{2})?)?)?",
    re.IGNORECASE,
)

FOTIGF_DATE = re.compile(
    rf"^(?P<d>\d{{1,2}})\s+{_MONTH_RE}\s+(?P<y>\d{{4}})\s+-\s+An?\s+(?P<type>.+?)\s+on\s+.+?\s+in\s+(?P<place>.+)$",
    re.IGNORECASE,
)

CLOCK = re.compile(r":\d\d")

_SCHEDULE_TIME = re.compile(
    r"\(\s*\d{1,2}:\d{2}\s*(?:UTC|GMT)|\d{1,2}:\d{2}\s*(?:[ap]m)?\s*[-–]", re.IGNORECASE
)


def is_schedule_line(line: str) -> bool:
    # Checked before the cache so that long prose lines do not push short lines out of it.
    # Every `_SCHEDULE_TIME` holds `CLOCK`, which a fast literal scan finds.
    return len(line) <= 200 and bool(CLOCK.search(line)) and _is_short_schedule_line(line)


@lru_cache(maxsize=8192)
def _is_short_schedule_line(line: str) -> bool:
    # `_DATE_RE` is by far the slowest of the three: it runs last.
    return (
        bool(_SCHEDULE_TIME.search(line))
        and bool(_TIME_RE.search(line))
        and (bool(_DATE_RE.search(line)) or bool(_ISO_SCHEDULE.match(line)))
    )


# "Wed, 2011-09-28 09:00 - 10:30": the 2006-2013 archive sites' date line.
_ISO_SCHEDULE = re.compile(
    r"^(?:[A-Za-z]{2,9}\.?,?\s+)?(?P<y>\d{4})-(?P<m>\d{2})-(?P<d>\d{2})\s+"
    r"(?P<h1>\d{1,2}):(?P<m1>\d{2})\s*[-–]\s*(?P<h2>\d{1,2}):(?P<m2>\d{2})\b"
)


def _parse_iso(line: str) -> tuple[datetime | None, datetime | None]:
    match = _ISO_SCHEDULE.match(line)
    if not match:
        return None, None
    year, month, day = int(match["y"]), int(match["m"]), int(match["d"])
    zone = venue_zone(year)
    try:
        start = datetime(year, month, day, int(match["h1"]), int(match["m1"]), tzinfo=zone)
        end = datetime(year, month, day, int(match["h2"]), int(match["m2"]), tzinfo=zone)
    except ValueError:
        return None, None
    return start.astimezone(UTC), end.astimezone(UTC)


def year_of_date_line(lines: list[str]) -> int | None:
    """The year of the first dated line near the top ("17 September 2010") that is an IGF year."""
    for line in lines[:40]:
        if len(line) > 120:
            continue
        for match in islice(_DATE_RE.finditer(line), 2):
            year = int(match.group("y")) if match.group("y") else None
            if year and 2006 <= year <= 2100:
                return year
    return None


SCHEDULE_MINUTES = re.compile(r"\((\d{2,3})\s*Minutes?\)", re.IGNORECASE)


def parse_schedule(line: str, default_year: int | None) -> tuple[datetime | None, datetime | None]:
    """ "Friday, 10th December, 2021 (08:30 UTC) - Friday, …" -> two aware UTC datetimes."""
    dates = list(islice(_DATE_RE.finditer(line), 2))  # only the first two are used
    if not dates:
        return _parse_iso(line)
    times = list(_TIME_RE.finditer(line))
    first = dates[0]
    year = int(first.group("y")) if first.group("y") else default_year
    if year is None:
        return None, None
    month = _MONTHS[(first.group("mon") or first.group("mon2")).casefold().rstrip(".")]
    day = int(first.group("d") or first.group("d2"))
    end_date = dates[1] if len(dates) > 1 else first
    end_year = int(end_date.group("y")) if end_date.group("y") else year
    end_month = _MONTHS[(end_date.group("mon") or end_date.group("mon2")).casefold().rstrip(".")]
    end_day = int(end_date.group("d") or end_date.group("d2"))
    if not times:
        return None, None
    try:
        start = _at(year, month, day, times[0], times[-1] if len(times) > 1 else None)
        end = _at(end_year, end_month, end_day, times[1], None) if len(times) > 1 else None
    except ValueError:
        return None, None
    if start and end and end <= start and len(dates) == 1:
        end += timedelta(days=1)
    return start, end


def _at(
    year: int, month: int, day: int, time: re.Match[str], partner: re.Match[str] | None
) -> datetime:
    hour, minute = int(time.group("h")), int(time.group("min"))
    ampm = time.group("ampm") or (partner.group("ampm") if partner else None)
    if ampm:
        pm = ampm.lower().startswith("p")
        if (
            pm
            and hour < 12
            and not (
                partner and not time.group("ampm") and hour + 12 > int(partner.group("h")) + 12
            )
        ):
            hour += 12
        if not pm and hour == 12:
            hour = 0
    local = datetime(year, month, day, hour, minute)
    if time.group("tz") or (partner and partner.group("tz")):
        offset = time.group("off") or ""
        delta = _offset(offset)
        return (local - delta).replace(tzinfo=UTC)
    return local.replace(tzinfo=venue_zone(year)).astimezone(UTC)


def _offset(text: str) -> timedelta:
    text = text.replace(" ", "")
    if not text:
        return timedelta()
    sign = -1 if text.startswith("-") else 1
    digits = text[1:].replace(":", "")
    hours, minutes = (
        (int(digits[:-2] or 0), int(digits[-2:])) if len(digits) > 2 else (int(digits), 0)
    )
    return sign * timedelta(hours=hours, minutes=minutes)
