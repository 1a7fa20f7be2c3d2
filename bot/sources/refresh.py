"""One refresh of the sources: due sources -> fetch -> stored text under seeds/fetched/ -> the
catalog's reload -> which sessions' takeaways or calls to action appeared or changed.

List pages are fetched first, so the session pages newly found on them are fetched in the same
refresh. A page is written only when its text changed, atomically (a reader never sees half a
file), and the archive then loads it like any other document, with the loader's guarantees.
What changed is found by comparing a hash of each session's takeaways and calls to action with
the one recorded in the ledger (``outcomes_seen``), so a crash between the reload and the
comparison loses nothing: the next refresh compares again.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
import os
from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from bot.clock import Clock, SystemClock
from bot.html_import import html_to_text
from bot.loader import LoadReport
from bot.sources.fetcher import PageFetcher
from bot.sources.filenames import stored_name
from bot.sources.ledger import Source, SourceKind, SourceLedger
from bot.sources.links import MAX_LINKS, looks_like_session, session_links
from bot.sources.state import FetchResult, SourceState, update_state

if TYPE_CHECKING:
    from bot.catalog import Catalog

log = logging.getLogger(__name__)

CONCURRENT_FETCHES = 8  # different hosts in parallel; one host is still one request a second


@dataclass(slots=True)
class RefreshReport:
    """What one refresh did, for `/source refresh`, `python -m bot fetch` and the logs."""

    fetched: int = 0  # answered 200
    not_modified: int = 0  # answered 304
    written: list[str] = field(default_factory=list)  # URLs whose stored text changed
    found: list[str] = field(default_factory=list)  # session pages newly found on list pages
    failed: list[tuple[str, str]] = field(default_factory=list)  # (URL, why)
    deferred: int = 0  # backing off: not asked this time
    load: LoadReport | None = None
    appeared: list[str] = field(default_factory=list)  # session keys with new/changed outcomes

    def lines(self) -> list[str]:
        out = [
            f"fetched {self.fetched}, not modified {self.not_modified}, "
            f"changed {len(self.written)}, found {len(self.found)}, "
            f"failed {len(self.failed)}, waiting {self.deferred}"
        ]
        out += [f"! {url}: {why}" for url, why in self.failed]
        if self.load is not None and (self.load.added or self.load.updated or self.load.rejected):
            out += self.load.lines()
        if self.appeared:
            out.append(f"sessions with new or changed takeaways: {len(self.appeared)}")
        return out


def kind_of(url: str) -> SourceKind:
    """A session page by its address; anything else is a list page to follow."""
    return "session" if looks_like_session(urlsplit(url).path) else "list"


def outcomes_hash(takeaways: Collection[str], calls: Collection[str]) -> str:
    text = "\x1e".join(takeaways) + "\x1d" + "\x1e".join(calls)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


async def outcome_hashes(catalog: Catalog) -> dict[str, str]:
    """session key -> hash of its takeaways and calls to action, for every session with any."""
    found = await catalog.sessions_with_outcomes()
    return {summary.key: outcomes_hash(t, c) for summary, t, c in found}


def _write_atomically(path: Path, text: str) -> bool:
    """Write `text` unless the file already holds it; True when written."""
    data = text.encode("utf-8")
    try:
        if path.read_bytes() == data:
            return False
    except FileNotFoundError:
        pass
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.tmp")  # not a .txt: the loader skips it
    temporary.write_bytes(data)
    os.replace(temporary, path)
    return True


def remove_stored(seeds_dir: Path, urls: Collection[str]) -> int:
    """Delete the stored copies of `urls`; returns how many existed."""
    removed = 0
    for url in urls:
        try:
            (seeds_dir / stored_name(url)).unlink()
            removed += 1
        except FileNotFoundError:
            pass
    return removed


class Refresher:
    """Refreshes the catalog's sources with one `PageFetcher` (which keeps robots.txt and the
    host pauses between refreshes)."""

    def __init__(
        self, catalog: Catalog, seeds_dir: Path, fetcher: PageFetcher, clock: Clock | None = None
    ) -> None:
        self.catalog = catalog
        self.seeds_dir = seeds_dir
        self.fetcher = fetcher
        self.clock: Clock = clock or SystemClock()
        self._gate = asyncio.Semaphore(CONCURRENT_FETCHES)

    @property
    def ledger(self) -> SourceLedger:
        return self.catalog.sources

    async def baseline(self) -> None:
        """Once per database: record today's outcomes as known, so the first refresh does not
        announce the whole archive."""
        if not await self.ledger.has_baseline():
            hashes = await outcome_hashes(self.catalog)
            await self.ledger.note_outcomes(hashes, self.clock.now(), announce=False)

    async def refresh(self, urls: Collection[str] | None = None) -> RefreshReport:
        """Fetch the sources (all, or those in `urls` and the pages found on them)."""
        await self.baseline()
        report = RefreshReport()
        sources = [
            s
            for s in await self.ledger.all_sources()
            if urls is None or s.url in urls or s.found_on in urls
        ]
        lists = [s for s in sources if s.kind == "list"]
        await self._fetch_all(lists, report)
        if report.found:
            found = [s for s in await self.ledger.all_sources() if s.url in set(report.found)]
            sources += found
        await self._fetch_all([s for s in sources if s.kind == "session"], report)
        await self._reload(report)
        return report

    async def _fetch_all(self, sources: list[Source], report: RefreshReport) -> None:
        states: dict[str, SourceState] = {}

        async def one(source: Source) -> None:
            async with self._gate:
                result = await self.fetcher.fetch(source.url, source.state)
            states[source.url] = update_state(source.state, result, self.clock.now())
            await self._use(source, result, report)

        await asyncio.gather(*(one(s) for s in sources))
        if states:
            await self.ledger.save_states(states)

    async def _use(self, source: Source, result: FetchResult, report: RefreshReport) -> None:
        if result.deferred:
            report.deferred += 1
        elif result.status == "error":
            report.failed.append((source.url, result.error or "failed"))
        elif result.status == "not_modified":
            report.not_modified += 1
        else:
            report.fetched += 1
            if source.kind == "list":
                await self._follow(source, result, report)
            elif await asyncio.to_thread(self._store, result):
                report.written.append(source.url)

    async def _follow(self, source: Source, result: FetchResult, report: RefreshReport) -> None:
        links = session_links(result.text, result.final_url, self.fetcher.policy.permits)
        room = MAX_LINKS - await self.ledger.count_found_on(source.url)  # 500 over all refreshes
        known = {s.url for s in await self.ledger.all_sources()}
        fresh = [link for link in links if link not in known][: max(room, 0)]
        added = await self.ledger.add_sources(fresh, "session", found_on=source.url)
        report.found += added

    def _store(self, result: FetchResult) -> bool:
        text = html_to_text(result.text, source_url=result.url)
        return _write_atomically(self.seeds_dir / stored_name(result.url), text)

    async def _reload(self, report: RefreshReport) -> None:
        """Reload when a page changed, then compare every session's outcomes with the ledger."""
        now: datetime = self.clock.now()
        if report.written:
            report.load = await self.catalog.reload()
        hashes = await outcome_hashes(self.catalog)
        report.appeared = await self.ledger.note_outcomes(hashes, now, announce=True)
        for line in report.lines():
            log.info("sources refresh: %s", line)
