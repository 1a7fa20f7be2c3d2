"""What the cogs of the scheduled features (digest, change notices, events, reminders, sources)
share: the one minute loop that survives anything, and the Manage Server check of their commands."""

from __future__ import annotations

import logging
from typing import Generic, Protocol, TypeVar

import discord
from discord import app_commands
from discord.ext import commands, tasks

from bot import answers
from bot.app import IGFBot

log = logging.getLogger(__name__)


class Ticking(Protocol):
    async def tick(self) -> object: ...


S = TypeVar("S", bound=Ticking)


class MinuteLoop(Generic[S]):
    """A cog mixin (list it before the Cog base): runs its scheduler's `tick` about once a
    minute once the bot is ready; ``ticks`` counts the completed iterations (for tests and
    diagnostics). The cog says how to make its scheduler in `make_scheduler`."""

    bot: IGFBot
    ticks: int = 0
    _scheduler: S | None = None

    def make_scheduler(self) -> S:
        raise NotImplementedError

    @property
    def scheduler(self) -> S:
        """Made on first use: the catalog opens in the bot's setup_hook."""
        if self._scheduler is None:
            self._scheduler = self.make_scheduler()
        return self._scheduler

    async def tick(self) -> object:
        return await self.scheduler.tick()

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


@app_commands.default_permissions(manage_guild=True)  # subclasses inherit both
@app_commands.guild_only()
class FeatureGroup(MinuteLoop[S], commands.GroupCog):
    """A feature's slash group (``/digest``, ``/events``, ``/source``) with its minute loop,
    for server managers in servers only; subclasses give ``group_name=`` and
    ``group_description=`` as class arguments."""

    def __init__(self, bot: IGFBot) -> None:
        self.bot = bot
        super().__init__()


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
