"""/sessions through the fake Discord: start order with undated sessions among their year,
and a long list's first/last buttons and jump-to-page modal."""

from __future__ import annotations

import re

import pytest

from bot.app import IGFBot
from tests.fake_discord import FakeDiscord, InteractionResult

DATED = 34  # with three undated ones: 37 workshops, four pages of ten


def workshop(number: int, title: str, when: str | None, year: int = 2023) -> str:
    dates = f"{when} - {when}\n" if when else ""
    return f"IGF {year} WS #{number} {title}\n\n{dates}Room 1\n\nA description of {title}.\n"


def stamp(day: int, hour: int) -> str:
    return f"Monday, {day}th October, 2023 ({hour:02d}:00 UTC)"


@pytest.fixture
def extra_seeds() -> dict[str, str]:
    # Written in an order that is neither the start order nor the number order.
    files = {
        f"ws{n}.txt": workshop(
            n, f"Timed {n:02d}", stamp(8 + (DATED - n) // 10, 9 + (DATED - n) % 10)
        )
        for n in range(1, DATED + 1)
    }
    files["u1.txt"] = workshop(900, "Undated Alpha", None)
    files["u2.txt"] = workshop(901, "Undated Beta", None)
    files["u0.txt"] = workshop(950, "Undated Earlier", None, year=2022)
    return files


def titles(result: InteractionResult) -> list[str]:
    return re.findall(r"\*\*((?:Timed \d+|Undated \w+))\*\*", result.embed["description"])


async def test_sessions_in_start_order_undated_after_their_year(
    bot: IGFBot, fake_discord: FakeDiscord
) -> None:
    shown = await fake_discord.slash("sessions", {"type": "Workshop"})
    order = titles(shown)
    for _ in range(3):
        shown = await fake_discord.click(shown, "page:1")
        order += titles(shown)
    assert shown.embed["footer"]["text"].endswith("Page 4/4")
    # 2022's undated session before 2023's; the latest number starts first (see extra_seeds);
    # the undated of 2023 close their year
    assert order == ["Undated Earlier"] + [f"Timed {n:02d}" for n in range(DATED, 0, -1)] + [
        "Undated Alpha",
        "Undated Beta",
    ]


async def test_first_last_and_jump_to_a_page(bot: IGFBot, fake_discord: FakeDiscord) -> None:
    first = await fake_discord.slash("sessions", {"year": 2023})
    ids = [c["custom_id"] for c in first.iter_components() if c.get("type") == 2]
    assert ids[:5] == ["page:first", "page:-1", "page:jump", "page:1", "page:last"]
    last = await fake_discord.click(first, "page:last")
    assert last.embed["footer"]["text"].endswith("Page 4/4")
    back = await fake_discord.click(last, "page:first")
    assert back.embed["footer"]["text"].endswith("Page 1/4")
    asked = await fake_discord.click(back, "page:jump")
    assert asked.modal is not None
    jumped = await fake_discord.submit_modal(asked, {"page:number": "3"})
    assert jumped.embed["footer"]["text"].endswith("Page 3/4")
    asked = await fake_discord.click(jumped, "page:jump")
    refused = await fake_discord.submit_modal(asked, {"page:number": "9"})
    assert refused.ephemeral and refused.content == "Type a page number from 1 to 4."
    assert (
        fake_discord.stored_message(first)
        .payload["embeds"][0]["footer"]["text"]
        .endswith("Page 3/4")
    )
