"""Sending due reminders: at most once, in time order, under Discord's rate limits.

`ReminderScheduler.tick` is called about once a minute (by the reminders cog's ``tasks.loop``):

1. **follow the programme** - after each catalog reload (and at the first tick): reminders of a
   session that moved follow its new time; those of a session that left the programme are
   told once (a DM) and marked 'gone';
2. for every scheduled reminder due now, oldest due first, `plan.decide` says: send (late or
   not), mark missed (the session has ended), follow a move, or tell "gone";
3. each DM is **claimed** ('pending', committed) BEFORE it is sent, then **confirmed** ('sent')
   or recorded 'failed' with the reason (DMs closed, user gone). A 'pending' row left by a
   crash is never sent again - never twice.

DMs go out through the injected ``send(user_id, embed)`` from a few workers, started in due
order and paced at `RATE` per second (below Discord's global 50 requests a second; a DM is one
request once discord.py has the user's DM channel), so thousands due in the same minute leave
in order without a 429 storm. Each worker claims just before sending, so a crash leaves at most
`WORKERS` reminders unconfirmed.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Literal

import discord

from bot.clock import Clock
from bot.reminders.ledger import ReminderLedger
from bot.reminders.plan import Reminder, ReminderSession, decide
from bot.reminders.render import gone_dm, reminder_dm
from bot.reminders.source import ReminderSource
from bot.scheduling import ReasonedError, Sender

if TYPE_CHECKING:
    from bot.catalog import Catalog

log = logging.getLogger(__name__)

RATE = 40.0
"""DMs started per second (Discord allows 50 requests a second in all)."""
WORKERS = 8
"""DMs in flight at once (Discord answers in ~100 ms: one at a time would be ~10 a second)."""
BATCH = 2000
"""Due reminders read at once."""

SendDM = Callable[[int, discord.Embed], Awaitable[None]]
"""``await send(user_id, embed)``; raises `ReminderDeliveryError` when Discord refuses for
good (DMs closed: 403 50007; unknown user: 404)."""

Outcome = Literal["sent", "late", "failed", "missed", "gone", "moved"]


class ReminderDeliveryError(ReasonedError):
    """The DM cannot be delivered; `reason` is for people (``/remind list``, the button)."""


@dataclass(frozen=True, slots=True)
class TickResult:
    """What a tick did with one reminder ("moved" after a reload: user 0, the whole session)."""

    user_id: int
    session_key: str
    outcome: Outcome
    detail: str | None = None


class ReminderScheduler(Sender[SendDM]):
    """Sends due reminders; see the module docstring. One instance per bot; ticks run one at
    a time, and a new instance after a restart carries on from the database."""

    AT_ONCE = WORKERS
    PER_SECOND = RATE

    def __init__(self, catalog: Catalog, send: SendDM, clock: Clock | None = None) -> None:
        super().__init__(catalog, send, clock)
        self.ledger: ReminderLedger = catalog.reminders
        self._followed: datetime | None = None  # the catalog load last followed

    async def tick(self) -> list[TickResult]:
        """Follow the programme if it was reloaded, then act on every due reminder."""
        async with self._lock:
            now = self.clock.now()
            source = ReminderSource(self.catalog)
            results: list[TickResult] = []
            loaded = self.catalog.loaded_at  # None: not loaded yet, nothing to compare with
            if loaded is not None and loaded != self._followed:
                results += await self.follow_programme(source, now)
                self._followed = loaded
            while True:
                due = await self.ledger.due(now, BATCH)
                acted = await self._act_on(due, source, now)
                results += acted
                if len(due) < BATCH or not acted:
                    return results

    # ----------------------------------------------------------------- the programme

    async def follow_programme(self, source: ReminderSource, now: datetime) -> list[TickResult]:
        """Moved sessions: reminders follow. Removed sessions: users told once."""
        results: list[TickResult] = []
        gone: list[str] = []
        for key, starts, ends in await self.ledger.session_times():
            session = await source.session(key)
            if session is None or session.starts_at is None:
                gone.append(key)
            elif (session.starts_at, session.ends_at) != (starts, ends):
                await self.ledger.follow(key, session.starts_at, session.ends_at, now)
                results.append(TickResult(0, key, "moved"))
        for key in dict.fromkeys(gone):
            for reminder in await self.ledger.scheduled_for(key):
                results.append(await self._tell_gone(reminder, now))
        await self.ledger.gone_quietly(list(dict.fromkeys(gone)), now)
        return results

    async def _tell_gone(self, reminder: Reminder, now: datetime) -> TickResult:
        key = reminder.session_key
        if not await self.ledger.claim(reminder.user_id, key, now):
            return TickResult(reminder.user_id, key, "gone", "already handled")
        try:
            await self.send(reminder.user_id, gone_dm(reminder))
        except Exception as exc:  # the user is told in /remind list instead
            log.warning("reminders: gone notice to %s failed: %s", reminder.user_id, exc)
        await self.ledger.mark(reminder.user_id, key, "gone", self.clock.now())
        return TickResult(reminder.user_id, key, "gone")

    # ----------------------------------------------------------------- due reminders

    async def _act_on(
        self, due: list[Reminder], source: ReminderSource, now: datetime
    ) -> list[TickResult]:
        results: list[TickResult] = []
        to_send: list[tuple[Reminder, ReminderSession, bool]] = []
        for reminder in due:
            decision = decide(reminder, await source.session(reminder.session_key), now)
            key, user = reminder.session_key, reminder.user_id
            if decision.action == "gone":
                results.append(await self._tell_gone(reminder, now))
            elif decision.action == "moved":
                session = decision.session
                assert session is not None and session.starts_at is not None
                await self.ledger.follow(key, session.starts_at, session.ends_at, now)
                results.append(TickResult(user, key, "moved"))
            elif decision.action == "missed":
                await self.ledger.miss(user, key, now, "the session ended before it was sent")
                results.append(TickResult(user, key, "missed"))
            elif decision.action in ("send", "send_late"):
                assert decision.session is not None
                to_send.append((reminder, decision.session, decision.action == "send_late"))
        return results + await self._send_all(to_send)

    async def _send_all(
        self, jobs: list[tuple[Reminder, ReminderSession, bool]]
    ) -> list[TickResult]:
        """Start the DMs in due order, paced, a few in flight; results in due order."""

        async def paced(job: tuple[Reminder, ReminderSession, bool]) -> TickResult | None:
            await self.throttle.wait()
            return await self._send_one(*job)

        return [r for r in await self.throttle.each(jobs, paced) if r is not None]

    async def _send_one(
        self, reminder: Reminder, session: ReminderSession, late: bool
    ) -> TickResult | None:
        user, key = reminder.user_id, reminder.session_key
        if not await self.ledger.claim(user, key, self.clock.now()):
            return None  # removed or re-added meanwhile
        try:
            await self.send(user, reminder_dm(session, reminder, late=late))
        except ReminderDeliveryError as exc:
            log.info("reminders: DM to %s not delivered: %s", user, exc.reason)
            await self.ledger.mark(user, key, "failed", self.clock.now(), detail=exc.reason)
            return TickResult(user, key, "failed", exc.reason)
        except Exception as exc:
            # It may or may not have reached Discord: never risk a second copy.
            log.exception("reminders: DM to %s failed", user)
            detail = f"sending failed ({type(exc).__name__}); it may not have arrived"
            await self.ledger.mark(user, key, "failed", self.clock.now(), detail=detail)
            return TickResult(user, key, "failed", detail)
        await self.ledger.mark(user, key, "sent", self.clock.now(), late=late)
        return TickResult(user, key, "late" if late else "sent")
