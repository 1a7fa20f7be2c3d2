"""Schedule-change notices: the minute loop (`cogs._feature.MinuteLoop`) that posts them.

No commands: notices go to the digest channel and ``/digest changes on|off`` (cogs/digest.py)
turns them on or off. Sending reuses the digest cog's Discord adapter (`Digest.send_digest`:
404/403 become `DigestDeliveryError`), so both features fail and report alike.
"""

from __future__ import annotations

import discord
from discord.ext import commands

from bot.app import IGFBot
from bot.changes.scheduler import ChangeNotifier
from bot.digest.scheduler import DigestDeliveryError
from cogs._feature import MinuteLoop


class Changes(MinuteLoop[ChangeNotifier], commands.Cog):
    def __init__(self, bot: IGFBot) -> None:
        self.bot = bot

    def make_scheduler(self) -> ChangeNotifier:
        return ChangeNotifier(self.bot.catalog, self.send, self.bot.clock)

    async def send(self, channel_id: int, embeds: list[discord.Embed]) -> int:
        digest = self.bot.get_cog("Digest")
        sender = getattr(digest, "send_digest", None)
        if sender is None:
            raise DigestDeliveryError("the digest is not loaded")
        return await sender(channel_id, embeds)


async def setup(bot: IGFBot) -> None:
    await bot.add_cog(Changes(bot))
