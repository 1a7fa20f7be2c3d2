"""Sessions as an iCalendar file (RFC 5545), built with the ``icalendar`` library.

One VEVENT per session: UID stable per session (its key), DTSTART/DTEND in UTC, LOCATION the
room, DESCRIPTION the reference and the page link. A session with a date but no time is an
all-day event on its date; a session with no date is left out, with a note saying so.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

from icalendar import Calendar, Event

from bot.reminders.plan import ReminderSession

if TYPE_CHECKING:
    from bot.catalog import Catalog

PRODID = "-//igf-forum-bot//reminders//EN"
UID_DOMAIN = "igf-forum-bot"


@dataclass(frozen=True, slots=True)
class CalendarFile:
    """The iCalendar text, how many events it holds, and notes on sessions left out."""

    data: bytes
    events: int
    notes: tuple[str, ...] = ()

    @property
    def text(self) -> str:
        return self.data.decode("utf-8")


def uid(session: ReminderSession) -> str:
    return f"{session.key}@{UID_DOMAIN}"


def _event(session: ReminderSession, stamp: datetime) -> Event:
    assert session.starts_at is not None
    event = Event()
    event.add("uid", uid(session))
    event.add("dtstamp", stamp.astimezone(UTC))
    event.add("summary", session.title)
    if session.all_day:
        day = session.starts_at.date()
        event.add("dtstart", day)
        event.add("dtend", day + timedelta(days=1))
    else:
        event.add("dtstart", session.starts_at.astimezone(UTC))
        end = session.end
        assert end is not None
        event.add("dtend", end.astimezone(UTC))
    if session.room:
        event.add("location", session.room)
    lines = [session.label]
    if session.source_url:
        lines.append(session.source_url)
        event.add("url", session.source_url)
    event.add("description", "\n".join(lines))
    return event


def build_calendar(sessions: Sequence[ReminderSession], stamp: datetime) -> CalendarFile:
    """The calendar of `sessions` (DTSTAMP = `stamp`, so the same input gives the same text)."""
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    notes: list[str] = []
    count = 0
    for session in sessions:
        if session.starts_at is None:
            notes.append(f"{session.label}: {session.title} has no date; left out")
            continue
        calendar.add_component(_event(session, stamp))
        count += 1
    return CalendarFile(calendar.to_ical(), count, tuple(notes))


def calendar_name(sessions: Sequence[ReminderSession]) -> str:
    """A file name: the session's key for one session, else ``igf-agenda.ics``."""
    return f"{sessions[0].key}.ics" if len(sessions) == 1 else "igf-agenda.ics"


async def calendar_text_for(catalog: Catalog, query: str, now: datetime) -> tuple[str, list[str]]:
    """``python -m bot calendar QUERY``: the iCalendar text and notes for stderr."""
    from bot.reminders.source import ReminderSource

    sessions = await ReminderSource(catalog).for_query(query)
    if not sessions:
        return "", [f"no session matches {query!r}"]
    built = build_calendar(sessions, now)
    return built.text, list(built.notes)
