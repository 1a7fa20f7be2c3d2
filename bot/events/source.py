"""What an events plan needs, read through the `Catalog` (the only door to data)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import TYPE_CHECKING

from bot.catalog import Filters
from bot.events.ledger import Scope
from bot.events.plan import EventSpec
from bot.events.render import event_description

if TYPE_CHECKING:
    from bot.catalog import Catalog


class EventSource:
    """Reads for one sync of one server."""

    def __init__(self, catalog: Catalog) -> None:
        self.catalog = catalog

    async def wanted(self, scopes: Iterable[Scope], now: datetime) -> list[EventSpec]:
        """The events of the sessions in `scopes` that start after `now` (each once)."""
        found: dict[str, EventSpec] = {}
        for scope in scopes:
            filters = Filters(year=scope.year, session_type=scope.session_type, day=scope.day)
            summaries = await self.catalog.browse(filters, starts_from=now)
            for summary in summaries:
                spec = EventSpec.of(summary)
                if spec is not None and spec.starts_at > now:
                    found.setdefault(spec.key, spec)
        return list(found.values())

    async def current(self, keys: Iterable[str]) -> dict[str, EventSpec | None]:
        """For published sessions outside the wanted set: their event now (None: removed)."""
        result: dict[str, EventSpec | None] = {}
        for key in keys:
            summary = await self.catalog.session_summary(key)
            result[key] = EventSpec.of(summary) if summary else None
        return result

    async def description(self, key: str) -> str:
        """The event description: speakers' names, the page link, the session key."""
        return event_description(key, await self.catalog.session_record(key))
