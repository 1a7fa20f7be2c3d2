"""The digest ledger: guild settings, the claim/confirm rows and the featured rotation
(moved here from tests/test_store.py with the SQL they test)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import replace
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from bot.digest.ledger import DigestLedger
from bot.ledger import Delivery
from bot.models import GuildSettings, Session
from bot.store import Store


def session(session_type: str, number: int, year: int, title: str) -> Session:
    return Session(
        heading=f"IGF {year} {session_type} #{number} {title}",
        title=title,
        event=f"IGF {year}",
        year=year,
        session_type=session_type,
        number=number,
        starts_at=datetime(year, 11, 1, 10, 0, tzinfo=UTC),
    )


@pytest.fixture
async def store(tmp_path: Path) -> AsyncIterator[Store]:
    async with await Store.open(tmp_path / "data" / "igf.db") as opened:
        yield opened


@pytest.fixture
def ledger(store: Store) -> DigestLedger:
    return DigestLedger(store)


async def test_guild_and_digest_rows_survive_apply(store: Store, ledger: DigestLedger) -> None:
    of5 = session("Open Forum", 5, 2021, "Development and Rule-Making on Artificial Intelligence")
    await store.apply([(f"{of5.key}.txt", f"hash-{of5.key}", of5)], [])
    settings_ = await ledger.upsert_guild_settings(
        GuildSettings(1, channel_id=22, post_time="07:30", timezone="Africa/Nairobi", enabled=True)
    )
    today = date(2025, 6, 23)
    assert await ledger.claim_digest(1, today) is True
    assert await ledger.claim_digest(1, today) is False
    assert await ledger.last_sent_digest_at(1) is None
    await ledger.mark_digest(1, today, Delivery("sent", message_id=555))
    assert await ledger.last_sent_digest_at(1) is not None
    await ledger.mark_featured(1, ["igf-2021-open-forum-5", "igf-2017-workshop-100"], today)

    youth = session("Workshop", 100, 2017, "Youth")
    await store.apply([("ws.txt", "h", youth)], ["igf-2021-open-forum-5.txt"])

    assert await ledger.guild_settings(1) == settings_
    assert [g.guild_id for g in await ledger.all_guild_settings(enabled_only=True)] == [1]
    post = await ledger.digest_post(1, today)
    assert post is not None and (post.status, post.message_id) == ("sent", 555)
    assert await ledger.featured_keys(1) == {"igf-2021-open-forum-5", "igf-2017-workshop-100"}
    await ledger.reset_featured(1)
    assert await ledger.featured_keys(1) == set()
    assert await ledger.digest_post(2, today) is None


async def test_guild_settings_defaults_update_and_validation(ledger: DigestLedger) -> None:
    assert await ledger.guild_settings(9) is None
    saved = await ledger.upsert_guild_settings(GuildSettings(9))
    assert (saved.post_time, saved.timezone, saved.enabled) == ("09:00", "UTC", False)
    updated = await ledger.upsert_guild_settings(replace(saved, enabled=True, channel_id=3))
    assert await ledger.guild_settings(9) == updated
    assert await ledger.all_guild_settings(enabled_only=True) == [updated]
    with pytest.raises(ValueError):
        await ledger.upsert_guild_settings(GuildSettings(9, post_time="25:00"))
    with pytest.raises(ValueError):
        await ledger.upsert_guild_settings(GuildSettings(9, timezone="Mars/Olympus"))
    with pytest.raises(ValueError):
        await ledger.mark_digest(9, date(2025, 1, 1), Delivery("bogus"))  # type: ignore[arg-type]
    await ledger.mark_digest(9, date(2025, 1, 1), Delivery("failed", detail="Missing Access"))
    post = await ledger.digest_post(9, date(2025, 1, 1))
    assert post is not None and (post.status, post.detail) == ("failed", "Missing Access")
