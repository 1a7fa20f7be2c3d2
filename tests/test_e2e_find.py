"""Finding things the way people ask (issue #14), end to end through the fake Discord: search
stems, phrases, counts and empty results; autocomplete of types and years; a reference in the
wrong year; several close speakers."""

from __future__ import annotations

from bot.app import IGFBot
from tests.fake_discord import FakeDiscord


def footer(result: object) -> str:
    return (result.embed.get("footer") or {}).get("text", "")  # type: ignore[attr-defined]


async def test_search_stems_counts_and_phrases(bot: IGFBot, fake_discord: FakeDiscord) -> None:
    stemmed = await fake_discord.slash("search", {"text": "governing"})  # "governance"
    assert footer(stemmed).startswith("2 results"), stemmed.describe()
    phrase = await fake_discord.slash("search", {"text": '"intelligent social governance"'})
    assert footer(phrase).startswith("1 result"), phrase.describe()
    assert "Open Forum #25" in phrase.embed["description"]
    apostrophe = await fake_discord.slash("search", {"text": "children's rights"})
    assert apostrophe.embeds and "Something went wrong" not in (apostrophe.content or "")
    fake_discord.assert_no_errors()


async def test_search_finding_nothing_names_its_filters(
    bot: IGFBot, fake_discord: FakeDiscord
) -> None:
    result = await fake_discord.slash(
        "search", {"text": "Luca Belli", "year": 2022, "type": "Open Forum"}
    )
    assert result.ephemeral and result.embed["title"] == "Not found"
    description = result.embed["description"]
    assert "2022, Open Forum" in description and "without them" in description
    assert "/search" not in description


async def test_autocomplete_of_a_type_or_a_year(bot: IGFBot, fake_discord: FakeDiscord) -> None:
    for text in ("open fo", "Open Forum", "OF"):
        choices = await fake_discord.autocomplete("session", {"query": text}, focused="query")
        names = [c["name"] for c in choices]
        assert len(names) == 2 and "intelligent" in names[0].lower(), (text, names)  # 2022 first
    for text in ("2021", "IGF 2021"):
        choices = await fake_discord.autocomplete("session", {"query": text}, focused="query")
        assert len(choices) == 1 and "Rule-Making" in choices[0]["name"], (text, choices)


async def test_a_reference_in_a_year_without_it_names_the_years_that_have_it(
    bot: IGFBot, fake_discord: FakeDiscord
) -> None:
    for text in ("IGF 2022 Open Forum #5", "Open Forum #5 2022", "2022 OF 5"):
        result = await fake_discord.slash("session", {"query": text})
        assert result.ephemeral and result.embed["title"] == "Not in that year", text
        assert "Open Forum #5 took place in 2021" in result.embed["description"]
        select = next(c for c in result.iter_components() if c.get("type") == 3)
        opened = await fake_discord.select(
            result, select["custom_id"], [select["options"][0]["value"]]
        )
        assert opened.embed["title"].startswith("IGF 2021 Open Forum #5")


async def test_several_close_speakers_show_the_closest_and_a_menu(
    bot: IGFBot, fake_discord: FakeDiscord
) -> None:
    result = await fake_discord.slash("speaker", {"name": "zhang"})
    assert not result.ephemeral
    assert result.embed["title"].startswith("Closest match: Zhang ")
    assert "other close matches" in (result.content or "")
    select = next(c for c in result.iter_components() if c.get("type") == 3)
    assert len(select["options"]) >= 2
    assert all(o["label"].startswith("Zhang ") for o in select["options"])
    opened = await fake_discord.select(result, select["custom_id"], [select["options"][0]["value"]])
    assert opened.embed["title"] == select["options"][0]["label"]
