"""Many servers due in the same minute, end to end through the fake Discord: each gets exactly
one digest, sent concurrently (a server held up by a 429 does not hold up the others), one
forbidden channel fails alone, and the ledger says so."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from bot.clock import FrozenClock
from bot.models import GuildSettings
from cogs.digest import Digest
from tests.fake_discord import FakeChannel, FakeDiscord
from tests.helpers import running_bot

SERVERS = 50
DUE = datetime(2026, 6, 1, 9, 0, tzinfo=UTC)


def digest_channels(fake: FakeDiscord, count: int) -> list[FakeChannel]:
    """`count` servers, each with a #digest channel."""
    guilds = [fake.add_guild(f"server {i}", channels=["general", "digest"]) for i in range(count)]
    return [next(c for c in g.channels.values() if c.name == "digest") for g in guilds]


def posted_channels(fake: FakeDiscord) -> list[int]:
    """The channels of the messages Discord accepted, in the order it accepted them."""
    return [
        int(r.path.split("/")[2])
        for r in fake.requests_to("POST", r"/channels/\d+/messages")
        if r.ok
    ]


async def test_many_servers_due_at_once_each_get_one_digest_concurrently(
    fake_discord: FakeDiscord, tmp_path: Path, seeds: Path
) -> None:
    channels = digest_channels(fake_discord, SERVERS)
    forbidden, held_up = channels[3], channels[5]
    fake_discord.forbid_channel(forbidden)
    # A 429 mid-way: discord.py waits it out and retries that one post.
    fake_discord.rate_limit("POST", rf"/channels/{held_up.id}/messages", retry_after=0.5)
    # Before the due time while the bot starts: its own minute loop must not post first.
    clock = FrozenClock(DUE - timedelta(hours=1))
    async with running_bot(fake_discord, tmp_path, seeds, clock=clock) as bot:
        for channel in channels:
            assert channel.guild_id is not None
            await bot.catalog.digests.upsert_guild_settings(
                GuildSettings(channel.guild_id, channel.id, "09:00", "UTC", True)
            )
        cog = bot.get_cog("Digest")
        assert cog is not None and type(cog).__name__ == Digest.__name__
        clock.set(DUE)
        results = await cog.scheduler.tick()  # type: ignore[attr-defined]

        statuses = Counter(r.status for r in results)
        assert statuses == {"sent": SERVERS - 1, "failed": 1}
        (failed,) = [r for r in results if r.status == "failed"]
        assert failed.channel_id == forbidden.id and "may not post" in (failed.detail or "")
        posted = posted_channels(fake_discord)
        assert Counter(posted) == {c.id: 1 for c in channels if c is not forbidden}
        # Concurrent: servers after the held-up one were posted while it waited (one after
        # another, every later server waits for it).
        after = {c.id for c in channels[channels.index(held_up) + 1 :]}
        assert after & set(posted[: posted.index(held_up.id)])
        for channel in channels:
            assert channel.guild_id is not None
            post = await bot.catalog.digests.digest_post(channel.guild_id, date(2026, 6, 1))
            assert post is not None
            assert post.status == ("failed" if channel is forbidden else "sent")

        assert await cog.scheduler.tick() == []  # type: ignore[attr-defined]
        assert Counter(posted_channels(fake_discord)) == Counter(posted)  # never twice
    assert fake_discord.unanswered == []
