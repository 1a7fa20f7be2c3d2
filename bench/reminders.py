"""Benchmark of reminders (issue #15): 10,000 reminders due in the same minute.

    python bench/reminders.py [--n N] [--dm-sample D] [--pace-sample P] [--json]

Measures, on a temporary database holding N reminders (default 10,000) for 50 sessions, all
due at the same instant:

* storing them (`ReminderLedger.upsert`, one write transaction each, as users add them);
* one scheduler tick over all of them with an instant in-process sender and no pacing: the
  bot's own cost per reminder (read, decide, claim, render, confirm), and whether they went
  out in due order, each once;
* the pacer: P sends at the production rate (`scheduler.RATE` a second), to check the rate
  really held (so N due at once take about N / RATE seconds, under Discord's 50 a second);
* D real DMs through discord.py's HTTP client against the tests' fake Discord (DM channel +
  message, two requests each the first time), with the production pacing and workers.

It is a benchmark, not a test: nothing asserts on time. With --json the last line is one JSON
object.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import discord  # noqa: E402

from bot.catalog import Catalog  # noqa: E402
from bot.clock import FrozenClock  # noqa: E402
from bot.models import Session  # noqa: E402
from bot.reminders import scheduler as reminders_scheduler  # noqa: E402
from bot.reminders.plan import ReminderSession, new_reminder  # noqa: E402
from bot.reminders.scheduler import ReminderScheduler  # noqa: E402
from bot.scheduling import Pace, Throttle  # noqa: E402
from bot.store import Store  # noqa: E402

START = datetime(2030, 6, 1, 9, 0, tzinfo=UTC)
SESSIONS = 50


def _sessions() -> list[Session]:
    return [
        Session(
            heading=f"IGF 2030 Workshop #{n} Bench session {n}",
            title=f"Bench session {n}",
            event="IGF 2030",
            year=2030,
            session_type="Workshop",
            number=n,
            starts_at=START,
            ends_at=START + timedelta(hours=1),
            room=f"Room {n % 7}",
            source_url=f"https://example.org/ws{n}",
        )
        for n in range(1, SESSIONS + 1)
    ]


async def _catalog(directory: Path) -> Catalog:
    """The bench's sessions written straight into a new database, then opened as the bot does."""
    rows = [(f"ws{s.number}.txt", f"h{s.number}", s) for s in _sessions()]
    store = await Store.open(directory / "bench.db")
    try:
        await store.apply(rows, [])
    finally:
        await store.close()
    return await Catalog.open(directory / "bench.db", directory / "seeds")


async def store_reminders(catalog: Catalog, n: int, now: datetime) -> float:
    sessions = [ReminderSession.of(s) for s in _sessions()]
    started = time.perf_counter()
    for index in range(n):
        reminder = new_reminder(1000 + index, sessions[index % SESSIONS], 15, now)
        await catalog.reminders.upsert(reminder, now)
    return time.perf_counter() - started


async def tick_instant(catalog: Catalog, n: int) -> dict[str, Any]:
    sent: list[int] = []

    async def send(user_id: int, embed: discord.Embed) -> None:
        sent.append(user_id)

    due = START - timedelta(minutes=15)
    scheduler = ReminderScheduler(catalog, send, FrozenClock(due))
    scheduler.throttle = Throttle()  # one at a time, unpaced: the bot's own cost per reminder
    expected = [r.user_id for r in await catalog.reminders.due(due, n)]
    started = time.perf_counter()
    results = await scheduler.tick()
    seconds = time.perf_counter() - started
    again = await scheduler.tick()
    return {
        "tick_s": round(seconds, 3),
        "per_reminder_ms": round(seconds / max(1, n) * 1000, 3),
        "reminders_per_s": round(n / seconds, 1),
        "sent": sum(r.outcome == "sent" for r in results),
        "in_due_order": sent == expected,
        "each_once": len(sent) == len(set(sent)) == n and again == [],
    }


async def pace(sample: int) -> dict[str, Any]:
    pacer = Pace(reminders_scheduler.RATE)
    started = time.perf_counter()
    for _ in range(sample):
        await pacer.wait()
    seconds = time.perf_counter() - started
    rate = (sample - 1) / seconds if seconds else float("inf")
    return {"pace_sample": sample, "paced_rate_per_s": round(rate, 1)}


async def through_fake_discord(catalog: Catalog, sample: int) -> dict[str, Any]:
    from discord.gateway import DiscordWebSocket

    from bot.discord_api import point_discord_at
    from tests.fake_discord import FakeDiscord

    saved = discord.http.Route.BASE, DiscordWebSocket.DEFAULT_GATEWAY
    fake = FakeDiscord()
    await fake.start()
    point_discord_at(fake.base_url)
    client = discord.Client(intents=discord.Intents.none())
    try:
        await client.login(fake.token)
        users = [fake.add_user(f"u{i}") for i in range(sample)]
        session = ReminderSession.of(_sessions()[0])
        due = START - timedelta(minutes=15)
        for user in users:
            await catalog.reminders.upsert(new_reminder(user.id, session, 15, due), due)

        async def send(user_id: int, embed: discord.Embed) -> None:
            channel = await client.create_dm(discord.Object(user_id))
            await channel.send(embed=embed)

        scheduler = ReminderScheduler(catalog, send, FrozenClock(due))
        started = time.perf_counter()
        results = await scheduler.tick()
        seconds = time.perf_counter() - started
        messages = sum(len(fake.dm_messages(u)) for u in users)
        return {
            "dm_sample": sample,
            "dm_s": round(seconds, 2),
            "dms_per_s": round(sample / seconds, 1),
            "dm_sent": sum(r.outcome == "sent" for r in results),
            "dm_messages": messages,
            "dm_429s": sum(r.status == 429 for r in fake.requests),
        }
    finally:
        await client.close()
        await fake.stop()
        discord.http.Route.BASE, DiscordWebSocket.DEFAULT_GATEWAY = saved


async def run(n: int, dm_sample: int, pace_sample: int) -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as tmp:
        directory = Path(tmp)
        (directory / "seeds").mkdir()
        catalog = await _catalog(directory)
        try:
            now = START - timedelta(days=1)
            stored = await store_reminders(catalog, n, now)
            numbers: dict[str, Any] = {
                "n": n,
                "store_s": round(stored, 2),
                "stores_per_s": round(n / stored, 1),
            }
            numbers |= await tick_instant(catalog, n)
            numbers |= await pace(pace_sample)
            if dm_sample:
                numbers |= await through_fake_discord(catalog, dm_sample)
            numbers["n_at_rate_s"] = round(n / reminders_scheduler.RATE, 1)
            return numbers
        finally:
            await catalog.close()


class _Count(logging.Handler):
    """Counts the store's "WAL checkpoint failed" warnings instead of printing each."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.count = 0

    def emit(self, record: logging.LogRecord) -> None:
        self.count += 1


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=10_000)
    parser.add_argument("--dm-sample", type=int, default=400)
    parser.add_argument("--pace-sample", type=int, default=200)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    counter = _Count()
    store_log = logging.getLogger("bot.store")
    store_log.addHandler(counter)
    store_log.propagate = False
    try:
        numbers = asyncio.run(run(args.n, args.dm_sample, args.pace_sample))
    finally:
        store_log.removeHandler(counter)
        store_log.propagate = True
    numbers["store_warnings"] = counter.count
    rate = reminders_scheduler.RATE
    lines = [
        f"reminders due at once: {numbers['n']:,}",
        f"store: {numbers['store_s']} s ({numbers['stores_per_s']}/s, one transaction each)",
        f"tick, instant sender: {numbers['tick_s']} s = {numbers['per_reminder_ms']} ms a "
        f"reminder ({numbers['reminders_per_s']}/s); in due order: {numbers['in_due_order']}; "
        f"each once: {numbers['each_once']}",
        f"pacer: {numbers['paced_rate_per_s']}/s over {numbers['pace_sample']} sends "
        f"(RATE = {rate}/s; Discord allows 50 requests/s)",
    ]
    if "dm_sample" in numbers:
        lines.append(
            f"fake Discord: {numbers['dm_sample']} DMs in {numbers['dm_s']} s "
            f"({numbers['dms_per_s']}/s), {numbers['dm_messages']} delivered, "
            f"{numbers['dm_429s']} rate-limited (429) responses"
        )
    lines.append(f"so {numbers['n']:,} due at once leave in about {numbers['n_at_rate_s']} s")
    lines.append(f"store warnings (WAL checkpoint during a write): {numbers['store_warnings']}")
    print("\n".join(lines))
    if args.json:
        print(json.dumps(numbers))
    return 0


if __name__ == "__main__":
    sys.exit(main())
