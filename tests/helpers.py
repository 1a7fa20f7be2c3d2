"""What test bodies call directly: the repository root and the bot under test on a test's data.

Fixtures built on these (`seeds`, `guild`, `bot`, `admin`, `member`) are in tests/conftest.py.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator, Mapping
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import pytest

from bot.app import IGFBot
from bot.clock import Clock
from bot.config import Config
from tests.fake_discord import FakeDiscord

ROOT = Path(__file__).resolve().parent.parent

# Keywords of running_bot (and so of make_bot): clock, dev_guild, ready, and Config fields.
BotOptions = dict[str, Any]


def copy_seeds(tmp_path: Path, extra: Mapping[str, str] | None = None) -> Path:
    """The bundled seeds/ copied to tmp_path/seeds, plus `extra` files (name -> text)."""
    directory = tmp_path / "seeds"
    shutil.copytree(ROOT / "seeds", directory)
    for name, text in (extra or {}).items():
        (directory / name).write_text(text)
    return directory


def make_bot(
    fake: FakeDiscord,
    tmp_path: Path,
    seeds: Path,
    *,
    clock: Clock | None = None,
    dev_guild: bool = True,
    **config: Any,
) -> IGFBot:
    """An IGFBot, not started, on tmp_path/igf.db and `seeds`, talking to `fake`. With
    `dev_guild` its commands sync to the fake's first guild, else globally."""
    settings = Config(
        database=tmp_path / "igf.db",
        seeds_dir=seeds,
        dev_guild_id=next(iter(fake.guilds.values())).id if dev_guild else None,
        api_base=fake.base_url,
        **config,
    )
    return IGFBot(settings, clock=clock, guild_ready_timeout=0.1)


@asynccontextmanager
async def running_bot(
    fake: FakeDiscord,
    tmp_path: Path,
    seeds: Path,
    *,
    ready: Callable[[IGFBot], Awaitable[None]] | None = None,
    **options: Any,
) -> AsyncIterator[IGFBot]:
    """make_bot(**options) started against `fake`; `ready` is awaited before the bot is yielded."""
    bot = make_bot(fake, tmp_path, seeds, **options)
    async with fake.run(bot):
        if ready is not None:
            await ready(bot)
        yield bot


@contextlib.contextmanager
def read_only(folder: Path) -> Iterator[None]:
    """`folder` made read-only for the test. Root ignores permission bits, so as root the
    folder's files are put on a tmpfs remounted read-only; a test is skipped only where
    that mount is refused."""
    if os.geteuid() != 0:
        folder.chmod(0o555)
        try:
            yield
        finally:
            folder.chmod(0o755)
        return
    saved = {p.name: p.read_bytes() for p in folder.iterdir() if p.is_file()}
    if subprocess.run(["mount", "-t", "tmpfs", "-o", "size=64m", "none", str(folder)]).returncode:
        pytest.skip("cannot mount a read-only filesystem here")
    try:
        for name, data in saved.items():
            (folder / name).write_bytes(data)
        subprocess.run(["mount", "-o", "remount,ro", str(folder)], check=True)
        yield
    finally:
        subprocess.run(["umount", str(folder)], check=False)


def loaded_cog(bot: Any, name: str) -> Any:
    """The cog `name` of a running bot. load_extension imports a cog's module afresh, so
    compare by class name, not by class identity."""
    found = bot.get_cog(name)
    assert found is not None and type(found).__name__ == name
    return found
