"""/digest and the daily digest end to end: discord.py's real client against the fake Discord,
with a FrozenClock so a whole day (or a DST change) takes milliseconds."""

from __future__ import annotations

import asyncio
from contextlib import AbstractAsyncContextManager
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from bot.app import IGFBot
from bot.clock import FrozenClock
from cogs.digest import Digest
from tests.fake_discord import (
    MANAGE_GUILD,
    FakeChannel,
    FakeDiscord,
    FakeGuild,
    FakeUser,
    InteractionResult,
)
from tests.fake_discord.payloads import APPLICATION_COMMAND
from tests.helpers import BotOptions, loaded_cog, running_bot

OSLO = ZoneInfo("Europe/Oslo")
NEW_YORK = ZoneInfo("America/New_York")
OF5_START = int(datetime(2021, 12, 10, 8, 30, tzinfo=UTC).timestamp())


def local(tz: ZoneInfo, *args: int, fold: int = 0) -> datetime:
    return datetime(*args, tzinfo=tz, fold=fold)


@pytest.fixture
def clock() -> FrozenClock:
    return FrozenClock(local(OSLO, 2026, 6, 1, 8, 0))


@pytest.fixture
def channel(guild: FakeGuild) -> FakeChannel:
    return next(c for c in guild.channels.values() if c.name == "digest")


def clocked(clock: FrozenClock) -> BotOptions:
    """A bot on `clock` with global commands, so every guild has /digest; ready once the
    digest loop has ticked."""
    return {"clock": clock, "dev_guild": False, "ready": first_tick_done}


@pytest.fixture
def bot_options(clock: FrozenClock) -> BotOptions:
    return clocked(clock)


def running(
    fake: FakeDiscord, tmp_path: Path, seeds: Path, clock: FrozenClock
) -> AbstractAsyncContextManager[IGFBot]:
    """A bot on the test's database, like the `bot` fixture's, for tests that restart it."""
    return running_bot(fake, tmp_path, seeds, **clocked(clock))


def cog(bot: IGFBot) -> Digest:
    return loaded_cog(bot, "Digest")  # type: ignore[no-any-return]


async def wait_ticks(bot: IGFBot, count: int, since: int = 0) -> None:
    """Wait until the cog's minute loop has completed `count` more iterations."""
    digest = cog(bot)
    for _ in range(1000):
        if digest.ticks >= since + count:
            return
        await asyncio.sleep(0.01)
    raise AssertionError(f"the digest loop is stuck after {digest.ticks} ticks")


async def first_tick_done(bot: IGFBot) -> None:
    """The minute loop runs its first tick once the bot is ready; wait for it."""
    await wait_ticks(bot, 1)


def posts_to(fake: FakeDiscord, channel: FakeChannel, ok_only: bool = True) -> list:
    found = fake.requests_to("POST", rf"/channels/{channel.id}/messages")
    return [r for r in found if r.ok] if ok_only else found


async def configure(
    fake: FakeDiscord,
    admin: FakeUser,
    channel: FakeChannel,
    *,
    time: str = "09:00",
    zone: str = "Europe/Oslo",
    guild: FakeGuild | None = None,
) -> None:
    for command, options in (
        ("digest timezone", {"zone": zone}),
        ("digest time", {"time": time}),
        ("digest channel", {"channel": channel}),
    ):
        result = await fake.slash(command, options, user=admin, guild=guild)
        assert result.ephemeral, command
        assert "**Channel:**" in result.content, result.content


# --------------------------------------------------------------------------- permissions


async def test_digest_is_for_managers_only(
    bot: IGFBot, fake_discord: FakeDiscord, member: FakeUser, channel: FakeChannel
) -> None:
    (digest,) = [c for c in fake_discord.commands() if c["name"] == "digest"]
    assert int(digest["default_member_permissions"]) == MANAGE_GUILD
    assert {o["name"] for o in digest["options"]} == {
        "channel",
        "time",
        "timezone",
        "off",
        "preview",
        "now",
        "changes",
        "news",
    }
    # a server may override the default permissions: the bot checks again
    for command, options in (
        ("digest channel", {"channel": channel}),
        ("digest now", {}),
        ("digest preview", {}),
        ("digest changes", {"state": "off"}),
        ("digest news", {"state": "off"}),
    ):
        refused = await fake_discord.slash(
            command, options, user=member, bypass_default_permissions=True
        )
        assert refused.ephemeral and "Manage Server" in refused.content
    assert await bot.catalog.digests.all_guild_settings() == []
    assert posts_to(fake_discord, channel) == []


# --------------------------------------------------------------------------- the schedule


async def test_the_digest_arrives_at_the_local_time(
    bot: IGFBot,
    fake_discord: FakeDiscord,
    admin: FakeUser,
    channel: FakeChannel,
    clock: FrozenClock,
) -> None:
    await configure(fake_discord, admin, channel, time="09:00", zone="Europe/Oslo")
    ticker = cog(bot).ticker
    ticker.change_interval(seconds=0.02)  # the real loop, a minute every 20 ms
    clock.set(local(OSLO, 2026, 6, 1, 8, 59))
    await wait_ticks(bot, 5, since=cog(bot).ticks)
    assert posts_to(fake_discord, channel) == []  # not before

    clock.set(local(OSLO, 2026, 6, 1, 9, 0))
    message = await fake_discord.wait_for_message(channel)
    (request,) = posts_to(fake_discord, channel)
    assert request.json["allowed_mentions"] == {"parse": []}
    assert message["embeds"][0]["title"] == "From the archive · Monday 1 June 2026"
    assert "Open Forum #5" in str(message["embeds"])
    await wait_ticks(bot, 5, since=cog(bot).ticks)
    assert len(posts_to(fake_discord, channel)) == 1  # and only once
    post = await bot.catalog.digests.digest_post(channel.guild_id, date(2026, 6, 1))
    assert post.status == "sent" and post.message_id == int(message["id"])
    fake_discord.assert_no_errors()


async def test_a_forum_day_digest_lists_the_days_sessions(
    bot: IGFBot,
    fake_discord: FakeDiscord,
    admin: FakeUser,
    channel: FakeChannel,
    clock: FrozenClock,
) -> None:
    clock.set(local(OSLO, 2021, 12, 10, 7, 0))
    await configure(fake_discord, admin, channel, time="07:30")
    clock.set(local(OSLO, 2021, 12, 10, 7, 30))
    await cog(bot).scheduler.tick()
    message = await fake_discord.wait_for_message(channel)
    header = message["embeds"][0]
    assert header["title"] == "Today at the forum · Friday 10 December 2021"
    assert f"<t:{OF5_START}:t>" in header["description"]
    assert f"<t:{OF5_START}:R>" in header["description"]
    assert "Ballroom B" in header["description"]
    fake_discord.assert_no_errors()


async def test_never_twice_across_a_restart(
    fake_discord: FakeDiscord,
    tmp_path: Path,
    seeds: Path,
    clock: FrozenClock,
    guild: FakeGuild,
    admin: FakeUser,
    channel: FakeChannel,
) -> None:
    async with running(fake_discord, tmp_path, seeds, clock) as first:
        await configure(fake_discord, admin, channel)
        clock.set(local(OSLO, 2026, 6, 1, 9, 0))
        await cog(first).scheduler.tick()
        assert len(posts_to(fake_discord, channel)) == 1

    clock.set(local(OSLO, 2026, 6, 1, 9, 5))
    async with running(fake_discord, tmp_path, seeds, clock) as second:
        for _ in range(3):
            await cog(second).scheduler.tick()
            clock.advance(timedelta(minutes=1))
        assert len(posts_to(fake_discord, channel)) == 1
        clock.set(local(OSLO, 2026, 6, 2, 9, 0))  # the next day posts again
        await cog(second).scheduler.tick()
        assert len(posts_to(fake_discord, channel)) == 2
    fake_discord.assert_no_errors()


async def test_one_catch_up_after_downtime_the_same_day(
    fake_discord: FakeDiscord,
    tmp_path: Path,
    seeds: Path,
    clock: FrozenClock,
    guild: FakeGuild,
    admin: FakeUser,
    channel: FakeChannel,
) -> None:
    async with running(fake_discord, tmp_path, seeds, clock):
        await configure(fake_discord, admin, channel, time="09:00")
    assert posts_to(fake_discord, channel) == []  # down from 08:00 ...

    clock.set(local(OSLO, 2026, 6, 1, 15, 30))  # ... until 15:30
    async with running(fake_discord, tmp_path, seeds, clock) as back:
        await fake_discord.wait_for_message(channel)  # the loop's first tick catches up
        for _ in range(3):
            clock.advance(timedelta(minutes=1))
            await cog(back).scheduler.tick()
        assert len(posts_to(fake_discord, channel)) == 1
    fake_discord.assert_no_errors()


async def test_no_catch_up_for_a_day_that_has_passed(
    fake_discord: FakeDiscord,
    tmp_path: Path,
    seeds: Path,
    clock: FrozenClock,
    guild: FakeGuild,
    admin: FakeUser,
    channel: FakeChannel,
) -> None:
    async with running(fake_discord, tmp_path, seeds, clock):
        await configure(fake_discord, admin, channel, time="09:00")
    clock.set(local(OSLO, 2026, 6, 2, 8, 0))  # back the next morning, before 09:00
    async with running(fake_discord, tmp_path, seeds, clock) as back:
        await cog(back).scheduler.tick()
        assert posts_to(fake_discord, channel) == []
        assert await back.catalog.digests.digest_post(guild.id, date(2026, 6, 1)) is None


@pytest.mark.parametrize(
    ("zone", "post_time", "before", "due", "again"),
    [
        # Oslo springs forward 02:00 -> 03:00: 02:30 does not exist; due at 03:00 CEST
        (
            OSLO,
            "02:30",
            local(OSLO, 2026, 3, 29, 1, 59),
            datetime(2026, 3, 29, 1, 0, tzinfo=UTC),
            datetime(2026, 3, 29, 2, 0, tzinfo=UTC),
        ),
        # Oslo falls back 03:00 -> 02:00: 02:30 happens twice; only the first posts
        (
            OSLO,
            "02:30",
            local(OSLO, 2026, 10, 25, 2, 29),
            local(OSLO, 2026, 10, 25, 2, 30, fold=0),
            local(OSLO, 2026, 10, 25, 2, 30, fold=1),
        ),
        # New York springs forward 02:00 -> 03:00
        (
            NEW_YORK,
            "02:30",
            local(NEW_YORK, 2026, 3, 8, 1, 59),
            local(NEW_YORK, 2026, 3, 8, 3, 0),
            local(NEW_YORK, 2026, 3, 8, 4, 0),
        ),
        # New York falls back 02:00 -> 01:00: 01:30 happens twice
        (
            NEW_YORK,
            "01:30",
            local(NEW_YORK, 2026, 11, 1, 1, 29),
            local(NEW_YORK, 2026, 11, 1, 1, 30, fold=0),
            local(NEW_YORK, 2026, 11, 1, 1, 30, fold=1),
        ),
    ],
    ids=["oslo-spring", "oslo-fall", "new-york-spring", "new-york-fall"],
)
async def test_dst_edges(
    bot: IGFBot,
    fake_discord: FakeDiscord,
    admin: FakeUser,
    channel: FakeChannel,
    clock: FrozenClock,
    zone: ZoneInfo,
    post_time: str,
    before: datetime,
    due: datetime,
    again: datetime,
) -> None:
    clock.set(before - timedelta(hours=1))
    await configure(fake_discord, admin, channel, time=post_time, zone=zone.key)
    scheduler = cog(bot).scheduler
    clock.set(before)
    assert await scheduler.tick() == []
    clock.set(due)
    (result,) = await scheduler.tick()
    assert result.status == "sent" and result.local_date == before.date()
    clock.set(again)  # an hour later, the same wall time or past it: nothing more
    assert await scheduler.tick() == []
    assert len(posts_to(fake_discord, channel)) == 1
    fake_discord.assert_no_errors()


# --------------------------------------------------------------------------- failures


async def test_a_deleted_channel_is_shown_and_other_servers_still_get_theirs(
    bot: IGFBot,
    fake_discord: FakeDiscord,
    admin: FakeUser,
    guild: FakeGuild,
    channel: FakeChannel,
    clock: FrozenClock,
) -> None:
    other = fake_discord.add_guild("Another server", channels=["general", "news"])
    other_channel = next(c for c in other.channels.values() if c.name == "news")
    await fake_discord.flush()
    await configure(fake_discord, admin, channel, guild=guild)
    await configure(fake_discord, admin, other_channel, guild=other)
    fake_discord.delete_channel(channel)
    await fake_discord.flush()

    clock.set(local(OSLO, 2026, 6, 1, 9, 0))
    results = {r.guild_id: r for r in await cog(bot).scheduler.tick()}
    assert results[other.id].status == "sent"
    assert results[guild.id].status == "failed"
    assert "no longer exists" in results[guild.id].detail
    await fake_discord.wait_for_message(other_channel)
    assert posts_to(fake_discord, channel) == []

    general = next(c for c in guild.channels.values() if c.name == "general")
    preview = await fake_discord.slash("digest preview", user=admin, channel=general)
    assert preview.ephemeral
    assert "no longer exists" in preview.content  # the channel problem
    assert "could not be posted" in preview.content  # and today's failure
    assert preview.embeds  # the digest as it would be posted

    # nothing is retried behind the admin's back
    clock.advance(timedelta(minutes=1))
    assert await cog(bot).scheduler.tick() == []


async def test_a_forbidden_channel_is_shown_and_now_retries_once_fixed(
    bot: IGFBot,
    fake_discord: FakeDiscord,
    admin: FakeUser,
    guild: FakeGuild,
    channel: FakeChannel,
    clock: FrozenClock,
) -> None:
    await configure(fake_discord, admin, channel)
    fake_discord.forbid_channel(channel)
    clock.set(local(OSLO, 2026, 6, 1, 9, 0))
    (result,) = await cog(bot).scheduler.tick()
    assert result.status == "failed" and "may not post" in result.detail
    preview = await fake_discord.slash("digest preview", user=admin)
    assert "cannot see or use" in preview.content

    fake_discord.forbid_channel(channel, forbidden=False)
    now = await fake_discord.slash("digest now", user=admin)
    assert now.ephemeral and "has been posted" in now.content
    assert len(posts_to(fake_discord, channel)) == 1
    again = await fake_discord.slash("digest now", user=admin)
    assert "already posted" in again.content
    assert len(posts_to(fake_discord, channel)) == 1


# --------------------------------------------------------------------------- commands


async def test_preview_is_ephemeral_and_posts_nothing(
    bot: IGFBot,
    fake_discord: FakeDiscord,
    admin: FakeUser,
    channel: FakeChannel,
    clock: FrozenClock,
) -> None:
    clock.set(local(OSLO, 2021, 12, 10, 6, 0))
    empty = await fake_discord.slash("digest preview", user=admin)
    assert empty.ephemeral and "No channel is set" in empty.content
    await configure(fake_discord, admin, channel)
    preview = await fake_discord.slash("digest preview", user=admin)
    assert preview.ephemeral
    assert preview.embeds[0]["title"] == "Today at the forum · Friday 10 December 2021"
    assert "⚠️" not in preview.content
    assert "**Next digest:**" in preview.content
    assert posts_to(fake_discord, channel) == []
    fake_discord.assert_no_errors()


async def test_now_posts_and_the_scheduled_digest_is_then_skipped(
    bot: IGFBot,
    fake_discord: FakeDiscord,
    admin: FakeUser,
    channel: FakeChannel,
    clock: FrozenClock,
) -> None:
    nothing = await fake_discord.slash("digest now", user=admin)
    assert "No channel is set" in nothing.content
    await configure(fake_discord, admin, channel, time="18:00")
    result = await fake_discord.slash("digest now", user=admin)
    assert "has been posted" in result.content
    clock.set(local(OSLO, 2026, 6, 1, 18, 0))
    assert await cog(bot).scheduler.tick() == []
    assert len(posts_to(fake_discord, channel)) == 1
    fake_discord.assert_no_errors()


async def test_off_stops_the_digest(
    bot: IGFBot,
    fake_discord: FakeDiscord,
    admin: FakeUser,
    channel: FakeChannel,
    clock: FrozenClock,
) -> None:
    await configure(fake_discord, admin, channel)
    off = await fake_discord.slash("digest off", user=admin)
    assert off.ephemeral and "off" in off.content
    clock.set(local(OSLO, 2026, 6, 1, 9, 0))
    assert await cog(bot).scheduler.tick() == []
    assert posts_to(fake_discord, channel) == []
    settings = await bot.catalog.digests.guild_settings(channel.guild_id)
    assert (settings.enabled, settings.channel_id) == (False, channel.id)


async def test_time_and_timezone_are_validated(
    bot: IGFBot, fake_discord: FakeDiscord, admin: FakeUser, guild: FakeGuild
) -> None:
    bad_time = await fake_discord.slash("digest time", {"time": "25:00"}, user=admin)
    assert "HH:MM" in bad_time.content
    good_time = await fake_discord.slash("digest time", {"time": "7:05"}, user=admin)
    assert "07:05" in good_time.content
    bad_zone = await fake_discord.slash("digest timezone", {"zone": "Europe/Osloo"}, user=admin)
    assert "Unknown time zone" in bad_zone.content and "Europe/Oslo" in bad_zone.content
    folded = await fake_discord.slash("digest timezone", {"zone": "america/new york"}, user=admin)
    assert "America/New_York" in folded.content
    settings = await bot.catalog.digests.guild_settings(guild.id)
    assert (settings.post_time, settings.timezone, settings.enabled) == (
        "07:05",
        "America/New_York",
        False,
    )


async def test_timezone_autocomplete(bot: IGFBot, fake_discord: FakeDiscord, admin) -> None:
    for typed, expected in (
        ("oslo", "Europe/Oslo"),
        ("Europe/Os", "Europe/Oslo"),
        ("new york", "America/New_York"),
        ("", "UTC"),
    ):
        choices = await fake_discord.autocomplete(
            "digest timezone", {"zone": typed}, focused="zone", user=admin
        )
        assert 1 <= len(choices) <= 25
        assert expected in [c["value"] for c in choices], (typed, choices)
    europe = await fake_discord.autocomplete(
        "digest timezone", {"zone": "Europe"}, focused="zone", user=admin
    )
    assert len(europe) == 25


# --------------------------------------------------------------------------- odd contexts


async def crafted(
    fake: FakeDiscord,
    command: str,
    options: dict[str, object],
    *,
    user: FakeUser,
    guild: FakeGuild,
    in_dm: bool = False,
    channel_option: FakeChannel | None = None,
) -> InteractionResult:
    """A /digest interaction that the fake's checks would not build: sent from a DM (as a
    client with a stale command list can), or naming another server's channel in `channel`.
    It is built for the guild, then changed the way such a payload differs."""
    _, channel, user = fake._context(guild, None, user, False)
    data, label = await fake._command_data(
        command.split(),
        options,
        guild=guild,
        channel=channel,
        user=user,
        focused=None,
        permissions=None,
        bypass=True,  # the bot's own checks are under test
        timeout=5,
    )
    if channel_option is not None:
        (entry,) = data["resolved"]["channels"].values()
        entry.update(id=str(channel_option.id), name=channel_option.name)
        entry["guild_id"] = str(channel_option.guild_id)
        data["resolved"]["channels"] = {str(channel_option.id): entry}
        data["options"][0]["options"][0]["value"] = str(channel_option.id)
    result = await fake._interact(
        APPLICATION_COMMAND,
        data,
        label,
        guild=None if in_dm else guild,
        channel=fake._dm_channel(user) if in_dm else channel,
        user=user,
        permissions=None,
        locale="en-US",
    )
    return await fake.wait_settled(result)


async def test_digest_in_a_dm_says_to_run_it_in_a_server(
    fake_discord: FakeDiscord, guild: FakeGuild, tmp_path: Path, seeds: Path, clock: FrozenClock
) -> None:
    owner = fake_discord.add_user("owner")
    options = {"clock": clock, "owner_ids": frozenset({owner.id})}
    async with running_bot(fake_discord, tmp_path, seeds, **options):
        result = await crafted(
            fake_discord, "digest time", {"time": "09:00"}, user=owner, guild=guild, in_dm=True
        )
        assert result.ephemeral and "Run this in a server" in result.content, result.describe()
        assert "Something went wrong" not in result.content


async def test_another_servers_channel_is_refused_clearly(
    bot: IGFBot, fake_discord: FakeDiscord, guild: FakeGuild, admin: FakeUser, channel: FakeChannel
) -> None:
    other = fake_discord.add_guild("Another server", channels=["news"])
    news = other.channel("news")
    result = await crafted(
        fake_discord,
        "digest channel",
        {"channel": channel},
        user=admin,
        guild=guild,
        channel_option=news,
    )
    assert result.ephemeral and "in another server" in result.content, result.describe()
    assert await bot.catalog.digests.all_guild_settings() == []


@pytest.mark.parametrize("text", ["²²:²²", "9:0²", "1" * 30 + ":00", "\ud800", "x" * 3000])
async def test_odd_time_and_zone_text_gets_a_clear_answer(
    bot: IGFBot, fake_discord: FakeDiscord, admin: FakeUser, text: str
) -> None:
    bad_time = await fake_discord.slash("digest time", {"time": text}, user=admin)
    assert bad_time.ephemeral and "HH:MM" in bad_time.content, bad_time.describe()
    bad_zone = await fake_discord.slash("digest timezone", {"zone": text}, user=admin)
    assert bad_zone.ephemeral and "Unknown time zone" in bad_zone.content, bad_zone.describe()
    assert await bot.catalog.digests.all_guild_settings() == []
    fake_discord.assert_no_errors()
