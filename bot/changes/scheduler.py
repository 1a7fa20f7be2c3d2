"""Announcing each change batch once per server, in its digest channel.

`ChangeNotifier.tick` runs about once a minute (``cogs/changes.py``). For every server with a
digest channel and notices on (``/digest changes``, on by default) and every batch newer than
the server's last notice row, it:

1. plans the notice (`plan_notice`: sessions not yet ended, by local day); nothing to say:
   the batch is marked 'skipped';
2. **claims** the (server, batch) row 'pending' - BEFORE sending;
3. sends one message through the injected ``send(channel_id, embeds)``;
4. **confirms** it 'sent' with the message id (or 'failed' with the reason).

Never twice: a row in any state means "done" for that batch, across restarts and repeated
reloads; a crash between 2 and 4 leaves 'pending', which is not re-sent. A server seen for the
first time starts after the last batch made before its settings were saved (no backlog); a
server with notices off gets 'skipped' rows, so turning them on does not post old news.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from bot.changes.ledger import ChangeBatch, ChangeLedger, NoticeStatus
from bot.changes.plan import NoticePlan, plan_notice
from bot.changes.render import render_notice
from bot.clock import Clock
from bot.digest.scheduler import DigestDeliveryError, SendDigest
from bot.ledger import Delivery
from bot.models import GuildSettings
from bot.scheduling import Sender

if TYPE_CHECKING:
    from bot.catalog import Catalog

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True, kw_only=True)
class NoticeResult(Delivery[NoticeStatus]):
    """What a tick did with one batch for one server: the delivery its ledger row records."""

    guild_id: int
    batch_id: int


class ChangeNotifier(Sender[SendDigest]):
    """Posts change notices; see the module docstring. Ticks run one at a time."""

    def __init__(self, catalog: Catalog, send: SendDigest, clock: Clock | None = None) -> None:
        super().__init__(catalog, send, clock)
        self.ledger: ChangeLedger = catalog.changes

    async def tick(self) -> list[NoticeResult]:
        """Announce every new batch to every server that should hear of it."""
        async with self._lock:
            now = self.clock.now()
            quiet = await self.catalog.digests.guilds_without_changes()
            results: list[NoticeResult] = []
            for settings in await self.catalog.digests.all_guild_settings():
                if settings.channel_id is None:
                    continue
                try:
                    results += await self._tick_guild(settings, now, settings.guild_id in quiet)
                except Exception:  # one server's trouble never stops the others
                    log.exception("changes: guild %s failed unexpectedly", settings.guild_id)
            return results

    async def _tick_guild(
        self, settings: GuildSettings, now: datetime, quiet: bool
    ) -> list[NoticeResult]:
        seen = await self.ledger.last_notice_batch(settings.guild_id)
        if seen is None:
            seen = await self.ledger.last_batch_before(settings.updated_at or "")
        results = []
        for batch in await self.ledger.batches_after(seen):
            result = await self._announce(settings, batch, now, quiet)
            if result is not None:
                results.append(result)
        return results

    async def _announce(
        self, settings: GuildSettings, batch: ChangeBatch, now: datetime, quiet: bool
    ) -> NoticeResult | None:
        guild_id = settings.guild_id
        try:
            zone = ZoneInfo(settings.timezone)
        except (ZoneInfoNotFoundError, ValueError):
            zone = ZoneInfo("UTC")
        plan = plan_notice(batch.changes, now, zone)
        if quiet or not plan:
            if not await self.ledger.claim_notice(guild_id, batch.id, "skipped"):
                return None
            return NoticeResult("skipped", guild_id=guild_id, batch_id=batch.id)
        if not await self.ledger.claim_notice(guild_id, batch.id):
            return None
        delivery = await self._send(settings, batch.id, plan)
        await self.ledger.mark_notice(guild_id, batch.id, delivery)
        return NoticeResult(*delivery.columns, guild_id=guild_id, batch_id=batch.id)

    async def _send(
        self, settings: GuildSettings, batch_id: int, plan: NoticePlan
    ) -> Delivery[NoticeStatus]:
        """Send a claimed notice: 'sent' with the message id, or 'failed' with the reason."""
        guild_id, channel_id = settings.guild_id, settings.channel_id
        assert channel_id is not None
        try:
            message_id = await self.send(channel_id, [render_notice(plan)])
        except DigestDeliveryError as exc:
            detail = exc.reason
        except Exception as exc:
            # It may or may not have reached Discord: never risk a second copy.
            log.exception("changes: guild %s batch %s: send failed", guild_id, batch_id)
            detail = f"send failed ({type(exc).__name__})"
        else:
            log.info("changes: guild %s batch %s sent as %s", guild_id, batch_id, message_id)
            return Delivery("sent", message_id)
        log.warning("changes: guild %s batch %s not delivered: %s", guild_id, batch_id, detail)
        return Delivery("failed", detail=detail)
