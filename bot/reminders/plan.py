"""The reminders' plan, pure: the records, what a due reminder becomes, and what is on now.

A reminder is due at ``start - minutes_before`` (never before it was set: a reminder set five
minutes before a session with ``minutes_before=15`` is due at once). When the bot sees it due:

* the session is gone from the programme (or lost its time) -> tell the user once ("gone");
* the session moved -> the reminder follows the new time ("moved");
* the session has ended -> it is dropped and shown as missed ("missed");
* the due time is more than `LATE_AFTER` ago (the bot was down) -> sent with "(sent late)";
* otherwise it is sent.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from typing import Literal

from bot.models import Session, SessionSummary
from bot.projection import ScheduledSession, utc, utc_or_none

REMINDER_LIMIT = 200
"""Reminders one user may hold."""
DEFAULT_MINUTES = 15
MAX_MINUTES = 1440
MAX_WINDOW = 1440
"""``/next``'s longest window, in minutes (one day)."""
DEFAULT_WINDOW = 60
LATE_AFTER = timedelta(minutes=2)
"""The tick runs every minute: a reminder sent later than this after its due time is late."""
DEFAULT_LENGTH = timedelta(hours=1)
"""How long a session with no end time is taken to last."""

ReminderStatus = Literal["scheduled", "pending", "sent", "missed", "failed", "gone"]
Action = Literal["wait", "send", "send_late", "missed", "moved", "gone"]


@dataclass(frozen=True, slots=True)
class ReminderSession(ScheduledSession):
    """What reminders, agendas and calendars need to know about one session."""

    source_url: str | None = None

    @classmethod
    def of(cls, item: Session | SessionSummary) -> ReminderSession:
        return cls(
            key=item.key,
            title=item.title or item.heading,
            reference=item.reference,
            event=item.event or (f"IGF {item.year}" if item.year else None),
            starts_at=utc_or_none(item.starts_at),
            ends_at=utc_or_none(item.ends_at),
            room=item.room,
            source_url=getattr(item, "source_url", None),
        )

    @property
    def label(self) -> str:
        """ "IGF 2021 · Open Forum #5", or the title when there is neither."""
        return " · ".join(p for p in (self.event, self.reference) if p) or self.title

    @property
    def all_day(self) -> bool:
        """A date with no time: the page gave a day only (stored as midnight, no end)."""
        return (
            self.starts_at is not None and self.ends_at is None and self.starts_at.time() == time(0)
        )

    @property
    def end(self) -> datetime | None:
        if self.starts_at is None:
            return None
        return self.ends_at or self.starts_at + DEFAULT_LENGTH


@dataclass(frozen=True, slots=True)
class Reminder:
    """One stored reminder: a user, a session (by its stable key) and when to DM."""

    user_id: int
    session_key: str
    title: str
    minutes_before: int
    starts_at: datetime
    ends_at: datetime | None
    due_at: datetime
    status: ReminderStatus = "scheduled"
    detail: str | None = None
    late: bool = False

    @property
    def end(self) -> datetime:
        return self.ends_at or self.starts_at + DEFAULT_LENGTH


def check_minutes(minutes: int) -> int:
    if not 0 <= minutes <= MAX_MINUTES:
        raise ValueError(f"minutes_before must be 0-{MAX_MINUTES}, got {minutes}")
    return minutes


def due_time(starts_at: datetime, minutes_before: int, now: datetime) -> datetime:
    """When to DM: ``minutes_before`` ahead of the start, but not before `now`."""
    return max(utc(starts_at) - timedelta(minutes=minutes_before), utc(now))


def can_remind(session: ReminderSession, now: datetime) -> str | None:
    """Why no reminder can be set for `session` now (None: it can)."""
    if session.starts_at is None:
        return "it has no date or time in the programme"
    if session.starts_at <= now:
        return "it has already started"
    return None


def new_reminder(
    user_id: int, session: ReminderSession, minutes_before: int, now: datetime
) -> Reminder:
    """A fresh, scheduled reminder (the caller checked `can_remind`)."""
    assert session.starts_at is not None
    return Reminder(
        user_id,
        session.key,
        session.title,
        check_minutes(minutes_before),
        session.starts_at,
        session.ends_at,
        due_time(session.starts_at, minutes_before, now),
    )


@dataclass(frozen=True, slots=True)
class Decision:
    action: Action
    session: ReminderSession | None = None


def decide(reminder: Reminder, session: ReminderSession | None, now: datetime) -> Decision:
    """What to do with a scheduled reminder at `now`, given its session as it is now."""
    if session is None or session.starts_at is None:
        return Decision("gone")
    if (session.starts_at, session.ends_at) != (reminder.starts_at, reminder.ends_at):
        return Decision("moved", session)
    if now < reminder.due_at:
        return Decision("wait", session)
    if now >= reminder.end:
        return Decision("missed", session)
    if now - reminder.due_at > LATE_AFTER:
        return Decision("send_late", session)
    return Decision("send", session)


def due_order(reminder: Reminder) -> tuple[datetime, datetime, int, str]:
    """Time order: due time, then start, then user and session (deterministic)."""
    return (reminder.due_at, reminder.starts_at, reminder.user_id, reminder.session_key)


# --------------------------------------------------------------------------- live


def _start(session: ReminderSession) -> datetime:
    assert session.starts_at is not None
    return session.starts_at


def in_progress(sessions: Iterable[ReminderSession], now: datetime) -> list[ReminderSession]:
    """Sessions that have started and not ended at `now`, in start order (not all-day ones)."""
    found = [
        s
        for s in sessions
        if s.starts_at is not None and not s.all_day and s.starts_at <= now < (s.end or now)
    ]
    return sorted(found, key=lambda s: (_start(s), s.key))


def starting_within(
    sessions: Iterable[ReminderSession], now: datetime, minutes: int
) -> list[ReminderSession]:
    """Sessions starting in [now, now + minutes), in start order."""
    end = now + timedelta(minutes=minutes)
    found = [s for s in sessions if s.starts_at is not None and now <= s.starts_at < end]
    return sorted(found, key=lambda s: (_start(s), s.key))


def check_window(minutes: int | None) -> int:
    if minutes is None:
        return DEFAULT_WINDOW
    if not 1 <= minutes <= MAX_WINDOW:
        raise ValueError(f"the window is 1-{MAX_WINDOW} minutes, got {minutes}")
    return minutes
