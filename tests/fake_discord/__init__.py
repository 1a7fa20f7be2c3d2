"""A fake Discord (REST ``/api/v10``, gateway websocket, CDN) on 127.0.0.1 for end-to-end tests
of the bot with discord.py's real, unmodified client. Import it as ``tests.fake_discord``.

What it enforces: everything the bot sends is checked against Discord's documented limits (see
``limits``) and refused like Discord would (400 50035 Invalid Form Body, 40060 already
acknowledged, 10062 unknown interaction after the 3 s deadline, 404 10003 / 403 50013 for
deleted or forbidden channels, 413 for files over 10 MiB, 401 without a token; guild scheduled
events with their field limits, MANAGE_EVENTS and the 100-event cap; DMs a user has closed, 403
50007). Every request is in ``fake.requests``; ``fake.now`` can follow a test's injected clock.

How a test uses it: the ``fake_discord`` fixture (tests/conftest.py) starts the fake and points
discord.py at it; ``guild`` adds a guild with #general and #digest::

    async def test_session(fake_discord: FakeDiscord, guild: FakeGuild, tmp_path, seeds):
        alice = fake_discord.add_user("alice", permissions=ADMINISTRATOR)
        bot = make_bot(fake_discord, tmp_path, seeds)    # tests/helpers.py; not started
        async with fake_discord.run(bot):                # start, wait for on_ready, close
            res = await fake_discord.slash("session", {"query": "Open Forum #5"}, user=alice)
            assert res.embed["title"].startswith("IGF 2021 Open Forum #5")
            res2 = await fake_discord.click(res, "next")     # button on that message
            choices = await fake_discord.autocomplete("session", {"query": "open fo"},
                                                      focused="query")
            post = await fake_discord.wait_for_message(guild.channel("digest"))

Bots under test should pass ``guild_ready_timeout=0.1`` (discord.py waits that long after
the last GUILD_CREATE before ``on_ready``; the default is 2 s). ``slash``/``click``/``select``/
``submit_modal`` return once Discord would show the final answer (a reply or update; a defer
followed by an edit, followup or deletion) and raise ``InteractionFailed`` (an AssertionError
listing what the fake received) otherwise.

The fake's own tests are here too (``test_*.py``, driving ``harness.HarnessBot``); the README's
``.venv/bin/python -m pytest -q`` collects them with the rest.
"""

from .interactions import (
    AUTOCOMPLETE_RESULT,
    CHANNEL_MESSAGE,
    DEFERRED_CHANNEL_MESSAGE,
    DEFERRED_UPDATE_MESSAGE,
    MODAL,
    UPDATE_MESSAGE,
    InteractionFailed,
    InteractionResult,
)
from .limits import Errors, invalid_form_body
from .models import (
    ADMINISTRATOR,
    ALL_PERMISSIONS,
    DEFAULT_BOT_PERMISSIONS,
    DEFAULT_MEMBER_PERMISSIONS,
    GUILD_ANNOUNCEMENT,
    GUILD_CATEGORY,
    GUILD_FORUM,
    GUILD_TEXT,
    GUILD_VOICE,
    MANAGE_EVENTS,
    MANAGE_GUILD,
    CommandStats,
    FakeAttachment,
    FakeChannel,
    FakeGuild,
    FakeMember,
    FakeRole,
    FakeScheduledEvent,
    FakeUser,
    GatewayEvent,
    RecordedFile,
    RecordedRequest,
)
from .server import FakeDiscord, StoredMessage

__all__ = [
    "ADMINISTRATOR",
    "ALL_PERMISSIONS",
    "AUTOCOMPLETE_RESULT",
    "CHANNEL_MESSAGE",
    "DEFAULT_BOT_PERMISSIONS",
    "DEFAULT_MEMBER_PERMISSIONS",
    "DEFERRED_CHANNEL_MESSAGE",
    "DEFERRED_UPDATE_MESSAGE",
    "GUILD_ANNOUNCEMENT",
    "GUILD_CATEGORY",
    "GUILD_FORUM",
    "GUILD_TEXT",
    "GUILD_VOICE",
    "MANAGE_EVENTS",
    "MANAGE_GUILD",
    "MODAL",
    "UPDATE_MESSAGE",
    "CommandStats",
    "Errors",
    "FakeAttachment",
    "FakeChannel",
    "FakeDiscord",
    "FakeGuild",
    "FakeMember",
    "FakeRole",
    "FakeScheduledEvent",
    "FakeUser",
    "GatewayEvent",
    "InteractionFailed",
    "InteractionResult",
    "RecordedFile",
    "RecordedRequest",
    "StoredMessage",
    "invalid_form_body",
]
