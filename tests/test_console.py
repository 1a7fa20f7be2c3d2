"""The local console (bot/console.py) on a copy of the bundled seeds: each slash command's text
as `python -m bot console` prints it, and the line loop that stops at `quit`."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from bot.catalog import Catalog
from bot.console import answer_line, run_console

# Open Forum #5 has no report: no button for it, as on Discord.
BUTTONS = "[buttons: About · Key takeaways · Calls to action · Speakers]"


async def answer(catalog: Catalog, line: str) -> str:
    return await answer_line(catalog, line)


async def test_session_card_shows_the_room_and_the_section_buttons(catalog: Catalog) -> None:
    text = await answer(catalog, "/session Open Forum #5")
    assert text.startswith("## IGF 2021 Open Forum #5 Development and Rule-Making on Artificial")
    assert "📍 Ballroom B" in text
    assert "**Luca Belli**, Professor of Internet Governance and Regulation" in text
    assert text.endswith(BUTTONS)


async def test_speaker_lists_affiliations_and_sessions(catalog: Catalog) -> None:
    text = await answer(catalog, "/speaker luca belli")
    assert text.startswith("## Luca Belli")
    assert "Fundação Getulio Vargas" in text
    assert "IGF 2021 · Open Forum #5 · 2021-12-10" in text
    assert "[menu: Development and Rule-Making on Artificial Intelligence]" in text
    assert BUTTONS not in text


async def test_search_without_accents_finds_open_forum_5(catalog: Catalog) -> None:
    text = await answer(catalog, "/search fundacao")
    assert text.startswith("## Search: fundacao")
    assert "IGF 2021 · Open Forum #5" in text
    assert "**Fundação**" in text  # the match, highlighted in its snippet
    assert "Open Forum #25" not in text


async def test_sessions_of_one_year(catalog: Catalog) -> None:
    text = await answer(catalog, "/sessions year:2022")
    assert text.startswith("## Sessions — 2022")
    assert "IGF 2022 · Open Forum #25 · 2022-11-29" in text
    assert "Open Forum #5" not in text and "2021" not in text


async def test_takeaways_of_a_session(catalog: Catalog) -> None:
    text = await answer(catalog, "/takeaways Open Forum #5")
    assert text.startswith("## Key takeaways — IGF 2021 Open Forum #5")
    assert "**1.** AI is having a significant and far-reaching impact" in text
    assert "**2.** AI governance should be human centric" in text
    assert "**3.**" not in text


async def test_help_lists_the_commands(catalog: Catalog) -> None:
    text = await answer(catalog, "/help")
    assert text.startswith("## How to use the IGF forum bot")
    for command in ("/session", "/speaker", "/takeaways", "/actions", "/search", "/sessions"):
        assert f"**{command}**" in text


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("/session zzzz qqqq", "No session matches **zzzz qqqq**."),
        ("/speaker xyzzy nobody", "No person matches **xyzzy nobody**."),
        ("/search qqqxxz", "No session mentions **qqqxxz**."),
    ],
)
async def test_an_unknown_query_is_not_found(catalog: Catalog, line: str, message: str) -> None:
    text = await answer(catalog, line)
    assert text.startswith("## Not found")
    assert message in text
    assert "Ballroom B" not in text


async def test_run_console_answers_each_line_and_stops_at_quit(catalog: Catalog) -> None:
    out = io.StringIO()
    status = await run_console(
        catalog, ["/speaker luca belli", "", "quit", "/session Open Forum #5"], out=out
    )
    printed = out.getvalue()
    assert status == 0
    assert printed.startswith("igf> /speaker luca belli\n## Luca Belli")
    assert printed.count("igf> ") == 1  # the blank line is skipped
    assert "Ballroom B" not in printed  # the line after quit is never answered


async def test_an_unknown_command_says_so(catalog: Catalog) -> None:
    text = await answer(catalog, "/no-such-command")
    assert text == "Unknown command `/no-such-command`. Type /help for the list."


@pytest.mark.parametrize(
    "line",
    [
        "/session session:Open Forum #5",
        "/session query:Open Forum #5",
        "/session Open Forum #5",
        '/session query:"Open Forum #5"',
    ],
)
async def test_discord_option_syntax(catalog: Catalog, line: str) -> None:
    text = await answer(catalog, line)
    assert text.startswith("## IGF 2021 Open Forum #5 Development"), text[:200]


async def test_a_quoted_type_with_a_space_filters(catalog: Catalog) -> None:
    text = await answer(catalog, '/sessions type:"Open Forum" year:2022')
    assert text.startswith("## Sessions — 2022, Open Forum")
    assert "Open Forum #25" in text and "Open Forum #5 " not in text


async def test_an_apostrophe_does_not_crash(catalog: Catalog) -> None:
    text = await answer(catalog, "/search children's rights")
    assert "No closing quotation" not in text
    assert text.startswith(("## Search: children's rights", "## Not found"))


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("/sessions type:banana", "`type` must be one of Workshop, Open Forum"),
        ("/search ai type:banana", "`type` must be one of Workshop, Open Forum"),
        ("/sessions year:abc", "`year` must be a whole number from 2006 to 2100, not `abc`."),
        ("/search ai year:99", "`year` must be a whole number from 2006 to 2100, not `99`."),
        ("/sessions sdg:18", "`sdg` must be a whole number from 1 to 17, not `18`."),
        ("/sessions day:10/12/2021", "`day` must be a date like 2021-12-10, not `10/12/2021`."),
    ],
)
async def test_filters_are_checked_as_discord_checks_them(
    catalog: Catalog, line: str, message: str
) -> None:
    text = await answer(catalog, line)
    assert text.startswith(message), text[:200]


async def test_a_link_button_where_the_page_is_known(tmp_path: Path, seeds: Path) -> None:
    page = "https://www.intgovforum.org/en/content/igf-2021-of-5"
    of5 = next(p for p in sorted(seeds.iterdir()) if "Open Forum #5" in p.read_text())
    of5.write_text(f"URL: {page}\n" + of5.read_text())
    opened = await Catalog.open(tmp_path / "igf.db", seeds)
    try:
        await opened.reload()
        assert (await answer(opened, "/session OF 5")).endswith(f"{BUTTONS}\n\n[link: {page}]")
    finally:
        await opened.close()


async def test_help_examples_run_in_the_console(catalog: Catalog) -> None:
    text = await answer(catalog, "/help")
    assert "e.g. `/session Open Forum #5`" in text
    for example in ('/sessions year:2021 type:"Open Forum"', "/session Open Forum #5"):
        assert "Open Forum #5" in await answer(catalog, example)
