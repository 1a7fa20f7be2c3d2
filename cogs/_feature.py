"""What the cogs of the scheduled features (digest, change notices, events, reminders, sources)
share: the one minute loop that survives anything, and the Manage Server check of their commands."""

from __future__ import annotations

import logging

import discord
from discord import app_commands
from discord.ext import tasks

from bot import answers
from bot.app import IGFBot

log = logging.getLogger(__name__)


class MinuteLoop:
    """A cog mixin (list it before the Cog base): runs `tick` about once a minute once the bot
    is ready; ``ticks`` counts the completed iterations (for tests and diagnostics)."""

    bot: IGFBot
    ticks: int = 0

    async def tick(self) -> object:
        raise NotImplementedError

    async def cog_load(self) -> None:
        self.ticker.start()

    async def cog_unload(self) -> None:
        self.ticker.cancel()

    @tasks.loop(minutes=1)
    async def ticker(self) -> None:
        try:
            await self.tick()
        except Exception:  # the loop must survive anything (e.g. a locked database)
            log.exception("%s tick failed", type(self).__name__)
        finally:
            self.ticks += 1

    @ticker.before_loop
    async def _before_ticker(self) -> None:
        await self.bot.wait_until_ready()  # guild/channel caches; sending needs no gateway


def check_manager(bot: IGFBot, interaction: discord.Interaction, refused: str) -> bool:
    """Members with Manage Server (or Administrator) in a server, and the bot's owners; the
    others get `refused`. Servers can override default permissions, so this is checked.
    In a DM (an owner) the answer says these settings belong to a server."""
    if interaction.guild is None:
        raise app_commands.NoPrivateMessage(answers.SERVER_ONLY)
    permissions = interaction.permissions
    if bot.is_owner_id(interaction.user.id) or (
        interaction.guild_id and (permissions.manage_guild or permissions.administrator)
    ):
        return True
    raise app_commands.CheckFailure(refused)
