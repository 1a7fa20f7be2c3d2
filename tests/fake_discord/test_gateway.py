"""The fake's login, command sync and gateway: what discord.py does at start-up, on a
restart and after a dropped connection."""

from __future__ import annotations

import discord
import pytest

from bot.discord_api import DEFAULT_API_BASE, point_discord_at
from tests.fake_discord import ADMINISTRATOR, CHANNEL_MESSAGE, FakeDiscord, FakeGuild
from tests.fake_discord.harness import CALLBACK, HarnessBot


async def test_point_discord_at_sets_rest_and_gateway() -> None:
    saved = discord.http.Route.BASE, discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY
    try:
        point_discord_at("http://127.0.0.1:8123/")
        assert discord.http.Route.BASE == "http://127.0.0.1:8123/api/v10"
        assert str(discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY) == "ws://127.0.0.1:8123/"
        point_discord_at(DEFAULT_API_BASE)
        assert discord.http.Route.BASE == "https://discord.com/api/v10"
        assert str(discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY) == "wss://gateway.discord.gg/"
        with pytest.raises(ValueError):
            point_discord_at("discord.com")
    finally:
        discord.http.Route.BASE, discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = saved


async def test_login_sync_and_slash_reply_with_embed(
    fake_discord: FakeDiscord, guild: FakeGuild
) -> None:
    alice = fake_discord.add_user("alice", permissions=ADMINISTRATOR)
    async with fake_discord.run(HarnessBot(guild)):
        res = await fake_discord.slash("session", {"query": "Open Forum #5"}, user=alice)

    assert res.response_type == CHANNEL_MESSAGE
    assert res.embed["title"] == "Session: Open Forum #5"
    assert not res.ephemeral
    assert res.allowed_mentions == {"parse": []}  # from the bot's AllowedMentions.none()
    assert [c["custom_id"] for c in res.iter_components() if "custom_id" in c] == ["next", "pick"]
    assert res.latency is not None and res.latency < 1
    # The login sequence, the sync, and the gateway as discord.py 2.7.1 does them.
    app = fake_discord.application_id
    assert [(r.method, r.path) for r in fake_discord.requests[:5]] == [
        ("GET", "/users/@me"),
        ("GET", "/oauth2/applications/@me"),
        ("PUT", f"/applications/{app}/commands"),
        ("PUT", f"/applications/{app}/guilds/{guild.id}/commands"),
        ("GET", "/gateway/bot"),
    ]
    # zstd-stream when the zstandard package is installed, else zlib-stream.
    assert fake_discord.gateway.compression[0] in ("zlib-stream", "zstd-stream")
    assert {c["name"] for c in fake_discord.commands(guild)} >= {"session", "digest", "slow"}
    assert res.record.payload["data"]["id"] == next(
        c["id"] for c in fake_discord.commands(guild) if c["name"] == "session"
    )
    assert fake_discord.requests_to("POST", CALLBACK)[0].headers.get("Authorization") is None
    fake_discord.assert_no_errors()


async def test_restart_does_not_recreate_commands(
    fake_discord: FakeDiscord, guild: FakeGuild
) -> None:
    async with fake_discord.run(HarnessBot(guild)):
        pass
    first = fake_discord.command_stats(guild)
    created = first.creates
    assert created == len(fake_discord.commands(guild)) and first.bulk_overwrites == 1
    async with fake_discord.run(HarnessBot(guild)):
        pass
    stats = fake_discord.command_stats(guild)
    assert (stats.creates, stats.updates, stats.deletes) == (created, 0, 0)
    assert stats.unchanged == created and stats.bulk_overwrites == 2


async def test_reconnect_resumes_after_the_gateway_drops(
    fake_discord: FakeDiscord, guild: FakeGuild
) -> None:
    async with fake_discord.run(HarnessBot(guild)):
        await fake_discord.drop_gateway(code=4000)
        await fake_discord.wait_until_ready()
        res = await fake_discord.slash("session", {"query": "after resume"})
    assert res.embed["title"] == "Session: after resume"
    assert fake_discord.gateway.identifies == 1 and fake_discord.gateway.resumes == 1
    assert [path for path, _ in fake_discord.gateway.handshakes] == ["/", "/resume"]
    received = [e.op for e in fake_discord.gateway.events if e.direction == "received"]
    assert 6 in received  # RESUME
    seqs = [e.s or 0 for e in fake_discord.gateway.events if e.direction == "sent" and e.op == 0]
    assert seqs == sorted(seqs) and len(set(seqs)) == len(seqs)


async def test_dm_and_global_command(fake_discord: FakeDiscord, guild: FakeGuild) -> None:
    async with fake_discord.run(HarnessBot(guild)):
        in_dm = await fake_discord.slash("ping", dm=True)
        in_guild = await fake_discord.slash("ping")
        with pytest.raises(AssertionError, match="not synced"):
            await fake_discord.slash("session", {"query": "x"}, dm=True, timeout=0.2)
    assert in_dm.content == "pong from DM" and "user" in in_dm.record.payload
    assert in_guild.content == "pong from guild" and "member" in in_guild.record.payload
