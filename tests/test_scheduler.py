"""The digest scheduler: due times, once per local date, catch-up, DST, failures."""

from __future__ import annotations

import hashlib
import inspect
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import discord
import pytest

from bot.catalog import Catalog
from bot.clock import FrozenClock, SystemClock
from bot.digest.scheduler import DigestDeliveryError, DigestScheduler
from bot.digest.timing import due_at, next_due, parse_post_time
from bot.models import GuildSettings
from bot.parser import parse_bytes
from bot.store import Store

SEEDS = sorted((Path(__file__).parent.parent / "seeds").glob("*.txt"))
OSLO = ZoneInfo("Europe/Oslo")
NEW_YORK = ZoneInfo("America/New_York")


class Crash(BaseException):
    """Stands for the process dying (not an error the scheduler may catch)."""


@dataclass
class FakeSender:
    """Records what would be posted; channels in `refuse` answer like a 404/403."""

    refuse: dict[int, str] = field(default_factory=dict)
    broken: set[int] = field(default_factory=set)
    crash_after_send: bool = False
    sent: list[tuple[int, list[discord.Embed], datetime]] = field(default_factory=list)
    clock: FrozenClock | None = None

    async def __call__(self, channel_id: int, embeds: list[discord.Embed]) -> int:
        if channel_id in self.refuse:
            raise DigestDeliveryError(self.refuse[channel_id])
        if channel_id in self.broken:
            raise RuntimeError("connection reset")
        when = self.clock.now() if self.clock else datetime.now(UTC)
        self.sent.append((channel_id, embeds, when))
        if self.crash_after_send:
            raise Crash
        return 10_000 + len(self.sent)

    def channels(self) -> list[int]:
        return [channel for channel, _, _ in self.sent]


@pytest.fixture
async def db(tmp_path: Path) -> Path:
    path = tmp_path / "bot.db"
    store = await Store.open(path)
    sessions = [
        (p.name, hashlib.sha256(p.read_bytes()).hexdigest(), parse_bytes(p.read_bytes(), p.name))
        for p in SEEDS
    ]
    await store.apply(sessions, [])
    await store.close()
    return path


async def open_catalog(db: Path) -> Catalog:
    return Catalog(await Store.open(db), SEEDS[0].parent)


@pytest.fixture
async def catalog(db: Path):
    catalog = await open_catalog(db)
    try:
        yield catalog
    finally:
        await catalog.close()


async def configure(
    catalog: Catalog,
    guild_id: int = 1,
    channel_id: int | None = 100,
    post_time: str = "09:00",
    timezone: str = "Europe/Oslo",
    enabled: bool = True,
) -> None:
    await catalog.digests.upsert_guild_settings(
        GuildSettings(guild_id, channel_id, post_time, timezone, enabled)
    )


def local(tz: ZoneInfo, *args: int, fold: int = 0) -> datetime:
    return datetime(*args, tzinfo=tz, fold=fold)


def make(catalog: Catalog, start: datetime, sender: FakeSender | None = None):
    clock = FrozenClock(start)
    sender = sender or FakeSender()
    sender.clock = clock
    return DigestScheduler(catalog, sender, clock), clock, sender


async def run_minutes(scheduler: DigestScheduler, clock: FrozenClock, minutes: int, step: int = 1):
    """Tick every `step` minutes for `minutes` minutes; (time, result) of every action."""
    actions = []
    for _ in range(0, minutes, step):
        for result in await scheduler.tick():
            actions.append((clock.now(), result))
        clock.advance(timedelta(minutes=step))
    return actions


async def run_day(scheduler: DigestScheduler, clock: FrozenClock, hours: int):
    """A whole local day from midnight: every minute for 6 hours (the DST changes), then
    every quarter of an hour."""
    early = await run_minutes(scheduler, clock, 6 * 60)
    return early + await run_minutes(scheduler, clock, (hours - 6) * 60, step=15)


# --------------------------------------------------------------------------- due times


def test_due_at_on_ordinary_and_dst_days():
    assert due_at(date(2026, 6, 1), time(9), OSLO) == datetime(2026, 6, 1, 7, tzinfo=UTC)
    assert due_at(date(2026, 1, 5), time(9), OSLO) == datetime(2026, 1, 5, 8, tzinfo=UTC)
    # spring forward: 02:30 does not exist -> first minute after the gap (03:00 local)
    gap = due_at(date(2026, 3, 29), time(2, 30), OSLO)
    assert gap == datetime(2026, 3, 29, 1, 0, tzinfo=UTC)
    assert gap.astimezone(OSLO).strftime("%H:%M") == "03:00"
    assert due_at(date(2026, 3, 8), time(2, 30), NEW_YORK).astimezone(NEW_YORK).hour == 3
    # fall back: 02:30 happens twice -> the first one (fold=0, summer time)
    twice = due_at(date(2026, 10, 25), time(2, 30), OSLO)
    assert twice == datetime(2026, 10, 25, 0, 30, tzinfo=UTC)
    assert due_at(date(2026, 11, 1), time(1, 30), NEW_YORK) == datetime(
        2026, 11, 1, 5, 30, tzinfo=UTC
    )


def test_parse_post_time():
    assert parse_post_time("9:05") == time(9, 5)
    assert parse_post_time("23:59") == time(23, 59)
    for bad in ("", "9", "9:5", "25:00", "ab:cd", "09:00:00"):
        with pytest.raises(ValueError):
            parse_post_time(bad)


def test_clocks():
    clock = FrozenClock(local(OSLO, 2026, 6, 1, 9, 0))
    assert clock.now() == datetime(2026, 6, 1, 7, 0, tzinfo=UTC)
    assert clock.now().tzinfo is UTC
    clock.advance(timedelta(minutes=5))
    assert clock.now() == datetime(2026, 6, 1, 7, 5, tzinfo=UTC)
    clock.set(datetime(2030, 1, 1, tzinfo=UTC))
    assert clock.now().year == 2030
    with pytest.raises(ValueError):
        FrozenClock(datetime(2026, 1, 1))
    assert SystemClock().now().tzinfo is not None


# --------------------------------------------------------------------------- posting


async def test_posts_at_the_local_time_and_not_before(catalog):
    await configure(catalog)
    scheduler, clock, sender = make(catalog, local(OSLO, 2026, 6, 1, 8, 58))
    actions = await run_minutes(scheduler, clock, 5)
    assert [(when.astimezone(OSLO).strftime("%H:%M"), r.status) for when, r in actions] == [
        ("09:00", "sent")
    ]
    result = actions[0][1]
    assert (result.guild_id, result.local_date, result.channel_id) == (1, date(2026, 6, 1), 100)
    post = await catalog.digests.digest_post(1, date(2026, 6, 1))
    assert post.status == "sent" and post.message_id == result.message_id == 10_001
    # an archive day: the picks are now featured for this server
    channel, embeds, _ = sender.sent[0]
    assert channel == 100 and embeds[0].title.startswith("From the archive")
    assert await catalog.digests.featured_keys(1) == {
        "igf-2021-open-forum-5",
        "igf-2022-open-forum-25",
    }


async def test_not_twice_for_one_date_even_across_a_restart(db, catalog):
    await configure(catalog)
    scheduler, clock, sender = make(catalog, local(OSLO, 2026, 6, 1, 9, 0))
    assert [r.status for r in await scheduler.tick()] == ["sent"]
    clock.advance(timedelta(hours=3))
    assert await scheduler.tick() == []

    # "restart": a new store connection and a new scheduler on the same database
    reopened = await open_catalog(db)
    try:
        again, clock2, sender2 = make(reopened, local(OSLO, 2026, 6, 1, 9, 1))
        assert await run_minutes(again, clock2, 30) == []
        assert sender2.sent == []
        clock2.set(local(OSLO, 2026, 6, 2, 9, 0))  # the next day does post
        assert [r.local_date for r in await again.tick()] == [date(2026, 6, 2)]
    finally:
        await reopened.close()
    assert len(sender.sent) == 1


async def test_a_pending_claim_is_not_resent(catalog):
    """A crash between claiming and confirming leaves 'pending': it is logged, never re-sent."""
    await configure(catalog)
    await catalog.digests.claim_digest(1, date(2026, 6, 1))
    scheduler, clock, sender = make(catalog, local(OSLO, 2026, 6, 1, 9, 30))
    results = await scheduler.tick()
    assert [(r.status, r.guild_id) for r in results] == [("pending", 1)]
    assert "not re-sent" in results[0].detail
    assert await run_minutes(scheduler, clock, 10) == []  # reported once, never sent
    assert sender.sent == []
    assert (await catalog.digests.digest_post(1, date(2026, 6, 1))).status == "pending"


async def test_a_crash_right_after_sending_does_not_send_again(db, catalog):
    await configure(catalog)
    crashing = FakeSender(crash_after_send=True)
    scheduler, _, _ = make(catalog, local(OSLO, 2026, 6, 1, 9, 0), crashing)
    with pytest.raises(Crash):
        await scheduler.tick()
    assert len(crashing.sent) == 1  # it went out, but was never confirmed

    reopened = await open_catalog(db)
    try:
        restarted, clock, sender = make(reopened, local(OSLO, 2026, 6, 1, 9, 1))
        actions = await run_minutes(restarted, clock, 60)
        assert [r.status for _, r in actions] == ["pending"]
        assert sender.sent == []
    finally:
        await reopened.close()


async def test_catch_up_after_downtime_posts_once_the_same_local_day(catalog):
    await configure(catalog, post_time="09:00")
    # the bot was down at 09:00 and comes back at 15:42
    scheduler, clock, sender = make(catalog, local(OSLO, 2026, 6, 1, 15, 42))
    actions = await run_minutes(scheduler, clock, 120)
    assert [(when.astimezone(OSLO).strftime("%H:%M"), r.status) for when, r in actions] == [
        ("15:42", "sent")
    ]
    assert len(sender.sent) == 1


async def test_a_day_that_has_passed_is_not_posted(catalog):
    await configure(catalog, post_time="09:00")
    # down all of 1 June; back at 00:30 on 2 June (before 2 June's time)
    scheduler, clock, sender = make(catalog, local(OSLO, 2026, 6, 2, 0, 30))
    assert await run_minutes(scheduler, clock, 8 * 60 + 30) == []  # ticks up to 08:59
    assert await catalog.digests.digest_post(1, date(2026, 6, 1)) is None
    assert [r.local_date for r in await scheduler.tick()] == [date(2026, 6, 2)]
    assert len(sender.sent) == 1


async def test_local_date_is_the_servers_date_not_utcs(catalog):
    # 23:30 in New York on 1 June is 03:30 UTC on 2 June; the digest is for 1 June
    await configure(catalog, post_time="23:30", timezone="America/New_York")
    scheduler, clock, _ = make(catalog, local(NEW_YORK, 2026, 6, 1, 23, 29))
    actions = await run_minutes(scheduler, clock, 3)
    assert [r.local_date for _, r in actions] == [date(2026, 6, 1)]


@pytest.mark.parametrize(
    ("zone", "day", "post_time", "expected_local"),
    [
        (OSLO, date(2026, 3, 29), "02:30", "03:00"),  # 02:00 -> 03:00
        (NEW_YORK, date(2026, 3, 8), "02:30", "03:00"),  # 02:00 -> 03:00
        (NEW_YORK, date(2026, 3, 8), "02:00", "03:00"),
        (OSLO, date(2026, 3, 29), "03:00", "03:00"),
        (OSLO, date(2026, 3, 29), "09:00", "09:00"),
    ],
)
async def test_spring_forward_posts_once_at_the_first_minute_after_the_gap(
    catalog, zone, day, post_time, expected_local
):
    await configure(catalog, post_time=post_time, timezone=zone.key)
    start = datetime.combine(day, time(0), tzinfo=zone)
    scheduler, clock, sender = make(catalog, start)
    actions = await run_day(scheduler, clock, 23)
    assert [(when.astimezone(zone).strftime("%H:%M"), r.local_date) for when, r in actions] == [
        (expected_local, day)
    ]
    assert len(sender.sent) == 1


@pytest.mark.parametrize(
    ("zone", "day", "post_time", "first_utc"),
    [
        (OSLO, date(2026, 10, 25), "02:30", datetime(2026, 10, 25, 0, 30, tzinfo=UTC)),
        (NEW_YORK, date(2026, 11, 1), "01:30", datetime(2026, 11, 1, 5, 30, tzinfo=UTC)),
        (NEW_YORK, date(2026, 11, 1), "01:00", datetime(2026, 11, 1, 5, 0, tzinfo=UTC)),
    ],
)
async def test_fall_back_posts_once_at_the_first_occurrence(
    catalog, zone, day, post_time, first_utc
):
    await configure(catalog, post_time=post_time, timezone=zone.key)
    start = datetime.combine(day, time(0), tzinfo=zone)
    scheduler, clock, sender = make(catalog, start)
    actions = await run_day(scheduler, clock, 25)
    assert [(when, r.local_date) for when, r in actions] == [(first_utc, day)]
    assert first_utc.astimezone(zone).fold == 0
    # the same wall time again, an hour later, is still the same local date: nothing
    assert len(sender.sent) == 1


async def test_a_restart_during_the_repeated_hour_does_not_post_again(db, catalog):
    await configure(catalog, post_time="02:30", timezone="Europe/Oslo")
    first, clock, _ = make(catalog, local(OSLO, 2026, 10, 25, 2, 30, fold=0))
    assert [r.status for r in await first.tick()] == ["sent"]
    # restart at 02:30 the second time (winter time)
    reopened = await open_catalog(db)
    try:
        second, clock2, sender2 = make(reopened, local(OSLO, 2026, 10, 25, 2, 30, fold=1))
        assert clock2.now() - clock.now() == timedelta(hours=1)
        assert await run_minutes(second, clock2, 90) == []
        assert sender2.sent == []
    finally:
        await reopened.close()


# --------------------------------------------------------------------------- many servers


class Counting:
    """A real object (the catalog, its ledger) whose coroutine methods are counted on the
    way through; every call still reaches the real method."""

    def __init__(self, real: Any, calls: Counter[str], prefix: str = "") -> None:
        self._real, self._calls, self._prefix = real, calls, prefix

    def __getattr__(self, name: str) -> Any:
        attr = getattr(self._real, name)
        if name == "digests":
            return Counting(attr, self._calls, "digests.")
        if not inspect.iscoroutinefunction(attr):
            return attr

        async def counted(*args: Any, **kwargs: Any) -> Any:
            self._calls[self._prefix + name] += 1
            return await attr(*args, **kwargs)

        return counted


async def test_servers_due_together_share_the_days_reads(catalog):
    # six servers due in one tick: four in Oslo, two in UTC (09:00 UTC is 11:00 in Oslo)
    for guild_id in range(1, 7):
        zone = "UTC" if guild_id > 4 else "Europe/Oslo"
        await configure(catalog, guild_id=guild_id, channel_id=100 + guild_id, timezone=zone)
    calls: Counter[str] = Counter()
    counting: Any = Counting(catalog, calls)
    scheduler, _, sender = make(counting, datetime(2026, 6, 1, 9, 0, tzinfo=UTC))
    assert [r.status for r in await scheduler.tick()] == ["sent"] * 6
    assert sender.channels() == [101, 102, 103, 104, 105, 106]
    # shared: the day's sessions once per (local date, zone), the archive once, each pick's
    # record once (two candidates, both picked everywhere)
    assert calls["sessions_between"] == 2
    assert calls["sessions_with_outcomes"] == 1
    assert calls["session_record"] == 2
    # per server: what it has seen and when its last digest went out
    assert calls["digests.featured_keys"] == 6
    assert calls["digests.last_sent_digest_at"] == 6
    assert calls["sessions_added_since"] == 0  # no earlier digest anywhere: nothing is new


async def test_one_failing_server_does_not_stop_the_others(catalog):
    await configure(catalog, guild_id=1, channel_id=101)  # deleted channel
    await configure(catalog, guild_id=2, channel_id=102)  # fine
    await configure(catalog, guild_id=3, channel_id=103)  # network trouble
    await configure(catalog, guild_id=4, channel_id=104, timezone="UTC")  # fine, another zone
    sender = FakeSender(refuse={101: "Unknown Channel (404)"}, broken={103})
    scheduler, clock, _ = make(catalog, local(OSLO, 2026, 6, 1, 9, 0), sender)
    clock.set(datetime(2026, 6, 1, 9, 0, tzinfo=UTC))  # due everywhere
    results = {r.guild_id: r for r in await scheduler.tick()}
    assert {g: r.status for g, r in results.items()} == {
        1: "failed",
        2: "sent",
        3: "failed",
        4: "sent",
    }
    assert results[1].detail == "Unknown Channel (404)"
    assert "may not have been delivered" in results[3].detail
    failed = await catalog.digests.digest_post(1, date(2026, 6, 1))
    assert (failed.status, failed.detail) == ("failed", "Unknown Channel (404)")
    assert sender.channels() == [102, 104]
    assert await catalog.digests.featured_keys(1) == set()  # nothing delivered, nothing featured
    # a failed date is not retried (it may be posted by hand with /digest now)
    clock.advance(timedelta(minutes=1))
    assert await scheduler.tick() == []


async def test_unexpected_errors_in_one_server_are_contained(catalog, monkeypatch):
    await configure(catalog, guild_id=1, channel_id=101)
    await configure(catalog, guild_id=2, channel_id=102)
    scheduler, _, sender = make(catalog, local(OSLO, 2026, 6, 1, 9, 0))
    real_claim = catalog.digests.claim_digest

    async def flaky_claim(guild_id, local_date):
        if guild_id == 1:
            raise RuntimeError("database is locked")
        return await real_claim(guild_id, local_date)

    monkeypatch.setattr(catalog.digests, "claim_digest", flaky_claim)
    assert [(r.guild_id, r.status) for r in await scheduler.tick()] == [(2, "sent")]
    assert sender.channels() == [102]


async def test_disabled_unconfigured_and_broken_settings_are_skipped(catalog):
    await configure(catalog, guild_id=1, enabled=False)
    await configure(catalog, guild_id=2, channel_id=None)
    await configure(catalog, guild_id=3, channel_id=103)
    scheduler, _, sender = make(catalog, local(OSLO, 2026, 6, 1, 12, 0))
    assert [r.guild_id for r in await scheduler.tick()] == [3]
    assert sender.channels() == [103]


async def test_posting_now_claims_the_date_so_the_scheduled_one_is_skipped(catalog):
    await configure(catalog, post_time="18:00")
    scheduler, clock, sender = make(catalog, local(OSLO, 2026, 6, 1, 8, 0))
    settings = await catalog.digests.guild_settings(1)
    result = await scheduler.post_now(settings)
    assert (result.status, result.local_date, result.message_id) == (
        "sent",
        date(2026, 6, 1),
        10_001,
    )
    again = await scheduler.post_now(settings)  # never a second copy
    assert (again.status, again.message_id) == ("skipped", 10_001)
    assert "already posted" in again.detail
    assert await scheduler.post(settings, date(2026, 6, 1)) is None  # already claimed
    clock.set(local(OSLO, 2026, 6, 1, 18, 0))
    assert await scheduler.tick() == []
    assert len(sender.sent) == 1


async def test_posting_now_retries_a_failed_day_but_not_a_pending_one(catalog):
    await configure(catalog, channel_id=101)
    sender = FakeSender(refuse={101: "Missing Permissions (403)"})
    scheduler, clock, _ = make(catalog, local(OSLO, 2026, 6, 1, 9, 0), sender)
    assert [r.status for r in await scheduler.tick()] == ["failed"]
    sender.refuse.clear()  # the admin fixed the permissions
    clock.advance(timedelta(hours=1))
    assert await scheduler.tick() == []  # the schedule does not retry by itself
    result = await scheduler.post_now(await catalog.digests.guild_settings(1))
    assert result.status == "sent"
    assert (await catalog.digests.digest_post(1, date(2026, 6, 1))).status == "sent"
    assert sender.channels() == [101]

    await catalog.digests.claim_digest(1, date(2026, 6, 2))  # unconfirmed attempt on 2 June
    clock.set(local(OSLO, 2026, 6, 2, 12, 0))
    skipped = await scheduler.post_now(await catalog.digests.guild_settings(1))
    assert skipped.status == "skipped" and "never confirmed" in skipped.detail
    assert sender.channels() == [101]


def test_next_due():
    nine = time(9, 0)
    before = local(OSLO, 2026, 6, 1, 8, 0)
    assert next_due(before, nine, OSLO, done_today=False) == local(OSLO, 2026, 6, 1, 9, 0)
    after = local(OSLO, 2026, 6, 1, 10, 0)
    assert next_due(after, nine, OSLO, done_today=False) == after  # missed: due now
    assert next_due(after, nine, OSLO, done_today=True) == local(OSLO, 2026, 6, 2, 9, 0)
    eve = local(OSLO, 2026, 3, 28, 12, 0)
    assert next_due(eve, time(2, 30), OSLO, done_today=True) == local(OSLO, 2026, 3, 29, 3, 0)


async def test_archive_rotation_through_daily_posts_resets_after_a_full_cycle(catalog):
    await configure(catalog, timezone="UTC")
    scheduler, clock, sender = make(catalog, datetime(2026, 6, 1, 9, 0, tzinfo=UTC))
    featured_per_day = []
    for _ in range(3):
        await scheduler.tick()
        featured_per_day.append(set(await catalog.digests.featured_keys(1)))
        clock.advance(timedelta(days=1))
    both = {"igf-2021-open-forum-5", "igf-2022-open-forum-25"}
    # 2 candidates, 3 picks a day: all on day 1; day 2 starts a new cycle (reset, then mark)
    assert featured_per_day == [both, both, both]
    titles = [embeds[0].description for _, embeds, _ in sender.sent]
    assert "new round" not in titles[0] and "new round" in titles[1]


async def test_the_sender_gets_embeds_only(catalog):
    await configure(catalog)
    calls = []

    async def sender(*args, **kwargs):
        calls.append((args, kwargs))
        return 1

    scheduler = DigestScheduler(catalog, sender, FrozenClock(local(OSLO, 2026, 6, 1, 9, 0)))
    await scheduler.tick()
    ((args, kwargs),) = calls
    assert kwargs == {} and args[0] == 100
    assert all(isinstance(e, discord.Embed) for e in args[1])
