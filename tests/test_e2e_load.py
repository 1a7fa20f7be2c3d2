"""Under load: while an admin's `/reload` reads thousands of new documents, every command of a
burst from several users (and an admin's /digest settings) answers or defers within Discord's
3 seconds.

The fake Discord enforces the deadline (an interaction without a callback in 3 s is recorded
as missed and `slash` fails); the test itself times nothing.
"""

from __future__ import annotations

import asyncio
from pathlib import Path

from bench.corpus import write_corpus
from bot.app import IGFBot
from tests.fake_discord import FakeDiscord, FakeUser, InteractionResult

# Enough that the reload takes seconds on a 2-core machine, few enough for a ~30 s test.
DOCUMENTS = 2000
BURST = 200
WAVE = 40
USERS = 5


COMMANDS = [("about", {}), ("session", {"query": "Open Forum #5"})]
# An admin's setting is a write: it waits for the reload's write transaction.
ADMIN_COMMAND = ("digest time", {"time": "09:00"})


async def burst(
    fake: FakeDiscord, users: list[FakeUser], admin: FakeUser, count: int
) -> list[InteractionResult]:
    """`count` commands at once: /about and /session from `users` in turn, and every tenth
    a /digest setting from `admin`."""
    calls = []
    for i in range(count):
        name, options = ADMIN_COMMAND if i % 10 == 9 else COMMANDS[i % 2]
        user = admin if i % 10 == 9 else users[i % len(users)]
        calls.append(fake.slash(name, options, user=user, timeout=60.0))
    return await asyncio.gather(*calls)


async def test_every_command_answers_in_time_during_a_big_reload(
    bot: IGFBot, fake_discord: FakeDiscord, admin: FakeUser, seeds: Path
) -> None:
    await asyncio.to_thread(write_corpus, seeds, DOCUMENTS)
    users = [fake_discord.add_user(f"user{i}") for i in range(USERS)]
    await fake_discord.flush()

    reload = await fake_discord.slash("reload", user=admin, wait=False)
    results: list[InteractionResult] = []
    waves_during = 0
    # Waves until the reload is over, so that every phase of it (hashing, parsing, the write
    # transaction, the new indexes) meets commands: BURST at least.
    while len(results) < BURST or not reload.record.settled:
        waves_during += not reload.record.settled
        results += await burst(fake_discord, users, admin, WAVE)
    await fake_discord.wait_settled(reload, timeout=90.0)

    assert waves_during >= 2, "the reload ended before the burst: it proves nothing"
    assert fake_discord.unanswered == []
    for result in results:
        assert result.record.response_type is not None
        shown = str(result.embeds) + result.content
        assert "Ballroom B" in shown or "IGF forum bot" in shown or "09:00" in shown
    assert f"added {DOCUMENTS}" in str(reload.embeds)
    fake_discord.assert_no_errors()
