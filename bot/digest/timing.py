"""Due-time maths for the digest: local days, post times, DST, and naming time zones.

Pure functions of (now, zone, post time); the scheduler supplies ``now`` from its injected
`bot.clock.Clock`, so tests can run a whole day - or a DST change - in milliseconds.

DST: a ``post_time`` inside a spring-forward gap is due at the first minute after the gap; one
inside a fall-back overlap is due at its first occurrence. See `due_at`.
"""

from __future__ import annotations

import zoneinfo
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from rapidfuzz import fuzz, process

from bot.render.limits import CHOICES_LIMIT


class DigestError(ValueError):
    """A digest cannot be built for these arguments (e.g. an unknown time zone)."""


def zone_of(tz: tzinfo | str) -> tzinfo:
    """`tz` itself, or the IANA zone it names; `DigestError` for an unknown name."""
    if isinstance(tz, str):
        try:
            return ZoneInfo(tz)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise DigestError(f"unknown time zone {tz!r}") from exc
    return tz


def zone_name(tz: tzinfo) -> str:
    return getattr(tz, "key", None) or str(tz)


# --------------------------------------------------------------------------- local days


def local_today(now: datetime, tz: tzinfo) -> date:
    return now.astimezone(tz).date()


def local_day_bounds(local_date: date, tz: tzinfo | str) -> tuple[datetime, datetime]:
    """[start, end) of a local calendar day, in UTC (23 or 25 hours long on DST days)."""
    zone = zone_of(tz)
    start = datetime.combine(local_date, time(0), tzinfo=zone).astimezone(UTC)
    end = datetime.combine(local_date + timedelta(days=1), time(0), tzinfo=zone).astimezone(UTC)
    return start, end


# --------------------------------------------------------------------------- post times


def parse_post_time(text: str) -> time:
    """ "HH:MM" -> `time`; ValueError otherwise."""
    hours, _, minutes = text.strip().partition(":")
    if not (hours.isdigit() and minutes.isdigit() and len(minutes) == 2 and len(hours) <= 2):
        raise ValueError(f"post time must be HH:MM, got {text!r}")
    return time(int(hours), int(minutes))


def _wall(moment: datetime, tz: tzinfo) -> datetime:
    return moment.astimezone(tz).replace(tzinfo=None, fold=0)


def due_at(local_date: date, post_time: time, tz: tzinfo) -> datetime:
    """The UTC instant a digest for `local_date` becomes due: the first instant whose local
    wall-clock time in `tz` is at or after `post_time` on that date.

    * ordinary day: ``post_time`` local;
    * spring forward (the time does not exist): the first instant after the gap, e.g. 02:30 in
      Europe/Oslo on 2026-03-29 -> 03:00 CEST (01:00 UTC);
    * fall back (the time happens twice): the first occurrence (``fold=0``).
    """
    naive = datetime.combine(local_date, post_time)
    first = naive.replace(tzinfo=tz, fold=0).astimezone(UTC)
    second = naive.replace(tzinfo=tz, fold=1).astimezone(UTC)
    if _wall(first, tz) == naive or _wall(second, tz) == naive:
        # exists; when ambiguous fold=0 is the earlier instant
        return min(u for u in (first, second) if _wall(u, tz) == naive)
    # In a gap: fold=1 applies the offset after the change (an instant before it), fold=0 the
    # offset before it (an instant after it). Search that window for the first instant whose
    # wall time has reached `naive`.
    low, high = int(min(first, second).timestamp()), int(max(first, second).timestamp())
    while high - low > 1:  # invariant: wall(low) < naive <= wall(high)
        middle = (low + high) // 2
        if _wall(datetime.fromtimestamp(middle, UTC), tz) >= naive:
            high = middle
        else:
            low = middle
    return datetime.fromtimestamp(high, UTC)


def next_due(now: datetime, post_time: time, tz: tzinfo, *, done_today: bool) -> datetime:
    """When the next digest is due (UTC): today's time if it is still ahead (or was missed and
    today's digest is not done: then it is due now), otherwise tomorrow's."""
    today = local_today(now, tz)
    if not done_today:
        return max(now, due_at(today, post_time, tz))
    return due_at(today + timedelta(days=1), post_time, tz)


# --------------------------------------------------------------------------- zone names

COMMON_ZONES = (
    "UTC",
    "Europe/London",
    "Europe/Paris",
    "Europe/Berlin",
    "Europe/Oslo",
    "Africa/Lagos",
    "Africa/Nairobi",
    "Asia/Kolkata",
    "Asia/Shanghai",
    "Asia/Tokyo",
    "Australia/Sydney",
    "America/New_York",
    "America/Chicago",
    "America/Los_Angeles",
    "America/Sao_Paulo",
)


@lru_cache(maxsize=1)
def zone_names() -> tuple[str, ...]:
    """IANA zone names (from the tzdata package if the system has none), sorted."""
    skip = {"Factory", "localtime", "posixrules"}
    return tuple(sorted(z for z in zoneinfo.available_timezones() if z not in skip))


@lru_cache(maxsize=1)
def _zones_by_folded() -> dict[str, str]:
    return {z.casefold(): z for z in zone_names()}


def find_zone(text: str) -> str | None:
    """The IANA name for `text`, case-insensitively ("europe/oslo" -> "Europe/Oslo")."""
    return _zones_by_folded().get(text.strip().replace(" ", "_").casefold())


def zone_choices(current: str, limit: int = CHOICES_LIMIT) -> list[str]:
    """Autocomplete: zones whose name or city starts with the text, then fuzzy matches."""
    text = current.strip().replace(" ", "_").casefold()
    if not text:
        return list(COMMON_ZONES[:limit])
    names = zone_names()
    prefix = [z for z in names if z.casefold().startswith(text)]
    city = [
        z
        for z in names
        if z not in prefix and any(part.startswith(text) for part in z.casefold().split("/")[1:])
    ]
    found = prefix + city
    if len(found) < limit:
        fuzzy = process.extract(
            text, names, scorer=fuzz.WRatio, processor=str.casefold, limit=limit, score_cutoff=60
        )
        found += [name for name, _, _ in fuzzy if name not in found]
    return found[:limit]
