"""A cog's once-a-minute background task (the reminders' now; the digest's loop has the same
shape and can move here).

It waits until the bot is ready, survives any error of a tick (logged: a locked database must
not stop reminders for good) and counts its iterations for tests and diagnostics.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable

from discord.ext import tasks
from discord.ext.commands import Bot

log = logging.getLogger(__name__)


class MinuteTicker:
    def __init__(self, name: str, tick: Callable[[], Awaitable[object]], bot: Bot) -> None:
        self.name = name
        self.tick = tick
        self.ticks = 0
        """Iterations completed, failed ones included."""
        self.loop: tasks.Loop[Callable[[], Awaitable[None]]] = tasks.loop(minutes=1)(self._run)
        self.loop.before_loop(bot.wait_until_ready)

    async def _run(self) -> None:
        try:
            await self.tick()
        except Exception:
            log.exception("%s tick failed", self.name)
        finally:
            self.ticks += 1

    def start(self) -> None:
        self.loop.start()

    def cancel(self) -> None:
        self.loop.cancel()
