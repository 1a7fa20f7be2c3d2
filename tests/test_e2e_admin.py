"""/reload, /import and /export end to end through the fake Discord."""

from __future__ import annotations

import json
import shutil
from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import Any

import pytest

from bot.app import IGFBot
from bot.config import Config
from bot.export import sessions_from_json
from bot.models import GuildSettings
from bot.parser import parse_bytes
from tests.fake_discord import MANAGE_GUILD, FakeDiscord, InteractionResult
from tests.fake_discord.models import FakeAttachment
from tests.helpers import ROOT

SEED_2021 = "000_2d8a54ebfe520b7f.txt"
SEED_2022 = "001_f0b5d1bb55f3a80c.txt"


def admin_cog(bot: IGFBot) -> Any:
    """The running Admin cog: an instance of the bot's own `cogs.admin` module object (each
    bot loads the extension afresh, so `isinstance` against this module's import fails)."""
    cog = bot.get_cog("Admin")
    assert cog is not None
    return cog


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


async def test_import_buttons_disable_themselves_on_timeout(
    bot: IGFBot, fake_discord: FakeDiscord, admin, seeds: Path
) -> None:
    admin_cog(bot).confirm_timeout_s = 1.0
    attachment = fake_discord.add_attachment(
        "page.txt", (ROOT / "tests/fixtures/corpus/igf-2021-ws-35.txt").read_bytes()
    )
    shown = await fake_discord.slash("import", {"file": attachment}, user=admin)
    before = sorted(p.name for p in seeds.iterdir())

    def disabled(result: InteractionResult) -> bool:
        rows = result.followups[-1].get("components") or []
        buttons = [c for row in rows for c in row["components"]]
        return bool(buttons) and all(b.get("disabled") for b in buttons)

    await shown.wait_for(disabled, timeout=5, what="the Confirm/Cancel buttons disabled")
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


# ------------------------------------------------------------------------------ /import safety


HOSTILE_HTML = b"<div>x" * 166_000  # 996 KB: seconds of HTML reading


async def test_a_hostile_import_does_not_stop_other_users_commands(
    bot: IGFBot, fake_discord: FakeDiscord, admin, member, seeds: Path
) -> None:
    before = sorted(p.name for p in seeds.iterdir())
    hostile = fake_discord.add_attachment("page.html", HOSTILE_HTML)
    started = await fake_discord.slash("import", {"file": hostile}, user=admin, wait=False)
    # Another user keeps asking while the page is read: each /about must be answered within
    # Discord's 3 s (the fake fails one that is not), so none may wait behind the import.
    asked = 0
    while not started.record.settled:
        about = await fake_discord.slash("about", user=member)
        assert about.embed["title"] == "IGF forum bot"
        asked += 1
    assert asked > 1
    await fake_discord.wait_settled(started, timeout=30)
    assert started.ephemeral and started.followups, started.describe()
    assert sorted(p.name for p in seeds.iterdir()) == before
    fake_discord.assert_no_errors()


async def test_an_import_over_its_time_budget_is_refused_clearly(
    bot: IGFBot, fake_discord: FakeDiscord, admin, seeds: Path
) -> None:
    admin_cog(bot).import_budget_s = 0.5
    before = sorted(p.name for p in seeds.iterdir())
    hostile = fake_discord.add_attachment("page.html", HOSTILE_HTML)
    started = await fake_discord.slash("import", {"file": hostile}, user=admin, timeout=30)
    refused = started.followups[-1].get("content") or ""
    assert "Refused: the page took longer than 0.5 s to read" in refused, started.describe()
    assert sorted(p.name for p in seeds.iterdir()) == before


async def test_an_attachment_on_another_host_is_not_fetched(
    bot: IGFBot, fake_discord: FakeDiscord, admin, seeds: Path
) -> None:
    page = (ROOT / "tests/fixtures/corpus/igf-2022-ws-482.txt").read_bytes()
    attachment = fake_discord.add_attachment("page.txt", page)
    # The same bytes, but the payload names another host (localhost is not the API base's).
    elsewhere = replace(attachment, url=attachment.url.replace("127.0.0.1", "localhost", 1))
    assert elsewhere.url != attachment.url
    result = await fake_discord.slash("import", {"file": elsewhere}, user=admin)
    text = result.content + json.dumps(result.followups)
    assert "not on Discord's CDN (localhost)" in text, result.describe()
    assert not fake_discord.requests_to("GET", r"/attachments/.*")


@dataclass
class LyingAttachment(FakeAttachment):
    """Declares a small size in the interaction payload; the CDN serves all of `data`."""

    declared: int = 100

    def payload(self) -> dict[str, Any]:
        return {**super().payload(), "size": self.declared}


async def test_a_stream_longer_than_declared_stops_at_the_cap(
    bot: IGFBot, fake_discord: FakeDiscord, admin, seeds: Path
) -> None:
    before = sorted(p.name for p in seeds.iterdir())
    real = fake_discord.add_attachment("page.txt", b"IGF 2021 WS #1 Big\n" + b"x" * 3_000_000)
    lying = LyingAttachment(**{f.name: getattr(real, f.name) for f in fields(FakeAttachment)})
    fake_discord.attachments[real.id] = lying
    result = await fake_discord.slash("import", {"file": lying}, user=admin)
    text = result.content + json.dumps(result.followups)
    # Refused at the cap, while streaming: the bot never learnt the real length.
    assert "larger than 1,000,000 bytes" in text and "3,000,019" not in text, result.describe()
    assert sorted(p.name for p in seeds.iterdir()) == before


async def test_importing_a_page_that_is_already_loaded_writes_nothing(
    bot: IGFBot, fake_discord: FakeDiscord, admin, seeds: Path
) -> None:
    before = sorted(p.name for p in seeds.iterdir())
    attachment = fake_discord.add_attachment("copy.txt", (seeds / SEED_2021).read_bytes())
    result = await fake_discord.slash("import", {"file": attachment}, user=admin)
    text = result.content + json.dumps(result.followups)
    assert result.ephemeral and "Already loaded" in text and "Nothing was written" in text
    assert not any(c.get("custom_id") == "import:confirm" for c in result.iter_components())
    assert sorted(p.name for p in seeds.iterdir()) == before


async def test_export_offers_only_json_and_csv(bot: IGFBot, fake_discord: FakeDiscord) -> None:
    commands = {
        c["name"]: c for c in fake_discord.commands(next(iter(fake_discord.guilds.values())))
    }
    (option,) = commands["export"]["options"]
    assert [c["value"] for c in option["choices"]] == ["json", "csv"]
    csv_file = (await fake_discord.slash("export", {"format": "csv"})).files[0]
    assert csv_file.filename == "igf-sessions.csv" and csv_file.data.startswith(b"\xef\xbb\xbfkey,")
    assert (await fake_discord.slash("export")).files[0].filename == "igf-sessions.json"


# ------------------------------------------------------------------------------ /reload safety


async def test_a_reload_that_would_remove_every_session_asks_first(
    bot: IGFBot, fake_discord: FakeDiscord, admin, seeds: Path
) -> None:
    for path in seeds.iterdir():
        path.unlink()
    asked = await fake_discord.slash("reload", user=admin)
    text = asked.content + json.dumps(asked.followups)
    assert "Nothing was changed" in text and "remove 2 sessions" in text, asked.describe()
    assert (await bot.catalog.find_session("Open Forum #5")).best is not None
    done = await fake_discord.click(asked, "reload:confirm", user=admin)
    final = done.followups[-1] if done.followups else done.message
    assert "removed 2" in json.dumps(final)
    assert (await bot.catalog.find_session("Open Forum #5")).best is None
