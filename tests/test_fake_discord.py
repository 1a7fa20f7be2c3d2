"""Tests of the fake Discord harness itself, driven by discord.py's real AutoShardedBot."""

from __future__ import annotations

import asyncio
import io
from typing import Literal

import aiohttp
import discord
import pytest
from discord import app_commands
from discord.ext import commands

from bot.discord_api import DEFAULT_API_BASE, point_discord_at
from tests.fake_discord import (
    ADMINISTRATOR,
    AUTOCOMPLETE_RESULT,
    CHANNEL_MESSAGE,
    DEFERRED_CHANNEL_MESSAGE,
    DEFERRED_UPDATE_MESSAGE,
    MODAL,
    UPDATE_MESSAGE,
    FakeDiscord,
    FakeGuild,
    InteractionFailed,
)

CALLBACK = r"/interactions/\d+/[^/]+/callback"


class SessionView(discord.ui.View):
    def __init__(self) -> None:
        super().__init__(timeout=60)

    @discord.ui.button(label="Next", custom_id="next", style=discord.ButtonStyle.primary)
    async def next_page(self, interaction: discord.Interaction, button: discord.ui.Button) -> None:
        await interaction.response.edit_message(content="page 2", view=self)  # type 7

    @discord.ui.select(
        custom_id="pick",
        placeholder="Pick a session",
        options=[discord.SelectOption(label=f"Session {c}", value=c) for c in "abc"],
    )
    async def pick(self, interaction: discord.Interaction, select: discord.ui.Select) -> None:
        await interaction.response.defer()  # type 6, then an edit by the channel route
        assert interaction.message is not None
        await interaction.message.edit(content=f"picked {select.values[0]}")


class Feedback(discord.ui.Modal, title="Feedback"):
    text: discord.ui.TextInput = discord.ui.TextInput(label="Your feedback", custom_id="text")

    async def on_submit(self, interaction: discord.Interaction) -> None:
        await interaction.response.send_message(f"thanks: {self.text.value}", ephemeral=True)


class HarnessBot(commands.AutoShardedBot):
    """One of each interaction pattern the real bot will use."""

    def __init__(self, guild: FakeGuild) -> None:
        super().__init__(
            command_prefix=commands.when_mentioned,
            intents=discord.Intents.default(),
            allowed_mentions=discord.AllowedMentions.none(),
            guild_ready_timeout=0.1,
        )
        self.sync_guild = discord.Object(guild.id)
        self.digest_channel_id: int | None = None
        self.errors: list[Exception] = []
        self.release_silent = asyncio.Event()
        self._add_commands()

    async def setup_hook(self) -> None:
        await self.tree.sync()
        await self.tree.sync(guild=self.sync_guild)

    def _add_commands(self) -> None:
        tree, guild = self.tree, self.sync_guild

        @tree.command(description="Is the bot there?")  # global: also in DMs
        async def ping(interaction: discord.Interaction) -> None:
            where = "DM" if interaction.guild_id is None else "guild"
            await interaction.response.send_message(f"pong from {where}")

        @tree.command(guild=guild, description="Show a session")
        async def session(interaction: discord.Interaction, query: str) -> None:
            embed = discord.Embed(title=f"Session: {query}", description="Details")
            await interaction.response.send_message(embed=embed, view=SessionView())

        @tree.command(guild=guild, description="Search sessions")
        async def search(interaction: discord.Interaction, query: str) -> None:
            await interaction.response.send_message(f"searching {query}")

        @search.autocomplete("query")
        async def search_choices(
            interaction: discord.Interaction, current: str
        ) -> list[app_commands.Choice[str]]:
            return [app_commands.Choice(name=f"{current} {i}", value=str(i)) for i in range(30)]

        @tree.command(guild=guild, description="Defer, then answer")
        async def slow(interaction: discord.Interaction, mode: Literal["edit", "followup"]) -> None:
            await interaction.response.defer(thinking=True, ephemeral=True)
            if mode == "edit":
                await interaction.edit_original_response(content="done (edited)")
            else:
                await interaction.followup.send("done (followup)")

        @tree.command(guild=guild, description="An embed over Discord's limits")
        async def toolong(interaction: discord.Interaction) -> None:
            embed = discord.Embed(title="x" * 300, description="y" * 5000)
            await interaction.response.send_message(embed=embed)

        digest = app_commands.Group(name="digest", description="Daily digest", guild_ids=[guild.id])

        @digest.command(name="channel", description="Where the digest goes")
        async def digest_channel(
            interaction: discord.Interaction, channel: discord.TextChannel
        ) -> None:
            self.digest_channel_id = channel.id
            await interaction.response.send_message(
                f"Digest goes to {channel.mention}", ephemeral=True
            )

        tree.add_command(digest)

        @tree.command(guild=guild, description="Post to the digest channel")
        async def announce(interaction: discord.Interaction) -> None:
            assert self.digest_channel_id is not None
            target = self.get_partial_messageable(self.digest_channel_id)
            try:
                await target.send("Today at IGF: ...")
            except discord.Forbidden:
                await interaction.response.send_message("no permission there", ephemeral=True)
            except discord.NotFound:
                await interaction.response.send_message("that channel is gone", ephemeral=True)
            else:
                await interaction.response.send_message("posted", ephemeral=True)

        @tree.command(guild=guild, description="Echo an uploaded file")
        async def upload(interaction: discord.Interaction, file: discord.Attachment) -> None:
            data = await file.read()  # fetched from the fake CDN
            await interaction.response.send_message(
                f"got {file.filename} ({len(data)} bytes)",
                file=discord.File(io.BytesIO(data.upper()), filename="upper.txt"),
            )

        @tree.command(guild=guild, description="Open a modal")
        async def feedback(interaction: discord.Interaction) -> None:
            await interaction.response.send_modal(Feedback())

        @tree.command(guild=guild, description="Answers only when released")
        async def silent(interaction: discord.Interaction) -> None:
            await self.release_silent.wait()
            await interaction.response.send_message("too late")

        @tree.error
        async def on_app_command_error(
            interaction: discord.Interaction, error: app_commands.AppCommandError
        ) -> None:
            self.errors.append(error)


@pytest.fixture
def guild(fake_discord: FakeDiscord) -> FakeGuild:
    return fake_discord.add_guild("IGF", channels=["general", "digest"])


async def test_point_discord_at_sets_rest_and_gateway() -> None:
    saved = discord.http.Route.BASE, discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY
    try:
        point_discord_at("http://127.0.0.1:8123/")
        assert discord.http.Route.BASE == "http://127.0.0.1:8123/api/v10"
        assert str(discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY) == "ws://127.0.0.1:8123/"
        point_discord_at(DEFAULT_API_BASE)
        assert discord.http.Route.BASE == "https://discord.com/api/v10"
        assert str(discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY) == "wss://gateway.discord.gg/"
        with pytest.raises(ValueError):
            point_discord_at("discord.com")
    finally:
        discord.http.Route.BASE, discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = saved


async def test_login_sync_and_slash_reply_with_embed(
    fake_discord: FakeDiscord, guild: FakeGuild
) -> None:
    alice = fake_discord.add_user("alice", permissions=ADMINISTRATOR)
    async with fake_discord.run(HarnessBot(guild)):
        res = await fake_discord.slash("session", {"query": "Open Forum #5"}, user=alice)

    assert res.response_type == CHANNEL_MESSAGE
    assert res.embed["title"] == "Session: Open Forum #5"
    assert not res.ephemeral
    assert res.allowed_mentions == {"parse": []}  # from the bot's AllowedMentions.none()
    assert [c["custom_id"] for c in res.iter_components() if "custom_id" in c] == ["next", "pick"]
    assert res.latency is not None and res.latency < 1
    # The login sequence, the sync, and the gateway as discord.py 2.7.1 does them.
    app = fake_discord.application_id
    assert [(r.method, r.path) for r in fake_discord.requests[:5]] == [
        ("GET", "/users/@me"),
        ("GET", "/oauth2/applications/@me"),
        ("PUT", f"/applications/{app}/commands"),
        ("PUT", f"/applications/{app}/guilds/{guild.id}/commands"),
        ("GET", "/gateway/bot"),
    ]
    # zstd-stream when the zstandard package is installed, else zlib-stream.
    assert fake_discord.gateway.compression[0] in ("zlib-stream", "zstd-stream")
    assert {c["name"] for c in fake_discord.commands(guild)} >= {"session", "digest", "slow"}
    assert res.record.payload["data"]["id"] == next(
        c["id"] for c in fake_discord.commands(guild) if c["name"] == "session"
    )
    assert fake_discord.requests_to("POST", CALLBACK)[0].headers.get("Authorization") is None
    fake_discord.assert_no_errors()


async def test_restart_does_not_recreate_commands(
    fake_discord: FakeDiscord, guild: FakeGuild
) -> None:
    async with fake_discord.run(HarnessBot(guild)):
        pass
    first = fake_discord.command_stats(guild)
    created = first.creates
    assert created == len(fake_discord.commands(guild)) and first.bulk_overwrites == 1
    async with fake_discord.run(HarnessBot(guild)):
        pass
    stats = fake_discord.command_stats(guild)
    assert (stats.creates, stats.updates, stats.deletes) == (created, 0, 0)
    assert stats.unchanged == created and stats.bulk_overwrites == 2


async def test_autocomplete_over_25_choices_is_refused(
    fake_discord: FakeDiscord, guild: FakeGuild
) -> None:
    async with fake_discord.run(HarnessBot(guild)):
        with pytest.raises(InteractionFailed, match="refused") as failure:
            await fake_discord.autocomplete("search", {"query": "open fo"}, focused="query")
    rejected = failure.value.result.rejections[0]
    assert rejected.status == 400
    assert rejected.response["code"] == 50035
    errors = rejected.response["errors"]["data"]["choices"]["_errors"]
    assert errors[0]["code"] == "BASE_TYPE_MAX_LENGTH"
    assert rejected.json["type"] == AUTOCOMPLETE_RESULT
    assert len(rejected.json["data"]["choices"]) == 30


async def test_defer_then_edit_or_followup(fake_discord: FakeDiscord, guild: FakeGuild) -> None:
    async with fake_discord.run(HarnessBot(guild)):
        edited = await fake_discord.slash("slow", {"mode": "edit"})
        followed = await fake_discord.slash("slow", {"mode": "followup"})
        with pytest.raises(AssertionError, match="not one of"):
            await fake_discord.slash("slow", {"mode": "sideways"})

    assert edited.response_type == DEFERRED_CHANNEL_MESSAGE and edited.deferred
    assert edited.content == "done (edited)" and edited.ephemeral and not edited.loading
    assert edited.record.original_edits == 1
    # The first followup after a "thinking" defer replaces the loading message.
    assert followed.content == "done (followup)" and followed.ephemeral
    assert followed.followups[0]["id"] == followed.message["id"]


async def test_button_and_select_on_a_reply(fake_discord: FakeDiscord, guild: FakeGuild) -> None:
    async with fake_discord.run(HarnessBot(guild)):
        res = await fake_discord.slash("session", {"query": "WS 42"})
        clicked = await fake_discord.click(res, "next")
        assert clicked.response_type == UPDATE_MESSAGE
        assert clicked.content == "page 2" and clicked.message["id"] == res.message["id"]
        picked = await fake_discord.select(clicked.message, "pick", ["b"])
        assert picked.response_type == DEFERRED_UPDATE_MESSAGE
        assert picked.content == "picked b"
        assert res.content == "picked b"  # one message, updated in place
        with pytest.raises(AssertionError, match="offers"):
            await fake_discord.select(res, "pick", ["z"])
        with pytest.raises(AssertionError, match="no component"):
            await fake_discord.click(res, "missing")


async def test_too_long_embed_gets_invalid_form_body(
    fake_discord: FakeDiscord, guild: FakeGuild
) -> None:
    bot = HarnessBot(guild)
    async with fake_discord.run(bot):
        with pytest.raises(InteractionFailed, match="refused"):
            await fake_discord.slash("toolong")
    rejected = fake_discord.rejections[0]
    assert rejected.status == 400 and rejected.response["code"] == 50035
    embed_errors = rejected.response["errors"]["data"]["embeds"]["0"]
    assert set(embed_errors) == {"title", "description"}
    # discord.py raised it to the command: HTTPException with Discord's code.
    assert isinstance(bot.errors[0], app_commands.CommandInvokeError)
    original = bot.errors[0].original
    assert isinstance(original, discord.HTTPException) and original.code == 50035


async def test_rate_limited_callback_is_retried(
    fake_discord: FakeDiscord, guild: FakeGuild
) -> None:
    fake_discord.rate_limit("POST", CALLBACK, times=1, retry_after=0.05)
    async with fake_discord.run(HarnessBot(guild)):
        res = await fake_discord.slash("session", {"query": "x"})
    assert res.response_type == CHANNEL_MESSAGE
    assert [r.status for r in fake_discord.requests_to("POST", CALLBACK)] == [429, 200]


async def test_reconnect_resumes_after_the_gateway_drops(
    fake_discord: FakeDiscord, guild: FakeGuild
) -> None:
    async with fake_discord.run(HarnessBot(guild)):
        await fake_discord.drop_gateway(code=4000)
        await fake_discord.wait_until_ready()
        res = await fake_discord.slash("session", {"query": "after resume"})
    assert res.embed["title"] == "Session: after resume"
    assert fake_discord.gateway.identifies == 1 and fake_discord.gateway.resumes == 1
    assert [path for path, _ in fake_discord.gateway.handshakes] == ["/", "/resume"]
    received = [e.op for e in fake_discord.gateway.events if e.direction == "received"]
    assert 6 in received  # RESUME
    seqs = [e.s or 0 for e in fake_discord.gateway.events if e.direction == "sent" and e.op == 0]
    assert seqs == sorted(seqs) and len(set(seqs)) == len(seqs)


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


async def test_modal_round_trip(fake_discord: FakeDiscord, guild: FakeGuild) -> None:
    async with fake_discord.run(HarnessBot(guild)):
        shown = await fake_discord.slash("feedback")
        assert shown.response_type == MODAL and shown.modal is not None
        submitted = await fake_discord.submit_modal(shown, {"text": "great"})
    assert submitted.content == "thanks: great" and submitted.ephemeral


async def test_no_answer_within_deadline_and_late_answer_refused(
    fake_discord: FakeDiscord, guild: FakeGuild
) -> None:
    fake_discord.response_deadline = 0.3
    bot = HarnessBot(guild)
    async with fake_discord.run(bot):
        with pytest.raises(InteractionFailed, match="did not respond"):
            await fake_discord.slash("silent")
        late = fake_discord.interactions[-1]
        assert fake_discord.unanswered == [late]
        bot.release_silent.set()
        await late.wait_for(lambda r: bool(r.rejections), what="the late callback")
    assert late.rejections[0].status == 404 and late.rejections[0].response["code"] == 10062


async def test_answering_twice_is_refused(fake_discord: FakeDiscord, guild: FakeGuild) -> None:
    async with fake_discord.run(HarnessBot(guild)) as bot:
        res = await fake_discord.slash("session", {"query": "x"})
        # Replay the bot's own callback: Discord refuses a second acknowledgement.
        callback = fake_discord.requests_to("POST", CALLBACK)[0]
        with pytest.raises(discord.HTTPException) as refused:
            await bot.http.request(discord.http.Route("POST", callback.path), json=callback.json)
    assert refused.value.status == 400 and refused.value.code == 40060
    assert res.response_type == CHANNEL_MESSAGE


async def test_dm_and_global_command(fake_discord: FakeDiscord, guild: FakeGuild) -> None:
    async with fake_discord.run(HarnessBot(guild)):
        in_dm = await fake_discord.slash("ping", dm=True)
        in_guild = await fake_discord.slash("ping")
        with pytest.raises(AssertionError, match="not synced"):
            await fake_discord.slash("session", {"query": "x"}, dm=True, timeout=0.2)
    assert in_dm.content == "pong from DM" and "user" in in_dm.record.payload
    assert in_guild.content == "pong from guild" and "member" in in_guild.record.payload


async def test_file_over_10_mib_is_refused(fake_discord: FakeDiscord, guild: FakeGuild) -> None:
    big = fake_discord.add_attachment("big.txt", b"x" * (10 * 1024 * 1024 + 1))
    async with fake_discord.run(HarnessBot(guild)):
        with pytest.raises(InteractionFailed, match="refused"):
            await fake_discord.slash("upload", {"file": big})
    assert [r.status for r in fake_discord.requests_to("POST", CALLBACK)] == [413]


def _button(i: int, **extra: object) -> dict[str, object]:
    return {"type": 2, "style": 1, "label": f"b{i}", "custom_id": f"b{i}", **extra}


def _select(**extra: object) -> dict[str, object]:
    options = [{"label": "A", "value": "a"}]
    return {"type": 3, "custom_id": "s", "options": options, **extra}


def _row(*components: dict[str, object]) -> dict[str, object]:
    return {"type": 1, "components": list(components)}


@pytest.mark.parametrize(
    ("body", "error_path"),
    [
        ({"content": "x" * 2001}, "content"),
        ({"embeds": [{"title": "t"}] * 11}, "embeds"),
        ({"embeds": [{"title": "t" * 257}]}, "embeds.0.title"),
        ({"embeds": [{"description": "d" * 4097}]}, "embeds.0.description"),
        ({"embeds": [{"fields": [{"name": "n", "value": "v"}] * 26}]}, "embeds.0.fields"),
        ({"embeds": [{"fields": [{"name": "", "value": "v"}]}]}, "embeds.0.fields.0.name"),
        ({"embeds": [{"fields": [{"name": "n", "value": "v" * 1025}]}]}, "embeds.0.fields.0.value"),
        ({"embeds": [{"footer": {"text": "f" * 2049}}]}, "embeds.0.footer.text"),
        ({"embeds": [{"author": {"name": "a" * 257}}]}, "embeds.0.author.name"),
        ({"embeds": [{"description": "d" * 4000}, {"description": "d" * 2001}]}, "embeds"),
        ({"components": [_row(_button(i)) for i in range(6)]}, "components"),
        ({"components": [_row(*(_button(i) for i in range(6)))]}, "components.0.components"),
        ({"components": [_row(_select(), _button(1))]}, "components.0.components"),
        ({"components": [_row(_button(1, label="l" * 81))]}, "components.0.components.0.label"),
        (
            {"components": [_row(_button(1, custom_id="c" * 101))]},
            "components.0.components.0.custom_id",
        ),
        (
            {"components": [_row(_select(placeholder="p" * 151))]},
            "components.0.components.0.placeholder",
        ),
        (
            {
                "components": [
                    _row(_select(options=[{"label": str(i), "value": str(i)} for i in range(26)]))
                ]
            },
            "components.0.components.0.options",
        ),
        (
            {"components": [_row(_select(options=[{"label": "A", "value": "v" * 101}]))]},
            "components.0.components.0.options.0.value",
        ),
        (
            {"content": "x", "allowed_mentions": {"parse": ["users"], "users": ["1"]}},
            "allowed_mentions",
        ),
    ],
)
async def test_message_limits_answer_invalid_form_body(
    fake_discord: FakeDiscord, guild: FakeGuild, body: dict[str, object], error_path: str
) -> None:
    async with aiohttp.ClientSession(headers={"Authorization": "Bot fake-token"}) as http:
        url = f"{fake_discord.api_url}/channels/{guild.channel('general').id}/messages"
        async with http.post(url, json=body) as response:
            assert response.status == 400
            assert response.headers["Content-Type"] == "application/json"
            answer = await response.json()
    assert answer["code"] == 50035 and answer["message"] == "Invalid Form Body"
    node = answer["errors"]
    for key in error_path.split("."):
        node = node[key]
    assert node["_errors"][0]["code"]


def _command(**extra: object) -> dict[str, object]:
    return {"name": "session", "description": "Show a session", "type": 1, **extra}


@pytest.mark.parametrize(
    ("commands_body", "error_path"),
    [
        ([_command(name="Session")], "0.name"),
        ([_command(name="two words")], "0.name"),
        ([_command(description="")], "0.description"),
        ([_command(description="d" * 101)], "0.description"),
        (
            [
                _command(
                    options=[{"type": 3, "name": f"o{i}", "description": "d"} for i in range(26)]
                )
            ],
            "0.options",
        ),
        (
            [
                _command(
                    options=[
                        {
                            "type": 3,
                            "name": "o",
                            "description": "d",
                            "choices": [{"name": str(i), "value": str(i)} for i in range(26)],
                        }
                    ]
                )
            ],
            "0.options.0.choices",
        ),
        ([_command(name=f"c{i}") for i in range(101)], ""),
        ([_command(), _command()], ""),
    ],
)
async def test_command_limits_answer_invalid_form_body(
    fake_discord: FakeDiscord, guild: FakeGuild, commands_body: list[object], error_path: str
) -> None:
    app = fake_discord.application_id
    url = f"{fake_discord.api_url}/applications/{app}/guilds/{guild.id}/commands"
    async with (
        aiohttp.ClientSession(headers={"Authorization": "Bot fake-token"}) as http,
        http.put(url, json=commands_body) as response,
    ):
        assert response.status == 400
        answer = await response.json()
    node = answer["errors"]
    for key in filter(None, error_path.split(".")):
        node = node[key]
    assert node["_errors"]
    assert fake_discord.commands(guild) == [] and fake_discord.command_stats(guild).creates == 0


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
