"""How long a refresh of 1,000 unchanged sources takes (issue #17): every page answers 304.

Runs the real `Refresher` (ledger, fetcher, loader, outcome comparison) against the stand-in
IGF site of the tests (tests/sources_server.py) on 127.0.0.1, in a temporary directory. The
per-host interval is set to 0 to measure the bot's own cost; the politeness floor that the
production interval (one request a second per host) adds is printed beside it.

    .venv/bin/python bench/sources.py [--n 1000] [--rounds 3]

It is a benchmark, not a test: nothing asserts on time.
"""

from __future__ import annotations

import argparse
import asyncio
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bot.catalog import Catalog  # noqa: E402
from bot.sources import FetchPolicy, PageFetcher  # noqa: E402
from bot.sources.refresh import Refresher, RefreshReport  # noqa: E402
from tests.sources_server import SourcesServer  # noqa: E402

PRODUCTION_INTERVAL_S = FetchPolicy().min_interval_s


def _policy() -> FetchPolicy:
    loopback = frozenset({"127.0.0.1"})
    return FetchPolicy(hosts=loopback, http_hosts=loopback, allow_private=True, min_interval_s=0)


async def _timed(refresher: Refresher) -> tuple[float, RefreshReport]:
    start = time.perf_counter()
    report = await refresher.refresh()
    return time.perf_counter() - start, report


async def bench(n: int, rounds: int, work: Path) -> None:
    seeds = work / "seeds"
    shutil.copytree(ROOT / "seeds", seeds)
    site = await SourcesServer().start()
    catalog = await Catalog.open(work / "igf.db", seeds)
    try:
        await catalog.reload()
        urls = [f"{site.base_url}/en/content/igf-2021-session-{i}" for i in range(n)]
        await catalog.sources.add_sources(urls, "session")
        async with PageFetcher(_policy()) as fetcher:
            refresher = Refresher(catalog, seeds, fetcher)
            first, report = await _timed(refresher)
            print(f"first refresh ({n} pages, 200, written and loaded): {first:.2f} s")
            print(f"  {report.lines()[0]}")
            times = []
            for _ in range(rounds):
                seconds, report = await _timed(refresher)
                assert report.not_modified == n, report.lines()
                times.append(seconds)
        median = statistics.median(times)
        print(f"refresh of {n} unchanged sources (all 304), {rounds} rounds:")
        print(f"  median {median:.2f} s, best {min(times):.2f} s, worst {max(times):.2f} s")
        print(f"  {n / median:,.0f} sources/s; {len(site.seen):,} requests served in all")
        floor = (n - 1) * PRODUCTION_INTERVAL_S
        print(
            f"politeness floor at {PRODUCTION_INTERVAL_S:g} request/s per host: "
            f"{floor:,.0f} s ({floor / 60:.1f} min) for {n} pages on one host"
        )
    finally:
        await catalog.close()
        await site.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=1000)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="igf-bench-sources-"))
    try:
        asyncio.run(bench(args.n, args.rounds, work))
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
