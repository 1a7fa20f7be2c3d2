"""/events end to end: discord.py's real client against the fake Discord's scheduled events
(its field limits, MANAGE_EVENTS, the 100-event cap, 429s), a real database and a FrozenClock
that the fake follows."""

from __future__ import annotations

import asyncio
from contextlib import AbstractAsyncContextManager
from datetime import timedelta
from pathlib import Path

import pytest

from bot.app import IGFBot
from bot.clock import FrozenClock
from bot.events.ledger import Scope
from bot.events.render import event_body, key_in
from bot.events.source import EventSource
from cogs.events import DiscordEvents, Events
from tests.events_helpers import FORUM_DAY, file_name, session_document, starts_of, write_sessions
from tests.fake_discord import MANAGE_EVENTS, FakeDiscord, FakeGuild, FakeUser
from tests.helpers import BotOptions, loaded_cog, running_bot

EVENTS = r"/guilds/\d+/scheduled-events"


@pytest.fixture
def clock(fake_discord: FakeDiscord) -> FrozenClock:
    clock = FrozenClock(FORUM_DAY - timedelta(days=3))
    fake_discord.now = clock.now  # the fake's time rules follow the bot's clock
    return clock


@pytest.fixture
def extra_seeds() -> dict[str, str]:
    return {file_name(n): session_document(n) for n in range(1, 6)}


@pytest.fixture
def guild(fake_discord: FakeDiscord) -> FakeGuild:
    guild = fake_discord.add_guild("IGF community", channels=["general", "digest"])
    fake_discord.grant_bot_permissions(guild, MANAGE_EVENTS)
    return guild


@pytest.fixture
def bot_options(clock: FrozenClock) -> BotOptions:
    return {"clock": clock}


def running(
    fake: FakeDiscord, tmp_path: Path, seeds: Path, clock: FrozenClock
) -> AbstractAsyncContextManager[IGFBot]:
    return running_bot(fake, tmp_path, seeds, clock=clock)


def cog(bot: IGFBot) -> Events:
    return loaded_cog(bot, "Events")  # type: ignore[no-any-return]


def events_of(fake: FakeDiscord, guild: FakeGuild) -> dict[str, dict]:
    """The guild's events by name; fails on a duplicate name."""
    events = fake.scheduled_events(guild)
    by_name = {e["name"]: e for e in events}
    assert len(by_name) == len(events), [e["name"] for e in events]
    return by_name


def created(fake: FakeDiscord) -> int:
    return sum(1 for r in fake.requests_to("POST", EVENTS) if r.ok)


# --------------------------------------------------------------------------- publish


async def test_publish_makes_one_event_per_future_session_and_only_once(
    bot: IGFBot, fake_discord: FakeDiscord, guild: FakeGuild, admin: FakeUser
) -> None:
    reply = await fake_discord.slash("events publish", user=admin)
    assert reply.ephemeral
    assert "Created 5 events" in reply.content
    assert "5 published, 0 pending, 0 failed" in reply.content
    events = events_of(fake_discord, guild)
    assert sorted(events) == [f"Open Forum #{n}: Session number {n}" for n in range(1, 6)]
    first = events["Open Forum #1: Session number 1"]  # the 2021 and 2022 seeds have ended
    assert first["entity_type"] == 3 and first["privacy_level"] == 2
    assert first["entity_metadata"] == {"location": "Ballroom B"}
    assert first["scheduled_start_time"].startswith(starts_of(1).isoformat()[:19])
    assert first["description"].startswith("Speakers: Alice Example, Bob Example")
    assert key_in(first["description"]) == "igf-2030-open-forum-1"

    again = await fake_discord.slash("events publish", user=admin)
    assert "Created 0 events" in again.content
    assert created(fake_discord) == 5  # idempotent: nothing new
    status = await fake_discord.slash("events status", user=admin)
    assert "5 published, 0 pending, 0 failed" in status.content
    assert "all sessions" in status.content
    fake_discord.assert_no_errors()


async def test_publish_by_day_and_the_events_are_for_managers_only(
    bot: IGFBot, fake_discord: FakeDiscord, guild: FakeGuild, admin: FakeUser, member: FakeUser
) -> None:
    (command,) = [c for c in fake_discord.commands(guild) if c["name"] == "events"]
    assert {o["name"] for o in command["options"]} == {"publish", "status", "clear"}
    refused = await fake_discord.slash(
        "events publish", user=member, bypass_default_permissions=True
    )
    assert "Manage Server" in refused.content
    bad = await fake_discord.slash("events publish", {"day": "10/11/2030"}, user=admin)
    assert "YYYY-MM-DD" in bad.content
    reply = await fake_discord.slash(
        "events publish", {"day": "2030-11-10", "type": "Open Forum"}, user=admin
    )
    assert "Created 5 events" in reply.content  # #1-#5 are all on day one
    write_sessions(bot.catalog.loader.directory, range(10, 12))  # day two
    await bot.catalog.reload()
    await cog(bot).scheduler.sync(guild.id)
    assert len(fake_discord.scheduled_events(guild)) == 5  # outside the scope


async def test_a_missing_manage_events_permission_is_said_clearly(
    bot: IGFBot, fake_discord: FakeDiscord, guild: FakeGuild, admin: FakeUser
) -> None:
    fake_discord.revoke_bot_permissions(guild, MANAGE_EVENTS)
    await fake_discord.flush()
    reply = await fake_discord.slash("events publish", user=admin)
    assert "Manage Events" in reply.content
    assert fake_discord.requests_to("POST", EVENTS) == []
    status = await fake_discord.slash("events status", user=admin)
    assert "No events published" in status.content

    fake_discord.grant_bot_permissions(guild, MANAGE_EVENTS)
    await fake_discord.flush()
    assert "Created 5 events" in (await fake_discord.slash("events publish", user=admin)).content
    fake_discord.revoke_bot_permissions(guild, MANAGE_EVENTS)  # taken away later
    await fake_discord.flush()
    status = await fake_discord.slash("events status", user=admin)
    assert "5 published" in status.content and "Manage Events" in status.content
    cleared = await fake_discord.slash("events clear", user=admin)
    assert "Manage Events" in cleared.content
    assert len(fake_discord.scheduled_events(guild)) == 5


# --------------------------------------------------------------------------- in step


async def test_a_reload_edits_moved_and_renamed_sessions_and_deletes_removed_ones(
    bot: IGFBot, fake_discord: FakeDiscord, guild: FakeGuild, admin: FakeUser, seeds: Path
) -> None:
    await fake_discord.slash("events publish", user=admin)
    ids = {key_in(e["description"]): int(e["id"]) for e in fake_discord.scheduled_events(guild)}
    (seeds / file_name(1)).write_text(session_document(1, room="Room 3"))
    later = starts_of(2) + timedelta(hours=2)
    (seeds / file_name(2)).write_text(session_document(2, title="Renamed", starts=later))
    (seeds / file_name(3)).unlink()
    await bot.catalog.reload()
    result = await cog(bot).scheduler.sync(guild.id)
    assert (result.created, result.edited, result.deleted) == (0, 2, 1)
    events = {key_in(e["description"]): e for e in fake_discord.scheduled_events(guild)}
    assert "igf-2030-open-forum-3" not in events
    assert events["igf-2030-open-forum-1"]["entity_metadata"] == {"location": "Room 3"}
    assert events["igf-2030-open-forum-2"]["name"] == "Open Forum #2: Renamed"
    assert events["igf-2030-open-forum-2"]["scheduled_start_time"].startswith(
        later.isoformat()[:19]
    )
    assert {k: int(e["id"]) for k, e in events.items()} == {
        k: v for k, v in ids.items() if k != "igf-2030-open-forum-3"
    }  # edited in place
    assert (await cog(bot).scheduler.sync(guild.id)).changed is False
    fake_discord.assert_no_errors()


async def test_clear_deletes_the_bots_events_and_nothing_else(
    bot: IGFBot, fake_discord: FakeDiscord, guild: FakeGuild, admin: FakeUser, clock: FrozenClock
) -> None:
    someone = fake_discord.add_user("organiser")
    (first, *_) = await EventSource(bot.catalog).wanted([Scope()], clock.now())
    theirs = await DiscordEvents(bot).create(guild.id, event_body(first, "Our own meetup"))
    fake_discord.scheduled_event(guild, theirs).creator_id = someone.id
    await fake_discord.slash("events publish", user=admin)
    assert len(fake_discord.scheduled_events(guild)) == 6
    reply = await fake_discord.slash("events clear", user=admin)
    assert "Deleted the 5 events" in reply.content
    assert [int(e["id"]) for e in fake_discord.scheduled_events(guild)] == [theirs]
    status = await fake_discord.slash("events status", user=admin)
    assert "No events published" in status.content
    await cog(bot).scheduler.tick()  # nothing is published again behind the admin's back
    assert len(fake_discord.scheduled_events(guild)) == 1


# --------------------------------------------------------------------------- the 100 cap


async def test_the_soonest_100_first_and_the_rest_as_earlier_ones_end(
    bot: IGFBot,
    fake_discord: FakeDiscord,
    guild: FakeGuild,
    admin: FakeUser,
    seeds: Path,
    clock: FrozenClock,
) -> None:
    write_sessions(seeds, range(6, 120))  # 119 sessions, ten a day
    await bot.catalog.reload()
    reply = await fake_discord.slash("events publish", {"year": 2030}, user=admin)
    assert "Created 100 events" in reply.content
    assert "19 sessions left out" in reply.content
    assert "100 published, 19 pending, 0 failed" in reply.content
    keys = {key_in(e["description"]) for e in fake_discord.scheduled_events(guild)}
    assert keys == {f"igf-2030-open-forum-{n}" for n in range(1, 101)}  # the soonest

    clock.set(starts_of(19) + timedelta(hours=1))  # the first 19 sessions have ended
    results = await cog(bot).scheduler.tick()
    assert [(r.created, r.left_out) for r in results] == [(19, 0)]
    live = [e for e in fake_discord.scheduled_events(guild) if e["status"] in (1, 2)]
    assert len(live) == 100
    assert created(fake_discord) == 119
    status = await fake_discord.slash("events status", user=admin)
    assert "100 published, 0 pending, 0 failed" in status.content  # the ended ones are done
    fake_discord.assert_no_errors()


# --------------------------------------------------------------------------- failures


async def test_publishing_survives_429s(
    bot: IGFBot, fake_discord: FakeDiscord, guild: FakeGuild, admin: FakeUser, seeds: Path
) -> None:
    write_sessions(seeds, range(6, 30))
    await bot.catalog.reload()
    fake_discord.rate_limit("POST", EVENTS, times=3, retry_after=0.05)
    fake_discord.rate_limit("GET", EVENTS, times=1, retry_after=0.05)
    reply = await fake_discord.slash("events publish", user=admin)
    assert "Created 29 events" in reply.content
    statuses = [r.status for r in fake_discord.requests_to("POST", EVENTS)]
    assert statuses.count(429) == 3 and statuses.count(200) == 29
    assert len(events_of(fake_discord, guild)) == 29  # no duplicates


async def test_an_event_created_just_before_a_crash_is_adopted_not_duplicated(
    fake_discord: FakeDiscord,
    tmp_path: Path,
    seeds: Path,
    clock: FrozenClock,
    guild: FakeGuild,
    admin: FakeUser,
) -> None:
    async with running(fake_discord, tmp_path, seeds, clock) as first:
        # The crash: the claim was written and the event created, the id never recorded.
        (spec, *_) = await EventSource(first.catalog).wanted([Scope()], clock.now())
        await first.catalog.events.add_scope(guild.id, Scope())
        assert await first.catalog.events.claim(guild.id, spec.key)
        description = await EventSource(first.catalog).description(spec.key)
        await DiscordEvents(first).create(guild.id, event_body(spec, description))
    async with running(fake_discord, tmp_path, seeds, clock) as second:
        result = await cog(second).scheduler.sync(guild.id)
        assert result.created == 4
        assert len(events_of(fake_discord, guild)) == 5
        stored = await second.catalog.events.events(guild.id)
        assert {e.status for e in stored} == {"published"} and len(stored) == 5


async def test_a_restart_half_way_through_100_resumes_without_duplicates(
    fake_discord: FakeDiscord,
    tmp_path: Path,
    seeds: Path,
    clock: FrozenClock,
    guild: FakeGuild,
    admin: FakeUser,
) -> None:
    write_sessions(seeds, range(6, 101))
    async with running(fake_discord, tmp_path, seeds, clock) as first:
        await first.catalog.events.add_scope(guild.id, Scope(year=2030))
        sync = asyncio.ensure_future(cog(first).scheduler.sync(guild.id))
        for _ in range(10_000):
            if created(fake_discord) >= 40:
                break
            await asyncio.sleep(0.001)
        sync.cancel()  # the process stops half-way, mid-request perhaps
        with pytest.raises(asyncio.CancelledError):
            await sync
    half = len(fake_discord.scheduled_events(guild))
    assert 40 <= half < 100
    fake_discord.rate_limit("POST", EVENTS, times=2, retry_after=0.05)
    async with running(fake_discord, tmp_path, seeds, clock) as second:
        await fake_discord.slash("events publish", {"year": 2030}, user=admin)
        events = events_of(fake_discord, guild)  # fails on a duplicate
        assert len(events) == 100
        stored = await second.catalog.events.events(guild.id)
        assert len(stored) == 100 and {e.status for e in stored} == {"published"}
        assert {e.event_id for e in stored} == {int(e["id"]) for e in events.values()}


async def test_a_refused_event_is_reported_and_tried_again_on_publish_only(
    bot: IGFBot,
    fake_discord: FakeDiscord,
    guild: FakeGuild,
    admin: FakeUser,
    clock: FrozenClock,
) -> None:
    clock.set(starts_of(1) - timedelta(minutes=30))
    fake_discord.now = lambda: clock.now() + timedelta(hours=1)  # Discord's clock runs ahead
    reply = await fake_discord.slash("events publish", user=admin)
    assert "Created 4 events" in reply.content and "1 could not be created" in reply.content
    status = await fake_discord.slash("events status", user=admin)
    assert "4 published, 0 pending, 1 failed" in status.content
    assert "50035" in status.content  # Discord's reason
    posts = len(fake_discord.requests_to("POST", EVENTS))
    await cog(bot).scheduler.tick()
    assert len(fake_discord.requests_to("POST", EVENTS)) == posts  # not every minute

    fake_discord.now = clock.now
    again = await fake_discord.slash("events publish", user=admin)
    assert "Created 1 event." in again.content
    assert "5 published, 0 pending, 0 failed" in again.content
