"""Change lines and change notices, pure.

`render_notice` makes a notice plan one embed within Discord's limits (limits, cutting and
escaping come from `bot.render`); its lines are `bot.changes.text.describe` with Discord
timestamps, so each reader sees the times in their own zone.
"""

from __future__ import annotations

from datetime import datetime

import discord

from bot import render
from bot.changes.diff import SessionChange
from bot.changes.plan import NoticeDay, NoticePlan
from bot.changes.text import describe, label

TITLE = "Schedule changes"
LINE_LIMIT = 400
"""One change line at most (a long title is cut first)."""
_MORE = "\n…and {} more changes: use `/session <reference>` for the latest."


def discord_time(start: datetime | None, end: datetime | None) -> str:
    """ "<t:…:f>–<t:…:t>": each reader sees their own time zone."""
    if start is None:
        return "no time"
    return render.timestamp(start, "f") + (
        f"–{render.timestamp(end, 't')}" if end is not None else ""
    )


def _notice_line(change: SessionChange) -> str:
    facts = change.current
    head = f"**{render.md(label(facts))}** · {render.md(facts.title)}"
    if change.kind == "added":
        text = f"🆕 {head} — {discord_time(facts.starts_at, facts.ends_at)}"
        room = f", {render.md(facts.room)}" if facts.room else ""
        return render.shorten(text + room, LINE_LIMIT)
    if change.kind == "removed":
        return render.shorten(f"❌ {head} — cancelled", LINE_LIMIT)
    what = describe(change, discord_time, render.md)
    return f"• {render.shorten(head, LINE_LIMIT - len(what) - 5)} — {what}"


def _day_heading(notice_day: NoticeDay) -> str:
    day = notice_day.day
    return f"__{day:%A} {day.day} {day:%B %Y}__" if day else "__No time set__"


def _fitting_lines(plan: NoticePlan, budget: int) -> tuple[list[str], int]:
    """The notice's lines, day headings included, while they fit in `budget` characters;
    and how many changes they show."""
    lines: list[str] = []
    used = shown = 0
    for day in plan.days:
        heading = ("\n" if lines else "") + _day_heading(day)
        for index, change in enumerate(day.changes):
            extra = ([heading] if index == 0 else []) + [_notice_line(change)]
            size = sum(len(x) + 1 for x in extra)
            if used + size > budget:
                return lines, shown
            lines += extra
            used += size
            shown += 1
    return lines, shown


def render_notice(plan: NoticePlan) -> discord.Embed:
    """One embed: the changes grouped by day (the plan's local days); what does not fit is
    counted, not cut."""
    lines, shown = _fitting_lines(plan, render.DESCRIPTION_LIMIT - len(_MORE) - 10)
    if shown < plan.count:
        lines.append(_MORE.format(plan.count - shown).strip("\n"))
    embed = discord.Embed(title=TITLE, description="\n".join(lines), colour=render.COLOUR)
    embed.set_footer(text="Times are shown in your own time zone.")
    return embed
