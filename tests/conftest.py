"""Shared pytest fixtures. Helpers that test bodies call directly are in tests/helpers.py.

A module tweaks a shared fixture by overriding one of its parameter fixtures: `extra_seeds`
(files added to the seeds copy) or `bot_options` (keywords of `helpers.running_bot`).
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import discord.http
import pytest
from discord.gateway import DiscordWebSocket

from bot.app import IGFBot
from bot.catalog import Catalog
from bot.discord_api import point_discord_at
from tests.fake_discord import MANAGE_GUILD, FakeDiscord, FakeGuild, FakeUser
from tests.helpers import BotOptions, copy_seeds, running_bot


@pytest.fixture
async def fake_discord() -> AsyncIterator[FakeDiscord]:
    """A started FakeDiscord, with discord.py pointed at it for the test (and back after).
    Bots started against it should pass ``guild_ready_timeout=0.1``; see tests/fake_discord."""
    saved = discord.http.Route.BASE, DiscordWebSocket.DEFAULT_GATEWAY
    fake = FakeDiscord()
    await fake.start()
    point_discord_at(fake.base_url)
    try:
        yield fake
    finally:
        await fake.stop()
        discord.http.Route.BASE, DiscordWebSocket.DEFAULT_GATEWAY = saved


@pytest.fixture
def extra_seeds() -> dict[str, str]:
    """Files (name -> text) added to the `seeds` copy; none unless a module overrides this."""
    return {}


@pytest.fixture
def seeds(tmp_path: Path, extra_seeds: dict[str, str]) -> Path:
    """A copy of the bundled seeds/ in tmp_path, which the test may change."""
    return copy_seeds(tmp_path, extra_seeds)


@pytest.fixture
async def catalog(tmp_path: Path, seeds: Path) -> AsyncIterator[Catalog]:
    """The catalogue as bot/__main__.py opens it: the database, then a load of `seeds`, every
    document of which is added."""
    opened = await Catalog.open(tmp_path / "igf.db", seeds)
    try:
        report = await opened.reload()
        assert report.ok and len(report.added) == len(list(seeds.glob("*.txt"))), report.lines()
        yield opened
    finally:
        await opened.close()


@pytest.fixture
def guild(fake_discord: FakeDiscord) -> FakeGuild:
    return fake_discord.add_guild("IGF community", channels=["general", "digest"])


@pytest.fixture
def bot_options() -> BotOptions:
    """Keywords of `running_bot` for the `bot` fixture; none unless a module overrides this."""
    return {}


@pytest.fixture
async def bot(
    fake_discord: FakeDiscord,
    guild: FakeGuild,
    tmp_path: Path,
    seeds: Path,
    bot_options: BotOptions,
) -> AsyncIterator[IGFBot]:
    """The bot, started on the test's database and `seeds`, in `guild`."""
    async with running_bot(fake_discord, tmp_path, seeds, **bot_options) as instance:
        yield instance


# async: a user joining while the bot is connected is dispatched on the running loop
@pytest.fixture
async def admin(fake_discord: FakeDiscord, guild: FakeGuild) -> FakeUser:
    return fake_discord.add_user("admin", permissions=MANAGE_GUILD)


@pytest.fixture
async def member(fake_discord: FakeDiscord, guild: FakeGuild) -> FakeUser:
    return fake_discord.add_user("member")
