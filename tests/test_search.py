"""Full-text search the way people ask (issue #14): stems, prefixes, phrases, apostrophes,
every text a card shows, exact before stemmed, counts, and the v7 rebuild of old databases."""

from __future__ import annotations

import sqlite3
from collections.abc import AsyncIterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.models import Sdg, Session
from bot.store import Store


def ws(number: int, title: str, **changes: object) -> Session:
    base = Session(
        heading=f"IGF 2023 WS #{number} {title}",
        title=title,
        event="IGF 2023",
        year=2023,
        session_type="Workshop",
        number=number,
        starts_at=datetime(2023, 10, 9, 8, 0, tzinfo=UTC) + timedelta(hours=number),
    )
    return replace(base, **changes)


SESSIONS = [
    ws(1, "Internet Shutdowns and elections"),
    ws(2, "Regulatory experiments in digital markets"),
    ws(3, "Protecting children online"),
    ws(4, "Cybersecurity capacity in Africa"),
    ws(5, "Naming the world", description="Internationalized Domain Names for everyone."),
    ws(6, "Open questions", policy_questions=["How can an intelligent society stay fair?"]),
    ws(7, "Who builds it", organizers=["Kelechi Oduya, Nigerian Cyber Hub"]),
    ws(8, "Society, intelligent or not"),
    ws(9, "A shutdown of one network"),
    ws(10, "Measuring things", description="We talk about internet shutdowns at length."),
    ws(
        11,
        "Where and how",
        room="Ballroom Zeta",
        format="Fishbowl",
        format_description="Seats that rotate.",
        sdgs=[Sdg(13, "Climate Action")],
    ),
]


@pytest.fixture
async def store(tmp_path: Path) -> AsyncIterator[Store]:
    async with await Store.open(tmp_path / "igf.db") as opened:
        await opened.apply([(f"{s.key}.txt", f"h-{s.key}", s) for s in SESSIONS], [])
        yield opened


async def numbers(store: Store, text: str, **filters: object) -> list[int | None]:
    return [h.session.number for h in await store.search(text, **filters)]  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("text", "number"),
    [("experiment", 2), ("child", 3), ("cyber", 4), ("cybersecurity africa", 4)],
)
async def test_stems_and_the_last_word_as_a_prefix(store: Store, text: str, number: int) -> None:
    assert number in await numbers(store, text)


async def test_exact_title_words_first_then_stemmed_titles_then_body_text(store: Store) -> None:
    assert await numbers(store, "shutdown") == [9, 1, 10]
    assert await numbers(store, "shutdowns") == [1, 9, 10]


async def test_everything_a_card_shows_is_searchable(store: Store) -> None:
    assert await numbers(store, "Internationalized Domain Names") == [5]
    assert 6 in await numbers(store, "fair")  # a policy question
    assert await numbers(store, "Nigerian Cyber Hub") == [7]  # the organisers' text
    for text in ("Ballroom Zeta", "fishbowl", "seats rotate", "climate action"):
        assert await numbers(store, text) == [11], text  # room, format, its text, SDG


async def test_a_quoted_phrase_matches_the_phrase(store: Store) -> None:
    assert set(await numbers(store, "intelligent society")) == {6, 8}
    assert await numbers(store, '"intelligent society"') == [6]


async def test_an_apostrophe_is_not_a_word_and_breaks_nothing(store: Store) -> None:
    assert await numbers(store, "children's") == [3]
    assert await numbers(store, "children’s online") == [3]
    assert await numbers(store, "'") == []


async def test_results_know_how_many_matched_in_all(store: Store) -> None:
    hits = await store.search("shutdown", limit=2)
    assert len(hits) == 2 and hits.total == 3
    filtered = await store.search("shutdown", year=2023, session_type="Workshop", limit=1)
    assert len(filtered) == 1 and filtered.total == 3
    assert (await store.search("shutdown", year=2022)).total == 0


async def test_migration_7_rebuilds_the_index_of_an_existing_database(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    async with await Store.open(path) as store:
        await store.apply([(f"{s.key}.txt", f"h-{s.key}", s) for s in SESSIONS], [])
    with sqlite3.connect(path) as conn:  # back to v6: the unstemmed index, filled as then
        conn.executescript(
            """
            DROP TABLE sessions_fts;
            CREATE VIRTUAL TABLE sessions_fts USING fts5(
                title, description, takeaways, calls_to_action, report, people,
                tokenize = 'unicode61 remove_diacritics 2');
            INSERT INTO sessions_fts (rowid, title) SELECT id, title FROM sessions;
            PRAGMA user_version = 6;
            """
        )
        old = "SELECT rowid FROM sessions_fts WHERE sessions_fts MATCH 'shutdown'"
        assert conn.execute(old).fetchall() == [(9,)]
    async with await Store.open(path) as store:
        assert await numbers(store, "shutdown") == [9, 1, 10]
        assert await numbers(store, "fair") == [6]


async def test_migration_9_drops_the_prefix_indexes_and_keeps_every_match(tmp_path: Path) -> None:
    path = tmp_path / "v8.db"
    async with await Store.open(path) as store:
        await store.apply([(f"{s.key}.txt", f"h-{s.key}", s) for s in SESSIONS], [])
        before = {text: await numbers(store, text) for text in ("shutdown", "shut", "fair")}
    with sqlite3.connect(path) as conn:  # back to v8: v7's index with its prefix indexes, empty
        conn.executescript(
            """
            DROP TABLE sessions_fts;
            CREATE VIRTUAL TABLE sessions_fts USING fts5(
                title, description, takeaways, calls_to_action, report, people,
                tokenize = 'porter unicode61 remove_diacritics 2', prefix = '3 4 5');
            PRAGMA user_version = 8;
            """
        )
    async with await Store.open(path) as store:
        assert {text: await numbers(store, text) for text in before} == before
    assert sorted(before["shut"]) == sorted(before["shutdown"]) and before["fair"] == [6]
    with sqlite3.connect(path) as conn:
        (sql,) = conn.execute(
            "SELECT sql FROM sqlite_master WHERE name = 'sessions_fts'"
        ).fetchone()
        assert "prefix" not in sql and "porter" in sql
