"""Digest fan-out: many servers due in the same minute, posted to the fake Discord on 127.0.0.1.

The real bot (discord.py's client, the digest cog's sender, `DigestScheduler`) runs against
tests/fake_discord with one #digest channel per server, every server due at 09:00 UTC. One tick
is timed three ways, each on a fresh bot, database and fake: one server at a time and unpaced
(as before), as the bot runs (bounded concurrency, at most DIGEST_POSTS_PER_SECOND posts
started a second), and concurrent without the pace (the bot's own capacity). Each run checks
that every server got exactly one message. ``--latency`` adds Discord's network time to each
post.

A benchmark, not a test: nothing asserts on time. Without ``--latency`` the fake answers in about
a millisecond, so this measures the bot's own cost per digest (reads, claim and confirm writes,
rendering, discord.py), which runs on one event loop and one SQLite writer either way; against
Discord each post also waits ~0.1-0.3 s on the network, which concurrency overlaps and
one-at-a-time adds up.

    .venv/bin/python bench/digest_fanout.py                  # 1,000 servers on the seeds
    .venv/bin/python bench/digest_fanout.py --latency 0.1    # with Discord's network time
    .venv/bin/python bench/digest_fanout.py --servers 100 --docs 2000 --json
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import shutil
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Awaitable, Callable, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from aiohttp import web  # noqa: E402

from bench.corpus import write_corpus  # noqa: E402
from bot.app import IGFBot  # noqa: E402
from bot.clock import FrozenClock  # noqa: E402
from bot.digest.scheduler import (  # noqa: E402
    DIGEST_CONCURRENCY,
    DIGEST_POSTS_PER_SECOND,
    DigestScheduler,
)
from bot.discord_api import point_discord_at  # noqa: E402
from bot.models import GuildSettings  # noqa: E402
from bot.scheduling import Throttle  # noqa: E402
from tests.fake_discord import FakeChannel, FakeDiscord  # noqa: E402
from tests.helpers import copy_seeds, make_bot  # noqa: E402

FIRST_DAY = datetime(2026, 6, 1, 9, 0, tzinfo=UTC)
Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


def add_servers(fake: FakeDiscord, count: int) -> list[FakeChannel]:
    """`count` servers with a #digest channel each (before the bot connects)."""
    guilds = [fake.add_guild(f"server {i}", channels=["digest"]) for i in range(count)]
    return [next(iter(g.channels.values())) for g in guilds]


def scheduler_of(bot: IGFBot) -> DigestScheduler:
    cog: Any = bot.get_cog("Digest")
    cog.ticker.cancel()  # the bench ticks by hand
    scheduler: DigestScheduler = cog.scheduler
    return scheduler


async def configure(bot: IGFBot, channels: Sequence[FakeChannel]) -> None:
    for channel in channels:
        assert channel.guild_id is not None
        await bot.catalog.digests.upsert_guild_settings(
            GuildSettings(channel.guild_id, channel.id, "09:00", "UTC", True)
        )


async def timed_tick(
    fake: FakeDiscord, scheduler: DigestScheduler, channels: Sequence[FakeChannel]
) -> dict[str, Any]:
    """One tick with every server due; seconds, posts/s, and whether each got one message."""
    before = len(fake.requests)
    start = time.perf_counter()
    results = await scheduler.tick()
    seconds = time.perf_counter() - start
    posts = Counter(
        r.path
        for r in fake.requests[before:]
        if r.method == "POST" and r.ok and r.path.endswith("/messages")
    )
    expected = {f"/channels/{c.id}/messages": 1 for c in channels}
    interval = scheduler.throttle.pace.interval
    return {
        "servers": len(channels),
        "concurrency": scheduler.throttle.at_once,
        "posts_per_second": round(1 / interval) if interval else 0,
        "seconds": round(seconds, 3),
        "posts_per_s": round(sum(posts.values()) / seconds, 1),
        "sent": sum(r.status == "sent" for r in results),
        "exactly_one_each": posts == expected,
    }


class SlowFakeDiscord(FakeDiscord):
    """The fake, with Discord's network time added to every message post."""

    def __init__(self, latency: float) -> None:
        super().__init__()
        self.latency = latency

    @web.middleware
    async def _middleware(self, request: web.Request, handler: Handler) -> web.StreamResponse:
        if self.latency and request.method == "POST" and request.path.endswith("/messages"):
            await asyncio.sleep(self.latency)
        return await super()._middleware(request, handler)


async def one_run(
    servers: int, docs: int, mode: tuple[int, float], latency: float, workdir: Path
) -> dict[str, Any]:
    """A fresh bot, database and fake with `servers` due at once; one timed tick."""
    seeds = copy_seeds(workdir)
    if docs:
        write_corpus(seeds, docs)
    async with SlowFakeDiscord(latency) as fake:
        point_discord_at(fake.base_url)
        channels = add_servers(fake, servers)
        bot = make_bot(fake, workdir, seeds, clock=FrozenClock(FIRST_DAY))
        async with fake.run(bot, timeout=120.0):
            scheduler = scheduler_of(bot)
            await configure(bot, channels)
            scheduler.throttle = Throttle(*mode)
            return await timed_tick(fake, scheduler, channels)


def modes(args: argparse.Namespace) -> dict[str, tuple[int, float]]:
    """name -> (concurrency, posts started per second at most; 0: no limit)."""
    return {
        "sequential": (1, 0.0),  # as before: one after another, unpaced
        "concurrent": (args.concurrency, args.posts_per_second),  # as the bot runs
        "unpaced": (args.concurrency, 0.0),  # the bot's own capacity, past Discord's limit
    }


def run(args: argparse.Namespace) -> dict[str, Any]:
    result: dict[str, Any] = {
        "servers": args.servers,
        "documents": args.docs,
        "latency_s": args.latency,
    }
    for name, mode in modes(args).items():
        workdir = Path(tempfile.mkdtemp(prefix="digest-fanout-"))
        try:
            result[name] = asyncio.run(
                one_run(args.servers, args.docs, mode, args.latency, workdir)
            )
        finally:
            shutil.rmtree(workdir, ignore_errors=True)
    result["speedup"] = round(result["sequential"]["seconds"] / result["concurrent"]["seconds"], 2)
    return result


def report(result: dict[str, Any]) -> str:
    lines = [
        f"servers {result['servers']}, documents {result['documents'] or 'the seeds'}, "
        f"network time per post {result['latency_s']} s"
    ]
    for name in ("sequential", "concurrent", "unpaced"):
        run_ = result[name]
        check = "ok" if run_["exactly_one_each"] else "NOT exactly one each"
        lines.append(
            f"  {name:<10} (concurrency {run_['concurrency']:>2}, "
            f"pace {run_['posts_per_second'] or 'none':>4}): {run_['seconds']:7.2f} s, "
            f"{run_['posts_per_s']:7.1f} posts/s, {run_['sent']} sent, {check}"
        )
    lines.append(f"  concurrent vs sequential: {result['speedup']}x")
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--servers", type=int, default=1000, help="servers due (default 1000)")
    parser.add_argument("--docs", type=int, default=0, help="synthetic documents beside seeds")
    parser.add_argument("--concurrency", type=int, default=DIGEST_CONCURRENCY)
    parser.add_argument("--posts-per-second", type=float, default=DIGEST_POSTS_PER_SECOND)
    parser.add_argument(
        "--latency", type=float, default=0.0, help="seconds added to each post (Discord: ~0.1-0.3)"
    )
    parser.add_argument("--json", action="store_true", help="end with one JSON line")
    args = parser.parse_args(argv)
    if args.servers < 1:
        parser.error("--servers must be at least 1")
    # The store's checkpoint warnings and each post's INFO line would drown the table.
    logging.basicConfig(level=logging.ERROR)
    result = run(args)
    print(report(result))
    if args.json:
        print(json.dumps(result, sort_keys=True))
    runs = [result[name] for name in modes(args)]
    return 0 if all(r["exactly_one_each"] for r in runs) else 1


if __name__ == "__main__":
    sys.exit(main())
