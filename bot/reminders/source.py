"""What the reminders feature reads, through the `Catalog` (the only door to data).

A `ReminderSource` lives for one round of work (a scheduler tick, a command): each session is
read once per round, however many reminders name it.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from bot.catalog import Filters
from bot.reminders.plan import ReminderSession
from bot.vocabulary import canonical_type

if TYPE_CHECKING:
    from bot.catalog import Catalog

LOOKBACK = timedelta(days=1)
"""How far back a session may have started and still be in progress (the longest run a day)."""


class ReminderSource:
    """Session reads for reminders, agendas and ``/now``/``/next``, cached for one round."""

    def __init__(self, catalog: Catalog) -> None:
        self.catalog = catalog
        self._sessions: dict[str, ReminderSession | None] = {}

    async def session(self, key: str) -> ReminderSession | None:
        """The session with stable key `key` as it is now (with its page link), or None."""
        if key not in self._sessions:
            record = await self.catalog.session_record(key)
            self._sessions[key] = ReminderSession.of(record) if record else None
        return self._sessions[key]

    async def sessions(self, keys: list[str]) -> list[ReminderSession]:
        found = [await self.session(key) for key in keys]
        return [s for s in found if s is not None]

    async def named(self, query: str) -> ReminderSession | None:
        """The session a command's `session` option names (autocomplete value or text)."""
        lookup = await self.catalog.find_session(query)
        best = lookup.best or (lookup.alternatives[0] if lookup.alternatives else None)
        return await self.session(best.key) if best else None

    async def around(self, now: datetime, minutes: int) -> list[ReminderSession]:
        """Sessions that may be in progress at `now` or start within `minutes` of it."""
        found = await self.catalog.sessions_between(
            now - LOOKBACK, now + timedelta(minutes=minutes)
        )
        return [ReminderSession.of(s) for s in found]

    async def next_after(self, moment: datetime) -> ReminderSession | None:
        found = await self.catalog.next_session_after(moment)
        return ReminderSession.of(found) if found else None

    async def for_query(self, query: str) -> list[ReminderSession]:
        """``python -m bot calendar``: a year or a session type names all of its sessions;
        anything else, the best match of the session lookup."""
        text = query.strip()
        if text.isdigit() and len(text) == 4:
            found = await self.catalog.browse(Filters(year=int(text)))
            if found:
                return [await self._full(s.key) for s in found]
        kind = canonical_type(text)
        if kind:
            found = await self.catalog.browse(Filters(session_type=kind))
            if found:
                return [await self._full(s.key) for s in found]
        named = await self.named(text)
        return [named] if named else []

    async def _full(self, key: str) -> ReminderSession:
        session = await self.session(key)
        assert session is not None
        return session
