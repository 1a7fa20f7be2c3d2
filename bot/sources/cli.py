"""`python -m bot fetch URL... [--follow] [--db PATH]`: add pages as sources and fetch them now."""

from __future__ import annotations

from bot.catalog import Catalog
from bot.config import Config
from bot.sources.fetcher import PageFetcher
from bot.sources.policy import FetchPolicy
from bot.sources.refresh import Refresher, kind_of


async def fetch_command(config: Config, urls: list[str], follow: bool) -> int:
    """Add each URL (a list page is followed only with `follow`), fetch them, print the report.
    Exit status 1 when a URL is refused or a page could not be fetched."""
    policy = FetchPolicy(hosts=config.source_hosts)
    refused = [(url, reason) for url in urls if (reason := policy.refusal(url)) is not None]
    for url, reason in refused:
        print(f"refused {url}: {reason}")
    wanted = [url for url in urls if policy.permits(url)]
    catalog = await Catalog.open(config.database, config.seeds_dir)
    try:
        await catalog.reload()
        for url in wanted:
            kind = kind_of(url) if follow else "session"
            await catalog.sources.add_sources([url], kind)
        async with PageFetcher(policy, user_agent=config.source_user_agent) as fetcher:
            report = await Refresher(catalog, config.seeds_dir, fetcher).refresh(wanted)
        for line in report.lines():
            print(line)
        return 1 if refused or report.failed else 0
    finally:
        await catalog.close()
