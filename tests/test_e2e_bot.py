"""The bot end to end: discord.py's real client against the fake Discord on 127.0.0.1."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

import cogs._views
from bot import answers
from bot.app import IGFBot, cog_modules
from bot.config import Config
from tests.fake_discord import FakeDiscord
from tests.helpers import ROOT, copy_seeds, make_bot, running_bot

LONG_TAKEAWAY = " ".join(
    f"Takeaway sentence number {i} about meaningful access." for i in range(100)
)
HOSTILE_DOC = f"""IGF 2023 WS #999 Testing @everyone pings and <@123456789012345678> mentions

Monday, 9th October, 2023 (08:00 UTC) - Monday, 9th October, 2023 (09:30 UTC)
Room @here

Round Table - 90 Min


A description that says @everyone and <@&987654321098765432> and <@123456789012345678>.


Ada Lovelace, Analytical Engine Society
Grace Hopper, @everyone Institute

Key Takeaways (* deadline 2 hours after session)

{LONG_TAKEAWAY}

Second takeaway mentions @here.

Call to Action (* deadline 2 hours after session)

Ping nobody.
"""


@pytest.fixture
def extra_seeds() -> dict[str, str]:
    """This module's seeds also hold a session written to trip mentions and length limits."""
    return {"hostile.txt": HOSTILE_DOC}


def all_message_payloads(fake: FakeDiscord) -> list[dict]:
    bodies = []
    for request in fake.requests:
        body = request.json if isinstance(getattr(request, "json", None), dict) else None
        if body is None:
            continue
        message = body.get("data", body) if "type" in body and "data" in body else body
        if isinstance(message, dict) and ("embeds" in message or "content" in message):
            bodies.append(message)
    return bodies


# ------------------------------------------------------------------------------ start-up


async def test_commands_are_synced_once_to_the_dev_guild(
    fake_discord: FakeDiscord, tmp_path: Path, seeds: Path
) -> None:
    guild = fake_discord.add_guild("IGF community")
    first = make_bot(fake_discord, tmp_path, seeds)
    async with fake_discord.run(first):
        names = {c["name"] for c in fake_discord.commands(guild)}
    assert {
        "session",
        "speaker",
        "takeaways",
        "actions",
        "search",
        "sessions",
        "about",
        "help",
    } <= names
    puts = len(fake_discord.requests_to("PUT", r"/applications/\d+/guilds/\d+/commands"))
    assert puts == 1
    # A restart with the same command set spends none of Discord's 200 daily creates.
    second = make_bot(fake_discord, tmp_path, seeds)
    async with fake_discord.run(second):
        pass
    assert len(fake_discord.requests_to("PUT", r"/applications/\d+/guilds/\d+/commands")) == 1


def test_no_two_commands_collide() -> None:
    async def collect() -> list[str]:
        instance = IGFBot(Config(database=Path("/nonexistent/db")))
        for module in cog_modules():
            await instance.load_extension(module)
        return [c.name for c in instance.tree.get_commands()]

    names = asyncio.run(collect())
    assert len(names) == len(set(names)), names


# ------------------------------------------------------------------------------ /session


async def test_session_by_reference_returns_the_card(
    bot: IGFBot, fake_discord: FakeDiscord
) -> None:
    result = await fake_discord.slash("session", {"query": "Open Forum #5"})
    embed = result.embed
    assert (
        embed["title"]
        == "IGF 2021 Open Forum #5 Development and Rule-Making on Artificial Intelligence"
    )
    assert "Ballroom B" in embed["description"]
    assert "<t:1639125000:F>" in embed["description"]  # 2021-12-10 08:30 UTC, each reader's zone
    fields = {f["name"]: f["value"] for f in embed["fields"]}
    assert (
        "Luca Belli"
        in fields["Topic 2: International Governance and International Cooperation on AI"]
    )
    assert "Li Yuxiao" in fields["Online moderator"]
    labels = [c.get("label") for c in result.iter_components()]
    assert {"About", "Key takeaways", "Calls to action", "Speakers"} <= set(labels)
    assert "Report" not in labels  # Open Forum #5 has no report: no button for it
    assert not result.ephemeral
    assert result.allowed_mentions == {"parse": []}
    fake_discord.assert_no_errors()


async def test_session_autocomplete(bot: IGFBot, fake_discord: FakeDiscord) -> None:
    choices = await fake_discord.autocomplete("session", {"query": "rule making"}, focused="query")
    assert choices and "Rule-Making on Artificial Intelligence" in choices[0]["name"]
    assert all(1 <= len(c["name"]) <= 100 for c in choices)
    result = await fake_discord.slash("session", {"query": choices[0]["value"]})
    assert result.embed["title"].startswith("IGF 2021 Open Forum #5")


async def test_autocomplete_is_capped_at_25(
    fake_discord: FakeDiscord, tmp_path: Path, seeds: Path
) -> None:
    template = (ROOT / "seeds" / "000_2d8a54ebfe520b7f.txt").read_text()
    for n in range(40):
        (seeds / f"gen_{n}.txt").write_text(
            template.replace("Open Forum #5", f"Open Forum #{100 + n}")
        )
    fake_discord.add_guild("IGF community")
    async with fake_discord.run(make_bot(fake_discord, tmp_path, seeds)):
        choices = await fake_discord.autocomplete("session", {"query": ""}, focused="query")
        assert len(choices) == 25
        choices = await fake_discord.autocomplete(
            "session", {"query": "artificial"}, focused="query"
        )
        assert 1 <= len(choices) <= 25


async def test_no_match_is_ephemeral_with_suggestions(
    bot: IGFBot, fake_discord: FakeDiscord
) -> None:
    result = await fake_discord.slash("session", {"query": "qqqq zzzz xxxx"})
    assert result.ephemeral
    assert result.embed["title"] == "Not found"
    assert "qqqq zzzz xxxx" in result.embed["description"]


async def test_close_matches_give_the_best_card_and_the_others_in_a_select(
    bot: IGFBot, fake_discord: FakeDiscord
) -> None:
    result = await fake_discord.slash("session", {"query": "intelligen"})
    assert not result.ephemeral
    assert result.embed["title"].startswith("IGF 20")
    fields = {f["name"]: f["value"] for f in result.embed["fields"]}
    assert "Other close matches" in fields
    select = next(c for c in result.iter_components() if c.get("type") == 3)
    other = select["options"][0]["value"]
    opened = await fake_discord.select(result, select["custom_id"], [other])
    assert opened.embed["title"].startswith("IGF 20")
    assert opened.embed["title"] != result.embed["title"]


async def test_section_buttons_and_paging(bot: IGFBot, fake_discord: FakeDiscord) -> None:
    result = await fake_discord.slash("session", {"query": "WS #999"})
    assert result.embed["title"].startswith("IGF 2023 WS #999")
    section = await fake_discord.click(
        result,
        next(c["custom_id"] for c in result.iter_components() if c.get("label") == "Key takeaways"),
    )
    assert section.ephemeral
    first = section.embed["description"]
    assert len(first) <= 4096
    # The 5,300-character takeaway is not cut: it flows onto the next page.
    assert section.embed["footer"]["text"].endswith("Page 1/2")
    turned = await fake_discord.click(section, "page:1")
    second = turned.embed["description"]
    assert "Second takeaway mentions @here." in second
    text = (first + " " + second).replace("\\", "")
    for i in (0, 50, 99):
        assert f"Takeaway sentence number {i} about" in text


async def test_paging_buttons_belong_to_the_invoker(bot: IGFBot, fake_discord: FakeDiscord) -> None:
    result = await fake_discord.slash("takeaways", {"session": "WS #999"})
    stranger = fake_discord.add_user("stranger")
    refused = await fake_discord.click(result, "page:1", user=stranger)
    assert refused.ephemeral and "belong to whoever ran the command" in refused.content
    assert (
        fake_discord.stored_message(result)
        .payload["embeds"][0]["footer"]["text"]
        .endswith("Page 1/2")
    )


async def test_buttons_disable_themselves_on_timeout(
    bot: IGFBot, fake_discord: FakeDiscord, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(cogs._views, "VIEW_TIMEOUT", 0.3)
    result = await fake_discord.slash("session", {"query": "Open Forum #5"})
    await result.wait_for_edit(timeout=5)
    components = list(fake_discord.stored_message(result).payload.get("components") or [])
    buttons = [c for row in components for c in row["components"]]
    sections = [b for b in buttons if b["custom_id"].startswith("section:")]
    others = [b for b in buttons if not b["custom_id"].startswith("section:")]
    assert others and all(b.get("disabled") for b in others)
    # a card's section buttons are persistent: they stay usable (tests/test_e2e_card.py)
    assert sections and not any(b.get("disabled") for b in sections)


# ------------------------------------------------------------------------------ mentions, limits


async def test_document_mentions_ping_nobody(bot: IGFBot, fake_discord: FakeDiscord) -> None:
    card = await fake_discord.slash("session", {"query": "WS #999"})
    assert "@everyone" in card.embed["title"]
    await fake_discord.slash("search", {"text": "everyone"})
    await fake_discord.slash("speaker", {"name": "grace hopper"})
    interactions = fake_discord.interactions
    assert interactions
    for result in interactions:
        if result.has_message:
            assert result.allowed_mentions == {"parse": []}, result.describe()


async def test_long_takeaways_never_exceed_limits(bot: IGFBot, fake_discord: FakeDiscord) -> None:
    result = await fake_discord.slash("takeaways", {"session": "WS #999"})
    assert result.embed["description"]
    assert not fake_discord.rejections, [r.describe() for r in fake_discord.rejections]


# ------------------------------------------------------------------------------ /speaker and others


async def test_speaker_luca_belli(bot: IGFBot, fake_discord: FakeDiscord) -> None:
    choices = await fake_discord.autocomplete("speaker", {"name": "luca bel"}, focused="name")
    assert choices[0]["name"].startswith("Luca Belli")
    result = await fake_discord.slash("speaker", {"name": "luca belli"})
    embed = result.embed
    assert embed["title"] == "Luca Belli"
    assert "Fundação Getulio Vargas" in embed["description"]
    assert "Development and Rule-Making on Artificial Intelligence" in embed["description"]
    assert "Speaker" in embed["description"]
    select = next(c for c in result.iter_components() if c.get("type") == 3)
    opened = await fake_discord.select(result, select["custom_id"], [select["options"][0]["value"]])
    assert opened.embed["title"].startswith("IGF 2021 Open Forum #5")


async def test_speaker_honorifics_are_one_person(bot: IGFBot, fake_discord: FakeDiscord) -> None:
    result = await fake_discord.slash("speaker", {"name": "Prof. Su Jun"})
    assert result.embed["title"] == "Su Jun"


async def test_search_year_type_and_hostile_text(bot: IGFBot, fake_discord: FakeDiscord) -> None:
    result = await fake_discord.slash("search", {"text": "intelligent society", "year": 2022})
    assert "Explore the road of intelligent social governance" in result.embed["description"]
    assert "**" in result.embed["description"]  # snippet highlights
    for text in ['"unbalanced', "AND OR (", "*", "NEAR("]:
        hostile = await fake_discord.slash("search", {"text": text})
        assert hostile.embed, hostile.describe()
    fake_discord.assert_no_errors()


async def test_sessions_about_help_actions(bot: IGFBot, fake_discord: FakeDiscord) -> None:
    browse = await fake_discord.slash("sessions", {"year": 2021})
    assert "Development and Rule-Making" in browse.embed["description"]
    assert (
        "Rule-Making"
        not in (await fake_discord.slash("sessions", {"year": 2022})).embed["description"]
    )
    day = await fake_discord.slash("sessions", {"day": "2022-11-29"})
    assert "intelligent social governance" in day.embed["description"]
    bad_day = await fake_discord.slash("sessions", {"day": "2022-13-45"})
    assert bad_day.ephemeral and "2022-13-45" in bad_day.content
    about = await fake_discord.slash("about")
    fields = {f["name"]: f["value"] for f in about.embed["fields"]}
    assert fields["Sessions"] == "3"
    assert (await fake_discord.slash("help")).ephemeral
    actions = await fake_discord.slash("actions", {"session": "Open Forum #25"})
    assert "global academic alliance" in actions.embed["description"]


# ------------------------------------------------------------------------------ failures


async def test_error_inside_a_command_is_a_short_ephemeral_message(
    bot: IGFBot,
    fake_discord: FakeDiscord,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    async def broken(*args: object, **kwargs: object) -> answers.Reply:
        raise RuntimeError("database on fire")

    monkeypatch.setattr(answers, "search", broken)
    result = await fake_discord.slash("search", {"text": "anything"})
    assert result.ephemeral
    assert "Something went wrong" in result.content
    assert "database on fire" not in result.content
    assert "database on fire" in caplog.text


async def test_late_answer_is_deferred_in_time(
    bot: IGFBot, fake_discord: FakeDiscord, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = answers.session

    async def slow(*args: object, **kwargs: object) -> answers.Reply:
        await asyncio.sleep(2.6)
        return await real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(answers, "session", slow)
    result = await fake_discord.slash("session", {"query": "Open Forum #5"}, timeout=10)
    assert result.deferred
    assert result.latency is not None and result.latency < 3.0
    assert result.embed["title"].startswith("IGF 2021 Open Forum #5")
    assert not fake_discord.unanswered


# ------------------------------------------------------------------------------ odd input


async def test_a_typed_number_is_a_year_or_text_never_a_row_id(
    bot: IGFBot, fake_discord: FakeDiscord
) -> None:
    year = await fake_discord.slash("session", {"query": "2023"})
    assert year.embed["title"] == "Sessions — 2023"
    assert "Workshop #999" in year.embed["description"]
    assert "Open Forum" not in year.embed["description"]
    # Row ids 1..3 exist (three sessions): a bare number is not one of them. ("1" is text:
    # a word of the hostile title starts with it.)
    for number in ("2", "3", "100", "2005"):
        result = await fake_discord.slash("session", {"query": number})
        assert result.ephemeral and result.embed["title"] == "Not found", result.describe()


@pytest.mark.parametrize("text", ["²", "1" * 30, "person:²", "session:²", "x\ud800", "\ud800"])
@pytest.mark.parametrize(
    ("command", "option"),
    [("session", "query"), ("speaker", "name"), ("search", "text"), ("takeaways", "session")],
)
async def test_odd_text_gets_a_short_clear_answer(
    bot: IGFBot, fake_discord: FakeDiscord, command: str, option: str, text: str
) -> None:
    result = await fake_discord.slash(command, {option: text})
    assert result.embeds and "Something went wrong" not in result.content, result.describe()
    if command != "search":  # "session:²" finds the word "session"
        assert result.ephemeral and result.embed["title"] == "Not found", result.describe()
    fake_discord.assert_no_errors()


async def test_numeric_options_are_ranged_and_a_bad_day_is_echoed_short(
    bot: IGFBot, fake_discord: FakeDiscord
) -> None:
    schema = {c["name"]: c for c in fake_discord.commands(next(iter(fake_discord.guilds.values())))}
    options = {o["name"]: o for o in schema["sessions"]["options"]}
    assert (options["year"]["min_value"], options["year"]["max_value"]) == (2006, 2100)
    assert (options["sdg"]["min_value"], options["sdg"]["max_value"]) == (1, 17)
    assert (options["day"]["min_length"], options["day"]["max_length"]) == (10, 10)
    search_year = {o["name"]: o for o in schema["search"]["options"]}["year"]
    assert (search_year["min_value"], search_year["max_value"]) == (2006, 2100)
    for day in ("²²²²-²²-²²", "\ud800" * 10, "2022-13-45"):
        result = await fake_discord.slash("sessions", {"day": day})
        assert result.ephemeral and "must be a date like 2021-12-10" in result.content
    # Should Discord ever pass a longer value, the reply repeats only a short part of it.
    assert len(answers.bad_day("x" * 6000).content or "") < 200


MARKUP = "*_~`|\\[*_~ " * 16  # an affiliation the parser still reads as one
TITLE_MARKUP = "*_~`|*_~`|*_~ " * 16  # every character but the space is escaped


def _markdown_doc(number: int) -> str:
    return f"""IGF 2023 WS #{number} {TITLE_MARKUP} {number}

Monday, 9th October, 2023 (08:00 UTC) - Monday, 9th October, 2023 (09:30 UTC)
Room {number}

Round Table - 90 Min


A description of session {number}.


Ada Markup, {MARKUP * 2} Institute {number}
Grace Hopper, Navy

Key Takeaways (* deadline 2 hours after session)

Takeaway {number}.
"""


async def test_speaker_with_markdown_heavy_affiliations_fits_every_page(
    fake_discord: FakeDiscord, guild, tmp_path: Path
) -> None:
    seeds = copy_seeds(tmp_path, {f"md{n}.txt": _markdown_doc(n) for n in range(1, 21)})
    async with running_bot(fake_discord, tmp_path, seeds):
        shown = await fake_discord.slash("speaker", {"name": "Ada Markup"})
        assert shown.embed["title"] == "Ada Markup", shown.describe()
        assert shown.embed["description"].startswith("**Organisations seen**")
        pages = [shown.embed["description"]]
        while any(
            c.get("custom_id") == "page:1" and not c.get("disabled")
            for c in shown.iter_components()
        ):
            shown = await fake_discord.click(shown, "page:1")
            pages.append(shown.embed["description"])
        assert all(len(page) <= 4096 for page in pages)
        # Full pages: the affiliations head (up to 1,500 characters) added after the cut,
        # as it once was, would have pushed the first page past 4,096.
        assert max(len(page) for page in pages[1:]) > 4096 - 1500
        fake_discord.assert_no_errors()
