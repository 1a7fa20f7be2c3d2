"""What the schedulers of the scheduled features (digest, changes, events, reminders, sources)
share: the catalog and an injected clock with one tick at a time; for those that post, the
injected ``send`` and one `Throttle` (a bounded fan-out, one pace for requests to Discord);
and the error that carries a reason for people.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable, Sequence
from typing import TYPE_CHECKING, ClassVar, Generic, TypeVar

from bot.clock import Clock, SystemClock

if TYPE_CHECKING:
    from bot.catalog import Catalog

T = TypeVar("T")
R = TypeVar("R")
SendT = TypeVar("SendT")


class Scheduler:
    """The base of a feature's scheduler: data through the catalog, time from `clock` (tests
    inject a `FrozenClock`); `_lock` keeps its ticks one at a time."""

    def __init__(self, catalog: Catalog, clock: Clock | None = None) -> None:
        self.catalog = catalog
        self.clock: Clock = clock or SystemClock()
        self._lock = asyncio.Lock()


class Pace:
    """`await pace.wait()` returns when the next request may start: at most `per_second`
    starts a second. Real (monotonic) time, never the injected clock: it spaces requests to
    Discord, whose limits are real time."""

    def __init__(self, per_second: float) -> None:
        self.interval = 1.0 / per_second if per_second > 0 else 0.0
        self._next = 0.0
        self._lock = asyncio.Lock()

    async def wait(self) -> None:
        if not self.interval:
            return
        async with self._lock:  # reserve the slot; wait for it outside the lock
            now = time.monotonic()
            start = max(now, self._next)
            self._next = start + self.interval
        if start > now:
            await asyncio.sleep(start - now)


class Throttle:
    """How a scheduler spares Discord's limits when it sends many messages: at most `at_once`
    in flight (`each`) and at most `per_second` started a second (`wait`; 0: no pace)."""

    def __init__(self, at_once: int = 1, per_second: float = 0.0) -> None:
        self.at_once = max(1, at_once)
        self.pace = Pace(per_second)

    async def wait(self) -> None:
        """Returns when the next send may start."""
        await self.pace.wait()

    async def each(self, items: Sequence[T], run: Callable[[T], Awaitable[R]]) -> list[R]:
        """`run` on every item, at most `at_once` in flight, results in the items' order."""
        return await fan_out(items, run, self.at_once)


class Sender(Scheduler, Generic[SendT]):
    """A scheduler that posts through an injected ``send`` (the cog's Discord adapter; tests
    and benchmarks pass fakes), throttled as its class's `AT_ONCE` and `PER_SECOND` say (a
    benchmark may put another `throttle` in place)."""

    AT_ONCE: ClassVar[int] = 1
    PER_SECOND: ClassVar[float] = 0.0

    def __init__(self, catalog: Catalog, send: SendT, clock: Clock | None = None) -> None:
        super().__init__(catalog, clock)
        self.send = send
        self.throttle = Throttle(self.AT_ONCE, self.PER_SECOND)


async def fan_out(items: Sequence[T], run: Callable[[T], Awaitable[R]], at_once: int) -> list[R]:
    """`run` on every item, at most `at_once` in flight, started in the items' order (the
    semaphore's waiters are woken first come, first served); results in the items' order."""
    gate = asyncio.Semaphore(max(1, at_once))

    async def one(item: T) -> R:
        async with gate:
            return await run(item)

    return list(await asyncio.gather(*(one(item) for item in items)))


class ReasonedError(Exception):
    """Refused for good; `reason` is for people (logs, ``/… list``, previews)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason
