"""/reload, /import and /export end to end through the fake Discord."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from bot.app import IGFBot
from bot.config import Config
from bot.export import sessions_from_json
from bot.models import GuildSettings
from bot.parser import parse_bytes
from tests.fake_discord import MANAGE_GUILD, FakeDiscord
from tests.helpers import ROOT

SEED_2021 = "000_2d8a54ebfe520b7f.txt"
SEED_2022 = "001_f0b5d1bb55f3a80c.txt"


async def test_admin_commands_are_hidden_by_default_permissions(
    bot: IGFBot, fake_discord: FakeDiscord
) -> None:
    commands = {
        c["name"]: c for c in fake_discord.commands(next(iter(fake_discord.guilds.values())))
    }
    assert int(commands["reload"]["default_member_permissions"]) == MANAGE_GUILD
    assert int(commands["import"]["default_member_permissions"]) == MANAGE_GUILD
    assert commands["export"].get("default_member_permissions") is None


async def test_non_admin_is_refused_even_when_a_server_overrides_the_default(
    bot: IGFBot,
    fake_discord: FakeDiscord,
    member,
    seeds: Path,
) -> None:
    (seeds / SEED_2022).unlink()
    result = await fake_discord.slash("reload", user=member, bypass_default_permissions=True)
    assert result.ephemeral and "Manage Server" in result.content
    # Nothing was reloaded: the removed file's session is still there.
    assert (await bot.catalog.find_session("Open Forum #25")).best is not None


async def test_owner_ids_may_reload_without_manage_server(
    fake_discord: FakeDiscord, tmp_path: Path, seeds: Path
) -> None:
    guild = fake_discord.add_guild("IGF community")
    owner = fake_discord.add_user("owner")
    config = Config(
        database=tmp_path / "igf.db",
        seeds_dir=seeds,
        dev_guild_id=guild.id,
        api_base=fake_discord.base_url,
        owner_ids=frozenset({owner.id}),
    )
    async with fake_discord.run(IGFBot(config, guild_ready_timeout=0.1)):
        result = await fake_discord.slash("reload", user=owner, bypass_default_permissions=True)
        assert "Reload" in result.embed["title"]


async def test_reload_after_edit_add_delete_and_corruption(
    bot: IGFBot,
    fake_discord: FakeDiscord,
    admin,
    seeds: Path,
    tmp_path: Path,
) -> None:
    await bot.catalog.digests.upsert_guild_settings(
        GuildSettings(guild_id=42, channel_id=7, enabled=True)
    )
    text = (seeds / SEED_2021).read_text()
    (seeds / SEED_2021).write_text(text.replace("Ballroom B", "Ballroom C"))  # edit
    shutil.copy(ROOT / "tests/fixtures/corpus/igf-2021-ws-170.txt", seeds / "ws170.txt")  # add
    (seeds / SEED_2022).unlink()  # delete
    result = await fake_discord.slash("reload", user=admin)
    report = result.embed["description"]
    assert "added 1, updated 1, removed 1" in report
    assert "Child Protection Online" in report
    card = await fake_discord.slash("session", {"query": "Open Forum #5"}, user=admin)
    assert "Ballroom C" in card.embed["description"]

    (seeds / SEED_2021).write_bytes(b"\x00\x01 corrupted")  # corrupt
    result = await fake_discord.slash("reload", user=admin)
    report = result.embed["description"]
    assert "binary file" in report and "previous version kept" in report
    card = await fake_discord.slash("session", {"query": "Open Forum #5"}, user=admin)
    assert "Ballroom C" in card.embed["description"]  # a bad edit never deletes a session
    settings = await bot.catalog.digests.guild_settings(42)
    assert settings is not None and settings.channel_id == 7  # server settings untouched


async def test_import_a_valid_page_after_confirm(
    bot: IGFBot,
    fake_discord: FakeDiscord,
    admin,
    seeds: Path,
) -> None:
    page = (ROOT / "tests/fixtures/corpus/igf-2022-ws-482.txt").read_bytes()
    attachment = fake_discord.add_attachment("../../x.txt", page)
    shown = await fake_discord.slash("import", {"file": attachment}, user=admin)
    assert shown.embed["title"].startswith("IGF 2022 WS #482")
    before = sorted(p.name for p in seeds.iterdir())
    done = await fake_discord.click(shown, "import:confirm", user=admin)
    final = done.followups[-1] if done.followups else done.message
    assert "Imported as import_" in json.dumps(final)
    added = sorted(set(p.name for p in seeds.iterdir()) - set(before))
    assert len(added) == 1 and added[0].startswith("import_") and added[0].endswith(".txt")
    assert not (seeds.parent.parent / "x.txt").exists() and not Path("/x.txt").exists()
    card = await fake_discord.slash("session", {"query": "WS #482"}, user=admin)
    assert card.embed["title"].startswith("IGF 2022 WS #482")


async def test_import_cancel_writes_nothing(
    bot: IGFBot, fake_discord: FakeDiscord, admin, seeds: Path
) -> None:
    attachment = fake_discord.add_attachment(
        "page.txt", (ROOT / "tests/fixtures/corpus/igf-2021-ws-35.txt").read_bytes()
    )
    shown = await fake_discord.slash("import", {"file": attachment}, user=admin)
    before = sorted(p.name for p in seeds.iterdir())
    cancelled = await fake_discord.click(shown, "import:cancel", user=admin)
    assert "nothing was written" in cancelled.content
    assert sorted(p.name for p in seeds.iterdir()) == before


@pytest.mark.parametrize(
    ("filename", "data", "reason"),
    [
        (
            "transcript.txt",
            (ROOT / "tests/fixtures/not-sessions/igf-2025-of-30-transcript.txt").read_bytes(),
            "transcript",
        ),
        ("picture.png", b"\x89PNG\r\n", "not a .txt or .html"),
        ("huge.txt", b"IGF 2021 WS #1 Big\n" + b"x" * 1_100_000, "limit is 1,000,000"),
    ],
)
async def test_import_refuses_bad_files_with_the_reason(
    bot: IGFBot,
    fake_discord: FakeDiscord,
    admin,
    seeds: Path,
    filename: str,
    data: bytes,
    reason: str,
) -> None:
    before = sorted(p.name for p in seeds.iterdir())
    attachment = fake_discord.add_attachment(filename, data)
    result = await fake_discord.slash("import", {"file": attachment}, user=admin)
    assert result.ephemeral
    assert reason in (result.content + json.dumps(result.followups))
    assert sorted(p.name for p in seeds.iterdir()) == before


async def test_export_json_round_trips_and_csv_has_a_row_per_session(
    bot: IGFBot,
    fake_discord: FakeDiscord,
    member,
    seeds: Path,
) -> None:
    result = await fake_discord.slash("export", {"format": "json"}, user=member)
    files = result.files
    assert files and files[0].filename == "igf-sessions.json"
    exported = sessions_from_json(files[0].data)
    originals = {
        s.key: s for s in (parse_bytes((seeds / n).read_bytes(), n) for n in (SEED_2021, SEED_2022))
    }
    assert {s.key: s for s in exported} == originals
    csv_result = await fake_discord.slash("export", {"format": "csv"}, user=member)
    rows = csv_result.files[0].data.decode("utf-8-sig").strip().splitlines()
    assert rows[0].startswith("key,") and "Luca Belli" in csv_result.files[0].data.decode(
        "utf-8-sig"
    )
