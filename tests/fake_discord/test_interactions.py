"""The fake's interactions: replies, defers, components, modals, autocomplete, the 3 s
deadline and one acknowledgement per interaction."""

from __future__ import annotations

import discord
import pytest

from tests.fake_discord import (
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
from tests.fake_discord.harness import CALLBACK, HarnessBot


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


async def test_rate_limited_callback_is_retried(
    fake_discord: FakeDiscord, guild: FakeGuild
) -> None:
    fake_discord.rate_limit("POST", CALLBACK, times=1, retry_after=0.05)
    async with fake_discord.run(HarnessBot(guild)):
        res = await fake_discord.slash("session", {"query": "x"})
    assert res.response_type == CHANNEL_MESSAGE
    assert [r.status for r in fake_discord.requests_to("POST", CALLBACK)] == [429, 200]


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
