"""The daily forum digest: what goes in it, and how it looks.

Three layers, each usable on its own:

* `select_digest` - pure: from the sessions of a local day, the archive, what a server has
  already seen and what is new, decide the `DigestPlan`. On a forum day it lists that day's
  sessions; on other days it features sessions "from the archive" (those with key takeaways or
  calls to action), rotating through the whole archive before any session repeats.
* `render_digest` / `render_digest_text` - pure: the plan as Discord embeds (always within
  Discord's limits) or as plain text for a terminal.
* `build_digest` / `digest_text_for` - read what the plan needs from the `Store`.

Text from documents is escaped for markdown and never turned into a mention; the sender also
disables mentions (``allowed_mentions``), and this module never sets them.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from typing import TYPE_CHECKING, Any, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import discord
from discord.utils import escape_markdown

from bot import render
from bot.models import Session

if TYPE_CHECKING:
    from bot.models import SessionSummary
    from bot.store import Store

# --------------------------------------------------------------------------- Discord limits

# Discord's limits, defined once in bot/render.py.
EMBED_TITLE_MAX = render.TITLE_LIMIT
EMBED_DESCRIPTION_MAX = render.DESCRIPTION_LIMIT
EMBED_FIELDS_MAX = render.FIELD_COUNT_LIMIT
EMBED_FIELD_NAME_MAX = render.FIELD_NAME_LIMIT
EMBED_FIELD_VALUE_MAX = render.FIELD_VALUE_LIMIT
EMBED_FOOTER_MAX = render.FOOTER_LIMIT
EMBED_TOTAL_MAX = render.EMBED_TOTAL_LIMIT
EMBEDS_PER_MESSAGE_MAX = render.EMBEDS_PER_MESSAGE
CONTENT_MAX = render.CONTENT_LIMIT

# --------------------------------------------------------------------------- tuning

ARCHIVE_PICKS = 3
"""Sessions featured "from the archive" in one digest."""
ADDED_KEPT = 25
"""New sessions a plan carries (the count of all of them is kept too)."""
ADDED_SHOWN = 10
"""New sessions listed in the Discord digest."""
COLOUR = render.COLOUR.value
POINTER = "Use `/session <reference>` for the full record."

_TOTAL_BUDGET = EMBED_TOTAL_MAX - 100  # a margin: Discord may count a few characters more
_MIN_ITEM = 40  # below this, an item is left out rather than cut to a stub

DigestKind = Literal["forum_day", "archive"]


class DigestError(ValueError):
    """A digest cannot be built for these arguments (e.g. an unknown time zone)."""


# --------------------------------------------------------------------------- plan


@dataclass(frozen=True, slots=True)
class DigestSession:
    """What a digest needs to know about one session."""

    key: str
    title: str
    reference: str | None = None
    year: int | None = None
    event: str | None = None
    starts_at: datetime | None = None
    ends_at: datetime | None = None
    room: str | None = None
    key_takeaways: tuple[str, ...] = ()
    calls_to_action: tuple[str, ...] = ()
    source_url: str | None = None

    @classmethod
    def of(cls, item: DigestSession | Session | SessionSummary, key: str | None = None):
        """From a `Session` (its takeaways too), a `SessionSummary` (no texts) or itself."""
        if isinstance(item, DigestSession):
            return item if key is None else replace(item, key=key)
        return cls(
            key=key or item.key,
            title=item.title,
            reference=item.reference,
            year=item.year,
            event=item.event,
            starts_at=_aware(item.starts_at),
            ends_at=_aware(item.ends_at),
            room=item.room,
            key_takeaways=tuple(getattr(item, "key_takeaways", ()) or ()),
            calls_to_action=tuple(getattr(item, "calls_to_action", ()) or ()),
            source_url=getattr(item, "source_url", None),
        )

    @property
    def has_outcomes(self) -> bool:
        return bool(self.key_takeaways or self.calls_to_action)

    @property
    def lookup(self) -> str:
        """What to type after `/session` to find this record ("IGF 2021 Open Forum #5")."""
        if self.reference:
            return f"IGF {self.year} {self.reference}" if self.year else self.reference
        return _cut(_one_line(self.title).replace("`", "'"), 80)[0]

    @property
    def label(self) -> str:
        """ "IGF 2021 · Open Forum #5" or the event, for headings."""
        parts = [self.event or (f"IGF {self.year}" if self.year else None), self.reference]
        return " · ".join(p for p in parts if p)


@dataclass(frozen=True, slots=True)
class DigestPlan:
    """What one digest says. ``featured`` keys are to be marked once it has been sent;
    when ``new_cycle`` is set the caller resets the server's featured keys first."""

    local_date: date
    kind: DigestKind
    sessions: tuple[DigestSession, ...] = ()
    archive: tuple[DigestSession, ...] = ()
    added: tuple[DigestSession, ...] = ()
    added_total: int = 0
    new_cycle: bool = False

    @property
    def featured(self) -> tuple[str, ...]:
        return tuple(s.key for s in self.archive)

    @property
    def is_empty(self) -> bool:
        return not (self.sessions or self.archive or self.added)


def _archive_order(session: DigestSession) -> tuple[Any, ...]:
    """Oldest first; undated sessions last; the key breaks ties (deterministic)."""
    starts = session.starts_at
    return (
        starts is None,
        starts or datetime.min.replace(tzinfo=UTC),
        session.year or 0,
        session.key,
    )


def _start_order(session: DigestSession) -> tuple[Any, ...]:
    starts = session.starts_at
    return (starts is None, starts or datetime.min.replace(tzinfo=UTC), session.key)


def _unique(items: Iterable[DigestSession | Session | SessionSummary]) -> list[DigestSession]:
    seen: dict[str, DigestSession] = {}
    for item in items:
        entry = DigestSession.of(item)
        seen.setdefault(entry.key, entry)
    return list(seen.values())


def select_digest(
    local_date: date,
    sessions_that_day: Iterable[DigestSession | Session | SessionSummary],
    archive_candidates: Iterable[DigestSession | Session | SessionSummary],
    featured_keys: Iterable[str],
    added_since_last: Iterable[DigestSession | Session | SessionSummary],
    *,
    picks: int = ARCHIVE_PICKS,
    added_total: int | None = None,
) -> DigestPlan:
    """Decide a digest.

    A day with sessions is a forum day: its sessions in start order, no archive picks.
    Otherwise up to `picks` archive sessions with key takeaways or calls to action that this
    server has not seen yet, oldest first. When every candidate has been featured, a new cycle
    starts from the oldest (``new_cycle``; the caller resets the featured keys) - so the whole
    archive is covered before anything repeats. A cycle's last digest may hold fewer picks.
    """
    day = sorted(_unique(sessions_that_day), key=_start_order)
    added = sorted(_unique(added_since_last), key=_start_order)
    total = len(added) if added_total is None else max(added_total, len(added))
    added = added[:ADDED_KEPT]
    if day:
        return DigestPlan(local_date, "forum_day", tuple(day), (), tuple(added), total)
    candidates = sorted(
        (c for c in _unique(archive_candidates) if c.has_outcomes), key=_archive_order
    )
    seen = set(featured_keys)
    fresh = [c for c in candidates if c.key not in seen]
    new_cycle = not fresh and bool(candidates)
    chosen = (fresh or candidates)[: max(0, picks)]
    return DigestPlan(local_date, "archive", (), tuple(chosen), tuple(added), total, new_cycle)


# --------------------------------------------------------------------------- text helpers

_WS = re.compile(r"\s+")


def _one_line(text: str) -> str:
    return _WS.sub(" ", text).strip()


def _cut(text: str, limit: int) -> tuple[str, bool]:
    """`text` within `limit` characters, cut at a word with "…"; and whether it was cut."""
    if len(text) <= limit:
        return text, False
    if limit <= 1:
        return "…"[:limit], True
    room = limit - 1
    cut = text.rfind(" ", 0, room + 1)
    if cut < room // 2:
        cut = room
    # never leave a dangling escape backslash or half of a surrogate pair
    return text[:cut].rstrip().rstrip("\\") + "…", True


def _md(text: str) -> str:
    """Document text made safe for Discord markdown (one line; links left working)."""
    return escape_markdown(_one_line(text))


def _aware(moment: datetime | None) -> datetime | None:
    if moment is None:
        return None
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment


def _unix(moment: datetime) -> int:
    return int(moment.timestamp())


def _long_date(day: date) -> str:
    return f"{day:%A} {day.day} {day:%B %Y}"


def _zone_name(tz: tzinfo) -> str:
    return getattr(tz, "key", None) or str(tz)


def _safe_url(url: str | None) -> str | None:
    if url and len(url) <= 1000 and re.fullmatch(r"https?://[^\s<>\"]+", url):
        return url
    return None


def _pointer(session: DigestSession) -> str:
    return f"Use `/session {session.lookup}` for the full record."


# --------------------------------------------------------------------------- Discord embeds


def _title_of(kind: DigestKind, local_date: date) -> str:
    prefix = "Today at the forum" if kind == "forum_day" else "From the archive"
    return f"{prefix} · {_long_date(local_date)}"


def _day_line(session: DigestSession) -> str:
    parts = []
    if session.starts_at:
        start = _unix(session.starts_at)
        when = f"<t:{start}:t>"
        if session.ends_at:
            when += f"–<t:{_unix(session.ends_at)}:t>"
        parts.append(f"{when} (<t:{start}:R>)")
    head = f"**{_md(session.reference)}** " if session.reference else ""
    parts.append(head + _cut(_md(session.title), 90)[0])
    if session.room:
        parts.append(_cut(_md(session.room), 40)[0])
    return " · ".join(parts)


def _added_line(session: DigestSession) -> str:
    label = session.label
    head = f"**{_md(label)}** — " if label else ""
    return "• " + head + _cut(_md(session.title), 100)[0]


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
            lines.append(_cut(line, room)[0])
        return "\n".join(lines), True
    return "\n".join(lines), False


def _embed_length(embed: discord.Embed) -> int:
    total = len(embed.title or "") + len(embed.description or "")
    total += sum(len(f.name or "") + len(f.value or "") for f in embed.fields)
    total += len(embed.footer.text or "") if embed.footer else 0
    total += len(embed.author.name or "") if embed.author else 0
    return total


def _pack_lines(
    lines: Sequence[str], budget: int, more: str, limit: int = EMBED_DESCRIPTION_MAX
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
    zone = _zone(tz)
    footer = f"Day in {_zone_name(zone)} · " + POINTER.replace("`", "")  # no markdown in footers
    header = discord.Embed(title=_title_of(plan.kind, plan.local_date), colour=COLOUR)
    header.set_footer(text=footer)
    embeds = [header]

    added_embed = _added_embed(plan) if plan.added else None
    reserved = _embed_length(header) + (_embed_length(added_embed) if added_embed else 0)

    if plan.kind == "forum_day":
        count = len(plan.sessions)
        intro = f"{count} session{'s' if count != 1 else ''} on the programme today:"
        lines = [intro, *(_day_line(s) for s in plan.sessions)]
        budget = _TOTAL_BUDGET - reserved
        more = "…and {n} more today. " + POINTER
        chunks = _pack_lines(lines, budget, more)
        header.description = chunks[0] if chunks else intro
        for chunk in chunks[1:]:
            if len(embeds) >= EMBEDS_PER_MESSAGE_MAX - 1:
                break
            embeds.append(discord.Embed(description=chunk, colour=COLOUR))
    else:
        if plan.archive:
            header.description = "Key takeaways and calls to action from past forums" + (
                " — a new round through the archive starts today." if plan.new_cycle else "."
            )
        else:
            header.description = "The archive has no sessions with key takeaways yet."
        reserved = _embed_length(header) + (_embed_length(added_embed) if added_embed else 0)
        picks = plan.archive[: EMBEDS_PER_MESSAGE_MAX - 2]
        if picks:
            share = (_TOTAL_BUDGET - reserved) // len(picks)
            embeds += [_archive_embed(s, share) for s in picks]

    if added_embed is not None:
        embeds.append(added_embed)
    return enforce_limits(embeds)


def _added_embed(plan: DigestPlan) -> discord.Embed:
    shown = plan.added[:ADDED_SHOWN]
    lines = [_added_line(s) for s in shown]
    left = plan.added_total - len(shown)
    if left > 0:
        lines.append(f"…and {left} more. {POINTER}")
    description, _ = _cut("\n".join(lines), 1500)
    title = f"New since the last digest ({plan.added_total})"
    return discord.Embed(title=title, description=description, colour=COLOUR)


def _archive_embed(session: DigestSession, budget: int) -> discord.Embed:
    """One featured session within `budget` characters (title + description + field)."""
    label = session.label
    heading = f"{label}: {session.title}" if label else session.title
    embed = discord.Embed(title=_cut(_md(heading), 250)[0], colour=COLOUR)
    url = _safe_url(session.source_url)
    if url:
        embed.url = url
    meta = []
    if session.starts_at:
        meta.append(f"<t:{_unix(session.starts_at)}:D>")
    if session.room:
        meta.append(_cut(_md(session.room), 60)[0])
    meta_line = " · ".join(meta)
    pointer = _pointer(session)
    calls_name = "Call to action" if len(session.calls_to_action) == 1 else "Calls to action"
    takeaways_head = "**Key takeaways**\n"
    # what is left for the texts once the fixed parts (and the pointer, always) are counted
    left = budget - len(embed.title or "") - len(meta_line) - len(pointer) - 2
    if session.calls_to_action:
        left -= len(calls_name)
    description_room = EMBED_DESCRIPTION_MAX - len(meta_line) - len(pointer) - 2
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
        calls_text, calls_cut = _bullets(session.calls_to_action, min(left, EMBED_FIELD_VALUE_MAX))
        cut = cut or calls_cut
    if cut:
        parts.append(pointer)
    embed.description = "\n".join(parts) or None
    if calls_text:
        embed.add_field(name=calls_name, value=calls_text, inline=False)
    return embed


def enforce_limits(embeds: list[discord.Embed]) -> list[discord.Embed]:
    """Last line of defence: every embed and the message within Discord's limits (cuts the
    longest text until the total fits). The renderers already stay inside; this makes sure."""
    embeds = embeds[:EMBEDS_PER_MESSAGE_MAX]
    for embed in embeds:
        if embed.title:
            embed.title = _cut(embed.title, EMBED_TITLE_MAX)[0]
        if embed.description:
            embed.description = _cut(embed.description, EMBED_DESCRIPTION_MAX)[0]
        if len(embed.fields) > EMBED_FIELDS_MAX:
            for _ in range(len(embed.fields) - EMBED_FIELDS_MAX):
                embed.remove_field(EMBED_FIELDS_MAX)
        for index, field in enumerate(list(embed.fields)):
            embed.set_field_at(
                index,
                name=_cut(field.name or "\u200b", EMBED_FIELD_NAME_MAX)[0],
                value=_cut(field.value or "\u200b", EMBED_FIELD_VALUE_MAX)[0],
                inline=bool(field.inline),
            )
        if embed.footer and embed.footer.text:
            embed.set_footer(text=_cut(embed.footer.text, EMBED_FOOTER_MAX)[0])
    while sum(_embed_length(e) for e in embeds) > EMBED_TOTAL_MAX:
        excess = sum(_embed_length(e) for e in embeds) - EMBED_TOTAL_MAX
        longest = max(embeds, key=lambda e: len(e.description or ""))
        text = longest.description or ""
        if len(text) <= 1:
            embeds.pop()  # nothing left to shorten: drop the last embed
            continue
        longest.description = _cut(text, max(1, len(text) - excess))[0]
    return embeds


# --------------------------------------------------------------------------- terminal text


def render_digest_text(plan: DigestPlan, tz: tzinfo | str) -> str:
    """The same digest as plain text for a terminal: times in `tz`, nothing escaped or cut."""
    zone = _zone(tz)
    out = [_title_of(plan.kind, plan.local_date), f"(times in {_zone_name(zone)})", ""]
    if plan.kind == "forum_day":
        count = len(plan.sessions)
        out.append(f"{count} session{'s' if count != 1 else ''} on the programme today:")
        for session in plan.sessions:
            parts = []
            if session.starts_at:
                when = f"{session.starts_at.astimezone(zone):%H:%M}"
                if session.ends_at:
                    when += f"–{session.ends_at.astimezone(zone):%H:%M}"
                parts.append(when)
            head = f"{session.reference}: " if session.reference else ""
            parts.append(head + _one_line(session.title))
            if session.room:
                parts.append(_one_line(session.room))
            out.append("  " + " · ".join(parts))
    elif not plan.archive:
        out.append("The archive has no sessions with key takeaways yet.")
    else:
        out.append("Key takeaways and calls to action from past forums:")
        for session in plan.archive:
            label = session.label
            out += ["", (f"{label}: " if label else "") + _one_line(session.title)]
            meta = []
            if session.starts_at:
                meta.append(f"{session.starts_at.astimezone(zone):%d %B %Y}")
            if session.room:
                meta.append(_one_line(session.room))
            if meta:
                out.append("  " + " · ".join(meta))
            if session.key_takeaways:
                out.append("  Key takeaways:")
                out += [f"  - {_one_line(t)}" for t in session.key_takeaways]
            if session.calls_to_action:
                out.append("  Calls to action:")
                out += [f"  - {_one_line(t)}" for t in session.calls_to_action]
    if plan.added:
        out += ["", f"New since the last digest ({plan.added_total}):"]
        for session in plan.added:
            label = session.label
            out.append("  - " + (f"{label}: " if label else "") + _one_line(session.title))
        if plan.added_total > len(plan.added):
            out.append(f"  …and {plan.added_total - len(plan.added)} more.")
    out += ["", POINTER.replace("`", "")]
    return "\n".join(out) + "\n"


# --------------------------------------------------------------------------- store access


def _zone(tz: tzinfo | str) -> tzinfo:
    if isinstance(tz, str):
        try:
            return ZoneInfo(tz)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise DigestError(f"unknown time zone {tz!r}") from exc
    return tz


def local_day_bounds(local_date: date, tz: tzinfo | str) -> tuple[datetime, datetime]:
    """[start, end) of a local calendar day, in UTC (23 or 25 hours long on DST days)."""
    zone = _zone(tz)
    start = datetime.combine(local_date, time(0), tzinfo=zone).astimezone(UTC)
    end = datetime.combine(local_date + timedelta(days=1), time(0), tzinfo=zone).astimezone(UTC)
    return start, end


_SESSIONS_WITH_OUTCOMES = 1_000_000  # "no limit" for Store.latest_sessions_with


async def archive_candidates(store: Store) -> list[DigestSession]:
    """Every session with key takeaways or calls to action, with those texts."""
    takeaways = await store.latest_sessions_with("takeaways", _SESSIONS_WITH_OUTCOMES)
    calls = await store.latest_sessions_with("calls_to_action", _SESSIONS_WITH_OUTCOMES)
    entries: dict[str, DigestSession] = {}
    for summary, texts in takeaways:
        entries[summary.key] = replace(DigestSession.of(summary), key_takeaways=tuple(texts))
    for summary, texts in calls:
        entry = entries.get(summary.key) or DigestSession.of(summary)
        entries[summary.key] = replace(entry, calls_to_action=tuple(texts))
    return list(entries.values())


async def build_digest(
    store: Store, guild_id: int | None, local_date: date, tz: tzinfo | str
) -> DigestPlan:
    """The plan for `guild_id`'s digest of `local_date` (a calendar day in `tz`).

    With ``guild_id=None`` (the terminal) nothing counts as featured and nothing as new.
    Reads only; the caller marks the featured keys once the digest has been sent.
    """
    zone = _zone(tz)
    start, end = local_day_bounds(local_date, zone)
    day = await store.sessions_filtered(starts_from=start, starts_before=end)
    featured: set[str] = set()
    added: list[SessionSummary] = []
    added_total = 0
    if guild_id is not None:
        featured = await store.featured_keys(guild_id)
        since = await store.last_sent_digest_at(guild_id)
        if since is not None:
            added = await store.sessions_added_since(since)
            added_total = len(added)
    candidates = [] if day else await archive_candidates(store)
    plan = select_digest(local_date, day, candidates, featured, added, added_total=added_total)
    if plan.archive:  # the full record has the page address for the embed's link
        enriched = []
        for pick in plan.archive:
            summary = await store.session_by_key(pick.key)
            full = await store.session(summary.id) if summary else None
            url = full.source_url if full else None
            enriched.append(replace(pick, source_url=url) if url else pick)
        plan = replace(plan, archive=tuple(enriched))
    return plan


async def digest_text_for(store: Store, local_date: date, tz_name: str) -> str:
    """`python -m bot digest`: the digest of `local_date` in zone `tz_name`, as text.

    Raises `DigestError` for an unknown zone."""
    zone = _zone(tz_name)
    plan = await build_digest(store, None, local_date, zone)
    return render_digest_text(plan, zone)
