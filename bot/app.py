"""The Discord client: loads data before connecting, loads every cog, syncs commands once.

Cogs live in `cogs/` and stay thin; everything they answer comes from `bot.answers`.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import logging
import pkgutil
import signal
import traceback

import aiohttp
import discord
from discord import app_commands
from discord.ext import commands

import cogs
from bot.catalog import Catalog
from bot.clock import Clock, SystemClock
from bot.config import Config
from bot.discord_api import point_discord_at
from bot.doctor import start_line
from bot.preflight import StartupError, check_seeds

log = logging.getLogger(__name__)

ERROR_MESSAGE = "Something went wrong while answering. It has been logged; please try again."


def cog_modules() -> list[str]:
    """Every module in `cogs/` except private helpers (`_views.py`)."""
    return sorted(
        f"cogs.{m.name}" for m in pkgutil.iter_modules(cogs.__path__) if not m.name.startswith("_")
    )


class IGFBot(commands.AutoShardedBot):
    def __init__(
        self,
        config: Config,
        *,
        catalog: Catalog | None = None,
        clock: Clock | None = None,
        **options: object,
    ) -> None:
        intents = discord.Intents.none()
        intents.guilds = True  # channel names for /digest; no privileged intents
        super().__init__(
            command_prefix=commands.when_mentioned,
            intents=intents,
            help_command=None,
            allowed_mentions=discord.AllowedMentions.none(),
            shard_count=config.shard_count,
            shard_ids=list(config.shard_ids) if config.shard_ids else None,
            **options,  # type: ignore[arg-type]
        )
        self.config = config
        self._catalog = catalog
        self.clock: Clock = clock or SystemClock()
        self.synced_scopes: list[str] = []

    @property
    def catalog(self) -> Catalog:
        if self._catalog is None:
            raise RuntimeError("the catalog is opened in setup_hook")
        return self._catalog

    def is_owner_id(self, user_id: int) -> bool:
        return user_id in self.config.owner_ids

    async def setup_hook(self) -> None:
        config = self.config
        documents = check_seeds(config.seeds_dir)
        if self._catalog is None:
            Catalog.check(config.database)
            self._catalog = await Catalog.open(config.database, config.seeds_dir)
        report = await self.catalog.reload()
        if report.refused is not None:
            log.warning("seeds not loaded: %s", report.lines()[0])
        for rejected in report.rejected:
            log.warning("seed %s", rejected.line())
        log.info("%s", start_line(config, (await self.catalog.counts()).sessions, documents))
        for module in cog_modules():
            await self.load_extension(module)
        self.tree.on_error = self.on_app_command_error
        await self.sync_commands()

    async def sync_commands(self) -> None:
        """Sync to DEV_GUILD_ID (instant) or globally, only when the command set changed.

        Discord allows 200 command creates a day per guild: a restart must not spend them.
        """
        guild = discord.Object(self.config.dev_guild_id) if self.config.dev_guild_id else None
        if guild is not None:
            self.tree.copy_global_to(guild=guild)
        scope = f"guild:{guild.id}" if guild else "global"
        payload = [c.to_dict(self.tree) for c in self.tree.get_commands(guild=guild)]
        digest = hashlib.sha256(json.dumps(payload, sort_keys=True).encode()).hexdigest()
        meta_key = f"commands_hash:{scope}"
        if await self.catalog.meta(meta_key) == digest:
            log.info("commands unchanged (%s); not syncing", scope)
            return
        await self.tree.sync(guild=guild)
        await self.catalog.set_meta(meta_key, digest)
        self.synced_scopes.append(scope)
        log.info("synced %d commands (%s)", len(payload), scope)

    async def on_app_command_error(
        self, interaction: discord.Interaction, error: app_commands.AppCommandError
    ) -> None:
        if isinstance(error, app_commands.CheckFailure):
            message = str(error) or "You are not allowed to use this command."
        else:
            original = getattr(error, "original", error)
            log.error(
                "command %s failed:\n%s",
                interaction.command.qualified_name if interaction.command else "?",
                "".join(traceback.format_exception(original)),
            )
            message = ERROR_MESSAGE
        await send_error(interaction, message)

    async def close(self) -> None:
        await super().close()
        if self._catalog is not None:
            await self._catalog.close()


async def send_error(interaction: discord.Interaction, message: str) -> None:
    """A short ephemeral answer, whether or not the interaction was already answered."""
    try:
        if interaction.response.is_done():
            await interaction.followup.send(message, ephemeral=True)
        else:
            await interaction.response.send_message(message, ephemeral=True)
    except discord.HTTPException:
        log.exception("could not report an error to the user")


def run_bot(config: Config) -> int:
    point_discord_at(config.api_base)
    bot = IGFBot(config)

    async def runner() -> None:
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGTERM, signal.SIGINT):
            loop.add_signal_handler(sig, lambda: asyncio.create_task(bot.close()))
        try:
            async with bot:
                await bot.start(config.token or "")
        finally:
            # `async with` waits for discord.py's part of close() only; the signal handler's
            # close() may still be closing the database, and the loop ends right after this.
            await bot.close()

    try:
        asyncio.run(runner())
    except discord.LoginFailure:
        log.error("Discord rejected the token (DISCORD_TOKEN). Check it in the developer portal.")
        return 1
    except StartupError as exc:
        log.error("%s", exc)
        return 1
    except (aiohttp.ClientConnectionError, OSError) as exc:
        # Connection refused, DNS failure, TLS: one line naming the host, not a traceback.
        log.error("cannot reach Discord at %s: %s", config.api_base, exc)
        return 1
    return 0
