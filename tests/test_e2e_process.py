"""`python -m bot` as a real process: DISCORD_API_BASE, start-up, SIGTERM, no token in logs."""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from pathlib import Path

from tests.fake_discord import FakeDiscord
from tests.helpers import ROOT


async def test_process_connects_through_api_base_and_stops_cleanly_on_sigterm(
    fake_discord: FakeDiscord, tmp_path: Path
) -> None:
    guild = fake_discord.add_guild("IGF community")
    env = {
        **os.environ,
        "DISCORD_TOKEN": fake_discord.token,
        "DISCORD_API_BASE": fake_discord.base_url,
        "DATABASE_PATH": str(tmp_path / "igf.db"),
        "SEEDS_DIR": str(ROOT / "seeds"),
        "DEV_GUILD_ID": str(guild.id),
        "LOG_LEVEL": "DEBUG",
        "PYTHONPATH": str(ROOT),  # this checkout's bot, whatever the folder it starts in
    }
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        cwd=tmp_path,
        env=env,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
    )
    # Drain the output while it runs: a full pipe (DEBUG logs pass 64 KB) would freeze the bot.
    assert process.stdout is not None
    reading = asyncio.create_task(process.stdout.read())
    try:
        await fake_discord.wait_until_ready(timeout=30)
        await fake_discord.wait_for_commands("session", "speaker", guild=guild, timeout=10)
        result = await fake_discord.slash("session", {"query": "Open Forum #5"})
        assert result.embed["title"].startswith("IGF 2021 Open Forum #5")
    finally:
        process.send_signal(signal.SIGTERM)
        await asyncio.wait_for(process.wait(), timeout=20)
    log = (await reading).decode()
    assert process.returncode == 0, log
    assert fake_discord.token not in log
    assert "synced" in log
    seeds = ROOT / "seeds"
    assert (
        f"using database {tmp_path / 'igf.db'} (2 sessions) and seeds {seeds} (2 documents)" in log
    )


async def test_process_without_token_points_to_the_console(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k != "DISCORD_TOKEN"}
    env["DATABASE_PATH"] = str(tmp_path / "igf.db")
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        cwd=ROOT,
        env=env,
        stdin=asyncio.subprocess.PIPE,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    out, err = await asyncio.wait_for(process.communicate(b"/speaker luca belli\n"), timeout=60)
    assert process.returncode == 0
    first_line = err.decode().strip().splitlines()[0]
    assert "No DISCORD_TOKEN" in first_line and "python -m bot console" in first_line
    assert "## Luca Belli" in out.decode()
