"""What every reminders command answers, as `bot.answers.Reply` objects.

Pure apart from reading: each function takes the catalog (for the ledger and a
`ReminderSource`) and the time, and returns what the cog sends with ``send_reply``.
"""

from __future__ import annotations

from datetime import datetime, tzinfo
from typing import TYPE_CHECKING

from bot import render
from bot.answers import Attachment, Reply
from bot.reminders import render as show
from bot.reminders.calendar import build_calendar, calendar_name
from bot.reminders.ledger import ReminderLimitError
from bot.reminders.plan import (
    ReminderSession,
    can_remind,
    check_minutes,
    check_window,
    in_progress,
    new_reminder,
    starting_within,
)
from bot.reminders.source import ReminderSource

if TYPE_CHECKING:
    from bot.catalog import Catalog


def _ephemeral(text: str, pages: list | None = None) -> Reply:
    return Reply(pages or [], ephemeral=True, content=render.shorten(text, render.CONTENT_LIMIT))


def no_session(query: str) -> Reply:
    return _ephemeral(f"No session matches “{render.md(render.shorten(query, 100))}”.")


async def add(
    catalog: Catalog, user_id: int, session: ReminderSession, minutes_before: int, now: datetime
) -> tuple[Reply, bool | None]:
    """``/remind add`` and the "Remind me" button: store (or update) the reminder. The flag
    says whether a reminder was created (True), updated (False) or not stored (None)."""
    try:
        minutes = check_minutes(minutes_before)
    except ValueError:
        return _ephemeral("`minutes_before` must be between 0 and 1440 (one day)."), None
    why_not = can_remind(session, now)
    if why_not:
        return _ephemeral(f"No reminder for **{render.md(session.title)}**: {why_not}."), None
    reminder = new_reminder(user_id, session, minutes, now)
    try:
        created = await catalog.reminders.upsert(reminder, now)
    except ReminderLimitError:
        return _ephemeral(
            f"You already have {catalog.reminders.limit} reminders, the most one person may "
            "hold: `/remind remove` some first."
        ), None
    verb = "Reminder set" if created else "Reminder updated"
    return _ephemeral(
        f"⏰ {verb}: **{render.md(session.title)}** ({render.md(session.label)}). I will DM you "
        f"at {render.full_and_relative(reminder.due_at)}, {minutes} "
        "min before it starts."
    ), created


def dm_refused(session: ReminderSession, reason: str) -> Reply:
    """The "Remind me" button's test DM failed: nothing is stored."""
    return _ephemeral(
        f"⚠️ I cannot send you direct messages ({render.md(reason)}), so no reminder was set "
        f"for **{render.md(session.title)}**. Allow DMs from this server's members "
        "(Privacy Settings), then press **Remind me** again."
    )


async def remove(catalog: Catalog, user_id: int, session: ReminderSession) -> Reply:
    if await catalog.reminders.remove(user_id, session.key):
        return _ephemeral(f"Reminder removed: **{render.md(session.title)}**.")
    return _ephemeral(f"You had no reminder for **{render.md(session.title)}**.")


async def listing(catalog: Catalog, user_id: int) -> Reply:
    reminders = await catalog.reminders.for_user(user_id)
    return Reply(show.reminder_list(reminders, catalog.reminders.limit), ephemeral=True)


async def agenda(catalog: Catalog, user_id: int, now: datetime) -> Reply:
    """The user's reminded sessions in time order, with an .ics of all of them."""
    reminders = await catalog.reminders.for_user(user_id)
    keys = [r.session_key for r in reminders if r.status != "gone"]
    sessions = await ReminderSource(catalog).sessions(keys)
    sessions.sort(key=lambda s: (s.starts_at is None, s.starts_at or now, s.key))
    if not sessions:
        return Reply(show.agenda([]), ephemeral=True)
    built = build_calendar(sessions, now)
    return Reply(
        show.agenda(sessions, built.notes),
        ephemeral=True,
        attachment=Attachment(calendar_name(sessions), built.data),
    )


def calendar_file(session: ReminderSession, now: datetime) -> Reply:
    """The "Add to calendar" button: one session's .ics."""
    built = build_calendar([session], now)
    if not built.events:
        return _ephemeral(f"**{render.md(session.title)}** has no date: no calendar entry.")
    return Reply(
        [],
        ephemeral=True,
        content=render.shorten(
            f"📅 **{render.md(session.title)}**: open the file to add it to your calendar.",
            render.CONTENT_LIMIT,
        ),
        attachment=Attachment(calendar_name([session]), built.data),
    )


async def now_on(catalog: Catalog, now: datetime, zone: tzinfo) -> Reply:
    """``/now``: sessions in progress."""
    source = ReminderSource(catalog)
    sessions = in_progress(await source.around(now, 0), now)
    upcoming = None if sessions else await source.next_after(now)
    empty = "No session is in progress."
    return Reply(show.live_pages("In progress now", sessions, zone, empty, upcoming, now))


async def next_up(catalog: Catalog, now: datetime, zone: tzinfo, minutes: int | None) -> Reply:
    """``/next [minutes]``: sessions starting within the window (default an hour)."""
    try:
        window = check_window(minutes)
    except ValueError:
        return _ephemeral("The window is 1 to 1440 minutes (one day).")
    source = ReminderSource(catalog)
    sessions = starting_within(await source.around(now, window), now, window)
    upcoming = None if sessions else await source.next_after(now)
    title = f"Starting in the next {window} minutes"
    empty = "No session starts then."
    return Reply(show.live_pages(title, sessions, zone, empty, upcoming, now))
