"""CPU work off the event loop: a time budget that really stops the work, and workers that
die with their parent."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from bot.offload import CpuWorker, OffloadError

ROOT = Path(__file__).resolve().parent.parent


def spin(seconds: float) -> str:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        pass
    return "done"


def pid() -> int:
    return os.getpid()


async def test_over_budget_is_stopped_and_the_next_job_runs() -> None:
    worker = CpuWorker()
    try:
        first = await worker.run(30, pid)
        ticks = 0

        async def ticker() -> None:
            nonlocal ticks
            while True:
                await asyncio.sleep(0.01)
                ticks += 1

        task = asyncio.create_task(ticker())
        with pytest.raises(OffloadError, match=r"longer than 0\.5 s"):
            await worker.run(0.5, spin, 30)
        task.cancel()
        assert ticks > 10  # the loop kept running while the job spun
        with pytest.raises(ProcessLookupError):  # the runaway worker was killed
            os.kill(first, 0)
        assert await worker.run(30, spin, 0.01) == "done"
        assert await worker.run(30, pid) != first
    finally:
        worker.close()


def test_workers_exit_when_their_parent_is_killed(tmp_path: Path) -> None:
    pid_file = tmp_path / "worker.pid"
    script = textwrap.dedent(
        f"""
        import os, sys, time
        sys.path.insert(0, {str(ROOT)!r})
        from bot.offload import worker_pool
        if __name__ == "__main__":
            pool = worker_pool(1)
            worker = pool.submit(os.getpid).result()
            open({str(pid_file)!r}, "w").write(str(worker))
            time.sleep(60)
        """
    )
    parent = subprocess.Popen([sys.executable, "-c", script])
    try:
        deadline = time.monotonic() + 30
        while not pid_file.exists() or not pid_file.read_text():
            assert time.monotonic() < deadline, "the worker never started"
            time.sleep(0.05)
        worker = int(pid_file.read_text())
        os.kill(worker, 0)  # alive while the parent is
        parent.send_signal(signal.SIGKILL)
        parent.wait(10)
        deadline = time.monotonic() + 10
        while True:
            try:
                os.kill(worker, 0)
            except ProcessLookupError:
                break
            assert time.monotonic() < deadline, "the worker outlived its killed parent"
            time.sleep(0.05)
    finally:
        if parent.poll() is None:
            parent.kill()
