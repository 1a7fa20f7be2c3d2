"""/source and the "new takeaways" post end to end (issue #17): discord.py's real client against
the fake Discord, the real database and seeds folder, and a local stand-in IGF site on
127.0.0.1 (tests/sources_server.py), with a FrozenClock."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.app import IGFBot
from bot.clock import FrozenClock
from bot.sources import FetchPolicy, stored_name
from cogs.sources import Sources
from tests.fake_discord import MANAGE_GUILD, FakeChannel, FakeDiscord, FakeGuild, FakeUser
from tests.helpers import BotOptions, running_bot
from tests.sources_server import WS170_CALL, WS170_PATH, WS170_TAKEAWAYS, SourcesServer

WS170_KEY = "igf-2021-workshop-170"
NEWS_BUTTON = f"news:{WS170_KEY}"


def loopback_policy() -> FetchPolicy:
    """The test switches: the stand-in site is plain http on a loopback address."""
    return FetchPolicy(
        hosts=frozenset({"127.0.0.1"}),
        http_hosts=frozenset({"127.0.0.1"}),
        allow_private=True,
        min_interval_s=0.0,
        total_timeout_s=2.0,
    )


@pytest.fixture
def clock() -> FrozenClock:
    return FrozenClock(datetime(2026, 6, 1, 8, 0, tzinfo=UTC))


@pytest.fixture
def bot_options(clock: FrozenClock) -> BotOptions:
    return {"clock": clock, "dev_guild": False, "ready": use_loopback}


@pytest.fixture
async def site(clock: FrozenClock) -> AsyncIterator[SourcesServer]:
    server = await SourcesServer(lambda: clock.now().timestamp()).start()
    try:
        yield server
    finally:
        await server.stop()


@pytest.fixture
def channel(guild: FakeGuild) -> FakeChannel:
    return next(c for c in guild.channels.values() if c.name == "digest")


def sources_cog(bot: IGFBot) -> Sources:
    found = bot.get_cog("Sources")
    assert found is not None and type(found).__name__ == "Sources"
    return found  # type: ignore[return-value]


async def use_loopback(bot: IGFBot) -> None:
    await sources_cog(bot).use_policy(loopback_policy())


@asynccontextmanager
async def restarted(
    fake: FakeDiscord, tmp_path: Path, seeds: Path, clock: FrozenClock
) -> AsyncIterator[IGFBot]:
    """A new bot process on the same database and seeds folder."""
    async with running_bot(
        fake, tmp_path, seeds, clock=clock, dev_guild=False, ready=use_loopback
    ) as instance:
        yield instance


def news_posts(fake: FakeDiscord, channel: FakeChannel) -> list[dict]:
    return [
        m
        for m in fake.messages_in(channel)
        if m.get("embeds") and m["embeds"][0]["title"].startswith("New key takeaways")
    ]


async def add(fake: FakeDiscord, admin: FakeUser, url: str) -> str:
    result = await fake.slash("source add", {"url": url}, user=admin)
    assert result.ephemeral
    return result.content


# --------------------------------------------------------------------------- permissions


async def test_only_managers_add_sources(
    bot: IGFBot, fake_discord: FakeDiscord, site: SourcesServer, member: FakeUser, admin: FakeUser
) -> None:
    (source,) = [c for c in fake_discord.commands() if c["name"] == "source"]
    assert int(source["default_member_permissions"]) == MANAGE_GUILD
    assert {o["name"] for o in source["options"]} == {"add", "list", "remove", "refresh"}
    url = site.base_url + WS170_PATH
    # a server may override the default permissions: the bot checks again
    for command, options in (
        ("source add", {"url": url}),
        ("source refresh", {}),
        ("source remove", {"url": url}),
        ("source list", {}),
    ):
        refused = await fake_discord.slash(
            command, options, user=member, bypass_default_permissions=True
        )
        assert refused.ephemeral and "Manage Server" in refused.content
    assert await bot.catalog.sources.all_sources() == []
    assert site.seen == []  # nothing was fetched for a member

    answer = await add(fake_discord, admin, url)
    assert answer.startswith("Added") and "session page" in answer
    assert "fetched 1" in answer and "changed 1" in answer
    (stored,) = await bot.catalog.sources.all_sources()
    assert stored.url == url and stored.added_by == admin.id and stored.kind == "session"
    assert stored.state.etag == '"v1"' and stored.state.last_fetched_at is not None


async def test_an_added_page_is_stored_and_loads_as_any_document(
    bot: IGFBot, fake_discord: FakeDiscord, site: SourcesServer, admin: FakeUser, seeds: Path
) -> None:
    url = site.base_url + WS170_PATH
    await add(fake_discord, admin, url)
    path = seeds / stored_name(url)
    assert path.is_file() and path.parent.parent.name == "fetched"
    assert "IGF 2021 WS #170 Child Protection Online" in path.read_text(encoding="utf-8")
    found = await bot.catalog.find_session("WS #170")
    assert found.best is not None and found.best.key == WS170_KEY
    card = await fake_discord.slash("session", {"query": "WS #170"}, user=admin)
    assert card.embed["title"].startswith("IGF 2021 WS #170")

    again = await add(fake_discord, admin, url)
    assert "already a source" in again
    listed = await fake_discord.slash("source list", {}, user=admin)
    assert url in listed.embed["description"] and "ok" in listed.embed["description"]

    removed = await fake_discord.slash("source remove", {"url": url}, user=admin)
    assert "Removed" in removed.content and "1 stored pages deleted" in removed.content
    assert not path.exists()
    lookup = await bot.catalog.find_session(WS170_KEY)
    assert lookup.best is None or lookup.best.key != WS170_KEY


async def test_a_list_page_is_followed_once(
    bot: IGFBot, fake_discord: FakeDiscord, site: SourcesServer, admin: FakeUser, seeds: Path
) -> None:
    answer = await add(fake_discord, admin, site.base_url + "/list-2021")
    assert "list page" in answer and "found 2" in answer
    sources = await bot.catalog.sources.all_sources()
    assert [s.kind for s in sources] == ["list", "session", "session"]
    assert {s.found_on for s in sources[1:]} == {site.base_url + "/list-2021"}
    assert len(list((seeds / "fetched").rglob("*.txt"))) == 2
    removed = await fake_discord.slash(
        "source remove", {"url": site.base_url + "/list-2021"}, user=admin
    )
    assert "3 sources" in removed.content and "2 stored pages deleted" in removed.content
    assert list((seeds / "fetched").rglob("*.txt")) == []


# --------------------------------------------------------------------------- news


async def configure_digest(fake: FakeDiscord, admin: FakeUser, channel: FakeChannel) -> None:
    result = await fake.slash("digest channel", {"channel": channel}, user=admin)
    assert "**Channel:**" in result.content


async def test_new_takeaways_are_posted_once_across_restarts(
    fake_discord: FakeDiscord,
    guild: FakeGuild,
    site: SourcesServer,
    admin: FakeUser,
    channel: FakeChannel,
    tmp_path: Path,
    seeds: Path,
    clock: FrozenClock,
) -> None:
    url = site.base_url + WS170_PATH
    async with restarted(fake_discord, tmp_path, seeds, clock) as bot:
        await configure_digest(fake_discord, admin, channel)
        answer = await add(fake_discord, admin, url)
        assert "No new takeaways" in answer  # the page has none yet
        assert news_posts(fake_discord, channel) == []

        site.publish_takeaways = True  # they appear between two refreshes
        clock.advance(timedelta(hours=1))
        refreshed = await fake_discord.slash("source refresh", {}, user=admin)
        assert "changed 1" in refreshed.content and "posted in 1 servers" in refreshed.content
        (post,) = news_posts(fake_discord, channel)
        (embed,) = post["embeds"]
        assert embed["title"] == "New key takeaways — IGF 2021"
        (field,) = embed["fields"]
        assert field["name"].startswith("Workshop #170: Child Protection Online")
        assert WS170_TAKEAWAYS[0][:40] in field["value"]
        button = post["components"][0]["components"][0]
        assert button["custom_id"] == NEWS_BUTTON and button["label"] == "Workshop #170"

        # /takeaways with no session: the newest to appear comes first
        latest = await fake_discord.slash("takeaways", {}, user=admin)
        assert "Child Protection Online" in latest.embed["description"].split("\n\n")[0]

        clock.advance(timedelta(hours=1))
        again = await fake_discord.slash("source refresh", {}, user=admin)
        assert "not modified 1" in again.content and "No new takeaways" in again.content
        assert len(news_posts(fake_discord, channel)) == 1

    async with restarted(fake_discord, tmp_path, seeds, clock) as bot:
        clock.advance(timedelta(days=1))
        result = await sources_cog(bot).scheduler.tick()  # due: a day has passed
        assert result is not None and result.news == []
        await fake_discord.slash("source refresh", {}, user=admin)
        assert len(news_posts(fake_discord, channel)) == 1  # never twice
        # the button answers after the restart, from the key alone
        (post,) = news_posts(fake_discord, channel)
        shown = await fake_discord.click(post, NEWS_BUTTON, user=admin)
        assert shown.ephemeral
        text = " ".join(e["description"] or "" for e in shown.embeds)
        assert WS170_TAKEAWAYS[1][:40] in text
        actions = await bot.catalog.session_record(WS170_KEY)
        assert actions is not None and actions.calls_to_action == [WS170_CALL]


async def test_news_can_be_turned_off(
    bot: IGFBot,
    fake_discord: FakeDiscord,
    site: SourcesServer,
    admin: FakeUser,
    channel: FakeChannel,
) -> None:
    await configure_digest(fake_discord, admin, channel)
    off = await fake_discord.slash("digest news", {"state": "off"}, user=admin)
    assert "will not be posted" in off.content
    site.publish_takeaways = True
    answer = await add(fake_discord, admin, site.base_url + WS170_PATH)
    assert "No new takeaways" in answer and news_posts(fake_discord, channel) == []
    on = await fake_discord.slash("digest news", {"state": "on"}, user=admin)
    assert "in the digest channel" in on.content
    await fake_discord.slash("source refresh", {}, user=admin)
    assert len(news_posts(fake_discord, channel)) == 1  # what was missed, once


# --------------------------------------------------------------------------- the schedule


async def test_refresh_is_due_by_forum_day(bot: IGFBot, clock: FrozenClock) -> None:
    scheduler = sources_cog(bot).scheduler
    forum_day = datetime(2021, 12, 10, 12, 0, tzinfo=UTC)  # Open Forum #5 is that day
    assert await scheduler.interval(forum_day) == timedelta(minutes=30)
    assert await scheduler.interval(clock.now()) == timedelta(days=1)
    assert await scheduler.tick() is None  # no sources: nothing to do
    await bot.catalog.sources.set_last_refresh_at(forum_day)
    assert not await scheduler.due(forum_day + timedelta(minutes=29))
    assert await scheduler.due(forum_day + timedelta(minutes=30))
    await bot.catalog.sources.set_last_refresh_at(clock.now())
    assert not await scheduler.due(clock.now() + timedelta(hours=23))
    assert await scheduler.due(clock.now() + timedelta(days=1))
