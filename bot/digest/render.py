"""A digest plan as Discord embeds (always within Discord's limits) or as terminal text.

Pure. Limits, cutting, escaping and embed sizes come from `bot.render`. Text from documents is
escaped for markdown and never turned into a mention; the sender also disables mentions
(``allowed_mentions``), and this module never sets them.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, tzinfo

import discord

from bot import render
from bot.digest.plan import DigestKind, DigestPlan, DigestSession
from bot.digest.timing import zone_name, zone_of

ADDED_SHOWN = 10
"""New sessions listed in the Discord digest."""
COLOUR = render.COLOUR.value
POINTER = "Use `/session <reference>` for the full record."

_TOTAL_BUDGET = render.EMBED_TOTAL_LIMIT - 100  # a margin: Discord may count a few characters more
_MIN_ITEM = 40  # below this, an item is left out rather than cut to a stub


def _md(text: str) -> str:
    """Document text made safe for Discord markdown, on one line (links left working)."""
    return render.md(render.one_line(text))


def lookup(session: DigestSession) -> str:
    """What to type after `/session` to find this record ("IGF 2021 Open Forum #5")."""
    if session.reference:
        return f"IGF {session.year} {session.reference}" if session.year else session.reference
    return render.shorten(render.one_line(session.title).replace("`", "'"), 80)


def _pointer(session: DigestSession) -> str:
    return f"Use `/session {lookup(session)}` for the full record."


def _long_date(day: date) -> str:
    return f"{day:%A} {day.day} {day:%B %Y}"


def _title_of(kind: DigestKind, local_date: date) -> str:
    prefix = "Today at the forum" if kind == "forum_day" else "From the archive"
    return f"{prefix} · {_long_date(local_date)}"


def _count_line(plan: DigestPlan) -> str:
    count = len(plan.sessions)
    return f"{count} session{'s' if count != 1 else ''} on the programme today:"


# --------------------------------------------------------------------------- Discord embeds


def _day_line(session: DigestSession) -> str:
    parts = []
    if session.starts_at:
        when = render.timestamp(session.starts_at, "t")
        if session.ends_at:
            when += "–" + render.timestamp(session.ends_at, "t")
        parts.append(f"{when} ({render.timestamp(session.starts_at, 'R')})")
    head = f"**{_md(session.reference)}** " if session.reference else ""
    parts.append(head + render.shorten(_md(session.title), 90))
    if session.room:
        parts.append(render.shorten(_md(session.room), 40))
    return " · ".join(parts)


def _added_line(session: DigestSession) -> str:
    label = session.label
    head = f"**{_md(label)}** — " if label else ""
    return "• " + head + render.shorten(_md(session.title), 100)


def _bullets(items: Sequence[str], budget: int) -> tuple[str, bool]:
    """Escaped "• item" lines within `budget` characters; whether anything was cut or left out."""
    lines: list[str] = []
    used = 0
    for item in items:
        line = "• " + _md(item)
        gap = 1 if lines else 0
        room = budget - used - gap
        if len(line) <= room:
            lines.append(line)
            used += gap + len(line)
            continue
        if room >= _MIN_ITEM:
            lines.append(render.shorten(line, room))
        return "\n".join(lines), True
    return "\n".join(lines), False


def _pack_lines(
    lines: Sequence[str], budget: int, more: str, limit: int = render.DESCRIPTION_LIMIT
) -> list[str]:
    """Lines into description chunks (each ≤ `limit`) totalling ≤ `budget` characters;
    lines that do not fit are replaced by `more` (formatted with the count left out)."""
    chunks: list[list[str]] = [[]]
    sizes = [0]
    total = 0
    for index, line in enumerate(lines):
        rest = len(lines) - index - 1
        tail = len(more.format(n=rest)) + 1 if rest else 0
        need = len(line) + (1 if chunks[-1] else 0)
        if total + need + tail > budget:
            note = more.format(n=len(lines) - index)
            if sizes[-1] + len(note) + 1 > limit:
                chunks.append([])
                sizes.append(0)
            chunks[-1].append(note)
            break
        if sizes[-1] + need > limit:
            chunks.append([])
            sizes.append(0)
            need = len(line)
        chunks[-1].append(line)
        sizes[-1] += need
        total += need
    return ["\n".join(chunk) for chunk in chunks if chunk]


def render_digest(plan: DigestPlan, tz: tzinfo | str) -> list[discord.Embed]:
    """The digest as embeds for ONE message: ≤10 embeds, ≤6000 characters, every field
    within its limit. Timestamps are Discord's ``<t:…>`` (shown in each reader's own zone);
    `tz` names the server's zone in the header."""
    footer = f"Day in {zone_name(zone_of(tz))} · " + POINTER.replace("`", "")  # no markdown
    header = discord.Embed(title=_title_of(plan.kind, plan.local_date), colour=COLOUR)
    header.set_footer(text=footer)
    added_embed = _added_embed(plan) if plan.added else None
    if plan.kind == "forum_day":
        embeds = [header, *_forum_day_embeds(plan, header, added_embed)]
    else:
        embeds = [header, *_archive_embeds(plan, header, added_embed)]
    if added_embed is not None:
        embeds.append(added_embed)
    return render.enforce_limits(embeds)


def _reserved(*embeds: discord.Embed | None) -> int:
    return sum(render.embed_size(e) for e in embeds if e is not None)


def _forum_day_embeds(
    plan: DigestPlan, header: discord.Embed, added_embed: discord.Embed | None
) -> list[discord.Embed]:
    """The day's sessions: the header's description, then more embeds as needed."""
    intro = _count_line(plan)
    lines = [intro, *(_day_line(s) for s in plan.sessions)]
    budget = _TOTAL_BUDGET - _reserved(header, added_embed)
    chunks = _pack_lines(lines, budget, "…and {n} more today. " + POINTER)
    header.description = chunks[0] if chunks else intro
    room = render.EMBEDS_PER_MESSAGE - 2  # the header and (maybe) the "new since" embed
    return [discord.Embed(description=chunk, colour=COLOUR) for chunk in chunks[1:][:room]]


def _archive_embeds(
    plan: DigestPlan, header: discord.Embed, added_embed: discord.Embed | None
) -> list[discord.Embed]:
    """One embed per featured session, sharing what the header and "new since" leave."""
    if plan.archive:
        header.description = "Key takeaways and calls to action from past forums" + (
            " — a new round through the archive starts today." if plan.new_cycle else "."
        )
    else:
        header.description = "The archive has no sessions with key takeaways yet."
    picks = plan.archive[: render.EMBEDS_PER_MESSAGE - 2]
    if not picks:
        return []
    share = (_TOTAL_BUDGET - _reserved(header, added_embed)) // len(picks)
    return [_archive_embed(s, share) for s in picks]


def _added_embed(plan: DigestPlan) -> discord.Embed:
    shown = plan.added[:ADDED_SHOWN]
    lines = [_added_line(s) for s in shown]
    left = plan.added_total - len(shown)
    if left > 0:
        lines.append(f"…and {left} more. {POINTER}")
    description = render.shorten("\n".join(lines), 1500)
    title = f"New since the last digest ({plan.added_total})"
    return discord.Embed(title=title, description=description, colour=COLOUR)


def _archive_embed(session: DigestSession, budget: int) -> discord.Embed:
    """One featured session within `budget` characters (title + description + field)."""
    label = session.label
    heading = f"{label}: {session.title}" if label else session.title
    embed = discord.Embed(title=render.shorten(_md(heading), 250), colour=COLOUR)
    url = render.safe_url(session.source_url)
    if url:
        embed.url = url
    meta = []
    if session.starts_at:
        meta.append(render.timestamp(session.starts_at, "D"))
    if session.room:
        meta.append(render.shorten(_md(session.room), 60))
    meta_line = " · ".join(meta)
    pointer = _pointer(session)
    calls_name = "Call to action" if len(session.calls_to_action) == 1 else "Calls to action"
    takeaways_head = "**Key takeaways**\n"
    # what is left for the texts once the fixed parts (and the pointer, always) are counted
    left = budget - len(embed.title or "") - len(meta_line) - len(pointer) - 2
    if session.calls_to_action:
        left -= len(calls_name)
    description_room = render.DESCRIPTION_LIMIT - len(meta_line) - len(pointer) - 2
    parts = [meta_line] if meta_line else []
    cut = False
    if session.key_takeaways:
        share = left * 3 // 5 if session.calls_to_action else left
        room = min(share, description_room) - len(takeaways_head)
        text, cut = _bullets(session.key_takeaways, room)
        if text:
            parts.append(takeaways_head + text)
            left -= len(takeaways_head) + len(text) + 1
    calls_text = ""
    if session.calls_to_action:
        calls_text, calls_cut = _bullets(
            session.calls_to_action, min(left, render.FIELD_VALUE_LIMIT)
        )
        cut = cut or calls_cut
    if cut:
        parts.append(pointer)
    embed.description = "\n".join(parts) or None
    if calls_text:
        embed.add_field(name=calls_name, value=calls_text, inline=False)
    return embed


# --------------------------------------------------------------------------- terminal text


def render_digest_text(plan: DigestPlan, tz: tzinfo | str) -> str:
    """The same digest as plain text for a terminal: times in `tz`, nothing escaped or cut."""
    zone = zone_of(tz)
    out = [_title_of(plan.kind, plan.local_date), f"(times in {zone_name(zone)})", ""]
    if plan.kind == "forum_day":
        out.append(_count_line(plan))
        out += [_day_text(session, zone) for session in plan.sessions]
    elif not plan.archive:
        out.append("The archive has no sessions with key takeaways yet.")
    else:
        out.append("Key takeaways and calls to action from past forums:")
        for session in plan.archive:
            out += _archive_text(session, zone)
    out += _added_text(plan)
    out += ["", POINTER.replace("`", "")]
    return "\n".join(out) + "\n"


def _day_text(session: DigestSession, zone: tzinfo) -> str:
    parts = []
    if session.starts_at:
        when = f"{session.starts_at.astimezone(zone):%H:%M}"
        if session.ends_at:
            when += f"–{session.ends_at.astimezone(zone):%H:%M}"
        parts.append(when)
    head = f"{session.reference}: " if session.reference else ""
    parts.append(head + render.one_line(session.title))
    if session.room:
        parts.append(render.one_line(session.room))
    return "  " + " · ".join(parts)


def _archive_text(session: DigestSession, zone: tzinfo) -> list[str]:
    label = session.label
    out = ["", (f"{label}: " if label else "") + render.one_line(session.title)]
    meta = []
    if session.starts_at:
        meta.append(f"{session.starts_at.astimezone(zone):%d %B %Y}")
    if session.room:
        meta.append(render.one_line(session.room))
    if meta:
        out.append("  " + " · ".join(meta))
    if session.key_takeaways:
        out.append("  Key takeaways:")
        out += [f"  - {render.one_line(t)}" for t in session.key_takeaways]
    if session.calls_to_action:
        out.append("  Calls to action:")
        out += [f"  - {render.one_line(t)}" for t in session.calls_to_action]
    return out


def _added_text(plan: DigestPlan) -> list[str]:
    if not plan.added:
        return []
    out = ["", f"New since the last digest ({plan.added_total}):"]
    for session in plan.added:
        label = session.label
        out.append("  - " + (f"{label}: " if label else "") + render.one_line(session.title))
    if plan.added_total > len(plan.added):
        out.append(f"  …and {plan.added_total - len(plan.added)} more.")
    return out
