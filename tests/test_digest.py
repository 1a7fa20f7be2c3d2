"""The digest core: selection, rotation, "new since", rendering within Discord's limits."""

from __future__ import annotations

import hashlib
import inspect
import sqlite3
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import discord
import pytest

import bot.digest.plan
import bot.digest.render
import bot.digest.replies
import bot.digest.scheduler
import bot.digest.source
from bot.catalog import Catalog
from bot.digest.plan import DigestSession, select_digest
from bot.digest.render import render_digest, render_digest_text
from bot.digest.source import build_digest, digest_text_for
from bot.digest.timing import DigestError, local_day_bounds
from bot.ledger import Delivery
from bot.models import Session
from bot.parser import parse_bytes
from bot.render import (
    DESCRIPTION_LIMIT,
    EMBED_TOTAL_LIMIT,
    EMBEDS_PER_MESSAGE,
    FIELD_COUNT_LIMIT,
    FIELD_NAME_LIMIT,
    FIELD_VALUE_LIMIT,
    FOOTER_LIMIT,
    TITLE_LIMIT,
    enforce_limits,
)
from bot.store import Store

SEEDS = sorted((Path(__file__).parent.parent / "seeds").glob("*.txt"))
OF5_START = datetime(2021, 12, 10, 8, 30, tzinfo=UTC)
OF5_END = datetime(2021, 12, 10, 9, 30, tzinfo=UTC)


# --------------------------------------------------------------------------- helpers


def seed_sessions() -> list[Session]:
    return [parse_bytes(path.read_bytes(), path.name) for path in SEEDS]


def of5() -> Session:
    (session,) = [s for s in seed_sessions() if s.key == "igf-2021-open-forum-5"]
    return session


def variant(base: Session, number: int, starts_at: datetime | None, **changes) -> Session:
    """A synthetic session derived from a real seed (another number and time)."""
    ends_at = starts_at + timedelta(hours=1) if starts_at else None
    return replace(base, number=number, starts_at=starts_at, ends_at=ends_at, **changes)


def row(name: str, session: Session) -> tuple[str, str, Session]:
    digest = hashlib.sha256(repr(session).encode()).hexdigest()
    return (name, digest, session)


async def load(store: Store, sessions: list[Session]) -> None:
    await store.apply([row(f"{s.key}.txt", s) for s in sessions], [])


@pytest.fixture
async def store(tmp_path: Path):
    store = await Store.open(tmp_path / "bot.db")
    await store.apply(
        [
            (p.name, hashlib.sha256(p.read_bytes()).hexdigest(), s)
            for p, s in zip(SEEDS, seed_sessions(), strict=True)
        ],
        [],
    )
    try:
        yield store
    finally:
        await store.close()


@pytest.fixture
def catalog(store: Store) -> Catalog:
    return Catalog(store, SEEDS[0].parent)


def embed_total(embeds: list[discord.Embed]) -> int:
    total = 0
    for embed in embeds:
        data = embed.to_dict()
        total += len(data.get("title", "")) + len(data.get("description", ""))
        total += sum(len(f["name"]) + len(f["value"]) for f in data.get("fields", []))
        total += len(data.get("footer", {}).get("text", ""))
        total += len(data.get("author", {}).get("name", ""))
    return total


def assert_within_limits(embeds: list[discord.Embed]) -> None:
    assert 1 <= len(embeds) <= EMBEDS_PER_MESSAGE
    for embed in embeds:
        data = embed.to_dict()
        assert "allowed_mentions" not in data
        assert len(data.get("title", "")) <= TITLE_LIMIT
        assert len(data.get("description", "")) <= DESCRIPTION_LIMIT
        fields = data.get("fields", [])
        assert len(fields) <= FIELD_COUNT_LIMIT
        for field in fields:
            assert 1 <= len(field["name"]) <= FIELD_NAME_LIMIT
            assert 1 <= len(field["value"]) <= FIELD_VALUE_LIMIT
        assert len(data.get("footer", {}).get("text", "")) <= FOOTER_LIMIT
    assert embed_total(embeds) <= EMBED_TOTAL_LIMIT


def all_text(embeds: list[discord.Embed]) -> str:
    parts = []
    for embed in embeds:
        data = embed.to_dict()
        parts += [data.get("title", ""), data.get("description", "")]
        parts += [f["name"] + "\n" + f["value"] for f in data.get("fields", [])]
        parts.append(data.get("footer", {}).get("text", ""))
    return "\n".join(parts)


# --------------------------------------------------------------------------- forum days


async def test_forum_day_in_utc_lists_the_days_sessions_with_timestamps_and_rooms(catalog):
    plan = await build_digest(catalog, 1, date(2021, 12, 10), "UTC")
    assert plan.kind == "forum_day"
    assert [s.key for s in plan.sessions] == ["igf-2021-open-forum-5"]
    assert plan.archive == ()

    embeds = render_digest(plan, "UTC")
    assert_within_limits(embeds)
    text = all_text(embeds)
    start, end = int(OF5_START.timestamp()), int(OF5_END.timestamp())
    assert f"<t:{start}:t>–<t:{end}:t>" in text
    assert f"<t:{start}:R>" in text
    assert "Open Forum #5" in text and "Ballroom B" in text
    assert "Friday 10 December 2021" in embeds[0].title

    terminal = render_digest_text(plan, "UTC")
    assert "08:30–09:30" in terminal and "Open Forum #5" in terminal and "Ballroom B" in terminal


async def test_forum_day_follows_the_local_day_of_the_zone(store, catalog):
    # 08:30 UTC on 10 December is 22:30 on 9 December in Honolulu (UTC-10).
    honolulu = await build_digest(catalog, 1, date(2021, 12, 9), "Pacific/Honolulu")
    assert [s.key for s in honolulu.sessions] == ["igf-2021-open-forum-5"]
    text = render_digest_text(honolulu, "Pacific/Honolulu")
    assert "22:30–23:30" in text
    assert (
        await build_digest(catalog, 1, date(2021, 12, 10), "Pacific/Honolulu")
    ).kind == "archive"

    # A session at 23:30 UTC belongs to the next local day in Tokyo (UTC+9).
    late = variant(of5(), 77, datetime(2021, 12, 10, 23, 30, tzinfo=UTC), room="Hall Z")
    await load(store, [late])
    utc_day = await build_digest(catalog, 1, date(2021, 12, 10), "UTC")
    assert [s.reference for s in utc_day.sessions] == ["Open Forum #5", "Open Forum #77"]
    tokyo_10 = await build_digest(catalog, 1, date(2021, 12, 10), ZoneInfo("Asia/Tokyo"))
    tokyo_11 = await build_digest(catalog, 1, date(2021, 12, 11), ZoneInfo("Asia/Tokyo"))
    assert [s.reference for s in tokyo_10.sessions] == ["Open Forum #5"]
    assert [s.reference for s in tokyo_11.sessions] == ["Open Forum #77"]
    assert "08:30–09:30" in render_digest_text(tokyo_11, "Asia/Tokyo")


def test_local_day_bounds_are_23_and_25_hours_on_dst_days():
    start, end = local_day_bounds(date(2026, 3, 29), "Europe/Oslo")
    assert end - start == timedelta(hours=23)
    assert start == datetime(2026, 3, 28, 23, 0, tzinfo=UTC)
    start, end = local_day_bounds(date(2026, 10, 25), "Europe/Oslo")
    assert end - start == timedelta(hours=25)


async def test_a_forum_day_with_many_sessions_stays_within_limits_and_points_to_session():
    base = DigestSession.of(of5())
    day = [
        replace(
            base,
            key=f"k{i:03d}",
            reference=f"Workshop #{i}",
            title="A rather long workshop title about the governance of everything " * 3,
            starts_at=OF5_START + timedelta(minutes=i),
            room="Room " + "X" * 80,
        )
        for i in range(200)
    ]
    plan = select_digest(date(2021, 12, 10), reversed(day), [], set(), day[:40])
    assert [s.key for s in plan.sessions] == [s.key for s in day]  # start order
    embeds = render_digest(plan, "UTC")
    assert_within_limits(embeds)
    text = all_text(embeds)
    assert "more today" in text and "/session" in text
    assert "New since the last digest (40)" in text


# --------------------------------------------------------------------------- archive rotation


def test_select_digest_archive_picks_only_sessions_with_outcomes_oldest_first():
    seeds = seed_sessions()
    bare = variant(seeds[0], 99, datetime(2010, 1, 1, tzinfo=UTC))
    bare = replace(bare, key_takeaways=[], calls_to_action=[])
    only_calls = replace(variant(seeds[0], 98, datetime(2015, 1, 1, tzinfo=UTC)), key_takeaways=[])
    plan = select_digest(date(2026, 1, 5), [], [*seeds, bare, only_calls], set(), [], picks=3)
    assert plan.kind == "archive"
    assert [s.key for s in plan.archive] == [
        "igf-2021-open-forum-98",
        "igf-2021-open-forum-5",
        "igf-2022-open-forum-25",
    ]
    assert not plan.new_cycle
    assert plan.featured == tuple(s.key for s in plan.archive)


def test_select_digest_on_a_forum_day_features_nothing():
    seeds = seed_sessions()
    plan = select_digest(date(2021, 12, 10), [seeds[0]], seeds, set(), [])
    assert plan.kind == "forum_day" and plan.archive == () and plan.featured == ()


def test_select_digest_starts_a_new_cycle_when_everything_was_featured():
    seeds = seed_sessions()
    keys = {s.key for s in seeds}
    plan = select_digest(date(2026, 1, 5), [], seeds, keys | {"gone-session"}, [], picks=1)
    assert plan.new_cycle and [s.key for s in plan.archive] == ["igf-2021-open-forum-5"]
    # unknown featured keys (removed sessions) do not count; one fresh left -> that one only
    plan = select_digest(date(2026, 1, 5), [], seeds, {"igf-2021-open-forum-5"}, [], picks=3)
    assert not plan.new_cycle and [s.key for s in plan.archive] == ["igf-2022-open-forum-25"]
    empty = select_digest(date(2026, 1, 5), [], [], set(), [])
    assert empty.kind == "archive" and empty.archive == () and not empty.new_cycle
    assert_within_limits(render_digest(empty, "UTC"))


async def test_archive_rotation_covers_every_session_before_repeating(store, catalog):
    base = of5()
    extra = [
        variant(base, 100 + i, datetime(2016 + i % 5, 6, 1 + i, 9, 0, tzinfo=UTC)) for i in range(5)
    ]
    undated = variant(base, 200, None)
    bare = replace(
        variant(base, 300, datetime(2012, 1, 1, tzinfo=UTC)), key_takeaways=[], calls_to_action=[]
    )
    await load(store, [*extra, undated, bare])
    candidates = {s.key for s in [*seed_sessions(), *extra, undated]}
    assert len(candidates) == 8

    picked: list[list[str]] = []
    day = date(2026, 1, 1)
    for _ in range(5):
        plan = await build_digest(catalog, 7, day, "Europe/Oslo")
        assert plan.kind == "archive"
        if plan.new_cycle:
            await catalog.digests.reset_featured(7)
        await catalog.digests.mark_featured(7, plan.featured, day)
        picked.append(list(plan.featured))
        day += timedelta(days=1)

    first_cycle = [key for keys in picked[:3] for key in keys]
    assert sorted(first_cycle) == sorted(candidates)  # each once: no repeat before all seen
    assert len(first_cycle) == len(set(first_cycle)) == 8
    assert "igf-2021-open-forum-300" not in first_cycle  # nothing to say: never featured
    assert first_cycle[-1] == "igf-2021-open-forum-200"  # undated last
    assert [len(keys) for keys in picked[:3]] == [3, 3, 2]
    # the fourth digest starts again from the oldest
    assert picked[3] == first_cycle[:3] and picked[4] == first_cycle[3:6]
    # another server has its own rotation
    other = await build_digest(catalog, 8, date(2026, 1, 1), "UTC")
    assert list(other.featured) == first_cycle[:3]


# --------------------------------------------------------------------------- new since last


def _backdate(db: Path) -> None:
    """Store timestamps are real time with one-second resolution: move what exists so far
    (sessions, then digests) safely into the past."""
    with sqlite3.connect(db) as conn:
        conn.execute("UPDATE sessions SET added_at = '2000-01-01T00:00:00+00:00'")
        conn.execute("UPDATE digest_posts SET created_at = '2001-01-01T00:00:00+00:00'")


async def test_added_since_the_last_sent_digest(store, catalog, tmp_path):
    day1 = date(2026, 1, 5)
    first = await build_digest(catalog, 1, day1, "UTC")
    assert first.added == () and first.added_total == 0  # no earlier digest: nothing "new"

    await catalog.digests.claim_digest(1, day1)
    await catalog.digests.mark_digest(1, day1, Delivery("sent", 111))
    await catalog.digests.claim_digest(2, day1)  # another guild's failed digest does not count
    await catalog.digests.mark_digest(2, day1, Delivery("failed", detail="Missing Access"))
    _backdate(tmp_path / "bot.db")

    newcomer = variant(of5(), 55, datetime(2023, 10, 9, 8, 0, tzinfo=UTC), title="Brand new")
    await load(store, [newcomer])
    second = await build_digest(catalog, 1, date(2026, 1, 6), "UTC")
    assert [s.key for s in second.added] == ["igf-2021-open-forum-55"]
    assert second.added_total == 1
    text = all_text(render_digest(second, "UTC"))
    assert "New since the last digest (1)" in text and "Brand new" in text
    assert "Brand new" in render_digest_text(second, "UTC")
    # guild 2 never had a sent digest
    assert (await build_digest(catalog, 2, date(2026, 1, 6), "UTC")).added == ()

    # once the next digest is sent, it is no longer new
    await catalog.digests.claim_digest(1, date(2026, 1, 6))
    await catalog.digests.mark_digest(1, date(2026, 1, 6), Delivery("sent", 112))
    third = await build_digest(catalog, 1, date(2026, 1, 7), "UTC")
    assert third.added == ()


# --------------------------------------------------------------------------- limits and safety


def hostile_session() -> Session:
    words = "governance " * 460  # ~5,000 characters
    return replace(
        of5(),
        number=777,
        title="**Bold** _claim_ @everyone <@123> " + "T" * 300,
        room="Room `x` <@&456>",
        key_takeaways=[
            "Ping @everyone and <@123> and <@!123> and @here: " + words,
            "Second point " + words,
        ],
        calls_to_action=["@everyone act now ||spoiler|| # not a heading " + words, "Short call."],
    )


def test_long_takeaways_are_cut_at_a_word_with_a_pointer_and_limits_hold():
    session = hostile_session()
    assert len(session.key_takeaways[0]) > 5000
    plan = select_digest(date(2026, 1, 5), [], [session], set(), [])
    embeds = render_digest(plan, "Europe/Oslo")
    assert_within_limits(embeds)
    featured = embeds[1]
    assert "…" in featured.description
    assert "Use `/session IGF 2021 Open Forum #777` for the full record." in featured.description
    cut_line = next(line for line in featured.description.splitlines() if line.endswith("…"))
    assert cut_line[:-1].endswith("governance")  # cut at a word
    assert featured.fields[0].value.startswith("• @everyone act now")


def test_three_long_picks_and_many_new_sessions_share_the_6000_characters():
    sessions = [replace(hostile_session(), number=n) for n in (1, 2, 3)]
    added = [replace(hostile_session(), number=n) for n in range(10, 60)]
    plan = select_digest(date(2026, 1, 5), [], sessions, set(), added)
    embeds = render_digest(plan, "UTC")
    assert_within_limits(embeds)
    assert len(embeds) == 5
    assert all("/session" in e.description for e in embeds[1:4])
    assert "…and 40 more" in embeds[-1].description  # 10 shown of 50


def test_text_from_documents_is_kept_escaped_and_never_sets_allowed_mentions():
    plan = select_digest(date(2026, 1, 5), [], [hostile_session()], set(), [])
    embeds = render_digest(plan, "UTC")
    text = all_text(embeds)
    # the words are kept (embeds never ping; the sender also disables mentions)...
    assert "@everyone" in text and "<@123>" in text
    # ...markdown from documents cannot change the layout
    assert "\\*\\*Bold\\*\\*" in text and "\\_claim\\_" in text and "\\|\\|spoiler" in text
    assert "Room \\`x\\`" in text
    for embed in embeds:
        assert "allowed_mentions" not in embed.to_dict()
    # the renderer yields embeds only (no content, no mention settings) ...
    assert all(isinstance(e, discord.Embed) for e in embeds)
    # ... and nothing in the digest feature overrides allowed_mentions (the sender owns that)
    for module in (
        bot.digest.plan,
        bot.digest.render,
        bot.digest.replies,
        bot.digest.scheduler,
        bot.digest.source,
    ):
        source = inspect.getsource(module)
        assert "AllowedMentions(" not in source and "allowed_mentions=" not in source
    # the terminal shows the text as it is
    assert "**Bold** _claim_ @everyone <@123>" in render_digest_text(plan, "UTC")


def test_enforce_limits_repairs_anything_oversized():
    embeds = [
        discord.Embed(title="t" * 400, description="d " * 3000).add_field(
            name="n" * 300, value="v " * 800
        )
        for _ in range(12)
    ]
    embeds[0].set_footer(text="f" * 3000)
    fixed = enforce_limits(embeds)
    assert_within_limits(fixed)


# --------------------------------------------------------------------------- terminal


async def test_digest_text_for_a_day_and_zone(catalog):
    text = await digest_text_for(catalog, date(2021, 12, 10), "Europe/Oslo")
    assert "Today at the forum · Friday 10 December 2021" in text
    assert "09:30–10:30" in text and "Open Forum #5" in text
    archive = await digest_text_for(catalog, date(2026, 1, 5), "UTC")
    assert "From the archive" in archive and "Key takeaways:" in archive
    assert "Calls to action:" in archive and "Open Forum #25" in archive
    with pytest.raises(DigestError):
        await digest_text_for(catalog, date(2026, 1, 5), "Mars/Olympus_Mons")
