"""Reminders, /agenda, /now and /next end to end: discord.py's real client against the fake
Discord (DM channels included), a real database, and a FrozenClock.

The bundled seeds get two sessions on the day Europe/Oslo falls back (2026-10-25, 03:00 CEST ->
02:00 CET): both start at 02:30 Oslo wall time, an hour apart in UTC.
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import AsyncIterator
from contextlib import AbstractAsyncContextManager
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from icalendar import Calendar

from bot.app import IGFBot
from bot.clock import FrozenClock
from bot.models import GuildSettings
from bot.reminders.plan import ReminderSession, new_reminder
from cogs.reminders import Reminders
from tests.fake_discord import FakeDiscord, FakeGuild, FakeUser, InteractionResult
from tests.helpers import BotOptions, loaded_cog, running_bot

FIRST = datetime(2026, 10, 25, 0, 30, tzinfo=UTC)  # 02:30 CEST, before Oslo falls back
FIRST_END = datetime(2026, 10, 25, 0, 55, tzinfo=UTC)
SECOND = datetime(2026, 10, 25, 1, 30, tzinfo=UTC)  # 02:30 CET, after it
SECOND_END = datetime(2026, 10, 25, 2, 0, tzinfo=UTC)
FIRST_KEY = "igf-2026-workshop-7"
SECOND_KEY = "igf-2026-workshop-8"


def seed_text(number: int, title: str, start: datetime, end: datetime, room: str) -> str:
    def stamp(moment: datetime) -> str:
        return f"{moment:%A}, {moment.day}th {moment:%B}, {moment.year} ({moment:%H:%M} UTC)"

    return (
        f"IGF 2026 Workshop #{number} {title}\n\n{stamp(start)} - {stamp(end)}\n{room}\n\n"
        f"A session for the reminder tests.\n"
    )


def ts(moment: datetime) -> int:
    return int(moment.timestamp())


@pytest.fixture
def extra_seeds() -> dict[str, str]:
    return {
        "w7.txt": seed_text(7, "Before The Change", FIRST, FIRST_END, "Room 3"),
        "w8.txt": seed_text(8, "After The Change", SECOND, SECOND_END, "Room 4"),
    }


@pytest.fixture
def clock() -> FrozenClock:
    return FrozenClock(datetime(2026, 10, 24, 12, 0, tzinfo=UTC))


def cog(bot: IGFBot) -> Reminders:
    return loaded_cog(bot, "Reminders")  # type: ignore[no-any-return]


async def first_tick_done(bot: IGFBot) -> None:
    for _ in range(1000):
        if cog(bot).ticks >= 1:
            return
        await asyncio.sleep(0.01)
    raise AssertionError("the reminders loop never ticked")


def clocked(clock: FrozenClock) -> BotOptions:
    return {"clock": clock, "dev_guild": False, "ready": first_tick_done}


@pytest.fixture
def bot_options(clock: FrozenClock) -> BotOptions:
    return clocked(clock)


def running(
    fake: FakeDiscord, tmp_path: Path, seeds: Path, clock: FrozenClock
) -> AbstractAsyncContextManager[IGFBot]:
    return running_bot(fake, tmp_path, seeds, **clocked(clock))


async def remind(
    fake: FakeDiscord, user: FakeUser, session: str, minutes: int | None = None
) -> str:
    options: dict[str, object] = {"session": session}
    if minutes is not None:
        options["minutes_before"] = minutes
    result = await fake.slash("remind add", options, user=user)
    assert result.ephemeral
    return result.content


async def listing(fake: FakeDiscord, user: FakeUser) -> str:
    result = await fake.slash("remind list", user=user)
    assert result.ephemeral
    return str(result.embeds)


def dm_embeds(fake: FakeDiscord, user: FakeUser) -> list[dict]:
    return [m["embeds"][0] for m in fake.dm_messages(user)]


async def tick_at(bot: IGFBot, clock: FrozenClock, moment: datetime) -> list:
    clock.set(moment)
    return await cog(bot).scheduler.tick()


# --------------------------------------------------------------------------- the reminder


async def test_a_reminder_arrives_once_at_its_time(
    bot: IGFBot, fake_discord: FakeDiscord, member: FakeUser, clock: FrozenClock
) -> None:
    choices = await fake_discord.autocomplete(
        "remind add", {"session": "before the ch"}, focused="session", user=member
    )
    assert "Before The Change" in str(choices)
    answer = await remind(fake_discord, member, "Workshop #7")
    assert "Reminder set" in answer and "15 min before" in answer
    assert await tick_at(bot, clock, FIRST - timedelta(minutes=16)) == []
    (result,) = await tick_at(bot, clock, FIRST - timedelta(minutes=15))
    assert result.outcome == "sent"
    (dm,) = dm_embeds(fake_discord, member)
    assert dm["title"] == "⏰ Before The Change"
    text = dm["description"]
    assert "IGF 2026 · Workshop #7" in text and "Room 3" in text
    assert f"<t:{ts(FIRST)}:F>" in text and f"<t:{ts(FIRST)}:R>" in text
    assert "sent late" not in str(dm)
    for minutes in range(1, 4):  # never twice
        await tick_at(bot, clock, FIRST - timedelta(minutes=15 - minutes))
    assert len(fake_discord.dm_messages(member)) == 1
    assert "✅ sent" in await listing(fake_discord, member)
    fake_discord.assert_no_errors()


async def test_adding_again_updates_and_remove_cancels(
    bot: IGFBot, fake_discord: FakeDiscord, member: FakeUser, clock: FrozenClock
) -> None:
    await remind(fake_discord, member, "Workshop #7", 15)
    assert "Reminder updated" in await remind(fake_discord, member, "Workshop #7", 60)
    (reminder,) = await bot.catalog.reminders.for_user(member.id)
    assert reminder.minutes_before == 60 and reminder.due_at == FIRST - timedelta(hours=1)
    removed = await fake_discord.slash("remind remove", {"session": "Workshop #7"}, user=member)
    assert "Reminder removed" in removed.content
    assert await bot.catalog.reminders.for_user(member.id) == []
    assert await tick_at(bot, clock, FIRST) == []
    started = await remind(fake_discord, member, "Open Forum #5")  # 2021: long over
    assert "already started" in started


async def test_fall_back_day_two_sessions_at_the_same_wall_time(
    bot: IGFBot,
    fake_discord: FakeDiscord,
    guild: FakeGuild,
    member: FakeUser,
    clock: FrozenClock,
) -> None:
    await bot.catalog.digests.upsert_guild_settings(GuildSettings(guild.id, timezone="Europe/Oslo"))
    await remind(fake_discord, member, "Workshop #7", 60)
    await remind(fake_discord, member, "Workshop #8", 60)
    clock.set(datetime(2026, 10, 25, 0, 0, tzinfo=UTC))
    upcoming = await fake_discord.slash("next", {"minutes": 120}, user=member)
    text = upcoming.embed["description"]
    assert text.count("02:30") == 2  # the same Oslo wall time, an hour apart
    assert "02:30–02:55 (Europe/Oslo)" in text and "02:30–03:00 (Europe/Oslo)" in text
    assert text.index("Before The Change") < text.index("After The Change")

    (first,) = await tick_at(bot, clock, FIRST - timedelta(hours=1))
    assert first.session_key == FIRST_KEY
    assert await tick_at(bot, clock, FIRST - timedelta(minutes=1)) == []
    (second,) = await tick_at(bot, clock, SECOND - timedelta(hours=1))
    assert second.session_key == SECOND_KEY and second.outcome == "sent"
    titles = [e["title"] for e in dm_embeds(fake_discord, member)]
    assert titles == ["⏰ Before The Change", "⏰ After The Change"]


# --------------------------------------------------------------------------- restarts


async def test_after_downtime_late_if_still_on_missed_if_over(
    fake_discord: FakeDiscord,
    tmp_path: Path,
    seeds: Path,
    guild: FakeGuild,
    member: FakeUser,
    clock: FrozenClock,
) -> None:
    async with running(fake_discord, tmp_path, seeds, clock):
        await remind(fake_discord, member, "Workshop #7", 15)  # due 00:15, over at 00:55
        await remind(fake_discord, member, "Workshop #8", 60)  # due 00:30, on until 02:00
    clock.set(datetime(2026, 10, 25, 1, 0, tzinfo=UTC))  # down until 01:00
    async with running(fake_discord, tmp_path, seeds, clock) as back:
        # the loop's first tick caught up
        (dm,) = dm_embeds(fake_discord, member)
        assert dm["title"] == "⏰ After The Change (sent late)"
        assert "offline" in dm["description"]
        for _ in range(3):
            clock.advance(timedelta(minutes=1))
            assert await cog(back).scheduler.tick() == []
        shown = await listing(fake_discord, member)
        assert "missed" in shown and "✅ sent (sent late)" in shown
    assert len(fake_discord.dm_messages(member)) == 1
    fake_discord.assert_no_errors()


async def test_an_unconfirmed_send_is_never_repeated_after_a_restart(
    fake_discord: FakeDiscord,
    tmp_path: Path,
    seeds: Path,
    guild: FakeGuild,
    member: FakeUser,
    clock: FrozenClock,
) -> None:
    async with running(fake_discord, tmp_path, seeds, clock) as first:
        await remind(fake_discord, member, "Workshop #7", 15)
        due = FIRST - timedelta(minutes=15)
        # a crash between the claim and the confirmation leaves the row 'pending'
        assert await first.catalog.reminders.claim(member.id, FIRST_KEY, due)
    clock.set(due + timedelta(minutes=1))
    async with running(fake_discord, tmp_path, seeds, clock) as second:
        assert await cog(second).scheduler.tick() == []
        assert "not confirmed" in await listing(fake_discord, member)
    assert fake_discord.dm_messages(member) == []


# --------------------------------------------------------------------------- DMs that fail


async def test_closed_dms_are_recorded_and_shown(
    bot: IGFBot, fake_discord: FakeDiscord, member: FakeUser, clock: FrozenClock
) -> None:
    await remind(fake_discord, member, "Workshop #7")
    fake_discord.close_dms(member)
    (result,) = await tick_at(bot, clock, FIRST - timedelta(minutes=15))
    assert result.outcome == "failed" and "DMs are closed" in (result.detail or "")
    assert "could not DM you" in await listing(fake_discord, member)
    assert await tick_at(bot, clock, FIRST - timedelta(minutes=10)) == []  # not retried


async def test_a_user_who_left_discord_is_recorded(
    bot: IGFBot, fake_discord: FakeDiscord, member: FakeUser, clock: FrozenClock
) -> None:
    await remind(fake_discord, member, "Workshop #8")
    fake_discord.forget_user(member)
    (result,) = await tick_at(bot, clock, SECOND - timedelta(minutes=15))
    assert result.outcome == "failed" and "404" in (result.detail or "")
    (reminder,) = await bot.catalog.reminders.for_user(member.id)
    assert reminder.status == "failed"


async def test_remind_me_button_tests_the_dm_at_once(
    bot: IGFBot, fake_discord: FakeDiscord, member: FakeUser, clock: FrozenClock
) -> None:
    card = await fake_discord.slash("session", {"query": "Workshop #7"}, user=member)
    ids = custom_ids(card)
    assert f"remind:{FIRST_KEY}" in ids and f"ics:{FIRST_KEY}" in ids
    fake_discord.close_dms(member)
    refused = await fake_discord.click(card, f"remind:{FIRST_KEY}", user=member)
    assert refused.ephemeral and "cannot send you direct messages" in refused.content
    assert await bot.catalog.reminders.for_user(member.id) == []

    fake_discord.close_dms(member, closed=False)
    accepted = await fake_discord.click(card, f"remind:{FIRST_KEY}", user=member)
    assert accepted.ephemeral and "Reminder set" in accepted.content
    (confirmation,) = dm_embeds(fake_discord, member)
    assert confirmation["title"] == "⏰ Reminder set"
    (reminder,) = await bot.catalog.reminders.for_user(member.id)
    assert reminder.minutes_before == 15 and reminder.status == "scheduled"

    other = fake_discord.add_user("other")  # anyone may use a card's Remind me
    theirs = await fake_discord.click(card, f"remind:{FIRST_KEY}", user=other)
    assert theirs.ephemeral and "Reminder set" in theirs.content
    assert [r.session_key for r in await bot.catalog.reminders.for_user(other.id)] == [FIRST_KEY]
    about = next(i for i in custom_ids(card) if i.startswith("section:description:"))
    opened = await fake_discord.click(card, about, user=other)  # sections are anyone's too
    assert opened.ephemeral and opened.embed["title"].startswith("About this session")

    old = await fake_discord.slash("session", {"query": "Open Forum #5"}, user=member)
    old_ids = custom_ids(old)
    assert not any(i.startswith("remind:") for i in old_ids)  # it has started long ago
    assert any(i.startswith("ics:") for i in old_ids)


def custom_ids(result: InteractionResult) -> list[str]:
    return [c["custom_id"] for row in result.components for c in row["components"]]


# --------------------------------------------------------------------------- the programme


def _reseed(seeds: Path, name: str, text: str | None) -> None:
    if text is None:
        (seeds / name).unlink()
    else:
        (seeds / name).write_text(text)


async def test_a_moved_session_takes_its_reminder_along(
    bot: IGFBot, fake_discord: FakeDiscord, seeds: Path, member: FakeUser, clock: FrozenClock
) -> None:
    await remind(fake_discord, member, "Workshop #7", 15)
    later, later_end = FIRST + timedelta(hours=3), FIRST_END + timedelta(hours=3)
    _reseed(seeds, "w7.txt", seed_text(7, "Before The Change", later, later_end, "Room 9"))
    await bot.catalog.reload()
    await tick_at(bot, clock, FIRST - timedelta(minutes=15))  # the old due time
    assert fake_discord.dm_messages(member) == []
    (reminder,) = await bot.catalog.reminders.for_user(member.id)
    assert reminder.starts_at == later and reminder.due_at == later - timedelta(minutes=15)
    (result,) = await tick_at(bot, clock, later - timedelta(minutes=15))
    assert result.outcome == "sent"
    (dm,) = dm_embeds(fake_discord, member)
    assert f"<t:{ts(later)}:F>" in dm["description"] and "Room 9" in dm["description"]


async def test_a_removed_session_is_told_once(
    bot: IGFBot, fake_discord: FakeDiscord, seeds: Path, member: FakeUser, clock: FrozenClock
) -> None:
    await remind(fake_discord, member, "Workshop #7")
    _reseed(seeds, "w7.txt", None)
    await bot.catalog.reload()
    results = await tick_at(bot, clock, datetime(2026, 10, 24, 13, 0, tzinfo=UTC))
    assert [r.outcome for r in results] == ["gone"]
    for hours in (1, 12, 24):
        await tick_at(
            bot, clock, datetime(2026, 10, 24, 13, 0, tzinfo=UTC) + timedelta(hours=hours)
        )
    (dm,) = dm_embeds(fake_discord, member)
    assert dm["title"] == "❌ Reminder cancelled: Before The Change"
    assert "no longer in the programme" in await listing(fake_discord, member)


# --------------------------------------------------------------------------- agenda, calendar


def _events(data: bytes) -> list:
    return list(Calendar.from_ical(data).walk("VEVENT"))


async def test_agenda_lists_in_time_order_with_a_calendar_file(
    bot: IGFBot, fake_discord: FakeDiscord, member: FakeUser, clock: FrozenClock
) -> None:
    empty = await fake_discord.slash("agenda", user=member)
    assert empty.ephemeral and "No reminded sessions" in empty.embed["description"]
    await remind(fake_discord, member, "Workshop #8")
    await remind(fake_discord, member, "Workshop #7")
    agenda = await fake_discord.slash("agenda", user=member)
    assert agenda.ephemeral
    text = agenda.embed["description"]
    assert text.index("Before The Change") < text.index("After The Change")
    (file,) = agenda.files
    assert file.filename == "igf-agenda.ics"
    events = _events(file.data)
    assert [str(e["UID"]) for e in events] == [
        f"{FIRST_KEY}@igf-forum-bot",
        f"{SECOND_KEY}@igf-forum-bot",
    ]
    assert events[0].decoded("DTSTART") == FIRST and events[0].decoded("DTEND") == FIRST_END
    assert str(events[1]["LOCATION"]) == "Room 4"
    assert "IGF 2026 · Workshop #8" in str(events[1]["DESCRIPTION"])


async def test_add_to_calendar_button_gives_the_sessions_file(
    bot: IGFBot, fake_discord: FakeDiscord, member: FakeUser
) -> None:
    card = await fake_discord.slash("session", {"query": "Open Forum #5"}, user=member)
    result = await fake_discord.click(card, "ics:igf-2021-open-forum-5", user=member)
    assert result.ephemeral
    (file,) = result.files
    assert file.filename == "igf-2021-open-forum-5.ics"
    (event,) = _events(file.data)
    assert str(event["LOCATION"]) == "Ballroom B"
    assert event.decoded("DTSTART") == datetime(2021, 12, 10, 8, 30, tzinfo=UTC)


# --------------------------------------------------------------------------- /now and /next


async def test_now_and_next_on_and_off_forum_days(
    bot: IGFBot, fake_discord: FakeDiscord, member: FakeUser, clock: FrozenClock
) -> None:
    clock.set(FIRST + timedelta(minutes=10))  # 00:40 UTC
    now = await fake_discord.slash("now", user=member)
    assert "Before The Change" in now.embed["description"]
    assert "00:30–00:55 (UTC)" in now.embed["description"]
    assert "Room 3" in now.embed["description"]
    soon = await fake_discord.slash("next", user=member)
    assert "After The Change" in soon.embed["description"]
    assert f"<t:{ts(SECOND)}:R>" in soon.embed["description"]
    assert "Before The Change" not in soon.embed["description"]

    clock.set(FIRST_END)  # between the two sessions
    between = await fake_discord.slash("now", user=member)
    assert "The next session today starts at 01:30 (UTC)" in between.embed["description"]

    clock.set(datetime(2026, 10, 20, 9, 0, tzinfo=UTC))  # not a forum day
    for command in ("now", "next"):
        off = await fake_discord.slash(command, user=member)
        assert "next forum day with sessions is **Sunday 25 October 2026**" in str(off.embed)
    fake_discord.assert_no_errors()


# --------------------------------------------------------------------------- many at once


@pytest.fixture
async def crowd(fake_discord: FakeDiscord, guild: FakeGuild) -> AsyncIterator[list[FakeUser]]:
    yield [fake_discord.add_user(f"user{i}") for i in range(30)]


async def _remind_crowd(bot: IGFBot, crowd: list[FakeUser], clock: FrozenClock) -> None:
    record = await bot.catalog.session_record(FIRST_KEY)
    assert record is not None
    session = ReminderSession.of(record)
    for index, user in enumerate(crowd):  # due 00:00 .. 00:29, the last user first
        reminder = new_reminder(user.id, session, index + 1, clock.now())
        await bot.catalog.reminders.upsert(reminder, clock.now())


def _dm_order(fake: FakeDiscord) -> list[int]:
    posts = [r for r in fake.requests_to("POST", r"/channels/\d+/messages") if r.ok]
    channel_user = {
        int(r.response["id"]): int(r.json["recipient_id"])
        for r in fake.requests_to("POST", r"/users/@me/channels")
        if r.ok
    }
    return [channel_user[int(re.findall(r"\d+", r.path)[0])] for r in posts]


async def test_many_due_at_once_go_in_time_order(
    bot: IGFBot, fake_discord: FakeDiscord, crowd: list[FakeUser], clock: FrozenClock
) -> None:
    await _remind_crowd(bot, crowd, clock)
    results = await tick_at(bot, clock, FIRST)  # due 00:00-00:29: most are late
    assert len(results) == 30 and {r.outcome for r in results} == {"sent", "late"}
    assert _dm_order(fake_discord) == [u.id for u in reversed(crowd)]  # earliest due first
    fake_discord.assert_no_errors()


async def test_rate_limited_dms_are_retried_and_sent_once(
    bot: IGFBot, fake_discord: FakeDiscord, crowd: list[FakeUser], clock: FrozenClock
) -> None:
    await _remind_crowd(bot, crowd, clock)
    fake_discord.rate_limit("POST", r"/channels/\d+/messages", times=3, retry_after=0.05)
    results = await tick_at(bot, clock, FIRST)
    delivered = [r.user_id for r in results if r.outcome in ("sent", "late")]
    assert sorted(delivered) == sorted(u.id for u in crowd)
    assert sorted(_dm_order(fake_discord)) == sorted(u.id for u in crowd)  # each once
    statuses = [r.status for r in fake_discord.requests_to("POST", r"/channels/\d+/messages")]
    assert statuses.count(429) == 3
