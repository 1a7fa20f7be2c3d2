"""Schedule-change notices: the minute loop that posts them (`bot.changes.scheduler`).

No commands: notices go to the digest channel and ``/digest changes on|off`` (cogs/digest.py)
turns them on or off. Sending reuses the digest cog's Discord adapter (`Digest.send_digest`:
404/403 become `DigestDeliveryError`), so both features fail and report alike.
"""

from __future__ import annotations

import logging

import discord
from discord.ext import commands, tasks

from bot.app import IGFBot
from bot.changes.scheduler import ChangeNotifier
from bot.digest.scheduler import DigestDeliveryError

log = logging.getLogger(__name__)


class Changes(commands.Cog):
    def __init__(self, bot: IGFBot) -> None:
        self.bot = bot
        self._notifier: ChangeNotifier | None = None
        self.ticks = 0
        """Loop iterations completed (for tests and diagnostics)."""

    @property
    def notifier(self) -> ChangeNotifier:
        """Created on first use: the catalog opens in the bot's setup_hook."""
        if self._notifier is None:
            self._notifier = ChangeNotifier(self.bot.catalog, self.send, self.bot.clock)
        return self._notifier

    async def send(self, channel_id: int, embeds: list[discord.Embed]) -> int:
        digest = self.bot.get_cog("Digest")
        sender = getattr(digest, "send_digest", None)
        if sender is None:
            raise DigestDeliveryError("the digest is not loaded")
        return await sender(channel_id, embeds)

    async def cog_load(self) -> None:
        self.ticker.start()

    async def cog_unload(self) -> None:
        self.ticker.cancel()

    @tasks.loop(minutes=1)
    async def ticker(self) -> None:
        try:
            await self.notifier.tick()
        except Exception:  # the loop must survive anything (e.g. a locked database)
            log.exception("change notices tick failed")
        finally:
            self.ticks += 1

    @ticker.before_loop
    async def _before_ticker(self) -> None:
        await self.bot.wait_until_ready()


async def setup(bot: IGFBot) -> None:
    await bot.add_cog(Changes(bot))
