"""CPU-heavy work off the event loop, in worker processes that a time budget can stop.

A thread would keep the loop answering, but a runaway parse (a hostile HTML page of 150,000
nested elements) cannot be stopped from outside a thread. A worker process can: when the
budget runs out its pool is killed and the next call starts a fresh one.

Workers also die with their parent (Linux ``PR_SET_PDEATHSIG``), so a ``kill -9`` of the bot
or of a ``load`` never leaves parsers running.
"""

from __future__ import annotations

import asyncio
import contextlib
import ctypes
import ctypes.util
import gc
import logging
import multiprocessing
import os
import signal
import sys
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import TypeVar

log = logging.getLogger(__name__)
T = TypeVar("T")

_PR_SET_PDEATHSIG = 1


class OffloadError(RuntimeError):
    """The work did not finish: over its time budget, or its worker died."""


def die_with_parent() -> None:
    """Worker initializer: ask the kernel to kill this process when its parent dies.

    Linux only; elsewhere a no-op (the pool's own shutdown still ends workers on a clean exit).
    """
    if not sys.platform.startswith("linux"):
        return
    libc_name = ctypes.util.find_library("c")
    if libc_name is None:  # pragma: no cover - every glibc/musl system has one
        return
    libc = ctypes.CDLL(libc_name, use_errno=True)
    libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    # The parent may have died between fork and prctl: then we are already orphaned.
    if os.getppid() == 1:  # pragma: no cover - a race that tests cannot arrange reliably
        os._exit(0)


def _start_worker() -> None:
    """Worker initializer: die with the parent; collect garbage less often.

    A worker parses: it allocates a few thousand short-lived containers a page, nearly all
    freed by reference counting. At the default thresholds the cycle collector ran every
    ~700 allocations over every object the imports made; frozen imports and a larger first
    generation cut a cold load of 10,000 pages from ~7.35 to ~7.0 s (13.2 -> 12.7 s CPU).
    """
    die_with_parent()
    gc.freeze()
    gc.set_threshold(20_000, 20, 20)


def worker_pool(workers: int) -> ProcessPoolExecutor:
    """A process pool whose workers exit with this process ("spawn": no forked event loop)."""
    return ProcessPoolExecutor(
        max_workers=workers,
        mp_context=multiprocessing.get_context("spawn"),
        initializer=_start_worker,
    )


class CpuWorker:
    """One worker process, started on first use, for jobs with a time budget."""

    def __init__(self) -> None:
        self._pool: ProcessPoolExecutor | None = None
        self._lock = asyncio.Lock()

    async def run(self, budget_s: float, fn: Callable[..., T], *args: object) -> T:
        """`fn(*args)` in the worker; `OffloadError` if it takes longer than `budget_s`."""
        async with self._lock:  # one job at a time: a killed pool must not take others with it
            if self._pool is None:
                self._pool = worker_pool(1)
            future = asyncio.get_running_loop().run_in_executor(self._pool, fn, *args)
            try:
                return await asyncio.wait_for(future, budget_s)
            except TimeoutError:
                self._kill()
                raise OffloadError(f"took longer than {budget_s:g} s") from None
            except BrokenProcessPool:
                self._kill()
                raise OffloadError("its worker process stopped") from None

    def _kill(self) -> None:
        pool, self._pool = self._pool, None
        if pool is None:
            return
        processes = list(getattr(pool, "_processes", {}).values())
        for process in processes:
            with contextlib.suppress(ProcessLookupError):
                process.kill()
        for process in processes:
            process.join(2)  # reap it: SIGKILL is immediate, so this does not wait long
        pool.shutdown(wait=False, cancel_futures=True)
        log.warning("stopped a worker process that ran over its budget")

    def close(self) -> None:
        pool, self._pool = self._pool, None
        if pool is not None:
            pool.shutdown(wait=False, cancel_futures=True)
