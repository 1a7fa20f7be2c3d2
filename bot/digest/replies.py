"""What every ``/digest`` command answers, as `bot.answers.Reply` objects (all ephemeral).

Pure: the cog reads what these need (settings, today's post, the channel's problems, the clock)
and sends what they return with ``send_reply``.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from zoneinfo import ZoneInfo

import discord

from bot import render
from bot.answers import Reply
from bot.digest.ledger import DigestPost
from bot.digest.scheduler import TickResult
from bot.digest.timing import next_due, parse_post_time, zone_choices
from bot.models import GuildSettings

REFUSED = "Only members with Manage Server (or the bot's owners) can change the digest."


def _ephemeral(
    text: str, pages: Sequence[discord.Embed] = (), *, one_message: bool = False
) -> Reply:
    content = render.shorten(text, render.CONTENT_LIMIT)
    return Reply(list(pages), ephemeral=True, content=content, one_message=one_message)


def _warnings(problems: Sequence[str]) -> str:
    return "".join(f"\n⚠️ {problem}" for problem in problems)


def status(settings: GuildSettings, now: datetime, today: DigestPost | None) -> str:
    """Settings, the next post, and today's outcome (`today`: today's ledger row, if any)."""
    channel = f"<#{settings.channel_id}>" if settings.channel_id else "not set"
    on = settings.enabled and settings.channel_id
    lines = [
        f"**Channel:** {channel}",
        f"**Time:** {settings.post_time} ({settings.timezone})",
        f"**Digest:** {'on' if on else 'off'}",
    ]
    if on:
        zone = ZoneInfo(settings.timezone)
        due = next_due(now, parse_post_time(settings.post_time), zone, done_today=bool(today))
        soon = "within a minute" if due <= now else render.timestamp(due, "F")
        lines.append(f"**Next digest:** {soon} ({render.timestamp(max(due, now), 'R')})")
    if today is not None and today.status == "failed":
        lines.append(
            f"⚠️ Today's digest could not be posted: {today.detail or 'unknown error'}. "
            "Fix it, then use `/digest now`."
        )
    elif today is not None and today.status == "sent":
        lines.append("Today's digest has been posted.")
    return "\n".join(lines)


def saved(
    settings: GuildSettings,
    now: datetime,
    today: DigestPost | None,
    problems: Sequence[str] = (),
) -> Reply:
    """`/digest channel|time|timezone`: the settings as saved, and any channel problems."""
    return _ephemeral(status(settings, now, today) + _warnings(problems))


def bad_time() -> Reply:
    return _ephemeral("Please give the time as HH:MM on a 24-hour clock, e.g. `09:00`.")


def unknown_zone(typed: str) -> Reply:
    suggestions = ", ".join(f"`{z}`" for z in zone_choices(typed, 5))
    hint = f" Did you mean {suggestions}?" if suggestions else ""
    return _ephemeral(f"Unknown time zone.{hint} Pick one from the list as you type.")


def turned_off(settings: GuildSettings, now: datetime, today: DigestPost | None) -> Reply:
    return _ephemeral(
        "The daily digest is off. `/digest channel` turns it on again.\n"
        + status(settings, now, today)
    )


def preview(
    settings: GuildSettings,
    now: datetime,
    today: DigestPost | None,
    channel_problems: Sequence[str],
    embeds: Sequence[discord.Embed],
) -> Reply:
    """`/digest preview`: the status, what would stop the digest, and the digest itself."""
    problems = list(channel_problems)
    if settings.channel_id is None:
        problems.insert(0, "No channel is set: use `/digest channel`.")
    if not settings.enabled:
        problems.append("The digest is off: `/digest channel` turns it on.")
    text = "**Preview** (only you can see this)\n" + status(settings, now, today)
    return _ephemeral(text + _warnings(problems), embeds, one_message=True)


def no_channel() -> Reply:
    return _ephemeral("No channel is set: use `/digest channel` first.")


def outcome(result: TickResult) -> Reply:
    """`/digest now`: what happened."""
    where = f"<#{result.channel_id}>"
    if result.status == "sent":
        return _ephemeral(f"Today's digest has been posted in {where}.")
    if result.status == "failed":
        return _ephemeral(f"⚠️ The digest could not be posted in {where}: {result.detail}.")
    return _ephemeral(f"Nothing posted: {result.detail}.")


def changes_set(settings: GuildSettings, on: bool) -> Reply:
    """`/digest changes on|off`."""
    if not on:
        return _ephemeral("Schedule-change notices are off.")
    text = "Schedule-change notices are on: after a reload changes the schedule, one notice "
    if settings.channel_id is None:
        return _ephemeral(text + "will be posted once a channel is set with `/digest channel`.")
    return _ephemeral(text + f"is posted in <#{settings.channel_id}>.")
