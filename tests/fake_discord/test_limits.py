"""Discord's documented limits as the fake enforces them: 400 50035 Invalid Form Body with
the path of the offending field."""

from __future__ import annotations

import aiohttp
import discord
import pytest
from discord import app_commands

from tests.fake_discord import FakeDiscord, FakeGuild, InteractionFailed
from tests.fake_discord.harness import HarnessBot


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
