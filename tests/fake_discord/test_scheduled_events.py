"""The fake's guild scheduled events and refused DMs, driven by discord.py's real client."""

from __future__ import annotations

import asyncio
import datetime
from collections.abc import AsyncIterator, Callable
from typing import Any

import discord
import pytest

from tests.fake_discord import MANAGE_EVENTS, FakeDiscord, FakeGuild

EVENTS = r"/guilds/\d+/scheduled-events"
UTC = datetime.UTC


@pytest.fixture
def guild(fake_discord: FakeDiscord) -> FakeGuild:
    guild = fake_discord.add_guild("IGF", channels=["general"])
    fake_discord.grant_bot_permissions(guild, MANAGE_EVENTS)
    return guild


@pytest.fixture
async def client(fake_discord: FakeDiscord, guild: FakeGuild) -> AsyncIterator[discord.Client]:
    bot = discord.Client(intents=discord.Intents.default(), guild_ready_timeout=0.1)
    async with fake_discord.run(bot):
        yield bot


def _guild_of(client: discord.Client, guild: FakeGuild) -> discord.Guild:
    found = client.get_guild(guild.id)
    assert found is not None
    return found


async def _handled(client: discord.Client, event: str, condition: Callable[[], bool]) -> None:
    """Wait until the client has handled what the fake dispatched (it reads asynchronously)."""
    async with asyncio.timeout(5.0):
        while not condition():
            await client.wait_for(event)


def _hours(n: float) -> datetime.datetime:
    return discord.utils.utcnow() + datetime.timedelta(hours=n)


async def _create(target: discord.Guild, **overrides: Any) -> discord.ScheduledEvent:
    options: dict[str, Any] = {
        "name": "Open Forum #5",
        "start_time": _hours(1),
        "end_time": _hours(2),
        "entity_type": discord.EntityType.external,
        "privacy_level": discord.PrivacyLevel.guild_only,
        "location": "Ballroom B",
    }
    for key, value in overrides.items():
        # A timedelta is an offset from now, taken when the request is made.
        is_offset = isinstance(value, datetime.timedelta)
        options[key] = discord.utils.utcnow() + value if is_offset else value
    return await target.create_scheduled_event(**options)


def _body(**overrides: Any) -> dict[str, Any]:
    """A valid create body for ``client.http`` (for what discord.py checks before sending)."""
    body: dict[str, Any] = {
        "name": "Open Forum #5",
        "scheduled_start_time": _hours(1).isoformat(),
        "scheduled_end_time": _hours(2).isoformat(),
        "entity_type": 3,
        "privacy_level": 2,
        "entity_metadata": {"location": "Ballroom B"},
    }
    body.update(overrides)
    return {k: v for k, v in body.items() if v is not None}


async def test_create_list_edit_delete_an_external_event(
    fake_discord: FakeDiscord, guild: FakeGuild, client: discord.Client
) -> None:
    target = _guild_of(client, guild)
    event = await _create(target, description="Internet governance")
    assert (event.name, event.location, event.entity_type) == (
        "Open Forum #5",
        "Ballroom B",
        discord.EntityType.external,
    )
    assert event.status is discord.EventStatus.scheduled
    assert event.creator_id == fake_discord.bot_user.id
    [stored] = fake_discord.scheduled_events(guild)
    assert stored["entity_metadata"] == {"location": "Ballroom B"}
    assert stored["privacy_level"] == 2 and stored["user_count"] == 0
    assert stored["description"] == "Internet governance"

    # GUILD_SCHEDULED_EVENT_CREATE fills the client's cache.
    await _handled(
        client, "scheduled_event_create", lambda: target.get_scheduled_event(event.id) is not None
    )

    fake_discord.scheduled_event(guild, event.id).user_count = 7
    [listed] = await target.fetch_scheduled_events()
    assert listed.id == event.id and listed.user_count == 7
    assert fake_discord.requests_to("GET", EVENTS)[-1].query == {"with_user_count": "1"}

    edited = await event.edit(name="Open Forum #5 (moved)", location="Room 3")
    assert (edited.name, edited.location) == ("Open Forum #5 (moved)", "Room 3")
    fetched = await target.fetch_scheduled_event(event.id)
    assert fetched.location == "Room 3" and fetched.user_count == 7

    await event.delete()
    assert fake_discord.scheduled_events(guild) == []
    await _handled(
        client, "scheduled_event_delete", lambda: target.get_scheduled_event(event.id) is None
    )
    with pytest.raises(discord.NotFound) as gone:
        await target.fetch_scheduled_event(event.id)
    assert gone.value.code == 10070
    ok = [r.status for r in fake_discord.requests_to("POST", EVENTS)]
    assert ok == [200]


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"name": ""}, "name"),
        ({"name": "n" * 101}, "name"),
        ({"description": "d" * 1001}, "description"),
        ({"location": "l" * 101}, "entity_metadata.location"),
        ({"location": ""}, "entity_metadata.location"),
        ({"end_time": datetime.timedelta(minutes=30)}, "scheduled_end_time"),
        (
            {"start_time": datetime.timedelta(hours=-1), "end_time": datetime.timedelta(hours=1)},
            "scheduled_start_time",
        ),
    ],
)
async def test_limits_through_create_scheduled_event(
    fake_discord: FakeDiscord,
    guild: FakeGuild,
    client: discord.Client,
    overrides: dict[str, Any],
    field: str,
) -> None:
    with pytest.raises(discord.HTTPException) as refused:
        await _create(_guild_of(client, guild), **overrides)
    assert (refused.value.status, refused.value.code) == (400, 50035)
    assert f"In {field}:" in refused.value.text
    assert fake_discord.scheduled_events(guild) == []


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"entity_metadata": None}, "entity_metadata"),
        ({"entity_metadata": {}}, "entity_metadata.location"),
        ({"scheduled_end_time": None}, "scheduled_end_time"),
        ({"privacy_level": 1}, "privacy_level"),
        ({"privacy_level": None}, "privacy_level"),
        ({"entity_type": None}, "entity_type"),
        ({"scheduled_start_time": "next tuesday"}, "scheduled_start_time"),
    ],
)
async def test_limits_discord_py_does_not_check_first(
    guild: FakeGuild, client: discord.Client, overrides: dict[str, Any], field: str
) -> None:
    with pytest.raises(discord.HTTPException) as refused:
        await client.http.create_guild_scheduled_event(guild.id, **_body(**overrides))
    assert (refused.value.status, refused.value.code) == (400, 50035)
    assert f"In {field}:" in refused.value.text


async def test_the_101st_uncompleted_event_is_refused(
    fake_discord: FakeDiscord, guild: FakeGuild, client: discord.Client
) -> None:
    for i in range(100):
        await client.http.create_guild_scheduled_event(guild.id, **_body(name=f"Session {i}"))
    target = _guild_of(client, guild)
    with pytest.raises(discord.HTTPException) as refused:
        await _create(target, name="Session 100")
    assert (refused.value.status, refused.value.code) == (400, 30038)
    assert len(fake_discord.scheduled_events(guild)) == 100

    first = await target.fetch_scheduled_event(int(fake_discord.scheduled_events(guild)[0]["id"]))
    await first.cancel()  # a canceled event no longer counts
    await _create(target, name="Session 100")
    assert len(fake_discord.scheduled_events(guild)) == 101


async def test_without_manage_events_the_bot_is_forbidden(
    fake_discord: FakeDiscord, guild: FakeGuild, client: discord.Client
) -> None:
    target = _guild_of(client, guild)
    event = await _create(target)
    fake_discord.revoke_bot_permissions(guild, MANAGE_EVENTS)
    for attempt in (_create(target), event.edit(name="renamed"), event.delete()):
        with pytest.raises(discord.Forbidden) as refused:
            await attempt
        assert refused.value.code == 50013
    assert [e["name"] for e in fake_discord.scheduled_events(guild)] == ["Open Forum #5"]
    await target.fetch_scheduled_events()  # reading needs no permission


async def test_rate_limited_create_is_retried_once(
    fake_discord: FakeDiscord, guild: FakeGuild, client: discord.Client
) -> None:
    fake_discord.rate_limit("POST", EVENTS, times=1, retry_after=0.05)
    await _create(_guild_of(client, guild))
    assert [r.status for r in fake_discord.requests_to("POST", EVENTS)] == [429, 200]
    assert len(fake_discord.scheduled_events(guild)) == 1


async def test_the_fake_clock_starts_and_ends_external_events(
    fake_discord: FakeDiscord, guild: FakeGuild, client: discord.Client
) -> None:
    fake_discord.now = datetime.datetime(2030, 11, 10, 9, 0, tzinfo=UTC)
    start = datetime.datetime(2030, 11, 10, 10, 0, tzinfo=UTC)
    target = _guild_of(client, guild)
    event = await _create(target, start_time=start, end_time=start + datetime.timedelta(hours=1))
    fake_discord.now = start
    assert fake_discord.scheduled_events(guild)[0]["status"] == 2  # ACTIVE
    with pytest.raises(discord.HTTPException) as refused:
        await event.edit(start_time=start + datetime.timedelta(minutes=5))
    assert "In scheduled_start_time:" in refused.value.text
    fake_discord.now = lambda: start + datetime.timedelta(hours=2)
    [done] = await target.fetch_scheduled_events()
    assert done.status is discord.EventStatus.completed
    with pytest.raises(discord.HTTPException) as finished:
        await done.edit(name="again")
    assert finished.value.code == 180000

    def completed_in_cache() -> bool:
        cached = target.get_scheduled_event(event.id)
        return cached is not None and cached.status is discord.EventStatus.completed

    await _handled(client, "scheduled_event_update", completed_in_cache)


async def test_status_moves_only_along_discords_transitions(
    guild: FakeGuild, client: discord.Client
) -> None:
    event = await _create(_guild_of(client, guild))
    with pytest.raises(discord.HTTPException) as refused:
        # SCHEDULED -> COMPLETED is not a transition (event.end() checks it first)
        await event.edit(status=discord.EventStatus.completed)
    assert refused.value.code == 50035 and "In status:" in refused.value.text
    started = await event.start()
    assert started.status is discord.EventStatus.active


async def test_a_dm_to_a_user_with_closed_dms_is_forbidden(
    fake_discord: FakeDiscord, guild: FakeGuild, client: discord.Client
) -> None:
    alice = fake_discord.add_user("alice")
    fake_discord.close_dms(alice)
    user = await client.fetch_user(alice.id)
    with pytest.raises(discord.Forbidden) as refused:
        await user.send("Your session starts soon")
    assert refused.value.code == 50007
    assert fake_discord.dm_messages(alice) == []

    fake_discord.close_dms(alice, closed=False)
    await user.send("Your session starts soon")
    assert [m["content"] for m in fake_discord.dm_messages(alice)] == ["Your session starts soon"]


async def test_an_unknown_user_cannot_be_fetched_or_messaged(
    fake_discord: FakeDiscord, guild: FakeGuild, client: discord.Client
) -> None:
    bob = fake_discord.add_user("bob")
    user = await client.fetch_user(bob.id)
    await user.create_dm()
    fake_discord.forget_user(bob)
    with pytest.raises(discord.Forbidden) as refused:
        await user.send("hello")  # the DM channel is cached: the message is refused
    assert refused.value.code == 50007
    with pytest.raises(discord.NotFound) as unknown:
        await client.fetch_user(bob.id)
    assert unknown.value.code == 10013
