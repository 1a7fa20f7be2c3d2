"""Schedule-change notices end to end: a reload that changes the schedule posts one notice in
each server's digest channel - once, across ticks, reloads and restarts - through discord.py's
real client against the fake Discord, with a FrozenClock."""

from __future__ import annotations

import asyncio
from contextlib import AbstractAsyncContextManager
from datetime import timedelta
from pathlib import Path

import pytest

from bot.app import IGFBot
from bot.clock import FrozenClock
from cogs.changes import Changes
from tests.events_helpers import FORUM_DAY, file_name, session_document, starts_of
from tests.fake_discord import FakeChannel, FakeDiscord, FakeGuild, FakeUser
from tests.helpers import BotOptions, loaded_cog, running_bot

OF5_2021 = "000_2d8a54ebfe520b7f.txt"


@pytest.fixture
def clock() -> FrozenClock:
    return FrozenClock(FORUM_DAY - timedelta(days=3))


@pytest.fixture
def extra_seeds() -> dict[str, str]:
    return {file_name(n): session_document(n) for n in range(1, 6)}


@pytest.fixture
def bot_options(clock: FrozenClock) -> BotOptions:
    return {"clock": clock}


@pytest.fixture
def channel(guild: FakeGuild) -> FakeChannel:
    return next(c for c in guild.channels.values() if c.name == "digest")


def running(
    fake: FakeDiscord, tmp_path: Path, seeds: Path, clock: FrozenClock
) -> AbstractAsyncContextManager[IGFBot]:
    return running_bot(fake, tmp_path, seeds, clock=clock)


def cog(bot: IGFBot) -> Changes:
    return loaded_cog(bot, "Changes")  # type: ignore[no-any-return]


def posts_to(fake: FakeDiscord, channel: FakeChannel) -> list:
    return [r for r in fake.requests_to("POST", rf"/channels/{channel.id}/messages") if r.ok]


async def set_channel(fake: FakeDiscord, admin: FakeUser, channel: FakeChannel) -> None:
    result = await fake.slash("digest channel", {"channel": channel}, user=admin)
    assert "**Channel:**" in result.content


def change_schedule(seeds: Path) -> None:
    """#1 moves room, #2 moves time, #3 is removed, #7 is added; the 2021 OF5 (ended) moves."""
    (seeds / file_name(1)).write_text(session_document(1, room="Room 3"))
    later = starts_of(2) + timedelta(hours=3)
    (seeds / file_name(2)).write_text(session_document(2, starts=later))
    (seeds / file_name(3)).unlink()
    (seeds / file_name(7)).write_text(session_document(7))
    text = (seeds / OF5_2021).read_text()
    (seeds / OF5_2021).write_text(text.replace("Ballroom B", "Ballroom C"))


async def test_a_reload_posts_one_notice_of_what_changed(
    bot: IGFBot,
    fake_discord: FakeDiscord,
    admin: FakeUser,
    channel: FakeChannel,
    seeds: Path,
) -> None:
    await set_channel(fake_discord, admin, channel)
    change_schedule(seeds)
    report = await fake_discord.slash("reload", user=admin)
    assert "Room: Ballroom B → Room 3" in report.embed["description"]
    assert "Room: Ballroom B → Ballroom C" in report.embed["description"]  # the report says all

    (result,) = await cog(bot).scheduler.tick()
    assert result.status == "sent"
    message = await fake_discord.wait_for_message(channel)
    (embed,) = message["embeds"]
    text = embed["description"]
    assert embed["title"] == "Schedule changes"
    day = FORUM_DAY.strftime("%A") + " 10 November 2030"
    assert text.startswith(f"__{day}__")
    assert "**IGF 2030 Open Forum #1** · Session number 1 — Room: Ballroom B → Room 3" in text
    moved = int(starts_of(2).timestamp()), int((starts_of(2) + timedelta(hours=3)).timestamp())
    assert f"Time: <t:{moved[0]}:f>–" in text and f"→ <t:{moved[1]}:f>–" in text
    assert "🆕 **IGF 2030 Open Forum #7**" in text
    assert "❌ **IGF 2030 Open Forum #3** · Session number 3 — cancelled" in text
    assert "2021" not in text  # an ended session is not announced
    (request,) = posts_to(fake_discord, channel)
    assert request.json["allowed_mentions"] == {"parse": []}

    assert await cog(bot).scheduler.tick() == []  # never twice
    await bot.catalog.reload()  # nothing changed: no new batch
    assert await cog(bot).scheduler.tick() == []
    assert len(posts_to(fake_discord, channel)) == 1
    fake_discord.assert_no_errors()


async def test_never_twice_across_a_restart_and_only_after_the_channel_is_set(
    fake_discord: FakeDiscord,
    tmp_path: Path,
    seeds: Path,
    clock: FrozenClock,
    guild: FakeGuild,
    admin: FakeUser,
    channel: FakeChannel,
) -> None:
    async with running(fake_discord, tmp_path, seeds, clock) as first:
        (seeds / file_name(4)).write_text(session_document(4, room="Room 9"))
        await first.catalog.reload()  # before any channel: this batch is not news for later
        await asyncio.sleep(1.0)  # settings are stamped to the second
        await set_channel(fake_discord, admin, channel)
        assert await cog(first).scheduler.tick() == []
        change_schedule(seeds)
        await first.catalog.reload()
        (sent,) = await cog(first).scheduler.tick()
        assert sent.status == "sent"
    async with running(fake_discord, tmp_path, seeds, clock) as second:
        await cog(second).scheduler.tick()
        assert len(posts_to(fake_discord, channel)) == 1
        assert "Room 9" not in str(fake_discord.messages_in(channel))


async def test_changes_off_and_on(
    bot: IGFBot,
    fake_discord: FakeDiscord,
    admin: FakeUser,
    channel: FakeChannel,
    seeds: Path,
) -> None:
    await set_channel(fake_discord, admin, channel)
    off = await fake_discord.slash("digest changes", {"state": "off"}, user=admin)
    assert off.ephemeral and "off" in off.content
    change_schedule(seeds)
    await bot.catalog.reload()
    assert [r.status for r in await cog(bot).scheduler.tick()] == ["skipped"]
    on = await fake_discord.slash("digest changes", {"state": "on"}, user=admin)
    assert f"<#{channel.id}>" in on.content
    assert await cog(bot).scheduler.tick() == []  # old news stays skipped
    (seeds / file_name(5)).write_text(session_document(5, title="A new title"))
    await bot.catalog.reload()
    (result,) = await cog(bot).scheduler.tick()
    assert result.status == "sent"
    message = await fake_discord.wait_for_message(channel)
    assert "Title: Session number 5 → A new title" in message["embeds"][0]["description"]
    assert len(posts_to(fake_discord, channel)) == 1


async def test_a_deleted_channel_is_recorded_and_not_retried(
    bot: IGFBot,
    fake_discord: FakeDiscord,
    admin: FakeUser,
    channel: FakeChannel,
    seeds: Path,
) -> None:
    await set_channel(fake_discord, admin, channel)
    fake_discord.delete_channel(channel)
    change_schedule(seeds)
    await bot.catalog.reload()
    (result,) = await cog(bot).scheduler.tick()
    assert result.status == "failed" and "no longer exists" in (result.detail or "")
    assert await cog(bot).scheduler.tick() == []
