"""Reminders, agendas, ``/now`` and ``/next`` as Discord embeds, within Discord's limits.

Pure: data in, embeds out. Times are Discord timestamps (each reader sees their own zone);
``/now`` and ``/next`` also print the server's digest-zone wall time beside them.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, tzinfo

import discord

from bot import render
from bot.digest.timing import zone_name
from bot.reminders.plan import Reminder, ReminderSession

LATE_NOTE = "(sent late)"


def _embed(title: str, description: str, *, url: str | None = None) -> discord.Embed:
    return render.make_embed(title, description, url=url)


def _pages(title: str, entries: Sequence[str], footer: str = "") -> list[discord.Embed]:
    """Entries joined and cut into pages at entry boundaries (never mid-entry)."""
    text = "\n\n".join(render.shorten(e, 900) for e in entries)
    return render.text_pages(title, text, footer=footer)


def _heading(session: ReminderSession) -> str:
    return f"**{render.md(render.shorten(session.title, 200))}**\n{render.md(session.label)}"


def _room(session: ReminderSession) -> str:
    return f"📍 {render.md(session.room)}" if session.room else ""


# --------------------------------------------------------------------------- DMs


def reminder_dm(session: ReminderSession, reminder: Reminder, *, late: bool) -> discord.Embed:
    """The reminder itself: title, reference, room, start (full and relative), page link."""
    assert session.starts_at is not None
    lines = [
        render.md(session.label),
        f"🗓️ {render.full_and_relative(session.starts_at)}",
        _room(session),
    ]
    if session.source_url and render.safe_url(session.source_url):
        lines.append(f"🔗 {session.source_url}")
    if late:
        lines.append(f"_{LATE_NOTE}: the bot was offline when this reminder was due._")
    title = f"⏰ {session.title}" + (f" {LATE_NOTE}" if late else "")
    embed = _embed(title, "\n".join(line for line in lines if line), url=session.source_url)
    before = reminder.minutes_before
    embed.set_footer(text=f"Reminder set for {before} min before · /remind list")
    return embed


def gone_dm(reminder: Reminder) -> discord.Embed:
    """Told once: the session left the programme."""
    return _embed(
        f"❌ Reminder cancelled: {reminder.title}",
        "This session is no longer in the forum programme, so your reminder for it "
        f"(due {render.timestamp(reminder.due_at, 'F')}) will not be sent.",
    )


def confirmation_dm(session: ReminderSession, minutes_before: int) -> discord.Embed:
    """The "Remind me" button's test DM: proves DMs reach the user."""
    assert session.starts_at is not None
    return _embed(
        "⏰ Reminder set",
        f"{_heading(session)}\nI will message you here {minutes_before} min before it starts, "
        f"{render.full_and_relative(session.starts_at)}.",
    )


# --------------------------------------------------------------------------- /remind list


def _status(reminder: Reminder) -> str:
    if reminder.status == "scheduled":
        return f"⏰ due {render.full_and_relative(reminder.due_at)}"
    if reminder.status == "sent":
        return "✅ sent" + (f" {LATE_NOTE}" if reminder.late else "")
    if reminder.status == "missed":
        return "⚠️ missed: the bot was offline until the session had ended"
    if reminder.status == "failed":
        return f"⚠️ could not DM you: {render.md(reminder.detail or 'unknown error')}"
    if reminder.status == "gone":
        return "❌ the session is no longer in the programme"
    return "… being sent (not confirmed)"


def reminder_line(reminder: Reminder) -> str:
    start = render.timestamp(reminder.starts_at, "F")
    return (
        f"**{render.md(render.shorten(reminder.title, 200))}**\n"
        f"starts {start} · {reminder.minutes_before} min before\n{_status(reminder)}"
    )


def reminder_list(reminders: Sequence[Reminder], limit: int) -> list[discord.Embed]:
    if not reminders:
        return [_embed("Your reminders", "None yet: `/remind add` or a card's **Remind me**.")]
    return _pages(
        "Your reminders",
        [reminder_line(r) for r in reminders],
        footer=f"{len(reminders)}/{limit} reminders",
    )


# --------------------------------------------------------------------------- /agenda


def agenda_line(session: ReminderSession) -> str:
    when = f"🗓️ {render.full_and_relative(session.starts_at)}" if session.starts_at else "🗓️ no date"
    return "\n".join(p for p in (_heading(session), when, _room(session)) if p)


def agenda(sessions: Sequence[ReminderSession], notes: Sequence[str] = ()) -> list[discord.Embed]:
    if not sessions:
        return [_embed("Your agenda", "No reminded sessions yet: `/remind add` adds one.")]
    count = f"{len(sessions)} session" + ("" if len(sessions) == 1 else "s")
    footer = f"{count} · calendar file attached"
    pages = _pages("Your agenda", [agenda_line(s) for s in sessions], footer=footer)
    if notes:
        last = pages[-1]
        extra = "\n".join(f"⚠️ {render.md(n)}" for n in notes)
        last.description = render.shorten(
            f"{last.description or ''}\n\n{extra}", render.DESCRIPTION_LIMIT
        )
    return pages


# --------------------------------------------------------------------------- /now and /next


def _wall(moment: datetime, zone: tzinfo) -> str:
    return moment.astimezone(zone).strftime("%H:%M")


def live_line(session: ReminderSession, zone: tzinfo) -> str:
    assert session.starts_at is not None
    end = session.end
    span = _wall(session.starts_at, zone) + (f"–{_wall(end, zone)}" if end else "")
    return "\n".join(
        p
        for p in (
            _heading(session),
            f"🕘 {span} ({zone_name(zone)}) · {render.timestamp(session.starts_at, 'R')}",
            _room(session),
        )
        if p
    )


def _next_day_text(upcoming: ReminderSession | None, zone: tzinfo, now: datetime) -> str:
    if upcoming is None or upcoming.starts_at is None:
        return "No forum day with sessions is coming up in the programme."
    day = upcoming.starts_at.astimezone(zone)
    if day.date() == now.astimezone(zone).date():
        return (
            f"The next session today starts at {_wall(upcoming.starts_at, zone)} "
            f"({zone_name(zone)}), {render.timestamp(upcoming.starts_at, 'R')}."
        )
    return (
        f"The next forum day with sessions is **{day:%A} {day.day} {day:%B %Y}**: the first "
        f"session starts at {_wall(upcoming.starts_at, zone)} ({zone_name(zone)}), "
        f"{render.timestamp(upcoming.starts_at, 'R')}."
    )


def live_pages(
    title: str,
    sessions: Sequence[ReminderSession],
    zone: tzinfo,
    empty: str,
    upcoming: ReminderSession | None,
    now: datetime,
) -> list[discord.Embed]:
    """``/now`` or ``/next``; when nothing is on, the next session today or, outside forum
    days, when the next forum day is."""
    if not sessions:
        return [_embed(title, f"{empty}\n{_next_day_text(upcoming, zone, now)}")]
    count = f"{len(sessions)} session" + ("" if len(sessions) == 1 else "s")
    return _pages(title, [live_line(s, zone) for s in sessions], count)
