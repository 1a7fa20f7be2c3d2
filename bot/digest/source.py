"""What a digest plan needs, read through the `Catalog` (the only door to data).

A `DigestSource` lives for one round of work (one scheduler tick, one command). What every
server shares is read once per round and kept: the sessions of a local day (per UTC span, so
per local date and time zone), the archive candidates in rotation order (sorted once, not per
server), the full records of the picks (for their page links), and the embeds of each distinct
plan. Only the per-server parts - the featured keys and what was added since the server's last
digest - are read per server. Servers of a round are served concurrently: each shared part is
one task that every server awaits, so it is read or computed once however many ask at once.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Hashable, Sequence
from dataclasses import replace
from datetime import date, tzinfo
from typing import TYPE_CHECKING, Any, TypeVar

import discord

from bot.digest.plan import ARCHIVE_PICKS, DigestPlan, DigestSession, select_digest
from bot.digest.render import render_digest, render_digest_text
from bot.digest.timing import local_day_bounds, zone_of

if TYPE_CHECKING:
    from bot.catalog import Catalog
    from bot.models import SessionSummary

T = TypeVar("T")


class DigestSource:
    """Reads for digest plans, sharing what servers due together have in common."""

    def __init__(self, catalog: Catalog) -> None:
        self.catalog = catalog
        self._shared: dict[Hashable, asyncio.Future[Any]] = {}
        self._embeds: dict[tuple[DigestPlan, tzinfo | str], list[discord.Embed]] = {}

    async def _once(self, key: Hashable, read: Callable[[], Awaitable[T]]) -> T:
        """`read()`'s result, computed once per round however many servers ask at once."""
        if key not in self._shared:
            self._shared[key] = asyncio.ensure_future(read())
        return await asyncio.shield(self._shared[key])  # type: ignore[no-any-return]

    async def day(self, local_date: date, tz: tzinfo | str) -> list[SessionSummary]:
        """The sessions starting on `local_date` in zone `tz` (read once per UTC span)."""
        bounds = local_day_bounds(local_date, tz)
        return await self._once(("day", bounds), lambda: self.catalog.sessions_between(*bounds))

    async def candidates(self) -> list[DigestSession]:
        """Every session with key takeaways or calls to action, with those texts (read once)."""
        return await self._once("candidates", self._read_candidates)

    async def _read_candidates(self) -> list[DigestSession]:
        return [
            replace(
                DigestSession.of(summary),
                key_takeaways=tuple(takeaways),
                calls_to_action=tuple(calls),
            )
            for summary, takeaways, calls in await self.catalog.sessions_with_outcomes()
        ]

    async def archive_order(self) -> list[DigestSession]:
        """The candidates in the order the archive rotation features them (sorted once)."""
        return await self._once("order", self._order_archive)

    async def _order_archive(self) -> list[DigestSession]:
        everything = await self.candidates()
        # The plan's own rule decides the order: every candidate picked, in rotation order.
        return list(select_digest(date.min, [], everything, (), (), picks=len(everything)).archive)

    async def link(self, key: str) -> str | None:
        """The page address of a session (from its full record; read once per key)."""
        return await self._once(("link", key), lambda: self._read_link(key))

    async def _read_link(self, key: str) -> str | None:
        record = await self.catalog.session_record(key)
        return record.source_url if record else None

    def rendered(self, plan: DigestPlan, tz: tzinfo | str) -> list[discord.Embed]:
        """The embeds of `plan` (made once per distinct plan; senders only read them)."""
        if (plan, tz) not in self._embeds:
            self._embeds[plan, tz] = render_digest(plan, tz)
        return self._embeds[plan, tz]

    async def plan(self, guild_id: int | None, local_date: date, tz: tzinfo | str) -> DigestPlan:
        """The plan for `guild_id`'s digest of `local_date` (a calendar day in `tz`).

        With ``guild_id=None`` (the terminal) nothing counts as featured and nothing as new.
        Reads only; the caller marks the featured keys once the digest has been sent.
        """
        day = await self.day(local_date, tz)
        featured: set[str] = set()
        added: list[SessionSummary] = []
        if guild_id is not None:
            featured, added = await self._seen_and_new(guild_id)
        candidates = [] if day else _next_picks(await self.archive_order(), featured)
        plan = select_digest(local_date, day, candidates, featured, added, added_total=len(added))
        if not plan.archive:
            return plan
        linked = [
            replace(pick, source_url=await self.link(pick.key) or pick.source_url)
            for pick in plan.archive
        ]
        return replace(plan, archive=tuple(linked))

    async def _seen_and_new(self, guild_id: int) -> tuple[set[str], list[SessionSummary]]:
        """The server's featured keys, and the sessions added since its last sent digest."""
        ledger = self.catalog.digests
        featured = await ledger.featured_keys(guild_id)
        since = await ledger.last_sent_digest_at(guild_id)
        added = await self.catalog.sessions_added_since(since) if since is not None else []
        return featured, added


def _next_picks(
    ordered: Sequence[DigestSession], featured: set[str], picks: int = ARCHIVE_PICKS
) -> list[DigestSession]:
    """What `select_digest` needs of the rotation for one server: its next unseen picks, or,
    when it has seen every one, the first picks (so the plan starts a new cycle)."""
    fresh: list[DigestSession] = []
    for session in ordered:
        if session.key not in featured:
            fresh.append(session)
            if len(fresh) == picks:
                break
    return fresh or list(ordered[:picks])


async def build_digest(
    catalog: Catalog, guild_id: int | None, local_date: date, tz: tzinfo | str
) -> DigestPlan:
    """One plan on its own (a command's): `DigestSource.plan` with nothing shared."""
    return await DigestSource(catalog).plan(guild_id, local_date, tz)


async def digest_text_for(catalog: Catalog, local_date: date, tz_name: str) -> str:
    """`python -m bot digest`: the digest of `local_date` in zone `tz_name`, as text.

    Raises `DigestError` for an unknown zone."""
    zone = zone_of(tz_name)
    return render_digest_text(await build_digest(catalog, None, local_date, zone), zone)
