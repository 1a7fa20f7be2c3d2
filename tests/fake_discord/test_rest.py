"""The fake's REST routes: channels that vanish or forbid, attachments and the CDN, file
sizes, authentication and unknown routes."""

from __future__ import annotations

import aiohttp
import pytest

from tests.fake_discord import FakeDiscord, FakeGuild, InteractionFailed
from tests.fake_discord.harness import CALLBACK, HarnessBot


async def test_subcommand_channel_option_and_channel_errors(
    fake_discord: FakeDiscord, guild: FakeGuild
) -> None:
    async with fake_discord.run(HarnessBot(guild)):
        # Created while the bot runs: CHANNEL_CREATE reaches it before the interaction.
        digest = fake_discord.add_channel(guild, "digest-2026")
        res = await fake_discord.slash("digest", {"channel": digest}, subcommand="channel")
        assert res.content == f"Digest goes to <#{digest.id}>" and res.ephemeral
        assert str(digest.id) in res.record.payload["data"]["resolved"]["channels"]
        with pytest.raises(AssertionError, match="needs a subcommand"):
            await fake_discord.slash("digest")

        assert (await fake_discord.slash("announce")).content == "posted"
        posted = await fake_discord.wait_for_message(digest)
        assert posted["content"] == "Today at IGF: ..."
        await fake_discord.slash("announce")
        again = await fake_discord.wait_for_message(digest)  # the next one, not the same
        assert again["id"] != posted["id"]

        fake_discord.forbid_channel(digest)
        assert (await fake_discord.slash("announce")).content == "no permission there"
        fake_discord.forbid_channel(digest, False)
        fake_discord.delete_channel(digest)
        assert (await fake_discord.slash("announce")).content == "that channel is gone"
    statuses = [
        r.status for r in fake_discord.requests_to("POST", rf"/channels/{digest.id}/messages")
    ]
    assert statuses == [200, 200, 403, 404]


async def test_attachment_option_and_file_reply(
    fake_discord: FakeDiscord, guild: FakeGuild
) -> None:
    notes = fake_discord.add_attachment("notes.txt", b"open forum")
    async with fake_discord.run(HarnessBot(guild)):
        res = await fake_discord.slash("upload", {"file": notes})
    assert res.content == "got notes.txt (10 bytes)"
    assert [(f.filename, f.data) for f in res.files] == [("upper.txt", b"OPEN FORUM")]
    assert res.attachments[0]["filename"] == "upper.txt"
    assert fake_discord.requests_to("GET", rf"/attachments/{notes.id}/notes.txt")[0].status == 200


async def test_file_over_10_mib_is_refused(fake_discord: FakeDiscord, guild: FakeGuild) -> None:
    big = fake_discord.add_attachment("big.txt", b"x" * (10 * 1024 * 1024 + 1))
    async with fake_discord.run(HarnessBot(guild)):
        with pytest.raises(InteractionFailed, match="refused"):
            await fake_discord.slash("upload", {"file": big})
    assert [r.status for r in fake_discord.requests_to("POST", CALLBACK)] == [413]


async def test_auth_and_unknown_routes(fake_discord: FakeDiscord) -> None:
    async with aiohttp.ClientSession() as http:
        async with http.get(f"{fake_discord.api_url}/users/@me") as response:
            assert response.status == 401
        headers = {"Authorization": "Bot fake-token"}
        async with http.get(f"{fake_discord.api_url}/nope", headers=headers) as response:
            assert response.status == 404 and (await response.json())["code"] == 0
    assert [r.path for r in fake_discord.unhandled] == ["/nope"]
    assert fake_discord.requests[0].headers.get("Authorization") is None
    assert fake_discord.requests[1].headers["Authorization"] == "<redacted>"
