"""What a digest plan needs, read through the `Catalog` (the only door to data).

A `DigestSource` lives for one round of work (one scheduler tick, one command). What every
server shares is read once per round and kept: the sessions of a local day (per UTC span, so
per local date and time zone), the archive candidates, and the full records of the picks (for
their page links). Only the per-server parts - the featured keys and what was added since the
server's last digest - are read per server.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, tzinfo
from typing import TYPE_CHECKING

from bot.digest.plan import DigestPlan, DigestSession, select_digest
from bot.digest.render import render_digest_text
from bot.digest.timing import local_day_bounds, zone_of

if TYPE_CHECKING:
    from bot.catalog import Catalog
    from bot.models import SessionSummary


class DigestSource:
    """Reads for digest plans, sharing what servers due together have in common."""

    def __init__(self, catalog: Catalog) -> None:
        self.catalog = catalog
        self._days: dict[tuple[datetime, datetime], list[SessionSummary]] = {}
        self._candidates: list[DigestSession] | None = None
        self._links: dict[str, str | None] = {}

    async def day(self, local_date: date, tz: tzinfo | str) -> list[SessionSummary]:
        """The sessions starting on `local_date` in zone `tz` (read once per UTC span)."""
        bounds = local_day_bounds(local_date, tz)
        if bounds not in self._days:
            self._days[bounds] = await self.catalog.sessions_between(*bounds)
        return self._days[bounds]

    async def candidates(self) -> list[DigestSession]:
        """Every session with key takeaways or calls to action, with those texts (read once)."""
        if self._candidates is None:
            self._candidates = [
                replace(
                    DigestSession.of(summary),
                    key_takeaways=tuple(takeaways),
                    calls_to_action=tuple(calls),
                )
                for summary, takeaways, calls in await self.catalog.sessions_with_outcomes()
            ]
        return self._candidates

    async def link(self, key: str) -> str | None:
        """The page address of a session (from its full record; read once per key)."""
        if key not in self._links:
            record = await self.catalog.session_record(key)
            self._links[key] = record.source_url if record else None
        return self._links[key]

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
        candidates = [] if day else await self.candidates()
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
