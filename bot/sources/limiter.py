"""At most one request per interval per host, without serialising different hosts."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable

from bot.clock import Clock

Sleep = Callable[[float], Awaitable[None]]


class HostRateLimiter:
    """`await limiter.wait(host)` returns when a request to `host` may start.

    Time comes from an injected `Clock` and waiting from an injected `sleep`, so tests can run on
    a fake clock. A wait is never longer than the interval, even if the wall clock jumps back.
    """

    def __init__(self, clock: Clock, sleep: Sleep = asyncio.sleep, interval_s: float = 1.0) -> None:
        self._clock = clock
        self._sleep = sleep
        self._interval = interval_s
        self._next: dict[str, float] = {}
        self._locks: dict[str, asyncio.Lock] = {}

    def _now(self) -> float:
        return self._clock.now().timestamp()

    async def wait(self, host: str) -> None:
        lock = self._locks.setdefault(host, asyncio.Lock())
        async with lock:
            due = self._next.get(host)
            if due is not None and (delay := min(due - self._now(), self._interval)) > 0:
                await self._sleep(delay)
            self._next[host] = self._now() + self._interval
