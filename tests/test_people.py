"""People as a reader of the page means them (issue #13): organisers who are people, an
affiliation's organisation apart from its stakeholder group and region, placeholders that are
no one, name-order variants shown side by side. Through the console, on a copy of the seeds
with corpus pages added."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from bot.catalog import Catalog
from bot.console import format_reply, run_command
from bot.store.queries import name_orders
from tests.helpers import ROOT, copy_seeds

CORPUS = Path(__file__).parent / "fixtures" / "corpus"
NOT_SESSIONS = Path(__file__).parent / "fixtures" / "not-sessions"
PAGES = ("igf-2023-ws-197.txt", "igf-2025-launch-award-126.txt")


def page(number: int, name: str, affiliation: str) -> str:
    return (
        f"IGF 2022 Open Forum #{number} Data for Development {number}\n\nSpeakers\n\n"
        f"{name}, {affiliation}\nAnn Lee, Civil Society, African Group\n\n"
        "Description\n\nA session about data and development.\n"
    )


# One person written in two name orders, and a third with the same words but elsewhere.
NAME_ORDERS = {
    "zx-1.txt": page(901, "Wang Fang", "Tsinghua University"),
    "zx-2.txt": page(902, "Fang Wang", "Tsinghua University"),
    "zx-3.txt": page(903, "Fang Wang", "Peking University"),
}


@pytest.fixture
def extra_seeds() -> dict[str, str]:
    return {name: (CORPUS / name).read_text() for name in PAGES} | NAME_ORDERS


async def answer(catalog: Catalog, line: str) -> str:
    return format_reply(await run_command(catalog, line))


async def test_an_organiser_line_makes_a_person_with_the_organizer_role(catalog: Catalog) -> None:
    text = await answer(catalog, "/speaker Timea Suto")
    assert text.startswith("## Timea Suto")
    assert "*Organizer*" in text
    assert "*Onsite moderator*" in text
    assert "-- 2 roles" in text


async def test_a_numbered_organiser_list_names_people(catalog: Catalog) -> None:
    text = await answer(catalog, "/speaker Betty Fausta")
    assert text.startswith("## Betty Fausta")
    assert "The launch of the Women in Internet Governance initiative" in text
    assert "*Organizer*" in text


async def test_organisations_are_apart_from_stakeholder_groups_and_regions(
    catalog: Catalog,
) -> None:
    text = await answer(catalog, "/speaker Timea Suto")
    head = text.split("\n\n")[0]
    assert "**Organisations seen**\n• International Chamber of Commerce" in head
    assert "Eastern European" not in head.split("**Stakeholder groups")[0]
    assert "**Stakeholder groups and regions:** Private Sector · Eastern European Group" in head


async def test_a_group_and_a_region_are_no_organisation(catalog: Catalog) -> None:
    text = await answer(catalog, "/speaker Carl Gahnberg")
    assert "Organisations seen" not in text
    groups = "Technical Community · Western European and Others Group (WEOG)"
    assert f"**Stakeholder groups and regions:** {groups}" in text


async def test_a_placeholder_keeps_its_slot_on_the_card_but_is_no_person(
    catalog: Catalog,
) -> None:
    card = await answer(catalog, "/session Open Forum #5")
    assert "Delegate from Cyberspace Administration of China" in card
    text = await answer(catalog, "/speaker Delegate from Cyberspace Administration of China")
    assert not text.startswith("## Delegate"), text
    assert "No person matches" in text


async def test_name_order_variants_with_one_organisation_are_shown_not_merged(
    catalog: Catalog,
) -> None:
    wang = await answer(catalog, "/speaker Wang Fang")
    assert wang.startswith("## Wang Fang")
    assert "-- 1 role" in wang
    assert "Possibly the same person as **Fang Wang** (same organisation" in wang
    fang = await answer(catalog, "/speaker Fang Wang")
    assert fang.startswith("## Fang Wang")
    assert "-- 2 roles" in fang
    assert "Possibly the same person as **Wang Fang**" in fang


async def test_name_order_variants_without_a_shared_organisation_are_not_linked(
    catalog: Catalog,
) -> None:
    assert "Possibly the same person" not in await answer(catalog, "/speaker Ann Lee")
    assert name_orders("ann lee") == ["lee ann"]
    assert name_orders("li yu xiao") == ["xiao yu li", "xiao li yu", "yu xiao li"]


async def test_a_database_from_before_organiser_roles_gets_them_at_the_next_load(
    tmp_path: Path, seeds: Path
) -> None:
    path = tmp_path / "old.db"
    first = await Catalog.open(path, seeds)
    await first.reload()
    await first.close()
    with sqlite3.connect(path) as conn:  # the rows a v6 load made: no organiser roles
        conn.execute("DELETE FROM session_people WHERE role = 'organizer'")
        conn.execute("PRAGMA user_version = 6")
    again = await Catalog.open(path, seeds)
    try:
        report = await again.reload()
        assert report.ok and len(report.updated) == 4 + len(NAME_ORDERS), report.lines()
        assert "*Organizer*" in await answer(again, "/speaker Timea Suto")
    finally:
        await again.close()


# ------------------------------------------------------------------ what the admin is told


async def test_load_report_ends_with_the_quality_summary(tmp_path: Path, seeds: Path) -> None:
    for name in ("igf-2025-of-30-transcript.txt", "sched-2024-12-19-list.txt"):
        (seeds / name).write_text((NOT_SESSIONS / name).read_text())
    async with await Catalog.open(tmp_path / "q.db", seeds) as catalog:
        report = await catalog.reload()
    sessions = 2 + len(PAGES) + len(NAME_ORDERS)
    # Without a date or a room: the launch page and the three made-up pages; without people:
    # none (placeholders are no one, organisers do not count).
    assert report.lines()[-2:] == [
        f"quality: of {sessions} sessions, 4 without a date, 4 without a room, 0 without people",
        "rejected by reason: "
        + "; ".join(f"{reason} (1)" for reason in sorted({r.reason for r in report.rejected})),
    ]
    assert not any(line.startswith("? ") for line in report.lines())
    warned = [line for line in report.lines(verbose=True) if line.startswith("? ")]
    assert "? zx-1.txt: no date and time found on the page" in warned


def test_load_verbose_lists_each_pages_warnings(tmp_path: Path) -> None:
    copy_seeds(tmp_path, {"zx-1.txt": NAME_ORDERS["zx-1.txt"]})
    env = {k: v for k, v in os.environ.items() if k != "DISCORD_TOKEN"}
    env |= {"DATABASE_PATH": str(tmp_path / "igf.db"), "SEEDS_DIR": str(tmp_path / "seeds")}
    done = subprocess.run(
        [sys.executable, "-m", "bot", "load", "--verbose"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert "? zx-1.txt: no room found on the page" in lines
    assert lines[-2].startswith("quality: of 3 sessions, 1 without a date, 1 without a room")
