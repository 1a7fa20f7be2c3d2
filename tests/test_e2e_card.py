"""The session card's buttons through the fake Discord: only sections the session has, an
"About" button, a link to the session's page, and section buttons that work for anyone,
after the view's timeout and after the bot restarts."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime
from pathlib import Path

import pytest

import cogs._views
from bot import answers
from bot.app import IGFBot
from tests.fake_discord import FakeDiscord, FakeGuild, InteractionResult
from tests.helpers import running_bot

PAGE = "https://www.intgovforum.org/en/content/igf-2023-ws-321-names-for-everyone"
LINKED_DOC = f"""URL: {PAGE}
IGF 2023 WS #321 Names for Everyone

Monday, 9th October, 2023 (08:00 UTC) - Monday, 9th October, 2023 (09:30 UTC)
Room 4

Round Table - 90 Min


Internationalized Domain Names let everyone write addresses in their own script.


Ada Lovelace, Analytical Engine Society

Key Takeaways (* deadline 2 hours after session)

Universal acceptance needs registrars on board.
"""


@pytest.fixture
def extra_seeds() -> dict[str, str]:
    return {"linked.txt": LINKED_DOC}


def buttons(result: InteractionResult) -> dict[str, dict]:
    return {c["label"]: c for c in result.iter_components() if c.get("type") == 2}


async def test_card_offers_about_and_its_page_and_only_the_sections_it_has(
    bot: IGFBot, fake_discord: FakeDiscord
) -> None:
    card = await fake_discord.slash("session", {"query": "WS #321"})
    offered = buttons(card)
    assert {"About", "Key takeaways", "Speakers", "Session page"} <= set(offered)
    assert "Report" not in offered and "Calls to action" not in offered  # it has none
    assert offered["Session page"]["url"] == PAGE
    about = await fake_discord.click(card, offered["About"]["custom_id"])
    assert about.ephemeral
    assert "Internationalized Domain Names" in about.embed["description"]


async def test_card_without_a_page_has_no_link(bot: IGFBot, fake_discord: FakeDiscord) -> None:
    card = await fake_discord.slash("session", {"query": "Open Forum #5"})
    offered = buttons(card)
    assert "Session page" not in offered and "About" in offered
    assert not any("url" in b for b in offered.values())


async def test_anyone_may_press_a_public_cards_section_button(
    bot: IGFBot, fake_discord: FakeDiscord
) -> None:
    card = await fake_discord.slash("session", {"query": "WS #321"})
    stranger = fake_discord.add_user("stranger")
    takeaways = buttons(card)["Key takeaways"]["custom_id"]
    opened = await fake_discord.click(card, takeaways, user=stranger)
    assert opened.ephemeral
    assert "Universal acceptance needs registrars" in opened.embed["description"]


async def test_section_buttons_keep_working_after_the_timeout(
    bot: IGFBot, fake_discord: FakeDiscord, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(cogs._views, "VIEW_TIMEOUT", 0.3)
    card = await fake_discord.slash("session", {"query": "WS #321"})
    await card.wait_for_edit(timeout=5)
    stored = fake_discord.stored_message(card).payload["components"]
    shown = {c["label"]: c for row in stored for c in row["components"]}
    assert not shown["About"].get("disabled") and not shown["Session page"].get("disabled")
    opened = await fake_discord.click(card, shown["About"]["custom_id"])
    assert "Internationalized Domain Names" in opened.embed["description"]


async def test_section_buttons_work_after_a_restart(
    fake_discord: FakeDiscord, guild: FakeGuild, tmp_path: Path, seeds: Path
) -> None:
    async with running_bot(fake_discord, tmp_path, seeds):
        card = await fake_discord.slash("session", {"query": "WS #321"})
    about = buttons(card)["About"]["custom_id"]
    async with running_bot(fake_discord, tmp_path, seeds):
        opened = await fake_discord.click(card, about, user=fake_discord.add_user("later"))
    assert opened.ephemeral
    assert "Internationalized Domain Names" in opened.embed["description"]


async def test_help_gives_an_example_for_each_command(
    bot: IGFBot, fake_discord: FakeDiscord
) -> None:
    shown = await fake_discord.slash("help")
    assert shown.ephemeral
    for command in answers.COMMANDS:
        assert command.example.startswith(f"/{command.name}")
        assert f"e.g. `{command.example}`" in shown.embed["description"]


# ------------------------------------------------------------------------------ /about

OLD_LOAD = datetime(2020, 1, 1, tzinfo=UTC)


def _data_loaded(result: InteractionResult) -> str:
    return next(f["value"] for f in result.embed["fields"] if f["name"] == "Data loaded")


def _backdate_load(tmp_path: Path) -> None:
    """The database says it was loaded long ago (as an older run would have left it)."""
    with sqlite3.connect(tmp_path / "igf.db") as db:
        db.execute("UPDATE meta SET value = ? WHERE key = 'loaded_at'", (OLD_LOAD.isoformat(),))


async def test_about_says_when_data_was_loaded_as_a_discord_timestamp(
    bot: IGFBot, fake_discord: FakeDiscord, tmp_path: Path
) -> None:
    _backdate_load(tmp_path)
    shown = _data_loaded(await fake_discord.slash("about"))
    stamp = int(OLD_LOAD.timestamp())
    assert shown == f"<t:{stamp}:F> (<t:{stamp}:R>)"


async def test_about_load_time_changes_only_when_data_changed(
    bot: IGFBot, fake_discord: FakeDiscord, tmp_path: Path, seeds: Path
) -> None:
    _backdate_load(tmp_path)
    before = _data_loaded(await fake_discord.slash("about"))
    await bot.catalog.reload()  # the same files: nothing changed
    assert _data_loaded(await fake_discord.slash("about")) == before
    (seeds / "linked.txt").write_text(LINKED_DOC.replace("Room 4", "Room 5"))
    await bot.catalog.reload()
    assert _data_loaded(await fake_discord.slash("about")) != before
