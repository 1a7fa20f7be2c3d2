"""robots.txt, fetched with the fetcher's own transport and cached per host.

A robots.txt that answers 4xx (other than 429) allows everything. One that cannot be read (5xx,
429, timeout) disallows everything for now and is asked again after `RETRY_S`. When the policy
refuses the robots.txt request itself (the host's address is private), that refusal is the answer.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import datetime, timedelta
from urllib.parse import urlsplit
from urllib.robotparser import RobotFileParser

from bot.clock import Clock
from bot.sources.transport import FetchError, Refused, Transport

TTL = timedelta(hours=24)
RETRY_S = 600.0
RETRY = timedelta(seconds=RETRY_S)


@dataclass(frozen=True, slots=True)
class _Entry:
    rules: RobotFileParser | None  # None: unreadable, so nothing is fetched until it expires
    expires_at: datetime
    why: str = ""


def _rules(lines: list[str]) -> RobotFileParser:
    rules = RobotFileParser()
    rules.parse(lines)
    return rules


class RobotsCache:
    def __init__(self, transport: Transport, clock: Clock, user_agent: str) -> None:
        self._transport = transport
        self._clock = clock
        self._agent = user_agent
        self._entries: dict[str, _Entry] = {}
        self._locks: dict[str, asyncio.Lock] = {}

    async def check(self, url: str) -> None:
        """Return when robots.txt lets us fetch `url`; raise `FetchError` otherwise."""
        parts = urlsplit(url)
        origin = f"{parts.scheme}://{parts.netloc.lower()}"
        entry = await self._entry(origin)
        if entry.rules is None:
            wait = max((entry.expires_at - self._clock.now()).total_seconds(), 0.0)
            raise FetchError(f"robots.txt could not be read ({entry.why}); retrying later", wait)
        if not entry.rules.can_fetch(self._agent, url):
            raise FetchError("robots.txt disallows this page")

    async def _entry(self, origin: str) -> _Entry:
        async with self._locks.setdefault(origin, asyncio.Lock()):
            entry = self._entries.get(origin)
            if entry is None or entry.expires_at <= self._clock.now():
                entry = self._entries[origin] = await self._load(origin)
            return entry

    async def _load(self, origin: str) -> _Entry:
        now = self._clock.now()
        try:
            reply = await self._transport.get(f"{origin}/robots.txt", {}, accept=None)
        except Refused:
            raise
        except FetchError as exc:
            return _Entry(None, now + RETRY, str(exc))
        if reply.status == 200:
            text = reply.body.decode("utf-8", errors="replace")
            return _Entry(_rules(text.splitlines()), now + TTL)
        if 400 <= reply.status < 500 and reply.status != 429:
            return _Entry(_rules([]), now + TTL)
        return _Entry(None, now + RETRY, f"HTTP {reply.status}")
