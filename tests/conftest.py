"""Shared pytest fixtures."""

from __future__ import annotations

from collections.abc import AsyncIterator

import discord.http
import pytest
from discord.gateway import DiscordWebSocket

from bot.discord_api import point_discord_at
from tests.fake_discord import FakeDiscord


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
